import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef } from 'react';
import { useBackend } from '../lib/backend/backend';
import type { JsonValue } from '../lib/backend/bindings';
import { fieldIssuesOf, toIpcError } from '../lib/backend/errors';
import { queryKeys } from '../lib/query-keys';
import { SegmentEditor } from '../features/editor/SegmentEditor';
import { issueField } from '../features/editor/edited-fields';
import { indexIssues } from '../features/editor/issues';
import { useValidation } from '../features/editor/useValidation';
import { HistoryPanel } from '../features/history/HistoryPanel';
import { draftToSegment } from '../features/editor/draft';
import { profilesOf, suggestionsFrom } from '../features/editor/suggestions';
import { attributesUsed } from '../features/what-if/context-fields';
import { useAudience, usePopulations, useSelectedPopulation } from '../features/populations/queries';
import { DuplicateDialog } from '../features/segments/DuplicateDialog';
import { InUseDialog } from '../features/segments/InUseDialog';
import { RecentlyDeleted } from '../features/history/RecentlyDeleted';
import { SegmentList } from '../features/segments/SegmentList';
import { useSyncBadges } from '../features/sync/useSyncBadges';
import { WhatIfPanel } from '../features/what-if/WhatIfPanel';
import { parseContext, useExplain } from '../features/what-if/useExplain';
import { Button } from '../shared/ui/Button';
import { ErrorBanner } from '../shared/ui/ErrorBanner';
import { useGlobalShortcuts } from './shortcuts';
import type { Workspace as WorkspaceState } from './useWorkspace';

type Props = {
  ws: WorkspaceState;
  active: boolean;
  onActivate: () => void;
  contextText: string;
  onContextText: (t: string) => void;
};

function contextPaths(value: JsonValue, prefix = '', out: Set<string> = new Set()): Set<string> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) {
      const p = prefix ? `${prefix}.${k}` : k;
      out.add(p);
      contextPaths(v, p, out);
    }
  }
  return out;
}

/** The paths of the what-if context that hold true or false. */
function contextBooleans(value: JsonValue, prefix = '', out: string[] = []): string[] {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) {
      const p = prefix ? `${prefix}.${k}` : k;
      if (typeof v === 'boolean') out.push(p);
      else contextBooleans(v, p, out);
    }
  }
  return out;
}

const NO_KEYS: readonly string[] = [];

