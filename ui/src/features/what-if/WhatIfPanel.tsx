import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useBackend } from '../../lib/backend/backend';
import type { OperatorInfo, Persona, SegmentMatch } from '../../lib/backend/bindings';
import { toIpcError } from '../../lib/backend/errors';
import { jsonEqual, prettyJson } from '../../lib/segments';
import { queryKeys } from '../../lib/query-keys';
import { Button } from '../../shared/ui/Button';
import { useConfirm } from '../../shared/ui/confirm';
import { ErrorBanner } from '../../shared/ui/ErrorBanner';
import { JsonEditor } from '../../shared/ui/JsonEditor';
import { useToast } from '../../shared/ui/toast';
import { TraceTree } from './TraceTree';
import type { ExplainState } from './useExplain';
import { parseContext } from './useExplain';
import './what-if.css';

type Props = {
  hasDraft: boolean;
  explain: ExplainState;
  operators: OperatorInfo[];
  contextText: string;
  onContextText: (text: string) => void;
  onOpenSegment: (key: string) => void;
};

function personaMatching(personas: Persona[] | undefined, contextText: string): Persona | undefined {
  const parsed = parseContext(contextText);
  if (!parsed.ok || !personas) return undefined;
  return personas.find((p) => jsonEqual(p.context, parsed.value));
}

export function WhatIfPanel({ hasDraft, explain, operators, contextText, onContextText, onOpenSegment }: Props) {
  const backend = useBackend();
  const qc = useQueryClient();
  const toast = useToast();
  const confirm = useConfirm();
  const personas = useQuery({ queryKey: queryKeys.personas(), queryFn: () => backend.listPersonas() });
  const [naming, setNaming] = useState(false);
  const [personaName, setPersonaName] = useState('');
  const [onlyMatches, setOnlyMatches] = useState(false);

  const current = personaMatching(personas.data, contextText);
  const contextParse = parseContext(contextText);

  const save = useMutation({
    mutationFn: (name: string) => backend.savePersona(name, contextParse.ok ? contextParse.value : {}),
    onSuccess: (p) => {
      void qc.invalidateQueries({ queryKey: queryKeys.personas() });
      setNaming(false);
      setPersonaName('');
      toast.show({ message: `Saved persona “${p.name}”`, tone: 'success' });
    },
  });

  const remove = useMutation({
    mutationFn: (id: number) => backend.deletePersona(id),
    onSuccess: () => void qc.invalidateQueries({ queryKey: queryKeys.personas() }),
  });

  const evalAll = useMutation({ mutationFn: () => backend.evaluateAll(contextParse.ok ? contextParse.value : {}) });
  const results: SegmentMatch[] = evalAll.data ?? [];
  const matchedCount = results.filter((r) => r.matched).length;
  const shown = onlyMatches ? results.filter((r) => r.matched) : results;

  const onPickPersona = (id: string) => {
    const p = personas.data?.find((x) => String(x.id) === id);
    if (p) onContextText(prettyJson(p.context));
  };

  const { explanation } = explain;

  return (
    <section className="what-if" aria-label="What-if">
      <h2 className="pane-title">What-if</h2>

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
      </div>
      <ErrorBanner error={personas.error ? toIpcError(personas.error) : null} action="Couldn't load personas" />

      <label className="block-label" htmlFor="context-json">
        Context
      </label>
      <JsonEditor
        value={contextText}
        onChange={onContextText}
        ariaLabel="Context JSON"
        minHeight="140px"
        maxHeight="260px"
        invalid={explain.contextError !== null}
        describedBy={explain.contextError ? 'context-json-problem' : undefined}
      />
      {explain.contextError && (
        <p id="context-json-problem" className="field-issue">
          {explain.contextError}
        </p>
      )}

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
      <ErrorBanner error={save.error ? toIpcError(save.error) : null} action="Couldn't save persona" onDismiss={() => save.reset()} />
      <ErrorBanner error={remove.error ? toIpcError(remove.error) : null} action="Couldn't delete persona" onDismiss={() => remove.reset()} />

      <div className="what-if-result" aria-busy={explain.busy}>
        {!hasDraft ? (
          <p className="muted">Open or create a segment to test it against this context.</p>
        ) : explain.error?.code === 'validation' ? (
          // the editor already lists each problem at its field
          <p className="muted" role="status" aria-label="Evaluation result">
            Fix the problems in the editor to evaluate this draft.
          </p>
        ) : explain.error ? (
          <ErrorBanner error={explain.error} action="Couldn't evaluate" />
        ) : explanation ? (
          <>
            <div
              className={`verdict ${explanation.matched ? 'is-match' : 'is-no-match'}${explain.busy ? ' is-stale' : ''}`}
              role="status"
              aria-label="Evaluation result"
            >
              {explanation.matched ? 'Matched' : 'Not matched'}
            </div>
            <TraceTree trace={explanation.trace} operators={operators} />
          </>
        ) : explain.contextError ? null : (
          <p className="muted">Evaluating…</p>
        )}
      </div>

      <div className="eval-all">
        <Button onClick={() => evalAll.mutate()} disabled={!contextParse.ok || evalAll.isPending} aria-label="Evaluate against all segments">
          {evalAll.isPending ? 'Evaluating…' : 'Evaluate against all segments'}
        </Button>
        <ErrorBanner error={evalAll.error ? toIpcError(evalAll.error) : null} action="Couldn't evaluate" />
        {evalAll.data && (
          <div className="eval-all-results">
            <div className="eval-all-head">
              <strong role="status" aria-label="All segments summary">
                {matchedCount} of {results.length} saved segments match
              </strong>
              <label className="check">
                <input type="checkbox" checked={onlyMatches} onChange={(e) => setOnlyMatches(e.target.checked)} aria-label="Show only matching segments" />
                Only matches
              </label>
            </div>
            <ul aria-label="Results for all segments">
              {shown.map((r) => (
                <li key={r.key} className={r.matched ? 'is-pass' : 'is-fail'} aria-label={`${r.name || r.key} (${r.key}): ${r.matched ? 'matched' : 'not matched'}`}>
                  <span className={`trace-icon ${r.matched ? 'is-pass' : 'is-fail'}`} aria-hidden="true">
                    {r.matched ? '✓' : '✗'}
                  </span>
                  <button type="button" className="link" onClick={() => onOpenSegment(r.key)} aria-label={`Open segment ${r.key}`}>
                    {r.name || r.key}
                  </button>
                  <span className="mono muted">{r.key}</span>
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </section>
  );
}
