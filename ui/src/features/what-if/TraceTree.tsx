import type { OperatorInfo, TraceNode, TraceReason } from '../../lib/backend/bindings';
import { MATCH_TYPE_LABELS, formatJsonValue, parsePath, rulePathLabel } from '../../lib/segments';

/** Why a condition came out the way it did, as a plain explanation (the row's status says whether it matches). */
export const REASON_LABELS: Record<TraceReason, string> = {
  matched: 'The value fits',
  no_value_matched: 'None of the listed values fit',
  attribute_missing: 'This attribute is missing',
  attribute_null: 'This attribute is empty (null)',
  not_a_number: 'The value is not a number',
  not_a_semver: 'The value is not a version like 1.2.3',
  not_a_date: 'The value is not a date',
  type_mismatch: 'The value is of another type',
  negated: 'Excluded by “not”',
};

/** The one status a trace row shows, in words and in its accessible name. */
export function traceStatus(matched: boolean): string {
  return matched ? 'Matches' : "Doesn't match";
}

function nodeLabel(node: TraceNode): string {
  const parsed = parsePath(node.path);
  const label = parsed ? rulePathLabel(parsed.rulePath) : node.path;
  if (node.kind === 'group') return label ? `Group ${label}` : 'Segment';
  return `Condition ${label}`;
}

/** Icon and status word, both coloured by the row's own matched state only. */
function TraceStatus({ matched }: { matched: boolean }) {
  const tone = matched ? 'is-pass' : 'is-fail';
  return (
    <>
      <span className={`trace-icon ${tone}`} aria-hidden="true">
        {matched ? '✓' : '✗'}
      </span>
      <span className={`trace-status ${tone}`}>{traceStatus(matched)}</span>
    </>
  );
}

function TraceItem({ node, operators }: { node: TraceNode; operators: Map<string, OperatorInfo> }) {
  const name = nodeLabel(node);
  const tone = node.matched ? 'is-pass' : 'is-fail';
  const accessibleName = `${name}: ${traceStatus(node.matched).toLowerCase()}`;
  if (node.kind === 'group') {
    return (
      <li className={`trace-node trace-group ${tone}`} aria-label={accessibleName}>
        <div className="trace-row">
          <span className="trace-title">
            {name} · {MATCH_TYPE_LABELS[node.match_type] ?? node.match_type} {node.children.length}{' '}
            {node.children.length === 1 ? 'rule' : 'rules'}
          </span>
          <TraceStatus matched={node.matched} />
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
  // "The value fits" only repeats "Matches"; every other reason explains the status.
  const explanation = node.reason === 'matched' ? null : (REASON_LABELS[node.reason] ?? node.reason);
  return (
    <li className={`trace-node trace-condition ${tone}`} aria-label={accessibleName} data-reason={node.reason}>
      <div className="trace-row">
        <span className="trace-title">
          <code>{node.attribute || '—'}</code> {op}{' '}
          {node.values.length > 0 && <code>{node.values.map((v) => formatJsonValue(v)).join(', ')}</code>}
        </span>
        <TraceStatus matched={node.matched} />
      </div>
      <div className="trace-detail">
        Actual: <code>{node.present ? formatJsonValue(node.actual ?? null) : 'not set'}</code>
        {explanation && <span className="trace-reason"> · {explanation}</span>}
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
