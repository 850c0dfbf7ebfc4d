import { describe, expect, test } from 'vitest';
import { adapters } from '../../lib/hosts/pages/index';
import { jiraAdapter, SELECTORS } from '../../lib/hosts/pages/jira';
import type { TicketRef } from '../../lib/shared/contract';
import { adapterCode, EMPTY_PAGE, expectValidRef, IMPURE, loadPage, parseHtml } from './hosts-support';

const jira = (key: string, host = 'acme.atlassian.net'): TicketRef => ({ source: 'jira', host, key });
const refOf = (url: string) => jiraAdapter.refFromUrl(new URL(url));

const PAY_318 = jira('PAY-318');
const PAY_321 = jira('PAY-321');
const OPS = jira('OPS_2-1042', 'jira.acme.internal:8443');
const WEB_77 = jira('WEB-77', 'legacy.atlassian.net');

const LONG_TITLE =
  'Nightly settlement job fails for merchants with more than 10,000 transactions per day because the batch query ' +
  'loads every row into memory; split the batch by merchant and by hour, stream the rows, keep the idempotency keys ' +
  'stable across retries, and make sure the reconciliation report still sums to the bank statement for EUR, GBP, USD, ' +
  'JPY (zero-decimal) and KWD (three-decimal) currencies, including the DST change-over nights in March and October ' +
  'and the leap day, without changing the settlement file format that the three acquiring banks parse';

describe('jira refFromUrl: every URL variant of one issue gives the same reference', () => {
  const variants: [TicketRef, string[]][] = [
    [
      PAY_318,
      [
        'https://acme.atlassian.net/browse/PAY-318',
        'https://acme.atlassian.net/browse/PAY-318/',
        'https://acme.atlassian.net/browse/PAY-318?focusedCommentId=10231',
        'https://acme.atlassian.net/browse/PAY-318?atlOrigin=eyJpIjoiNWQ1YjQxIiwicCI6ImoifQ',
        'https://acme.atlassian.net/browse/PAY-318#comment-10231',
        'https://ACME.atlassian.net/jira/browse/PAY-318',
        // board, backlog, list, timeline, business board: the open issue is ?selectedIssue=
        'https://acme.atlassian.net/jira/software/projects/PAY/boards/12?selectedIssue=PAY-318',
        'https://acme.atlassian.net/jira/software/c/projects/PAY/boards/12/backlog?selectedIssue=PAY-318&issueLimit=100',
        'https://acme.atlassian.net/jira/software/projects/PAY/list?sortBy=key&direction=ASC&selectedIssue=PAY-318',
        'https://acme.atlassian.net/jira/software/projects/PAY/boards/12/timeline?selectedIssue=PAY-318&shared=&atlOrigin=x',
        'https://acme.atlassian.net/jira/core/projects/PAY/board?groupBy=status&selectedIssue=PAY-318',
        'https://acme.atlassian.net/issues/?jql=project%20%3D%20PAY&selectedIssue=PAY-318',
        // issue list: /projects/PROJ/issues/KEY
        'https://acme.atlassian.net/jira/software/c/projects/PAY/issues/PAY-318?jql=project%20%3D%20%22PAY%22',
      ],
    ],
    [
      OPS,
      [
        'https://jira.acme.internal:8443/jira/browse/OPS_2-1042',
        'https://jira.acme.internal:8443/jira/browse/OPS_2-1042?page=com.atlassian.jira.plugin.system.issuetabpanels:worklog-tabpanel',
        'https://jira.acme.internal:8443/jira/projects/OPS_2/issues/OPS_2-1042?filter=allopenissues',
        'https://jira.acme.internal:8443/jira/secure/RapidBoard.jspa?rapidView=5&view=detail&selectedIssue=OPS_2-1042',
        'https://JIRA.acme.internal:8443/jira/secure/RapidBoard.jspa?rapidView=5&view=planning.nodetail&selectedIssue=OPS_2-1042',
      ],
    ],
    [
      jira('ITSD-42'),
      [
        'https://acme.atlassian.net/jira/servicedesk/projects/ITSD/queues/custom/1/ITSD-42',
        'https://acme.atlassian.net/jira/servicedesk/projects/ITSD/queues/custom/1/ITSD-42?oldIssueView=true',
        'https://acme.atlassian.net/jira/servicedesk/projects/ITSD/queues/issue/ITSD-42',
        'https://acme.atlassian.net/browse/ITSD-42',
      ],
    ],
    [
      jira('A1_B-2', 'issues.example.org'),
      ['http://issues.example.org/browse/A1_B-2', 'http://issues.example.org:80/projects/A1_B/issues/A1_B-2'],
    ],
    [jira('TEST-100', 'localhost:2990'), ['http://localhost:2990/jira/browse/TEST-100']],
    [WEB_77, ['https://legacy.atlassian.net/browse/WEB-77']],
  ];

  for (const [expected, urls] of variants) {
    test.each(urls)(`%s → ${expected.host}/${expected.key}`, (url) => {
      expectValidRef(refOf(url), expected);
    });
  }
});

