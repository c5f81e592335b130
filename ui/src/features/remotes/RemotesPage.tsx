import { useState } from 'react';
import { toIpcError } from '../../lib/backend/errors';
import { ErrorBanner } from '../../shared/ui/ErrorBanner';
import { useRemotes } from '../sync/queries';
import { SyncPanel } from '../sync/SyncPanel';
import { AddRemoteForm } from './AddRemoteForm';
import { RemoteCard } from './RemoteCard';
import './remotes.css';

type Props = {
  /** Hidden rather than unmounted, so a running sync keeps its progress and report while another page is shown. */
  hidden: boolean;
  /** Local segments a pull, a push or a resolution changed (the open one may need reloading). */
  onLocalChanges: (keys: string[]) => void;
};

/** The remotes (list and add form) beside the sync panel of the selected one. */
export function RemotesPage({ hidden, onLocalChanges }: Props) {
  const remotes = useRemotes();
  const [chosen, setChosen] = useState<string | null>(null);
  const list = remotes.data ?? [];
  // The chosen remote, or the first one while none is chosen (or the chosen one was removed).
  const current = list.find((r) => r.name === chosen)?.name ?? list[0]?.name ?? null;

  return (
    <section className="remotes-page" aria-label="Remotes page" hidden={hidden}>
      <div className="remotes-column">
        <h2 className="pane-title">Remotes</h2>
        <p className="hint">Hosted segments APIs this database syncs with. Pull brings their changes here; push sends yours.</p>
        <ErrorBanner error={remotes.error ? toIpcError(remotes.error) : null} action="Couldn't load the remotes" showMessage />
        {remotes.data?.length === 0 && <p className="muted">No remotes yet. Add one below.</p>}
        {list.length > 0 && (
          <ul className="remote-cards" aria-label="Configured remotes">
            {list.map((r) => (
              <RemoteCard key={r.name} remote={r} selected={r.name === current} onSelect={() => setChosen(r.name)} />
            ))}
          </ul>
        )}
        <AddRemoteForm onAdded={(r) => setChosen(r.name)} />
      </div>
      <SyncPanel remotes={list} remote={current} onSelect={setChosen} onLocalChanges={onLocalChanges} />
    </section>
  );
}
