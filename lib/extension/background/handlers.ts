/**
 * What the background does with each message, with the browser passed in as plain functions so
 * it can be tested without one. The entry point (entrypoints/background.ts) wires the real APIs.
 * Nothing lives only in memory: the service worker may be stopped between any two messages.
 */

import type { z } from 'zod';
import { ImportRequest, type MyCoverage, type Source, type WorkItemContext } from '../../shared/contract';
import { type ApiClient, ApiProblem } from '../api-client';
import type { CustomDomain } from '../custom-domains';
import { identityPatchFor } from '../identities';
import { remembered } from '../last-contexts';
import { enqueue, pendingFor, type QueuedLink } from '../link-queue';
import { isManaged, lockedOut, originOf } from '../managed';
import {
  ContentRequest,
  fail,
  type ImportPortMessage,
  type LinkOutcome,
  ok,
  PageRequest,
  type PolicyView,
  type Reply,
  type TicketView,
} from '../messages';
import { type PageCallName, pageCalls } from '../page-calls';
import { BADGE_MAX_AGE_MS, refreshBadge } from './badge';
import { attempt, type BackgroundDeps, client, policyOf, type Sender, settingsOf } from './deps';
import { isTicketPage, originsRemoved } from './domains';
import { publishedSelectors, selectorStore } from './host-selectors';
import { flushQueue } from './queue';

export type { Settings } from '../managed';

/** A name seen signed in on a host fills that identity if the person has none there yet. */
export async function identitySeen(deps: BackgroundDeps, source: Source, name: string): Promise<Reply<unknown>> {
  const seen = await deps.seenIdentities.read();
  if (seen[source] === name) return ok(null);
  const reply = await attempt(async () => {
    const api = await client(deps);
    const patch = identityPatchFor((await api.me()).user.identities, source, name);
    if (patch) await api.updateIdentities(patch);
    return patch;
  });
  if (!reply.ok) return reply;
  await deps.seenIdentities.write({ ...seen, [source]: name });
  if (reply.data) void refreshBadge(deps);
  return ok(null);
}

/** A page's input the contract refused, each field named. */
export function invalidInput(error: z.ZodError, what: string): Reply<never> {
  const issues = error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  return {
    ok: false,
    problem: { kind: 'invalid', message: `${issues[0]?.path || what}: ${issues[0]?.message}`, issues },
  };
}

/** Page calls after which the person's coverage may read differently. */
export const CHANGES_COVERAGE = new Set<PageCallName>([
  'updateIdentities',
  'createObjective',
  'updateObjective',
  'postStatusUpdate',
  'importObjectives',
]);

/** A named API call from one of the extension's pages, its input parsed with the contract first. */
export async function pageCall(deps: BackgroundDeps, name: PageCallName, input: unknown): Promise<Reply<unknown>> {
  const spec = pageCalls[name];
  const parsed = spec.input.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error, name);
  const reply = await attempt(async () =>
    (spec.run as (api: ApiClient, input: unknown) => Promise<unknown>)(await client(deps), parsed.data),
  );
  if (reply.ok && name === 'myCoverage') void refreshBadge(deps, reply.data as MyCoverage);
  else if (reply.ok && CHANGES_COVERAGE.has(name)) void refreshBadge(deps);
  return reply;
}

export async function policyView(deps: BackgroundDeps): Promise<PolicyView> {
  const { policy, apiUrlFrom, tokenFrom } = await settingsOf(deps);
  const domains = await Promise.all(
    policy.domains.map(async (d) => ({ ...d, allowed: await deps.canReach(d.origin) })),
  );
  return {
    managed: isManaged(policy),
    locked: policy.locked,
    apiUrl: policy.apiUrl,
    token: policy.token !== null,
    domains,
    problems: policy.problems,
    apiUrlFrom,
    tokenFrom,
  };
}

export function senderKind(deps: BackgroundDeps, sender: Sender): 'content' | 'page' | null {
  if (sender.id !== deps.extensionId) return null;
  if (sender.url?.startsWith(`${deps.extensionOrigin}/`)) return 'page';
  if (sender.tab) return 'content';
  return null;
}

