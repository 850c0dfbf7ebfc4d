import { describe, expect, test } from 'vitest';
import {
  formatRef,
  parseRef,
  projectOfRef,
  requiredText,
  type TicketRef,
  text,
  WindowParam,
  WorkItemRef,
} from '../../lib/shared/contract';

const valid: [string, TicketRef][] = [
  ['github:github.com/octo/api#42', { source: 'github', host: 'github.com', key: 'octo/api#42' }],
  [
    'github:github.com/Octo-Org/my.repo_name-2#1',
    { source: 'github', host: 'github.com', key: 'Octo-Org/my.repo_name-2#1' },
  ],
  ['github:github.com/o/.github#7', { source: 'github', host: 'github.com', key: 'o/.github#7' }],
  ['github:github.com/octo/api#1234567890', { source: 'github', host: 'github.com', key: 'octo/api#1234567890' }],
  [`github:github.com/${'a'.repeat(39)}/r#1`, { source: 'github', host: 'github.com', key: `${'a'.repeat(39)}/r#1` }],
  ['github:git.example.com:8443/team/repo#9', { source: 'github', host: 'git.example.com:8443', key: 'team/repo#9' }],
  ['jira:acme.atlassian.net/PAY-318', { source: 'jira', host: 'acme.atlassian.net', key: 'PAY-318' }],
  ['jira:jira.example.com:8080/A1_B-2', { source: 'jira', host: 'jira.example.com:8080', key: 'A1_B-2' }],
  ['jira:issues.acme-corp.co.uk/X-1', { source: 'jira', host: 'issues.acme-corp.co.uk', key: 'X-1' }],
  ['jira:localhost:2990/TEST_2-100', { source: 'jira', host: 'localhost:2990', key: 'TEST_2-100' }],
  ['asana:app.asana.com/1204567890123456', { source: 'asana', host: 'app.asana.com', key: '1204567890123456' }],
  ['asana:app.asana.com/7', { source: 'asana', host: 'app.asana.com', key: '7' }],
  // Containers that are not tickets (lib/shared/ref.ts).
  ['github:github.com/acme/api/milestone/3', { source: 'github', host: 'github.com', key: 'acme/api/milestone/3' }],
  [
    'github:github.com/acme/api/label/good%20first%20issue',
    { source: 'github', host: 'github.com', key: 'acme/api/label/good%20first%20issue' },
  ],
  ['github:github.com/acme/projects/12', { source: 'github', host: 'github.com', key: 'acme/projects/12' }],
  [
    'jira:acme.atlassian.net/PAY/label/refunds',
    { source: 'jira', host: 'acme.atlassian.net', key: 'PAY/label/refunds' },
  ],
  ['asana:app.asana.com/project/1207', { source: 'asana', host: 'app.asana.com', key: 'project/1207' }],
  ['asana:app.asana.com/section/1208', { source: 'asana', host: 'app.asana.com', key: 'section/1208' }],
];

