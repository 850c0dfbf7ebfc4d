/**
 * Webhooks from GitHub, Jira and Asana, which make syncs near-real-time: a delivery is checked
 * against its connection's secret before anything else is read of it, refused when it was taken
 * before, and turned into a `tickets` sync of the tickets it names (server/sync.ts re-reads each:
 * gone → removed, moved → followed). Of a payload only its delivery id is kept, for 30 days; no
 * secret and no body is ever logged.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { Webhooks } from '@octokit/webhooks';
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { repositoryOfApiUrl } from '../lib/hosts/apis/github';
import { formatRef, parseRef, type Source } from '../lib/shared/ref';
import { connections, webhookDeliveries, webhookSecrets } from './db/schema';
import type { Deps } from './deps';
import { ApiError, zodIssues } from './errors';
import type { SyncJob } from './sync-jobs';

export type WebhookDeps = Pick<Deps, 'db' | 'secrets' | 'syncJobs' | 'log'>;

export interface WebhookDelivery {
  connectionId: string;
  /** The name in an Asana hook's address (`/hooks/<connection>/<name>`); null for GitHub and Jira. */
  name: string | null;
  header: (name: string) => string | undefined;
  /** The body as sent: signatures are over these bytes. */
  body: Buffer;
}

export interface WebhookAnswer {
  status: 200 | 202;
  body: { queued: number; replay?: true; ignored?: string };
  /** Asana's handshake: the secret to echo in `X-Hook-Secret`. */
  hookSecret?: string;
}

/** A `tickets` job carries at most this many references; a delivery naming more queues several. */
const REFS_PER_JOB = 500;
/** Old delivery ids pruned per accepted delivery: bounded, so a backlog never slows an answer. */
const PRUNED_PER_DELIVERY = 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Asana's handshake secrets are short hex strings; anything printable up to this length is kept. */
const HOOK_SECRET = /^[\x21-\x7e]{1,256}$/;
const HEX_SHA256 = /^[0-9a-f]{64}$/i;

// No detail: an unknown hook says nothing of which connections or names exist.
const hookNotFound = () => new ApiError('not_found', 'Not found');
const unsigned = (message: string) => new ApiError('unauthorized', message);
const badPayload = (message: string) => new ApiError('bad_request', message);

/** What a delivery asks for once it is verified. */
type Work =
  | { kind: 'tickets'; refs: string[] }
  | { kind: 'incremental' }
  | { kind: 'answered' }
  | { kind: 'ignored'; reason: string };

interface HookConnection {
  id: string;
  workspaceId: string;
  host: Source;
  site: string;
}

export async function receiveWebhook(deps: WebhookDeps, delivery: WebhookDelivery): Promise<WebhookAnswer> {
  if (!UUID.test(delivery.connectionId)) throw hookNotFound();
  const [connection] = await deps.db
    .select({
      id: connections.id,
      workspaceId: connections.workspaceId,
      host: connections.host,
      site: connections.site,
    })
    .from(connections)
    .where(eq(connections.id, delivery.connectionId));
  // Asana's hooks are named, one per webhook; GitHub's and Jira's are the connection's own.
  if (!connection || (connection.host === 'asana') !== (delivery.name !== null)) throw hookNotFound();
  if (connection.host === 'asana') return receiveAsana(deps, connection, delivery.name as string, delivery);
  const secret = await storedSecret(deps, connection.id, '');
  if (secret === null) throw hookNotFound();
  return connection.host === 'github'
    ? receiveGithub(deps, connection, secret, delivery)
    : receiveJira(deps, connection, secret, delivery);
}

