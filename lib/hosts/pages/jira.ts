/**
 * Jira Cloud (`*.atlassian.net`) and Jira Server / Data Center on any domain, optionally under a context path.
 * Key: the issue key exactly as the URL writes it (upper case; `pay-1` is not a key), host `url.host`.
 */
import { type ContainerRead, encodeName, projectOfRef, type TicketRef } from '../../shared/ref';
import {
  all,
  collapsed,
  containerRead,
  containsToken,
  distinct,
  distinctReads,
  first,
  firstAll,
  firstText,
  linkUrl,
  metaContent,
  personName,
  type Root,
  shownSlots,
  stateMeansDone,
  textOf,
  validRef,
  withoutGlyphs,
} from './dom';
import {
  type HostAdapter,
  mergePublished,
  OVERRIDABLE,
  selectorAdapter,
  type TicketDetails,
  type Widened,
} from './types';

/** Project key, then the issue number. Admins may allow digits and underscores after the first letter. */
const KEY = '[A-Z][A-Z0-9_]+-[1-9]\\d*';
const WHOLE_KEY = new RegExp(`^${KEY}$`);

/**
 * Every selector the Jira adapter reads, newest generation first. Cloud's `data-testid` replaced `data-test-id`
 * around 2021; keep the old attribute while Server/DC plugins and cached Cloud bundles still show it.
 */
