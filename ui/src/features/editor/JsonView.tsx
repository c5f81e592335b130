import { useState } from 'react';
import type { Segment } from '../../lib/backend/bindings';
import { prettySegment } from '../../lib/segments';
import { JsonEditor } from '../../shared/ui/JsonEditor';
import { parseSegmentJson } from './json-shape';

type Props = {
  segment: Segment;
  /** Key of the saved segment; the key cannot be changed through JSON. */
  lockedKey: string | null;
  onChange: (segment: Segment) => void;
};

/**
 * The draft as JSON. Edits that parse into a segment update the builder at
 * once; anything else is kept as text with a message until it parses.
 * Mounted fresh (keyed by the draft's loadId) when the draft is replaced elsewhere.
 */
export function JsonView({ segment, lockedKey, onChange }: Props) {
  const [text, setText] = useState(() => prettySegment(segment));
  const [problem, setProblem] = useState<string | null>(null);
  const [keyNote, setKeyNote] = useState(false);

  const onText = (next: string) => {
    setText(next);
    const result = parseSegmentJson(next);
    if (!result.ok) {
      setProblem(result.message);
      return;
    }
    setProblem(null);
    setKeyNote(lockedKey !== null && result.segment.key !== lockedKey);
    onChange(lockedKey !== null ? { ...result.segment, key: lockedKey } : result.segment);
  };

  return (
    <div className="json-view">
      <p className="hint">
        Edit the segment as JSON. Valid changes update the rule builder immediately.
      </p>
      <JsonEditor
        value={text}
        onChange={onText}
        ariaLabel="Segment JSON"
        minHeight="320px"
        invalid={problem !== null}
        describedBy={problem ? 'segment-json-problem' : undefined}
      />
      {problem && (
        <p id="segment-json-problem" className="field-issue" role="status">
          {problem} — the builder keeps the last valid version.
        </p>
      )}
      {keyNote && (
        <p className="hint" role="status">
          The key of a saved segment can’t change; it stays “{lockedKey}”. Duplicate the segment to use a new key.
        </p>
      )}
    </div>
  );
}
