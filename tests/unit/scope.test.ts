import { describe, expect, test } from 'vitest';
import { parseRef, type TicketRef } from '../../lib/shared/ref';
import {
  describeTarget,
  entryCovers,
  inScope,
  type ScopeTarget,
  targetFromUrl,
  targetProblem,
  trackingTarget,
} from '../../lib/shared/scope';

const ref = (value: string): TicketRef => {
  const parsed = parseRef(value);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.ref;
};
const org: ScopeTarget = { source: 'github', host: 'github.com', kind: 'organization', value: 'Acme' };
const repo: ScopeTarget = { source: 'github', host: 'github.com', kind: 'repository', value: 'octo/api' };
const pay: ScopeTarget = { source: 'jira', host: 'acme.atlassian.net', kind: 'project', value: 'PAY' };
const ghes: ScopeTarget = { source: 'github', host: 'git.acme.corp', kind: 'host', value: '' };

describe('what the scope takes in', () => {
  test('GitHub organisations and repositories, names case-insensitive, on their own host only', () => {
    expect(entryCovers(org, ref('github:github.com/acme/payments#1'))).toBe(true);
    expect(entryCovers(org, ref('github:github.com/ACME/web#2'))).toBe(true);
    expect(entryCovers(org, ref('github:github.com/acme-labs/web#2'))).toBe(false);
    expect(entryCovers(org, ref('github:git.acme.corp/acme/web#2'))).toBe(false);
    expect(entryCovers(repo, ref('github:github.com/Octo/API#7'))).toBe(true);
    expect(entryCovers(repo, ref('github:github.com/octo/api-docs#7'))).toBe(false);
    expect(entryCovers(ghes, ref('github:git.acme.corp/anyone/anything#3'))).toBe(true);
  });

  test('Jira projects by exact key, a site as a whole', () => {
    expect(entryCovers(pay, ref('jira:acme.atlassian.net/PAY-125'))).toBe(true);
    expect(entryCovers(pay, ref('jira:acme.atlassian.net/PAYX-125'))).toBe(false);
    expect(entryCovers(pay, ref('jira:other.atlassian.net/PAY-125'))).toBe(false);
    const site: ScopeTarget = { source: 'jira', host: 'acme.atlassian.net', kind: 'host', value: '' };
    expect(entryCovers(site, ref('jira:acme.atlassian.net/OPS-1'))).toBe(true);
  });

  test('Asana workspaces and projects by where the page says the task lives', () => {
    const project: ScopeTarget = { source: 'asana', host: 'app.asana.com', kind: 'project', value: '1200' };
    const workspace: ScopeTarget = { source: 'asana', host: 'app.asana.com', kind: 'workspace', value: '77' };
    const task = ref('asana:app.asana.com/1207000000000001');
    expect(entryCovers(project, task, { projects: ['1199', '1200'] })).toBe(true);
    expect(entryCovers(project, task)).toBe(false);
    // The project itself, as a container a link can be made on.
    expect(entryCovers(project, ref('asana:app.asana.com/project/1200'))).toBe(true);
    expect(entryCovers(project, ref('asana:app.asana.com/project/1300'))).toBe(false);
    expect(entryCovers(workspace, task, { workspace: '77' })).toBe(true);
    expect(entryCovers(workspace, task, { workspace: '78' })).toBe(false);
  });

  test('no entry at all: every ticket is in scope; with entries, only theirs', () => {
    expect(inScope([], ref('github:github.com/dotnet/runtime#1'))).toBe(true);
    expect(inScope([org, pay], ref('github:github.com/dotnet/runtime#1'))).toBe(false);
    expect(inScope([org, pay], ref('jira:acme.atlassian.net/PAY-1'))).toBe(true);
  });
});

