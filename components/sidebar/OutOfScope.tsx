/**
 * A ticket outside the workspace's scope (another organisation's issue, say): one quiet line, no
 * warning, no suggestions; an admin may track its repository or project from here.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { WorkItemContext } from '../../lib/shared/contract';
import { describeTarget, type ScopeTarget } from '../../lib/shared/scope';
import { ask, ticketKeys, useSend } from '../shared/background';
import { reasonOf } from '../shared/ProblemView';

const trackLabel = (target: ScopeTarget) =>
  target.kind === 'host' ? `Track everything on ${target.host}` : `Track this ${target.kind}`;

export function OutOfScope({ context }: { context: WorkItemContext }) {
  const send = useSend();
  const queryClient = useQueryClient();
  const target = context.track;
  const track = useMutation({
    mutationFn: () => ask(send, { type: 'scope:track', ref: context.ref }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ticketKeys.view(context.ref) }),
  });
  return (
    <div className="state out-of-scope" role="status">
      <p>
        Not your workspace’s work: {target ? describeTarget(target) : 'this ticket'} is outside its scope, so
        Throughline neither warns nor counts it.
      </p>
      {target && context.canDeclareScope && (
        <button type="button" onClick={() => track.mutate()} disabled={track.isPending}>
          {track.isPending ? 'Tracking…' : trackLabel(target)}
        </button>
      )}
      {track.isError && (
        <p className="state-detail" role="alert">
          Not tracked: {reasonOf(track.error)}
        </p>
      )}
    </div>
  );
}