export const SELECTORS = {
  /** The panel of the issue's fields (Details), where the Goal row goes first. */
  goalPanel: [
    // Cloud issue view and board side panel (2020–): the Details group of the context column
    '[data-testid="issue.views.issue-base.context.context-items.primary-items"]',
    // Server/DC issue view: the right-hand column of modules (People, Dates)
    '#viewissuesidebar',
  ],
  /**
   * The issue view inside a page that shows other issues too (a board's cards). A full-page issue view has none
   * of these: the whole document is the issue view then.
   */
  issueRoot: [
    // Cloud board, backlog and list side panel (2022–)
    '[data-testid="issue.views.issue-details.issue-layout.compact-layout"]',
    // Server/DC board detail view (pre-2017 and still on DC boards)
    '#ghx-detail-view',
    '#ghx-detail-issue',
  ],
  title: [
    // Cloud issue view, full page and side panel (2020–): <h1 data-testid="issue.views.issue-base.foundation.summary.heading">
    'h1[data-testid="issue.views.issue-base.foundation.summary.heading"]',
    // Cloud, older attribute (2019–2021)
    'h1[data-test-id="issue.views.issue-base.foundation.summary.heading"]',
    // Server/DC classic issue page: <h1 id="summary-val">
    '#summary-val',
    // Server/DC board detail view: <div data-field-id="summary">
    '#ghx-detail-issue [data-field-id="summary"]',
  ],
  /** Where the page shows the key of the issue it displays. */
  key: [
    // Cloud breadcrumbs (2020–): the current issue's key link sits in this container
    '[data-testid="issue.views.issue-base.foundation.breadcrumbs.breadcrumb-current-issue-container"]',
    // Cloud, older attribute (Toggl's 2020 Jira script)
    '[data-test-id="issue.views.issue-base.foundation.breadcrumbs.breadcrumb-current-issue-container"]',
    // Server/DC classic issue page: <a id="key-val" href="/browse/PAY-318">PAY-318</a>
    '#key-val',
    // Server/DC board detail view
    '#ghx-detail-issue .ghx-fieldname-issuekey a',
  ],
  /** Server/DC pages name the issue in a meta tag as well: `<meta name="ajs-issue-key" content="PAY-318">`. */
  keyMeta: ['meta[name="ajs-issue-key"]'],
  state: [
    // Cloud (2020–): the status button inside the wrapper shows the status name
    '[data-testid="issue.views.issue-base.foundation.status.status-field-wrapper"] button',
    '[data-testid="issue.views.issue-base.foundation.status.status-field-wrapper"]',
    '[data-test-id="issue.views.issue-base.foundation.status.status-field-wrapper"] button',
    '[data-test-id="issue.views.issue-base.foundation.status.status-field-wrapper"]',
    // Server/DC classic: <span id="status-val"><span class="jira-issue-status-lozenge …">In Progress</span></span>
    '#status-val .jira-issue-status-lozenge',
    '#status-val',
  ],
  /** Server/DC: the status lozenge's colour is its category; `-success` is the done category. */
  doneLozenge: ['#status-val .jira-issue-status-lozenge-success', '#status-val .jira-issue-status-lozenge-done'],
  assignee: [
    // Cloud (2020–): the name alone, <span data-testid="issue.views.field.user.assignee.name">
    '[data-testid="issue.views.field.user.assignee.name"]',
    // Cloud (2020–): <div data-testid="issue.views.field.user.assignee"> avatar + <span>Dana Scully</span>;
    // its text may carry the label and the avatar's initials ("Assignee SR Sam Rivera"): see personName
    '[data-testid="issue.views.field.user.assignee"]',
    '[data-test-id="issue.views.field.user.assignee"]',
    // Server/DC classic: <span id="assignee-val"><span class="user-hover" rel="dscully">…Dana Scully</span></span>
    '#assignee-val .user-hover',
    '#assignee-val',
  ],
  /** What the assignee field shows when nobody is assigned (Cloud and Server, English UI). */
  unassigned: /^(?:unassigned|automatic|none)$/i,
  /**
   * Story points: the field is a custom field with an instance-specific id, so it is found by its label.
   * Labels are `h2`/`h3`/`label`/`strong[title]` whose text is one of `estimateLabels`; the value is the first
   * number in the label's next sibling, or in its parent's next sibling (Cloud: heading and value in adjacent
   * cells; Server/DC: `<strong title="Story Points"><label>Story Points:</label></strong><div class="value">5.0</div>`).
   */
  estimateLabel: [
    'strong[title]',
    'label',
    'h2',
    'h3',
    '[data-testid$="field-heading"]',
    // Cloud's "Story point estimate" (team-managed) in the Details: <span class="field-label">
    '.field-label',
  ],
  estimateLabels: /^(?:story points?|story point estimate)\s*:?$/i,
  /** Signed-in user: full name first (assignees are display names), then the username / account id. */
  signedInUser: [
    // Server/DC: <meta name="ajs-remote-user-fullname" content="Dana Scully">
    'meta[name="ajs-remote-user-fullname"]',
    // Server/DC 8+, some Cloud pages
    'meta[name="ajs-current-user-fullname"]',
    // Server/DC username; Cloud account id
    'meta[name="ajs-remote-user"]',
    'meta[name="ajs-atlassian-account-id"]',
  ],
  /** The issue above this one, in the field or breadcrumb that shows it; a link to `/browse/KEY` inside. */
  parent: [
    // Cloud Parent field (2023–, epics included): <div data-testid="issue-field-parent.ui.read-view-container">
    // <a data-testid="issue-field-parent.ui.view-link" href="/browse/PAY-300">PAY-300 Summary</a>, or the
    // empty value <span data-testid="issue-field-parent.ui.view-read-view-empty-value">None</span>
    '[data-testid="issue-field-parent.ui.read-view-container"]',
    // Cloud breadcrumbs (2020–): the parent's key link, without its summary
    '[data-testid="issue.views.issue-base.foundation.breadcrumbs.breadcrumb-parent-issue-container"]',
    '[data-testid="issue.views.issue-base.foundation.breadcrumbs.parent-issue.item"]',
    '[data-test-id="issue.views.issue-base.foundation.breadcrumbs.parent-issue.item"]',
    // Server/DC sub-task breadcrumb: <a id="parent_issue_summary" data-issue-key="OPS-7" title="Summary" href="/browse/OPS-7">
    '#parent_issue_summary',
  ],
  /** A parent field showing no parent. */
  noParent: ['[data-testid="issue-field-parent.ui.view-read-view-empty-value"]'],
  /** The older Epic Link: Server/DC `gh-epic-link` custom field, <a class="aui-label ghx-label-2" href="/browse/KEY">Epic name</a>. */
  epic: ['#customfieldmodule .type-gh-epic-link', '.type-gh-epic-link'],
  labels: [
    // Cloud (2026): the Labels field's own container (`issue.views.issue-base.context.labels` is shared by other fields)
    '[data-testid="issue-view-product-templates-item-list.ui.sortable-item-list.sortable-item-container-labels"]',
    // Cloud (2024–), named as its select fields are (`…select-inline-edit.fixVersions`): a bare name per label
    '[data-testid="issue.views.field.select.common.select-inline-edit.labels"]',
    // Cloud, older attribute: <div data-test-id="issue.views.field.labels"><a href="/issues/?jql=labels…">
    '[data-test-id="issue.views.field.labels"]',
    // Server/DC: <div id="wrap-labels"><div class="labels-wrap value"><ul class="labels"><li><a class="lozenge"
    // title="refunds" href="…"><span>refunds</span></a></li>…, or <span class="labels">None</span>
    '#wrap-labels .labels-wrap',
  ],
  /** In the labels field, one label each: Server/DC lozenges (not the edit link), Cloud's search links, its bare names. */
  labelItems: ['a.lozenge', 'a[href*="labels"]', ':scope > span'],
  /** A labels field showing none: Server/DC's `span.labels` (its "None" is translated). */
  noLabels: ['span.labels'],
  /** What Cloud writes in an empty field (English UI; a translated one reads as not shown). */
  noneText: /^(?:labels:?\s*)?none$/i,
} as const;