describe('jira refFromUrl: pages that are not issues', () => {
  test.each([
    'https://acme.atlassian.net/',
    'https://acme.atlassian.net/browse/',
    'https://acme.atlassian.net/browse',
    'https://acme.atlassian.net/browse/PAY',
    'https://acme.atlassian.net/jira/your-work',
    'https://acme.atlassian.net/jira/projects',
    'https://acme.atlassian.net/jira/software/projects/PAY/boards/12',
    'https://acme.atlassian.net/jira/software/projects/PAY/boards/12/backlog',
    'https://acme.atlassian.net/jira/software/projects/PAY/issues',
    'https://acme.atlassian.net/jira/servicedesk/projects/ITSD/queues/custom/1',
    'https://acme.atlassian.net/issues/?jql=project%20%3D%20PAY',
    'https://acme.atlassian.net/secure/Dashboard.jspa',
    // the key must be upper case, start with a letter, have two characters or more, and a number from 1
    'https://acme.atlassian.net/browse/pay-1',
    'https://acme.atlassian.net/browse/Pay-1',
    'https://acme.atlassian.net/browse/1PAY-1',
    'https://acme.atlassian.net/browse/P-1',
    'https://acme.atlassian.net/browse/PAY-0',
    'https://acme.atlassian.net/browse/PAY-01',
    'https://acme.atlassian.net/browse/PAY--1',
    'https://acme.atlassian.net/browse/PAY-318extra',
    'https://acme.atlassian.net/browse/PAY-12345678901',
    'https://acme.atlassian.net/jira/software/projects/PAY/boards/12?selectedIssue=',
    'https://acme.atlassian.net/jira/software/projects/PAY/boards/12?selectedIssue=pay-318',
    'https://acme.atlassian.net/jira/software/projects/PAY/boards/12?selectedIssue=PAY-318%20',
    'https://acme.atlassian.net/jira/software/projects/PAY/boards/12?selectedIssue=PAY-318,PAY-319',
    'https://acme.atlassian.net/jira/software/projects/PAY/boards/12?selectedissue=PAY-318',
    'https://[::1]:8080/browse/PAY-318',
  ])('%s → null', (url) => {
    expect(refOf(url)).toBeNull();
  });
});

