import type { IpcError } from '../../lib/backend/bindings';
import { Button } from '../../shared/ui/Button';
import { friendlyError } from '../../shared/ui/friendly-errors';

/**
 * A failed warehouse count: what happened and what to do, chosen by the error's code (see
 * friendly-errors.ts), then the warehouse's own words (which host, which table, what the
 * server said) and the code.
 */
export function WarehouseError({ error, onDismiss }: { error: IpcError | null; onDismiss: () => void }) {
  if (!error) return null;
  const friendly = friendlyError(error);
  return (
    <div className="error-banner" role="alert" aria-label="Warehouse count failed">
      <div className="error-banner-body">
        <strong>{friendly.title}</strong>
        <p>{friendly.hint}</p>
        <p className="error-message">{error.message}</p>
        <small className="error-code">Code: {error.code}</small>
      </div>
      <Button variant="ghost" size="sm" aria-label="Dismiss error" onClick={onDismiss}>
        ✕
      </Button>
    </div>
  );
}
