import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useBackend } from '../../lib/backend/backend';
import type { JsonValue, Persona } from '../../lib/backend/bindings';
import { toIpcError } from '../../lib/backend/errors';
import { jsonEqual, prettyJson } from '../../lib/segments';
import { queryKeys } from '../../lib/query-keys';
import { Button } from '../../shared/ui/Button';
import { useConfirm } from '../../shared/ui/confirm';
import { ErrorBanner } from '../../shared/ui/ErrorBanner';
import { useToast } from '../../shared/ui/toast';
import { parseContext } from './useExplain';

type Props = {
  contextText: string;
  onContextText: (text: string) => void;
};

function personaMatching(personas: Persona[] | undefined, contextText: string): Persona | undefined {
  const parsed = parseContext(contextText);
  if (!parsed.ok || !personas) return undefined;
  return personas.find((p) => jsonEqual(p.context, parsed.value));
}

/** The saved personas: pick one, save the context as a new one, update, rename or delete the one picked. */
export function PersonaBar({ contextText, onContextText }: Props) {
  const backend = useBackend();
  const qc = useQueryClient();
  const toast = useToast();
  const confirm = useConfirm();
  const personas = useQuery({ queryKey: queryKeys.personas(), queryFn: () => backend.listPersonas() });
  const [naming, setNaming] = useState(false);
  const [personaName, setPersonaName] = useState('');
  const [renaming, setRenaming] = useState<string | null>(null);
  // The persona last picked: it stays selected while its context is edited, so it can be updated.
  const [pickedId, setPickedId] = useState<number | null>(null);

  const contextParse = parseContext(contextText);
  const picked = personas.data?.find((p) => p.id === pickedId);
  const current = picked ?? personaMatching(personas.data, contextText);
  const edited = current !== undefined && !(contextParse.ok && jsonEqual(current.context, contextParse.value));

  const save = useMutation({
    mutationFn: (name: string) => backend.savePersona(name, contextParse.ok ? contextParse.value : {}),
    onSuccess: (p) => {
      void qc.invalidateQueries({ queryKey: queryKeys.personas() });
      setPickedId(p.id);
      setNaming(false);
      setPersonaName('');
      toast.show({ message: `Saved persona “${p.name}”`, tone: 'success' });
    },
  });

  const update = useMutation({
    mutationFn: ({ id, name, context }: { id: number; name: string; context: JsonValue }) => backend.updatePersona(id, name, context),
    onSuccess: (p, { id }) => {
      void qc.invalidateQueries({ queryKey: queryKeys.personas() });
      setPickedId(id);
      setRenaming(null);
      toast.show({ message: `Saved persona “${p.name}”`, tone: 'success' });
    },
  });

  const remove = useMutation({
    mutationFn: (id: number) => backend.deletePersona(id),
    onSuccess: () => {
      setPickedId(null);
      void qc.invalidateQueries({ queryKey: queryKeys.personas() });
    },
  });

  const onPickPersona = (id: string) => {
    const p = personas.data?.find((x) => String(x.id) === id);
    setPickedId(p?.id ?? null);
    setRenaming(null);
    if (p) onContextText(prettyJson(p.context));
  };

  return (
    <>
      <div className="persona-bar">
        <label htmlFor="persona-select">Persona</label>
        <select
          id="persona-select"
          aria-label="Persona"
          value={current ? String(current.id) : ''}
          onChange={(e) => onPickPersona(e.target.value)}
        >
          <option value="">{personas.isLoading ? 'Loading…' : 'Custom context'}</option>
          {personas.data?.map((p) => (
            <option key={p.id} value={String(p.id)}>
              {p.name}
            </option>
          ))}
        </select>
        {current && (
          <Button
            size="sm"
            variant="ghost"
            aria-label="Delete persona"
            title={`Delete persona “${current.name}”`}
            onClick={async () => {
              const ok = await confirm({
                title: `Delete persona “${current.name}”?`,
                message: 'The context stays in the editor; only the saved persona is removed.',
                confirmLabel: 'Delete persona',
                danger: true,
              });
              if (ok) remove.mutate(current.id);
            }}
          >
            Delete
          </Button>
        )}
        {current && renaming === null && (
          <Button size="sm" variant="ghost" aria-label="Rename persona" title={`Rename persona “${current.name}”`} onClick={() => setRenaming(current.name)}>
            Rename
          </Button>
        )}
      </div>
      {current && renaming !== null && (
        <form
          className="inline-form persona-edited"
          onSubmit={(e) => {
            e.preventDefault();
            if (renaming.trim()) update.mutate({ id: current.id, name: renaming.trim(), context: current.context });
          }}
        >
          <input aria-label="New persona name" value={renaming} autoFocus onChange={(e) => setRenaming(e.target.value)} />
          <Button type="submit" size="sm" variant="primary" disabled={!renaming.trim() || update.isPending} aria-label="Save persona name">
            Rename
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setRenaming(null)} aria-label="Cancel renaming persona">
            Cancel
          </Button>
        </form>
      )}
      {current && edited && contextParse.ok && (
        <div className="persona-edited" role="status" aria-label="Persona edited">
          <span>The context differs from the saved “{current.name}”.</span>
          <Button
            size="sm"
            onClick={() => update.mutate({ id: current.id, name: current.name, context: contextParse.value })}
            disabled={update.isPending}
            aria-label="Update persona"
          >
            Update “{current.name}”
          </Button>
          <Button size="sm" variant="ghost" onClick={() => onContextText(prettyJson(current.context))} aria-label="Revert to the saved persona">
            Revert
          </Button>
        </div>
      )}
      <ErrorBanner error={update.error ? toIpcError(update.error) : null} action="Couldn't save persona" onDismiss={() => update.reset()} showMessage />
      <ErrorBanner error={personas.error ? toIpcError(personas.error) : null} action="Couldn't load personas" />

      <div className="persona-save">
        {naming ? (
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (personaName.trim()) save.mutate(personaName.trim());
            }}
          >
            <input
              aria-label="Persona name"
              placeholder="Persona name"
              value={personaName}
              autoFocus
              onChange={(e) => setPersonaName(e.target.value)}
            />
            <Button type="submit" size="sm" variant="primary" disabled={!personaName.trim() || save.isPending} aria-label="Save persona">
              Save
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setNaming(false)} aria-label="Cancel saving persona">
              Cancel
            </Button>
          </form>
        ) : (
          <Button size="sm" disabled={!contextParse.ok} onClick={() => setNaming(true)} aria-label="Save as persona">
            Save as persona…
          </Button>
        )}
      </div>
      <ErrorBanner error={save.error ? toIpcError(save.error) : null} action="Couldn't save persona" onDismiss={() => save.reset()} showMessage />
      <ErrorBanner error={remove.error ? toIpcError(remove.error) : null} action="Couldn't delete persona" onDismiss={() => remove.reset()} />

    </>
  );
}
