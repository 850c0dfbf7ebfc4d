import type { Source, TicketRef } from '../ref';

export interface TicketDetails {
  title: string | null; // as the page shows it, trimmed; null when not found
  state: string | null; // e.g. 'Open', 'Closed', 'Merged', 'In Progress', 'Done'
  closed: boolean | null; // whether the state means done (closed/merged/resolved/done/completed); null unknown
  assignees: string[]; // logins (GitHub) or display names (Jira, Asana) as shown
  project: string | null; // GitHub 'owner/repo', Jira project key, Asana project name
  signedInUser: string | null; // GitHub meta user-login, Jira meta ajs-remote-user / ajs-current-user-fullname etc, Asana null unless found
  estimate: number | null; // story points when the page shows them (Jira), else null
}

export interface HostAdapter {
  source: Source;
  /** URL first: the ticket this URL shows, or null when it is not a ticket page. Works on any hostname (custom domains). */
  refFromUrl(url: URL): TicketRef | null;
  /** DOM second, optional: what the page shows of that ticket; tolerate absence of everything. */
  readDetails(doc: Document, ref: TicketRef): TicketDetails;
  /** True once the page shows this ticket (its title element for that key is in the DOM); used to know SPA navigation has rendered. */
  isRendered(doc: Document, ref: TicketRef): boolean;
}
