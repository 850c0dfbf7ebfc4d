/**
 * TanStack Query resources of the extension UI, one queryOptions() per resource with its key
 * factory, reused by hooks, prefetching and cache updates. The queryFn asks the background.
 */
import { queryOptions } from '@tanstack/react-query';
import type { z } from 'zod';
import type { TicketView } from '../lib/background';
import type { Objectives } from '../lib/contract';
import type { ContentRequest, Problem, Reply } from '../lib/messages';

export type Transport = (request: ContentRequest) => Promise<Reply<unknown>>;

/** A refusal from the background or the API, carried through TanStack Query as an error. */
export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
  }
}

export async function ask<T>(transport: Transport, request: ContentRequest): Promise<T> {
  const reply = await transport(request);
  if (!reply.ok) throw new ProblemError(reply.problem);
  return reply.data as T;
}

export const ticketKeys = {
  all: ['ticket'] as const,
  view: (ref: string) => [...ticketKeys.all, ref, 'view'] as const,
};

export const objectiveKeys = {
  all: ['objectives'] as const,
  open: () => [...objectiveKeys.all, 'open'] as const,
};

export const ticketViewQuery = (transport: Transport, ref: string) =>
  queryOptions({
    queryKey: ticketKeys.view(ref),
    queryFn: () => ask<TicketView>(transport, { type: 'context:get', ref }),
  });

export const openObjectivesQuery = (transport: Transport) =>
  queryOptions({
    queryKey: objectiveKeys.open(),
    queryFn: () => ask<z.infer<typeof Objectives>>(transport, { type: 'objectives:open' }),
    staleTime: 60_000,
  });
