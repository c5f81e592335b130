import type { UpdateValueMap } from 'react-querybuilder';
import type { MatchType, Operator, OperatorInfo, TraceNode } from '../../lib/backend/bindings';
import type { IssueIndex } from './issues';

/** A segment a condition can refer to. */
export type SegmentChoice = { key: string; name: string };

/** Passed to every custom react-querybuilder control through its `context` prop. */
export type BuilderContext = {
  operators: OperatorInfo[];
  operatorMap: Map<Operator | string, OperatorInfo>;
  /** Existing segments (for in_segment), without the one being edited. */
  segments: SegmentChoice[];
  /** Whether an attribute holds true/false (the populations' files or the what-if context say so). */
  isBoolean: (attribute: string) => boolean;
  issues: IssueIndex;
  /** Trace node at an rqb path, from the latest what-if evaluation. */
  traceAt: (path: readonly number[]) => TraceNode | undefined;
  /** The match type of the group at an rqb path. */
  matchTypeAt: (path: readonly number[]) => MatchType;
  /** Update several props of the rule/group at `path` in one step. */
  patch: (path: readonly number[], values: UpdateValueMap) => void;
  attributeListId: string;
  /** The id of the datalist of frequent values of `attribute`, if a population has them. */
  valueListId: (attribute: string) => string | undefined;
};

export function builderContext(ctx: unknown): BuilderContext {
  return ctx as BuilderContext;
}
