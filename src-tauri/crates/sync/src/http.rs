//! One remote's HTTP exchanges: bearer auth, capped response bodies, and retries with capped
//! exponential backoff and full jitter on 5xx, 429 (honouring `Retry-After`), timeouts and
//! dropped connections.
//!
//! A request that may have been applied when its answer was lost (a timeout, a closed
//! connection, a 5xx) is retried here only when repeating it is harmless; otherwise the
//! failure goes back to the caller marked [`Failure::maybe_applied`], so a create can look
//! the segment up before trying again instead of making a duplicate.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use std::error::Error as _;

use reqwest::{Method, StatusCode, header};
use serde_json::Value;

use crate::{Sensitive, SyncError};

/// Largest response body accepted by default; a bigger one is refused rather than buffered.
pub const MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

/// How hard to try.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Attempts per request, the first included.
    pub max_attempts: u32,
    /// The first backoff; each retry doubles it, up to `max_backoff`.
    pub base_backoff: Duration,
    /// The longest backoff.
    pub max_backoff: Duration,
    /// The longest `Retry-After` honoured; a remote asking for more fails the request
    /// with its wait in the message.
    pub max_retry_after: Duration,
    /// Per-request time limit.
    pub timeout: Duration,
    /// Largest response body read; a bigger one fails the request.
    pub max_response_bytes: usize,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 6,
            base_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
            timeout: Duration::from_secs(30),
            max_response_bytes: MAX_RESPONSE_BYTES,
        }
    }
}

/// What a sync run's requests went through, for the report.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub requests: AtomicU64,
    pub retries: AtomicU64,
}

/// A response that was received whole.
#[derive(Debug)]
pub(crate) struct Response {
    pub status: StatusCode,
    /// The body's length in bytes, as received.
    pub bytes: usize,
    pub etag: Option<String>,
    /// The JSON body (`Null` when empty).
    pub body: Value,
}

/// A request that did not succeed.
#[derive(Debug)]
pub(crate) struct Failure {
    pub error: SyncError,
    /// The remote may have applied the request although no answer arrived.
    pub maybe_applied: bool,
    /// The status, when one arrived.
    pub status: Option<StatusCode>,
    /// The error body's message, when one arrived.
    pub server_message: Option<String>,
}

impl Failure {
    pub(crate) fn definite(error: SyncError) -> Self {
        Self {
            error,
            maybe_applied: false,
            status: None,
            server_message: None,
        }
    }
}

/// A client for one remote.
pub(crate) struct Http {
    client: reqwest::Client,
    token: Sensitive<String>,
    policy: RetryPolicy,
    pub counters: Counters,
}

/// One request to make.
pub(crate) struct Request<'a> {
    pub method: Method,
    pub url: reqwest::Url,
    pub body: Option<&'a Value>,
    pub if_match: Option<&'a str>,
    /// Repeating it after an unknown outcome does no harm (GET, PUT, PATCH, DELETE).
    pub idempotent: bool,
}

impl Http {
    pub fn new(token: String, policy: RetryPolicy) -> Result<Self, SyncError> {
        let client = reqwest::Client::builder()
            // Never followed: a 302 turns a POST into a GET, and a redirect to another host
            // or to plain http would carry the token there. Reported with its Location.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(policy.timeout)
            .connect_timeout(policy.timeout.min(Duration::from_secs(10)))
            .user_agent(concat!("segment-studio/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| SyncError::Network {
                url: String::new(),
                detail: e.to_string(),
            })?;
        Ok(Self {
            client,
            token: Sensitive::new(token),
            policy,
            counters: Counters::default(),
        })
    }

