/** Enterprise policy (storage.managed): what is read of it, and how it combines with the person's settings. */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  allDomains,
  isManaged,
  lockedOut,
  NO_POLICY,
  type Policy,
  readPolicy,
  resolveSettings,
} from '../../lib/extension/managed';

const ORG = 'https://goals.acme.example';
const policy = (values: Partial<Policy>): Policy => ({ ...NO_POLICY, ...values });

describe('reading the policy', () => {
  test('no policy, or not an object: none', () => {
    for (const raw of [undefined, null, {}, 'x', [1], 42]) expect(readPolicy(raw)).toEqual(NO_POLICY);
  });

  test('every key read and checked; a wrong value is left out and named, the rest applies', () => {
    expect(
      readPolicy({
        apiUrl: ORG,
        token: ' tl_abc ',
        locked: true,
        customDomains: [
          { origin: 'jira.acme.example', kind: 'jira' },
          { origin: 'https://ghe.acme.example/some/path', kind: 'github' },
          { origin: 'https://jira.acme.example', kind: 'jira' },
        ],
      }),
    ).toEqual({
      apiUrl: ORG,
      token: 'tl_abc',
      locked: true,
      domains: [
        { origin: 'https://jira.acme.example', kind: 'jira' },
        { origin: 'https://ghe.acme.example', kind: 'github' },
      ],
      problems: [],
    });

    const wrong = readPolicy({
      apiUrl: 'ftp://goals',
      token: '',
      locked: 'yes',
      customDomains: [{ origin: 'jira', kind: 'jira' }, { origin: 'https://x.example', kind: 'gitlab' }, 'y'],
    });
    expect(wrong).toMatchObject({ apiUrl: null, token: null, locked: false, domains: [] });
    expect(wrong.problems).toEqual([
      'customDomains[0]: “jira” is not a full host name. (ignored)',
      'customDomains[1]: must be { "origin": "https://…", "kind": "jira" | "github" } (ignored)',
      'customDomains[2]: must be { "origin": "https://…", "kind": "jira" | "github" } (ignored)',
      'apiUrl: must be an http(s) URL (ignored)',
      'token: must not be empty (ignored)',
      'locked: must be true or false (ignored)',
    ]);
    expect(readPolicy({ customDomains: 'jira.acme.example' }).problems).toEqual([
      'customDomains: must be a list (ignored)',
    ]);
  });

  test('a token without the policy’s apiUrl is never used: left out and named, and the options say so', () => {
    for (const raw of [{ token: 'tl_abc' }, { token: 'tl_abc', apiUrl: 'ftp://goals' }]) {
      const read = readPolicy(raw);
      expect(read.token).toBeNull();
      expect(read.problems).toContain(
        'token: goes only to the goals API the policy sets in apiUrl, and it sets none that can be used (ignored)',
      );
      expect(isManaged(read)).toBe(true);
    }
    expect(readPolicy({ token: 'tl_abc', apiUrl: ORG })).toMatchObject({ token: 'tl_abc', problems: [] });
  });

  test('customDomains beyond the first 50: left out and named', () => {
    const listed = Array.from({ length: 53 }, (_, i) => ({ origin: `https://jira${i}.acme.example`, kind: 'jira' }));
    const read = readPolicy({ customDomains: listed });
    expect(read.domains).toHaveLength(50);
    expect(read.domains.at(-1)?.origin).toBe('https://jira49.acme.example');
    expect(read.problems).toEqual(['customDomains: at most 50 are read; the 3 after the 50th are ignored']);
    expect(readPolicy({ customDomains: listed.slice(0, 50) }).problems).toEqual([]);
  });

  test('the manifest’s managed_schema declares exactly the keys read here', () => {
    const schema = JSON.parse(readFileSync('public/managed_schema.json', 'utf8'));
    expect(schema.type).toBe('object');
    expect(Object.keys(schema.properties).sort()).toEqual(['apiUrl', 'customDomains', 'locked', 'token']);
    expect(schema.properties.customDomains.items.properties.kind.enum).toEqual(['jira', 'github']);
  });
});

