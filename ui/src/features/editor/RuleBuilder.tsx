import { useId, useMemo } from 'react';
import { QueryBuilder, generateID, update } from 'react-querybuilder';
import type { Classname, ControlElementsProp, FullField, RuleGroupTypeAny, RuleType } from 'react-querybuilder';
import 'react-querybuilder/dist/query-builder.css';
import type { OperatorInfo, TraceNode } from '../../lib/backend/bindings';
import { isMatchType, parsePath } from '../../lib/segments';
import type { BuilderContext, SegmentChoice } from './builder-context';
import {
  AddGroupAction,
  AddRuleAction,
  CloneGroupAction,
  CloneRuleAction,
  RemoveGroupAction,
  RemoveRuleAction,
  ShiftActions,
} from './builder-controls/actions';
import { RuleGroupWithCombinator, RuleWithCombinator } from './builder-controls/between-rules';
import { CombinatorSelector, FieldSelector, OperatorSelector } from './builder-controls/selectors';
import { ValueEditor } from './builder-controls/value-editors';
import { isBuilderGroup, pathsById, ruleAtPath } from './convert';
import type { BuilderGroup, BuilderRule } from './convert';
import type { IssueIndex } from './issues';
import { NO_SUGGESTIONS } from './suggestions';
import type { Suggestions } from './suggestions';
import './rule-builder.css';

const COMBINATORS = [
  { name: 'all', label: 'All of' },
  { name: 'any', label: 'Any of' },
  { name: 'none', label: 'None of' },
];

const CONTROLS: ControlElementsProp<FullField, string> = {
  combinatorSelector: CombinatorSelector,
  fieldSelector: FieldSelector,
  operatorSelector: OperatorSelector,
  valueEditor: ValueEditor,
  addRuleAction: AddRuleAction,
  addGroupAction: AddGroupAction,
  removeRuleAction: RemoveRuleAction,
  removeGroupAction: RemoveGroupAction,
  cloneRuleAction: CloneRuleAction,
  cloneGroupAction: CloneGroupAction,
  shiftActions: ShiftActions,
  rule: RuleWithCombinator,
  ruleGroup: RuleGroupWithCombinator,
  dragHandle: null,
  notToggle: null,
  lockRuleAction: null,
  lockGroupAction: null,
  muteRuleAction: null,
  muteGroupAction: null,
};

function newEmptyRule(): BuilderRule {
  return { id: generateID(), field: '', operator: 'eq', value: [] };
}

function traceIndex(trace: TraceNode | null | undefined): Map<string, TraceNode> {
  const out = new Map<string, TraceNode>();
  const walk = (n: TraceNode) => {
    const parsed = parsePath(n.path);
    if (parsed) out.set(parsed.rulePath.join('.'), n);
    if (n.kind === 'group') n.children.forEach(walk);
  };
  if (trace) walk(trace);
  return out;
}

type Props = {
  query: BuilderGroup;
  onChange: (updater: (q: BuilderGroup) => BuilderGroup) => void;
  operators: OperatorInfo[];
  segments: SegmentChoice[];
  attributes: string[];
  issues: IssueIndex;
  trace: TraceNode | null | undefined;
  /** Types and frequent values of attributes, from the populations' files. */
  suggestions?: Suggestions;
};

/** The visual rule builder (react-querybuilder) for one segment's rules. */
export function RuleBuilder({ query, onChange, operators, segments, attributes, issues, trace, suggestions = NO_SUGGESTIONS }: Props) {
  const attributeListId = useId();
  const valueLists = useMemo(
    () => new Map([...suggestions.values.keys()].map((a, i) => [a, `${attributeListId}-values-${i}`])),
    [suggestions, attributeListId],
  );
  const names = useMemo(() => [...new Set([...attributes, ...suggestions.hints.keys()])].sort(), [attributes, suggestions]);
  const rqbOperators = useMemo(
    () => operators.map((o) => ({ name: o.operator, value: o.operator, label: o.label })),
    [operators],
  );
  const operatorMap = useMemo(() => new Map(operators.map((o) => [o.operator as string, o])), [operators]);
  const traces = useMemo(() => traceIndex(trace), [trace]);
  const paths = useMemo(() => pathsById(query), [query]);

  const context: BuilderContext = {
    operators,
    operatorMap,
    segments,
    isBoolean: (attribute) => suggestions.booleans.has(attribute),
    issues,
    matchTypeAt: (path) => {
      const group = ruleAtPath(query, path);
      return group && isBuilderGroup(group) && isMatchType(group.combinator) ? group.combinator : 'all';
    },
    traceAt: (path) => traces.get(path.join('.')),
    patch: (path, values) => onChange((q) => update(q, values, [...path], { resetOnFieldChange: false })),
    attributeListId,
    valueListId: (attribute) => valueLists.get(attribute),
  };

  const ruleClass = (id: string | undefined): Classname => {
    const classes: string[] = [];
    if (id && issues.byRuleId.has(id)) classes.push('has-issues');
    const path = id ? paths.get(id) : undefined;
    const node = path ? traces.get(path.join('.')) : undefined;
    if (node) classes.push(node.matched ? 'trace-pass' : 'trace-fail');
    return classes.join(' ');
  };

  return (
    <div className="rule-builder">
      <datalist id={attributeListId}>
        {names.map((a) => (
          <option key={a} value={a} label={suggestions.hints.get(a)} />
        ))}
      </datalist>
      {[...valueLists].map(([attribute, id]) => (
        <datalist key={id} id={id}>
          {(suggestions.values.get(attribute) ?? []).map((v) => (
            <option key={v} value={v} />
          ))}
        </datalist>
      ))}
      <QueryBuilder
        query={query}
        onQueryChange={(q: BuilderGroup) => onChange(() => q)}
        operators={rqbOperators}
        combinators={COMBINATORS}
        controlElements={CONTROLS}
        context={context}
        resetOnFieldChange={false}
        resetOnOperatorChange={false}
        showShiftActions
        showCloneButtons
        onAddRule={(rule: RuleType) => ({ ...rule, ...newEmptyRule(), id: rule.id ?? generateID() })}
        onAddGroup={(group: RuleGroupTypeAny) => ({ ...group, combinator: 'all', rules: [newEmptyRule()] }) as BuilderGroup}
        getRuleClassname={(rule: RuleType) => ruleClass(rule.id)}
        getRuleGroupClassname={(group: RuleGroupTypeAny) => ruleClass(group.id)}
      />
    </div>
  );
}
