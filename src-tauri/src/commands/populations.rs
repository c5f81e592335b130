//! Populations: files of real users, added once, then counted for audience sizes, overlaps
//! and what a draft would gain or lose. Each count is a run the UI names, so it can cancel it.

use std::path::Path;
use std::sync::{Arc, Mutex};

use segments_population::{Control, ReadProgress};
use segments_store::{Store, StoredPopulation};
use segments_studio::parse_draft;
use segments_studio::populations::{self, Audience, DraftImpact, PopulationsError};
use serde_json::Value;

use crate::commands::Progress;
use crate::error::IpcError;
use crate::state::AppState;

/// The populations added, newest first as the store lists them.
pub async fn list_populations(state: &AppState) -> Result<Vec<StoredPopulation>, IpcError> {
    let store = state.shared_store();
    blocking(move || populations::list(&store)).await
}

/// Reads the file at `path` once (rows, attributes, a sample for estimates) and keeps it as a
/// population, reporting rows read as it goes. Cancelled, it stores nothing.
pub async fn add_population(
    state: &AppState,
    path: String,
    name: Option<String>,
    run: String,
    progress: Progress<ReadProgress>,
) -> Result<StoredPopulation, IpcError> {
    cancellable(state, &run, Some(progress), move |store, control| {
        populations::add(store, Path::new(&path), name.as_deref(), control)
    })
    .await
}

/// Forgets a population (the file stays where it is).
pub async fn remove_population(state: &AppState, id: String) -> Result<StoredPopulation, IpcError> {
    let store = state.shared_store();
    blocking(move || populations::remove(&store, &id)).await
}

/// How many users of the population are in each segment of `keys` (every saved segment when
/// empty), and with `overlap`, in both of every pair.
pub async fn population_audience(
    state: &AppState,
    id: String,
    keys: Vec<String>,
    overlap: bool,
    run: String,
) -> Result<Audience, IpcError> {
    cancellable(state, &run, None, move |store, control| {
        populations::audience(store, &id, &keys, overlap, control)
    })
    .await
}

/// What saving `draft` over segment `key` (none for a new segment) would change in the
/// population: a quick estimate from its sample, or an exact pass over the file.
pub async fn draft_impact(
    state: &AppState,
    id: String,
    key: Option<String>,
    draft: Value,
    exact: bool,
    run: String,
) -> Result<DraftImpact, IpcError> {
    let draft = parse_draft(&draft)?;
    cancellable(state, &run, None, move |store, control| {
        populations::draft_impact(store, &id, key.as_deref(), &draft, exact, control)
    })
    .await
}

/// Asks run `run` to stop; false when it is not running (finished, or never started). The
/// run itself then fails with `cancelled`.
pub async fn cancel_run(state: &AppState, run: String) -> Result<bool, IpcError> {
    Ok(state.cancel_run(&run))
}

/// Runs `work` on a blocking thread: it locks the store only as briefly as it needs.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, PopulationsError> + Send + 'static,
) -> Result<T, IpcError> {
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result.map_err(IpcError::from),
        Err(e) => Err(IpcError::internal(format!("the command stopped: {e}"))),
    }
}

/// Runs `work` as run `run`: registered for its whole duration (so `cancel_run` can stop it),
/// reporting to `progress` when given.
async fn cancellable<T: Send + 'static>(
    state: &AppState,
    run: &str,
    progress: Option<Progress<ReadProgress>>,
    work: impl FnOnce(&Mutex<Store>, &Control<'_>) -> Result<T, PopulationsError> + Send + 'static,
) -> Result<T, IpcError> {
    let registered = state.start_run(run)?;
    let cancel = Arc::clone(&registered.cancel);
    let store = state.shared_store();
    let result = blocking(move || {
        let report = move |p: ReadProgress| {
            if let Some(progress) = &progress {
                progress.report(p);
            }
        };
        work(
            &store,
            &Control {
                cancel: &cancel,
                progress: &report,
            },
        )
    })
    .await;
    drop(registered);
    result
}
