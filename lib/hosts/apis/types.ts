/**
 * What a host's API says of a ticket, as the connectors record it: every field the host has, so a
 * connector's record is whole (a page's is partial). One mapping file per host turns the host's own
 * JSON into this; the server's connectors (server/connectors/) fetch it with the host's client.
 */
import type { ContainerReads } from '../../shared/ref';

/** The host's own account: its stable id (GitHub user id, Jira accountId or DC key, Asana gid) and the names it shows. */
export interface HostAccount {
  id: string;
  /** GitHub login; Jira DC user name; null where the host has none (Jira Cloud, Asana). */
  login: string | null;
  /** The display name; the login where the host shows no other. */
  name: string;
}

/** Where a ticket stands, as every host's states fold into: not started, under way, done. */
export type StateCategory = 'open' | 'in_progress' | 'done';

export interface SyncedTicket {
  /** `source:host/key` (lib/shared/ref.ts). */
  ref: string;
  /**
   * The host's stable id of the ticket, which survives a move (a transferred GitHub issue, a Jira
   * issue moved to another project): the same id under a new reference is the same ticket moved.
   */
  hostId: string;
  url: string;
  title: string;
  /** The state as the host names it: "open", "In Review", "Done". */
  state: string;
  stateCategory: StateCategory;
  assignees: HostAccount[];
  /** Story points or the host's estimate; null when it has none. */
  estimate: number | null;
  /** Every slot the host has for this kind of ticket, [] where it is empty. */
  containers: ContainerReads;
  createdAt: string;
  updatedAt: string;
  /** When it was closed, resolved or completed; null while open. */
  closedAt: string | null;
}
