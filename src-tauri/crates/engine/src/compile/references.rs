//! Checks on the graph of `in_segment` references: no cycles, no over-long chains.

use std::collections::HashMap;

use super::SegmentId;
use crate::error::{IssueCode, ValidationIssue};
use crate::limits::MAX_REFERENCE_DEPTH;
use crate::model::Segment;

/// Cycles and over-long chains of `in_segment` references.
///
/// Kahn's algorithm over "references" edges, iteratively: a recursive walk could overflow the
/// stack on a long chain of segments.
pub(super) fn reference_issues(
    segments: &[Segment],
    index: &HashMap<String, SegmentId>,
) -> Vec<ValidationIssue> {
    let refs: Vec<Vec<usize>> = segments
        .iter()
        .map(|s| {
            s.referenced_keys()
                .into_iter()
                .filter_map(|k| index.get(k).map(|id| id.0))
                .collect()
        })
        .collect();
    let mut referrers = vec![Vec::new(); segments.len()];
    for (from, targets) in refs.iter().enumerate() {
        for &to in targets {
            referrers[to].push(from);
        }
    }
    let mut pending: Vec<usize> = refs.iter().map(Vec::len).collect();
    let mut depth = vec![0usize; segments.len()];
    let mut ready: Vec<usize> = (0..segments.len()).filter(|&i| pending[i] == 0).collect();
    let mut done = vec![false; segments.len()];
    let mut issues = Vec::new();
    while let Some(node) = ready.pop() {
        done[node] = true;
        depth[node] = refs[node].iter().map(|&t| depth[t] + 1).max().unwrap_or(0);
        if depth[node] > MAX_REFERENCE_DEPTH {
            issues.push(
                ValidationIssue::new(
                    "rules",
                    IssueCode::TooDeep,
                    format!("in_segment references chain {} segments deep; the limit is {MAX_REFERENCE_DEPTH}", depth[node]),
                )
                .in_segment(&segments[node].key),
            );
        }
        for &referrer in &referrers[node] {
            pending[referrer] -= 1;
            if pending[referrer] == 0 {
                ready.push(referrer);
            }
        }
    }
    // Every segment left references another one left, so walking references from any of
    // them must come back to a segment already seen: that loop is a cycle.
    if let Some(start) = done.iter().position(|d| !d) {
        let mut seen = vec![usize::MAX; segments.len()];
        let mut trail = Vec::new();
        let mut node = start;
        while seen[node] == usize::MAX {
            seen[node] = trail.len();
            trail.push(node);
            node = refs[node]
                .iter()
                .copied()
                .find(|&t| !done[t])
                .unwrap_or(node);
        }
        let cycle: Vec<&str> = trail[seen[node]..]
            .iter()
            .chain(std::iter::once(&node))
            .map(|&i| segments[i].key.as_str())
            .collect();
        for &member in &trail[seen[node]..] {
            issues.push(
                ValidationIssue::new(
                    "rules",
                    IssueCode::ReferenceCycle,
                    format!(
                        "in_segment references form a cycle ({}); remove one of these references",
                        cycle.join(" → ")
                    ),
                )
                .in_segment(&segments[member].key),
            );
        }
    }
    issues
}
