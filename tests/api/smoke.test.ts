import { expect, test } from 'vitest';
import { enc, setupApi } from '../support/api';

const api = setupApi();

test('smoke', async () => {
  const ws = await api.workspace();
  const me = await api.call('GET', '/v1/me', { token: ws.memberToken });
  console.log(JSON.stringify(me.body));
  const p = await api.call('POST', '/v1/periods', {
    token: ws.memberToken,
    body: { name: '2026-Q4', startsOn: '2026-10-01', endsOn: '2026-12-31' },
  });
  console.log(p.status, JSON.stringify(p.body));
  const o = await api.call('POST', '/v1/objectives', {
    token: ws.memberToken,
    body: {
      title: 'Faster checkout',
      periodId: p.body.id,
      priorityWeight: 3,
      keyResults: [{ title: 'p95 checkout under 1s', startValue: 3, targetValue: 1, currentValue: 2 }],
    },
  });
  console.log(o.status, JSON.stringify(o.body));
  const ref = 'github:github.com/acme/payments#42';
  const w = await api.call('PUT', `/v1/work-items/${enc(ref)}`, {
    token: ws.memberToken,
    body: { title: 'Checkout is slow', assignees: ['maxm'], state: 'open' },
  });
  console.log(w.status, JSON.stringify(w.body));
  const ctx = await api.call('GET', `/v1/work-items/${enc(ref)}/context`, { token: ws.memberToken });
  console.log(ctx.status, JSON.stringify(ctx.body));
  const l = await api.call('POST', '/v1/links', {
    token: ws.memberToken,
    body: { ref, objectiveId: o.body.id },
    headers: { 'idempotency-key': 'abc' },
  });
  console.log(l.status, JSON.stringify(l.body));
  const ctx2 = await api.call('GET', `/v1/work-items/${enc(ref)}/context`, { token: ws.memberToken });
  console.log(ctx2.status, JSON.stringify(ctx2.body));
  const cov = await api.call('GET', `/v1/coverage?person=me`, { token: ws.memberToken });
  console.log(cov.status, JSON.stringify(cov.body));
  const rev = await api.call('GET', `/v1/review?period=2026-Q4`, { token: ws.memberToken });
  console.log(rev.status, JSON.stringify(rev.body).slice(0, 3000));
  const doc = await api.call('GET', `/openapi.json`);
  console.log(doc.status, JSON.stringify(doc.body).slice(0, 500));
  expect(me.status).toBe(200);
});
