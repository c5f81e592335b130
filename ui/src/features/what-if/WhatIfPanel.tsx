import type { JsonValue, OperatorInfo } from '../../lib/backend/bindings';
import { prettyJson } from '../../lib/segments';
import { ErrorBanner } from '../../shared/ui/ErrorBanner';
import { JsonEditor } from '../../shared/ui/JsonEditor';
import { AllSegmentsResults } from './AllSegmentsResults';
import { ContextForm } from './ContextForm';
import type { FieldType } from './context-fields';
import { PersonaBar } from './PersonaBar';
import { TraceTree } from './TraceTree';
import type { ExplainState } from './useExplain';
import { parseContext } from './useExplain';
import './what-if.css';

type Props = {
  hasDraft: boolean;
  explain: ExplainState;
  operators: OperatorInfo[];
  contextText: string;
  onContextText: (text: string) => void;
  onOpenSegment: (key: string) => void;
  /** The attributes the draft tests, offered in the context form. */
  usedAttributes: ReadonlyMap<string, FieldType>;
};

type JsonObject = { [key: string]: JsonValue };

export function WhatIfPanel({ hasDraft, explain, operators, contextText, onContextText, onOpenSegment, usedAttributes }: Props) {
  const contextParse = parseContext(contextText);
  const { explanation } = explain;

  return (
    <section className="what-if" aria-label="What-if">
      <h2 className="pane-title">What-if</h2>

      <PersonaBar contextText={contextText} onContextText={onContextText} />

      <h3 className="block-label">Context</h3>
      <ContextForm
        context={contextParse.ok ? (contextParse.value as JsonObject) : null}
        used={usedAttributes}
        onChange={(c) => onContextText(prettyJson(c))}
      />
      <label className="block-label" htmlFor="context-json">
        As JSON
      </label>
      <JsonEditor
        value={contextText}
        onChange={onContextText}
        ariaLabel="Context JSON"
        minHeight="140px"
        maxHeight="260px"
        invalid={explain.contextError !== null}
        describedBy={explain.contextError ? 'context-json-problem' : undefined}
      />
      {explain.contextError && (
        <p id="context-json-problem" className="field-issue">
          {explain.contextError}
        </p>
      )}

      <div className="what-if-result" aria-busy={explain.busy}>
        {!hasDraft ? (
          <p className="muted">Open or create a segment to test it against this context.</p>
        ) : explain.error?.code === 'validation' ? (
          // the editor already lists each problem at its field
          <p className="muted" role="status" aria-label="Evaluation result">
            Fix the problems in the editor to evaluate this draft.
          </p>
        ) : explain.error ? (
          <ErrorBanner error={explain.error} action="Couldn't evaluate" />
        ) : explanation ? (
          <>
            <div
              className={`verdict ${explanation.matched ? 'is-match' : 'is-no-match'}${explain.busy ? ' is-stale' : ''}`}
              role="status"
              aria-label="Evaluation result"
            >
              {explanation.matched ? 'Matched' : 'Not matched'}
            </div>
            <TraceTree trace={explanation.trace} operators={operators} />
          </>
        ) : explain.contextError ? null : (
          <p className="muted">Evaluating…</p>
        )}
      </div>

      <AllSegmentsResults contextText={contextText} onOpenSegment={onOpenSegment} />
    </section>
  );
}
