/**
 * Asana (`app.asana.com`): a task opened in the task pane or full screen, through either URL format.
 * Key: the task gid (digits), host `url.host`. Asana recycles rows and panes, so everything is keyed on the gid
 * from the URL; the DOM never says which task it shows (no gid in the pane), and is only read for details.
 */
import type { ContainerRead, TicketRef } from '../../shared/ref';
import {
  all,
  containerRead,
  distinctReads,
  first,
  firstAll,
  firstText,
  linkUrl,
  shownSlots,
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

/**
 * Every selector the Asana adapter reads, newest generation first. Asana has no `data-testid`: class names only,
 * which change with its releases. Title and project are the documented hooks (hosts.md, Toggl's asana.js);
 * assignee and completion have no stable hook and are best effort.
 */
export const SELECTORS = {
  /** The task's fields (Assignee, Due date, Projects), where the Goal row goes first. */
  goalPanel: ['.TaskPane .TaskPaneFields'],
  /** The task pane, docked beside a list/board or full screen (`/f`, `FullWidthTaskPane` modifier). */
  pane: ['.TaskPane'],
  title: [
    // Task pane and full screen (2020–): <div class="TaskPaneTitle"><textarea aria-label="Task Name">…</textarea></div>
    '.TaskPane .TaskPaneTitle textarea',
    // Same field found by its accessible name, when the wrapper class changes
    // (list rows carry task-name textareas too, so the title is only ever read inside the pane)
    '.TaskPane textarea[aria-label="Task Name"]',
  ],
  project: [
    // Task pane project header link (Toggl's asana.js, 2023–)
    '.TaskPane .TaskPaneFields-projectHeader a.HiddenNavigationLink',
    // Task pane project token (2020–): <div class="TaskProjects-projectTokenPill"><span>Payments Q3</span></div>
    '.TaskPane .TaskProjectTokenPill-tokenPillWrapper .TaskProjects-projectTokenPill span',
    '.TaskPane .TaskProjects-projectTokenPill',
  ],
  /**
   * Assignee: not in hosts.md and without a documented hook; these are the class names of the assignee token
   * in the task pane's fields (2022–2025 markup, unverified against a live page). Empty when absent.
   */
  assignee: [
    '.TaskPane .TaskPaneAssigneeToken .TokenizerPillBase-name',
    '.TaskPane .TaskPaneAssigneeToken-tokenButton .TokenizerPillBase-name',
    '.TaskPane [aria-label^="Assignee"] .TokenizerPillBase-name',
  ],
  /** The assignee token when nobody is assigned ("No assignee"): shown empty, not absent. */
  unassigned: [
    '.TaskPane .TaskPaneAssigneeToken-tokenButton--unassigned',
    '.TaskPane .TaskPaneAssigneeToken-placeholder',
  ],
  /**
   * Completion: the toolbar's toggle ("Mark complete" / "Completed"). Not in hosts.md; the `--isCompleted`
   * modifier and the button text are read, unverified against a live page. Null when absent.
   */
  completion: ['.TaskPane .TaskPaneToolbar .TaskCompletionToggleButton', '.TaskPane .TaskCompletionToggleButton'],
  completedModifier: 'TaskCompletionToggleButton--isCompleted',
  /**
   * A subtask's ancestry above its title, root first: the last link is the parent task (the Asana
   * Navigator extension reads it so). Top-level tasks show none.
   */
  parent: ['.TaskPane .TaskAncestry-ancestorLink', '.TaskPane .TaskAncestry a.NavigationLink'],
  /**
   * The Projects field: a token per project, linking to it (`.TaskProjects .TaskProjectTokenPill-name`
   * inside its `.BaseLink`, as other extensions read it). The section shown beside each token is a
   * dropdown without the section's gid, so no section is read.
   */
  projects: ['.TaskPane .TaskProjects'],
  /** Inside a project token, the element holding the project's name alone. */
  projectName: ['.TaskProjectTokenPill-name', '.TaskProjects-projectTokenPill span', '.TaskProjectToken-projectName'],
} as const;

// ---------------------------------------------------------------------------------------------
// URL

const GID = /^\d{1,30}$/;

function refFromUrl(url: URL): TicketRef | null {
  const segments = url.pathname.split('/').filter(Boolean);
  const [format, second, third, fourth] = segments;
  const host = url.host.toLowerCase();
  // V0: /0/PROJECT/TASK or /0/PROJECT/TASK/f (PROJECT 0 = none, e.g. My Tasks); /0/PROJECT/list is not a task.
  if (format === '0') {
    const fullScreen = segments.length === 4 && fourth === 'f';
    if ((segments.length === 3 || fullScreen) && second && GID.test(second) && third && GID.test(third)) {
      return validRef({ source: 'asana', host, key: third });
    }
    return null;
  }
  // V1: /1/WORKSPACE/project/PROJECT/task/TASK or /1/WORKSPACE/task/TASK, then optional /comment/ID, /f, ...
  // Before `task`, only `<kind>/<gid>` pairs (project/P, and the like); project-only URLs have no `task`.
  if (format === '1' && second && GID.test(second)) {
    const task = segments.indexOf('task', 2);
    if (task < 0) return null;
    const gid = segments[task + 1];
    const between = segments.slice(2, task);
    const pairs = between.every((segment, i) => (i % 2 === 0 ? /^[a-z_]+$/.test(segment) : GID.test(segment)));
    if (gid && GID.test(gid) && between.length % 2 === 0 && pairs) {
      return validRef({ source: 'asana', host, key: gid });
    }
  }
  return null;
}

/** The project a URL shows, when it shows a project and not a task: `/0/PROJECT/list`, `/1/WS/project/PROJECT/board/...`. */
export function asanaContainerFromUrl(url: URL): TicketRef | null {
  if (refFromUrl(url)) return null;
  const segments = url.pathname.split('/').filter(Boolean);
  const host = url.host.toLowerCase();
  const projectAt = segments.indexOf('project', 2);
  const project =
    segments[0] === '0' ? segments[1] : segments[0] === '1' && projectAt > 0 ? segments[projectAt + 1] : undefined;
  // /0/0/... is My Tasks, not a project.
  return project && project !== '0' && GID.test(project)
    ? validRef({ source: 'asana', host, key: `project/${project}` })
    : null;
}

// ---------------------------------------------------------------------------------------------
// DOM

/** The selectors an adapter reads: the built-in ones, or published ones before them. */
type Selectors = Widened<typeof SELECTORS>;

function readCompletion(S: Selectors, doc: Document): { state: string | null; closed: boolean | null } {
  const toggle = first(doc, S.completion);
  if (!toggle) return { state: null, closed: null };
  const text = textOf(toggle) ?? '';
  const closed =
    toggle.classList.contains(S.completedModifier) ||
    toggle.getAttribute('aria-pressed') === 'true' ||
    /^completed?$/i.test(text);
  return { state: closed ? 'Completed' : 'Incomplete', closed };
}

/** The assignee token's name, [] when it shows nobody, null when the pane does not show the token. */
function readAssignee(S: Selectors, doc: Document): string[] | null {
  const name = firstText(doc, S.assignee);
  if (name !== null) return [name];
  return first(doc, S.unassigned) ? [] : null;
}

/** A project's gid in its link: V0 `/0/PROJECT/...` (0 is no project), V1 `/1/WORKSPACE/project/PROJECT/...`. */
function projectGid(url: URL): string | null {
  const [format, ...rest] = url.pathname.split('/').filter(Boolean);
  let gid: string | undefined;
  if (format === '0') gid = rest[0];
  else if (format === '1' && rest.includes('project')) gid = rest[rest.indexOf('project') + 1];
  return gid && gid !== '0' && GID.test(gid) ? gid : null;
}

/** The parent task: the ancestry's last link; null when the pane shows no ancestry (a top-level task). */
function readParent(S: Selectors, doc: Document, ref: TicketRef): ContainerRead[] | null {
  const link = firstAll(doc, S.parent).at(-1);
  const url = link && linkUrl(link, ref.host);
  const parent = url && refFromUrl(url);
  const read = link && parent && parent.key !== ref.key ? containerRead(parent, textOf(link)) : null;
  return read ? [read] : null;
}

/** The projects: [] when the field holds no token; null when it is not shown, or its tokens link nowhere known. */
function readProjects(S: Selectors, doc: Document, ref: TicketRef): ContainerRead[] | null {
  const field = first(doc, S.projects);
  if (!field) return null;
  const reads = [...all(field, 'a[href]')].map((link) => {
    const url = linkUrl(link, ref.host);
    const gid = url && projectGid(url);
    const name = firstText(link, S.projectName) ?? withoutGlyphs(textOf(link));
    return gid ? containerRead({ source: 'asana', host: ref.host, key: `project/${gid}` }, name) : null;
  });
  if (reads.some(Boolean)) return distinctReads(reads);
  return first(field, S.projectName) ? null : [];
}

function readDetails(S: Selectors, doc: Document, ref: TicketRef): TicketDetails {
  const { state, closed } = readCompletion(S, doc);
  return {
    title: firstText(doc, S.title),
    state,
    closed,
    assignees: readAssignee(S, doc),
    project: firstText(doc, S.project),
    signedInUser: null,
    estimate: null,
    containers: shownSlots({ parent: readParent(S, doc, ref), projects: readProjects(S, doc, ref) }),
  };
}

/**
 * A task pane with a non-empty title is in the DOM. Asana's pane carries no gid, so this cannot tell the
 * previous task from this one during in-app navigation; callers re-read after `wxt:locationchange`.
 */
function isRendered(S: Selectors, doc: Document, _ref: TicketRef): boolean {
  const pane = first(doc, S.pane);
  return pane !== null && firstText(pane, S.title) !== null;
}

export const asanaAdapter: HostAdapter = /* @__PURE__ */ selectorAdapter<Selectors>(
  {
    source: 'asana',
    refFromUrl,
    readDetails,
    isRendered,
    merge: (published) => mergePublished(SELECTORS, published, OVERRIDABLE.asana),
  },
  SELECTORS,
);
