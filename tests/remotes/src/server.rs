//! The HTTP server: its own thread and runtime, an accept loop serving HTTP/1.1 with keep-alive,
//! and a per-connection switch that closes the connection without a response.
//!
//! The server does not run on the test's runtime: a sync client (a blocking HTTP call on the test
//! thread) would otherwise stall the very server it waits for.

use std::net::TcpListener as StdListener;
use std::sync::Arc;

use axum::response::Response;
use axum::{Extension, Router, middleware};
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{Notify, oneshot};

use crate::errors::ApiError;
use crate::state::Shared;
use crate::{Dialect, edgeflags, faults, krafter, projects};

/// Lets a handler close the connection its request came on instead of answering, the way a
/// crashed proxy or a network cut would.
#[derive(Clone, Debug)]
pub(crate) struct ConnectionKill(Arc<Notify>);

impl ConnectionKill {
    /// Closes the connection; the response being prepared is never sent.
    pub(crate) fn close(&self) {
        // notify_one keeps a permit if the connection task is not waiting yet, so no race.
        self.0.notify_one();
    }
}

/// The routes of `dialect`, wrapped in the fault middleware.
pub(crate) fn router(dialect: Dialect, shared: Arc<Shared>) -> Router {
    let routes = match dialect {
        Dialect::Projects => projects::routes(),
        Dialect::Krafter => krafter::routes(),
        Dialect::Edgeflags => edgeflags::routes(),
    };
    routes
        .fallback(move || async move { not_found(dialect) })
        .method_not_allowed_fallback(move || async move { method_not_allowed(dialect) })
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            faults::inject,
        ))
        .with_state(shared)
}

fn not_found(dialect: Dialect) -> Response {
    ApiError::not_found("no such endpoint").render(dialect)
}

fn method_not_allowed(dialect: Dialect) -> Response {
    ApiError::new(
        axum::http::StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "method not allowed on this endpoint",
    )
    .render(dialect)
}

/// Serves `router` on `listener` until `shutdown` fires or its sender is dropped.
pub(crate) async fn serve(
    listener: StdListener,
    router: Router,
    mut shutdown: oneshot::Receiver<()>,
) {
    let listener = match TcpListener::from_std(listener) {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("fake remote: cannot use the bound socket: {error}");
            return;
        }
    };
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // A failed accept (e.g. too many open files) affects one connection only.
                Err(_) => continue,
            },
            _ = &mut shutdown => return,
        };
        let kill = Arc::new(Notify::new());
        let service = TowerToHyperService::new(
            router
                .clone()
                .layer(Extension(ConnectionKill(kill.clone()))),
        );
        tokio::spawn(async move {
            let connection = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service);
            tokio::select! {
                // Errors here are the client's doing (reset, garbage); nothing to report.
                _ = connection => {}
                // Dropping the connection drops the socket: the client sees it closed mid-request.
                () = kill.notified() => {}
            }
        });
    }
}
