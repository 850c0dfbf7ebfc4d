/**
 * A stand-in for Asana's API (`/api/1.0`) that the Asana connector is tested against through the
 * official client: one workspace of users, projects with sections, and tasks with subtasks and a
 * "Story points" field, changed by the test through its controls. Shapes as Asana's OpenAPI
 * (Asana/openapi, asana_oas.yaml) has them: `{ data }` envelopes, `next_page: { offset, path, uri }`
 * on paginated lists, `opt_fields` honoured (compact records without it), errors as
 * `{ errors: [{ message, help }] }`. Each project keeps an event stream whose sync tokens expire
 * after a set age on the stand-in's own clock (412 with a fresh token, as Asana answers); task
 * events bubble up from subtasks to their top-level task's projects, as Asana's do.
 */
import { randomBytes } from 'node:crypto';
import { bearerOf, type FakeAnswer, type FakeHost, type FakeRequest, startFakeHost } from './server';

const API = '/api/1.0';
const HELP =
  'For more information on API status codes and how to handle them, read the docs on errors: https://developers.asana.com/docs/errors';
const DAY_MS = 24 * 60 * 60 * 1000;
const EXPIRED_SYNC =
  'Sync token invalid or too old. If you are attempting to keep resources in sync, you must fetch the full dataset for this query now and use the new sync token for the next sync.';
/** Asana answers at most this many events per request, with `has_more`. */
const EVENTS_PER_ANSWER = 100;
const SECTION_NAMES = ['Backlog', 'Ready', 'In progress', 'Review', 'Done'];
const USER_NAMES = [
  'Ada Okafor',
  'Bilal Haddad',
  'Chen Wei',
  'Dara Whitfield',
  'Elena Petrova',
  'Farid Nasser',
  'Grace Liu',
  'Hiro Tanaka',
];
const VERBS = ['Draft', 'Review', 'Fix', 'Ship', 'Migrate', 'Audit', 'Design', 'Test', 'Document', 'Refactor'];
const OBJECTS = [
  'checkout retry flow',
  'pricing page copy',
  'onboarding e-mails',
  'invoice PDF export',
  'SSO login for Okta',
  'mobile push settings',
  'search indexing job',
  'refund webhook',
  'Q3 roadmap deck',
  'accessibility pass on forms',
  'data retention policy',
  'billing dashboard charts',
];
const POINTS = [1, 2, 3, 5, 8, 13];

export interface FakeAsanaUser {
  gid: string;
  name: string;
  email: string;
}

export interface FakeAsanaTask {
  gid: string;
  name: string;
  notes: string;
  subtype: 'default_task' | 'milestone' | 'approval';
  approvalStatus: 'pending' | 'approved' | null;
  completed: boolean;
  completedAt: number | null;
  createdAt: number;
  modifiedAt: number;
  /** A user gid. */
  assignee: string | null;
  /** The parent task's gid, for a subtask. */
  parent: string | null;
  /** Where a task sits: a subtask usually sits nowhere of its own. */
  memberships: { project: string; section: string }[];
  points: number | null;
  /** Its place in lists: the order it was added in. */
  ordinal: number;
}

/** Fields a test may set on a task it adds or edits. */
export type FakeAsanaFields = Partial<
  Pick<FakeAsanaTask, 'name' | 'notes' | 'subtype' | 'assignee' | 'points' | 'completed'> & { section: string }
>;

export interface FakeAsana extends FakeHost {
  workspace: string;
  /** The token's own user. */
  me: FakeAsanaUser;
  users: readonly FakeAsanaUser[];
  addProject(name: string, options?: { archived?: boolean }): string;
  sectionsOf(project: string): { gid: string; name: string }[];
  /** `count` top-level tasks in the project, with some subtasks (and a few of those with their own); every gid made. */
  seed(project: string, count: number): string[];
  /** A task in a project, or a subtask when `parent` is given. */
  add(place: { project: string } | { parent: string }, fields?: FakeAsanaFields): string;
  edit(gid: string, fields: Pick<FakeAsanaFields, 'name' | 'notes' | 'points'>): void;
  complete(gid: string): void;
  reassign(gid: string, user: string | null): void;
  /** Takes the task out of its projects and into this one, in its first section. */
  moveToProject(gid: string, project: string): void;
  /** Deletes the task and its subtasks. */
  remove(gid: string): void;
  task(gid: string): FakeAsanaTask | undefined;
  /** Every task a crawl of the project should yield: its own and all their subtasks. */
  tasksUnder(project: string): string[];
  now(): number;
  advance(ms: number): void;
  /** Forgets every pagination offset handed out, so the next use of one is refused (400). */
  forgetOffsets(): void;
}

