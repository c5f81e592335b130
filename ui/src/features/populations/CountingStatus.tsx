import { Button } from '../../shared/ui/Button';

type Props = {
  /** What is being counted, for the Cancel button's name ("Cancel counting audiences"). */
  what: string;
  running: boolean;
  stopped: boolean;
  onCancel: () => void;
  onRetry: () => void;
};

/** A count over the whole file in flight (with Cancel), or the note that it was stopped (with Count again). */
export function CountingStatus({ what, running, stopped, onCancel, onRetry }: Props) {
  if (running) {
    return (
      <div className="counting" role="status">
        <progress aria-label={`Counting ${what}`} />
        <span>Counting users in the file…</span>
        <Button size="sm" onClick={onCancel} aria-label={`Cancel counting ${what}`}>
          Cancel
        </Button>
      </div>
    );
  }
  if (stopped) {
    return (
      <div className="counting" role="status">
        <span>Counting stopped.</span>
        <Button size="sm" onClick={onRetry} aria-label={`Count ${what} again`}>
          Count again
        </Button>
      </div>
    );
  }
  return null;
}