    /// Sends `request`, retrying what is safe to retry.
    pub async fn send(&self, request: &Request<'_>) -> Result<Response, Failure> {
        let mut attempt = 1;
        loop {
            let (failure, wait) = match self.attempt(request).await {
                Ok(response) => {
                    tracing::debug!(
                        method = %request.method,
                        url = %request.url,
                        status = response.status.as_u16(),
                        attempt,
                        "request"
                    );
                    return Ok(response);
                }
                Err(Attempt::Final(failure)) => return Err(failure),
                Err(Attempt::Retry { failure, wait }) => (failure, wait),
            };
            // The URL and status only: headers (the token) and bodies never reach a log.
            tracing::debug!(
                method = %request.method,
                url = %request.url,
                attempt,
                error = %failure.error,
                "request failed; may retry"
            );
            if failure.maybe_applied && !request.idempotent {
                return Err(failure);
            }
            if attempt >= self.policy.max_attempts {
                return Err(Failure {
                    error: failure.error.after_attempts(attempt),
                    ..failure
                });
            }
            let wait = match wait {
                Some(wait) if wait > self.policy.max_retry_after => {
                    return Err(Failure {
                        error: SyncError::RateLimited {
                            retry_after_secs: wait.as_secs(),
                            attempts: attempt,
                        },
                        ..failure
                    });
                }
                Some(wait) => wait,
                None => self.backoff(attempt),
            };
            self.counters.retries.fetch_add(1, Ordering::Relaxed);
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    /// Waits before another attempt of a request the caller repeats itself (a create
    /// after looking up that the lost one did not land), and counts it as a retry.
    pub async fn pause(&self, attempt: u32) {
        self.counters.retries.fetch_add(1, Ordering::Relaxed);
        tokio::time::sleep(self.backoff(attempt)).await;
    }

    /// Full jitter: a uniform wait between zero and the capped exponential step, so many
    /// clients retrying together spread out.
    fn backoff(&self, attempt: u32) -> Duration {
        let step = self
            .policy
            .base_backoff
            .saturating_mul(1 << attempt.min(16).saturating_sub(1))
            .min(self.policy.max_backoff);
        step.mul_f64(fastrand::f64())
    }

    async fn attempt(&self, request: &Request<'_>) -> Result<Response, Attempt> {
        self.counters.requests.fetch_add(1, Ordering::Relaxed);
        let url = request.url.to_string();
        let mut builder = self
            .client
            .request(request.method.clone(), request.url.clone())
            .bearer_auth(self.token.expose())
            .header(header::ACCEPT, "application/json");
        if let Some(body) = request.body {
            builder = builder.json(body);
        }
        if let Some(tag) = request.if_match {
            builder = builder.header(header::IF_MATCH, tag);
        }
        let response = match builder.send().await {
            Ok(response) => response,
            Err(e) => return Err(transport_failure(&url, &e)),
        };
        let status = response.status();
        let etag = response
            .headers()
            .get(header::ETAG)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let retry_after = response
            .headers()
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(crate::retry_after::parse);
        if status.is_redirection() {
            let location = response
                .headers()
                .get(header::LOCATION)
                .map(|v| {
                    excerpt(
                        self.redact(&String::from_utf8_lossy(v.as_bytes()))
                            .as_bytes(),
                    )
                })
                .unwrap_or_else(|| "(no Location)".to_owned());
            return Err(Attempt::Final(Failure {
                error: SyncError::Redirected {
                    url,
                    status: status.as_u16(),
                    location,
                },
                maybe_applied: false,
                status: Some(status),
                server_message: None,
            }));
        }
        let bytes = read_capped(response, &url, self.policy.max_response_bytes).await?;
        if status.is_success() {
            let body = if bytes.is_empty() {
                Value::Null
            } else {
                serde_json::from_slice(&bytes).map_err(|e| {
                    Attempt::Final(Failure::definite(SyncError::Malformed {
                        detail: format!(
                            "{} {url} answered {status} with a body that is not JSON ({e}): {}",
                            request.method,
                            excerpt(self.redact(&String::from_utf8_lossy(&bytes)).as_bytes())
                        ),
                    }))
                })?
            };
            return Ok(Response {
                status,
                bytes: bytes.len(),
                etag,
                body,
            });
        }
        // Redacted before it is cut to an excerpt, so no prefix of the token survives.
        let server_message =
            server_message(self.redact(&String::from_utf8_lossy(&bytes)).as_bytes());
        let failure = |error, maybe_applied| Failure {
            error,
            maybe_applied,
            status: Some(status),
            server_message: Some(server_message.clone()),
        };
        if status == StatusCode::TOO_MANY_REQUESTS {
            return Err(Attempt::Retry {
                failure: failure(
                    SyncError::RateLimited {
                        retry_after_secs: retry_after.map_or(0, |d| d.as_secs()),
                        attempts: 1,
                    },
                    false,
                ),
                // Without a Retry-After, the usual exponential backoff.
                wait: retry_after,
            });
        }
        if status.is_server_error() {
            return Err(Attempt::Retry {
                failure: failure(
                    SyncError::Server {
                        status: status.as_u16(),
                        attempts: 1,
                        detail: server_message.clone(),
                    },
                    true,
                ),
                // A 503 may say when to come back.
                wait: retry_after,
            });
        }
        Err(Attempt::Final(failure(
            SyncError::Status {
                status: status.as_u16(),
                detail: server_message.clone(),
            },
            false,
        )))
    }
}

impl Http {
    /// `text` with the token cut out: a server that echoes the request (or a proxy's
    /// error page) must not carry it into a message, the outbox or a log.
    fn redact(&self, text: &str) -> String {
        let token = self.token.expose();
        if token.is_empty() {
            return text.to_owned();
        }
        text.replace(token.as_str(), "[token]")
    }
}

enum Attempt {
    Final(Failure),
    Retry {
        failure: Failure,
        wait: Option<Duration>,
    },
}

fn transport_failure(url: &str, e: &reqwest::Error) -> Attempt {
    let detail = error_chain(e);
    // Only the causes, not reqwest's own message: that one holds the URL, where "ssl" or
    // "tls" may just be part of a host or project name.
    let causes = e
        .source()
        .map(error_chain)
        .unwrap_or_default()
        .to_lowercase();
    if causes.contains("certificate")
        || causes.contains("tls")
        || causes.contains("ssl")
        || causes.contains("handshake")
    {
        return Attempt::Final(Failure::definite(SyncError::Tls {
            url: url.to_owned(),
            detail,
        }));
    }
    if e.is_connect() {
        let error = if causes.contains("connection refused") {
            SyncError::ConnectionRefused {
                url: url.to_owned(),
            }
        } else {
            SyncError::Network {
                url: url.to_owned(),
                detail,
            }
        };
        // Nothing reached the server: safe to retry anything.
        return Attempt::Retry {
            failure: Failure::definite(error),
            wait: None,
        };
    }
    let error = if e.is_timeout() {
        SyncError::Timeout {
            url: url.to_owned(),
            attempts: 1,
        }
    } else {
        SyncError::Network {
            url: url.to_owned(),
            detail,
        }
    };
    Attempt::Retry {
        failure: Failure {
            error,
            maybe_applied: true,
            status: None,
            server_message: None,
        },
        wait: None,
    }
}

async fn read_capped(
    mut response: reqwest::Response,
    url: &str,
    limit: usize,
) -> Result<Vec<u8>, Attempt> {
    if response.content_length().is_some_and(|n| n > limit as u64) {
        return Err(Attempt::Final(Failure::definite(SyncError::TooLarge {
            url: url.to_owned(),
            limit,
        })));
    }
    let mut bytes = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if bytes.len() + chunk.len() > limit {
                    return Err(Attempt::Final(Failure::definite(SyncError::TooLarge {
                        url: url.to_owned(),
                        limit,
                    })));
                }
                bytes.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(bytes),
            // The answer was cut off: whatever it was, the request may have been applied.
            Err(e) => {
                return Err(Attempt::Retry {
                    failure: Failure {
                        error: SyncError::Network {
                            url: url.to_owned(),
                            detail: error_chain(&e),
                        },
                        maybe_applied: true,
                        status: None,
                        server_message: None,
                    },
                    wait: None,
                });
            }
        }
    }
}

/// The message of an error body in any of the three dialects' shapes (`{"message"}`,
/// `{"error": {"message"}}`, `{"error": "text"}`), else an excerpt of the body.
pub(crate) fn server_message(bytes: &[u8]) -> String {
    let Ok(value) = serde_json::from_slice::<Value>(bytes) else {
        return excerpt(bytes);
    };
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
    text(value.get("message"))
        .or_else(|| text(value.pointer("/error/message")))
        .or_else(|| text(value.get("error")))
        .or_else(|| text(value.get("detail")))
        .unwrap_or_else(|| excerpt(bytes))
}

fn excerpt(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut cut: String = text.chars().take(300).collect();
    if cut.len() < text.len() {
        cut.push('…');
    }
    if cut.trim().is_empty() {
        "(empty body)".to_owned()
    } else {
        cut
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}