/** Asana's answer to too many requests. */
export const asanaRateLimit = (seconds: number): FakeAnswer => ({
  status: 429,
  headers: { 'retry-after': String(seconds) },
  body: { errors: [{ message: 'You have made too many requests recently. Please, be chill.', help: HELP }] },
});

/** Asana's answer when it is down or overloaded. */
export const asanaServerError = (status = 503): FakeAnswer => ({
  status,
  body: { errors: [{ message: 'Service Unavailable', phrase: 'unavailable asana is sad', help: HELP }] },
});

const fail = (status: number, message: string): FakeAnswer => ({ status, body: { errors: [{ message, help: HELP }] } });

/** A small deterministic generator, so a seeded project looks the same on every run. */
function randomOf(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T };
}

/**
 * Keeps what `opt_fields` asks for: dotted paths into objects and through arrays, with each
 * object's gid always, and an object asked for without a sub-field in its compact form.
 */
function selectFields(value: unknown, paths: readonly string[][]): unknown {
  if (Array.isArray(value)) return value.map((item) => selectFields(item, paths));
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  const selected: Record<string, unknown> = 'gid' in record ? { gid: record.gid } : {};
  const byHead = new Map<string, string[][]>();
  for (const [head, ...rest] of paths) {
    if (head) byHead.set(head, [...(byHead.get(head) ?? []), rest]);
  }
  for (const [head, rests] of byHead) {
    if (!(head in record)) continue;
    const deeper = rests.filter((rest) => rest.length > 0);
    selected[head] = deeper.length > 0 ? selectFields(record[head], deeper) : compactOf(record[head]);
  }
  return selected;
}

function compactOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(compactOf);
  if (typeof value !== 'object' || value === null || !('gid' in value)) return value;
  const { gid, resource_type, name } = value as Record<string, unknown>;
  return { gid, resource_type, ...(name !== undefined && { name }) };
}

function fieldsOf(request: FakeRequest): string[][] | null {
  const asked = request.url.searchParams.get('opt_fields');
  return asked
    ? asked
        .split(',')
        .map((field) => field.trim())
        .filter(Boolean)
        .map((field) => field.split('.'))
    : null;
}

