//! The one planner: what pushing one outbox entry comes to, decided from the local segment,
//! the merge base and the remote's copy. Push carries the step out; the dry run reports it.
//! Both call [`plan`], so "the preview is what push will do" holds by construction.
//!
//! Pure: no store, no network. When the remote's copy matters and the caller has not read
//! it, the step says so ([`Step::Fetch`]) and the caller plans again with the copy.

use segments_engine::Segment;
use segments_store::ConflictKind;
use serde_json::Value;

use crate::Dialect;
use crate::dialect::Wire;
use crate::dialect::differing;
use crate::merge::{Merge, merge};

/// What the caller knows of the remote's copy of a segment.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Remote<'a> {
    /// Not read yet.
    Unknown,
    /// The remote has no copy (for an unbound segment: none with the same identity).
    Absent,
    /// The remote's copy, read in canonical form.
    Copy(&'a Segment),
}

/// What to do with one outbox entry.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Step {
    /// The remote's copy decides the step: read it, then plan again.
    Fetch,
    /// Nothing to send: nothing the remote would see changed. The entry is done and the
    /// binding's base becomes the local segment (or goes, when there is none).
    Settle,
    /// Create the segment with this body.
    Create {
        /// The request body.
        body: Value,
    },
    /// Update the remote's copy to `send` with this body.
    Update {
        /// What the remote will hold: the local segment, or a merge with the remote's edits.
        send: Segment,
        /// The request body (only the changed fields where the dialect updates partially).
        body: Value,
        /// `send` is a merge, to be saved locally before it is sent.
        merged: bool,
    },
    /// Delete the remote's copy.
    Delete,
    /// The remote's copy is already gone: forget the binding.
    Forget,
    /// The remote already holds what this database holds: bind the two.
    Link,
    /// Changed on both sides: wait for the user.
    Conflict(ConflictKind),
    /// The dialect cannot express the segment: these constructs.
    Refuse(Vec<String>),
}

/// Plans the push of one segment to a remote speaking `dialect` (`project`: its project id,
/// for bodies that carry it). `mine` is the local segment (none: deleted here), `base` the
/// document both sides last agreed on (none: never synced), `remote` what the remote holds.
pub(crate) fn plan(
    dialect: Dialect,
    project: Option<&str>,
    mine: Option<&Segment>,
    base: Option<&Segment>,
    remote: Remote<'_>,
) -> Step {
    match (mine, base) {
        (None, None) => Step::Settle,
        (None, Some(base)) => match remote {
            Remote::Unknown => Step::Fetch,
            Remote::Absent => Step::Forget,
            Remote::Copy(theirs) if same(dialect, theirs, base) => Step::Delete,
            Remote::Copy(_) => Step::Conflict(ConflictKind::DeletedHere),
        },
        (Some(mine), None) => {
            // What cannot be expressed is refused before anything is read or linked.
            let body = match dialect.encode(mine, project, false) {
                Ok(body) => body,
                Err(problems) => return Step::Refuse(problems),
            };
            match remote {
                Remote::Unknown => Step::Fetch,
                Remote::Absent => Step::Create { body },
                Remote::Copy(theirs) => match differing(dialect, mine, theirs) {
                    fields if fields.is_empty() => Step::Link,
                    // Both sides created it, differently: neither overwrites the other.
                    fields => Step::Conflict(ConflictKind::Fields(fields)),
                },
            }
        }
        // Nothing the remote would see changed (a local-only spelling, or an undo).
        (Some(mine), Some(base)) if same(dialect, mine, base) => Step::Settle,
        (Some(mine), Some(base)) => {
            if let Err(problems) = dialect.encode(mine, None, true) {
                return Step::Refuse(problems);
            }
            match remote {
                Remote::Unknown => Step::Fetch,
                Remote::Absent => Step::Conflict(ConflictKind::DeletedThere),
                Remote::Copy(theirs) if same(dialect, theirs, base) => {
                    update(dialect, mine.clone(), theirs, false)
                }
                Remote::Copy(theirs) if same(dialect, theirs, mine) => Step::Link,
                Remote::Copy(theirs) => match merge(dialect, base, mine, theirs) {
                    Merge::Clean(merged) => update(dialect, merged, theirs, true),
                    Merge::Conflict(fields) => Step::Conflict(ConflictKind::Fields(fields)),
                },
            }
        }
    }
}

