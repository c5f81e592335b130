//! What a draft changes over a stored population: an instant estimate from the stored
//! sample, or the exact count over the file.

use std::sync::Mutex;

use segments_engine::{CompiledSet, Scratch, Segment, SegmentId};
use segments_population::{self as population, Control, ReadOptions};
use segments_store::Store;
use serde::Serialize;
use serde_json::Value;

use super::{EXAMPLES, PopulationsError, files::draft_set, fresh, lock};

/// What a draft would change over a population: an estimate from the stored sample
/// (instant), or the exact count over the file.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct DraftImpact {
    /// Users in the population.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub rows: u64,
    /// Users in the saved segment (0 for a new one).
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub before: u64,
    /// Users in the draft.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub after: u64,
    /// Users the draft adds.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub gained: u64,
    /// Users the draft drops.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub lost: u64,
    /// Whether the numbers are scaled up from a sample.
    pub estimate: bool,
    /// For an estimate, the 95% margin on `after` (±users); 0 when exact.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub margin: u64,
    /// Rows the numbers come from.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub sample_rows: u64,
    /// Up to [`EXAMPLES`] users the draft adds, as contexts.
    pub gained_examples: Vec<Value>,
    /// Up to [`EXAMPLES`] users the draft drops.
    pub lost_examples: Vec<Value>,
}

/// What `draft` changes against the saved segment `saved_key` (none for a new segment)
/// over population `id`.
pub fn draft_impact(
    store: &Mutex<Store>,
    id: &str,
    saved_key: Option<&str>,
    draft: &Segment,
    exact: bool,
    control: &Control<'_>,
) -> Result<DraftImpact, PopulationsError> {
    let population = fresh(store, id, control)?;
    let (set, before, after, sample) = {
        let store = lock(store);
        let (set, before, after) = draft_set(&store, saved_key, draft)?;
        let sample = if exact {
            Vec::new()
        } else {
            store.population_sample(id)?
        };
        (set, before, after, sample)
    };
    if exact {
        let i = population::impact(
            &population.path,
            &set,
            before,
            after,
            EXAMPLES,
            &ReadOptions::default(),
            control,
        )?;
        return Ok(DraftImpact {
            rows: i.rows,
            before: i.before,
            after: i.after,
            gained: i.gained,
            lost: i.lost,
            estimate: false,
            margin: 0,
            sample_rows: i.rows,
            gained_examples: i.gained_examples,
            lost_examples: i.lost_examples,
        });
    }
    Ok(estimate(&set, before, after, &sample, population.rows))
}

/// Scales the sample's counts to the population, with a 95% margin (normal approximation;
/// the rule of three when the sample saw none or all).
fn estimate(
    set: &CompiledSet,
    before: SegmentId,
    after: SegmentId,
    sample: &[Value],
    rows: u64,
) -> DraftImpact {
    let mut scratch: Scratch = set.scratch();
    let mut out = Vec::with_capacity(2);
    let (mut b, mut a, mut g, mut l) = (0u64, 0u64, 0u64, 0u64);
    let (mut gained_examples, mut lost_examples) = (Vec::new(), Vec::new());
    for row in sample {
        set.evaluate_many(&[before, after], row, &mut scratch, &mut out);
        b += u64::from(out[0]);
        a += u64::from(out[1]);
        if out[1] && !out[0] {
            g += 1;
            if gained_examples.len() < EXAMPLES {
                gained_examples.push(row.clone());
            }
        } else if out[0] && !out[1] {
            l += 1;
            if lost_examples.len() < EXAMPLES {
                lost_examples.push(row.clone());
            }
        }
    }
    let n = sample.len() as u64;
    let exact = n >= rows;
    #[allow(
        clippy::cast_precision_loss,
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss
    )]
    let scale = |k: u64| -> u64 {
        if n == 0 || exact {
            k
        } else {
            (k as f64 * rows as f64 / n as f64).round() as u64
        }
    };
    #[allow(
        clippy::cast_precision_loss,
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss
    )]
    let margin = if n == 0 || exact {
        0
    } else {
        let p = a as f64 / n as f64;
        let sd = if a == 0 || a == n {
            3.0 / n as f64
        } else {
            1.96 * (p * (1.0 - p) / n as f64).sqrt()
        };
        (sd * rows as f64).round() as u64
    };
    DraftImpact {
        rows,
        before: scale(b),
        after: scale(a),
        gained: scale(g),
        lost: scale(l),
        estimate: !exact,
        margin,
        sample_rows: n,
        gained_examples,
        lost_examples,
    }
}