describe('parseRef / formatRef', () => {
  test.each(valid)('%s parses', (value, ref) => {
    expect(parseRef(value)).toEqual({ ok: true, ref });
    expect(formatRef(ref)).toBe(value);
  });

  const invalid: [string, string, RegExp][] = [
    ['uppercase host', 'github:GitHub.com/octo/api#1', /"GitHub\.com" is not a lower-case host name/],
    ['missing key', 'jira:acme.atlassian.net/', /"" is not a jira ticket or container key/],
    ['no slash', 'jira:acme.atlassian.net', /must be source:host\/key/],
    ['empty host', 'github:/octo/api#1', /is not a lower-case host name/],
    ['#0', 'github:github.com/octo/api#0', /not a github ticket or container key/],
    ['leading zero', 'github:github.com/octo/api#01', /not a github ticket or container key/],
    ['no number', 'github:github.com/octo/api#', /not a github ticket or container key/],
    ['no repo', 'github:github.com/octo#1', /not a github ticket or container key/],
    ['path instead of #', 'github:github.com/octo/api/issues/1', /not a github ticket or container key/],
    ['owner of 40 characters', `github:github.com/${'a'.repeat(40)}/r#1`, /not a github ticket or container key/],
    ['owner starting with -', 'github:github.com/-octo/api#1', /not a github ticket or container key/],
    ['11-digit number', 'github:github.com/octo/api#12345678901', /not a github ticket or container key/],
    ['space in key', 'jira:acme.atlassian.net/PAY 318', /not a jira ticket or container key/],
    ['trailing space', 'jira:acme.atlassian.net/PAY-318 ', /not a jira ticket or container key/],
    ['space in host', 'jira:acme .atlassian.net/PAY-318', /not a lower-case host name/],
    ['leading space', ' jira:acme.atlassian.net/PAY-318', /must start with github:, jira: or asana:/],
    ['lower-case jira key', 'jira:acme.atlassian.net/pay-318', /not a jira ticket or container key/],
    ['jira key starting with a digit', 'jira:acme.atlassian.net/1PAY-2', /not a jira ticket or container key/],
    ['jira PAY-0', 'jira:acme.atlassian.net/PAY-0', /not a jira ticket or container key/],
    ['jira without number', 'jira:acme.atlassian.net/PAY-', /not a jira ticket or container key/],
    ['github key on jira', 'jira:acme.atlassian.net/octo/api#1', /not a jira ticket or container key/],
    ['asana letters', 'asana:app.asana.com/12a4', /not a asana ticket or container key/],
    ['asana negative', 'asana:app.asana.com/-12', /not a asana ticket or container key/],
    ['unknown source', 'gitlab:gitlab.com/octo/api#1', /must start with github:, jira: or asana:/],
    ['upper-case source', 'GITHUB:github.com/octo/api#1', /must start with github:, jira: or asana:/],
    ['no source', 'github.com/octo/api#1', /must start with github:, jira: or asana:/],
    ['empty', '', /must start with github:, jira: or asana:/],
    ['label name with a slash', 'github:github.com/acme/api/label/a/b', /not a github ticket or container key/],
    ['label name not encoded', 'github:github.com/acme/api/label/a b', /not a github ticket or container key/],
    ['milestone 0', 'github:github.com/acme/api/milestone/0', /not a github ticket or container key/],
    ['Project of a repository', 'github:github.com/acme/api/projects/1', /not a github ticket or container key/],
    ['asana project name', 'asana:app.asana.com/project/Roadmap', /not a asana ticket or container key/],
    ['NUL in key', 'jira:acme.atlassian.net/PAY-318\u0000', /not a jira ticket or container key/],
    ['NUL in host', 'jira:acme\u0000.atlassian.net/PAY-318', /not a lower-case host name/],
    ['host ending with -', 'jira:acme-.atlassian.net/PAY-1', /not a lower-case host name/],
    ['host with empty label', 'jira:acme..net/PAY-1', /not a lower-case host name/],
    ['port of 6 digits', 'jira:acme.net:123456/PAY-1', /not a lower-case host name/],
    ['empty port', 'jira:acme.net:/PAY-1', /not a lower-case host name/],
    ['scheme in host', 'jira:https://acme.atlassian.net/PAY-1', /not a lower-case host name/],
    ['underscore in host', 'jira:acme_corp.net/PAY-1', /not a lower-case host name/],
  ];

  test.each(invalid)('refuses %s', (_name, value, reason) => {
    const parsed = parseRef(value);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });

  test('the reason quotes at most 100 characters of a long key', () => {
    const parsed = parseRef(`jira:acme.atlassian.net/${'x'.repeat(500)}`);
    expect(parsed).toEqual({ ok: false, reason: `"${'x'.repeat(100)}" is not a jira ticket or container key` });
  });
});

