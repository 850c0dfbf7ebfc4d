/**
 * Host fixes as data: the CSS selector check every published selector passes through, the shape
 * admins publish, and the adapters trying published selectors before their built-in generations.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { SELECTORS as ASANA, asanaAdapter } from '../../lib/hosts/pages/asana';
import { SELECTORS as GITHUB, githubAdapter } from '../../lib/hosts/pages/github';
import { SELECTORS as JIRA, jiraAdapter } from '../../lib/hosts/pages/jira';
import { HostSelectorOverrides, usableOverrides } from '../../lib/hosts/pages/overrides';
import { selectorProblem } from '../../lib/hosts/pages/selector-check';
import { OVERRIDABLE } from '../../lib/hosts/pages/types';
import { adapterCode, IMPURE, loadPage, parseHtml } from './hosts-support';

const PAY_318 = { source: 'jira', host: 'acme.atlassian.net', key: 'PAY-318' } as const;
const TITLE = 'Refund e-mail shows <img src=x onerror=alert(1)> & "quotes" 🧾';
const MOVED = 'h1[data-testid="issue-view-summary.heading-2027"]';

/** The saved Jira Cloud page after Jira moved the summary to an element the built-in selectors do not know. */
function movedTitlePage(): Document {
  const doc = loadPage('jira-cloud-issue.html');
  const heading = doc.querySelector('h1[data-testid="issue.views.issue-base.foundation.summary.heading"]');
  heading?.setAttribute('data-testid', 'issue-view-summary.heading-2027');
  return doc;
}

function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (value && typeof value === 'object' && !(value instanceof RegExp)) return Object.values(value).flatMap(stringsOf);
  return [];
}

describe('the CSS selector check', () => {
  test('accepts every built-in selector of the three adapters', () => {
    const all = [...stringsOf(GITHUB), ...stringsOf(JIRA), ...stringsOf(ASANA)].filter(
      (s) => s !== ASANA.completedModifier,
    );
    expect(all.length).toBeGreaterThan(60);
    for (const selector of all) expect(selectorProblem(selector), selector).toBeNull();
  });

  test.each([
    'h1',
    '#summary-val',
    '.TaskPane .TaskPaneTitle textarea',
    '[data-testid="issue-title"]',
    "[data-testid='x' i]",
    'a[href^="/"], a[data-hovercard-url]',
    'div > h1 + p ~ span',
    ':is(h1, h2):not(.hidden)',
    'section:has(> h2) li:nth-child(2n+1 of .item)',
    'li:nth-of-type(odd):first-child',
    '[class*="prc-StateLabel"][data-status]',
    '#\\31 23',
    '*',
  ])('accepts %s', (selector) => {
    expect(selectorProblem(selector)).toBeNull();
    expect(() => parseHtml('<p></p>').querySelectorAll(selector)).not.toThrow();
  });

  test.each([
    ['', 'must not be empty'],
    ['h1 { color: red }', 'unexpected “{”'],
    ['<script>alert(1)</script>', 'unexpected “<”'],
    ['javascript:alert(1)', '“:alert()” is not a pseudo-class'],
    ['h1::before', 'pseudo-elements'],
    ['h1:hover-ish', '“:hover-ish” is not a pseudo-class'],
    ['h1,', 'it ends too early'],
    ['div >', 'it ends too early'],
    ['[data-x', '“]” expected'],
    ['[data-x="open]', 'not closed'],
    ['[x=5]', 'a value'],
    ['#123', 'an id'],
    ['.', 'a class name'],
    ['a:not(', 'it ends'],
    ['h1)', 'unexpected “)”'],
    ['h1; drop table', 'unexpected “;”'],
    ['h1\u0000', 'control characters'],
    ['@import url(x)', 'unexpected “@”'],
  ])('refuses %j, saying where', (selector, problem) => {
    expect(selectorProblem(selector)).toContain(problem);
  });
});

test('“:has()” at most one level deep, however it is reached (nested, it can make host pages jank)', () => {
  for (const selector of ['div:has(> h1) p:has(span)', ':is(section:has(h2)) li', 'a:not(:has(img))']) {
    expect(selectorProblem(selector), selector).toBeNull();
  }
  for (const selector of [
    'div:has(p:has(span))',
    'div:has(:is(p:has(span)))',
    'div:has(:not(:where(p:has(span))))',
    'div:has(li:nth-child(odd of :has(a)))',
  ]) {
    expect(selectorProblem(selector), selector).toMatch(/“:has\(\)” inside “:has\(\)”/);
  }
});

