import type { TraceNode } from '../../../lib/backend/bindings';

/** The what-if pass/fail marker shown beside a condition or group. */
export function TraceMark({ node, name }: { node: TraceNode | undefined; name: string }) {
  if (!node) return null;
  const text = node.matched ? 'matches' : 'does not match';
  const title = node.kind === 'condition' ? node.message : `${name} ${text} the what-if context`;
  return (
    <span
      className={`trace-mark ${node.matched ? 'is-pass' : 'is-fail'}`}
      role="img"
      aria-label={`${name} ${text} the what-if context`}
      title={title}
    >
      {node.matched ? '✓' : '✗'}
    </span>
  );
}