async function receiveGithub(
  deps: WebhookDeps,
  connection: HookConnection,
  secret: string,
  delivery: WebhookDelivery,
): Promise<WebhookAnswer> {
  const signature = delivery.header('x-hub-signature-256');
  if (!signature) throw unsigned('X-Hub-Signature-256 is missing: give the webhook the secret shown when connecting');
  const sent = delivery.body.toString('utf8');
  // `verify` throws on an empty body or signature rather than answering false.
  const verified = await new Webhooks({ secret }).verify(sent, signature).catch(() => false);
  if (!verified) throw unsigned('X-Hub-Signature-256 does not match the body and this hook’s secret');
  const event = delivery.header('x-github-event');
  const deliveryId = delivery.header('x-github-delivery');
  if (!event) throw badPayload('X-GitHub-Event is missing');
  if (!deliveryId || deliveryId.length > 200) throw badPayload('X-GitHub-Delivery is missing or longer than 200');
  // A webhook set to `application/x-www-form-urlencoded` sends its JSON as the `payload` field.
  const formEncoded = delivery.header('content-type')?.startsWith('application/x-www-form-urlencoded');
  const payload = parseJson(formEncoded ? (new URLSearchParams(sent).get('payload') ?? '') : sent);
  return take(deps, connection, deliveryId, delivery.body, githubWork(connection.site, event, payload));
}

const Repository = z.object({ full_name: z.string() });
const Numbered = z.object({ number: z.number().int().positive() });
const GithubIssueEvent = z.object({ repository: Repository, issue: Numbered });
const GithubPullRequestEvent = z.object({ repository: Repository, pull_request: Numbered });
const SubIssue = Numbered.extend({ repository_url: z.url() });
const GithubSubIssuesEvent = z.object({ parent_issue: SubIssue, sub_issue: SubIssue });

function githubWork(site: string, event: string, payload: unknown): Work {
  const ref = (repo: string, number: number, path: string) => ticketRef('github', site, `${repo}#${number}`, path);
  switch (event) {
    case 'ping':
      return { kind: 'answered' };
    // Every action, `deleted` and `transferred` too: re-reading the old reference finds it gone or moved.
    case 'issues': {
      const { repository, issue } = shaped(GithubIssueEvent, payload, 'issues');
      return { kind: 'tickets', refs: [ref(repository.full_name, issue.number, 'body.issue')] };
    }
    case 'pull_request': {
      const { repository, pull_request } = shaped(GithubPullRequestEvent, payload, 'pull_request');
      return { kind: 'tickets', refs: [ref(repository.full_name, pull_request.number, 'body.pull_request')] };
    }
    // Parent and child may sit in different repositories: each issue's own API address says where.
    case 'sub_issues': {
      const issues = shaped(GithubSubIssuesEvent, payload, 'sub_issues');
      const refs = (['parent_issue', 'sub_issue'] as const).map((side) => {
        const repo = repositoryOfApiUrl(issues[side].repository_url)?.repo;
        if (!repo) throw badPayload(`body.${side}.repository_url names no repository`);
        return ref(repo, issues[side].number, `body.${side}`);
      });
      return { kind: 'tickets', refs };
    }
    // A milestone or label changed as a whole names no ticket: what changed is read by an incremental sync.
    case 'milestone':
    case 'label':
      return { kind: 'incremental' };
    default:
      return { kind: 'ignored', reason: `GitHub's ${event} event names no ticket to sync` };
  }
}

async function receiveJira(
  deps: WebhookDeps,
  connection: HookConnection,
  secret: string,
  delivery: WebhookDelivery,
): Promise<WebhookAnswer> {
  const signature = delivery.header('x-hub-signature');
  if (!signature)
    throw unsigned('X-Hub-Signature is missing: register the webhook with the secret shown when connecting');
  const hex = signature.startsWith('sha256=') ? signature.slice('sha256='.length) : '';
  if (!hmacMatches(secret, delivery.body, hex)) {
    throw unsigned('X-Hub-Signature does not match the body and this hook’s secret');
  }
  const payload = parseJson(delivery.body.toString('utf8'));
  // Stable across Jira's retries. Where a Jira sends none, a retry is the same body (it carries its own timestamp).
  const deliveryId = delivery.header('x-atlassian-webhook-identifier') || `sha256:${sha256(delivery.body)}`;
  if (deliveryId.length > 200) throw badPayload('x-atlassian-webhook-identifier is longer than 200');
  return take(deps, connection, deliveryId, delivery.body, jiraWork(connection.site, payload));
}

const JIRA_ISSUE_EVENTS = ['jira:issue_created', 'jira:issue_updated', 'jira:issue_deleted'];

