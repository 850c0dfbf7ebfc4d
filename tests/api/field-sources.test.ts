/**
 * Every recorded field keeps where it came from and when, and a page read never overwrites what a
 * stronger source (the host's API) said; a field a page does not show keeps its value.
 */
import { expect, test } from 'vitest';
import { Channel, notify } from '../../server/changes';
import { recordWorkItem } from '../../server/record-writes';
import { enc, setupApi } from '../support/api';

let clock = new Date('2026-11-21T12:00:00Z');
const api = setupApi({ now: () => clock });
const REF = 'jira:acme.atlassian.net/PAY-125';
const EPIC = 'jira:acme.atlassian.net/PAY-300';
const OTHER_EPIC = 'jira:acme.atlassian.net/PAY-301';

test('a page fills what no API said and leaves alone what one did, field by field', async () => {
  const ws = await api.workspace();
  const token = ws.adminToken;
  const page = (body: Record<string, unknown>) => api.call('PUT', `/v1/work-items/${enc(REF)}`, { token, body });
  const first = await page({ title: 'Retry refunds', state: 'In Progress', assignees: ['Sam Rivera'] });
  expect(first.body.fieldSources).toEqual({
    title: { source: 'page', at: '2026-11-21T12:00:00.000Z' },
    state: { source: 'page', at: '2026-11-21T12:00:00.000Z' },
    assignees: { source: 'page', at: '2026-11-21T12:00:00.000Z' },
  });

  // The host's API says otherwise of the state, the assignees and the parent.
  const apiAt = new Date('2026-11-21T12:05:00Z');
  await recordWorkItem(api.db, {
    workspaceId: ws.id,
    ref: REF,
    record: {
      state: 'In Review',
      assignees: ['acct-1'],
      estimate: 5,
      containers: { parent: [{ ref: EPIC, title: 'Refunds' }] },
    },
    source: 'api',
    at: apiAt,
  });
  // As a connector in another process would tell every API process after its write.
  const recorded = () => notify(api.db, Channel.workItemChanged, `${ws.id} ${REF}`, 'connector');
  await recorded();

  clock = new Date('2026-11-21T12:10:00Z');
  const later = await page({
    title: 'Retry failed refunds',
    state: 'In Progress',
    assignees: [],
    estimate: 3,
    containers: { parent: [{ ref: OTHER_EPIC, title: 'Other' }] },
  });
  expect(later.status).toBe(200);
  expect(later.body).toMatchObject({
    title: 'Retry failed refunds',
    state: 'In Review',
    assignees: ['acct-1'],
    estimate: 5,
  });
  expect(later.body.fieldSources).toMatchObject({
    title: { source: 'page', at: '2026-11-21T12:10:00.000Z' },
    state: { source: 'api', at: '2026-11-21T12:05:00.000Z' },
    assignees: { source: 'api' },
    estimate: { source: 'api' },
    'containers.parent': { source: 'api' },
  });
  const context = await api.call('GET', `/v1/work-items/${enc(REF)}/context`, { token });
  expect(context.body.item.title).toBe('Retry failed refunds');
  // The parent the API named stands: the page's other epic did not replace it.
  const epicLink = await api.call('POST', '/v1/links', {
    token,
    body: {
      ref: EPIC,
      objectiveId: (
        await api.call('POST', '/v1/objectives', {
          token,
          body: {
            title: 'Refunds',
            periodId: (
              await api.call('POST', '/v1/periods', {
                token,
                body: { name: 'Q4', startsOn: '2026-10-01', endsOn: '2026-12-31' },
              })
            ).body.id,
          },
        })
      ).body.id,
    },
  });
  expect(epicLink.status).toBe(201);
  await expect
    .poll(async () => (await api.call('GET', `/v1/work-items/${enc(REF)}/context`, { token })).body.links)
    .toMatchObject([{ inheritedFrom: { ref: EPIC } }]);

  // A later API read may change what an API said.
  await recordWorkItem(api.db, {
    workspaceId: ws.id,
    ref: REF,
    record: { state: 'Done', closed: true },
    source: 'api',
    at: clock,
  });
  await recorded();
  // The notice reaches this process through PostgreSQL, a moment later.
  await expect
    .poll(async () => (await api.call('GET', `/v1/work-items/${enc(REF)}/context`, { token })).body.item.state)
    .toBe('Done');
  const closed = await api.call('GET', `/v1/work-items/${enc(REF)}/context`, { token });
  expect(closed.body.item.closedAt).not.toBeNull();
});
