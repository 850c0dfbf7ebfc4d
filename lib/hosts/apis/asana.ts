/**
 * Asana's tasks as tickets, and what the Asana connector (server/connectors/asana.ts) reads of its
 * events and keeps in its cursor: pure. Shapes as Asana's OpenAPI (Asana/openapi, asana_oas.yaml)
 * has them, with only the fields ASANA_TASK_FIELDS asks for; a field the answer lacks leaves its
 * container slot unsaid.
 */
import { type ContainerRead, type ContainerReads, formatRef } from '../../shared/ref';
import type { SyncedTicket } from './types';

interface AsanaNamed {
  gid: string;
  name?: string | null;
}

export interface AsanaCustomField {
  gid: string;
  name?: string | null;
  /** `number`, `enum`, `text`…; Asana also says it as `resource_subtype`. */
  type?: string | null;
  number_value?: number | null;
  enum_value?: { name?: string | null } | null;
}

/** The fields of a task the mapping reads, as ASANA_TASK_FIELDS asks for them. */
export interface AsanaTask {
  gid: string;
  name?: string | null;
  /** `default_task`, `milestone`, `approval` (and `section` in older list views). */
  resource_subtype?: string | null;
  /** Only on approval tasks: `pending`, `approved`, `rejected`, `changes_requested`. */
  approval_status?: string | null;
  completed?: boolean | null;
  completed_at?: string | null;
  created_at?: string | null;
  modified_at?: string | null;
  assignee?: AsanaNamed | null;
  parent?: AsanaNamed | null;
  memberships?: { project?: AsanaNamed | null; section?: AsanaNamed | null }[] | null;
  custom_fields?: AsanaCustomField[] | null;
  permalink_url?: string | null;
  num_subtasks?: number | null;
}

/**
 * What the connector asks of every task, list or single: Asana answers a list with compact
 * records (gid, name) unless told which fields. `num_subtasks` says whose subtasks to list.
 */
export const ASANA_TASK_FIELDS = [
  'name',
  'resource_subtype',
  'approval_status',
  'completed',
  'completed_at',
  'created_at',
  'modified_at',
  'assignee.name',
  'parent.name',
  'memberships.project.name',
  'memberships.section.name',
  'custom_fields.name',
  'custom_fields.type',
  'custom_fields.number_value',
  'custom_fields.enum_value.name',
  'permalink_url',
  'num_subtasks',
].join(',');

const APPROVAL_STATES: Record<string, string> = {
  pending: 'Pending approval',
  approved: 'Approved',
  rejected: 'Rejected',
  changes_requested: 'Changes requested',
};

// A workflow field people add to a project ("Status", "Stage"): the only place an Asana task says it is under way.
const WORKFLOW_FIELD = /^\s*(?:task\s+)?(?:status|stage)\s*$/i;
const UNDER_WAY = /\b(?:in[\s-]?progress|doing|under\s*way|in\s+review|wip)\b/i;
// "Not started", "Not in progress": a negation is never under way.
const NEGATED = /\bnot\b/i;

/** Number fields that hold an estimate in points, best first; time estimates (minutes, hours) are not points. */
const ESTIMATE_FIELDS = [/^\s*story\s*points?\s*$/i, /^\s*points?\s*$/i, /^\s*(?:estimate|estimated\s+points)\s*$/i];

function workflowValue(task: AsanaTask): string | null {
  const field = (task.custom_fields ?? []).find((f) => f.type === 'enum' && WORKFLOW_FIELD.test(f.name ?? ''));
  return field?.enum_value?.name?.trim() || null;
}

/** The task's state as Asana shows it, and where that stands. */
function stateOf(task: AsanaTask): Pick<SyncedTicket, 'state' | 'stateCategory'> {
  const completed = task.completed === true;
  if (task.resource_subtype === 'approval' && task.approval_status) {
    const state = APPROVAL_STATES[task.approval_status] ?? task.approval_status;
    return { state, stateCategory: completed ? 'done' : 'open' };
  }
  // A milestone is ticked complete like any task: Asana names no other state for it.
  if (completed) return { state: 'Completed', stateCategory: 'done' };
  const workflow = workflowValue(task);
  if (workflow)
    return {
      state: workflow,
      stateCategory: UNDER_WAY.test(workflow) && !NEGATED.test(workflow) ? 'in_progress' : 'open',
    };
  return { state: 'Incomplete', stateCategory: 'open' };
}

function estimateOf(task: AsanaTask): number | null {
  const numbers = (task.custom_fields ?? []).filter(
    (f) => f.type === 'number' && typeof f.number_value === 'number' && Number.isFinite(f.number_value),
  );
  for (const pattern of ESTIMATE_FIELDS) {
    const field = numbers.find((f) => pattern.test(f.name ?? ''));
    if (field) return field.number_value as number;
  }
  return null;
}

