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

type NameFormProps = {
  name: string;
  onName: (name: string) => void;
  inputLabel: string;
  submit: { text: string; label: string };
  cancelLabel: string;
  busy: boolean;
  onSubmit: (trimmed: string) => void;
  onCancel: () => void;
  className?: string;
};

/** A persona's name being typed: submit (with the name trimmed) or cancel. */
function NameForm({ name, onName, inputLabel, submit, cancelLabel, busy, onSubmit, onCancel, className }: NameFormProps) {
  return (
    <form
      className={`inline-form${className ? ` ${className}` : ''}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (name.trim()) onSubmit(name.trim());
      }}
    >
      <input aria-label={inputLabel} placeholder={inputLabel} value={name} autoFocus onChange={(e) => onName(e.target.value)} />
      <Button type="submit" size="sm" variant="primary" disabled={!name.trim() || busy} aria-label={submit.label}>
        {submit.text}
      </Button>
      <Button size="sm" variant="ghost" onClick={onCancel} aria-label={cancelLabel}>
        Cancel
      </Button>
    </form>
  );
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
        <NameForm
          className="persona-edited"
          name={renaming}
          onName={setRenaming}
          inputLabel="New persona name"
          submit={{ text: 'Rename', label: 'Save persona name' }}
          cancelLabel="Cancel renaming persona"
          busy={update.isPending}
          onSubmit={(name) => update.mutate({ id: current.id, name, context: current.context })}
          onCancel={() => setRenaming(null)}
        />
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
          <NameForm
            name={personaName}
            onName={setPersonaName}
            inputLabel="Persona name"
            submit={{ text: 'Save', label: 'Save persona' }}
            cancelLabel="Cancel saving persona"
            busy={save.isPending}
            onSubmit={(name) => save.mutate(name)}
            onCancel={() => setNaming(false)}
          />
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
