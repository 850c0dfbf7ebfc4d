/** One goal the ticket serves, as the panel shows it: the objective, who linked it and how, and what can be done with it. */
import { dayText, HEALTH_TEXT, percentOrNull, STATUS_TEXT, throughText } from '../../lib/extension/labels';
import type { ContextLink, ObjectiveSummary } from '../../lib/shared/contract';

/** A link the panel shows before the API has it: its id starts so. */
export const PENDING_PREFIX = 'pending:';

function UnlinkButton({ link, onUnlink }: { link: ContextLink; onUnlink: (link: ContextLink) => void }) {
  return (
    <button
      type="button"
      className="link-button"
      onClick={() => onUnlink(link)}
      aria-label={`Unlink from “${link.objective.title}”`}
    >
      Unlink
    </button>
  );
}

export function ObjectiveCard({
  objective,
  keyResult,
}: {
  objective: ObjectiveSummary;
  keyResult?: ContextLink['keyResult'];
}) {
  const progress = percentOrNull(objective.progress);
  return (
    <div className="objective">
      <div className="objective-title">{objective.title}</div>
      {keyResult && <div className="objective-kr">Key result: {keyResult.title}</div>}
      <dl className="objective-facts">
        <dt>Owner</dt>
        <dd>{objective.owner?.name ?? 'No owner'}</dd>
        <dt>Period</dt>
        <dd>{objective.period.name}</dd>
        <dt>Status</dt>
        <dd>
          {STATUS_TEXT[objective.status]}
          {objective.status === 'active' && objective.health ? ` · ${HEALTH_TEXT[objective.health]}` : ''}
        </dd>
      </dl>
      {progress && (
        <div
          className="progress"
          role="progressbar"
          aria-label="Progress"
          aria-valuenow={Math.round((objective.progress ?? 0) * 100)}
          aria-valuemin={0}
          aria-valuemax={100}
        >
          <div className="progress-bar" style={{ width: progress }} />
          <span className="progress-text">{progress}</span>
        </div>
      )}
    </div>
  );
}

/** Who linked it and when, and for an inherited goal the container it comes through. */
export function Provenance({ link }: { link: ContextLink }) {
  if (link.id.startsWith(PENDING_PREFIX)) return null;
  const who = link.createdBy ? ` by ${link.createdBy.name}` : '';
  const when = `linked${who} on ${dayText(link.createdAt)}`;
  return (
    <p className="provenance">
      {link.inheritedFrom ? (
        <>
          Through{' '}
          {link.inheritedFrom.url ? (
            <a href={link.inheritedFrom.url} target="_top">
              {throughText(link.inheritedFrom)}
            </a>
          ) : (
            throughText(link.inheritedFrom)
          )}
          , {when}
        </>
      ) : (
        `${when.charAt(0).toUpperCase()}${when.slice(1)}`
      )}
    </p>
  );
}

/** What a linked goal offers: its own link can be ended; an inherited one refused for this ticket. */
export function LinkAction({
  link,
  queued,
  onUnlink,
  onRefuse,
}: {
  link: ContextLink;
  /** Saved on this device, waiting for the goals API. */
  queued: boolean;
  onUnlink: (link: ContextLink) => void;
  onRefuse: (link: ContextLink) => void;
}) {
  if (link.id.startsWith(PENDING_PREFIX)) {
    return <span className="linked-pending">{queued ? 'Waiting to be sent (saved on this device)' : 'Linking…'}</span>;
  }
  if (link.inheritedFrom) {
    return (
      <button
        type="button"
        className="link-button"
        onClick={() => onRefuse(link)}
        aria-label={`Not for “${link.objective.title}”: this ticket does not serve it`}
      >
        Not for this goal
      </button>
    );
  }
  return <UnlinkButton link={link} onUnlink={onUnlink} />;
}
