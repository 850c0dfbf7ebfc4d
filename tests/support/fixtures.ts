import type { Call, TestWorkspace } from './api';

export const CURRENT_PERIOD = { name: '2026-Q4', startsOn: '2026-10-01', endsOn: '2026-12-31' };
export const PAST_PERIOD = { name: '2026-Q3', startsOn: '2026-07-01', endsOn: '2026-09-30' };

/** A period, an objective with a key result, and a recorded ticket, made through the API. */
export async function seedBasics(call: Call, ws: TestWorkspace, ref = 'github:github.com/acme/payments#42') {
  const token = ws.adminToken;
  const period = await call('POST', '/v1/periods', { token, body: CURRENT_PERIOD });
  const objective = await call('POST', '/v1/objectives', {
    token,
    body: {
      title: 'Cut checkout latency in half',
      periodId: period.body.id,
      priorityWeight: 3,
      ownerId: ws.adminId,
      keyResults: [{ title: 'Checkout p95', startValue: 1.8, targetValue: 0.9, currentValue: 1.4, unit: 's' }],
    },
  });
  const item = await call('PUT', `/v1/work-items/${encodeURIComponent(ref)}`, {
    token,
    body: { title: 'Cache tax rates in checkout', state: 'open', assignees: ['maxm'] },
  });
  if (period.status !== 201 || objective.status !== 201 || item.status !== 201) {
    throw new Error(`seeding failed: ${period.status} ${objective.status} ${item.status}`);
  }
  return { period: period.body, objective: objective.body, item: item.body, ref };
}
