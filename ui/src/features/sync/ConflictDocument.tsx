import type { Segment } from '../../lib/backend/bindings';
import { canonicalSegment } from '../../lib/segments';

type Props = {
  /** Column title: "Base", "Mine", "Theirs". */
  title: string;
  /** Which version it is, in words. */
  subtitle: string;
  document: Segment | null;
  /** What a missing document means here (deleted, or never agreed). */
  absent: string;
  /** The fields both sides changed; they are marked. */
  fields: readonly string[];
};

/**
 * One version of a conflicted segment as formatted JSON, top-level field by field, so the
 * conflicting fields can be marked (a <mark> with a title, and listed in the dialog's
 * description for screen readers).
 */
export function ConflictDocument({ title, subtitle, document, absent, fields }: Props) {
  const entries = document ? Object.entries(canonicalSegment(document)) : [];
  return (
    <section className="conflict-column" aria-label={title}>
      <h3 className="section-title">
        {title} <span className="muted">{subtitle}</span>
      </h3>
      {document ? (
        <pre className="conflict-document">
          {'{\n'}
          {entries.map(([field, value], i) => {
            const text = `  ${JSON.stringify(field)}: ${JSON.stringify(value, null, 2).replace(/\n/g, '\n  ')}${i < entries.length - 1 ? ',' : ''}\n`;
            return fields.includes(field) ? (
              <mark key={field} className="conflict-field" title="Changed differently on both sides">
                {text}
              </mark>
            ) : (
              <span key={field}>{text}</span>
            );
          })}
          {'}'}
        </pre>
      ) : (
        <p className="conflict-absent">{absent}</p>
      )}
    </section>
  );
}
