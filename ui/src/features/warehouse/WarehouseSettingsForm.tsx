import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useBackend } from '../../lib/backend/backend';
import type { WarehouseSettings } from '../../lib/backend/bindings';
import { toIpcError } from '../../lib/backend/errors';
import { queryKeys } from '../../lib/query-keys';
import { Button } from '../../shared/ui/Button';
import { ErrorBanner } from '../../shared/ui/ErrorBanner';

type Props = {
  /** What is saved now; null before the first save. */
  saved: WarehouseSettings | null;
  onSaved: () => void;
};

/**
 * The warehouse's connection, like a remote's: its URL (without a password), the table of
 * users, and the password, sent once to the OS keyring and never shown again ("Password
 * saved" instead). An empty password field keeps the saved one. The password is read from
 * the field when the mutation runs, never passed as its variables: TanStack Query keeps
 * those in its cache.
 */
export function WarehouseSettingsForm({ saved, onSaved }: Props) {
  const backend = useBackend();
  const qc = useQueryClient();
  const id = useId();
  const [url, setUrl] = useState(saved?.url ?? '');
  const [table, setTable] = useState(saved?.table ?? 'users');
  const [password, setPassword] = useState('');
  const save = useMutation({
    mutationFn: (settings: { url: string; table: string }) =>
      backend.saveWarehouseSettings({ ...settings, password: password === '' ? null : password }),
    onSuccess: (next) => {
      qc.setQueryData(queryKeys.warehouseSettings(), next);
      setUrl(next.url);
      setTable(next.table);
      setPassword('');
      onSaved();
    },
  });
  const error = save.error ? toIpcError(save.error) : null;
  const passwordSaved = saved !== null && saved.password !== null;

  return (
    <form
      className="warehouse-form"
      aria-label="Warehouse connection"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ url: url.trim(), table: table.trim() });
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-url`}>PostgreSQL URL</label>
        <input
          id={`${id}-url`}
          aria-label="Warehouse URL"
          className="mono"
          value={url}
          placeholder="postgres://analyst@warehouse.example.com:5432/analytics"
          autoComplete="off"
          spellCheck={false}
          aria-describedby={`${id}-url-hint`}
          onChange={(e) => setUrl(e.target.value)}
        />
        <span id={`${id}-url-hint`} className="hint">
          postgres://user@host:port/database, without the password.
        </span>
      </div>
      <div className="field">
        <label htmlFor={`${id}-table`}>Table of users</label>
        <input
          id={`${id}-table`}
          aria-label="Warehouse table"
          className="mono"
          value={table}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => setTable(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-password`}>Password</label>
        <input
          id={`${id}-password`}
          aria-label="Warehouse password"
          type="password"
          value={password}
          placeholder={passwordSaved ? 'Password saved' : ''}
          autoComplete="new-password"
          spellCheck={false}
          aria-describedby={`${id}-password-hint`}
          onChange={(e) => setPassword(e.target.value)}
        />
        <span id={`${id}-password-hint`} className="hint">
          {passwordSaved
            ? `Password saved ${saved?.password_note ?? ''}. Leave this empty to keep it.`
            : 'Kept in the OS keyring (or a file only you can read); it is never shown again.'}
        </span>
      </div>
      <ErrorBanner error={error} action="Couldn't save the warehouse connection" showMessage onDismiss={() => save.reset()} />
      <Button type="submit" variant="primary" disabled={save.isPending} aria-label="Save warehouse connection">
        {save.isPending ? 'Saving…' : 'Save connection'}
      </Button>
    </form>
  );
}