describe('jira readDetails and isRendered', () => {
  test('Cloud issue view: a hostile summary comes back as its exact text', () => {
    const doc = loadPage('jira-cloud-issue.html');
    expect(doc.querySelector('img[onerror]')).toBeNull();
    expect(jiraAdapter.readDetails(doc, PAY_318)).toEqual({
      title: 'Refund e-mail shows <img src=x onerror=alert(1)> & "quotes" 🧾',
      state: 'In Progress',
      closed: false,
      assignees: ['Priya Natarajan'],
      project: 'PAY',
      signedInUser: '712020:5f2e3c1d-aaaa-bbbb-cccc-0123456789ab',
      estimate: 5,
      // The Parent field (key and summary) before the breadcrumb (key only).
      containers: {
        parent: [{ ref: 'jira:acme.atlassian.net/PAY-300', title: 'Refunds overhaul' }],
        labels: [
          { ref: 'jira:acme.atlassian.net/PAY/label/refunds', title: 'refunds' },
          { ref: 'jira:acme.atlassian.net/PAY/label/email', title: 'email' },
        ],
      },
    });
    expect(jiraAdapter.isRendered(doc, PAY_318)).toBe(true);
    // PAY-300 (the parent in the breadcrumbs) and PAY-3180/PAY-31 (prefixes) are not what the page shows.
    expect(jiraAdapter.isRendered(doc, jira('PAY-300'))).toBe(false);
    expect(jiraAdapter.isRendered(doc, jira('PAY-31'))).toBe(false);
    expect(jiraAdapter.isRendered(doc, jira('PAY-3180'))).toBe(false);
  });

  test('Cloud board with the side panel: the panel issue, not the cards; done; nobody assigned', () => {
    const ref = refOf('https://acme.atlassian.net/jira/software/projects/PAY/boards/12?selectedIssue=PAY-321');
    expect(ref).toEqual(PAY_321);
    const doc = loadPage('jira-cloud-board-panel.html');
    expect(jiraAdapter.readDetails(doc, PAY_321)).toEqual({
      title: 'تحديث صفحة الدفع 🚀 checkout v2 למשתמשים חדשים',
      state: 'Done',
      closed: true,
      assignees: [],
      project: 'PAY',
      signedInUser: '557058:0a1b2c3d-4e5f-6789-abcd-ef0123456789',
      estimate: 3,
      containers: { parent: [{ ref: 'jira:acme.atlassian.net/PAY-300', title: null }], labels: [] },
    });
    expect(jiraAdapter.isRendered(doc, PAY_321)).toBe(true);
    // The board shows a card for PAY-318, but the panel shows PAY-321: switching issues has not rendered yet.
    expect(jiraAdapter.isRendered(doc, PAY_318)).toBe(false);
  });

  test('Server/DC classic page under a context path: very long summary, resolved, story points 5.0', () => {
    const doc = loadPage('jira-server-issue.html');
    expect(jiraAdapter.readDetails(doc, OPS)).toEqual({
      title: LONG_TITLE,
      state: 'Resolved',
      closed: true,
      assignees: ['Jonas Weber'],
      project: 'OPS_2',
      signedInUser: 'Sam Rivera',
      estimate: 5,
      // Not a sub-task: no parent shown. The Epic Link, and the labels without the field's edit link.
      containers: {
        epic: [{ ref: 'jira:jira.acme.internal:8443/OPS_2-900', title: 'Settlement hardening' }],
        labels: [
          { ref: 'jira:jira.acme.internal:8443/OPS_2/label/settlement', title: 'settlement' },
          { ref: 'jira:jira.acme.internal:8443/OPS_2/label/batch-jobs', title: 'batch-jobs' },
        ],
      },
    });
    expect(LONG_TITLE.length).toBe(549);
    expect(jiraAdapter.isRendered(doc, OPS)).toBe(true);
    expect(jiraAdapter.isRendered(doc, jira('OPS_2-1000', OPS.host))).toBe(false);
  });

  test('older Cloud generation with data-test-id: to do, one assignee, no estimate, no user', () => {
    const doc = loadPage('jira-cloud-legacy-issue.html');
    expect(jiraAdapter.readDetails(doc, WEB_77)).toEqual({
      title: 'Cookie banner overlaps the footer on mobile',
      state: 'To Do',
      closed: false,
      assignees: ['Mei Chen'],
      project: 'WEB',
      signedInUser: null,
      estimate: null,
      containers: {
        parent: [{ ref: 'jira:legacy.atlassian.net/WEB-70', title: null }],
        labels: [
          { ref: 'jira:legacy.atlassian.net/WEB/label/mobile', title: 'mobile' },
          { ref: 'jira:legacy.atlassian.net/WEB/label/ux-d%C3%A9bt', title: 'ux-débt' },
        ],
      },
    });
    expect(jiraAdapter.isRendered(doc, WEB_77)).toBe(true);
    expect(jiraAdapter.isRendered(doc, jira('WEB-76', WEB_77.host))).toBe(false);
  });

  test('an empty page: nulls, assignees not shown (null, which erases nothing), never a throw; the project still comes from the key', () => {
    const doc = parseHtml(EMPTY_PAGE);
    expect(jiraAdapter.readDetails(doc, OPS)).toEqual({
      title: null,
      state: null,
      closed: null,
      assignees: null,
      project: 'OPS_2',
      signedInUser: null,
      estimate: null,
      containers: {},
    });
    expect(jiraAdapter.isRendered(doc, OPS)).toBe(false);
  });

  test('the page title is the fallback title, for this key only; the ajs-issue-key meta marks the page', () => {
    const doc = parseHtml(
      '<html><head><title>[PAY-318] Fix - refund - rounding - Jira</title><meta name="ajs-issue-key" content="PAY-318"></head>' +
        '<body><h1 id="summary-val">  </h1></body></html>',
    );
    expect(jiraAdapter.readDetails(doc, PAY_318).title).toBe('Fix - refund - rounding');
    expect(jiraAdapter.readDetails(doc, jira('PAY-31')).title).toBeNull();
    // An empty heading is no rendered title.
    expect(jiraAdapter.isRendered(doc, PAY_318)).toBe(false);
    const rendered = parseHtml(
      '<html><head><meta name="ajs-issue-key" content="PAY-318"></head><body><h1 id="summary-val">Fix</h1></body></html>',
    );
    expect(jiraAdapter.isRendered(rendered, PAY_318)).toBe(true);
    expect(jiraAdapter.isRendered(rendered, PAY_321)).toBe(false);
  });

  test('statuses: done words and the done lozenge mean closed; any other named status does not', () => {
    const status = (html: string) => jiraAdapter.readDetails(parseHtml(html), PAY_318);
    expect(status('<span id="status-val"><span class="jira-issue-status-lozenge">Closed</span></span>')).toMatchObject({
      state: 'Closed',
      closed: true,
    });
    expect(
      status(
        '<span id="status-val"><span class="jira-issue-status-lozenge jira-issue-status-lozenge-success">Shipped to prod</span></span>',
      ),
    ).toMatchObject({ state: 'Shipped to prod', closed: true });
    expect(
      status('<div data-testid="issue.views.issue-base.foundation.status.status-field-wrapper">Won\'t Do</div>'),
    ).toMatchObject({
      state: "Won't Do",
      closed: true,
    });
    expect(status('<span id="status-val">QA review</span>')).toMatchObject({ state: 'QA review', closed: false });
  });

  test('assignees: "Unassigned" is nobody; estimates read decimals and ignore non-numbers', () => {
    const doc = parseHtml(`
      <span id="assignee-val"><em>Unassigned</em></span>
      <ul>
        <li><strong title="Story Points" class="name"><label>Story Points:</label></strong><div class="value">not set</div></li>
        <li><div><h3>Story point estimate</h3></div><div><span>2,5</span></div></li>
      </ul>`);
    expect(jiraAdapter.readDetails(doc, PAY_318)).toMatchObject({ assignees: [], estimate: 2.5 });
  });
});

