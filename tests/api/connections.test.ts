/**
 * Connections to the hosts' APIs: admins make, list and remove them; the token is sealed at rest,
 * never returned by any route, never logged; bad input changes nothing.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { eq } from 'drizzle-orm';
import { describe, expect, inject, test } from 'vitest';
import { connections } from '../../server/db/schema';
import { SecretBox } from '../../server/secrets';
import { setupApi, TEST_SECRETS } from '../support/api';

const logged: string[] = [];
const api = setupApi({ log: (line) => logged.push(line) });
const TOKEN = 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCD';

describe('connections', () => {
  test('an admin connects a host with a token that is sealed at rest and never returned', async () => {
    const ws = await api.workspace();
    const made = await api.call('POST', '/v1/connections', {
      token: ws.adminToken,
      body: { host: 'github', baseUrl: 'https://api.github.com/', token: TOKEN },
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      host: 'github',
      baseUrl: 'https://api.github.com',
      tokenHint: '…ABCD',
      createdBy: { id: ws.adminId, name: 'Ada Admin' },
    });
    const [row] = await api.db.select().from(connections).where(eq(connections.id, made.body.id));
    expect(row?.sealedToken).not.toContain(TOKEN.slice(11, 30));
    expect(TEST_SECRETS.open(row?.sealedToken as string)).toBe(TOKEN);

    const listed = await api.call('GET', '/v1/connections', { token: ws.adminToken });
    expect(listed.body.connections.map((c: { id: string }) => c.id)).toEqual([made.body.id]);
    expect(listed.body.nextCursor).toBeNull();
    for (const body of [made.body, listed.body]) expect(JSON.stringify(body)).not.toContain(TOKEN.slice(11, 30));

    const removed = await api.call('DELETE', `/v1/connections/${made.body.id}`, { token: ws.adminToken });
    expect(removed.body.id).toBe(made.body.id);
    expect(await api.db.$count(connections, eq(connections.workspaceId, ws.id))).toBe(0);
    expect((await api.call('DELETE', `/v1/connections/${made.body.id}`, { token: ws.adminToken })).status).toBe(404);
    expect(logged.join('\n')).not.toContain(TOKEN.slice(11, 30));
  });

  test('members may neither see nor make them; another workspace sees none; bad input names its field and writes nothing', async () => {
    const ws = await api.workspace();
    const body = {
      host: 'jira',
      baseUrl: 'https://acme.atlassian.net',
      email: 'ada@acme.example',
      token: 'jira-token-1234',
    };
    expect((await api.call('GET', '/v1/connections', { token: ws.memberToken })).status).toBe(403);
    expect((await api.call('POST', '/v1/connections', { token: ws.memberToken, body })).status).toBe(403);
    const made = await api.call('POST', '/v1/connections', { token: ws.adminToken, body });
    const other = await api.workspace('Other');
    expect((await api.call('GET', '/v1/connections', { token: other.adminToken })).body.connections).toEqual([]);
    expect((await api.call('DELETE', `/v1/connections/${made.body.id}`, { token: other.adminToken })).status).toBe(404);

    for (const [bad, path] of [
      [{ ...body, host: 'gitlab' }, 'body.host'],
      [{ ...body, baseUrl: 'ftp://acme' }, 'body.baseUrl'],
      [{ ...body, token: '   ' }, 'body.token'],
      [{ ...body, password: 'x' }, 'body'],
      [{ ...body, site: 'acme atlassian' }, 'body.site'],
      [{ ...body, email: 'ada' }, 'body.email'],
    ] as const) {
      const refused = await api.call('POST', '/v1/connections', { token: ws.adminToken, body: bad });
      expect(refused.status).toBe(400);
      expect(refused.body.error.issues[0].path).toBe(path);
      expect(JSON.stringify(refused.body)).not.toContain('jira-token-1234');
    }
    // Jira Cloud's API tokens go with an e-mail; a GitHub token with none.
    const { email: _email, ...withoutEmail } = body;
    for (const [bad, message] of [
      [withoutEmail, 'body.email: a Jira Cloud API token goes with the e-mail of its Atlassian account'],
      [
        { ...body, host: 'github', baseUrl: 'https://api.github.com' },
        'body.email: an e-mail goes only with a Jira Cloud API token',
      ],
    ] as const) {
      const refused = await api.call('POST', '/v1/connections', { token: ws.adminToken, body: bad });
      expect(refused.status).toBe(422);
      expect(refused.body.error.message).toBe(message);
    }
    expect(await api.db.$count(connections, eq(connections.workspaceId, ws.id))).toBe(1);
    // A short token shows none of itself.
    const short = await api.call('POST', '/v1/connections', {
      token: ws.adminToken,
      body: { ...body, token: 'abc123' },
    });
    expect(short.body.tokenHint).toBe('…');
  });
});

describe('the CLI', () => {
  const cli = (args: string[], env: NodeJS.ProcessEnv) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], {
      env: { ...process.env, DATABASE_URL: inject('databaseUrl'), ...env },
      timeout: 60_000,
    });

  test('connects a host with the server’s key, lists the connections without their tokens, and refuses bad input', async () => {
    const ws = await api.workspace();
    const key = randomBytes(32).toString('base64');
    const env = { THROUGHLINE_SECRET_KEY: key };
    const connected = await cli(
      [
        'connect',
        'jira',
        '--workspace',
        ws.id,
        '--base-url',
        'https://acme.atlassian.net',
        '--email',
        'ada@acme.example',
        '--token',
        TOKEN,
      ],
      env,
    );
    expect(connected.stdout).toMatch(
      /^Connected jira at https:\/\/acme\.atlassian\.net for tickets on acme\.atlassian\.net \(token …ABCD\): connection [0-9a-f-]{36}\nWebhooks: send them to <API address>\/hooks\/[0-9a-f-]{36}, signed with this secret \(shown once\): [0-9a-f]{64}\n$/,
    );
    const [row] = await api.db.select().from(connections).where(eq(connections.workspaceId, ws.id));
    expect(new SecretBox([Buffer.from(key, 'base64')]).open(row?.sealedToken as string)).toBe(TOKEN);

    const listed = await cli(['connections', '--workspace', ws.id], env);
    expect(listed.stdout).toBe(
      `${row?.id}  jira  https://acme.atlassian.net  acme.atlassian.net  token …ABCD  never synced\n`,
    );
    expect(listed.stdout + connected.stdout).not.toContain(TOKEN.slice(11, 30));

    const refused = await cli(
      ['connect', 'gitlab', '--workspace', ws.id, '--base-url', 'https://gitlab.com', '--token', 'x'],
      env,
    ).catch((error) => error);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('host: must be github, jira or asana');
    expect(await api.db.$count(connections, eq(connections.workspaceId, ws.id))).toBe(1);
  });
});