function jiraWork(site: string, payload: unknown): Work {
  const { webhookEvent } = shaped(z.object({ webhookEvent: z.string() }), payload, 'Jira');
  if (!JIRA_ISSUE_EVENTS.includes(webhookEvent)) {
    return { kind: 'ignored', reason: `Jira's ${webhookEvent} event names no ticket to sync` };
  }
  // A deleted issue's key is re-read and found gone; a moved one's new key is read and followed by its id.
  const { issue } = shaped(z.object({ issue: z.object({ key: z.string() }) }), payload, webhookEvent);
  return { kind: 'tickets', refs: [ticketRef('jira', site, issue.key, 'body.issue.key')] };
}

const AsanaEvents = z.object({
  events: z.array(z.object({ resource: z.object({ gid: z.string(), resource_type: z.string() }).nullish() })),
});

async function receiveAsana(
  deps: WebhookDeps,
  connection: HookConnection,
  name: string,
  delivery: WebhookDelivery,
): Promise<WebhookAnswer> {
  const offered = delivery.header('x-hook-secret');
  if (offered !== undefined) return handshake(deps, connection, name, offered);
  const secret = await storedSecret(deps, connection.id, name);
  if (secret === null) throw hookNotFound();
  const signature = delivery.header('x-hook-signature');
  if (!signature) throw unsigned('X-Hook-Signature is missing');
  if (!hmacMatches(secret, delivery.body, signature)) {
    throw unsigned('X-Hook-Signature does not match the body and this hook’s secret');
  }
  const { events } = shaped(AsanaEvents, parseJson(delivery.body.toString('utf8')), 'Asana');
  // A heartbeat: Asana checks the hook is alive.
  if (events.length === 0) return { status: 200, body: { queued: 0 } };
  const gids = new Set(events.flatMap((e) => (e.resource?.resource_type === 'task' ? [e.resource.gid] : [])));
  const refs = [...gids].map((gid) => ticketRef('asana', connection.site, gid, 'body.events.resource.gid'));
  // Asana has no delivery id and signs no time: a retry is the same body, so its hash is the id.
  return take(
    deps,
    connection,
    `sha256:${sha256(delivery.body)}`,
    delivery.body,
    refs.length > 0 ? { kind: 'tickets', refs } : { kind: 'ignored', reason: 'Asana named no task' },
  );
}

/** Whether an Asana hook's name is the connection's hook key, or it with `-<label>` after it. */
function issuedUnder(hookKey: string, name: string): boolean {
  const prefix = Buffer.from(name.slice(0, hookKey.length));
  const key = Buffer.from(hookKey);
  const rest = name.slice(hookKey.length);
  return prefix.length === key.length && timingSafeEqual(prefix, key) && (rest === '' || rest.startsWith('-'));
}

/**
 * Asana's handshake while a webhook is being made: the secret it offers is kept (sealed) under the
 * hook's name and echoed. A name keeps its first secret: a second handshake could otherwise replace
 * it with one of a sender's choosing.
 */
async function handshake(
  deps: WebhookDeps,
  connection: HookConnection,
  name: string,
  offered: string,
): Promise<WebhookAnswer> {
  // Only a name below the connection's hook key, which the API gave its admin once: anyone who
  // merely knows the connection's id cannot plant a secret of their own.
  const hookKey = await storedSecret(deps, connection.id, '');
  if (hookKey === null || !issuedUnder(hookKey, name)) throw hookNotFound();
  if (!HOOK_SECRET.test(offered)) throw badPayload('X-Hook-Secret must be 1 to 256 printable characters');
  const [kept] = await deps.db
    .insert(webhookSecrets)
    .values({ connectionId: connection.id, name, sealedSecret: deps.secrets.seal(offered) })
    .onConflictDoNothing()
    .returning({ name: webhookSecrets.name });
  if (!kept) {
    throw new ApiError(
      'conflict',
      `The hook ${name} has its secret already; register the new webhook under another name`,
    );
  }
  return { status: 200, body: { queued: 0 }, hookSecret: offered };
}

/**
 * Records the delivery and queues its syncs, in that order and in one transaction: a queue that
 * fails rolls the record back, so the host's retry is taken. A commit that fails after the queue
 * took the jobs means the retry queues them again, which only re-reads the same tickets.
 */