export async function handleMessage(deps: BackgroundDeps, message: unknown, sender: Sender): Promise<Reply<unknown>> {
  const kind = senderKind(deps, sender);
  if (!kind) return fail('invalid', 'Messages are taken only from this extension.');

  const content = ContentRequest.safeParse(message);
  if (content.success) {
    const url = sender.url ?? sender.tab?.url ?? '';
    if (kind === 'content' && !(await isTicketPage(deps, url))) {
      return fail('invalid', 'This page is not a ticket page Throughline runs on.');
    }
    // A self-hosted server's page is whatever that server sends: it may not name who the person is.
    if (content.data.type === 'identity:seen' && !deps.isBuiltInHost(url)) return ok(null);
    return handleContent(deps, content.data);
  }
  const page = PageRequest.safeParse(message);
  if (page.success) {
    // Settings and the token change only from the extension's own pages, never from a web page.
    if (kind !== 'page') return fail('invalid', 'Settings change only from the extension’s own pages.');
    return handlePage(deps, page.data);
  }
  return fail('invalid', 'Unknown or malformed message.');
}

/**
 * An import from the goals page, over a port (runtime.connect) so the page hears the progress of
 * a large file as the API writes it. Only the extension's own pages may import.
 */
export async function importWithProgress(
  deps: BackgroundDeps,
  sender: Sender,
  message: unknown,
  post: (message: ImportPortMessage) => void,
): Promise<void> {
  if (senderKind(deps, sender) !== 'page') {
    post({ reply: fail('invalid', 'Imports are taken only from the extension’s own pages.') });
    return;
  }
  const input = ImportRequest.safeParse(message);
  if (!input.success) {
    post({ reply: invalidInput(input.error, 'import') });
    return;
  }
  const reply = await attempt(async () =>
    (await client(deps)).importObjectivesWithProgress(input.data, (progress) => post({ progress })),
  ).catch((error: Error) => fail('unreachable', `The import failed: ${error.message}`));
  post({ reply });
  if (reply.ok) void refreshBadge(deps);
}

/** Keeps the ticket's context as the newest, and forgets the oldest beyond the bound. */
async function rememberContext(deps: BackgroundDeps, ref: string, context: WorkItemContext): Promise<void> {
  const at = deps.now();
  const { index, dropped } = remembered(await deps.lastContexts.readIndex(), ref, at);
  await deps.lastContexts.write(ref, { context, at });
  await Promise.all(dropped.map((old) => deps.lastContexts.write(old, null)));
  await deps.lastContexts.writeIndex(index);
}

async function forgetContexts(deps: BackgroundDeps): Promise<void> {
  const index = await deps.lastContexts.readIndex();
  await Promise.all(Object.keys(index).map((ref) => deps.lastContexts.write(ref, null)));
  await deps.lastContexts.writeIndex({});
}

export async function handleContent(deps: BackgroundDeps, request: ContentRequest): Promise<Reply<unknown>> {
  switch (request.type) {
    case 'context:get': {
      const reply = await attempt(async (): Promise<TicketView> => {
        const [context, pending] = await Promise.all([
          client(deps).then((api) => api.context(request.ref)),
          pendingFor(deps.queue, request.ref),
        ]);
        return { context, pending };
      });
      if (reply.ok) {
        void flushQueue(deps);
        if (deps.now() - (await deps.badge.shownAt()) > BADGE_MAX_AGE_MS) void refreshBadge(deps);
        void rememberContext(deps, request.ref, reply.data.context);
        return reply;
      }
      // Offline: what was known of the ticket, with when it was read.
      const known = reply.problem.kind === 'unreachable' ? await deps.lastContexts.read(request.ref) : null;
      return known
        ? ok<TicketView>({ context: known.context, pending: await pendingFor(deps.queue, request.ref), asOf: known.at })
        : reply;
    }
    case 'item:record':
      return attempt(async () => (await client(deps)).record(request.ref, request.record));
    case 'link:create': {
      const pending: QueuedLink = {
        id: deps.newId(),
        ref: request.ref,
        objectiveId: request.objectiveId,
        keyResultId: request.keyResultId ?? null,
        queuedAt: deps.now(),
      };
      const reply = await attempt(async (): Promise<LinkOutcome> => {
        const api = await client(deps);
        const link = await api.createLink(
          { ref: pending.ref, objectiveId: pending.objectiveId, keyResultId: pending.keyResultId },
          pending.id,
        );
        return { status: 'linked', link };
      });
      if (reply.ok) {
        void refreshBadge(deps);
        return reply;
      }
      if (reply.problem.kind !== 'unreachable') return reply;
      await enqueue(deps.queue, pending);
      return ok<LinkOutcome>({ status: 'queued', pending });
    }
    case 'link:end': {
      const reply = await attempt(async () => (await client(deps)).endLink(request.linkId));
      if (reply.ok) void refreshBadge(deps);
      return reply;
    }
    case 'exception:create': {
      const reply = await attempt(async () =>
        (await client(deps)).createException({ ref: request.ref, objectiveId: request.objectiveId }),
      );
      if (reply.ok) void refreshBadge(deps);
      return reply;
    }
    case 'exception:end': {
      const reply = await attempt(async () => (await client(deps)).endException(request.exceptionId));
      if (reply.ok) void refreshBadge(deps);
      return reply;
    }
    case 'objectives:open':
      return attempt(async () => (await client(deps)).objectives({ status: 'open', period: 'current' }));
    case 'identity:seen':
      return identitySeen(deps, request.source, request.name);
    case 'selectors:get':
      return publishedSelectors(deps, request.source, request.fresh === true);
    case 'options:open':
      await deps.openOptions();
      return ok(null);
    case 'goals:open':
      await deps.openGoals(request.objectiveId);
      return ok(null);
    case 'scope:track':
      // What to track follows from the ticket, as the API places it (an Asana task's project is
      // known only there): a page names no other part of the scope.
      return attempt(async () => {
        const api = await client(deps);
        const { track } = await api.context(request.ref);
        if (!track) throw new ApiProblem('refused', 'This ticket is in the workspace’s scope already.');
        return api.declareScope(track);
      });
  }
}

