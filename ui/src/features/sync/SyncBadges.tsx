import { BADGE_LABELS } from './labels';
import type { RemoteBadge } from './useSyncBadges';

/**
 * A segment's state against each remote. Each badge is an image named "<remote>: <state>";
 * `id` lets the list option refer to the badges as its description.
 */
export function SyncBadges({ id, badges }: { id: string; badges: readonly RemoteBadge[] | undefined }) {
  if (!badges || badges.length === 0) return null;
  return (
    <span id={id} className="sync-badges">
      {badges.map(({ remote, state }) => {
        const label = `${remote}: ${BADGE_LABELS[state]}`;
        return (
          <span key={remote} role="img" aria-label={label} title={label} className={`sync-badge is-${state.replace(/_/g, '-')}`}>
            {BADGE_LABELS[state]}
          </span>
        );
      })}
    </span>
  );
}