describe('the settings in use', () => {
  const mine = { apiUrl: 'https://mine.example', token: 'tl_mine' };

  test('no policy: the person’s, else the default', () => {
    expect(resolveSettings(mine, NO_POLICY, '')).toEqual({ settings: mine, apiUrlFrom: 'person', tokenFrom: 'person' });
    expect(resolveSettings(null, NO_POLICY, 'http://127.0.0.1:8787')).toEqual({
      settings: { apiUrl: 'http://127.0.0.1:8787', token: '' },
      apiUrlFrom: 'default',
      tokenFrom: null,
    });
  });

  test('unlocked: the organisation’s until the person saves their own', () => {
    const org = policy({ apiUrl: ORG, token: 'tl_org' });
    expect(resolveSettings(null, org, 'http://127.0.0.1:8787').settings).toEqual({ apiUrl: ORG, token: 'tl_org' });
    expect(resolveSettings(mine, org, '').settings).toEqual(mine);
    // Their own token for the organisation's API replaces the policy's; without one, the policy's stays.
    expect(resolveSettings({ apiUrl: ORG, token: 'tl_mine' }, org, '')).toEqual({
      settings: { apiUrl: ORG, token: 'tl_mine' },
      apiUrlFrom: 'person',
      tokenFrom: 'person',
    });
    expect(resolveSettings({ apiUrl: ORG, token: '' }, org, '')).toEqual({
      settings: { apiUrl: ORG, token: 'tl_org' },
      apiUrlFrom: 'person',
      tokenFrom: 'policy',
    });
    // A token saved for another server never goes to the organisation's, nor the policy's to another.
    expect(resolveSettings({ apiUrl: mine.apiUrl, token: '' }, org, '').settings).toEqual({
      apiUrl: mine.apiUrl,
      token: '',
    });
  });

  test('locked: the organisation’s over the person’s; a token saved for another server is never sent to it', () => {
    const locked = policy({ apiUrl: ORG, token: 'tl_org', locked: true });
    expect(resolveSettings(mine, locked, '')).toEqual({
      settings: { apiUrl: ORG, token: 'tl_org' },
      apiUrlFrom: 'policy',
      tokenFrom: 'policy',
    });
    expect(resolveSettings({ apiUrl: `${ORG}/`, token: 'tl_mine' }, locked, '').settings.token).toBe('tl_org');

    const urlOnly = policy({ apiUrl: ORG, locked: true });
    expect(resolveSettings(mine, urlOnly, '').settings).toEqual({ apiUrl: ORG, token: '' });
    expect(resolveSettings({ apiUrl: ORG, token: 'tl_mine' }, urlOnly, '').settings).toEqual({
      apiUrl: ORG,
      token: 'tl_mine',
    });
  });

  test('what a locked policy refuses to change, in words', () => {
    const locked = policy({ apiUrl: ORG, token: 'tl_org', locked: true });
    expect(lockedOut(locked, { apiUrl: 'https://evil.example' })).toBe(
      `Your organisation set the goals API URL to ${ORG}: it cannot be changed here.`,
    );
    expect(lockedOut(locked, { apiUrl: `${ORG}/`, token: 'tl_x' })).toBe(
      'Your organisation set the API token: it cannot be changed here.',
    );
    expect(lockedOut(locked, { apiUrl: ORG })).toBeNull();
    expect(lockedOut(policy({ apiUrl: ORG, locked: true }), { apiUrl: ORG, token: 'tl_mine' })).toBeNull();
    expect(lockedOut(policy({ apiUrl: ORG, token: 'tl_org' }), { apiUrl: 'https://x.example', token: 'y' })).toBeNull();
  });

  test('domains: the organisation’s first, then the person’s own not already listed', () => {
    const org = policy({ domains: [{ origin: 'https://jira.acme.example', kind: 'jira' }] });
    expect(
      allDomains(org, [
        { origin: 'https://jira.acme.example', kind: 'github' },
        { origin: 'https://ghe.me.example', kind: 'github' },
      ]),
    ).toEqual([
      { origin: 'https://jira.acme.example', kind: 'jira' },
      { origin: 'https://ghe.me.example', kind: 'github' },
    ]);
  });
});
