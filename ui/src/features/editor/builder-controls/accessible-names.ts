// Every custom react-querybuilder control gets a stable, unique accessible
// name derived from its position ("Condition 2.1 operator"), so tests and
// screen readers can tell identical-looking controls apart.
import { rulePathLabel } from '../../../lib/segments';
import type { LocatedIssue } from '../issues';

export function conditionName(path: readonly number[]): string {
  return `Condition ${rulePathLabel(path)}`;
}

export function groupName(path: readonly number[]): string {
  return path.length === 0 ? 'Segment' : `Group ${rulePathLabel(path)}`;
}

export function a11yInvalid(id: string, issues: readonly LocatedIssue[]) {
  return issues.length > 0 ? { 'aria-invalid': true as const, 'aria-describedby': `${id}-issues` } : {};
}
