import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useBackend } from '../../lib/backend/backend';
import type { RemoteInfo } from '../../lib/backend/bindings';
import { toIpcError } from '../../lib/backend/errors';
import { queryKeys } from '../../lib/query-keys';
import { Button } from '../../shared/ui/Button';
import { useConfirm } from '../../shared/ui/confirm';
import { ErrorBanner } from '../../shared/ui/ErrorBanner';
import { useToast } from '../../shared/ui/toast';
import { CredentialNote } from './CredentialNote';
import { DIALECT_LABELS } from './dialects';

type Props = {
  remote: RemoteInfo;
  /** Whether the sync panel shows this remote. */
  selected: boolean;
  onSelect: () => void;
};

/** One remote: what it is, where its token is kept, and its actions (a new token is typed in place, sent once, never shown). */
export function RemoteCard({ remote, selected, onSelect }: Props) {
  const backend = useBackend();
  const qc = useQueryClient();
  const toast = useToast();
  const confirm = useConfirm();
  const [replacing, setReplacing] = useState(false);
  const [token, setToken] = useState('');
  const test = useMutation({ mutationFn: () => backend.testRemote(remote.name) });
  const replace = useMutation({
    // The token is read from the field, never passed as the mutation's variables: those stay in the query cache.
    mutationFn: () => backend.replaceToken(remote.name, token),
    onSuccess: (info) => {
      void qc.invalidateQueries({ queryKey: queryKeys.remotes() });
      setReplacing(false);
      setToken('');
      test.reset(); // a "refused the token" from before is stale now
      toast.show({ message: `Replaced the token of “${info.name}”. It is kept ${info.credentialNote}.`, tone: 'success' });
    },
  });
  const closeReplace = () => {
    setReplacing(false);
    setToken('');
    replace.reset();
  };
  const remove = useMutation({
    mutationFn: () => backend.removeRemote(remote.name),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: queryKeys.remotes() });
      void qc.invalidateQueries({ queryKey: queryKeys.allSync() });
      toast.show({ message: `Removed remote “${remote.name}”. Local segments are unchanged.`, tone: 'success' });
    },
  });

  return (
    <li className={`remote-card${selected ? ' is-selected' : ''}`} aria-label={`Remote ${remote.name}`}>
      <div className="remote-card-head">
        <strong>{remote.name}</strong>
        <span className="dialect-tag">{DIALECT_LABELS[remote.dialect]}</span>
      </div>
      <dl className="remote-facts">
        <dt>URL</dt>
        <dd className="mono">{remote.baseUrl}</dd>
        {remote.projectId !== null && (
          <>
            <dt>Project</dt>
            <dd className="mono">{remote.projectId}</dd>
          </>
        )}
        <dt>Token</dt>
        <dd>
          <CredentialNote remote={remote} />
        </dd>
      </dl>
      <div className="remote-card-actions">
        <Button size="sm" onClick={() => test.mutate()} disabled={test.isPending} aria-label="Test connection">
          {test.isPending ? 'Testing…' : 'Test connection'}
        </Button>
        <Button size="sm" aria-expanded={replacing} aria-label="Replace token" onClick={() => (replacing ? closeReplace() : setReplacing(true))}>
          Replace token
        </Button>
        <Button size="sm" variant={selected ? 'primary' : 'secondary'} aria-pressed={selected} aria-label={`Sync with ${remote.name}`} onClick={onSelect}>
          Sync…
        </Button>
        <Button
          size="sm"
          variant="danger"
          disabled={remove.isPending}
          aria-label="Remove remote"
          onClick={async () => {
            const ok = await confirm({
              title: `Remove remote “${remote.name}”?`,
              message: 'Its sync records and its stored token are deleted. Local segments stay as they are, and nothing changes on the remote.',
              confirmLabel: 'Yes, remove',
              danger: true,
            });
            if (ok) remove.mutate();
          }}
        >
          Remove remote
        </Button>
      </div>
      {replacing && (
        <form
          className="inline-form replace-token"
          onSubmit={(e) => {
            e.preventDefault();
            replace.mutate();
          }}
        >
          <input
            aria-label={`New token for ${remote.name}`}
            type="password"
            placeholder="New token"
            value={token}
            autoFocus
            autoComplete="new-password"
            spellCheck={false}
            onChange={(e) => setToken(e.target.value)}
          />
          <Button type="submit" size="sm" variant="primary" disabled={replace.isPending} aria-label="Save token">
            {replace.isPending ? 'Saving…' : 'Save token'}
          </Button>
          <Button size="sm" variant="ghost" onClick={closeReplace} aria-label="Cancel replacing token">
            Cancel
          </Button>
        </form>
      )}
      {test.isSuccess && (
        <p className="connection-ok" role="status" aria-label={`Connection to ${remote.name}`}>
          Connected: {test.data} {test.data === 1 ? 'segment' : 'segments'} on the remote
        </p>
      )}
      <ErrorBanner error={test.error ? toIpcError(test.error) : null} action="Connection failed" showMessage onDismiss={() => test.reset()} />
      <ErrorBanner error={replace.error ? toIpcError(replace.error) : null} action="Couldn't replace the token" showMessage onDismiss={() => replace.reset()} />
      <ErrorBanner error={remove.error ? toIpcError(remove.error) : null} action="Couldn't remove the remote" showMessage onDismiss={() => remove.reset()} />
    </li>
  );
}