// ---------------------------------------------------------------------------------------------
// URL

/** Paths that name the issue, each under any context path. */
const PATHS: RegExp[] = [
  // Issue page, Cloud and Server: /browse/KEY, /jira/browse/KEY, /context/browse/KEY
  new RegExp(`(?:^|/)browse/(${KEY})(?:/|$)`),
  // Service desk queue with an issue open: /jira/servicedesk/projects/P/queues/custom/N/KEY
  new RegExp(`(?:^|/)queues/(?:[^/]+/)*(${KEY})(?:/|$)`),
  // Server/DC project issue view, Cloud issue list: /projects/PROJ/issues/KEY
  new RegExp(`(?:^|/)projects/[^/]+/issues/(${KEY})(?:/|$)`),
];

function refFromUrl(url: URL): TicketRef | null {
  const host = url.host.toLowerCase();
  for (const pattern of PATHS) {
    const key = pattern.exec(url.pathname)?.[1];
    if (key) return validRef({ source: 'jira', host, key });
  }
  // Board, backlog, list, timeline with an issue open: ?selectedIssue=KEY (any path, no other parameter needed).
  const selected = url.searchParams.get('selectedIssue');
  if (selected && WHOLE_KEY.test(selected)) return validRef({ source: 'jira', host, key: selected });
  return null;
}

const JQL_PROJECT = /\bproject\s*(?:=|in\s*\()\s*"?([A-Z][A-Z0-9_]*)"?/i;
const JQL_LABEL = /\blabels\s*(?:=|in\s*\()\s*(?:"([^"]+)"|([^\s)"]+))/i;

/**
 * The container a URL shows: a label within a project, as an issue search for both
 * (`/issues/?jql=project = PAY AND labels = refunds`, either order). Epics are tickets (refFromUrl).
 */
export function jiraContainerFromUrl(url: URL): TicketRef | null {
  const jql = url.searchParams.get('jql');
  if (!jql) return null;
  const project = JQL_PROJECT.exec(jql)?.[1]?.toUpperCase();
  const label = JQL_LABEL.exec(jql);
  const name = label?.[1] ?? label?.[2];
  if (!project || !name) return null;
  return validRef({ source: 'jira', host: url.host.toLowerCase(), key: `${project}/label/${encodeName(name)}` });
}

// ---------------------------------------------------------------------------------------------
// DOM

/** The selectors an adapter reads: the built-in ones, or published ones before them. */
type Selectors = Widened<typeof SELECTORS>;

/** Where to read: the issue view when it is found (a board shows other issues' cards around it), else the page. */
function issueRoot(S: Selectors, doc: Document): Root {
  return first(doc, S.issueRoot) ?? doc;
}

function readTitle(S: Selectors, doc: Document, ref: TicketRef): string | null {
  const title = firstText(issueRoot(S, doc), S.title) ?? firstText(doc, S.title);
  if (title) return title;
  // "[PAY-318] Fix refund rounding - Jira": only for this key.
  const prefix = `[${ref.key}] `;
  const pageTitle = doc.title.replace(/\s+/g, ' ').trim();
  if (!pageTitle.startsWith(prefix)) return null;
  const rest = pageTitle.slice(prefix.length);
  const dash = rest.lastIndexOf(' - ');
  return (dash > 0 ? rest.slice(0, dash) : rest).trim() || null;
}

function readAssignees(S: Selectors, doc: Document): string[] | null {
  const name = personName(firstText(issueRoot(S, doc), S.assignee) ?? firstText(doc, S.assignee), 'Assignee');
  if (name === null) return null;
  return S.unassigned.test(name) ? [] : distinct([name]);
}

