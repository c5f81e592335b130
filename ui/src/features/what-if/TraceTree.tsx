import type { OperatorInfo, TraceNode, TraceReason } from '../../lib/backend/bindings';
import { MATCH_TYPE_LABELS, formatJsonValue, parsePath, rulePathLabel } from '../../lib/segments';

export const REASON_LABELS: Record<TraceReason, string> = {
  matched: 'Matched',
  no_value_matched: 'No value matched',
  attribute_missing: 'Attribute missing',
  attribute_null: 'Attribute is null',
  not_a_number: 'Not a number',
  not_a_semver: 'Not a version',
  not_a_date: 'Not a date',
  type_mismatch: 'Wrong type',
  negated: 'Excluded by “not”',
};

function nodeLabel(node: TraceNode): string {
  const parsed = parsePath(node.path);
  const label = parsed ? rulePathLabel(parsed.rulePath) : node.path;
  if (node.kind === 'group') return label ? `Group ${label}` : 'Segment';
  return `Condition ${label}`;
}

function TraceItem({ node, operators }: { node: TraceNode; operators: Map<string, OperatorInfo> }) {
  const name = nodeLabel(node);
  const state = node.matched ? 'passed' : 'failed';
  if (node.kind === 'group') {
    return (
      <li className={`trace-node trace-group ${node.matched ? 'is-pass' : 'is-fail'}`} aria-label={`${name}: ${state}`}>
        <div className="trace-row">
          <span className="trace-icon" aria-hidden="true">
            {node.matched ? '✓' : '✗'}
          </span>
          <span className="trace-title">
            {name} · {MATCH_TYPE_LABELS[node.match_type] ?? node.match_type}{' '}
            {node.children.length} {node.children.length === 1 ? 'rule' : 'rules'}
          </span>
          <span className="trace-state">{node.matched ? 'passed' : 'failed'}</span>
        </div>
        {node.children.length > 0 && (
          <ol className="trace-children">
            {node.children.map((c) => (
              <TraceItem key={c.path} node={c} operators={operators} />
            ))}
          </ol>
        )}
      </li>
    );
  }
  const op = operators.get(node.operator)?.label ?? node.operator;
  return (
    <li
      className={`trace-node trace-condition ${node.matched ? 'is-pass' : 'is-fail'}`}
      aria-label={`${name}: ${state}`}
      data-reason={node.reason}
    >
      <div className="trace-row">
        <span className="trace-icon" aria-hidden="true">
          {node.matched ? '✓' : '✗'}
        </span>
        <span className="trace-title">
          <code>{node.attribute || '—'}</code> {op}{' '}
          {node.values.length > 0 && <code>{node.values.map((v) => formatJsonValue(v)).join(', ')}</code>}
        </span>
        <span className="trace-state">{node.matched ? 'passed' : 'failed'}</span>
      </div>
      <div className="trace-detail">
        <span className="trace-actual">
          Actual: <code>{node.present ? formatJsonValue(node.actual ?? null) : 'not set'}</code>
        </span>
        <span className="trace-reason" title={node.reason}>
          {REASON_LABELS[node.reason] ?? node.reason}
        </span>
      </div>
      {node.message && <div className="trace-message">{node.message}</div>}
    </li>
  );
}

export function TraceTree({ trace, operators }: { trace: TraceNode; operators: OperatorInfo[] }) {
  const map = new Map(operators.map((o) => [o.operator as string, o]));
  return (
    <ol className="trace" aria-label="Evaluation trace">
      <TraceItem node={trace} operators={map} />
    </ol>
  );
}
