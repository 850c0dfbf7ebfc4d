import { describe, expect, test } from 'vitest';
import { githubAdapter, SELECTORS } from '../../lib/hosts/pages/github';
import { adapters } from '../../lib/hosts/pages/index';
import type { TicketRef } from '../../lib/shared/contract';
import {
  adapterCode,
  EMPTY_PAGE,
  expectValidRef,
  IMPURE,
  loadPage,
  parseHtml,
  REAL_GITHUB_ISSUE,
} from './hosts-support';

const gh = (key: string, host = 'github.com'): TicketRef => ({ source: 'github', host, key });
const refOf = (url: string) => githubAdapter.refFromUrl(new URL(url));

const ISSUE = gh('octo-org/payments-api#1287');
const PULL = gh('octo-org/payments-api#1290');
const PANE_ISSUE = gh('octo-org/payments-api#1301');
const DOTNET = gh('dotnet/runtime#30402');

const LONG_RTL_TITLE =
  "Rounding: apply banker's rounding to every refund path so that partial refunds, chargebacks, currency conversions " +
  'and invoice corrections agree to the cent across the ledger, the PDF invoice, the customer e-mail and the finance export ' +
  '— תיקון עיגול סכומי החזר — إصلاح تقريب المبالغ المستردة في جميع المسارات ' +
  '(see the RFC for the full list of affected services, the rollout order per region and the migration plan for historical invoices)';

describe('github refFromUrl: every URL variant of one ticket gives the same reference', () => {
  const variants: [TicketRef, string[]][] = [
    [
      ISSUE,
      [
        'https://github.com/octo-org/payments-api/issues/1287',
        'https://github.com/octo-org/payments-api/issues/1287/',
        'https://github.com/octo-org/payments-api/issues/1287?notification_referrer_id=NT_kwDOAbc',
        'https://github.com/octo-org/payments-api/issues/1287#issuecomment-2301234567',
        'https://github.com/octo-org/payments-api/issues/1287#event-14123456789',
        'https://GITHUB.COM/octo-org/payments-api/issues/1287',
        'https://github.com//octo-org/payments-api//issues/1287',
        // Projects side panel, organisation and user projects, with the itemId GitHub adds
        'https://github.com/orgs/octo-org/projects/7/views/2?pane=issue&itemId=91234567&issue=octo-org%7Cpayments-api%7C1287',
        'https://github.com/orgs/octo-org/projects/7?pane=issue&itemId=91234567&issue=octo-org%7Cpayments-api%7C1287',
        'https://github.com/orgs/octo-org/projects/7/views/2?filterQuery=assignee%3A%40me&pane=issue&itemId=91234567&issue=octo-org%7Cpayments-api%7C1287',
        'https://github.com/orgs/octo-org/projects/7/views/2/?pane=issue&issue=octo-org|payments-api|1287&itemId=91234567',
        'https://github.com/users/samrivera/projects/3/views/1?pane=issue&itemId=120034&issue=octo-org%7Cpayments-api%7C1287',
      ],
    ],
    [
      PULL,
      [
        'https://github.com/octo-org/payments-api/pull/1290',
        'https://github.com/octo-org/payments-api/pull/1290/',
        'https://github.com/octo-org/payments-api/pull/1290#issuecomment-2309876543',
        'https://github.com/octo-org/payments-api/pull/1290#pullrequestreview-2212345678',
        'https://github.com/octo-org/payments-api/pull/1290/files',
        'https://github.com/octo-org/payments-api/pull/1290/files?w=1',
        'https://github.com/octo-org/payments-api/pull/1290/files#diff-5a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
        'https://github.com/octo-org/payments-api/pull/1290/files/0a1b2c3..4d5e6f7',
        'https://github.com/octo-org/payments-api/pull/1290/commits',
        'https://github.com/octo-org/payments-api/pull/1290/commits/0a1b2c3d4e5f60718293a4b5c6d7e8f901234567',
        'https://github.com/octo-org/payments-api/pull/1290/checks',
        'https://github.com/octo-org/payments-api/pull/1290/checks?check_run_id=31234567890',
        'https://github.com/octo-org/payments-api/pull/1290/changes',
        'https://github.com/octo-org/payments-api/pull/1290/changes/0a1b2c3d..4d5e6f7a',
        'https://github.com/octo-org/payments-api/pull/1290/conflicts',
        'https://github.com/orgs/octo-org/projects/7/views/1?pane=issue&itemId=91234999&issue=octo-org%7Cpayments-api%7C1290',
      ],
    ],
    [
      DOTNET,
      [
        'https://github.com/dotnet/runtime/issues/30402',
        'https://github.com/dotnet/runtime/issues/30402#issue-558472377',
      ],
    ],
    [
      gh('platform/infra#9', 'git.acme.internal:8443'),
      [
        'https://git.acme.internal:8443/platform/infra/issues/9',
        'https://GIT.ACME.INTERNAL:8443/platform/infra/pull/9/files',
        'https://git.acme.internal:8443/orgs/platform/projects/2/views/1?pane=issue&itemId=5&issue=platform%7Cinfra%7C9',
      ],
    ],
    [
      gh('Team-7/Repo.Name_v2#31', 'ghe.example.com'),
      ['http://ghe.example.com:80/Team-7/Repo.Name_v2/pull/31/commits'],
    ],
    [gh('octo-org/.github#5'), ['https://github.com/octo-org/.github/issues/5']],
    [gh('o/r#1234567890'), ['https://github.com/o/r/issues/1234567890']],
  ];

  for (const [expected, urls] of variants) {
    test.each(urls)(`%s → ${expected.host}/${expected.key}`, (url) => {
      expectValidRef(refOf(url), expected);
    });
  }
});

