/**
 * GitHub (github.com and GitHub Enterprise Server on any hostname): issues, pull requests on every tab,
 * and issues opened in a Projects side panel. Key `OWNER/REPO#N`, host `url.host`.
 *
 * URL parsing uses `github-url-detection` (the package refined-github uses) for the repository part:
 * `utils.getRepositoryInfo(url)` is pure when given a URL, works on any hostname and knows GitHub's reserved
 * top-level names (orgs, settings, marketplace, ...). Its `isIssue`/`isPR` are not used: `isIssue` also reads
 * the global `document.title`, `isPR` refuses the `/conflicts` tab, and neither knows the Projects `?issue=`
 * parameter; those three paths are matched here instead.
 */
import { utils } from 'github-url-detection';
import { type ContainerRead, type ContainerReads, encodeName, type TicketRef } from '../../shared/ref';
import {
  all,
  closest,
  collapsed,
  containerRead,
  distinct,
  distinctReads,
  first,
  firstText,
  linkUrl,
  metaContent,
  nameOf,
  shownSlots,
  textOf,
  ticketNumber,
  validRef,
} from './dom';
import {
  type HostAdapter,
  mergePublished,
  OVERRIDABLE,
  selectorAdapter,
  type TicketDetails,
  type Widened,
  withPublished,
} from './types';

/**
 * Every selector the GitHub adapter reads, newest generation first. Old and new stand side by side; drop a
 * classic selector only once no supported GitHub Enterprise Server version renders that view.
 */
