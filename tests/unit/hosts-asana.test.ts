import { describe, expect, test } from 'vitest';
import { asanaAdapter, SELECTORS } from '../../lib/hosts/pages/asana';
import { adapters } from '../../lib/hosts/pages/index';
import type { TicketRef } from '../../lib/shared/contract';
import { adapterCode, EMPTY_PAGE, expectValidRef, IMPURE, loadPage, parseHtml } from './hosts-support';

const asana = (key: string): TicketRef => ({ source: 'asana', host: 'app.asana.com', key });
const refOf = (url: string) => asanaAdapter.refFromUrl(new URL(url));

const WORKSPACE = '1201234567890123';
const PROJECT = '1207000000000100';
const TASK_1 = asana('1207000000000001');
const TASK_2 = asana('1207000000000002');

const LONG_RTL_TITLE =
  'مراجعة عقود الموردين لعام 2026 — בדיקת חוזי ספקים לקראת החידוש — vendor contract review for the 2026 renewals: ' +
  'collect the signed PDFs, compare the fee schedules against the 2025 terms, flag every clause that changes the ' +
  'settlement window or the chargeback liability, and write a one-page summary per acquirer for the finance committee';

describe('asana refFromUrl: V0 and V1 URLs of one task give the same reference', () => {
  const variants: [TicketRef, string[]][] = [
    [
      TASK_1,
      [
        // V1
        `https://app.asana.com/1/${WORKSPACE}/project/${PROJECT}/task/1207000000000001`,
        `https://app.asana.com/1/${WORKSPACE}/project/${PROJECT}/task/1207000000000001/`,
        `https://app.asana.com/1/${WORKSPACE}/project/${PROJECT}/task/1207000000000001?focus=true`,
        `https://app.asana.com/1/${WORKSPACE}/project/${PROJECT}/task/1207000000000001/comment/1207000000000999`,
        `https://app.asana.com/1/${WORKSPACE}/project/${PROJECT}/task/1207000000000001/f`,
        `https://app.asana.com/1/${WORKSPACE}/task/1207000000000001`,
        `https://app.asana.com/1/${WORKSPACE}/task/1207000000000001/comment/1207000000000999?focus=true`,
        `https://APP.ASANA.COM/1/${WORKSPACE}/task/1207000000000001`,
        // V0: project, no project (0), My Tasks list, full screen
        `https://app.asana.com/0/${PROJECT}/1207000000000001`,
        `https://app.asana.com/0/${PROJECT}/1207000000000001/f`,
        `https://app.asana.com/0/${PROJECT}/1207000000000001/`,
        'https://app.asana.com/0/0/1207000000000001',
        'https://app.asana.com/0/1199000000000002/1207000000000001',
        'https://app.asana.com/0/1199000000000002/1207000000000001/f#comment',
      ],
    ],
    [
      TASK_2,
      [
        `https://app.asana.com/0/${PROJECT}/1207000000000002/f`,
        `https://app.asana.com/1/${WORKSPACE}/task/1207000000000002`,
      ],
    ],
    [asana('7'), ['https://app.asana.com/0/0/7']],
  ];

  for (const [expected, urls] of variants) {
    test.each(urls)(`%s → ${expected.key}`, (url) => {
      expectValidRef(refOf(url), expected);
    });
  }
});

describe('asana refFromUrl: pages that are not tasks', () => {
  test.each([
    'https://app.asana.com/',
    'https://app.asana.com/-/login',
    'https://app.asana.com/0/home/1201234567890123',
    'https://app.asana.com/0/inbox/1201234567890123',
    `https://app.asana.com/0/${PROJECT}`,
    `https://app.asana.com/0/${PROJECT}/list`,
    `https://app.asana.com/0/${PROJECT}/board`,
    `https://app.asana.com/0/${PROJECT}/timeline`,
    `https://app.asana.com/0/${PROJECT}/calendar`,
    `https://app.asana.com/0/${PROJECT}/1207000000000001/x`,
    `https://app.asana.com/0/${PROJECT}/1207000000000001/f/extra`,
    `https://app.asana.com/0/portfolio/${PROJECT}/list`,
    `https://app.asana.com/0/search/${PROJECT}/1207000000000001`,
    `https://app.asana.com/1/${WORKSPACE}/home`,
    `https://app.asana.com/1/${WORKSPACE}/project/${PROJECT}`,
    `https://app.asana.com/1/${WORKSPACE}/project/${PROJECT}/list/1207000000000101`,
    `https://app.asana.com/1/${WORKSPACE}/project/${PROJECT}/board/1207000000000103`,
    `https://app.asana.com/1/${WORKSPACE}/project/${PROJECT}/overview/1207000000000102`,
    `https://app.asana.com/1/${WORKSPACE}/project/${PROJECT}/task`,
    `https://app.asana.com/1/${WORKSPACE}/project/${PROJECT}/task/abc`,
    `https://app.asana.com/1/${WORKSPACE}/project/task/1207000000000001`,
    `https://app.asana.com/1/${WORKSPACE}/list/task/1207000000000001`,
    'https://app.asana.com/1/workspace/task/1207000000000001',
    `https://app.asana.com/2/${WORKSPACE}/task/1207000000000001`,
    `https://app.asana.com/0/0/${'1'.repeat(31)}`,
  ])('%s → null', (url) => {
    expect(refOf(url)).toBeNull();
  });
});

