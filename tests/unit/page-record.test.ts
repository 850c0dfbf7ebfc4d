import { describe, expect, test } from 'vitest';
import { containersMoved, pageRecord, recordAddition } from '../../lib/extension/page-record';
import type { TicketDetails } from '../../lib/hosts/pages/types';

const EPIC = { ref: 'jira:acme.atlassian.net/PAY-300', title: 'Refund reliability' };
const details = (over: Partial<TicketDetails> = {}): TicketDetails => ({
  title: 'Retry failed refunds',
  state: null,
  closed: null,
  assignees: null,
  project: 'PAY',
  signedInUser: null,
  estimate: null,
  containers: {},
  ...over,
});
const URL = 'https://acme.atlassian.net/browse/PAY-125';

describe('pageRecord', () => {
  test('sends only the fields the page shows, clipped to the contract', () => {
    expect(pageRecord(details({ title: 'x'.repeat(1200) }), URL)).toEqual({
      url: URL,
      title: 'x'.repeat(1000),
      project: 'PAY',
    });
    expect(pageRecord(details({ assignees: [], containers: { parent: [EPIC] } }), URL)).toEqual({
      url: URL,
      title: 'Retry failed refunds',
      project: 'PAY',
      assignees: [],
      containers: { parent: [EPIC] },
    });
  });
});

describe('recordAddition: what a page still loading shows later', () => {
  const first = pageRecord(details(), URL);
  test('a field that arrived, or changed, and nothing else', () => {
    const later = pageRecord(details({ assignees: ['Sam Rivera'], state: 'In Progress' }), URL);
    expect(recordAddition(first, later)).toEqual({ url: URL, assignees: ['Sam Rivera'], state: 'In Progress' });
  });
  test('a container slot that arrived', () => {
    const later = pageRecord(details({ containers: { parent: [EPIC], labels: [] } }), URL);
    expect(recordAddition(first, later)).toEqual({ url: URL, containers: { parent: [EPIC], labels: [] } });
  });
  test('nothing when the page shows the same, or less (a field gone is not news)', () => {
    expect(recordAddition(first, pageRecord(details(), URL))).toBeNull();
    expect(recordAddition(first, pageRecord(details({ title: null }), URL))).toBeNull();
  });
});

describe('containersMoved', () => {
  const known = [{ ref: EPIC.ref, slot: 'parent' as const }];
  test('only a slot the record says and that differs from what is known', () => {
    expect(containersMoved({ containers: { parent: [EPIC] } }, known)).toBe(false);
    expect(containersMoved({ containers: { labels: [] } }, known)).toBe(false);
    expect(containersMoved({ title: 'x' }, known)).toBe(false);
    expect(containersMoved({ containers: { parent: [] } }, known)).toBe(true);
    expect(
      containersMoved({ containers: { parent: [{ ref: 'jira:acme.atlassian.net/PAY-301', title: null }] } }, known),
    ).toBe(true);
    expect(
      containersMoved({ containers: { milestone: [{ ref: 'github:github.com/a/b/milestone/1', title: null }] } }, []),
    ).toBe(true);
  });
});