test('never throws, whatever the string: an answer or null', () => {
  const css = fc.constantFrom(...'ah1#.[]()=:>+~*,"\' \\-_n2'.split(''), '::', ':not(', ':has(', ':nth-child(');
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string(),
        fc.array(css).map((parts) => parts.join('')),
      ),
      (value) => {
        const problem = selectorProblem(value);
        expect(problem === null || typeof problem === 'string').toBe(true);
      },
    ),
    { numRuns: 3000 },
  );
});

describe('what an admin publishes', () => {
  test('per host, per field of that adapter, a list of checked selectors (trimmed)', () => {
    const parsed = HostSelectorOverrides.parse({ jira: { title: [` ${MOVED} `] }, github: { state: ['.State'] } });
    expect(parsed).toEqual({ jira: { title: [MOVED] }, github: { state: ['.State'] } });
  });

  test('each refusal names the field and the problem', () => {
    const issues = (value: unknown) =>
      HostSelectorOverrides.safeParse(value).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues({ gitlab: {} })).toEqual([': unknown host gitlab; the hosts are github, jira, asana']);
    expect(issues({ jira: { titel: ['h1'] } })?.[0]).toMatch(
      /^jira: unknown field titel; the fields are issueRoot, title/,
    );
    expect(issues({ jira: { title: [] } })?.[0]).toMatch(/^jira\.title: must list at least one selector/);
    expect(issues({ jira: { title: ['h1', 'h1 {}'] } })).toEqual([
      'jira.title.1: not a CSS selector (at character 4): unexpected “{”',
    ]);
    expect(issues({ asana: { title: [42] } })).toEqual(['asana.title.0: must be a CSS selector (a string)']);
    expect(issues({ github: { title: Array(11).fill('h1') } })).toEqual([
      'github.title: must list at most 10 selectors',
    ]);
    expect(issues({ github: { title: ['x'.repeat(501)] } })).toEqual([
      'github.title.0: must be at most 500 characters',
    ]);
    expect(issues('h1')).toEqual([': must be an object']);
  });

  test('read leniently (a newer server may accept more): what is valid kept, per host, field and selector; the rest named', () => {
    const read = usableOverrides({
      jira: {
        title: ['h1:future-pseudo(x)', ` ${MOVED} `, 42],
        summary: ['h1'],
        state: 'h1',
        key: [':future-pseudo'],
      },
      gitlab: { title: ['h1'] },
      asana: 'h1',
      github: { state: Array.from({ length: 12 }, (_, i) => `.s${i}`) },
    });
    expect(read.selectors).toEqual({
      jira: { title: [MOVED] },
      github: { state: Array.from({ length: 10 }, (_, i) => `.s${i}`) },
    });
    expect(HostSelectorOverrides.parse(read.selectors)).toEqual(read.selectors);
    expect(read.dropped).toEqual([
      'jira.title.0: not a CSS selector (at character 4): “:future-pseudo()” is not a pseudo-class this checks',
      'jira.title.2: must be a CSS selector (a string)',
      'jira.summary: unknown field; the fields are issueRoot, title, key, keyMeta, state, assignee, signedInUser, parent, epic, labels, goalPanel',
      'jira.state: must be a list of CSS selectors',
      expect.stringMatching(/^jira\.key\.0: .*“:future-pseudo” is not a pseudo-class/),
      'gitlab: unknown host; the hosts are github, jira, asana',
      'asana: must be an object of selector lists',
      'github.state: the 2 selectors after the first 10 (a field lists at most 10)',
    ]);
    for (const raw of ['h1', null, [1], undefined])
      expect(usableOverrides(raw)).toEqual({ selectors: {}, dropped: ['must be an object'] });
    expect(usableOverrides({})).toEqual({ selectors: {}, dropped: [] });
  });

  test('lenient reading never throws and always gives what the strict check accepts', () => {
    const selector = fc.oneof(
      fc.constantFrom('h1', '.a', 'h1::after', ':x', '', 'a'.repeat(600)),
      fc.string(),
      fc.integer(),
    );
    const list = fc.oneof(fc.array(selector, { maxLength: 14 }), selector);
    const fields = fc.dictionary(fc.constantFrom('title', 'state', 'pane', 'nope', '__proto__'), list);
    const doc = fc.oneof(
      fc.dictionary(fc.constantFrom('jira', 'github', 'asana', 'gitlab', '__proto__'), fields),
      fc.anything(),
    );
    fc.assert(
      fc.property(doc, (raw) => {
        const { selectors } = usableOverrides(raw);
        expect(HostSelectorOverrides.safeParse(selectors).success).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  test('every overridable field is a selector list of its adapter', () => {
    const lists: Record<string, Record<string, unknown>> = { github: GITHUB, jira: JIRA, asana: ASANA };
    for (const [source, fields] of Object.entries(OVERRIDABLE)) {
      for (const field of fields) {
        const value = field === 'assignees' ? GITHUB.assignees.sections : lists[source]?.[field];
        expect(Array.isArray(value), `${source}.${field}`).toBe(true);
      }
    }
  });
});

describe('adapters with published selectors', () => {
  test('a moved title: the built-in selectors find no ticket; the published one reads it, before the built-in ones', () => {
    const doc = movedTitlePage();
    expect(jiraAdapter.isRendered(doc, PAY_318)).toBe(false);

    const fixed = jiraAdapter.withSelectors({ title: [MOVED] });
    expect(fixed.isRendered(doc, PAY_318)).toBe(true);
    expect(fixed.readDetails(doc, PAY_318)).toMatchObject({ title: TITLE, state: 'In Progress', estimate: 5 });
    // The built-in adapter is unchanged; published selectors do not stack.
    expect(jiraAdapter.isRendered(doc, PAY_318)).toBe(false);
    expect(fixed.withSelectors({}).isRendered(doc, PAY_318)).toBe(false);
  });

  test('a wrong element taken by a built-in selector: the published one wins', () => {
    const doc = loadPage('jira-cloud-issue.html');
    const fixed = jiraAdapter.withSelectors({ title: ['[data-testid="issue.views.field.rich-text.description"] p'] });
    expect(fixed.readDetails(doc, PAY_318).title).toBe(
      'When the refund total is over 1,000 EUR the e-mail template prints the raw tag.',
    );
    expect(jiraAdapter.readDetails(doc, PAY_318).title).toBe(TITLE);
  });

  test('a published selector that matches nothing, or that the browser refuses, leaves the built-in ones working', () => {
    const doc = loadPage('jira-cloud-issue.html');
    for (const adapter of [
      jiraAdapter.withSelectors({ title: ['.nothing-here'] }),
      jiraAdapter.withSelectors({ title: ['h1:unknown-to-the-browser(('], state: ['[['] }),
    ]) {
      expect(adapter.isRendered(doc, PAY_318)).toBe(true);
      expect(adapter.readDetails(doc, PAY_318)).toMatchObject({ title: TITLE, state: 'In Progress' });
    }
  });

  test('GitHub and Asana take them too (GitHub’s assignees are its sections)', () => {
    const ref = { source: 'github', host: 'github.com', key: 'acme/api#7' } as const;
    const doc = parseHtml(`<html><head><title>x</title></head><body>
      <header class="issue-header-2027"><h1><span class="t">Fix rounding</span> <span>#7</span></h1>
      <em class="status-2027">Open</em></header>
      <aside class="people-2027"><a href="/octocat">octocat</a></aside></body></html>`);
    expect(githubAdapter.isRendered(doc, ref)).toBe(false);
    const fixed = githubAdapter.withSelectors({
      title: ['.issue-header-2027 .t'],
      titleHeader: ['.issue-header-2027 h1'],
      state: ['.status-2027'],
      assignees: ['.people-2027'],
    });
    expect(fixed.isRendered(doc, ref)).toBe(true);
    expect(fixed.readDetails(doc, ref)).toMatchObject({
      title: 'Fix rounding',
      state: 'Open',
      closed: false,
      assignees: ['octocat'],
    });

    const task = { source: 'asana', host: 'app.asana.com', key: '1207000000000001' } as const;
    const pane = parseHtml('<div class="TaskPane"><div class="TaskName2027">Ship invoices</div></div>');
    expect(asanaAdapter.isRendered(pane, task)).toBe(false);
    expect(asanaAdapter.withSelectors({ title: ['.TaskPane .TaskName2027'] }).readDetails(pane, task).title).toBe(
      'Ship invoices',
    );
  });

  test('the adapters stay pure', () => {
    for (const file of ['types.ts', 'selector-check.ts', 'overrides.ts']) expect(adapterCode(file)).not.toMatch(IMPURE);
  });
});
