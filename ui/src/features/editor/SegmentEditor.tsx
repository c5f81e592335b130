import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import type { IpcError, OperatorInfo, TraceNode } from '../../lib/backend/bindings';
import { Button } from '../../shared/ui/Button';
import { ErrorBanner } from '../../shared/ui/ErrorBanner';
import { FieldIssues } from '../../shared/ui/FieldIssues';
import type { SegmentChoice } from './builder-context';
import type { Draft } from './draft';
import { draftToSegment, withSegment } from './draft';
import type { IssueIndex, LocatedIssue } from './issues';
import type { Suggestions } from './suggestions';
import { SyncReadiness } from '../sync/SyncReadiness';
import { changedFields, segmentField, withEdited } from './edited-fields';
import { useKeyFollowingName } from './useKeyFollowingName';
import { AudienceStrip } from './AudienceStrip';
import { JsonView } from './JsonView';
import { RuleBuilder } from './RuleBuilder';
import { SqlPanel } from '../warehouse/SqlPanel';
import { WarehouseCount } from '../warehouse/WarehouseCount';
import './editor.css';

type Tab = 'rules' | 'json' | 'sql' | 'history';

type Props = {
  draft: Draft;
  onDraftChange: (updater: (d: Draft) => Draft) => void;
  operators: OperatorInfo[];
  segments: SegmentChoice[];
  attributes: string[];
  /** Types and frequent values of attributes, from the populations' files. */
  suggestions?: Suggestions;
  /** The issues to show: all once the draft is touched, before that those of the fields edited so far. */
  issues: IssueIndex;
  /** Issues held back at fields not edited yet (0 once the draft is touched). */
  unshownIssues: number;
  validating: boolean;
  trace: TraceNode | null | undefined;
  dirty: boolean;
  saving: boolean;
  saveError: IpcError | null;
  onDismissSaveError: () => void;
  onSave: () => void;
  onRevert: () => void;
  onDuplicate: () => void;
  onDelete: () => void;
  /** Content of the History tab (only for saved segments). */
  history: ReactNode | null;
};

/** A new name (a new segment's key follows it: see useKeyFollowingName). */
function withName(d: Draft, name: string): Draft {
  return { ...d, name, edited: withEdited(d.edited, [segmentField('name')]) };
}

function invalidProps(id: string, issues: readonly LocatedIssue[]) {
  return issues.length > 0 ? { 'aria-invalid': true as const, 'aria-describedby': `${id}-issues` } : {};
}