fn update(dialect: Dialect, send: Segment, theirs: &Segment, merged: bool) -> Step {
    match dialect.encode_update(&send, theirs) {
        Ok(body) => Step::Update { send, body, merged },
        Err(problems) => Step::Refuse(problems),
    }
}

/// Equal as the remote would hold them.
fn same(dialect: Dialect, a: &Segment, b: &Segment) -> bool {
    differing(dialect, a, b).is_empty()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

    use segments_engine::parse_segment;
    use segments_store::Field;
    use serde_json::json;

    use super::*;

    fn segment(name: &str, plan: &str) -> Segment {
        parse_segment(&json!({
            "key": "s", "name": name,
            "rules": [{"attribute": "plan", "operator": "eq", "values": [plan]}]
        }))
        .unwrap()
    }

    const D: Dialect = Dialect::Edgeflags;

    #[test]
    fn every_combination_of_sides_has_one_step() {
        let (a, b, c) = (
            segment("A", "pro"),
            segment("B", "pro"),
            segment("A", "free"),
        );
        let copy = Remote::Copy;
        // Never synced.
        assert_eq!(plan(D, None, None, None, Remote::Unknown), Step::Settle);
        assert_eq!(plan(D, None, Some(&a), None, Remote::Unknown), Step::Fetch);
        assert!(matches!(
            plan(D, None, Some(&a), None, Remote::Absent),
            Step::Create { .. }
        ));
        assert_eq!(plan(D, None, Some(&a), None, copy(&a)), Step::Link);
        assert_eq!(
            plan(D, None, Some(&a), None, copy(&b)),
            Step::Conflict(ConflictKind::Fields(vec![Field::Name]))
        );
        // Deleted here.
        assert_eq!(plan(D, None, None, Some(&a), Remote::Unknown), Step::Fetch);
        assert_eq!(plan(D, None, None, Some(&a), Remote::Absent), Step::Forget);
        assert_eq!(plan(D, None, None, Some(&a), copy(&a)), Step::Delete);
        assert_eq!(
            plan(D, None, None, Some(&a), copy(&b)),
            Step::Conflict(ConflictKind::DeletedHere)
        );
        // Edited here.
        assert_eq!(
            plan(D, None, Some(&a), Some(&a), Remote::Unknown),
            Step::Settle
        );
        assert_eq!(
            plan(D, None, Some(&b), Some(&a), Remote::Unknown),
            Step::Fetch
        );
        assert_eq!(
            plan(D, None, Some(&b), Some(&a), Remote::Absent),
            Step::Conflict(ConflictKind::DeletedThere)
        );
        assert!(matches!(
            plan(D, None, Some(&b), Some(&a), copy(&a)),
            Step::Update { merged: false, .. }
        ));
        assert_eq!(plan(D, None, Some(&b), Some(&a), copy(&b)), Step::Link);
        // Both edited, different fields: merged, and the merge is what is sent.
        let Step::Update { send, merged, .. } = plan(D, None, Some(&b), Some(&a), copy(&c)) else {
            panic!("a clean merge updates")
        };
        assert_eq!((send, merged), (segment("B", "free"), true));
        // Both edited the same field differently.
        let d = segment("D", "pro");
        assert_eq!(
            plan(D, None, Some(&b), Some(&a), copy(&d)),
            Step::Conflict(ConflictKind::Fields(vec![Field::Name]))
        );
    }

    #[test]
    fn what_the_dialect_cannot_say_is_refused_before_anything_is_read() {
        let any = parse_segment(&json!({"key": "s", "match_type": "any", "rules": [
            {"attribute": "plan", "operator": "eq", "values": ["pro"]}]}))
        .unwrap();
        assert!(matches!(
            plan(D, None, Some(&any), None, Remote::Unknown),
            Step::Refuse(_)
        ));
        let base = segment("A", "pro");
        assert!(matches!(
            plan(D, None, Some(&any), Some(&base), Remote::Unknown),
            Step::Refuse(_)
        ));
    }
}