test('Cloud’s “Story point estimate” in a span.field-label, the value in the next cell', () => {
  const doc = parseHtml(`<!DOCTYPE html><html><head><title>PAY-318</title></head><body>
    <h1 data-testid="issue.views.issue-base.foundation.summary.heading">Refund e-mail</h1>
    <div class="field-row"><div><span class="field-label">Story point estimate</span></div><div><span>8</span></div></div>
  </body></html>`);
  expect(jiraAdapter.readDetails(doc, PAY_318).estimate).toBe(8);
});

describe('jira containers: where the issue sits', () => {
  const containers = (html: string, ref = PAY_318) => jiraAdapter.readDetails(parseHtml(html), ref).containers;

  test("Server/DC sub-task: the breadcrumb's parent, its key from data-issue-key and its summary from the title", () => {
    // Jira's issue header template: <a title="{parent summary}" id="parent_issue_summary" href="/browse/{key}">{key} {summary}</a>
    const subtask = `<ol class="aui-nav aui-nav-breadcrumbs">
      <li><a id="project-name-val" href="/jira/projects/OPS_2">Operations</a></li>
      <li><a title="Nightly settlement &amp; reconciliation" id="parent_issue_summary" data-issue-key="OPS_2-1000" href="/jira/browse/OPS_2-1000">OPS_2-1000 Nightly settlement &amp; reconciliation</a></li>
      <li><a id="key-val" href="/jira/browse/OPS_2-1042">OPS_2-1042</a></li></ol>`;
    expect(containers(subtask, OPS)).toEqual({
      parent: [{ ref: 'jira:jira.acme.internal:8443/OPS_2-1000', title: 'Nightly settlement & reconciliation' }],
    });
  });

  test('a parent field showing none is []; a link elsewhere, or to this issue, is no parent', () => {
    expect(
      containers(`<div data-testid="issue-field-parent.ui.read-view-container">
        <span data-testid="issue-field-parent.ui.view-read-view-empty-value">None</span></div>`),
    ).toEqual({ parent: [] });
    for (const href of ['https://other.atlassian.net/browse/PAY-300', '/browse/PAY-318', '/browse/pay-300'])
      expect(
        containers(
          `<li data-testid="issue.views.issue-base.foundation.breadcrumbs.parent-issue.item"><a href="${href}">x</a></li>`,
        ),
      ).toEqual({});
  });

  test("the board panel: the panel issue's parent and labels, not a card's", () => {
    const doc = loadPage('jira-cloud-board-panel.html');
    const card = doc.querySelector('[data-card-key="PAY-322"]');
    card?.insertAdjacentHTML(
      'beforeend',
      '<div data-testid="issue-field-parent.ui.read-view-container"><a href="/browse/PAY-100">PAY-100 Checkout</a></div>',
    );
    expect(jiraAdapter.readDetails(doc, PAY_321).containers).toEqual({
      parent: [{ ref: 'jira:acme.atlassian.net/PAY-300', title: null }],
      labels: [],
    });
  });

  test('labels: an empty Server/DC field is [] in any language; Cloud\'s "None" is []; a name keeps its characters', () => {
    expect(
      containers(
        '<div id="wrap-labels"><div class="labels-wrap value"><span class="labels" id="labels-1-value">Keine</span></div></div>',
        OPS,
      ),
    ).toEqual({ labels: [] });
    expect(containers('<div data-test-id="issue.views.field.labels"><h2>Labels</h2>None</div>')).toEqual({
      labels: [],
    });
    expect(
      containers(
        '<div data-test-id="issue.views.field.labels"><a href="/issues/?jql=labels%20%3D%20%F0%9F%9A%80-launch">🚀-launch</a></div>',
      ),
    ).toEqual({ labels: [{ ref: 'jira:acme.atlassian.net/PAY/label/%F0%9F%9A%80-launch', title: '🚀-launch' }] });
    // A field in another language whose empty text is not known: not read.
    expect(containers('<div data-test-id="issue.views.field.labels">Aucun</div>')).toEqual({});
  });

  test('a moved field: the published selector reads it', () => {
    const doc = parseHtml(
      '<section class="labels-v3"><a href="/issues/?jql=labels%20%3D%20refunds">refunds</a></section>',
    );
    expect(jiraAdapter.readDetails(doc, PAY_318).containers).toEqual({});
    expect(jiraAdapter.withSelectors({ labels: ['.labels-v3'] }).readDetails(doc, PAY_318).containers).toEqual({
      labels: [{ ref: 'jira:acme.atlassian.net/PAY/label/refunds', title: 'refunds' }],
    });
  });
});