export const SELECTORS = {
  /** The column of the ticket's own fields, where the Goal row goes first. */
  goalPanel: [
    // React issue view and the Projects issue pane: <div data-testid="issue-viewer-metadata-container">
    '[data-testid="issue-viewer-metadata-container"]',
    // Classic issues and pull requests (and GHES): <div id="partial-discussion-sidebar">
    '#partial-discussion-sidebar',
  ],
  title: [
    // React issue view (github.com since 2024, also the issue pane of Projects):
    // <h1 data-component="PH_Title"><bdi data-testid="issue-title" class="markdown-title">…</bdi><span>#N</span></h1>
    '[data-testid="issue-title"]',
    // React pull request header (github.com 2025, every PR tab): the title is the .markdown-title inside PH_Title
    'h1[data-component="PH_Title"] .markdown-title',
    // React PR header without the inner span: the trailing "#N" is stripped below
    'h1[data-component="PH_Title"]',
    // Classic issue and PR view (github.com until 2024, GHES; the dotnet/runtime#30402 fixture, Dec 2023):
    // <h1 class="gh-header-title"><bdi class="js-issue-title markdown-title">…</bdi><span>#N</span></h1>
    '.gh-header-title .js-issue-title',
    // Classic sticky header copy of the title: <a class="js-issue-title …">
    '.js-issue-title',
  ],
  /** The header the title sits in, read to see that its number is this ticket's (SPA navigation has rendered). */
  titleHeader: [
    // React issue and PR header
    'h1[data-component="PH_Title"]',
    '[data-testid="issue-header"]',
    // Classic header, and the React Projects pane, whose title is an h2/h1 with the number beside it
    '.gh-header-title',
    'h1',
    'h2',
  ],
  /** Classic view: the number beside the title, `#30402`. */
  number: ['.gh-header-title .f1-light', '.gh-header-number'],
  state: [
    // React issue view header (2024–): <span data-testid="header-state">Open</span>
    '[data-testid="header-state"]',
    // React PR header (2025), Primer StateLabel: <span class="prc-StateLabel-StateLabel-Iawzp" data-status="pullMerged">
    '[class^="prc-PageLayout-Header"] [class^="prc-StateLabel-StateLabel"]',
    '[class*="prc-StateLabel-StateLabel"][data-status]',
    // Classic header (issue and PR, GHES; dotnet/runtime#30402): <span class="State State--merged" title="Status: Closed">
    '.gh-header-meta .State',
    '.State',
  ],
  assignees: {
    /** Sections that list assignees; a link in them names one login. */
    sections: [
      // React issue view sidebar (2024–): <div data-testid="sidebar-assignees-section"> … <a href="/octocat">
      '[data-testid="sidebar-assignees-section"]',
      // Classic sidebar (issue and PR, GHES; dotnet/runtime#30402 shows "No one assigned"):
      // <span class="css-truncate js-issue-assignees"><p><a class="assignee" href="/octocat">…</a></p></span>
      '#partial-discussion-sidebar .js-issue-assignees',
      '.js-issue-assignees',
    ],
    /** Inside a section: the links to people (React: `a[href="/login"]`; classic: `a.assignee` with a hovercard). */
    links: 'a[href], a[data-hovercard-url]',
  },
  /** `<meta name="octolytics-dimension-repository_nwo" content="dotnet/runtime">` on every repository page. */
  repository: ['meta[name="octolytics-dimension-repository_nwo"]'],
  /** The signed-in login: `<meta name="user-login" content="viewer">`, empty when signed out. */
  signedInUser: ['meta[name="user-login"]', 'meta[name="octolytics-actor-login"]'],
  /**
   * Where a sub-issue names its parent: a link to an issue labelled "Parent" there. GitHub documents it
   * below the title ("Parent: create a scoreboard", docs.github.com, browsing sub-issues) and lists it in
   * the sidebar's Relationships section (with "Blocked by" and "Blocking", which are not parents). Pull
   * requests and the classic view have no sub-issues.
   */
  parent: ['[data-testid="sidebar-relationships-section"]', '[data-testid="issue-header"]'],
  milestone: [
    // React issue view (2024–): <div data-testid="sidebar-milestones-section"> … <a href="/o/r/milestone/3">
    '[data-testid="sidebar-milestones-section"]',
    // Classic sidebar (issues, PRs, GHES; dotnet/runtime#30402): <form aria-label="Select milestones">; the
    // narrow layout repeats the milestone above the conversation, outside the sidebar
    '#partial-discussion-sidebar form[aria-label="Select milestones"]',
    'form[aria-label="Select milestones"]',
  ],
  labels: [
    // React issue view: <div data-testid="sidebar-labels-section"> … <a href="…?q=label%3A%22bug%22">
    '[data-testid="sidebar-labels-section"]',
    // Classic sidebar: <div class="js-issue-labels"><a class="IssueLabel" data-name="bug" href="/o/r/labels/bug">
    '#partial-discussion-sidebar .js-issue-labels',
    '.js-issue-labels',
  ],
  projects: [
    // React issue view: <div data-testid="sidebar-projects-section"> … <a href="/orgs/o/projects/7">
    '[data-testid="sidebar-projects-section"]',
    // Classic sidebar: <form aria-label="Select projects">, a project widget per project (refined-github
    // finds its link as `[aria-label="Select projects"] .Link--primary`)
    '#partial-discussion-sidebar form[aria-label="Select projects"]',
    'form[aria-label="Select projects"]',
  ],
  /** In a section: the links that name what it holds. */
  containerLinks: {
    parent: 'a[href*="/issues/"]',
    milestone: 'a[href*="/milestone/"]',
    labels: 'a[href*="label"], .IssueLabel',
    projects: 'a[href*="/projects/"]',
  },
  /** Inside such a link, the element holding the name alone (React's Primer token text, classic truncation). */
  containerNames: ['[class*="prc-Token-Text"]', '.css-truncate-target'],
  /** A section's edit menu: the classic sidebar loads every choice into it once it is opened. */
  editMenus: ['details-menu', '[role="menu"]'],
  /** The label beside the parent link. */
  parentLabel: /^parent(?: issue)?:?$/i,
  /** The due date the React view writes after a milestone's name ("Q3 payouts Due by September 30, 2025"). */
  milestoneDue: /\s+(?:no due date|(?:past )?due (?:by|on) .*)$/i,
  /** What a section ends with when it holds nothing ("None yet", "No milestone"; its heading runs into it). */
  emptyText: /(?:none yet|no milestone|no labels|no projects)$/i,
} as const;

// ---------------------------------------------------------------------------------------------
// URL

const PULL_TABS = new Set(['files', 'commits', 'checks', 'changes', 'conflicts']);
const PROJECT_OWNER_KINDS = new Set(['orgs', 'users']);

function githubRef(host: string, owner: string, repo: string, number: string): TicketRef | null {
  return validRef({ source: 'github', host: host.toLowerCase(), key: `${owner}/${repo}#${number}` });
}

