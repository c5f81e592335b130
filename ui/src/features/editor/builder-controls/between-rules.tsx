// The match type's word between sibling rows ("AND", "OR", "NOT-ANY"), read-only: the group's
// header select is where it changes. rqb's own `showCombinatorsBetweenRules` would move that
// select between the rows, so the rule and group elements are wrapped instead.
import { Rule, RuleGroup } from 'react-querybuilder';
import type { RuleGroupProps, RuleProps } from 'react-querybuilder';
import type { MatchType } from '../../../lib/backend/bindings';
import { builderContext } from '../builder-context';

export const BETWEEN_RULES_WORDS: Record<MatchType, string> = {
  all: 'AND',
  any: 'OR',
  none: 'NOT-ANY',
};

function BetweenRules({ path, context }: { path: readonly number[]; context: unknown }) {
  if (path.length === 0 || path[path.length - 1] === 0) return null;
  const matchType = builderContext(context).matchTypeAt(path.slice(0, -1));
  const word = BETWEEN_RULES_WORDS[matchType] ?? matchType;
  return (
    <div className="between-rules" role="separator" aria-label={word}>
      {word}
    </div>
  );
}

export function RuleWithCombinator(props: RuleProps) {
  return (
    <>
      <BetweenRules path={props.path} context={props.context} />
      <Rule {...props} />
    </>
  );
}

export function RuleGroupWithCombinator(props: RuleGroupProps) {
  return (
    <>
      <BetweenRules path={props.path} context={props.context} />
      <RuleGroup {...props} />
    </>
  );
}