describe('github refFromUrl: pages that are not tickets', () => {
  const reservedOwners = [
    'orgs',
    'settings',
    'marketplace',
    'notifications',
    'explore',
    'topics',
    'sponsors',
    'login',
    'about',
    'features',
    'enterprise',
    'pricing',
    'search',
    'new',
    'organizations',
    'users',
    'apps',
    'codespaces',
  ];
  const notTickets = [
    'https://github.com/',
    'https://github.com/octo-org',
    'https://github.com/octo-org/payments-api',
    'https://github.com/octo-org/payments-api/issues',
    'https://github.com/octo-org/payments-api/issues?q=is%3Aissue+is%3Aopen',
    'https://github.com/octo-org/payments-api/issues/new',
    'https://github.com/octo-org/payments-api/issues/new/choose',
    'https://github.com/octo-org/payments-api/issues/new?template=bug_report.yml',
    'https://github.com/octo-org/payments-api/issues/templates/edit',
    'https://github.com/octo-org/payments-api/issues/1287/edit',
    'https://github.com/octo-org/payments-api/pulls',
    'https://github.com/octo-org/payments-api/pull/new/fix-rounding',
    'https://github.com/octo-org/payments-api/pull/1290/unknown-tab',
    'https://github.com/octo-org/payments-api/compare/main...fix?expand=1',
    'https://github.com/octo-org/payments-api/discussions/12',
    'https://github.com/octo-org/payments-api/commit/0a1b2c3d',
    'https://github.com/octo-org/payments-api/projects/1',
    'https://github.com/issues',
    'https://github.com/pulls',
    'https://github.com/issues/assigned',
    // not a number, zero, leading zero, more digits than any ticket, negative
    'https://github.com/octo-org/payments-api/issues/abc',
    'https://github.com/octo-org/payments-api/issues/12abc',
    'https://github.com/octo-org/payments-api/issues/0',
    'https://github.com/octo-org/payments-api/issues/007',
    'https://github.com/octo-org/payments-api/issues/12345678901',
    'https://github.com/octo-org/payments-api/pull/-1',
    'https://github.com/octo-org/payments-api/pull/0/files',
    // Projects: no pane, another pane, a draft item (itemId only), malformed issue parameters
    'https://github.com/orgs/octo-org/projects/7',
    'https://github.com/orgs/octo-org/projects/7/views/2?itemId=91234567',
    'https://github.com/orgs/octo-org/projects/7/views/2?issue=octo-org%7Cpayments-api%7C1287',
    'https://github.com/orgs/octo-org/projects/7/views/2?pane=info',
    'https://github.com/orgs/octo-org/projects/7/views/2?pane=issue&itemId=91234567',
    'https://github.com/orgs/octo-org/projects/7?pane=issue&issue=octo-org%7Cpayments-api',
    'https://github.com/orgs/octo-org/projects/7?pane=issue&issue=octo-org%7Cpayments-api%7C0',
    'https://github.com/orgs/octo-org/projects/7?pane=issue&issue=octo-org%7Cpayments-api%7Cx',
    'https://github.com/orgs/octo-org/projects/7?pane=issue&issue=a%7Cb%7Cc%7C1',
    'https://github.com/orgs/octo-org/projects/7?pane=issue&issue=-bad%7Crepo%7C1',
    'https://github.com/orgs/octo-org/projects/x?pane=issue&issue=octo-org%7Cpayments-api%7C1287',
    'https://github.com/enterprises/acme/projects/7?pane=issue&issue=octo-org%7Cpayments-api%7C1287',
    // gists, hosts the contract cannot name, non-web URLs
    'https://gist.github.com/octo-org/payments-api/issues/1',
    'https://github.com/gist/octo/0123456789abcdef0123',
    'https://[::1]:8443/octo-org/payments-api/issues/1',
    'file:///octo-org/payments-api/issues/1',
    ...reservedOwners.map((owner) => `https://github.com/${owner}/payments-api/issues/1`),
  ];

  test.each(notTickets)('%s → null', (url) => {
    expect(refOf(url)).toBeNull();
  });

  test('the owner and repository keep the spelling of the URL', () => {
    expectValidRef(refOf('https://github.com/DotNet/Runtime/issues/30402'), gh('DotNet/Runtime#30402'));
  });
});

