import { Button } from '../../shared/ui/Button';
import { Dialog } from '../../shared/ui/Dialog';

type Props = {
  label: string;
  /** The keys of the segments that use it. */
  referrers: string[];
  onOpen: (key: string) => void;
  onClose: () => void;
};

/**
 * Why a segment cannot be deleted yet: the segments that use it, each a link to open it. No
 * delete is offered: deleting it would leave them pointing at nothing (the store refuses
 * that too).
 */
export function InUseDialog({ label, referrers, onOpen, onClose }: Props) {
  return (
    <Dialog
      title={`“${label}” is in use`}
      description={`${referrers.length === 1 ? 'This segment uses it' : `These ${referrers.length} segments use it`}. Change them so they no longer do, then delete it.`}
      onClose={onClose}
      actions={
        <Button data-autofocus onClick={onClose} aria-label="Close">
          Close
        </Button>
      }
    >
      <ul className="in-use-list" aria-label="Segments that use it">
        {referrers.map((key) => (
          <li key={key}>
            <button type="button" className="link" onClick={() => onOpen(key)} aria-label={`Open ${key}`}>
              {key}
            </button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
