import { useId, useState } from 'react';
import type { JsonValue, OperatorInfo, Segment } from '../../lib/backend/bindings';
import { formatCount, formatEstimate, shareOf } from '../populations/format';
import { useSelectedPopulation } from '../populations/queries';
import { ImpactExamplesDialog } from './ImpactExamplesDialog';
import { useDraftImpact } from './useDraftImpact';
import './audience-strip.css';

type Props = {
  segment: Segment;
  /** The saved segment the draft would replace; null for a new one (no gained / lost then). */
  savedKey: string | null;
  operators: OperatorInfo[];
};

/**
 * How many users of the chosen population the draft reaches, kept up to date as it is
 * edited, and (for a saved segment) how many it gains and loses against the saved version.
 * The gained and lost counts open example users, each with the trace of why.
 */
export function AudienceStrip({ segment, savedKey, operators }: Props) {
  const id = useId();
  const { populations, selected, choose } = useSelectedPopulation();
  const impact = useDraftImpact(selected?.id ?? null, savedKey, segment);
  // The examples as they were when the dialog opened: a later count (another edit) must not
  // swap the users being read.
  const [examples, setExamples] = useState<{ kind: 'gained' | 'lost'; total: number; users: JsonValue[]; draftJson: string } | null>(
    null,
  );

  if (populations.length === 0) {
    return (
      <section className="audience-strip is-empty" aria-label="Audience">
        <span className="muted">Add a population on the Populations page to see how many users this segment reaches.</span>
      </section>
    );
  }

  const result = impact.impact;
  const total = result?.rows ?? selected?.rows ?? 0;
  let summary: string;
  if (!selected) summary = 'Pick a population to see how many users this segment reaches.';
  else if (!result) summary = impact.error ? '' : 'Counting…';
  else if (result.estimate) summary = `${formatEstimate(result.after, result.margin)} (estimate) of ${formatCount(total)} users`;
  else summary = `${formatCount(result.after)} of ${formatCount(total)} (${shareOf(result.after, total)})`;
  const showChanges = result !== null && !result.estimate && savedKey !== null;
  const open = (kind: 'gained' | 'lost') => {
    if (!result || !impact.draftJson) return;
    setExamples({
      kind,
      total: kind === 'gained' ? result.gained : result.lost,
      users: kind === 'gained' ? result.gained_examples : result.lost_examples,
      draftJson: impact.draftJson,
    });
  };

  return (
    <section className="audience-strip" aria-label="Audience" aria-busy={impact.busy}>
      <label className="sr-only" htmlFor={`${id}-population`}>
        Population
      </label>
      <select
        id={`${id}-population`}
        aria-label="Audience population"
        value={selected?.id ?? ''}
        onChange={(e) => choose(e.target.value || null)}
      >
        <option value="">No population</option>
        {populations.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
      <span className="audience-summary" role="status" aria-label="Audience size">
        {summary}
        {showChanges && (
          <>
            {' · '}
            <button
              type="button"
              className="link audience-gained"
              aria-label={`Show ${formatCount(result.gained)} users gained`}
              disabled={result.gained === 0}
              onClick={() => open('gained')}
            >
              +{formatCount(result.gained)}
            </button>
            {' / '}
            <button
              type="button"
              className="link audience-lost"
              aria-label={`Show ${formatCount(result.lost)} users lost`}
              disabled={result.lost === 0}
              onClick={() => open('lost')}
            >
              −{formatCount(result.lost)}
            </button>{' '}
            against the saved version
          </>
        )}
      </span>
      {impact.busy && result && <span className="audience-updating muted">updating…</span>}
      {impact.error && (
        <span className="audience-problem muted" role="note">
          {impact.error.code === 'validation' || impact.error.code === 'invalid_json'
            ? 'Fix the problems in the rules to see the audience.'
            : impact.error.message}
        </span>
      )}
      {examples && (
        <ImpactExamplesDialog
          kind={examples.kind}
          total={examples.total}
          users={examples.users}
          draftJson={examples.draftJson}
          operators={operators}
          onClose={() => setExamples(null)}
        />
      )}
    </section>
  );
}