describe('github readDetails and isRendered', () => {
  test('the real classic page: dotnet/runtime#30402, closed, nobody assigned', () => {
    const doc = loadPage(REAL_GITHUB_ISSUE);
    expect(githubAdapter.readDetails(doc, DOTNET)).toEqual({
      title: 'Utf8JsonReader/JsonStreamReader: Add reading values as Stream',
      state: 'Closed',
      closed: true,
      assignees: [],
      project: 'dotnet/runtime',
      signedInUser: 'viewer',
      estimate: null,
      // Its sidebar: the Milestone and Labels sections, Projects "None yet"; no sub-issues on the classic view.
      containers: {
        milestone: [{ ref: 'github:github.com/dotnet/runtime/milestone/1', title: 'Future' }],
        labels: [
          { ref: 'github:github.com/dotnet/runtime/label/area-System.Text.Json', title: 'area-System.Text.Json' },
        ],
        projects: [],
      },
    });
    expect(githubAdapter.isRendered(doc, DOTNET)).toBe(true);
    expect(githubAdapter.isRendered(doc, gh('dotnet/runtime#30403'))).toBe(false);
    expect(githubAdapter.isRendered(doc, gh('dotnet/runtime#3040'))).toBe(false);
  });

  test('the real page stays inert: its state label is the classic purple one, read by its text', () => {
    const doc = loadPage(REAL_GITHUB_ISSUE);
    expect(doc.querySelector('.gh-header-meta .State')?.className).toContain('State--merged');
    expect(githubAdapter.readDetails(doc, DOTNET).state).toBe('Closed');
  });

  test('React issue view: a hostile title comes back as its exact text', () => {
    const doc = loadPage('github-react-issue.html');
    expect(doc.querySelector('img[onerror]')).toBeNull();
    expect(githubAdapter.readDetails(doc, ISSUE)).toEqual({
      title: 'Refund totals show <img src=x onerror=alert(1)> instead of the amount 💸',
      state: 'Open',
      closed: false,
      assignees: ['priyan', 'samrivera'],
      project: 'octo-org/payments-api',
      signedInUser: 'samrivera',
      estimate: null,
      containers: {
        parent: [{ ref: 'github:github.com/octo-org/payments-api#1200', title: 'Refund flow overhaul' }],
        milestone: [],
        labels: [
          { ref: 'github:github.com/octo-org/payments-api/label/bug', title: 'bug' },
          { ref: 'github:github.com/octo-org/payments-api/label/area%3A%20refunds', title: 'area: refunds' },
        ],
        projects: [
          { ref: 'github:github.com/octo-org/projects/7', title: 'Payments roadmap' },
          { ref: 'github:github.com/priyan/projects/2', title: "Priya's triage" },
        ],
      },
    });
    expect(githubAdapter.isRendered(doc, ISSUE)).toBe(true);
    // The body mentions #128 and #1290; the header shows #1287 only.
    expect(githubAdapter.isRendered(doc, gh('octo-org/payments-api#128'))).toBe(false);
    expect(githubAdapter.isRendered(doc, PULL)).toBe(false);
  });

  test('React PR header over the classic sidebar: long right-to-left title, merged, reviewers are not assignees', () => {
    const doc = loadPage('github-react-pr.html');
    const ref = refOf('https://github.com/octo-org/payments-api/pull/1290/files');
    expect(ref).toEqual(PULL);
    expect(githubAdapter.readDetails(doc, PULL)).toEqual({
      title: LONG_RTL_TITLE,
      state: 'Merged',
      closed: true,
      assignees: ['jweber', 'dependabot[bot]'],
      project: 'octo-org/payments-api',
      signedInUser: null,
      estimate: null,
      // The classic sidebar pull requests keep; a pull request has no parent.
      containers: {
        milestone: [{ ref: 'github:github.com/octo-org/payments-api/milestone/4', title: 'Q3 payouts' }],
        labels: [{ ref: 'github:github.com/octo-org/payments-api/label/money', title: 'money' }],
        projects: [{ ref: 'github:github.com/octo-org/projects/7', title: 'Payments roadmap' }],
      },
    });
    expect(LONG_RTL_TITLE.length).toBeGreaterThan(400);
    expect(githubAdapter.isRendered(doc, PULL)).toBe(true);
    expect(githubAdapter.isRendered(doc, ISSUE)).toBe(false);
  });

  test('Projects side panel: the panel issue, not the board cards; the repository comes from the URL', () => {
    const url =
      'https://github.com/orgs/octo-org/projects/7/views/2?pane=issue&itemId=91234567&issue=octo-org%7Cpayments-api%7C1301';
    const ref = refOf(url);
    expect(ref).toEqual(PANE_ISSUE);
    const doc = loadPage('github-projects-pane.html');
    expect(githubAdapter.readDetails(doc, PANE_ISSUE)).toEqual({
      title: 'Payout report 📊 for שקל accounts',
      state: 'Open',
      closed: false,
      assignees: ['meichen'],
      project: 'octo-org/payments-api',
      signedInUser: 'meichen',
      estimate: null,
      containers: {
        milestone: [{ ref: 'github:github.com/octo-org/payments-api/milestone/4', title: 'Q3 payouts' }],
        labels: [],
        projects: [{ ref: 'github:github.com/octo-org/projects/7', title: 'Payments roadmap' }],
      },
    });
    expect(githubAdapter.isRendered(doc, PANE_ISSUE)).toBe(true);
    expect(githubAdapter.isRendered(doc, gh('octo-org/payments-api#1302'))).toBe(false);
  });

  test('an empty page: nulls, assignees and containers not shown (which erases nothing), never a throw; the repository still comes from the reference', () => {
    const doc = parseHtml(EMPTY_PAGE);
    for (const ref of [ISSUE, PULL, gh('platform/infra#9', 'git.acme.internal:8443')]) {
      expect(githubAdapter.readDetails(doc, ref)).toEqual({
        title: null,
        state: null,
        closed: null,
        assignees: null,
        project: ref.key.slice(0, ref.key.indexOf('#')),
        signedInUser: null,
        estimate: null,
        containers: {},
      });
      expect(githubAdapter.isRendered(doc, ref)).toBe(false);
    }
  });

  test('the page title is the fallback title, for this ticket only', () => {
    const issuePage = parseHtml(
      '<html><head><title>Refund totals · Issue #1287 · octo-org/payments-api · GitHub</title></head><body></body></html>',
    );
    expect(githubAdapter.readDetails(issuePage, ISSUE).title).toBe('Refund totals');
    expect(githubAdapter.readDetails(issuePage, gh('octo-org/payments-api#1288')).title).toBeNull();
    expect(githubAdapter.readDetails(issuePage, gh('octo-org/other#1287')).title).toBeNull();
    // The page title alone does not mean the page has rendered the ticket.
    expect(githubAdapter.isRendered(issuePage, ISSUE)).toBe(false);

    const pullPage = parseHtml(
      '<html><head><title>Pay by card · 2 by dependabot[bot] · Pull Request #1290 · octo-org/payments-api</title></head></html>',
    );
    expect(githubAdapter.readDetails(pullPage, PULL).title).toBe('Pay by card · 2');
  });

  test('a header without text falls back to the StateLabel status; an unknown state is not a closedness', () => {
    const doc = parseHtml(
      '<div class="prc-PageLayout-Header-x"><h1 data-component="PH_Title">Fix rounding #1290</h1>' +
        '<span class="prc-StateLabel-StateLabel-Iawzp" data-status="pullClosed"><svg></svg></span></div>',
    );
    expect(githubAdapter.readDetails(doc, PULL)).toMatchObject({
      title: 'Fix rounding',
      state: 'Closed',
      closed: true,
    });
    expect(githubAdapter.isRendered(doc, PULL)).toBe(true);
    // The number may follow the repository name directly, as in a panel header "payments-api#1290".
    const panel = parseHtml(
      '<h2><bdi data-testid="issue-title">Fix rounding</bdi> <a href="#">payments-api#1290</a></h2>',
    );
    expect(githubAdapter.isRendered(panel, PULL)).toBe(true);
    expect(githubAdapter.isRendered(panel, gh('octo-org/payments-api#129'))).toBe(false);
    const odd = parseHtml('<span data-testid="header-state">Locked</span>');
    expect(githubAdapter.readDetails(odd, PULL)).toMatchObject({ state: 'Locked', closed: null });
  });

  test('the repository meta gives its own spelling only when it names the same repository', () => {
    const doc = loadPage(REAL_GITHUB_ISSUE);
    expect(githubAdapter.readDetails(doc, gh('DotNet/Runtime#30402')).project).toBe('dotnet/runtime');
    expect(githubAdapter.readDetails(doc, gh('octo-org/payments-api#30402')).project).toBe('octo-org/payments-api');
  });

  test('assignee links: hovercards, profile links and texts; other links and duplicates are ignored', () => {
    const doc = parseHtml(`
      <div data-testid="sidebar-assignees-section"><h3>Assignees</h3>
        <a href="https://github.com/monalisa"><span>monalisa</span></a>
        <a href="/monalisa"><img alt="monalisa"></a>
        <a href="/octo-org/payments-api/issues?q=assignee%3Ahubot">hubot's issues</a>
        <a href="/hubot" data-hovercard-url="/users/hubot/hovercard">Hubot</a>
      </div>`);
    expect(githubAdapter.readDetails(doc, ISSUE).assignees).toEqual(['monalisa', 'hubot']);
  });
});

