import { describe, expect, test } from 'vitest';
import { seedDemo } from '../../server/demo';
import { setupApi } from '../support/api';

const NOW = new Date('2026-11-21T12:00:00Z');
const api = setupApi({ now: () => NOW });

describe('the demo workspace tells the story the review is for', async () => {
  const demo = await seedDemo(api.db, NOW);
  const token = demo.token as string;

  test('seeding again changes nothing and hands out no new token', async () => {
    const again = await seedDemo(api.db, NOW);
    expect(again).toMatchObject({ token: null, items: demo.items, objectives: demo.objectives });
  });

  test('Sam sees his own coverage, his team’s, and tickets of his that serve no goal', async () => {
    const mine = await api.call('GET', '/v1/me/coverage', { token });
    expect(mine.status).toBe(200);
    expect(mine.body.person.identities.githubLogin).toBe('samrivera');
    expect(mine.body.coverage.activeItems).toBeGreaterThan(0);
    expect(mine.body.team.scope.name).toBe('Payments');
    expect(mine.body.unlinkedCount).toBeGreaterThan(0);
    expect(mine.body.objectives.length).toBeGreaterThan(0);
  });

  test('the workspace review shows allocation on several objectives and flags coverage drift', async () => {
    const review = await api.call('GET', '/v1/review', { token });
    expect(review.body.allocation.length).toBeGreaterThanOrEqual(5);
    expect(review.body.drift.coverageDrift.flagged).toBe(true);
    expect(review.body.unlinked.length).toBeGreaterThan(0);
    expect(review.body.staleLinks.length).toBeGreaterThan(0);
    expect(review.body.staleGoals.length).toBeGreaterThan(0);
  });

  test('two past reviews of Payments: one took a decision, one decided nothing', async () => {
    const held = await api.call('GET', '/v1/reviews', { token });
    expect(held.body.reviews).toHaveLength(2);
    const [latest, earlier] = held.body.reviews;
    expect(latest).toMatchObject({ team: { name: 'Payments' }, decisions: [] });
    expect(earlier.decisions).toEqual([
      expect.objectContaining({ kind: 'shift_effort', owner: expect.objectContaining({ name: 'Priya Natarajan' }) }),
    ]);
  });
});