describe('asana readDetails and isRendered', () => {
  test('task pane beside the list: hostile task name as exact text, the pane not the rows', () => {
    const doc = loadPage('asana-task-pane.html');
    expect(doc.querySelector('img[onerror]')).toBeNull();
    expect(asanaAdapter.readDetails(doc, TASK_1)).toEqual({
      title: 'Refund e-mail <img src=x onerror=alert(1)> copy review ✉️',
      state: 'Incomplete',
      closed: false,
      assignees: ['Priya Natarajan'],
      project: 'Payments — Q3 Roadmap',
      signedInUser: null,
      estimate: null,
      // A top-level task: no ancestry, so no parent slot; the sections beside the tokens carry no gid.
      containers: {
        projects: [
          { ref: 'asana:app.asana.com/project/1207000000000100', title: 'Payments — Q3 Roadmap' },
          { ref: 'asana:app.asana.com/project/1207000000000300', title: 'Customer comms' },
        ],
      },
    });
    expect(asanaAdapter.isRendered(doc, TASK_1)).toBe(true);
  });

  test('full screen: long right-to-left name, completed, nobody assigned, project from the header link', () => {
    const doc = loadPage('asana-task-fullscreen.html');
    expect(asanaAdapter.readDetails(doc, TASK_2)).toEqual({
      title: LONG_RTL_TITLE,
      state: 'Completed',
      closed: true,
      assignees: [],
      project: 'Vendor management',
      signedInUser: null,
      estimate: null,
      // The last ancestor is the parent (the one before it is the grandparent).
      containers: {
        parent: [{ ref: 'asana:app.asana.com/1207000000000020', title: 'Vendor renewals 2026' }],
        projects: [{ ref: 'asana:app.asana.com/project/1207000000000100', title: 'Vendor management' }],
      },
    });
    expect(LONG_RTL_TITLE.length).toBeGreaterThan(300);
    expect(asanaAdapter.isRendered(doc, TASK_2)).toBe(true);
  });

  test('the list without a pane: the rows are not read as the task, nothing is rendered', () => {
    const doc = loadPage('asana-task-pane.html');
    doc.querySelector('.TaskPane')?.remove();
    expect(doc.querySelectorAll('textarea[aria-label="Task Name"]').length).toBe(2);
    expect(asanaAdapter.readDetails(doc, TASK_1)).toEqual({
      title: null,
      state: null,
      closed: null,
      assignees: null,
      project: null,
      signedInUser: null,
      estimate: null,
      containers: {},
    });
    expect(asanaAdapter.isRendered(doc, TASK_1)).toBe(false);
  });

  test('an empty page, and a pane with an empty name: nulls, never a throw', () => {
    const empty = parseHtml(EMPTY_PAGE);
    expect(asanaAdapter.readDetails(empty, TASK_1)).toEqual({
      title: null,
      state: null,
      closed: null,
      assignees: null,
      project: null,
      signedInUser: null,
      estimate: null,
      containers: {},
    });
    expect(asanaAdapter.isRendered(empty, TASK_1)).toBe(false);
    const unnamed = parseHtml(
      '<div class="TaskPane"><div class="TaskPaneTitle"><textarea aria-label="Task Name"> </textarea></div></div>',
    );
    expect(asanaAdapter.readDetails(unnamed, TASK_1).title).toBeNull();
    expect(asanaAdapter.isRendered(unnamed, TASK_1)).toBe(false);
  });

  test('the title is found by its accessible name when the wrapper class changes; completion by its text', () => {
    const doc = parseHtml(`
      <div class="TaskPane"><div class="TaskPaneToolbar"><div class="TaskCompletionToggleButton" role="button">Completed</div></div>
        <div class="TaskPaneHeader_x1"><textarea aria-label="Task Name">Renamed wrapper</textarea></div></div>`);
    expect(asanaAdapter.readDetails(doc, TASK_1)).toMatchObject({
      title: 'Renamed wrapper',
      state: 'Completed',
      closed: true,
    });
    expect(asanaAdapter.isRendered(doc, TASK_1)).toBe(true);
  });
});