describe('github containers: where the ticket sits', () => {
  const containers = (html: string, ref = ISSUE) => githubAdapter.readDetails(parseHtml(html), ref).containers;

  test("the real classic page: its sidebar once, not the narrow layout's copy above the conversation", () => {
    const doc = loadPage(REAL_GITHUB_ISSUE);
    expect(doc.querySelectorAll('a[href="/dotnet/runtime/milestone/1"]').length).toBeGreaterThan(1);
    expect(doc.querySelectorAll('a[href="/dotnet/runtime/labels/area-System.Text.Json"]').length).toBe(2);
    const { milestone, labels } = githubAdapter.readDetails(doc, DOTNET).containers;
    expect(milestone).toHaveLength(1);
    expect(labels).toHaveLength(1);
    // The repository's own spelling, from its meta, keys the label.
    expect(githubAdapter.readDetails(doc, gh('DotNet/Runtime#30402')).containers.labels).toEqual(labels);
  });

  test('the parent: the link labelled "Parent", in the header or the Relationships section; never a "Blocked by" issue', () => {
    const doc = loadPage('github-react-issue.html');
    const parent = [{ ref: 'github:github.com/octo-org/payments-api#1200', title: 'Refund flow overhaul' }];
    doc.querySelector('[data-testid="sidebar-relationships-section"]')?.remove();
    expect(githubAdapter.readDetails(doc, ISSUE).containers.parent).toEqual(parent);

    const sidebarOnly = loadPage('github-react-issue.html');
    sidebarOnly.querySelector('[class*="HeaderViewer-module__parentIssue"]')?.remove();
    expect(githubAdapter.readDetails(sidebarOnly, ISSUE).containers.parent).toEqual(parent);

    const blockedOnly = `<div data-testid="sidebar-relationships-section"><h3>Relationships</h3>
      <div><h4>Blocked by</h4><a href="/octo-org/ledger/issues/77">Ledger export v2</a></div>
      <div><h4>Blocking</h4><a href="/octo-org/payments-api/issues/1300">Payout report</a></div></div>`;
    expect(containers(blockedOnly).parent).toBeUndefined();
    // "Parent: title" in one link; another repository's issue; not a pull request, not the ticket itself.
    expect(
      containers('<div data-testid="issue-header"><a href="/octo-org/platform/issues/9">Parent: Platform Q3</a></div>'),
    ).toEqual({ parent: [{ ref: 'github:github.com/octo-org/platform#9', title: 'Platform Q3' }] });
    for (const href of [
      '/octo-org/payments-api/pull/9',
      '/octo-org/payments-api/issues/1287',
      'https://evil.example/o/r/issues/9',
    ])
      expect(containers(`<div data-testid="issue-header"><span>Parent:</span> <a href="${href}">x</a></div>`)).toEqual(
        {},
      );
  });

  test('labels: the name from the element holding it, not a description beside it; names that need encoding stay one segment', () => {
    const doc = loadPage('github-react-issue.html');
    const label = doc.querySelectorAll('[data-testid="sidebar-labels-section"] a')[1];
    expect(label?.textContent).toBe('area: refundsRefunds, chargebacks and credit notes');
    expect(
      containers(`<div class="js-issue-labels">
        <a class="IssueLabel" data-name="good first issue" href="/octo-org/payments-api/labels/good%20first%20issue"><span class="css-truncate-target">good first issue</span></a>
        <a class="IssueLabel" data-name="ø/✓" href="/octo-org/payments-api/labels/%C3%B8%2F%E2%9C%93"><span class="css-truncate-target">ø/✓</span></a></div>`)
        .labels,
    ).toEqual([
      { ref: 'github:github.com/octo-org/payments-api/label/good%20first%20issue', title: 'good first issue' },
      { ref: 'github:github.com/octo-org/payments-api/label/%C3%B8%2F%E2%9C%93', title: 'ø/✓' },
    ]);
    // A name too long for a reference names nothing: the section is then not read (absent), never "no labels".
    const long = 'x'.repeat(401);
    expect(
      containers(
        `<div class="js-issue-labels"><a class="IssueLabel" data-name="${long}" href="/o/r/labels/${long}">${long}</a></div>`,
      ),
    ).toEqual({});
  });

  test("shown empty is [], whatever the section's heading runs into; a section showing nothing known is not read", () => {
    expect(
      containers(`
        <div data-testid="sidebar-labels-section"><h3>Labels</h3>None yet</div>
        <div data-testid="sidebar-projects-section"><h3>Projects</h3><span>None yet</span></div>
        <div data-testid="sidebar-milestones-section"><h3>Milestone</h3><span>No milestone</span></div>`),
    ).toEqual({ milestone: [], labels: [], projects: [] });
    // Still loading, or classic repository projects that are no GitHub Project: left out.
    expect(
      containers(`
        <div data-testid="sidebar-milestones-section"><h3>Milestone</h3><span>Loading…</span></div>
        <form aria-label="Select projects"><div class="discussion-sidebar-heading">Projects</div><a class="Link--primary" href="/octo-org/payments-api/projects/1">Classic board</a></form>`),
    ).toEqual({});
  });

  test("milestones and projects: their number and owner from the link; links to another host are not this page's", () => {
    expect(
      containers(`
        <div data-testid="sidebar-milestones-section"><a href="https://github.com/octo-org/payments-api/milestone/12?closed=1">v2.0 No due date</a></div>
        <div data-testid="sidebar-projects-section">
          <a href="/orgs/octo-org/projects/7/views/3">Payments roadmap</a>
          <a href="https://ghe.example.com/orgs/octo-org/projects/8">Elsewhere</a>
          <a href="/orgs/octo-org/projects/7">Payments roadmap (again)</a>
        </div>`),
    ).toEqual({
      milestone: [{ ref: 'github:github.com/octo-org/payments-api/milestone/12', title: 'v2.0' }],
      projects: [{ ref: 'github:github.com/octo-org/projects/7', title: 'Payments roadmap' }],
    });
    const enterprise = gh('platform/infra#9', 'git.acme.internal:8443');
    expect(
      containers(
        '<div data-testid="sidebar-projects-section"><a href="/users/ops/projects/2">Ops</a></div>',
        enterprise,
      ),
    ).toEqual({ projects: [{ ref: 'github:git.acme.internal:8443/ops/projects/2', title: 'Ops' }] });
  });

  test("the classic sidebar's edit menus, once opened, list every choice: not read", () => {
    expect(
      containers(`<form aria-label="Select projects"><details><summary>Projects</summary><details-menu role="menu">
          <a role="menuitemcheckbox" href="/orgs/octo-org/projects/8">Infra</a></details-menu></details>
        <a class="Link--primary" href="/orgs/octo-org/projects/7"><span class="css-truncate-target">Payments roadmap</span></a></form>`),
    ).toEqual({ projects: [{ ref: 'github:github.com/octo-org/projects/7', title: 'Payments roadmap' }] });
  });

  test('a parent written as an issue reference reads its title without the number', () => {
    expect(
      containers(`<div data-testid="sidebar-relationships-section"><h3>Relationships</h3>
        <div><span>Parent issue</span><a href="/octo-org/payments-api/issues/1200">Refund flow overhaul #1200</a></div></div>`),
    ).toEqual({ parent: [{ ref: 'github:github.com/octo-org/payments-api#1200', title: 'Refund flow overhaul' }] });
  });

  test('a moved section: the published selector reads it, the built-in ones do not', () => {
    const doc = parseHtml(
      '<aside class="Milestone-v2"><a href="/octo-org/payments-api/milestone/4">Q3 payouts</a></aside>',
    );
    expect(githubAdapter.readDetails(doc, ISSUE).containers).toEqual({});
    expect(githubAdapter.withSelectors({ milestone: ['.Milestone-v2'] }).readDetails(doc, ISSUE).containers).toEqual({
      milestone: [{ ref: 'github:github.com/octo-org/payments-api/milestone/4', title: 'Q3 payouts' }],
    });
  });
});

describe('github adapter wiring', () => {
  test('is the github entry of the adapters', () => {
    expect(adapters.github).toBe(githubAdapter);
    expect(githubAdapter.source).toBe('github');
  });

  test('every selector is valid CSS', () => {
    const doc = parseHtml(EMPTY_PAGE);
    const selectors = Object.values(SELECTORS).flatMap((value) =>
      Array.isArray(value) ? value : Object.values(value).flat(),
    ) as string[];
    expect(selectors.length).toBeGreaterThan(15);
    for (const selector of selectors) expect(() => doc.querySelectorAll(selector), selector).not.toThrow();
  });

  test('stays pure: no markup rendering, no globals, no browser APIs', () => {
    for (const file of ['github.ts', 'dom.ts', 'index.ts']) expect(adapterCode(file)).not.toMatch(IMPURE);
    expect(adapterCode('github.ts')).toContain('textOf(');
  });
});
