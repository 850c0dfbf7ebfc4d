/**
 * Asana's task JSON as a ticket, what its events ask of the sync, and the connector's cursor: the
 * pure half of the Asana connector (lib/hosts/apis/asana.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  ASANA_TASK_FIELDS,
  type AsanaEvent,
  type AsanaTask,
  asanaTicket,
  changesOfEvents,
  formatAsanaCursor,
  parseAsanaCursor,
} from '../../lib/hosts/apis/asana';

const SITE = 'app.asana.com';

/** A task as `GET /tasks/{gid}?opt_fields=…` answers it. */
const TASK: AsanaTask = {
  gid: '1207000000000042',
  name: 'Retry declined cards once after 24 h',
  resource_subtype: 'default_task',
  completed: false,
  completed_at: null,
  created_at: '2026-09-01T08:15:00.000Z',
  modified_at: '2026-10-02T16:40:12.345Z',
  assignee: { gid: '1207000000000007', name: 'Grace Liu' },
  parent: { gid: '1207000000000040', name: 'Card retries' },
  memberships: [
    {
      project: { gid: '1207000000000100', name: 'Payments' },
      section: { gid: '1207000000000101', name: 'In progress' },
    },
    {
      project: { gid: '1207000000000200', name: 'Q4 roadmap' },
      section: { gid: '1207000000000201', name: 'Committed' },
    },
  ],
  custom_fields: [
    { gid: '1207000000000300', name: 'Priority', type: 'enum', enum_value: { name: 'High' } },
    { gid: '1207000000000301', name: 'Story points', type: 'number', number_value: 5 },
  ],
  permalink_url: 'https://app.asana.com/1/1201/project/1207000000000100/task/1207000000000042',
  num_subtasks: 0,
};

const ticket = (changes: Partial<AsanaTask> = {}) => asanaTicket({ ...TASK, ...changes }, { site: SITE });

