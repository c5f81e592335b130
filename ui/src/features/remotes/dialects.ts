import type { Dialect } from '../../lib/backend/bindings';

export const DIALECTS: readonly Dialect[] = ['projects', 'krafter', 'edgeflags'];

export const DIALECT_LABELS: Record<Dialect, string> = {
  projects: 'Projects API',
  krafter: 'Krafter',
  edgeflags: 'EdgeFlags',
};

/** What each API looks like, so the right one is picked. */
export const DIALECT_HINTS: Record<Dialect, string> = {
  projects: 'Segments under /v1/projects/{project}/segments; a JWT with a role in the project.',
  krafter: 'Krafter /flags/segments; an API key with flags:read and flags:write.',
  edgeflags: 'EdgeFlags /api/v1/segments; conditions combine with AND only. No project.',
};

/** Projects and Krafter scope segments to a project; EdgeFlags refuses one. */
export function needsProjectId(dialect: Dialect): boolean {
  return dialect !== 'edgeflags';
}
