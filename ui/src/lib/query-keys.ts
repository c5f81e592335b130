/**
 * Every TanStack Query key of the app. Invalidation matches keys by prefix, so each
 * `all…` key is the prefix of its family: invalidating `allRevisions()` refetches every
 * `revisions(key)`.
 *
 * Everything under `allSync()` (status, preview) depends on both the local segments and
 * the remote, so it is invalidated after any of: a segment edit, an import, a pull, a
 * push, a resolved conflict, a remote added or removed.
 */
export const queryKeys = {
  segments: () => ['segments'] as const,
  segment: (key: string) => ['segment', key] as const,
  /** A list row's copy of a segment, by its last change (so an import or a pull refetches it); under `segment(key)`. */
  segmentRules: (key: string, updatedAt: string) => ['segment', key, updatedAt] as const,
  operators: () => ['operators'] as const,
  allValidations: () => ['validate'] as const,
  /** `draftJson` is the canonical segment JSON, so equal drafts share a result. */
  validation: (draftJson: string | null) => ['validate', draftJson] as const,
  explanation: (draftJson: string | null, contextJson: string | null) => ['explain', draftJson, contextJson] as const,
  /** Under segments(): every save, delete, import or pull refreshes the results. */
  evaluateAll: (contextJson: string | null) => ['segments', 'evaluate-all', contextJson] as const,
  /** The engine's key for a new segment's name (the same derivation a pull uses). */
  keyFromName: (name: string) => ['key-from-name', name] as const,
  /** The engine's reading of context text that JSON.parse refused: its message says at which line and column. */
  contextProblem: (text: string) => ['context-problem', text] as const,
  /** What an import file would create and update; nothing is written. */
  importPreview: (text: string) => ['import-preview', text] as const,
  allRevisions: () => ['revisions'] as const,
  revisions: (segmentKey: string) => ['revisions', segmentKey] as const,
  /** Deleted segments; a delete or a restore changes them. */
  deleted: () => ['deleted'] as const,
  personas: () => ['personas'] as const,
  export: () => ['export'] as const,
  remotes: () => ['remotes'] as const,
  allSync: () => ['sync'] as const,
  syncStatus: (remote: string) => ['sync', 'status', remote] as const,
  syncPreview: (remote: string) => ['sync', 'preview', remote] as const,
  /** Under allSync(): a segment edit or a remote added changes the answer. */
  syncReadiness: (draftJson: string) => ['sync', 'readiness', draftJson] as const,
  populations: () => ['populations'] as const,
  /** Every audience count; segment edits and population changes invalidate them all. */
  allAudiences: () => ['audience'] as const,
  audience: (populationId: string | null, keys: readonly string[], overlap: boolean) =>
    ['audience', populationId, [...keys], overlap] as const,
  /** `request` is the canonical draft, the dialect and the table; under segments(): a referenced segment's edit changes the SQL. */
  warehouseSql: (request: string) => ['segments', 'warehouse-sql', request] as const,
  /** The warehouse connection (URL, table, whether a password is saved; never the password). */
  warehouseSettings: () => ['warehouse-settings'] as const,
  // Outside allSync() on purpose: refetching a conflict that was just resolved would only fail.
  conflict: (remote: string, segmentKey: string) => ['conflict', remote, segmentKey] as const,
};