describe('asanaTicket', () => {
  it('maps every field a task has', () => {
    expect(ticket()).toEqual({
      ref: 'asana:app.asana.com/1207000000000042',
      hostId: '1207000000000042',
      url: 'https://app.asana.com/1/1201/project/1207000000000100/task/1207000000000042',
      title: 'Retry declined cards once after 24 h',
      state: 'Incomplete',
      stateCategory: 'open',
      assignees: [{ id: '1207000000000007', login: null, name: 'Grace Liu' }],
      estimate: 5,
      containers: {
        parent: [{ ref: 'asana:app.asana.com/1207000000000040', title: 'Card retries' }],
        projects: [
          { ref: 'asana:app.asana.com/project/1207000000000100', title: 'Payments' },
          { ref: 'asana:app.asana.com/project/1207000000000200', title: 'Q4 roadmap' },
        ],
        section: [
          { ref: 'asana:app.asana.com/section/1207000000000101', title: 'In progress' },
          { ref: 'asana:app.asana.com/section/1207000000000201', title: 'Committed' },
        ],
      },
      createdAt: '2026-09-01T08:15:00.000Z',
      updatedAt: '2026-10-02T16:40:12.345Z',
      closedAt: null,
    });
  });

  it('a completed task is done, closed when Asana says it was completed', () => {
    expect(ticket({ completed: true, completed_at: '2026-10-02T16:40:00Z' })).toMatchObject({
      state: 'Completed',
      stateCategory: 'done',
      closedAt: '2026-10-02T16:40:00.000Z',
    });
    // completed_at outlives an un-completion in some answers: an open task has no closedAt.
    expect(ticket({ completed: false, completed_at: '2026-10-02T16:40:00Z' }).closedAt).toBeNull();
  });

  it('an approval says where it stands; a milestone is completed or not like any task', () => {
    expect(ticket({ resource_subtype: 'approval', approval_status: 'pending' })).toMatchObject({
      state: 'Pending approval',
      stateCategory: 'open',
    });
    expect(ticket({ resource_subtype: 'approval', approval_status: 'changes_requested' }).state).toBe(
      'Changes requested',
    );
    expect(ticket({ resource_subtype: 'approval', approval_status: 'approved', completed: true })).toMatchObject({
      state: 'Approved',
      stateCategory: 'done',
    });
    expect(ticket({ resource_subtype: 'milestone', completed: true }).state).toBe('Completed');
    expect(ticket({ resource_subtype: 'milestone' }).state).toBe('Incomplete');
  });

  it('a Status or Stage field says a task is under way; completion overrides it', () => {
    const withStatus = (name: string, value: string | null) =>
      ticket({
        custom_fields: [{ gid: '1', name, type: 'enum', enum_value: value === null ? null : { name: value } }],
      });
    expect(withStatus('Status', 'In progress')).toMatchObject({ state: 'In progress', stateCategory: 'in_progress' });
    expect(withStatus('Stage', 'Doing')).toMatchObject({ state: 'Doing', stateCategory: 'in_progress' });
    expect(withStatus('Task status', 'In review')).toMatchObject({ stateCategory: 'in_progress' });
    expect(withStatus('Status', 'Not started')).toMatchObject({ state: 'Not started', stateCategory: 'open' });
    expect(withStatus('Status', 'Not in progress')).toMatchObject({ stateCategory: 'open' });
    expect(withStatus('Status', 'WIP')).toMatchObject({ stateCategory: 'in_progress' });
    expect(withStatus('Status', null)).toMatchObject({ state: 'Incomplete', stateCategory: 'open' });
    // Not a workflow field, and a completed task stays Completed whatever its status says.
    expect(withStatus('Priority', 'In progress')).toMatchObject({ state: 'Incomplete', stateCategory: 'open' });
    expect(
      ticket({
        completed: true,
        custom_fields: [{ gid: '1', name: 'Status', type: 'enum', enum_value: { name: 'Doing' } }],
      }),
    ).toMatchObject({ state: 'Completed', stateCategory: 'done' });
  });

  it('the estimate is a points field: Story points first, then Points or Estimate; never a time estimate', () => {
    const numbers = (...fields: [string, number | null][]) =>
      ticket({
        custom_fields: fields.map(([name, value], i) => ({
          gid: String(i),
          name,
          type: 'number',
          number_value: value,
        })),
      }).estimate;
    expect(numbers(['Estimate', 3], ['Story Points', 8])).toBe(8);
    expect(numbers(['Points', 2])).toBe(2);
    expect(numbers(['Estimate', 0.5])).toBe(0.5);
    expect(numbers(['Estimated time', 120], ['Budget', 4000])).toBeNull();
    expect(numbers(['Story points', null])).toBeNull();
    expect(ticket({ custom_fields: [{ gid: '1', name: 'Story points', type: 'text' }] }).estimate).toBeNull();
    expect(ticket({ custom_fields: [] }).estimate).toBeNull();
  });

  it('empty slots say none; slots the answer lacks are left unsaid', () => {
    expect(ticket({ assignee: null, parent: null, memberships: [] })).toMatchObject({
      assignees: [],
      containers: { parent: [], projects: [], section: [] },
    });
    const { parent: _parent, memberships: _memberships, ...bare } = TASK;
    expect(asanaTicket(bare, { site: SITE }).containers).toEqual({});
  });

  it('a project twice in the memberships is one container; a membership without a section has none', () => {
    const project = { gid: '1207000000000100', name: 'Payments' };
    const containers = ticket({
      memberships: [
        { project, section: { gid: '1207000000000101', name: 'In progress' } },
        { project, section: null },
      ],
    }).containers;
    expect(containers.projects).toEqual([{ ref: 'asana:app.asana.com/project/1207000000000100', title: 'Payments' }]);
    expect(containers.section).toEqual([{ ref: 'asana:app.asana.com/section/1207000000000101', title: 'In progress' }]);
  });

  it('without a permalink the URL is the task by gid; without modified_at it was last changed when made', () => {
    const bare = ticket({ permalink_url: null, modified_at: null, name: null, assignee: { gid: '9' } });
    expect(bare.url).toBe('https://app.asana.com/0/0/1207000000000042');
    expect(bare.updatedAt).toBe('2026-09-01T08:15:00.000Z');
    expect(bare.title).toBe('');
    expect(bare.assignees).toEqual([{ id: '9', login: null, name: '9' }]);
  });

  it('asks Asana for every field it maps', () => {
    const fields = ASANA_TASK_FIELDS.split(',');
    for (const field of ['name', 'completed', 'completed_at', 'created_at', 'modified_at', 'assignee.name']) {
      expect(fields).toContain(field);
    }
    for (const field of ['parent.name', 'memberships.project.name', 'memberships.section.name', 'permalink_url']) {
      expect(fields).toContain(field);
    }
    for (const field of ['custom_fields.name', 'custom_fields.type', 'custom_fields.number_value', 'num_subtasks']) {
      expect(fields).toContain(field);
    }
  });
});