export async function handlePage(deps: BackgroundDeps, request: PageRequest): Promise<Reply<unknown>> {
  switch (request.type) {
    case 'settings:get': {
      const { settings } = await settingsOf(deps);
      // Pages learn whether a token is set, never the token itself.
      return ok({ apiUrl: settings.apiUrl, hasToken: settings.token !== '' });
    }
    case 'settings:set': {
      const refused = lockedOut(await policyOf(deps), request);
      if (refused) return fail('invalid', refused);
      const current = await deps.readSettings();
      // The token field left empty keeps the saved token only for the same server: a token saved
      // for another is never paired with this one (nor with a policy's); the options then ask for one.
      const kept = current?.token && originOf(current.apiUrl) === originOf(request.apiUrl) ? current.token : '';
      await deps.writeSettings({ apiUrl: request.apiUrl, token: request.token?.trim() ?? kept });
      // Perhaps another person or workspace: what was learnt of the previous one does not apply.
      await deps.seenIdentities.write({});
      await forgetContexts(deps);
      await selectorStore(deps).write(null);
      void refreshBadge(deps);
      return ok(null);
    }
    case 'policy:get':
      return ok(await policyView(deps));
    case 'connection:test':
      return attempt(async () => (await client(deps)).me());
    case 'domains:list':
      return ok(await deps.customDomains.read());
    case 'domains:add': {
      const origin = new URL(request.origin).origin;
      if (!(await deps.canReach(origin))) {
        return fail('no_permission', `The browser has not allowed ${origin}: allow it when asked.`);
      }
      const own = await deps.customDomains.read();
      const policyDomain = (await policyOf(deps)).domains.find((d) => d.origin === origin);
      if (policyDomain) {
        // The organisation's domain, now allowed: its script is registered; the person's list is unchanged.
        await deps.customDomains.unregister(origin);
        await deps.customDomains.register(policyDomain);
        return ok(own);
      }
      const domain: CustomDomain = { origin, kind: request.kind };
      const others = own.filter((d) => d.origin !== origin);
      await deps.customDomains.unregister(origin);
      await deps.customDomains.register(domain);
      await deps.customDomains.write([...others, domain]);
      return ok([...others, domain]);
    }
    case 'api':
      return pageCall(deps, request.call, request.input);
    case 'badge:get':
      return ok(await deps.badge.mode());
    case 'badge:set':
      await deps.badge.setMode(request.mode);
      await refreshBadge(deps);
      return ok(null);
    case 'domains:remove': {
      if ((await policyOf(deps)).domains.some((d) => d.origin === request.origin)) {
        return fail('invalid', `${request.origin} is set by your organisation: it cannot be removed here.`);
      }
      await originsRemoved(deps, [request.origin]);
      await deps.customDomains.revoke(request.origin);
      return ok(await deps.customDomains.read());
    }
  }
}