/** `/orgs/O/projects/N/...` or `/users/U/projects/N/...` with `?pane=issue&issue=OWNER%7CREPO%7CN`. */
function refFromProjectPane(url: URL): TicketRef | null {
  const [kind, owner, projects, projectNumber] = utils.getCleanPathname(url).split('/');
  if (!kind || !PROJECT_OWNER_KINDS.has(kind) || !owner || projects !== 'projects' || !ticketNumber(projectNumber)) {
    return null;
  }
  const params = url.searchParams;
  if (params.get('pane') !== 'issue') return null;
  const parts = (params.get('issue') ?? '').split('|');
  if (parts.length !== 3) return null;
  const [issueOwner, issueRepo, issueNumber] = parts;
  const number = ticketNumber(issueNumber);
  if (!issueOwner || !issueRepo || !number) return null;
  return githubRef(url.host, issueOwner, issueRepo, number);
}

function refFromUrl(url: URL): TicketRef | null {
  const repository = utils.getRepositoryInfo(url);
  if (!repository) return refFromProjectPane(url);
  const [kind, numberPart, tab] = repository.path.split('/');
  const number = ticketNumber(numberPart);
  if (!number) return null;
  if (kind === 'issues' && tab === undefined) {
    return githubRef(url.host, repository.owner, repository.name, number);
  }
  // Every tab of a pull request, with deeper paths such as /commits/<sha> or /changes/<a>..<b>.
  if (kind === 'pull' && (tab === undefined || PULL_TABS.has(tab))) {
    return githubRef(url.host, repository.owner, repository.name, number);
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// DOM

function parts(ref: TicketRef): { repository: string; number: string } {
  const hash = ref.key.lastIndexOf('#');
  return { repository: ref.key.slice(0, hash), number: ref.key.slice(hash + 1) };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `Title · Issue #N · owner/repo` or `Title by author · Pull Request #N · owner/repo`, for this ticket only. */
function titleFromDocumentTitle(doc: Document, ref: TicketRef): string | null {
  const { repository, number } = parts(ref);
  const tail = `#${number} · ${escapeRegExp(repository)}(?: · GitHub.*)?$`;
  const pageTitle = doc.title.replace(/\s+/g, ' ').trim();
  const issue = new RegExp(`^(.+?) · Issue ${tail}`, 'i').exec(pageTitle);
  if (issue?.[1]) return issue[1].trim();
  const pull = new RegExp(`^(.+?)(?: by [A-Za-z0-9-]+(?:\\[bot\\])?)? · Pull Request ${tail}`, 'i').exec(pageTitle);
  return pull?.[1]?.trim() || null;
}

/** The selectors an adapter reads: the built-in ones, or published ones before them. */
type Selectors = Widened<typeof SELECTORS>;

function readTitle(S: Selectors, doc: Document, ref: TicketRef): string | null {
  const title = firstText(doc, S.title);
  if (title) {
    // The bare PH_Title heading ends with the number: "Fix rounding #42".
    const stripped = title.replace(new RegExp(`\\s*#${parts(ref).number}$`), '').trim();
    return stripped || title;
  }
  return titleFromDocumentTitle(doc, ref);
}

/** Primer StateLabel `data-status` values (React view), read when the label shows no text. */
const STATUS_NAMES: Record<string, string> = {
  issueOpened: 'Open',
  issueClosed: 'Closed',
  issueClosedNotPlanned: 'Closed',
  issueDraft: 'Draft',
  pullOpened: 'Open',
  pullClosed: 'Closed',
  pullMerged: 'Merged',
  pullQueued: 'Queued',
  draft: 'Draft',
};

function readState(S: Selectors, doc: Document): string | null {
  const label = first(doc, S.state);
  if (!label) return null;
  return textOf(label) ?? STATUS_NAMES[label.getAttribute('data-status') ?? ''] ?? null;
}

function closedFromState(state: string | null): boolean | null {
  if (!state) return null;
  if (/^(?:closed|merged)\b/i.test(state)) return true;
  if (/^(?:open|opened|reopened|draft|queued)\b/i.test(state)) return false;
  return null;
}

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/;

function decode(component: string): string | null {
  try {
    return decodeURIComponent(component);
  } catch {
    return null;
  }
}

/** The login a person link names: its hovercard URL, else a one-segment href, else its text. */
function loginOf(link: Element): string | null {
  const hovercard = /^\/users\/([^/]+)\/hovercard/.exec(link.getAttribute('data-hovercard-url') ?? '')?.[1];
  const fromHovercard = hovercard ? decode(hovercard) : null;
  if (fromHovercard && LOGIN.test(fromHovercard)) return fromHovercard;
  const href = (link.getAttribute('href') ?? '').replace(/^https?:\/\/[^/]+/i, '').replace(/[?#].*$/, '');
  const segments = href.split('/').filter(Boolean);
  if (href.startsWith('/') && segments.length === 1 && segments[0] && LOGIN.test(segments[0])) return segments[0];
  const text = textOf(link.querySelector('.css-truncate-target') ?? link);
  return text && LOGIN.test(text) ? text : null;
}

function readAssignees(S: Selectors, doc: Document): string[] | null {
  const section = first(doc, S.assignees.sections);
  if (!section) return null;
  return distinct([...all(section, S.assignees.links)].map(loginOf));
}

function readProject(S: Selectors, doc: Document, ref: TicketRef): string {
  const fromUrl = parts(ref).repository;
  const fromMeta = metaContent(doc, S.repository);
  // The meta gives the repository's own spelling; it is trusted only when it names the same repository.
  return fromMeta && fromMeta.toLowerCase() === fromUrl.toLowerCase() ? fromMeta : fromUrl;
}

/** What a section shows: its reads; [] when it says it holds nothing; null when it shows what cannot be named. */
function sectionReads(S: Selectors, section: Element, reads: ContainerRead[]): ContainerRead[] | null {
  if (reads.length) return reads;
  return S.emptyText.test(textOf(section) ?? '') ? [] : null;
}

/** A section's links of one kind, not the choices of its edit menu. */
function sectionLinks(S: Selectors, section: Element, selector: string): Element[] {
  return [...all(section, selector)].filter((link) => !closest(link, S.editMenus));
}

const PARENT_PREFIX = /^parent:/i;

/** Whether a link is labelled as the parent: by its own text's start, or by the text beside it in its row. */
function labelledParent(S: Selectors, link: Element, section: Element): boolean {
  if (PARENT_PREFIX.test(textOf(link) ?? '')) return true;
  for (let node: Element | null = link; node && node !== section; node = node.parentElement) {
    const row = node.parentElement;
    if (!row) return false;
    const beside = (textOf(row) ?? '').replace(textOf(node) ?? '', '').trim();
    if (beside) return S.parentLabel.test(beside);
  }
  return false;
}

function readParent(S: Selectors, doc: Document, ref: TicketRef): ContainerRead[] | null {
  for (const selector of S.parent) {
    for (const section of all(doc, selector)) {
      for (const link of sectionLinks(S, section, S.containerLinks.parent)) {
        const url = linkUrl(link, ref.host);
        const repository = url && utils.getRepositoryInfo(url);
        const [kind, numberPart, rest] = repository ? repository.path.split('/') : [];
        const number = ticketNumber(numberPart);
        if (!repository || kind !== 'issues' || rest !== undefined || !number) continue;
        const parent = githubRef(ref.host, repository.owner, repository.name, number);
        if (!parent || parent.key === ref.key || !labelledParent(S, link, section)) continue;
        // "Parent: Title", or "Title #12" as issue references read.
        const title = textOf(link)
          ?.replace(PARENT_PREFIX, '')
          .replace(new RegExp(`\\s*#${number}$`), '');
        const read = containerRead(parent, collapsed(title));
        if (read) return [read];
      }
    }
  }
  return null;
}

const MILESTONE_PATH = /^\/([^/]+\/[^/]+)\/milestone\/(\d+)\/?$/;
const PROJECT_PATH = /^\/(?:orgs|users)\/([^/]+)\/projects\/(\d+)(?:\/|$)/;

function readMilestone(S: Selectors, doc: Document, ref: TicketRef): ContainerRead[] | null {
  const section = first(doc, S.milestone);
  if (!section) return null;
  const reads = sectionLinks(S, section, S.containerLinks.milestone).map((link) => {
    const [, repository, number] = MILESTONE_PATH.exec(linkUrl(link, ref.host)?.pathname ?? '') ?? [];
    const name = collapsed(nameOf(link, S.containerNames)?.replace(S.milestoneDue, ''));
    return repository ? containerRead(githubKey(ref, `${repository}/milestone/${number}`), name) : null;
  });
  return sectionReads(S, section, distinctReads(reads).slice(0, 1));
}

function readLabels(S: Selectors, doc: Document, ref: TicketRef, repository: string): ContainerRead[] | null {
  const section = first(doc, S.labels);
  if (!section) return null;
  const reads = sectionLinks(S, section, S.containerLinks.labels).map((link) => {
    const name = nameOf(link, S.containerNames);
    return name ? containerRead(githubKey(ref, `${repository}/label/${encodeName(name)}`), name) : null;
  });
  return sectionReads(S, section, distinctReads(reads));
}

function readProjects(S: Selectors, doc: Document, ref: TicketRef): ContainerRead[] | null {
  const section = first(doc, S.projects);
  if (!section) return null;
  const reads = sectionLinks(S, section, S.containerLinks.projects).map((link) => {
    const [, owner, number] = PROJECT_PATH.exec(linkUrl(link, ref.host)?.pathname ?? '') ?? [];
    return owner ? containerRead(githubKey(ref, `${owner}/projects/${number}`), nameOf(link, S.containerNames)) : null;
  });
  return sectionReads(S, section, distinctReads(reads));
}

const LABEL_PATH = /^\/([^/]+\/[^/]+)\/labels\/([^/]+)\/?$/;

/** The container a URL shows: a milestone, a repository's label, or a Project (of an organisation or a user). */
export function githubContainerFromUrl(url: URL): TicketRef | null {
  const at = { source: 'github' as const, host: url.host.toLowerCase(), key: '' };
  const [, repository, number] = MILESTONE_PATH.exec(url.pathname) ?? [];
  if (repository) return validRef(githubKey(at, `${repository}/milestone/${number}`));
  const [, labelled, label] = LABEL_PATH.exec(url.pathname) ?? [];
  if (labelled && label) {
    let name: string;
    try {
      name = decodeURIComponent(label);
    } catch {
      return null;
    }
    return validRef(githubKey(at, `${labelled}/label/${encodeName(name)}`));
  }
  const [, owner, project] = PROJECT_PATH.exec(url.pathname) ?? [];
  return owner ? validRef(githubKey(at, `${owner}/projects/${project}`)) : null;
}

function githubKey(ref: TicketRef, key: string): TicketRef {
  return { source: 'github', host: ref.host, key };
}

function readContainers(S: Selectors, doc: Document, ref: TicketRef, repository: string): ContainerReads {
  return shownSlots({
    parent: readParent(S, doc, ref),
    milestone: readMilestone(S, doc, ref),
    labels: readLabels(S, doc, ref, repository),
    projects: readProjects(S, doc, ref),
  });
}

function readDetails(S: Selectors, doc: Document, ref: TicketRef): TicketDetails {
  const state = readState(S, doc);
  const project = readProject(S, doc, ref);
  return {
    title: readTitle(S, doc, ref),
    state,
    closed: closedFromState(state),
    assignees: readAssignees(S, doc),
    project,
    signedInUser: metaContent(doc, S.signedInUser),
    estimate: null,
    containers: readContainers(S, doc, ref, project),
  };
}

/** `#N` in the text, not as the start of a longer number (`#128` is not in `#1287`; `api#1287` shows `#1287`). */
function showsNumber(text: string | null, number: string): boolean {
  return text !== null && new RegExp(`#${number}(?![0-9])`).test(text);
}

/** The title element is in the DOM and the number beside it (or the page title) is this ticket's. */
function isRendered(S: Selectors, doc: Document, ref: TicketRef): boolean {
  const { repository, number } = parts(ref);
  for (const selector of S.title) {
    for (const title of all(doc, selector)) {
      if (!textOf(title)) continue;
      const header = closest(title, S.titleHeader) ?? title.parentElement;
      // The heading minus the title's own words (a bare PH_Title heading is both: its text ends with the number).
      const titleText = (textOf(title) ?? '').replace(/\s*#\d+$/, '');
      const around = (textOf(header) ?? '').replace(titleText, ' ');
      if (showsNumber(around, number)) return true;
    }
  }
  if (!firstText(doc, S.title)) return false;
  if (showsNumber(firstText(doc, S.number), number)) return true;
  const pageTitle = doc.title.replace(/\s+/g, ' ').toLowerCase();
  return pageTitle.includes(`#${number} · ${repository.toLowerCase()}`);
}

export const githubAdapter: HostAdapter = /* @__PURE__ */ selectorAdapter<Selectors>(
  {
    source: 'github',
    refFromUrl,
    readDetails,
    isRendered,
    merge: (published) => ({
      ...mergePublished(SELECTORS, published, OVERRIDABLE.github),
      // Published `assignees` are sections; the people links inside them stay the built-in ones.
      assignees: {
        ...SELECTORS.assignees,
        sections: withPublished(SELECTORS.assignees.sections, published.assignees),
      },
    }),
  },
  SELECTORS,
);