describe('changesOfEvents', () => {
  const task = (gid: string, action: string, parent: AsanaEvent['parent'] = null): AsanaEvent => ({
    action,
    resource: { gid, resource_type: 'task' },
    parent,
  });

  it('tasks changed, added, moved out or undeleted are fetched again, once each, in the order they last changed', () => {
    const events: AsanaEvent[] = [
      task('1', 'changed'),
      task('2', 'added', { gid: '100', resource_type: 'project' }),
      task('1', 'changed'),
      task('3', 'removed', { gid: '100', resource_type: 'project' }),
      task('4', 'added', { gid: '1', resource_type: 'task' }),
      {
        action: 'added',
        resource: { gid: '900', resource_type: 'story' },
        parent: { gid: '5', resource_type: 'task' },
      },
      { action: 'changed', resource: { gid: '100', resource_type: 'project' } },
      { action: 'added', resource: { gid: '101', resource_type: 'section' } },
    ];
    expect(changesOfEvents(events)).toEqual({ fetch: ['2', '1', '3', '4'], deleted: [] });
  });

  it('the last event of a task decides whether it was deleted', () => {
    expect(changesOfEvents([task('1', 'changed'), task('1', 'deleted'), task('2', 'deleted')])).toEqual({
      fetch: [],
      deleted: ['1', '2'],
    });
    expect(changesOfEvents([task('1', 'deleted'), task('1', 'undeleted')])).toEqual({ fetch: ['1'], deleted: [] });
    expect(changesOfEvents([])).toEqual({ fetch: [], deleted: [] });
  });
});

describe('the Asana cursor', () => {
  it('round-trips each project: a token alone, or a token with where its crawl stands', () => {
    const cursor = {
      projects: {
        '1207000000000100': { sync: 'de4774f6915eae04714ca93bb2f5ee81' },
        '1207000000000200': { sync: '3c5a8b1e0f9d4c7a', crawl: { offset: 'eyJ0eXAiOiJKV1QifQ' } },
        '1207000000000300': { sync: '9b2e', crawl: { offset: null } },
      },
    };
    expect(parseAsanaCursor(formatAsanaCursor(cursor))).toEqual(cursor);
  });

  it('anything else reads as no cursor, so the sync crawls again', () => {
    for (const text of [
      null,
      '',
      'not json',
      '2026-10-01T00:00:00Z',
      '{"v":2,"projects":{}}',
      '{"v":1}',
      '{"v":1,"projects":{"acme":{"sync":"x"}}}',
      '{"v":1,"projects":{"1":{"sync":""}}}',
      '{"v":1,"projects":{"1":{"sync":"x","crawl":{"offset":3}}}}',
      '{"v":1,"projects":{"1":{"sync":"x","crawl":null}}}',
    ]) {
      expect(parseAsanaCursor(text)).toBeNull();
    }
  });
});
