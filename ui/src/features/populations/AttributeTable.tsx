import type { AttributeProfile, AttributeType } from '../../lib/backend/bindings';
import { formatJsonValue } from '../../lib/segments';
import { formatCount, formatShare } from './format';

const TYPE_LABELS: Record<AttributeType, string> = {
  string: 'text',
  number: 'number',
  boolean: 'yes/no',
  array: 'list',
  object: 'object',
  null: 'empty',
};

/** What the population's users carry: each attribute's types, how often it is missing, and its most common values. */
export function AttributeTable({ attributes, rows }: { attributes: AttributeProfile[]; rows: number }) {
  if (attributes.length === 0) return <p className="muted">No attributes found.</p>;
  return (
    <table className="attribute-table" aria-label="Attributes">
      <thead>
        <tr>
          <th scope="col">Attribute</th>
          <th scope="col">Type</th>
          <th scope="col">Missing</th>
          <th scope="col">Most common values</th>
        </tr>
      </thead>
      <tbody>
        {attributes.map((a) => (
          <tr key={a.name}>
            <th scope="row">
              <code>{a.name}</code>
            </th>
            <td>{a.types.map((t) => TYPE_LABELS[t] ?? t).join(', ')}</td>
            <td>{formatShare(a.missing_share)}</td>
            <td>
              {a.top_values.length === 0 ? (
                <span className="muted">{a.many_values ? 'nearly all different' : '—'}</span>
              ) : (
                <ul className="top-values">
                  {a.top_values.slice(0, 5).map((v) => (
                    <li key={JSON.stringify(v.value)}>
                      <code>{formatJsonValue(v.value)}</code>{' '}
                      <span className="muted" title={`${formatCount(v.count)} of ${formatCount(rows)} users`}>
                        {formatShare(rows > 0 ? v.count / rows : 0)}
                      </span>
                    </li>
                  ))}
                  {a.top_values.length > 5 && <li className="muted">+{a.top_values.length - 5} more</li>}
                </ul>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
