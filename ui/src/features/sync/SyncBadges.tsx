import { BADGE_LABELS } from './labels';
import type { RemoteBadge } from './useSyncBadges';

/**
 * A segment's state against each remote: each badge shows the state ("In sync") and is an
 * image named "<remote>: <state>". The same words are repeated, visually hidden, under
 * `id`, for the list option to use as its description (its name is its own aria-label, so
 * its content would not be read; and description text is taken from content, not from the
 * badges' names, by some implementations).
 */
export function SyncBadges({ id, badges }: { id: string; badges: readonly RemoteBadge[] | undefined }) {
  if (!badges || badges.length === 0) return null;
  const label = (b: RemoteBadge) => `${b.remote}: ${BADGE_LABELS[b.state]}`;
  return (
    <span className="sync-badges">
      {badges.map((b) => (
        <span key={b.remote} role="img" aria-label={label(b)} title={label(b)} className={`sync-badge is-${b.state.replace(/_/g, '-')}`}>
          {BADGE_LABELS[b.state]}
        </span>
      ))}
      <span id={id} className="sr-only">
        {badges.map(label).join('; ')}
      </span>
    </span>
  );
}
