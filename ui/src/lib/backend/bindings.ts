// IPC types shared with the Rust backend.
//
// This file will be REPLACED by a file generated from the Rust types with the
// same names and shapes. Keep every IPC type here, with exactly these names and
// snake_case fields, and import IPC types only from this module.

export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };

export type MatchType = "all" | "any" | "none";

export type Operator =
  | "eq"
  | "neq"
  | "in"
  | "not_in"
  | "contains"
  | "not_contains"
  | "starts_with"
  | "ends_with"
  | "gt"
  | "gte"
  | "lt"
  | "lte"
  | "matches"
  | "exists"
  | "not_exists"
  | "semver_eq"
  | "semver_neq"
  | "semver_gt"
  | "semver_gte"
  | "semver_lt"
  | "semver_lte"
  | "before"
  | "after"
  | "in_segment"
  | "not_in_segment";

export type Condition = { attribute: string; operator: Operator; values: JsonValue[]; case_insensitive?: boolean };

export type Group = { match_type: MatchType; rules: Rule[] };

/** A Group has `rules`, a Condition has `attribute`. */
export type Rule = Condition | Group;

export type Segment = { key: string; name: string; description: string; match_type: MatchType; rules: Rule[] };

export type SegmentSummary = {
  key: string;
  name: string;
  description: string;
  match_type: MatchType;
  condition_count: number;
  attributes: string[];
  updated_at: string;
};

export type RevisionAction = "create" | "update" | "delete" | "restore" | "import";

export type Revision = {
  id: number;
  segment_key: string;
  action: RevisionAction;
  author: string;
  created_at: string;
  previous: Segment | null;
  current: Segment | null;
};

export type Persona = { id: number; name: string; context: JsonValue; updated_at: string };

export type ValueKind = "none" | "string" | "number" | "regex" | "semver" | "date" | "segment" | "scalar";

/** multi=false & value_kind "none" for exists/not_exists */
export type OperatorInfo = {
  operator: Operator;
  label: string;
  value_kind: ValueKind;
  multi: boolean;
  negated: boolean;
  aliases: string[];
};

/** path like "key", "rules[1].rules[0].values[2]" */
export type ValidationIssue = { path: string; code: string; message: string };

/** codes: "validation", "not_found", "conflict", "invalid_json", "too_large", "reference", "storage", "internal" */
export type IpcError = { code: string; message: string; details: ValidationIssue[] };

export type TraceReason =
  | "matched"
  | "no_value_matched"
  | "attribute_missing"
  | "attribute_null"
  | "not_a_number"
  | "not_a_semver"
  | "not_a_date"
  | "type_mismatch"
  | "negated";

export type TraceNode =
  | { kind: "group"; path: string; match_type: MatchType; matched: boolean; children: TraceNode[] }
  | {
      kind: "condition";
      path: string;
      attribute: string;
      operator: Operator;
      values: JsonValue[];
      actual: JsonValue | null;
      present: boolean;
      matched: boolean;
      reason: TraceReason;
      message: string;
    };

/** trace = root group (path "") */
export type Explanation = { key: string; matched: boolean; trace: TraceNode };

export type SegmentMatch = { key: string; name: string; matched: boolean };

export type ImportReport = { created: string[]; updated: string[] };