async function take(
  deps: WebhookDeps,
  connection: HookConnection,
  deliveryId: string,
  body: Buffer,
  work: Work,
): Promise<WebhookAnswer> {
  if (work.kind === 'answered') return { status: 200, body: { queued: 0 } };
  if (work.kind === 'ignored') return { status: 202, body: { queued: 0, ignored: work.reason } };
  const { syncJobs } = deps;
  if (!syncJobs) {
    throw new ApiError(
      'unavailable',
      'This API process runs no syncs, so it takes no webhooks; start it with `throughline serve`',
    );
  }
  const base = { workspaceId: connection.workspaceId, connectionId: connection.id };
  const jobs: SyncJob[] =
    work.kind === 'incremental'
      ? [{ ...base, mode: 'incremental' }]
      : chunks([...new Set(work.refs)], REFS_PER_JOB).map((refs) => ({ ...base, mode: 'tickets', refs }));
  const queued = await deps.db.transaction(async (tx) => {
    // A second delivery of the same id waits here on the first's row, then finds it taken. The
    // body's digest is kept too: the delivery id is not signed, so a captured body resent under
    // a new id is the same delivery.
    const ids = [...new Set([deliveryId, `sha256:${sha256(body)}`])];
    const taken = await tx
      .insert(webhookDeliveries)
      .values(ids.map((id) => ({ connectionId: connection.id, deliveryId: id })))
      .onConflictDoNothing()
      .returning({ deliveryId: webhookDeliveries.deliveryId });
    if (taken.length < ids.length) return null;
    let count = 0;
    for (const job of jobs) if ((await syncJobs.enqueue(job)) !== null) count++;
    return count;
  });
  // A replay is answered 200 `{ replay: true }` rather than 409: Jira and Asana retry what is refused
  // (Asana for a day), so a retry of a delivery taken whose answer got lost must be told it is done,
  // and a person redelivering on GitHub sees it was taken. A replayed capture gains nothing: no sync is queued.
  if (queued === null) return { status: 200, body: { queued: 0, replay: true } };
  await pruneDeliveries(deps);
  return { status: 202, body: { queued } };
}

/**
 * Forgets delivery ids past 30 days (a replay older than that is taken again), a bounded batch at a
 * time; rows another request is pruning are skipped rather than waited for.
 */
async function pruneDeliveries(deps: WebhookDeps): Promise<void> {
  try {
    await deps.db.execute(sql`
      delete from ${webhookDeliveries} where (connection_id, delivery_id) in (
        select connection_id, delivery_id from ${webhookDeliveries}
        where received_at < now() - interval '30 days'
        limit ${PRUNED_PER_DELIVERY} for update skip locked)`);
  } catch (error) {
    // The delivery is taken and queued already; the next one prunes again.
    deps.log(`webhook deliveries: pruning failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function storedSecret(deps: WebhookDeps, connectionId: string, name: string): Promise<string | null> {
  const [row] = await deps.db
    .select({ sealed: webhookSecrets.sealedSecret })
    .from(webhookSecrets)
    .where(and(eq(webhookSecrets.connectionId, connectionId), eq(webhookSecrets.name, name)));
  return row ? deps.secrets.open(row.sealed) : null;
}

/** Whether `hex` is the HMAC-SHA256 of the body under the secret, compared in constant time. */
function hmacMatches(secret: string, body: Buffer, hex: string): boolean {
  if (!HEX_SHA256.test(hex)) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(hex, 'hex'));
}

const sha256 = (body: Buffer) => createHash('sha256').update(body).digest('hex');

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Not the parser's message: it quotes the body.
    throw badPayload('The body is not JSON');
  }
}

function shaped<T extends z.ZodType>(schema: T, payload: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return parsed.data;
  const issues = zodIssues(parsed.error, 'body');
  const summary = issues
    .slice(0, 3)
    .map((issue) => `${issue.path}: ${issue.message}`)
    .join('; ');
  throw new ApiError('bad_request', `Not a ${what} payload as expected: ${summary}`, issues);
}

function ticketRef(source: Source, site: string, key: string, path: string): string {
  const ref = formatRef({ source, host: site, key });
  const parsed = parseRef(ref);
  if (!parsed.ok) throw new ApiError('bad_request', `${path}: ${parsed.reason}`, [{ path, message: parsed.reason }]);
  return ref;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
