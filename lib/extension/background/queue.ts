/** Links made while the API was unreachable, sent once it answers again. */
import { type ApiClient, ApiProblem } from '../api-client';
import { flush } from '../link-queue';
import { refreshBadge } from './badge';
import { type BackgroundDeps, client } from './deps';

/** Sends what waits in the queue; safe to call often, from anywhere. */
export async function flushQueue(deps: BackgroundDeps): Promise<{ sent: number; refused: number; left: number }> {
  let api: ApiClient;
  try {
    api = await client(deps);
  } catch {
    return { sent: 0, refused: 0, left: (await deps.queue.read()).length };
  }
  const result = await flush(deps.queue, async (link) => {
    try {
      await api.createLink({ ref: link.ref, objectiveId: link.objectiveId, keyResultId: link.keyResultId }, link.id);
      return 'sent';
    } catch (error) {
      if (error instanceof ApiProblem && error.kind === 'refused') return 'refused';
      return 'unreachable';
    }
  });
  if (result.sent > 0) void refreshBadge(deps);
  return result;
}