const isoOf = (value: string) => new Date(value).toISOString();

export function asanaTicket(task: AsanaTask, context: { site: string }): SyncedTicket {
  const ref = (key: string) => formatRef({ source: 'asana', host: context.site, key });
  const containers: ContainerReads = {};
  if (task.parent !== undefined) {
    containers.parent = task.parent ? [{ ref: ref(task.parent.gid), title: task.parent.name ?? null }] : [];
  }
  if (task.memberships) {
    const of = (kind: 'project' | 'section') => {
      const seen = new Map<string, ContainerRead>();
      for (const membership of task.memberships ?? []) {
        const container = membership[kind];
        if (container && !seen.has(container.gid))
          seen.set(container.gid, { ref: ref(`${kind}/${container.gid}`), title: container.name ?? null });
      }
      return [...seen.values()];
    };
    containers.projects = of('project');
    containers.section = of('section');
  }
  const createdAt = task.created_at ? isoOf(task.created_at) : null;
  const updatedAt = task.modified_at ? isoOf(task.modified_at) : createdAt;
  if (!createdAt || !updatedAt) throw new Error(`Asana task ${task.gid} came without created_at`);
  return {
    ref: ref(task.gid),
    hostId: task.gid,
    url: task.permalink_url || `https://${context.site}/0/0/${task.gid}`,
    title: task.name ?? '',
    ...stateOf(task),
    assignees: task.assignee
      ? [{ id: task.assignee.gid, login: null, name: task.assignee.name ?? task.assignee.gid }]
      : [],
    estimate: estimateOf(task),
    containers,
    createdAt,
    updatedAt,
    closedAt: task.completed && task.completed_at ? isoOf(task.completed_at) : null,
  };
}

/** One event of `GET /events`, as the connector reads it. */
export interface AsanaEvent {
  action: string;
  resource: { gid: string; resource_type: string };
  parent?: { gid: string; resource_type: string } | null;
  created_at?: string;
}

/**
 * What a run of events asks of the sync, in the order the tasks last changed: tasks to fetch again
 * (changed, added to or removed from a project or section, undeleted: a task that left the project
 * still exists, and its memberships say where it went) and tasks deleted. The last event of a task
 * decides. Events on stories, sections or the project itself change no field a ticket holds.
 */
export function changesOfEvents(events: readonly AsanaEvent[]): { fetch: string[]; deleted: string[] } {
  const last = new Map<string, 'fetch' | 'deleted'>();
  for (const event of events) {
    if (event.resource.resource_type !== 'task') continue;
    last.delete(event.resource.gid);
    last.set(event.resource.gid, event.action === 'deleted' ? 'deleted' : 'fetch');
  }
  const fetch: string[] = [];
  const deleted: string[] = [];
  for (const [gid, effect] of last) (effect === 'deleted' ? deleted : fetch).push(gid);
  return { fetch, deleted };
}

/** Where one project of a scope stands: the events sync token, and while a crawl runs, where it is. */
export interface AsanaProjectCursor {
  sync: string;
  /** Present while the project's tasks are crawled: the offset of the next page (null: the first). */
  crawl?: { offset: string | null };
}

/** A scope's cursor: each project's state, by project gid. */
export interface AsanaCursor {
  projects: Record<string, AsanaProjectCursor>;
}

const CURSOR_VERSION = 1;

export function formatAsanaCursor(cursor: AsanaCursor): string {
  return JSON.stringify({ v: CURSOR_VERSION, projects: cursor.projects });
}

/** The cursor a string holds, or null when it holds none this version reads (a full crawl then starts). */
export function parseAsanaCursor(text: string | null): AsanaCursor | null {
  if (!text) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { v, projects } = value as { v?: unknown; projects?: unknown };
  if (v !== CURSOR_VERSION || typeof projects !== 'object' || projects === null) return null;
  const parsed: AsanaCursor = { projects: {} };
  for (const [gid, entry] of Object.entries(projects as Record<string, unknown>)) {
    if (!/^\d{1,30}$/.test(gid) || typeof entry !== 'object' || entry === null) return null;
    const { sync, crawl } = entry as { sync?: unknown; crawl?: unknown };
    if (typeof sync !== 'string' || !sync) return null;
    if (crawl === undefined) {
      parsed.projects[gid] = { sync };
      continue;
    }
    const offset = (crawl as { offset?: unknown } | null)?.offset;
    if (offset !== null && typeof offset !== 'string') return null;
    parsed.projects[gid] = { sync, crawl: { offset } };
  }
  return parsed;
}
