import type { Call, TestWorkspace } from './api';
import { seedBasics } from './fixtures';

/** A workspace with one of everything, for isolation and bad-input tests. */
export async function fullWorkspace(call: Call, ws: TestWorkspace) {
  const basics = await seedBasics(call, ws);
  const token = ws.adminToken;
  const team = (await call('POST', '/v1/teams', { token, body: { name: 'Payments' } })).body;
  const link = (await call('POST', '/v1/links', { token, body: { ref: basics.ref, objectiveId: basics.objective.id } }))
    .body;
  const update = (
    await call('POST', `/v1/objectives/${basics.objective.id}/updates`, {
      token,
      body: { status: 'on_track', note: 'fine' },
    })
  ).body;
  const decision = (
    await call('POST', '/v1/review/decisions', {
      token,
      body: { kind: 'shift_effort', summary: 'Move two people to checkout latency', teamId: team.id },
    })
  ).body;
  const review = (
    await call('POST', '/v1/reviews', {
      token,
      body: { teamId: team.id, notes: 'Held', decisions: [{ kind: 'unblock', summary: 'Unblock the ledger work' }] },
    })
  ).body;
  const tokens = (await call('GET', '/v1/tokens', { token })).body.tokens as { id: string }[];
  return {
    ...basics,
    team,
    link,
    update,
    decision,
    review,
    keyResult: basics.objective.keyResults[0],
    tokenId: (tokens[0] as { id: string }).id,
  };
}

export type FullWorkspace = Awaited<ReturnType<typeof fullWorkspace>>;