/** The three panes: segment list | editor | what-if. */
export function Workspace({ ws, active, onActivate, contextText, onContextText }: Props) {
  const backend = useBackend();
  const searchRef = useRef<HTMLInputElement>(null);
  const segments = useQuery({ queryKey: queryKeys.segments(), queryFn: () => backend.listSegments() });
  const operators = useQuery({ queryKey: queryKeys.operators(), queryFn: () => backend.listOperators(), staleTime: Infinity });
  const validation = useValidation(ws.segment);
  const explain = useExplain(ws.segment, contextText);
  const badges = useSyncBadges();
  // Each segment's share of the chosen population, for the list (the Populations chart shares the count).
  const population = useSelectedPopulation().selected;
  const audience = useAudience(population?.id ?? null, NO_KEYS, false);
  const shares = useMemo(
    () => (population && audience.data ? { population: population.name, bySegment: new Map(audience.data.segments.map((s) => [s.key, s])) } : undefined),
    [population, audience.data],
  );

  const { issues, unshownIssues } = useMemo(() => {
    if (!ws.draft) return { issues: indexIssues([], null), unshownIssues: 0 };
    // validation problems already come from live validation; others (a taken key) only from the save
    const fromSave = ws.saveError && ws.saveError.code !== 'validation' ? fieldIssuesOf(ws.saveError) : [];
    const all = indexIssues([...validation.issues, ...fromSave], ws.draft.query);
    if (ws.draft.touched) return { issues: all, unshownIssues: 0 };
    const edited = new Set(ws.draft.edited);
    const shown = all.all.filter((i) => {
      const field = issueField(i);
      return field !== null && edited.has(field);
    });
    return { issues: indexIssues(shown, ws.draft.query), unshownIssues: all.all.length - shown.length };
  }, [ws.draft, ws.saveError, validation.issues]);

  const populations = usePopulations();
  const personas = useQuery({ queryKey: queryKeys.personas(), queryFn: () => backend.listPersonas() });
  const suggestions = useMemo(() => {
    const fromFiles = suggestionsFrom(populations.data ?? []);
    // The attribute list also describes what the personas hold (type and examples) where no
    // file does; values are offered from files of real users only.
    const fromPersonas = suggestionsFrom([{ attributes: profilesOf((personas.data ?? []).map((p) => p.context)) }]);
    for (const [name, hint] of fromPersonas.hints) if (!fromFiles.hints.has(name)) fromFiles.hints.set(name, `${hint} (personas)`);
    const ctx = parseContext(contextText);
    return ctx.ok ? { ...fromFiles, booleans: new Set([...fromFiles.booleans, ...contextBooleans(ctx.value)]) } : fromFiles;
  }, [populations.data, personas.data, contextText]);
  const usedAttributes = useMemo(
    () => attributesUsed(ws.draft ? draftToSegment(ws.draft) : { rules: [] }, operators.data ?? []),
    [ws.draft, operators.data],
  );
  const segmentChoices = useMemo(
    () => (segments.data ?? []).map((s) => ({ key: s.key, name: s.name })).sort((a, b) => (a.name || a.key).localeCompare(b.name || b.key)),
    [segments.data],
  );
  const attributes = useMemo(() => {
    const set = new Set<string>();
    for (const s of segments.data ?? []) for (const a of s.attributes) set.add(a);
    const ctx = parseContext(contextText);
    if (ctx.ok) contextPaths(ctx.value, '', set);
    return [...set].sort();
  }, [segments.data, contextText]);

  useGlobalShortcuts({
    save: () => {
      if (active) void ws.save();
    },
    newSegment: () => {
      onActivate();
      void ws.createNew();
    },
    focusSearch: () => {
      onActivate();
      setTimeout(() => searchRef.current?.focus(), 0);
    },
  });

  const dirty = ws.dirty;
  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [dirty]);

  const draft = ws.draft;

  return (
    <div className="workspace" hidden={!active}>
      <SegmentList
        segments={segments.data}
        loading={segments.isLoading}
        error={segments.error ? toIpcError(segments.error) : null}
        selectedKey={draft?.originalKey ?? null}
        onOpen={(key) => void ws.open(key)}
        onNew={() => void ws.createNew()}
        searchInputRef={searchRef}
        badges={badges}
        shares={shares}
        footer={<RecentlyDeleted onRestored={(key) => void ws.open(key)} />}
      />

      <main className="editor-pane" aria-busy={ws.busy === 'loading'}>
        {ws.actionError && (
          <ErrorBanner error={ws.actionError.error} action={ws.actionError.action} onDismiss={ws.dismissActionError} />
        )}
        <ErrorBanner error={operators.error ? toIpcError(operators.error) : null} action="Couldn't load operators" />
        {draft ? (
          <SegmentEditor
            draft={draft}
            onDraftChange={ws.update}
            operators={operators.data ?? []}
            segments={segmentChoices}
            attributes={attributes}
            suggestions={suggestions}
            issues={issues}
            unshownIssues={unshownIssues}
            validating={validation.validating}
            trace={explain.explanation?.trace}
            dirty={ws.dirty}
            saving={ws.busy === 'saving'}
            saveError={ws.saveError}
            onDismissSaveError={ws.dismissSaveError}
            onSave={() => void ws.save()}
            onRevert={() => void ws.revert()}
            onDuplicate={ws.openDuplicate}
            onDelete={() => void ws.remove()}
            history={
              draft.originalKey ? (
                <HistoryPanel
                  key={draft.originalKey}
                  segmentKey={draft.originalKey}
                  onRestore={(rev) => void ws.restore(rev)}
                  restoring={ws.busy === 'restoring'}
                />
              ) : null
            }
          />
        ) : (
          <div className="empty-editor">
            <h2>{ws.busy === 'loading' ? 'Opening…' : 'No segment open'}</h2>
            <p>Pick a segment on the left, or start a new one.</p>
            <Button variant="primary" onClick={() => void ws.createNew()} aria-label="Create a new segment">
              New segment
            </Button>
            <p className="hint">
              Shortcuts: <kbd>Ctrl</kbd>+<kbd>N</kbd> new · <kbd>Ctrl</kbd>+<kbd>S</kbd> save · <kbd>Ctrl</kbd>+<kbd>K</kbd> or{' '}
              <kbd>/</kbd> search
            </p>
          </div>
        )}
      </main>

      <aside className="what-if-pane">
        <WhatIfPanel
          hasDraft={draft !== null}
          explain={explain}
          operators={operators.data ?? []}
          contextText={contextText}
          onContextText={onContextText}
          onOpenSegment={(key) => void ws.open(key)}
          usedAttributes={usedAttributes}
        />
      </aside>

      {ws.duplicateOpen && draft?.originalKey && (
        <DuplicateDialog
          sourceKey={draft.originalKey}
          dirty={ws.dirty}
          pending={ws.busy === 'duplicating'}
          error={ws.duplicateError}
          onSubmit={(k) => void ws.duplicate(k)}
          onClose={ws.closeDuplicate}
        />
      )}
      {ws.inUse && (
        <InUseDialog
          label={ws.inUse.label}
          referrers={ws.inUse.referrers}
          onOpen={(key) => {
            ws.closeInUse();
            void ws.open(key);
          }}
          onClose={ws.closeInUse}
        />
      )}
    </div>
  );
}