describe('WorkItemRef', () => {
  test('accepts a reference and keeps it as given', () => {
    expect(WorkItemRef.parse('jira:acme.atlassian.net/PAY-318')).toBe('jira:acme.atlassian.net/PAY-318');
  });

  test('refuses with the reason, and refuses over 400 characters', () => {
    const bad = WorkItemRef.safeParse('jira:acme.atlassian.net/PAY-0');
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toBe(
      'not a work-item reference: "PAY-0" is not a jira ticket or container key',
    );

    const long = `jira:${'a'.repeat(400)}.com/PAY-1`; // 5 + 400 + 4 + 6 = 415
    expect(long.length).toBeGreaterThan(400);
    expect(parseRef(long).ok).toBe(true);
    const tooLong = WorkItemRef.safeParse(long);
    expect(tooLong.success).toBe(false);
    expect(tooLong.error?.issues.map((i) => i.message)).toContain('must be at most 400 characters');
  });
});

describe('projectOfRef', () => {
  test('github: owner/repo; jira: the project key; asana: none', () => {
    expect(projectOfRef({ source: 'github', host: 'github.com', key: 'octo/api#42' })).toBe('octo/api');
    expect(projectOfRef({ source: 'github', host: 'git.example.com:8443', key: 'Octo-Org/my.repo#1' })).toBe(
      'Octo-Org/my.repo',
    );
    expect(projectOfRef({ source: 'jira', host: 'acme.atlassian.net', key: 'PAY-318' })).toBe('PAY');
    expect(projectOfRef({ source: 'jira', host: 'acme.atlassian.net', key: 'A1_B-2' })).toBe('A1_B');
    expect(projectOfRef({ source: 'asana', host: 'app.asana.com', key: '1204567890123456' })).toBeNull();
  });

  test('on parsed references', () => {
    const project = (value: string) => {
      const parsed = parseRef(value);
      if (!parsed.ok) throw new Error(parsed.reason);
      return projectOfRef(parsed.ref);
    };
    expect(project('github:github.com/o/.github#7')).toBe('o/.github');
    expect(project('jira:localhost:2990/TEST_2-100')).toBe('TEST_2');
  });
});

describe('WindowParam', () => {
  test.each([
    ['7d', 7],
    ['1d', 1],
    ['4w', 28],
    ['1w', 7],
    ['366d', 366],
    ['52w', 364],
  ])('%s is %i days', (value, days) => {
    expect(WindowParam.parse(value)).toBe(days);
  });

  test.each([
    '0d',
    '0w',
    '400d',
    '367d',
    '53w',
    '1000d',
    'x',
    '7',
    'd',
    '07d',
    '7D',
    ' 7d',
    '7d ',
    '-7d',
    '1.5w',
    '7m',
    '',
  ])('refuses %j', (value) => {
    expect(WindowParam.safeParse(value).success).toBe(false);
  });

  test('says why', () => {
    expect(WindowParam.safeParse('x').error?.issues[0]?.message).toBe(
      'must be a number of days or weeks, like 7d or 4w',
    );
    expect(WindowParam.safeParse('400d').error?.issues[0]?.message).toBe('must be at most 366 days');
  });
});

describe('text', () => {
  test('refuses NUL anywhere, keeps other control characters and newlines', () => {
    expect(text(100).safeParse('ok').success).toBe(true);
    expect(text(100).parse('two\nlines\tand a tab')).toBe('two\nlines\tand a tab');
    for (const value of ['\u0000', 'a\u0000b', 'end\u0000', '\u0000start']) {
      const parsed = text(100).safeParse(value);
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.message).toBe('must not contain NUL characters');
    }
  });

  test('has a maximum length', () => {
    expect(text(3).safeParse('abc').success).toBe(true);
    expect(text(3).safeParse('abcd').error?.issues[0]?.message).toBe('must be at most 3 characters');
  });

  test('requiredText trims and refuses blank', () => {
    expect(requiredText(10).parse('  hi  ')).toBe('hi');
    expect(requiredText(10).safeParse('   ').error?.issues[0]?.message).toBe('must not be empty');
    expect(requiredText(10).safeParse('').success).toBe(false);
    expect(requiredText(10).safeParse('a\u0000').success).toBe(false);
  });
});