export function SegmentEditor(props: Props) {
  const { draft, onDraftChange, issues } = props;
  const [tab, setTab] = useState<Tab>('rules');
  const activeTab: Tab = tab === 'history' && !props.history ? 'rules' : tab;
  const isNew = draft.originalKey === null;
  const segment = draftToSegment(draft);
  useKeyFollowingName(draft, onDraftChange);

  // A fresh new draft starts with the cursor in the name field (the key follows the name).
  useEffect(() => {
    if (isNew) document.getElementById('segment-name')?.focus();
  }, [draft.loadId, isNew]);

  const keyIssues = issues.at([], 'key');
  const nameIssues = issues.at([], 'name');
  const descIssues = issues.at([], 'description');

  const focusIssue = (issue: LocatedIssue) => {
    const focus = () => document.getElementById(issue.elementId)?.focus();
    if (issue.elementId.startsWith('rule-') && activeTab !== 'rules') {
      setTab('rules');
      setTimeout(focus, 0);
    } else {
      focus();
    }
  };

  const tabs: { id: Tab; label: string }[] = [
    { id: 'rules', label: 'Rules' },
    { id: 'json', label: 'JSON' },
    { id: 'sql', label: 'SQL' },
    ...(props.history ? [{ id: 'history' as const, label: 'History' }] : []),
  ];

  return (
    <section className="editor" aria-label="Segment editor">
      <header className="editor-header">
        <div className="editor-title">
          <h2>{draft.name.trim() || (isNew ? 'New segment' : draft.key)}</h2>
          <span className={`status-chip ${props.dirty ? 'is-dirty' : isNew ? 'is-new' : 'is-saved'}`} role="status">
            {props.dirty ? 'Unsaved changes' : isNew ? 'Not saved yet' : 'Saved'}
          </span>
        </div>
        <div className="editor-actions">
          <Button variant="primary" onClick={props.onSave} disabled={props.saving} aria-label="Save segment" title="Save (Ctrl+S)">
            {props.saving ? 'Saving…' : 'Save'}
          </Button>
          <Button onClick={props.onRevert} disabled={!props.dirty} aria-label="Discard changes">
            Discard
          </Button>
          {!isNew && (
            <>
              <Button onClick={props.onDuplicate} aria-label="Duplicate segment">
                Duplicate
              </Button>
              <Button variant="danger" onClick={props.onDelete} aria-label="Delete segment">
                Delete
              </Button>
            </>
          )}
        </div>
      </header>

      <ErrorBanner error={props.saveError} action="Couldn't save" onDismiss={props.onDismissSaveError} showDetails={false} />

      <div className="meta-grid">
        <div className="field">
          <label htmlFor="segment-key">Key</label>
          <input
            id="segment-key"
            aria-label="Segment key"
            className="mono"
            value={draft.key}
            readOnly={!isNew}
            placeholder="e.g. beta-testers"
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => onDraftChange((d) => ({ ...d, key: e.target.value, edited: withEdited(d.edited, [segmentField('key')]) }))}
            {...invalidProps('segment-key', keyIssues)}
          />
          <FieldIssues id="segment-key-issues" issues={keyIssues} />
          {!isNew && <span className="hint">Fixed once saved — duplicate to use another key.</span>}
        </div>
        <div className="field">
          <label htmlFor="segment-name">Name</label>
          <input
            id="segment-name"
            aria-label="Segment name"
            value={draft.name}
            placeholder="e.g. Beta testers"
            autoComplete="off"
            onChange={(e) => onDraftChange((d) => withName(d, e.target.value))}
            {...invalidProps('segment-name', nameIssues)}
          />
          <FieldIssues id="segment-name-issues" issues={nameIssues} />
        </div>
        <div className="field field-wide">
          <label htmlFor="segment-description">Description</label>
          <textarea
            id="segment-description"
            aria-label="Description"
            rows={2}
            value={draft.description}
            placeholder="Who is in this segment, and why?"
            onChange={(e) =>
              onDraftChange((d) => ({ ...d, description: e.target.value, edited: withEdited(d.edited, [segmentField('description')]) }))
            }
            {...invalidProps('segment-description', descIssues)}
          />
          <FieldIssues id="segment-description-issues" issues={descIssues} />
        </div>
      </div>

      {(draft.touched || issues.all.length > 0 || (draft.edited.length > 0 && props.unshownIssues === 0)) && (
        <section className={`issue-summary ${issues.all.length ? 'has-issues' : 'is-clean'}`} aria-label="Validation issues">
          {issues.all.length === 0 ? (
            <p className="ok">{props.validating ? 'Checking…' : '✓ No problems found'}</p>
          ) : (
            <>
              <p>
                <strong>
                  {issues.all.length} {issues.all.length === 1 ? 'problem' : 'problems'} to fix
                </strong>{' '}
                {props.validating && <span className="muted">(checking…)</span>}
              </p>
              <ul>
                {issues.all.map((issue, i) => (
                  <li key={`${issue.path}-${issue.code}-${i}`}>
                    <button type="button" className="link" onClick={() => focusIssue(issue)} disabled={!issue.elementId}>
                      <span className="issue-location">{issue.location}</span>: {issue.message}
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      )}

      <AudienceStrip segment={segment} savedKey={draft.originalKey} operators={props.operators} />
      <SyncReadiness segment={segment} />

      <div className="tabs" role="tablist" aria-label="Editor views">
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={activeTab === t.id}
            aria-controls={`panel-${t.id}`}
            className={`tab${activeTab === t.id ? ' is-active' : ''}`}
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>

      <div className="tab-panel" role="tabpanel" id={`panel-${activeTab}`} aria-labelledby={`tab-${activeTab}`}>
        {activeTab === 'rules' && (
          <RuleBuilder
            query={draft.query}
            onChange={(updater) =>
              onDraftChange((d) => {
                const query = updater(d.query);
                return { ...d, query, edited: withEdited(d.edited, changedFields(d.query, query)) };
              })
            }
            operators={props.operators}
            segments={props.segments.filter((s) => s.key !== draft.key)}
            attributes={props.attributes}
            suggestions={props.suggestions}
            issues={issues}
            trace={props.trace}
          />
        )}
        {activeTab === 'json' && (
          <JsonView
            key={draft.loadId}
            segment={segment}
            lockedKey={draft.originalKey}
            onChange={(seg) => onDraftChange((d) => withSegment(d, seg, false))}
          />
        )}
        {activeTab === 'sql' && (
          <SqlPanel segment={segment}>
            <WarehouseCount savedKey={draft.originalKey} dirty={props.dirty} />
          </SqlPanel>
        )}
        {activeTab === 'history' && props.history}
      </div>
    </section>
  );
}
