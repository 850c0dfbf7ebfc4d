import { describe, expect, test } from 'vitest';
import { isOnCustomDomain, parseOrigin, scriptIdOf } from '../../lib/extension/custom-domains';

describe('self-hosted domains', () => {
  test.each([
    ['jira.acme.com', 'https://jira.acme.com'],
    ['https://jira.acme.com/secure/Dashboard.jspa', 'https://jira.acme.com'],
    ['http://jira.internal.example:8080/jira', 'http://jira.internal.example:8080'],
    ['  GHE.Example.COM  ', 'https://ghe.example.com'],
  ])('%s is read as %s', (input, origin) => {
    expect(parseOrigin(input)).toEqual({ ok: true, origin });
  });

  test.each([
    ['', 'Type the address of your Jira or GitHub Enterprise server.'],
    ['jira', '“jira” is not a full host name.'],
    ['ftp://jira.acme.com', 'The address must start with https:// (or http://).'],
    ['https://exa mple.com', '“https://exa mple.com” is not an address like jira.example.com.'],
  ])('%j is refused: %s', (input, reason) => {
    expect(parseOrigin(input)).toEqual({ ok: false, reason });
  });

  test('pages on an added domain are ticket pages; others are not', () => {
    const domains = [{ origin: 'https://jira.acme.com', kind: 'jira' as const }];
    expect(isOnCustomDomain('https://jira.acme.com/browse/OPS-1', domains)).toBe(true);
    expect(isOnCustomDomain('https://jira.acme.com.evil.example/browse/OPS-1', domains)).toBe(false);
    expect(isOnCustomDomain('http://jira.acme.com/browse/OPS-1', domains)).toBe(false);
    expect(isOnCustomDomain('not a url', domains)).toBe(false);
    expect(scriptIdOf('https://jira.acme.com')).toBe('custom-domain:https://jira.acme.com');
  });
});
