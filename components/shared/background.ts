/**
 * The one way every screen (sidebar, popup, options, goals, review) reaches the background, which
 * alone holds the token and talks to the goals API: `useSend()` gives the screen's `send`, and
 * `ask`, `callApi` and the query factories below go through it. Pages send through the runtime;
 * the content scripts provide a `send` that also notices an extension update (content/).
 */
import { QueryClient, queryOptions } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import { browser } from 'wxt/browser';
import type { ContentRequest, PageRequest, TicketView } from '../../lib/extension/messages';
import type { PageCallInput, PageCallName, PageCallOutput } from '../../lib/extension/page-calls';
// Values from reply.ts, not messages.ts: messages.ts brings zod and the contract into the content scripts.
import { IMPORT_PORT, type ImportPortMessage, type Problem, type Reply } from '../../lib/extension/reply';
import type { ImportProgress, ImportRequest, ImportResult } from '../../lib/shared/contract';

export type Send = (request: ContentRequest | PageRequest) => Promise<Reply<unknown>>;

export const sendThroughRuntime: Send = async (request) =>
  (await browser.runtime.sendMessage(request)) as Reply<unknown>;

const SendContext = createContext<Send>(sendThroughRuntime);
/** Gives the screens below it another way to send (the content scripts' own). */
export const SendProvider = SendContext.Provider;
export const useSend = (): Send => useContext(SendContext);

/** A refusal from the background or the API, carried through TanStack Query as an error. */
export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
  }
}

export async function ask<T>(send: Send, request: ContentRequest | PageRequest): Promise<T> {
  const reply = await send(request);
  if (!reply.ok) throw new ProblemError(reply.problem);
  return reply.data as T;
}

/** A goals API call by name (lib/extension/page-calls.ts), answered through the background. */
export const callApi = <K extends PageCallName>(send: Send, name: K, input?: PageCallInput<K>) =>
  ask<PageCallOutput<K>>(send, { type: 'api', call: name, input });

/** Imports a file through the background, told the progress as the API writes its rows. */
export function importWithProgress(
  input: ImportRequest,
  onProgress: (progress: ImportProgress) => void,
): Promise<ImportResult> {
  return new Promise((resolve, reject) => {
    const port = browser.runtime.connect({ name: IMPORT_PORT });
    let settled = false;
    port.onMessage.addListener((message: ImportPortMessage) => {
      if ('progress' in message) return onProgress(message.progress);
      settled = true;
      port.disconnect();
      if (message.reply.ok) resolve(message.reply.data);
      else reject(new ProblemError(message.reply.problem));
    });
    port.onDisconnect.addListener(() => {
      if (!settled) {
        reject(
          new ProblemError({ kind: 'unreachable', message: 'The extension stopped answering during the import.' }),
        );
      }
    });
    port.postMessage(input);
  });
}

export const apiKeys = {
  all: ['api'] as const,
  call: (name: PageCallName, input?: unknown) => [...apiKeys.all, name, input ?? null] as const,
  of: (name: PageCallName) => [...apiKeys.all, name] as const,
};

export const apiQuery = <K extends PageCallName>(send: Send, name: K, input?: PageCallInput<K>) =>
  queryOptions({ queryKey: apiKeys.call(name, input), queryFn: () => callApi(send, name, input) });

export const ticketKeys = {
  all: ['ticket'] as const,
  view: (ref: string) => [...ticketKeys.all, ref, 'view'] as const,
};

export const objectiveKeys = {
  all: ['objectives'] as const,
  open: () => [...objectiveKeys.all, 'open'] as const,
};

export const ticketViewQuery = (send: Send, ref: string) =>
  queryOptions({
    queryKey: ticketKeys.view(ref),
    queryFn: () => ask<TicketView>(send, { type: 'context:get', ref }),
  });

export const openObjectivesQuery = (send: Send) =>
  queryOptions({
    queryKey: objectiveKeys.open(),
    queryFn: () => ask<PageCallOutput<'objectives'>>(send, { type: 'objectives:open' }),
    staleTime: 60_000,
  });

export const pageQueryClient = () =>
  new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: 15_000, refetchOnWindowFocus: true } } });
