import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useBackend } from '../../lib/backend/backend';
import { toIpcError } from '../../lib/backend/errors';
import { prettyJson } from '../../lib/segments';
import { absoluteTime, relativeTime } from '../../lib/time';
import { queryKeys } from '../../lib/query-keys';
import { Button } from '../../shared/ui/Button';
import { useConfirm } from '../../shared/ui/confirm';
import { ErrorBanner } from '../../shared/ui/ErrorBanner';
import { JsonEditor } from '../../shared/ui/JsonEditor';
import { useToast } from '../../shared/ui/toast';
import { parseContext } from './useExplain';
import './personas.css';

const TEMPLATE = '{\n  "plan": "pro",\n  "address": {\n    "country": "DE"\n  }\n}';

/** Manage saved what-if contexts ("personas"). */
export function PersonasPage({ onUse }: { onUse: (contextText: string) => void }) {
  const backend = useBackend();
  const qc = useQueryClient();
  const toast = useToast();
  const confirm = useConfirm();
  const personas = useQuery({ queryKey: queryKeys.personas(), queryFn: () => backend.listPersonas() });
  const [name, setName] = useState('');
  const [text, setText] = useState(TEMPLATE);
  const parsed = parseContext(text);

  const create = useMutation({
    mutationFn: () => backend.savePersona(name.trim(), parsed.ok ? parsed.value : {}),
    onSuccess: (p) => {
      void qc.invalidateQueries({ queryKey: queryKeys.personas() });
      toast.show({ message: `Saved persona “${p.name}”`, tone: 'success' });
      setName('');
    },
  });
  const remove = useMutation({
    mutationFn: (id: number) => backend.deletePersona(id),
    onSuccess: () => void qc.invalidateQueries({ queryKey: queryKeys.personas() }),
  });

  return (
    <section className="personas-page" aria-label="Personas">
      <div className="personas-list">
        <h2 className="pane-title">Personas</h2>
        <p className="hint">Saved contexts you can test any segment against in the What-if panel.</p>
        <ErrorBanner error={personas.error ? toIpcError(personas.error) : null} action="Couldn't load personas" />
        <ErrorBanner error={remove.error ? toIpcError(remove.error) : null} action="Couldn't delete persona" onDismiss={() => remove.reset()} />
        {personas.data?.length === 0 && <p className="muted">No personas yet.</p>}
        <ul className="persona-cards">
          {personas.data?.map((p) => (
            <li key={p.id} className="persona-card" aria-label={`Persona ${p.name}`}>
              <div className="persona-card-head">
                <strong>{p.name}</strong>
                <span className="muted" title={absoluteTime(p.updated_at)}>
                  {relativeTime(p.updated_at)}
                </span>
              </div>
              <pre className="persona-context">{prettyJson(p.context)}</pre>
              <div className="persona-card-actions">
                <Button size="sm" variant="primary" onClick={() => onUse(prettyJson(p.context))} aria-label={`Use persona ${p.name}`}>
                  Use
                </Button>
                <Button
                  size="sm"
                  variant="danger"
                  aria-label={`Delete persona ${p.name}`}
                  onClick={async () => {
                    const ok = await confirm({
                      title: `Delete persona “${p.name}”?`,
                      message: 'This cannot be undone.',
                      confirmLabel: 'Delete persona',
                      danger: true,
                    });
                    if (ok) remove.mutate(p.id);
                  }}
                >
                  Delete
                </Button>
              </div>
            </li>
          ))}
        </ul>
      </div>
      <form
        className="persona-form"
        aria-label="New persona"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim() && parsed.ok) create.mutate();
        }}
      >
        <h2 className="pane-title">New persona</h2>
        <div className="field">
          <label htmlFor="new-persona-name">Name</label>
          <input id="new-persona-name" aria-label="New persona name" value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. German pro user" />
        </div>
        <span className="block-label">Context</span>
        <JsonEditor value={text} onChange={setText} ariaLabel="New persona context JSON" minHeight="220px" invalid={!parsed.ok} />
        {!parsed.ok && <p className="field-issue">{parsed.message}</p>}
        <ErrorBanner error={create.error ? toIpcError(create.error) : null} action="Couldn't save persona" onDismiss={() => create.reset()} />
        <Button type="submit" variant="primary" disabled={!name.trim() || !parsed.ok || create.isPending} aria-label="Create persona">
          Create persona
        </Button>
      </form>
    </section>
  );
}
