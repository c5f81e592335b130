import type { ValidationIssue } from '../../lib/backend/bindings';

/** Inline validation messages rendered right next to a control (referenced via aria-describedby). */
export function FieldIssues({ id, issues }: { id: string; issues: readonly ValidationIssue[] }) {
  if (issues.length === 0) return null;
  return (
    <span id={id} className="field-issues">
      {issues.map((i, n) => (
        <span key={`${i.code}-${n}`} className="field-issue" data-code={i.code}>
          {i.message}
        </span>
      ))}
    </span>
  );
}
