import { describe, expect, test } from 'vitest';
import { rankSuggestions, type SuggestionCandidate, tokens } from '../../lib/server/suggest';

const words = (text: string) => [...tokens(text)].sort();

describe('tokens', () => {
  test('lower-cases and splits on anything but letters and digits', () => {
    expect(words('Checkout-Latency/p95_budget')).toEqual(['budget', 'checkout', 'latency', 'p95']);
    expect(words('')).toEqual([]);
    expect(words('!!! --- ...')).toEqual([]);
  });

  test('drops words under 3 letters and stop words', () => {
    // the, and, for, with, new, support, add, fix, using: stop words; an, to, UI: too short
    expect(words('Add the new support for an API to the UI using OAuth and fix it with tokens')).toEqual([
      'api',
      'oauth',
      'token',
    ]);
  });

  test('keeps letters of every script, with case folded', () => {
    expect(words('Ça café ÉTÉ Fußball ПЛАТЁЖ')).toEqual(['café', 'fußball', 'платёж', 'été'].sort());
  });

  test('plural and simple verb endings fold onto one stem', () => {
    expect(tokens('payments')).toEqual(tokens('payment'));
    expect(words('Refunds refunding refunded refund')).toEqual(['refund']);
    expect(words('payments payment')).toEqual(['payment']);
  });

  test('plurals of words ending in e, y or ss meet their singular', () => {
    expect(tokens('invoices')).toEqual(tokens('invoice'));
    expect(tokens('services')).toEqual(tokens('service'));
    expect(tokens('releases released releasing')).toEqual(tokens('release'));
    expect(tokens('stories')).toEqual(tokens('story'));
    expect(tokens('policies')).toEqual(tokens('policy'));
    expect(tokens('processes')).toEqual(tokens('process'));
    expect(tokens('addresses')).toEqual(tokens('address'));
    expect(tokens('settings')).toEqual(tokens('setting'));
  });

  test('distinct words stay distinct', () => {
    expect(tokens('payment')).not.toEqual(tokens('pay'));
    expect(words('checkout invoice ledger')).toHaveLength(3);
  });
});

function candidate(id: string, title: string, over: Partial<SuggestionCandidate> = {}): SuggestionCandidate {
  return { id, title, description: '', keyResultTitles: [], priorityWeight: 1, ...over };
}

const checkout = candidate('checkout', 'Faster checkout payments', { priorityWeight: 1 });
const invoicing = candidate('invoicing', 'Enterprise invoicing', { priorityWeight: 2 });
const hiring = candidate('hiring', 'Hiring plan', { priorityWeight: 3 });

