import { describe, expect, test } from 'vitest';
import { ageText, dayText, refText, throughText } from '../../lib/extension/labels';

describe('throughText: the container a goal comes through, in words', () => {
  test.each([
    [
      { ref: 'jira:acme.atlassian.net/PAY-300', slot: 'epic', title: 'Refund reliability' },
      'epic PAY-300 Refund reliability',
    ],
    [{ ref: 'jira:acme.atlassian.net/PAY-300', slot: 'parent', title: '' }, 'parent PAY-300'],
    [{ ref: 'github:github.com/acme/api#12', slot: 'parent', title: 'Checkout revamp' }, 'parent #12 Checkout revamp'],
    [{ ref: 'asana:app.asana.com/1207000000000020', slot: 'parent', title: 'Launch plan' }, 'parent Launch plan'],
    [{ ref: 'github:github.com/acme/api/milestone/3', slot: 'milestone', title: 'v2.0' }, 'milestone v2.0'],
    [{ ref: 'github:github.com/acme/api/milestone/3', slot: 'milestone', title: '' }, 'milestone 3'],
    [
      { ref: 'github:github.com/acme/api/label/good%20first%20issue', slot: 'labels', title: '' },
      'label good first issue',
    ],
    [{ ref: 'github:github.com/acme/projects/5', slot: 'projects', title: 'Roadmap' }, 'project Roadmap'],
    [{ ref: 'asana:app.asana.com/section/9', slot: 'section', title: 'Doing' }, 'section Doing'],
  ] as const)('%o reads %s', (from, text) => {
    expect(throughText({ ...from, url: null })).toBe(text);
  });
});

describe('dayText', () => {
  test('the day and month this year, with the year otherwise', () => {
    const now = new Date('2026-11-29T12:00:00Z');
    expect(dayText('2026-11-03T09:00:00Z', now)).toBe('3 Nov');
    expect(dayText('2025-12-31T23:00:00Z', now)).toBe('31 Dec 2025');
  });
});

describe('refText', () => {
  test.each([
    ['jira:acme.atlassian.net/PAY-300', 'PAY-300'],
    ['github:github.com/acme/api#12', 'acme/api#12'],
    ['asana:app.asana.com/1207', 'Asana task 1207'],
    ['github:github.com/acme/api/milestone/3', 'milestone 3 of acme/api'],
    ['github:github.com/acme/api/label/good%20first%20issue', 'label good first issue of acme/api'],
    ['jira:acme.atlassian.net/PAY/label/refunds', 'label refunds of PAY'],
    ['github:github.com/acme/projects/5', 'Project 5 of acme'],
    ['asana:app.asana.com/project/1207', 'Asana project 1207'],
  ])('%s reads %s', (ref, text) => {
    expect(refText(ref)).toBe(text);
  });
});

describe('ageText', () => {
  const now = Date.parse('2026-11-29T12:00:00Z');
  test.each([
    [now - 20_000, 'just now'],
    [now - 5 * 60_000, '5 min ago'],
    [now - 3 * 3_600_000 - 60_000, '3 h ago'],
    [now - 26 * 3_600_000, '1 day ago'],
    [now - 50 * 3_600_000, '2 days ago'],
  ])('%i reads %s', (at, text) => {
    expect(ageText(at, now)).toBe(text);
  });
});
