import { useRef, useState } from 'react';
import type { Segment } from '../../lib/backend/bindings';
import { useBackend } from '../../lib/backend/backend';
import { toIpcError } from '../../lib/backend/errors';
import { prettySegment } from '../../lib/segments';
import { JsonEditor } from '../../shared/ui/JsonEditor';

type Props = {
  segment: Segment;
  /** Key of the saved segment; the key cannot be changed through JSON. */
  lockedKey: string | null;
  onChange: (segment: Segment) => void;
};

/**
 * The draft as JSON. Each edit is read by the engine (`parseDraft`), which accepts every
 * format saving accepts; what it reads updates the builder at once, and anything it
 * refuses is kept as text with the engine's message until it reads.
 * Mounted fresh (keyed by the draft's loadId) when the draft is replaced elsewhere.
 */
export function JsonView({ segment, lockedKey, onChange }: Props) {
  const backend = useBackend();
  const [text, setText] = useState(() => prettySegment(segment));
  const [problem, setProblem] = useState<string | null>(null);
  const [keyNote, setKeyNote] = useState(false);
  // Answers can arrive out of order while typing: only the latest edit's answer counts.
  const latest = useRef(0);

  const onText = async (next: string) => {
    setText(next);
    const edit = ++latest.current;
    try {
      const parsed = await backend.parseDraft(next);
      if (edit !== latest.current) return;
      setProblem(null);
      setKeyNote(lockedKey !== null && parsed.key !== lockedKey);
      onChange(lockedKey !== null ? { ...parsed, key: lockedKey } : parsed);
    } catch (e) {
      if (edit !== latest.current) return;
      setProblem(toIpcError(e).message);
    }
  };

  return (
    <div className="json-view">
      <p className="hint">
        Edit the segment as JSON. Valid changes update the rule builder immediately.
      </p>
      <JsonEditor
        value={text}
        onChange={(next) => void onText(next)}
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
