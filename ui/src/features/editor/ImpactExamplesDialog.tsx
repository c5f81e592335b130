import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useBackend } from '../../lib/backend/backend';
import type { JsonValue, OperatorInfo } from '../../lib/backend/bindings';
import { toIpcError } from '../../lib/backend/errors';
import { queryKeys } from '../../lib/query-keys';
import { formatJsonValue } from '../../lib/segments';
import { Button } from '../../shared/ui/Button';
import { Dialog } from '../../shared/ui/Dialog';
import { ErrorBanner } from '../../shared/ui/ErrorBanner';
import { formatCount } from '../populations/format';
import { TraceTree } from '../what-if/TraceTree';

type Props = {
  kind: 'gained' | 'lost';
  /** How many users in all (the examples are the first few). */
  total: number;
  users: JsonValue[];
  /** The draft (canonical JSON) whose trace explains each user. */
  draftJson: string;
  operators: OperatorInfo[];
  onClose: () => void;
};

const NAME_ATTRIBUTES = ['key', 'id', 'user_id', 'email', 'name'];

/** A user's name in the list: their key, id or email when they have one. */
function userLabel(user: JsonValue, index: number): string {
  if (typeof user === 'object' && user !== null && !Array.isArray(user)) {
    for (const attribute of NAME_ATTRIBUTES) {
      const value = user[attribute];
      if (typeof value === 'string' || typeof value === 'number') return String(value);
    }
  }
  return `User ${index + 1}`;
}

function userFacts(user: JsonValue): string {
  if (typeof user !== 'object' || user === null || Array.isArray(user)) return formatJsonValue(user);
  return Object.entries(user)
    .slice(0, 6)
    .map(([k, v]) => `${k}: ${formatJsonValue(v)}`)
    .join(' · ');
}

/** Example users the draft gains or loses, each expandable to the per-condition trace of the draft for them. */
export function ImpactExamplesDialog({ kind, total, users, draftJson, operators, onClose }: Props) {
  const title =
    kind === 'gained' ? `Users this change adds (${formatCount(total)})` : `Users this change drops (${formatCount(total)})`;
  return (
    <Dialog
      title={title}
      description={
        kind === 'gained'
          ? 'They are not in the saved version and are in your edited one. Open a user to see why.'
          : 'They are in the saved version and not in your edited one. Open a user to see why.'
      }
      onClose={onClose}
      className="dialog-wide impact-dialog"
      actions={
        <Button onClick={onClose} aria-label="Close example users">
          Close
        </Button>
      }
    >
      {users.length < total && (
        <p className="muted">
          Showing the first {formatCount(users.length)} of {formatCount(total)}.
        </p>
      )}
      <ul className="impact-users" aria-label={kind === 'gained' ? 'Users gained' : 'Users lost'}>
        {users.map((user, i) => (
          <ExampleUser key={JSON.stringify(user)} user={user} label={userLabel(user, i)} draftJson={draftJson} operators={operators} />
        ))}
      </ul>
    </Dialog>
  );
}

function ExampleUser({
  user,
  label,
  draftJson,
  operators,
}: {
  user: JsonValue;
  label: string;
  draftJson: string;
  operators: OperatorInfo[];
}) {
  const backend = useBackend();
  const [open, setOpen] = useState(false);
  const contextJson = JSON.stringify(user);
  const explanation = useQuery({
    queryKey: queryKeys.explanation(draftJson, contextJson),
    queryFn: () => backend.explainDraft(JSON.parse(draftJson) as JsonValue, user),
    enabled: open,
  });
  return (
    <li className="impact-user">
      <button type="button" className="impact-user-toggle" aria-expanded={open} aria-label={`Why: ${label}`} onClick={() => setOpen(!open)}>
        <span aria-hidden="true">{open ? '▾' : '▸'}</span> <strong>{label}</strong>{' '}
        <span className="muted impact-user-facts">{userFacts(user)}</span>
      </button>
      {open && (
        <div className="impact-user-trace">
          {explanation.data && <TraceTree trace={explanation.data.trace} operators={operators} />}
          {explanation.isLoading && <span className="muted">Explaining…</span>}
          <ErrorBanner error={explanation.error ? toIpcError(explanation.error) : null} action="Couldn't explain" showMessage />
        </div>
      )}
    </li>
  );
}
