import type { ReactNode } from 'react';
import type { ActionProps, ShiftActionsProps } from 'react-querybuilder';
import { conditionName, groupName } from './accessible-names';

type ActionKind = 'addRule' | 'addGroup' | 'removeRule' | 'removeGroup' | 'cloneRule' | 'cloneGroup';

function actionName(kind: ActionKind, path: readonly number[]): string {
  const root = path.length === 0;
  switch (kind) {
    case 'addRule':
      return root ? 'Add condition' : `Add condition to ${groupName(path).toLowerCase()}`;
    case 'addGroup':
      return root ? 'Add group' : `Add group to ${groupName(path).toLowerCase()}`;
    case 'removeRule':
      return `Remove ${conditionName(path).toLowerCase()}`;
    case 'removeGroup':
      return `Remove ${groupName(path).toLowerCase()}`;
    case 'cloneRule':
      return `Duplicate ${conditionName(path).toLowerCase()}`;
    case 'cloneGroup':
      return `Duplicate ${groupName(path).toLowerCase()}`;
  }
}

const CopyIcon = (
  <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
    <rect x="5" y="5" width="9" height="9" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
    <path d="M3 11V3.5A1.5 1.5 0 0 1 4.5 2H11" fill="none" stroke="currentColor" strokeWidth="1.5" />
  </svg>
);

const ACTION_TEXT: Record<ActionKind, ReactNode> = {
  addRule: '+ Condition',
  addGroup: '+ Group',
  removeRule: '✕',
  removeGroup: '✕',
  cloneRule: CopyIcon,
  cloneGroup: CopyIcon,
};

function makeAction(kind: ActionKind) {
  function Action(props: ActionProps) {
    const name = actionName(kind, props.path);
    const isAdd = kind === 'addRule' || kind === 'addGroup';
    return (
      <button
        type="button"
        className={`btn btn-sm ${isAdd ? 'btn-secondary' : 'btn-ghost'} rqb-action rqb-action-${kind}`}
        aria-label={name}
        title={name}
        disabled={props.disabled}
        onClick={(e) => props.handleOnClick(e)}
      >
        {ACTION_TEXT[kind]}
      </button>
    );
  }
  Action.displayName = `${kind}Action`;
  return Action;
}

export const AddRuleAction = makeAction('addRule');
export const AddGroupAction = makeAction('addGroup');
export const RemoveRuleAction = makeAction('removeRule');
export const RemoveGroupAction = makeAction('removeGroup');
export const CloneRuleAction = makeAction('cloneRule');
export const CloneGroupAction = makeAction('cloneGroup');

export function ShiftActions(props: ShiftActionsProps) {
  const isGroup = 'rules' in props.ruleOrGroup;
  const name = (isGroup ? groupName(props.path) : conditionName(props.path)).toLowerCase();
  return (
    <span className="shift-actions">
      <button
        type="button"
        className="btn btn-sm btn-ghost"
        aria-label={`Move ${name} up`}
        title={`Move ${name} up`}
        disabled={props.disabled || props.shiftUpDisabled}
        onClick={(e) => props.shiftUp(e)}
      >
        ↑
      </button>
      <button
        type="button"
        className="btn btn-sm btn-ghost"
        aria-label={`Move ${name} down`}
        title={`Move ${name} down`}
        disabled={props.disabled || props.shiftDownDisabled}
        onClick={(e) => props.shiftDown(e)}
      >
        ↓
      </button>
    </span>
  );
}
