//! One session with the server: TLS as the URL asks, a time limit on the login and on every
//! statement, read-only, and the client's errors sorted into what the user can fix.

use std::time::Duration;

use segments_credentials::Sensitive;
use tokio_postgres::error::SqlState;
use tokio_postgres::{Client, Config, NoTls};

use crate::WarehouseError;
use crate::url::{TlsMode, WarehouseUrl};

/// What was being done when an error came, for its words.
pub(crate) enum Step<'a> {
    /// Logging in.
    Connect,
    /// Counting: a segment's key, or the table's rows.
    Count(&'a str),
}

/// Logs in and sets the session up: every statement stops after `timeout`, the session is
/// read-only (a count never writes, whatever the SQL says), and a `timestamp` without time
/// zone is read as UTC (not as the server's zone, which would move `before`/`after`).
pub(crate) async fn connect(
    url: &WarehouseUrl,
    password: Option<&Sensitive<String>>,
    timeout: Duration,
) -> Result<Client, WarehouseError> {
    let mut config = Config::new();
    config
        .host(&url.host)
        .port(url.port)
        .user(&url.user)
        .dbname(&url.database)
        .application_name("segments")
        .connect_timeout(timeout)
        .ssl_mode(match url.tls {
            TlsMode::Disable => tokio_postgres::config::SslMode::Disable,
            TlsMode::Prefer => tokio_postgres::config::SslMode::Prefer,
            TlsMode::Require => tokio_postgres::config::SslMode::Require,
        });
    if let Some(password) = password {
        config.password(password.expose().as_bytes());
    }
    let login = async {
        match url.tls {
            TlsMode::Disable => {
                let (client, connection) = config.connect(NoTls).await?;
                tokio::spawn(drive(connection));
                Ok(client)
            }
            TlsMode::Prefer | TlsMode::Require => {
                let tls = tls_connector(url).map(postgres_native_tls::MakeTlsConnector::new);
                let tls = match tls {
                    Ok(tls) => tls,
                    Err(e) => return Err(Failure::Ours(e)),
                };
                let (client, connection) = config.connect(tls).await?;
                tokio::spawn(drive(connection));
                Ok(client)
            }
        }
    };
    let client = match tokio::time::timeout(timeout, login).await {
        Ok(Ok(client)) => client,
        Ok(Err(Failure::Ours(e))) => return Err(e),
        Ok(Err(Failure::Client(e))) => return Err(classify(&e, url, &Step::Connect, timeout)),
        Err(_) => {
            return Err(WarehouseError::Unreachable {
                target: target(url),
                reason: format!("no answer within {} s", seconds(timeout)),
            });
        }
    };
    let millis = timeout.as_millis().clamp(1, i32::MAX as u128);
    client
        .batch_execute(&format!(
            "SET statement_timeout = {millis}; SET default_transaction_read_only = on; \
             SET TimeZone = 'UTC'"
        ))
        .await
        .map_err(|e| classify(&e, url, &Step::Connect, timeout))?;
    Ok(client)
}

enum Failure {
    Ours(WarehouseError),
    Client(tokio_postgres::Error),
}

impl From<tokio_postgres::Error> for Failure {
    fn from(e: tokio_postgres::Error) -> Self {
        Failure::Client(e)
    }
}

/// Runs the connection's I/O until the client is dropped; its errors reach the client's
/// calls, so here they are only logged.
async fn drive<F>(connection: F)
where
    F: std::future::Future<Output = Result<(), tokio_postgres::Error>>,
{
    if let Err(e) = connection.await {
        tracing::debug!(error = %e, "warehouse connection ended");
    }
}

/// The error the user sees for a client error during `step`.
pub(crate) fn classify(
    e: &tokio_postgres::Error,
    url: &WarehouseUrl,
    step: &Step<'_>,
    timeout: Duration,
) -> WarehouseError {
    let what = match step {
        Step::Connect => "the connection".to_owned(),
        Step::Count(what) => (*what).to_owned(),
    };
    if let Some(db) = e.as_db_error() {
        let code = db.code();
        return if *code == SqlState::INVALID_PASSWORD
            || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
        {
            WarehouseError::Authentication {
                user: url.user.clone(),
                url: url.to_string(),
                reason: db.message().to_owned(),
            }
        } else if *code == SqlState::INVALID_CATALOG_NAME {
            WarehouseError::MissingDatabase(url.database.clone())
        } else if *code == SqlState::QUERY_CANCELED {
            WarehouseError::Timeout {
                what,
                seconds: seconds(timeout),
            }
        } else {
            let mut message = db.message().to_owned();
            if let Some(hint) = db.hint() {
                message.push_str(&format!(" (hint: {hint})"));
            }
            WarehouseError::Query { what, message }
        };
    }
    let text = chain(e);
    if text.contains("password missing") {
        return WarehouseError::Authentication {
            user: url.user.clone(),
            url: url.to_string(),
            reason: "the server asks for a password and none is stored".to_owned(),
        };
    }
    if text.starts_with("error performing TLS handshake") {
        return tls_error(url, text);
    }
    match step {
        Step::Connect => WarehouseError::Unreachable {
            target: target(url),
            reason: text,
        },
        Step::Count(_) => WarehouseError::Query {
            what,
            message: text,
        },
    }
}

/// The system's trusted authorities, and the URL's `sslrootcert` besides.
fn tls_connector(url: &WarehouseUrl) -> Result<native_tls::TlsConnector, WarehouseError> {
    let mut builder = native_tls::TlsConnector::builder();
    if let Some(path) = &url.root_cert {
        let pem = std::fs::read(path).map_err(|e| {
            tls_error(
                url,
                format!("cannot read sslrootcert {}: {e}", path.display()),
            )
        })?;
        let certificate = native_tls::Certificate::from_pem(&pem).map_err(|e| {
            tls_error(
                url,
                format!(
                    "sslrootcert {} is not a PEM certificate: {e}",
                    path.display()
                ),
            )
        })?;
        builder.add_root_certificate(certificate);
    }
    builder.build().map_err(|e| tls_error(url, e.to_string()))
}

fn tls_error(url: &WarehouseUrl, reason: String) -> WarehouseError {
    WarehouseError::Tls {
        target: target(url),
        reason,
    }
}

/// The error and its causes, in one line.
fn chain(e: &tokio_postgres::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn target(url: &WarehouseUrl) -> String {
    if url.host.contains(':') {
        format!("[{}]:{}", url.host, url.port)
    } else {
        format!("{}:{}", url.host, url.port)
    }
}

pub(crate) fn seconds(timeout: Duration) -> f64 {
    timeout.as_secs_f64()
}
