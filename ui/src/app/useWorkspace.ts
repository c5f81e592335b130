import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useBackend } from '../lib/backend/backend';
import type { ImportReport, IpcError, Revision, Segment } from '../lib/backend/bindings';
import { toIpcError } from '../lib/backend/errors';
import { queryKeys } from '../lib/query-keys';
import { draftFromSegment, draftToSegment, isDirty, newDraft, rebase } from '../features/editor/draft';
import type { Draft } from '../features/editor/draft';
import { useChoice, useConfirm } from '../shared/ui/confirm';
import { useToast } from '../shared/ui/toast';

type ActionError = { action: string; error: IpcError };

/**
 * The segment being edited and every action on it (open, new, save, revert,
 * delete + undo, duplicate, restore), including the unsaved-changes guard.
 */
export function useWorkspace() {
  const backend = useBackend();
  const qc = useQueryClient();
  const confirm = useConfirm();
  const choose = useChoice();
  const toast = useToast();

  const [draft, setDraft] = useState<Draft | null>(null);
  const [saveError, setSaveError] = useState<IpcError | null>(null);
  const [actionError, setActionError] = useState<ActionError | null>(null);
  const [busy, setBusy] = useState<null | 'saving' | 'loading' | 'deleting' | 'restoring' | 'duplicating'>(null);
  const [duplicateOpen, setDuplicateOpen] = useState(false);
  const [duplicateError, setDuplicateError] = useState<IpcError | null>(null);
  /** A delete refused before it is asked: the segments that use the one to delete. */
  const [inUse, setInUse] = useState<{ label: string; referrers: string[] } | null>(null);

  // Async actions (undo from a toast, after an import, after a dialog) must guard the draft as it is *then*.
  const draftRef = useRef<Draft | null>(null);
  useEffect(() => {
    draftRef.current = draft;
  }, [draft]);

  const dirty = draft !== null && isDirty(draft);
  const segment = useMemo(() => (draft ? draftToSegment(draft) : null), [draft]);

  const refreshLists = (key?: string) => {
    void qc.invalidateQueries({ queryKey: queryKeys.segments() });
    void qc.invalidateQueries({ queryKey: queryKeys.allValidations() });
    // what each segment reaches in a population changes with it
    void qc.invalidateQueries({ queryKey: queryKeys.allAudiences() });
    // every local change is queued for every remote: badges, outbox and preview change with it
    void qc.invalidateQueries({ queryKey: queryKeys.allSync() });
    if (key) void qc.invalidateQueries({ queryKey: queryKeys.revisions(key) });
  };

  /** Resolves true when it is fine to replace the current draft. */
  const guard = async (): Promise<boolean> => {
    const current = draftRef.current;
    if (!current || !isDirty(current)) return true;
    const label = current.name.trim() || current.key || 'This new segment';
    const choice = await choose({
      title: 'Save your changes?',
      message: `“${label}” has changes that are not saved. Save them, or discard them, before you go on.`,
      confirmLabel: 'Discard and continue',
      alternativeLabel: 'Save and continue',
      cancelLabel: 'Keep editing',
      danger: true,
    });
    // A save that fails (a problem to fix) keeps the draft open, with its error shown.
    return choice === 'alternative' ? persist() : choice === 'confirm';
  };

  const load = async (key: string): Promise<boolean> => {
    setBusy('loading');
    try {
      const seg = await qc.fetchQuery({ queryKey: queryKeys.segment(key), queryFn: () => backend.getSegment(key), staleTime: 0 });
      setDraft(draftFromSegment(seg, true));
      setSaveError(null);
      setActionError(null);
      return true;
    } catch (e) {
      setActionError({ action: "Couldn't open the segment", error: toIpcError(e) });
      return false;
    } finally {
      setBusy(null);
    }
  };

  const open = async (key: string) => {
    if (draft?.originalKey === key) return;
    if (!(await guard())) return;
    await load(key);
  };

  const createNew = async () => {
    if (!(await guard())) return;
    setDraft(newDraft());
    setSaveError(null);
    setActionError(null);
  };

  const update = (updater: (d: Draft) => Draft) => {
    setDraft((d) => (d ? updater(d) : d));
    setSaveError(null);
  };

  const save = async () => {
    await persist();
  };

  /** Saves the draft as it is now; resolves whether it was saved. */
  const persist = async (): Promise<boolean> => {
    const draft = draftRef.current;
    if (!draft || busy === 'saving') return false;
    const submitted = draftToSegment(draft);
    const originalKey = draft.originalKey;
    setDraft((d) => (d ? { ...d, touched: true } : d));
    setBusy('saving');
    setSaveError(null);
    try {
      const saved =
        originalKey === null ? await backend.createSegment(submitted) : await backend.updateSegment(originalKey, submitted);
      setDraft((d) => (d ? rebase(d, submitted, saved) : d));
      qc.setQueryData(queryKeys.segment(saved.key), saved);
      refreshLists(saved.key);
      toast.show({ message: `Saved “${saved.name || saved.key}”`, tone: 'success' });
      return true;
    } catch (e) {
      setSaveError(toIpcError(e));
      return false;
    } finally {
      setBusy(null);
    }
  };

  const revert = async () => {
    if (!draft || !isDirty(draft)) return;
    const ok = await confirm({
      title: 'Discard your changes?',
      message: 'The segment goes back to its last saved version.',
      confirmLabel: 'Discard all changes',
      cancelLabel: 'Keep editing',
      danger: true,
    });
    if (!ok) return;
    setSaveError(null);
    if (draft.originalKey === null) setDraft(newDraft());
    else setDraft(draftFromSegment(JSON.parse(draft.baseline) as Segment, true));
  };

  const undoDelete = async (rev: Revision) => {
    try {
      // Restoring the delete revision brings back what was deleted, recorded as a restore.
      const seg = await backend.restoreRevision(rev.segment_key, rev.id);
      refreshLists(seg.key);
      toast.show({ message: `Restored “${seg.name || seg.key}”`, tone: 'success' });
      if (await guard()) await load(seg.key);
    } catch (e) {
      setActionError({ action: "Couldn't undo the delete", error: toIpcError(e) });
    }
  };

  const remove = async () => {
    if (!draft || draft.originalKey === null) return;
    const key = draft.originalKey;
    const label = draft.name.trim() || key;
    try {
      const referrers = await backend.segmentReferrers(key);
      if (referrers.length > 0) {
        setInUse({ label, referrers });
        return;
      }
    } catch (e) {
      setActionError({ action: "Couldn't delete", error: toIpcError(e) });
      return;
    }
    const ok = await confirm({
      title: `Delete “${label}”?`,
      message: 'Flags targeting this segment will stop matching it. You can undo right after deleting.',
      confirmLabel: 'Yes, delete',
      cancelLabel: 'Cancel',
      danger: true,
    });
    if (!ok) return;
    setBusy('deleting');
    try {
      const rev = await backend.deleteSegment(key);
      setDraft(null);
      setSaveError(null);
      setActionError(null);
      qc.removeQueries({ queryKey: queryKeys.segment(key) });
      refreshLists(key);
      toast.show({
        message: `Deleted “${label}”`,
        action: { label: 'Undo', ariaLabel: 'Undo delete', onClick: () => void undoDelete(rev) },
      });
    } catch (e) {
      setActionError({ action: "Couldn't delete", error: toIpcError(e) });
    } finally {
      setBusy(null);
    }
  };

  const duplicate = async (newKey: string) => {
    if (!draft?.originalKey) return;
    setBusy('duplicating');
    setDuplicateError(null);
    try {
      const copy = await backend.duplicateSegment(draft.originalKey, newKey);
      setDuplicateOpen(false);
      refreshLists(copy.key);
      toast.show({ message: `Created “${copy.key}”`, tone: 'success' });
      if (await guard()) await load(copy.key);
    } catch (e) {
      setDuplicateError(toIpcError(e));
    } finally {
      setBusy(null);
    }
  };

  const restore = async (rev: Revision) => {
    if (!draft?.originalKey) return;
    const key = draft.originalKey;
    if (!(await guard())) return;
    setBusy('restoring');
    try {
      const seg = await backend.restoreRevision(key, rev.id);
      setDraft(draftFromSegment(seg, true));
      setSaveError(null);
      qc.setQueryData(queryKeys.segment(seg.key), seg);
      refreshLists(key);
      toast.show({ message: `Restored revision #${rev.id}`, tone: 'success' });
    } catch (e) {
      setActionError({ action: "Couldn't restore", error: toIpcError(e) });
    } finally {
      setBusy(null);
    }
  };

  /** Segments changed from elsewhere (an import, a pull, a resolved conflict): reload the open one unless it has unsaved edits. */
  const reloadIfClean = async (keys: readonly string[]) => {
    const current = draftRef.current;
    if (current?.originalKey && keys.includes(current.originalKey) && !isDirty(current)) {
      await load(current.originalKey);
    }
  };

  const afterImport = (report: ImportReport) => reloadIfClean(report.updated);

  return {
    draft,
    segment,
    dirty,
    busy,
    saveError,
    actionError,
    duplicateOpen,
    duplicateError,
    update,
    open,
    createNew,
    save,
    revert,
    remove,
    restore,
    duplicate,
    afterImport,
    reloadIfClean,
    openDuplicate: () => {
      setDuplicateError(null);
      setDuplicateOpen(true);
    },
    closeDuplicate: () => setDuplicateOpen(false),
    inUse,
    closeInUse: () => setInUse(null),
    dismissSaveError: () => setSaveError(null),
    dismissActionError: () => setActionError(null),
  };
}

export type Workspace = ReturnType<typeof useWorkspace>;