function numberIn(element: Element | null | undefined): number | null {
  const match = /-?\d+(?:[.,]\d+)?/.exec(textOf(element) ?? '');
  if (!match) return null;
  const value = Number(match[0].replace(',', '.'));
  return Number.isFinite(value) && value >= 0 ? value : null;
}

function readEstimate(S: Selectors, doc: Document): number | null {
  const root = issueRoot(S, doc);
  for (const label of all(root, S.estimateLabel.join(', '))) {
    const text = textOf(label) ?? label.getAttribute('title') ?? '';
    if (!S.estimateLabels.test(text)) continue;
    const value = numberIn(label.nextElementSibling) ?? numberIn(label.parentElement?.nextElementSibling);
    if (value !== null) return value;
  }
  return null;
}

const BROWSE_KEY = new RegExp(`(?:^|/)browse/(${KEY})(?:/|$)`);

/** The issue an element names: its `data-issue-key`, else its `/browse/KEY` link on this host. */
function keyOf(element: Element, host: string): string | null {
  const key = element.getAttribute('data-issue-key') ?? element.getAttribute('data-issuekey');
  if (key && WHOLE_KEY.test(key)) return key;
  return BROWSE_KEY.exec(linkUrl(element, host)?.pathname ?? '')?.[1] ?? null;
}

/** The issue a field links to (the field itself or a link inside it), with its summary when shown beside the key. */
function linkedIssue(field: Element, ref: TicketRef): ContainerRead | null {
  for (const link of [field, ...all(field, 'a[href], [data-issue-key], [data-issuekey]')]) {
    const key = keyOf(link, ref.host);
    if (!key || key === ref.key) continue;
    const summary = link.getAttribute('title') ?? textOf(link)?.replace(key, '');
    return containerRead({ source: 'jira', host: ref.host, key }, collapsed(summary));
  }
  return null;
}

/** The parent (or epic): [] when the field shows none, null when no field shows it. */
function readIssueField(
  root: Root,
  ref: TicketRef,
  fields: readonly string[],
  none: readonly string[],
): ContainerRead[] | null {
  const field = first(root, fields);
  if (!field) return null;
  if (first(field, none)) return [];
  const read = linkedIssue(field, ref);
  return read ? [read] : null;
}

function readLabels(S: Selectors, root: Root, ref: TicketRef): ContainerRead[] | null {
  const field = first(root, S.labels);
  const project = projectOfRef(ref);
  if (!field || !project) return null;
  if (first(field, S.noLabels) || S.noneText.test(textOf(field) ?? '')) return [];
  const reads = firstAll(field, S.labelItems).map((item) => {
    const name = collapsed(item.getAttribute('title') ?? textOf(item));
    return name
      ? containerRead({ source: 'jira', host: ref.host, key: `${project}/label/${encodeName(name)}` }, name)
      : null;
  });
  return reads.some(Boolean) ? distinctReads(reads) : null;
}

function readDetails(S: Selectors, doc: Document, ref: TicketRef): TicketDetails {
  const root = issueRoot(S, doc);
  const state = withoutGlyphs(firstText(root, S.state) ?? firstText(doc, S.state));
  const doneLozenge = first(doc, S.doneLozenge) !== null;
  return {
    title: readTitle(S, doc, ref),
    state,
    closed: state === null ? null : doneLozenge || stateMeansDone(state),
    assignees: readAssignees(S, doc),
    project: projectOfRef(ref),
    signedInUser: metaContent(doc, S.signedInUser),
    estimate: readEstimate(S, doc),
    containers: shownSlots({
      parent: readIssueField(root, ref, S.parent, S.noParent),
      epic: readIssueField(root, ref, S.epic, []),
      labels: readLabels(S, root, ref),
    }),
  };
}

/** The summary heading is in the DOM and the page names this key beside it (breadcrumb, #key-val or meta). */
function isRendered(S: Selectors, doc: Document, ref: TicketRef): boolean {
  if (!firstText(doc, S.title)) return false;
  for (const selector of S.key) {
    for (const element of all(doc, selector)) {
      if (containsToken(textOf(element), ref.key)) return true;
    }
  }
  return metaContent(doc, S.keyMeta) === ref.key;
}

export const jiraAdapter: HostAdapter = /* @__PURE__ */ selectorAdapter<Selectors>(
  {
    source: 'jira',
    refFromUrl,
    readDetails,
    isRendered,
    merge: (published) => mergePublished(SELECTORS, published, OVERRIDABLE.jira),
  },
  SELECTORS,
);