describe('asana containers: where the task sits', () => {
  const containers = (html: string, ref = TASK_1) =>
    asanaAdapter.readDetails(parseHtml(`<div class="TaskPane">${html}</div>`), ref).containers;

  test('the parent from a V1 link as from a V0 one; a link elsewhere or to this task is no parent', () => {
    expect(
      containers(
        `<div class="TaskAncestry"><a class="NavigationLink TaskAncestry-ancestorLink" href="/1/${WORKSPACE}/task/1207000000000030">Launch 🚀</a></div>`,
      ),
    ).toEqual({ parent: [{ ref: 'asana:app.asana.com/1207000000000030', title: 'Launch 🚀' }] });
    for (const href of [
      'https://evil.example/0/0/1207000000000030',
      '/0/0/1207000000000001',
      '/0/1207000000000100/list',
    ])
      expect(
        containers(
          `<div class="TaskAncestry"><a class="NavigationLink TaskAncestry-ancestorLink" href="${href}">x</a></div>`,
        ),
      ).toEqual({});
  });

  test('projects: a field without a token is []; tokens that link nowhere known are not read; each project once', () => {
    expect(containers('<div class="TaskProjects"><div role="button">Add to projects</div></div>')).toEqual({
      projects: [],
    });
    expect(
      containers(
        '<div class="TaskProjects"><div class="TaskProjects-projectTokenPill"><span>Payments — Q3 Roadmap</span></div></div>',
      ),
    ).toEqual({});
    expect(
      containers(`<ul class="TaskProjects">
        <li><a class="BaseLink" href="/0/1207000000000100/1207000000000001"><div class="TaskProjectTokenPill-name">🚀 Launch</div></a>
          <a href="/0/1207000000000100/list?section=1207000000000105">Doing ▾</a></li>
        <li><a class="BaseLink" href="/0/0/1207000000000001"><div class="TaskProjectTokenPill-name">My tasks</div></a></li></ul>`),
    ).toEqual({ projects: [{ ref: 'asana:app.asana.com/project/1207000000000100', title: '🚀 Launch' }] });
  });

  test("rows behind the pane are not read: only the pane's ancestry and projects", () => {
    const doc = parseHtml(`
      <div class="SpreadsheetRow"><div class="TaskAncestry"><a class="NavigationLink TaskAncestry-ancestorLink" href="/0/0/1207000000000040">Other</a></div></div>
      <div class="TaskPane"><div class="TaskPaneTitle"><textarea aria-label="Task Name">Task</textarea></div></div>`);
    expect(asanaAdapter.readDetails(doc, TASK_1).containers).toEqual({});
  });
});

describe('asana adapter wiring', () => {
  test('is the asana entry of the adapters', () => {
    expect(adapters.asana).toBe(asanaAdapter);
    expect(asanaAdapter.source).toBe('asana');
    expect(Object.keys(adapters).sort()).toEqual(['asana', 'github', 'jira']);
  });

  test('every selector is valid CSS', () => {
    const doc = parseHtml(EMPTY_PAGE);
    const selectors = Object.values(SELECTORS).flatMap((value) => (Array.isArray(value) ? value : [])) as string[];
    expect(selectors.length).toBeGreaterThan(8);
    for (const selector of selectors) expect(() => doc.querySelectorAll(selector), selector).not.toThrow();
  });

  test('stays pure: no markup rendering, no globals, no browser APIs', () => {
    expect(adapterCode('asana.ts')).not.toMatch(IMPURE);
    expect(adapterCode('asana.ts')).toContain('firstText(');
  });
});
