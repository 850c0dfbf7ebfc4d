import {
  CONTAINER_SLOTS,
  type ContainerReads,
  type ContainerSlot,
  type Source,
  type TicketRef,
} from '../../shared/ref';
import { first } from './dom';

export interface TicketDetails {
  title: string | null; // as the page shows it, trimmed; null when not found
  state: string | null; // e.g. 'Open', 'Closed', 'Merged', 'In Progress', 'Done'
  closed: boolean | null; // whether the state means done (closed/merged/resolved/done/completed); null unknown
  /** Logins (GitHub) or display names (Jira, Asana) as shown; [] when shown as nobody; null when the page does not show the field, which must never erase a known value. */
  assignees: string[] | null;
  project: string | null; // GitHub 'owner/repo', Jira project key, Asana project name
  signedInUser: string | null; // GitHub meta user-login, Jira meta ajs-remote-user / ajs-current-user-fullname etc, Asana null unless found
  estimate: number | null; // story points when the page shows them (Jira), else null
  /**
   * Where the ticket sits (parent, epic, milestone, labels, projects, section). A slot is present only
   * when the page shows that field: `[]` when it shows the field empty (GitHub's "No milestone"), left
   * out when the page does not show it. A page is a weak witness: an absent slot must never end what
   * is known of it.
   */
  containers: ContainerReads;
}

/** The most reads of a slot a record takes (lib/shared/contract/work.ts `ContainerReads`). */
const SLOT_MAXIMA: Record<ContainerSlot, number> = {
  parent: 1,
  epic: 1,
  milestone: 1,
  labels: 100,
  projects: 50,
  section: 50,
};

/**
 * The slots the page showed, as a record takes them: titles clipped, references it can hold (at
 * most 400 characters). A slot showing more than a record takes is left out: part of it would end
 * the rest of what is known.
 */
export function recordedContainers(containers: ContainerReads): ContainerReads | null {
  const recorded: ContainerReads = {};
  for (const slot of CONTAINER_SLOTS) {
    const reads = containers[slot]?.filter((read) => read.ref.length <= 400);
    if (!reads || reads.length > SLOT_MAXIMA[slot]) continue;
    recorded[slot] = reads.map((read) => ({ ref: read.ref, title: read.title?.slice(0, 1000) ?? null }));
  }
  return Object.keys(recorded).length ? recorded : null;
}

export interface HostAdapter {
  source: Source;
  /** URL first: the ticket this URL shows, or null when it is not a ticket page. Works on any hostname (custom domains). */
  refFromUrl(url: URL): TicketRef | null;
  /** DOM second, optional: what the page shows of that ticket; tolerate absence of everything. */
  readDetails(doc: Document, ref: TicketRef): TicketDetails;
  /** True once the page shows this ticket (its title element for that key is in the DOM); used to know SPA navigation has rendered. */
  isRendered(doc: Document, ref: TicketRef): boolean;
  /**
   * Where the ticket's Goal row goes: first in the host's own panel of the ticket's fields, or, where
   * that panel is not found, right after the ticket's title; null when neither is on the page.
   */
  goalAnchor(doc: Document): GoalAnchor | null;
  /** The same adapter trying these published selectors before its built-in ones (unknown fields ignored). */
  withSelectors(overrides: SelectorOverrides): HostAdapter;
}

export interface GoalAnchor {
  element: Element;
  /** `first`: the first child of the host's panel; `after`: the title's next sibling. */
  place: 'first' | 'after';
}

/**
 * The selector lists of each adapter that a workspace may override with published selectors (host
 * fixes as data, lib/hosts/pages/overrides.ts): published ones are tried first, then the built-in
 * generations. Names are the adapters' own `SELECTORS` keys (GitHub's `assignees` is its
 * assignee sections; the container fields, parent to projects, are the sections or fields that
 * show them, read for the links inside).
 */
export const OVERRIDABLE = {
  github: [
    'title',
    'titleHeader',
    'number',
    'state',
    'assignees',
    'repository',
    'signedInUser',
    'parent',
    'milestone',
    'labels',
    'projects',
    'goalPanel',
  ],
  jira: [
    'issueRoot',
    'title',
    'key',
    'keyMeta',
    'state',
    'assignee',
    'signedInUser',
    'parent',
    'epic',
    'labels',
    'goalPanel',
  ],
  asana: ['pane', 'title', 'project', 'assignee', 'completion', 'parent', 'projects', 'goalPanel'],
} as const satisfies Record<Source, readonly string[]>;

/** Published selectors for one host: per field, tried before the built-in ones. */
export type SelectorOverrides = Partial<Record<string, readonly string[]>>;

/** `[...published, ...builtIn]`: published selectors first, the built-in generations after. */
export function withPublished(builtIn: readonly string[], published: readonly string[] | undefined): readonly string[] {
  return published?.length ? [...published, ...builtIn] : builtIn;
}

/** A `SELECTORS` object with its lists widened from literal tuples, so merged lists fit it. */
export type Widened<T> = T extends RegExp
  ? RegExp
  : T extends string
    ? string
    : T extends readonly string[]
      ? readonly string[]
      : { [K in keyof T]: Widened<T[K]> };

/** The built-in selectors with the published ones of `fields` put before them. */
export function mergePublished<T extends object>(
  builtIn: T,
  published: SelectorOverrides,
  fields: readonly string[],
): Widened<T> {
  const merged: Record<string, unknown> = { ...(builtIn as Record<string, unknown>) };
  for (const field of fields) {
    const list = (builtIn as Record<string, unknown>)[field];
    if (Array.isArray(list)) merged[field] = withPublished(list, published[field]);
  }
  return merged as Widened<T>;
}

/**
 * An adapter that reads with `selectors`, and whose `withSelectors` reads with the published ones
 * merged in by `merge`: the one way each host's adapter takes host fixes as data. Its call sites
 * are marked `@__PURE__`, so each host's content script keeps only its own host's adapter.
 */
export function selectorAdapter<S extends { goalPanel: readonly string[]; title: readonly string[] }>(
  parts: {
    source: Source;
    refFromUrl(url: URL): TicketRef | null;
    readDetails(selectors: S, doc: Document, ref: TicketRef): TicketDetails;
    isRendered(selectors: S, doc: Document, ref: TicketRef): boolean;
    /** The built-in selectors with the published ones tried first. */
    merge(published: SelectorOverrides): S;
  },
  selectors: S,
): HostAdapter {
  return {
    source: parts.source,
    refFromUrl: parts.refFromUrl,
    readDetails: (doc, ref) => parts.readDetails(selectors, doc, ref),
    isRendered: (doc, ref) => parts.isRendered(selectors, doc, ref),
    goalAnchor: (doc) => {
      const panel = first(doc, selectors.goalPanel);
      if (panel) return { element: panel, place: 'first' };
      const title = first(doc, selectors.title);
      // After the heading the title is in, not inside it: the row is no part of the title.
      return title ? { element: title.closest('h1, h2, h3') ?? title, place: 'after' } : null;
    },
    withSelectors: (published) => selectorAdapter(parts, parts.merge(published)),
  };
}
