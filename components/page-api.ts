/**
 * How the extension's own pages (popup, options, goals, review) reach the goals API: by named
 * calls through the background, which alone holds the token. One queryOptions() per call and input.
 */
import { QueryClient, queryOptions } from '@tanstack/react-query';
import { browser } from 'wxt/browser';
import type { ImportProgress, ImportRequest, ImportResult } from '../lib/contract';
import { IMPORT_PORT, type ImportPortMessage, type PageRequest, type Reply } from '../lib/messages';
import type { PageCallInput, PageCallName, PageCallOutput } from '../lib/page-calls';
import { ProblemError } from './queries';

export const sendToBackground = async (request: PageRequest) =>
  (await browser.runtime.sendMessage(request)) as Reply<unknown>;

export async function callApi<K extends PageCallName>(name: K, input?: PageCallInput<K>): Promise<PageCallOutput<K>> {
  const reply = await sendToBackground({ type: 'api', call: name, input });
  if (!reply.ok) throw new ProblemError(reply.problem);
  return reply.data as PageCallOutput<K>;
}

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

export const apiQuery = <K extends PageCallName>(name: K, input?: PageCallInput<K>) =>
  queryOptions({ queryKey: apiKeys.call(name, input), queryFn: () => callApi(name, input) });

export const pageQueryClient = () =>
  new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: 15_000, refetchOnWindowFocus: true } } });

/** Saves text as a file the person downloads: exports of objectives and reviews. */
export function download(filename: string, text: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  // Not at once: Firefox may not have started the download yet.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