describe('jira adapter wiring', () => {
  test('is the jira entry of the adapters', () => {
    expect(adapters.jira).toBe(jiraAdapter);
    expect(jiraAdapter.source).toBe('jira');
  });

  test('every selector is valid CSS', () => {
    const doc = parseHtml(EMPTY_PAGE);
    const selectors = Object.values(SELECTORS).flatMap((value) => (Array.isArray(value) ? value : [])) as string[];
    expect(selectors.length).toBeGreaterThan(20);
    for (const selector of selectors) expect(() => doc.querySelectorAll(selector), selector).not.toThrow();
  });

  test('stays pure: no markup rendering, no globals, no browser APIs', () => {
    expect(adapterCode('jira.ts')).not.toMatch(IMPURE);
    expect(adapterCode('jira.ts')).toContain('textOf(');
  });
});

describe('what a person reads, not what the markup carries', () => {
  // As measured on Jira Cloud's issue view and board panel: the assignee wrapper's text carried the
  // field's label and the avatar's initials, and the status button its dropdown glyph.
  const page = (assignee: string, status: string) =>
    parseHtml(`<!DOCTYPE html><html><head><title>[PAY-125] Retry refunds - Jira</title></head><body>
      <h1 data-testid="issue.views.issue-base.foundation.summary.heading">Retry refunds</h1>
      <div data-testid="issue.views.issue-base.foundation.status.status-field-wrapper"><button>${status}</button></div>
      <div data-testid="issue.views.field.user.assignee">${assignee}</div>
    </body></html>`);
  const PAY_125 = jira('PAY-125');

  test.each([
    ['Assignee SR Sam Rivera', ['Sam Rivera']],
    ['AssigneeSR Sam Rivera', ['Sam Rivera']],
    ['<span>SR</span> <span>Sam Rivera</span>', ['Sam Rivera']],
    ['Max Member', ['Max Member']],
    ['JJ Abrams', ['JJ Abrams']],
    ['Assignee Unassigned', []],
  ])('assignee %s reads %j', (markup, expected) => {
    expect(jiraAdapter.readDetails(page(markup, 'To Do'), PAY_125).assignees).toEqual(expected);
  });

  test('the status without its glyph, and done still read from the name', () => {
    expect(jiraAdapter.readDetails(page('Max Member', 'In Progress ▾'), PAY_125)).toMatchObject({
      state: 'In Progress',
      closed: false,
    });
    expect(jiraAdapter.readDetails(page('Max Member', 'Done ⌄'), PAY_125)).toMatchObject({
      state: 'Done',
      closed: true,
    });
  });
});
