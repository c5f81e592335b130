import type { IpcError } from '../../lib/backend/bindings';
import { pathInWords } from '../../lib/segments';
import { Button } from './Button';
import { friendlyError } from './friendly-errors';

type Props = {
  error: IpcError | null | undefined;
  /** What the user was doing, e.g. "Couldn't save". Prepended to the friendly title. */
  action?: string;
  onDismiss?: () => void;
  /** Show the backend's validation details as a list (default true). */
  showDetails?: boolean;
  /**
   * Show the backend's message as it is instead of the generic hint. Sync and remote
   * messages are written for people and say what to do (which token, which URL), so
   * they are shown word for word, under the action alone.
   */
  showMessage?: boolean;
};

export function ErrorBanner({ error, action, onDismiss, showDetails = true, showMessage = false }: Props) {
  if (!error) return null;
  const friendly = friendlyError(error);
  const title = showMessage && action ? action : action ? `${action}: ${friendly.title.toLowerCase()}` : friendly.title;
  return (
    <div className="error-banner" role="alert">
      <div className="error-banner-body">
        <strong>{title}</strong>
        <p className={showMessage ? 'error-message' : undefined}>{showMessage ? error.message : friendly.hint}</p>
        {showDetails && error.details.length > 0 && (
          <ul className="error-details">
            {error.details.map((d, i) => (
              <li key={`${d.path}-${i}`}>
                {d.segment && <strong>{d.segment}</strong>}
                {d.segment && ' '}
                {d.path && (
                  <span className="issue-location" title={d.path}>
                    {pathInWords(d.path)}:
                  </span>
                )}
                {d.path && ' '}
                {d.message}
              </li>
            ))}
          </ul>
        )}
        <small className="error-code" title={error.message}>
          Code: {error.code}
        </small>
      </div>
      {onDismiss && (
        <Button variant="ghost" size="sm" aria-label="Dismiss error" onClick={onDismiss}>
          ✕
        </Button>
      )}
    </div>
  );
}