describe('rankSuggestions', () => {
  test('ranks by shared words, then by priority', () => {
    const ranked = rankSuggestions({
      title: 'Checkout payment timeout',
      project: null,
      candidates: [invoicing, checkout, hiring],
      projectLinkCounts: new Map(),
    });
    // ticket words: checkout, payment, timeout (3); checkout shares 2 → 0.6 · 2/3 = 0.4
    // the others score 0 and follow by priority: hiring (3), invoicing (2)
    expect(ranked).toEqual([
      { id: 'checkout', score: 0.4, reasons: ['shares the words checkout, payment'] },
      { id: 'hiring', score: 0, reasons: ['a top priority this period'] },
      { id: 'invoicing', score: 0, reasons: ['a top priority this period'] },
    ]);
  });

  test('description and key result titles count as the objective’s words', () => {
    const quiet = candidate('quiet', 'Q4 bet', { description: 'Reduce ledger drift', priorityWeight: 1 });
    const kr = candidate('kr', 'Another bet', { keyResultTitles: ['Reconciliation under 1 hour'], priorityWeight: 1 });
    const ranked = rankSuggestions({
      title: 'Ledger reconciliation job',
      project: null,
      candidates: [hiring, quiet, kr],
      projectLinkCounts: new Map(),
    });
    // ticket words: ledger, reconciliation, job (3); quiet and kr each share 1 → 0.6 · 1/3 = 0.2
    expect(ranked.map((r) => [r.id, r.score])).toEqual([
      ['quiet', 0.2],
      ['kr', 0.2],
      ['hiring', 0],
    ]);
    expect(ranked[0]?.reasons).toEqual(['shares the words ledger']);
    expect(ranked[1]?.reasons).toEqual(['shares the words reconciliation']);
  });

  test('ranks by where the project’s other tickets are linked', () => {
    const ranked = rankSuggestions({
      title: 'Quarterly chores',
      project: 'PAY',
      candidates: [checkout, invoicing, hiring],
      projectLinkCounts: new Map([
        ['invoicing', 3],
        ['checkout', 1],
      ]),
    });
    // no shared words; project share: invoicing 3/4 → 0.4 · 0.75 = 0.3, checkout 1/4 → 0.1
    expect(ranked).toEqual([
      { id: 'invoicing', score: 0.3, reasons: ['3 of 4 linked tickets of PAY serve it'] },
      { id: 'checkout', score: 0.1, reasons: ['1 of 4 linked tickets of PAY serve it'] },
      { id: 'hiring', score: 0, reasons: ['a top priority this period'] },
    ]);
  });

  test('words and project links add up', () => {
    const ranked = rankSuggestions({
      title: 'Invoice PDF for enterprise',
      project: 'PAY',
      candidates: [checkout, invoicing],
      projectLinkCounts: new Map([['checkout', 1]]),
    });
    // ticket words: invoic(e), pdf, enterpris(e), pay (4); invoicing shares invoice, enterprise → 0.6 · 2/4 = 0.3
    // checkout: 0 words, all 1 of 1 project links → 0.4 · 1 = 0.4
    expect(ranked.map((r) => [r.id, r.score])).toEqual([
      ['checkout', 0.4],
      ['invoicing', 0.3],
    ]);
    // matched on stems, shown as the ticket writes them
    expect(ranked[1]?.reasons).toEqual(['shares the words invoice, enterprise']);
  });

  test('plurals and verb forms match across ticket and objective', () => {
    const ranked = rankSuggestions({
      title: 'Releasing Services',
      project: null,
      candidates: [hiring, candidate('platform', 'Service release train')],
      projectLinkCounts: new Map(),
    });
    // releas, servic: both shared → 0.6 · 2/2 = 0.6
    expect(ranked[0]).toEqual({ id: 'platform', score: 0.6, reasons: ['shares the words releasing, services'] });
  });

  test('at most four shared words in the reason', () => {
    const wide = candidate('wide', 'alpha bravo charlie delta echo');
    const [top] = rankSuggestions({
      title: 'alpha bravo charlie delta echo',
      project: null,
      candidates: [wide],
      projectLinkCounts: new Map(),
    });
    // 5 of 5 words shared → 0.6
    expect(top).toEqual({ id: 'wide', score: 0.6, reasons: ['shares the words alpha, bravo, charlie, delta'] });
  });

  test('nothing matches: ordered by priority, each with the fallback reason', () => {
    const ranked = rankSuggestions({
      title: 'zzz',
      project: null,
      candidates: [checkout, invoicing, hiring],
      projectLinkCounts: new Map(),
    });
    expect(ranked.map((r) => r.id)).toEqual(['hiring', 'invoicing', 'checkout']);
    for (const r of ranked) expect(r).toMatchObject({ score: 0, reasons: ['a top priority this period'] });
    // an empty title, too
    expect(rankSuggestions({ title: '', project: null, candidates: [checkout], projectLinkCounts: new Map() })).toEqual(
      [{ id: 'checkout', score: 0, reasons: ['a top priority this period'] }],
    );
  });

  test('limit: 3 by default, or as asked', () => {
    const many = Array.from({ length: 6 }, (_, i) => candidate(`o${i}`, `objective ${i}`, { priorityWeight: i }));
    const input = { title: 'unrelated', project: null, candidates: many, projectLinkCounts: new Map() };
    expect(rankSuggestions(input).map((r) => r.id)).toEqual(['o5', 'o4', 'o3']);
    expect(rankSuggestions({ ...input, limit: 1 }).map((r) => r.id)).toEqual(['o5']);
    expect(rankSuggestions({ ...input, limit: 10 })).toHaveLength(6);
    expect(rankSuggestions({ ...input, candidates: [] })).toEqual([]);
  });
});
