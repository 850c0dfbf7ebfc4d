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
    });
    expect(githubAdapter.isRendered(doc, PANE_ISSUE)).toBe(true);
    expect(githubAdapter.isRendered(doc, gh('octo-org/payments-api#1302'))).toBe(false);
  });

  test('an empty page: nulls, assignees not shown (null, which erases nothing), never a throw; the repository still comes from the reference', () => {
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