describe('declaring the scope', () => {
  test('tracking a ticket declares its repository or project', () => {
    expect(trackingTarget(ref('github:github.com/dotnet/runtime#1'))).toEqual({
      source: 'github',
      host: 'github.com',
      kind: 'repository',
      value: 'dotnet/runtime',
    });
    expect(trackingTarget(ref('jira:acme.atlassian.net/OPS-9'))).toMatchObject({ kind: 'project', value: 'OPS' });
    expect(trackingTarget(ref('asana:app.asana.com/12'), { projects: ['1200'] })).toMatchObject({
      kind: 'project',
      value: '1200',
    });
    expect(trackingTarget(ref('asana:app.asana.com/12'))).toMatchObject({ kind: 'host', value: '' });
  });

  test.each([
    ['https://github.com/acme', { source: 'github', host: 'github.com', kind: 'organization', value: 'acme' }],
    ['https://github.com/orgs/acme/projects/3', { kind: 'organization', value: 'acme' }],
    ['https://github.com/acme/payments/issues?q=is%3Aopen', { kind: 'repository', value: 'acme/payments' }],
    ['https://acme.atlassian.net/browse/PAY-125', { source: 'jira', kind: 'project', value: 'PAY' }],
    ['https://acme.atlassian.net/jira/software/projects/PAY/boards/1', { kind: 'project', value: 'PAY' }],
    ['https://acme.atlassian.net/', { source: 'jira', kind: 'host', value: '' }],
    ['https://app.asana.com/', { source: 'asana', kind: 'host', value: '' }],
  ])('a pasted URL: %s', (url, expected) => {
    const parsed = targetFromUrl(url);
    expect(parsed.ok && parsed.target).toMatchObject(expected);
  });

  test('a self-hosted server is said which host it is; a URL that is none is refused with why', () => {
    expect(targetFromUrl('https://git.acme.corp/platform/api', 'github')).toMatchObject({
      ok: true,
      target: { source: 'github', host: 'git.acme.corp', kind: 'repository', value: 'platform/api' },
    });
    expect(targetFromUrl('https://jira.acme.corp/browse/OPS-1', 'jira')).toMatchObject({
      ok: true,
      target: { kind: 'project', value: 'OPS' },
    });
    expect(targetFromUrl('https://example.com/x')).toEqual({
      ok: false,
      reason: 'example.com is not GitHub, Jira Cloud or Asana: say which host it is',
    });
    expect(targetFromUrl('not a url')).toMatchObject({ ok: false, reason: '"not a url" is not a URL' });
  });

  test('each kind checks its value, and names what is wrong', () => {
    expect(targetProblem({ source: 'jira', host: 'a.atlassian.net', kind: 'organization', value: 'x' })).toBe(
      'jira has no "organization" scope; use one of host, project',
    );
    expect(targetProblem({ source: 'jira', host: 'a.atlassian.net', kind: 'project', value: 'pay' })).toBe(
      '"pay" is not a Jira project key like PAY',
    );
    expect(targetProblem({ ...repo, value: 'octo' })).toBe('"octo" is not a repository like owner/name');
    expect(targetProblem({ ...ghes, value: 'x' })).toBe('a whole host takes no value');
    // A task's record names its projects, so a project takes in its tasks; a workspace would take in none.
    expect(targetProblem({ source: 'asana', host: 'app.asana.com', kind: 'project', value: '1200' })).toBeNull();
    expect(targetProblem({ source: 'asana', host: 'app.asana.com', kind: 'project', value: 'Launch' })).toBe(
      '"Launch" is not an Asana project id (digits)',
    );
    expect(targetFromUrl('https://app.asana.com/0/1200/1207')).toEqual({
      ok: true,
      target: { source: 'asana', host: 'app.asana.com', kind: 'project', value: '1200' },
    });
    expect(targetFromUrl('https://app.asana.com/1/77/home')).toEqual({
      ok: false,
      reason:
        'Asana workspaces cannot be told apart yet: declare its projects, or everything on app.asana.com (kind host)',
    });
    expect(targetProblem(repo)).toBeNull();
    expect(describeTarget(repo)).toBe('repository octo/api on github.com');
    expect(describeTarget(ghes)).toBe('everything on git.acme.corp');
  });
});
