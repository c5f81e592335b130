import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useBackend } from '../../lib/backend/backend';
import type { Dialect, NewRemote, RemoteInfo } from '../../lib/backend/bindings';
import { toIpcError } from '../../lib/backend/errors';
import { queryKeys } from '../../lib/query-keys';
import { Button } from '../../shared/ui/Button';
import { ErrorBanner } from '../../shared/ui/ErrorBanner';
import { useToast } from '../../shared/ui/toast';
import { DIALECTS, DIALECT_HINTS, DIALECT_LABELS, needsProjectId } from './dialects';
import { CredentialNote } from './CredentialNote';

/**
 * Adds a remote. The token is sent once and cleared from the form once added (it stays
 * typed in after a refusal, for a fix and retry); it never comes back from the backend,
 * which only says where it is kept. The checks (name, URL, project) are the backend's,
 * whose message is shown as it is under the form: `noValidate` keeps the browser's own
 * URL check from getting in the way. The token is read from the form when the mutation
 * runs instead of being passed to `mutate`: TanStack Query keeps a mutation's variables in
 * its cache (and devtools), where a token must never be.
 */
export function AddRemoteForm({ onAdded }: { onAdded: (remote: RemoteInfo) => void }) {
  const backend = useBackend();
  const qc = useQueryClient();
  const toast = useToast();
  const id = useId();
  const [name, setName] = useState('');
  const [dialect, setDialect] = useState<Dialect>('projects');
  const segmentCount = useQuery({ queryKey: queryKeys.segments(), queryFn: () => backend.listSegments() }).data?.length;
  const [baseUrl, setBaseUrl] = useState('');
  const [projectId, setProjectId] = useState('');
  const [token, setToken] = useState('');
  const withProject = needsProjectId(dialect);

  const add = useMutation({
    mutationFn: (settings: Omit<NewRemote, 'token'>) => backend.addRemote({ ...settings, token }),
    onSuccess: (info) => {
      void qc.invalidateQueries({ queryKey: queryKeys.remotes() });
      void qc.invalidateQueries({ queryKey: queryKeys.allSync() });
      setName('');
      setBaseUrl('');
      setProjectId('');
      setToken('');
      toast.show({ message: `Added remote “${info.name}”`, tone: 'success' });
      onAdded(info);
    },
  });
  const added = add.data;
  const error = add.error ? toIpcError(add.error) : null;
  const errorId = `${id}-error`;

  return (
    <form
      className="remote-form"
      aria-label="New remote"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate({ name: name.trim(), dialect, baseUrl: baseUrl.trim(), projectId: withProject ? projectId.trim() : null });
      }}
    >
      <h3 className="section-title">Add a remote</h3>
      <div className="field">
        <label htmlFor={`${id}-name`}>Remote name</label>
        <input id={`${id}-name`} aria-label="Remote name" value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. production" autoComplete="off" aria-required="true" aria-describedby={error ? errorId : undefined} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-dialect`}>Dialect: the vendor's API format</label>
        <select id={`${id}-dialect`} aria-label="Dialect" value={dialect} onChange={(e) => setDialect(e.target.value as Dialect)} aria-describedby={`${id}-dialect-hint`}>
          {DIALECTS.map((d) => (
            <option key={d} value={d}>
              {DIALECT_LABELS[d]}
            </option>
          ))}
        </select>
        <span id={`${id}-dialect-hint`} className="hint">
          {DIALECT_HINTS[dialect]}
        </span>
      </div>
      <div className="field">
        <label htmlFor={`${id}-url`}>Base URL</label>
        <input id={`${id}-url`} aria-label="Base URL" type="url" value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} placeholder="https://api.example.com" autoComplete="off" spellCheck={false} aria-required="true" />
      </div>
      {withProject && (
        <div className="field">
          <label htmlFor={`${id}-project`}>Project ID</label>
          <input id={`${id}-project`} aria-label="Project ID" value={projectId} onChange={(e) => setProjectId(e.target.value)} autoComplete="off" spellCheck={false} aria-required="true" />
        </div>
      )}
      <div className="field">
        <label htmlFor={`${id}-token`}>Token</label>
        <input
          id={`${id}-token`}
          aria-label="Token"
          type="password"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          autoComplete="new-password"
          spellCheck={false}
          aria-required="true"
          aria-describedby={`${id}-token-hint`}
        />
        <span id={`${id}-token-hint`} className="hint">
          Stored in the OS keyring (or a file only you can read); it is never shown again.
        </span>
      </div>
      <p className="hint" id={`${id}-queue-note`}>
        {segmentCount === undefined
          ? 'Adding it queues every segment here for this remote.'
          : `Adding it queues all ${segmentCount} ${segmentCount === 1 ? 'segment' : 'segments'} here for this remote.`}{' '}
        Nothing is sent until you push, and the first push asks before it sends.
      </p>
      <div id={errorId}>
        <ErrorBanner error={error} action="Couldn't add the remote" showMessage onDismiss={() => add.reset()} />
      </div>
      {added && (
        <p className="remote-added" role="status" aria-label="Added remote">
          Added “{added.name}”. <CredentialNote remote={added} />
        </p>
      )}
      <Button type="submit" variant="primary" disabled={add.isPending} aria-label="Add remote">
        {add.isPending ? 'Adding…' : 'Add remote'}
      </Button>
    </form>
  );
}
