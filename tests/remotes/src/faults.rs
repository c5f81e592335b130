//! Switchable faults and request statistics, applied by one middleware around every route.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State as AxumState};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::errors::ApiError;
use crate::server::ConnectionKill;
use crate::state::Shared;

/// The faults a server injects. Every request draws from a pseudo-random sequence seeded by
/// `seed` (reset by each [`crate::FakeRemote::set_faults`]), so a test that sends its requests
/// one after another sees the same faults on every run.
#[derive(Clone, Debug, PartialEq)]
pub struct Faults {
    /// Share of requests (0.0 – 1.0) answered `500` without being handled.
    pub error_rate: f64,
    /// Share of requests answered `429` with `Retry-After: retry_after_secs`, without being
    /// handled. Drawn from the same number as `error_rate`, so the two shares add up.
    pub rate_limit_rate: f64,
    /// The `Retry-After` of injected `429`s, in whole seconds (HTTP allows no fractions); 0 is
    /// allowed and means "retry now".
    pub retry_after_secs: u32,
    /// Share of successful writes (POST, PUT, PATCH, DELETE answered 2xx) whose response is
    /// never sent: the write is applied, then the connection is closed.
    pub drop_after_write_rate: f64,
    /// Wait this long before handling each request.
    pub delay: Option<Duration>,
    /// Seed of the pseudo-random draws.
    pub seed: u64,
}

impl Faults {
    /// No faults: every request is handled at once.
    pub fn none() -> Faults {
        Faults {
            error_rate: 0.0,
            rate_limit_rate: 0.0,
            retry_after_secs: 1,
            drop_after_write_rate: 0.0,
            delay: None,
            seed: 0,
        }
    }
}

impl Default for Faults {
    fn default() -> Faults {
        Faults::none()
    }
}

/// What a server has seen since it started. Calls on [`crate::FakeRemote`] itself (`insert`,
/// `edit_remotely`, …) are not requests and are not counted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// HTTP requests received, faulted ones included.
    pub requests: u64,
    /// Writes that changed the server's state (2xx POST, PUT, PATCH, DELETE), including those
    /// whose response was then dropped.
    pub writes_applied: u64,
    /// Responses sent, by status code (dropped responses are not here).
    pub statuses: BTreeMap<u16, u64>,
    /// Faults injected, by kind.
    pub faults: FaultCounts,
}

impl Stats {
    /// How many responses had this status.
    pub fn status(&self, status: u16) -> u64 {
        self.statuses.get(&status).copied().unwrap_or(0)
    }
}

/// Injected faults by kind.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FaultCounts {
    /// `500`s injected.
    pub server_errors: u64,
    /// `429`s injected.
    pub rate_limited: u64,
    /// Writes applied whose connection was then closed without a response.
    pub dropped_after_write: u64,
    /// Requests held back by `delay`.
    pub delayed: u64,
}

/// What the middleware decided for one request before handling it.
enum Verdict {
    Handle,
    ServerError,
    RateLimited(u32),
}

/// The fault middleware: counts the request, delays it, maybe answers 500/429 in place of the
/// handler, and after a successful write maybe closes the connection instead of answering.
pub(crate) async fn inject(
    AxumState(shared): AxumState<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let is_write = matches!(
        *request.method(),
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    );
    let kill = request.extensions().get::<ConnectionKill>().cloned();
    let (dialect, delay, verdict) = {
        let mut state = shared.lock();
        state.stats.requests += 1;
        let draw = state.fault_rng.next_unit();
        let faults = &state.faults;
        let verdict = if draw < faults.error_rate {
            Verdict::ServerError
        } else if draw < faults.error_rate + faults.rate_limit_rate {
            Verdict::RateLimited(faults.retry_after_secs)
        } else {
            Verdict::Handle
        };
        let delay = faults.delay;
        if delay.is_some() {
            state.stats.faults.delayed += 1;
        }
        (state.dialect, delay, verdict)
    };
    if let Some(delay) = delay {
        tokio::time::sleep(delay).await;
    }

    let response = match verdict {
        Verdict::ServerError => {
            shared.lock().stats.faults.server_errors += 1;
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal_error",
                "injected fault: internal server error",
            )
            .render(dialect)
        }
        Verdict::RateLimited(retry_after) => {
            shared.lock().stats.faults.rate_limited += 1;
            let mut response = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!("injected fault: rate limited, retry after {retry_after} s"),
            )
            .render(dialect);
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
            response
        }
        Verdict::Handle => {
            let response = next.run(request).await;
            if is_write
                && response.status().is_success()
                && applied_write_dropped(&shared)
                && let Some(kill) = kill
            {
                kill.close();
                // The connection task drops this future along with the connection.
                std::future::pending::<()>().await;
            }
            response
        }
    };
    *shared
        .lock()
        .stats
        .statuses
        .entry(response.status().as_u16())
        .or_default() += 1;
    response
}

/// Counts an applied write and draws whether its response is to be dropped.
fn applied_write_dropped(shared: &Shared) -> bool {
    let mut state = shared.lock();
    state.stats.writes_applied += 1;
    let dropped = state.fault_rng.next_unit() < state.faults.drop_after_write_rate;
    if dropped {
        state.stats.faults.dropped_after_write += 1;
    }
    dropped
}