export async function startFakeAsana(options: {
  token: string;
  /** How long a sync token stays good on the stand-in's clock; Asana says 24 hours at most. */
  syncTokenMaxAgeMs?: number;
  /** A fixed port (the demo's); an ephemeral one by default. */
  port?: number;
  /** Where the clock starts. */
  start?: Date;
}): Promise<FakeAsana> {
  const maxTokenAge = options.syncTokenMaxAgeMs ?? DAY_MS;
  let clock = (options.start ?? new Date('2026-10-05T09:00:00Z')).getTime();
  let lastGid = 1_207_000_000_000_000;
  const newGid = () => String(++lastGid);
  let lastOrdinal = 0;

  const workspace = { gid: newGid(), name: 'Acme Corp' };
  const me: FakeAsanaUser = { gid: newGid(), name: 'Morgan Reyes', email: 'morgan@acme.example' };
  const users: FakeAsanaUser[] = USER_NAMES.map((name) => ({
    gid: newGid(),
    name,
    email: `${name.split(' ')[0]?.toLowerCase()}@acme.example`,
  }));
  const userByGid = new Map([me, ...users].map((user) => [user.gid, user]));
  const pointsField = newGid();
  const priorityField = newGid();
  const priorities = ['Low', 'Medium', 'High'].map((name) => ({ gid: newGid(), name }));

  interface Project {
    gid: string;
    name: string;
    archived: boolean;
    sections: { gid: string; name: string }[];
    /** Its tasks in list order. */
    tasks: Set<string>;
    events: { seq: number; body: Record<string, unknown> }[];
  }
  const projects = new Map<string, Project>();
  const sectionOwner = new Map<string, Project>();
  const tasks = new Map<string, FakeAsanaTask>();
  /** Each task's subtasks' gids, in the order they were added. */
  const children = new Map<string, Set<string>>();
  let lastSeq = 0;
  const syncTokens = new Map<string, { resource: string; after: number; issuedAt: number }>();
  let lastOffset = 0;
  const offsets = new Map<string, { list: string; after: number }>();

  const iso = (ms: number) => new Date(ms).toISOString();
  const projectOf = (gid: string) => {
    const project = projects.get(gid);
    if (!project) throw new Error(`no project ${gid} in the Asana stand-in`);
    return project;
  };
  const taskOf = (gid: string) => {
    const task = tasks.get(gid);
    if (!task) throw new Error(`no task ${gid} in the Asana stand-in`);
    return task;
  };
  const childrenOf = (gid: string) => [...(children.get(gid) ?? [])].map(taskOf);
  const descendantsOf = (gid: string): FakeAsanaTask[] =>
    childrenOf(gid).flatMap((child) => [child, ...descendantsOf(child.gid)]);
  const topOf = (task: FakeAsanaTask): FakeAsanaTask => (task.parent ? topOf(taskOf(task.parent)) : task);
  /** The projects whose streams hear of a task: its own, and its top-level task's, as events bubble up. */
  const streamsOf = (task: FakeAsanaTask) =>
    new Set([...task.memberships, ...topOf(task).memberships].map((m) => m.project));

  const userJson = (gid: string | null) => {
    const user = gid ? userByGid.get(gid) : undefined;
    return user ? { gid: user.gid, resource_type: 'user', name: user.name, email: user.email } : null;
  };
  const projectJson = (project: Project) => ({
    gid: project.gid,
    resource_type: 'project',
    name: project.name,
    archived: project.archived,
    workspace: { gid: workspace.gid, resource_type: 'workspace', name: workspace.name },
    permalink_url: `https://app.asana.com/1/${workspace.gid}/project/${project.gid}`,
  });
  const taskJson = (task: FakeAsanaTask) => {
    const parent = task.parent ? tasks.get(task.parent) : undefined;
    const home = task.memberships[0]?.project;
    const priority = priorities[Number(task.gid) % priorities.length];
    return {
      gid: task.gid,
      resource_type: 'task',
      name: task.name,
      resource_subtype: task.subtype,
      ...(task.subtype === 'approval' && { approval_status: task.approvalStatus }),
      completed: task.completed,
      completed_at: task.completedAt === null ? null : iso(task.completedAt),
      created_at: iso(task.createdAt),
      modified_at: iso(task.modifiedAt),
      notes: task.notes,
      assignee: userJson(task.assignee),
      parent: parent
        ? { gid: parent.gid, resource_type: 'task', name: parent.name, resource_subtype: parent.subtype }
        : null,
      memberships: task.memberships.map((m) => ({
        project: { gid: m.project, resource_type: 'project', name: projects.get(m.project)?.name },
        section: {
          gid: m.section,
          resource_type: 'section',
          name: sectionOwner.get(m.section)?.sections.find((s) => s.gid === m.section)?.name,
        },
      })),
      // Custom fields belong to projects: a subtask outside any project has none.
      custom_fields:
        task.memberships.length === 0
          ? []
          : [
              {
                gid: pointsField,
                resource_type: 'custom_field',
                name: 'Story points',
                type: 'number',
                resource_subtype: 'number',
                precision: 0,
                number_value: task.points,
                display_value: task.points === null ? null : String(task.points),
              },
              {
                gid: priorityField,
                resource_type: 'custom_field',
                name: 'Priority',
                type: 'enum',
                resource_subtype: 'enum',
                enum_value: { gid: priority?.gid, resource_type: 'enum_option', name: priority?.name },
                display_value: priority?.name,
              },
            ],
      num_subtasks: children.get(task.gid)?.size ?? 0,
      permalink_url: home
        ? `https://app.asana.com/1/${workspace.gid}/project/${home}/task/${task.gid}`
        : `https://app.asana.com/1/${workspace.gid}/task/${task.gid}`,
      workspace: { gid: workspace.gid, resource_type: 'workspace', name: workspace.name },
    };
  };

  /** Writes an event to each given project's stream. */
  function record(
    streams: Iterable<string>,
    resource: Record<string, unknown>,
    action: string,
    parent: { gid: string; resource_type: string } | null,
    change: Record<string, unknown> | null = null,
  ) {
    const body = {
      user: { gid: me.gid, resource_type: 'user', name: me.name },
      created_at: iso(clock),
      type: resource.resource_type,
      action,
      resource,
      parent,
      change,
    };
    for (const project of streams) projects.get(project)?.events.push({ seq: ++lastSeq, body });
  }
  const taskResource = (task: FakeAsanaTask) => ({
    gid: task.gid,
    resource_type: 'task',
    name: task.name,
    resource_subtype: task.subtype,
  });
  /** A change made now: the clock moves a second, the task's modified_at with it. */
  function changed(task: FakeAsanaTask, field: string, newValue: unknown, story?: string) {
    clock += 1000;
    task.modifiedAt = clock;
    const streams = streamsOf(task);
    record(streams, taskResource(task), 'changed', null, { field, action: 'changed', new_value: newValue });
    if (story) {
      const resource = { gid: newGid(), resource_type: 'story', resource_subtype: story };
      record(streams, resource, 'added', { gid: task.gid, resource_type: 'task' });
    }
  }

  function addProject(name: string, projectOptions: { archived?: boolean } = {}) {
    const project: Project = {
      gid: newGid(),
      name,
      archived: projectOptions.archived ?? false,
      sections: SECTION_NAMES.map((section) => ({ gid: newGid(), name: section })),
      tasks: new Set(),
      events: [],
    };
    projects.set(project.gid, project);
    for (const section of project.sections) sectionOwner.set(section.gid, project);
    return project.gid;
  }

  function add(place: { project: string } | { parent: string }, fields: FakeAsanaFields = {}, createdAt = clock) {
    const project = 'project' in place ? projectOf(place.project) : null;
    const parent = 'parent' in place ? taskOf(place.parent) : null;
    const section = fields.section ?? project?.sections[0]?.gid;
    const completed = fields.completed ?? false;
    const task: FakeAsanaTask = {
      gid: newGid(),
      name: fields.name ?? 'Untitled task',
      notes: fields.notes ?? '',
      subtype: fields.subtype ?? 'default_task',
      approvalStatus: fields.subtype === 'approval' ? (completed ? 'approved' : 'pending') : null,
      completed,
      completedAt: completed ? clock : null,
      createdAt,
      modifiedAt: Math.max(createdAt, completed ? clock : createdAt),
      assignee: fields.assignee ?? null,
      parent: parent?.gid ?? null,
      memberships: project && section ? [{ project: project.gid, section }] : [],
      points: fields.points ?? null,
      ordinal: ++lastOrdinal,
    };
    tasks.set(task.gid, task);
    project?.tasks.add(task.gid);
    if (parent) children.set(parent.gid, (children.get(parent.gid) ?? new Set()).add(task.gid));
    if (project) record([project.gid], taskResource(task), 'added', { gid: project.gid, resource_type: 'project' });
    if (parent) record(streamsOf(task), taskResource(task), 'added', { gid: parent.gid, resource_type: 'task' });
    return task.gid;
  }

  function seed(projectGid: string, count: number) {
    const project = projectOf(projectGid);
    const random = randomOf(Number(projectGid.slice(-6)) + count);
    const made: string[] = [];
    const done = project.sections.at(-1)?.gid;
    const open = project.sections.slice(0, -1);
    const taskFields = (): FakeAsanaFields => ({
      name: `${random.pick(VERBS)} ${random.pick(OBJECTS)}`,
      notes: 'Context and acceptance criteria in the linked brief.',
      assignee: random.next() < 0.85 ? random.pick(users).gid : null,
      points: random.next() < 0.8 ? random.pick(POINTS) : null,
      completed: random.next() < 0.25,
    });
    for (let i = 0; i < count; i += 1) {
      const fields = taskFields();
      const subtype = i % 41 === 40 ? 'milestone' : i % 59 === 58 ? 'approval' : 'default_task';
      const createdAt = clock - Math.floor(random.next() * 90 * DAY_MS) - DAY_MS;
      const gid = add(
        { project: project.gid },
        { ...fields, subtype, section: fields.completed ? done : random.pick(open).gid },
        createdAt,
      );
      made.push(gid);
      if (i % 7 !== 3) continue;
      const subtaskCount = 1 + Math.floor(random.next() * 3);
      for (let s = 0; s < subtaskCount; s += 1) {
        // Custom fields are a project's: a subtask outside the project has no points.
        const subtask = add({ parent: gid }, { ...taskFields(), points: null }, createdAt + DAY_MS);
        made.push(subtask);
        if (s === 0 && i % 5 === 3) {
          made.push(add({ parent: subtask }, { ...taskFields(), points: null }, createdAt + 2 * DAY_MS));
        }
      }
    }
    return made;
  }

  function remove(gid: string) {
    const task = taskOf(gid);
    clock += 1000;
    const streams = streamsOf(task);
    for (const gone of [task, ...descendantsOf(gid)]) {
      record(streams, taskResource(gone), 'deleted', null);
      tasks.delete(gone.gid);
      children.delete(gone.gid);
      if (gone.parent) children.get(gone.parent)?.delete(gone.gid);
      for (const m of gone.memberships) projects.get(m.project)?.tasks.delete(gone.gid);
    }
  }

  function moveToProject(gid: string, projectGid: string) {
    const task = taskOf(gid);
    const target = projectOf(projectGid);
    const section = target.sections[0]?.gid as string;
    clock += 1000;
    task.modifiedAt = clock;
    for (const m of task.memberships) {
      projects.get(m.project)?.tasks.delete(gid);
      record([m.project], taskResource(task), 'removed', { gid: m.project, resource_type: 'project' });
    }
    task.memberships = [{ project: target.gid, section }];
    task.ordinal = ++lastOrdinal;
    target.tasks.add(gid);
    record([target.gid], taskResource(task), 'added', { gid: target.gid, resource_type: 'project' });
  }

  function tasksUnder(projectGid: string) {
    const gids = new Set<string>();
    for (const gid of projectOf(projectGid).tasks) {
      gids.add(gid);
      for (const descendant of descendantsOf(gid)) gids.add(descendant.gid);
    }
    return [...gids];
  }

  /** One page of a list, paged as Asana pages: by `limit` and the opaque `offset` of the page before. */
  function paged<T extends { ordinal: number }>(
    request: FakeRequest,
    list: string,
    items: readonly T[],
    render: (item: T) => unknown,
  ): FakeAnswer {
    const fields = fieldsOf(request);
    const shown = (item: T) => {
      const full = render(item);
      return fields ? selectFields(full, fields) : compactOf(full);
    };
    const limitText = request.url.searchParams.get('limit');
    if (limitText === null) return { status: 200, body: { data: items.map(shown) } };
    const limit = Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      return fail(400, 'limit: Value must be between 1 and 100');
    const offsetText = request.url.searchParams.get('offset');
    let after = 0;
    if (offsetText) {
      const offset = offsets.get(offsetText);
      if (!offset || offset.list !== list) return fail(400, 'offset: Your pagination token is invalid or has expired.');
      after = offset.after;
    }
    const rest = items.filter((item) => item.ordinal > after).sort((a, b) => a.ordinal - b.ordinal);
    const page = rest.slice(0, limit);
    let nextPage = null;
    const last = page.at(-1);
    if (rest.length > limit && last) {
      const token = Buffer.from(JSON.stringify({ o: ++lastOffset, n: randomBytes(6).toString('hex') })).toString(
        'base64url',
      );
      offsets.set(token, { list, after: last.ordinal });
      const query = new URLSearchParams(request.url.searchParams);
      query.set('offset', token);
      const path = `${request.url.pathname.slice(API.length)}?${query}`;
      nextPage = { offset: token, path, uri: `${host.url}${API}${path}` };
    }
    return { status: 200, body: { data: page.map(shown), next_page: nextPage } };
  }

  function one(request: FakeRequest, full: unknown): FakeAnswer {
    const fields = fieldsOf(request);
    return { status: 200, body: { data: fields ? selectFields(full, fields) : full } };
  }

  function events(request: FakeRequest): FakeAnswer {
    const resource = request.url.searchParams.get('resource');
    if (!resource) return fail(400, 'resource: Missing input');
    const project = projects.get(resource);
    if (!project) {
      return tasks.has(resource)
        ? fail(400, 'resource: the Asana stand-in streams the events of projects only')
        : fail(404, `resource: Unknown object: ${resource}`);
    }
    const issue = (after: number) => {
      const token = randomBytes(16).toString('hex');
      syncTokens.set(token, { resource, after, issuedAt: clock });
      return token;
    };
    const newest = project.events.at(-1)?.seq ?? 0;
    const known = syncTokens.get(request.url.searchParams.get('sync') ?? '');
    if (!known || known.resource !== resource || clock - known.issuedAt > maxTokenAge) {
      return { status: 412, body: { errors: [{ message: EXPIRED_SYNC, help: HELP }], sync: issue(newest) } };
    }
    const unread = project.events.filter((event) => event.seq > known.after);
    const answered = unread.slice(0, EVENTS_PER_ANSWER);
    return {
      status: 200,
      body: {
        data: answered.map((event) => event.body),
        sync: issue(answered.at(-1)?.seq ?? known.after),
        has_more: unread.length > answered.length,
      },
    };
  }

  function route(request: FakeRequest): FakeAnswer {
    const path = request.url.pathname;
    if (request.method !== 'GET' || !path.startsWith(`${API}/`)) return fail(404, 'No matching route for request');
    const parts = path.slice(API.length + 1).split('/');
    const [collection, gid, sub] = parts;
    const unknown = () => fail(404, `${collection?.replace(/s$/, '')}: Unknown object: ${gid}`);
    if (collection === 'users' && gid && parts.length === 2) {
      const user = gid === 'me' ? me : userByGid.get(gid);
      return user
        ? one(request, { ...userJson(user.gid), workspaces: [{ ...workspace, resource_type: 'workspace' }] })
        : unknown();
    }
    if (collection === 'workspaces' && gid && sub === 'projects' && parts.length === 3) {
      if (gid !== workspace.gid) return unknown();
      const archived = request.url.searchParams.get('archived');
      const listed = [...projects.values()]
        .filter((project) => archived === null || String(project.archived) === archived)
        .map((project, ordinal) => ({ project, ordinal: ordinal + 1 }));
      return paged(request, `workspace:${gid}:${archived}`, listed, ({ project }) => projectJson(project));
    }
    if (collection === 'projects' && gid && parts.length === 2) {
      const project = projects.get(gid);
      return project ? one(request, projectJson(project)) : unknown();
    }
    if (collection === 'events' && parts.length === 1) return events(request);
    if (collection === 'tasks' && parts.length === 1) {
      const projectGid = request.url.searchParams.get('project');
      if (!projectGid) {
        return fail(400, 'You must specify a project or tag if you do not specify assignee and workspace.');
      }
      const project = projects.get(projectGid);
      if (!project) return fail(404, `project: Unknown object: ${projectGid}`);
      const listed = [...project.tasks].map(taskOf);
      return paged(request, `project:${projectGid}`, listed, taskJson);
    }
    if (collection === 'tasks' && gid) {
      const task = tasks.get(gid);
      if (!task) return unknown();
      if (parts.length === 2) return one(request, taskJson(task));
      if (sub === 'subtasks' && parts.length === 3) return paged(request, `subtasks:${gid}`, childrenOf(gid), taskJson);
    }
    return fail(404, 'No matching route for request');
  }

  const host = await startFakeHost({
    port: options.port,
    authorized: (request) => bearerOf(request) === options.token,
    unauthorized: () => fail(401, 'Not Authorized'),
    route,
  });

  return {
    ...host,
    workspace: workspace.gid,
    me,
    users,
    addProject,
    sectionsOf: (project) => projectOf(project).sections.map((section) => ({ ...section })),
    seed,
    add: (place, fields) => {
      clock += 1000;
      return add(place, fields);
    },
    edit(gid, fields) {
      const task = taskOf(gid);
      for (const field of ['name', 'notes', 'points'] as const) {
        const value = fields[field];
        if (value === undefined) continue;
        Object.assign(task, { [field]: value });
        changed(task, field === 'points' ? 'custom_fields' : field, value);
      }
    },
    complete(gid) {
      const task = taskOf(gid);
      task.completed = true;
      task.completedAt = clock + 1000;
      if (task.subtype === 'approval') task.approvalStatus = 'approved';
      changed(task, 'completed', true, 'marked_complete');
    },
    reassign(gid, user) {
      const task = taskOf(gid);
      task.assignee = user;
      changed(task, 'assignee', user ? { gid: user, resource_type: 'user' } : null, user ? 'assigned' : 'unassigned');
    },
    moveToProject,
    remove,
    task: (gid) => {
      const task = tasks.get(gid);
      return task && { ...task, memberships: task.memberships.map((m) => ({ ...m })) };
    },
    tasksUnder,
    now: () => clock,
    advance(ms) {
      clock += ms;
    },
    forgetOffsets: () => offsets.clear(),
  };
}
