//! Why a count on the warehouse failed, in words that say what to fix. No variant ever holds
//! the password: every message is built from our own words, the URL's canonical form (which
//! has none) and the server's own error text.

/// A count that did not happen. Counts are all or nothing: any of these means no count at all.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WarehouseError {
    /// The warehouse URL is malformed, names another database, or holds a password.
    #[error("warehouse URL: {0}")]
    BadUrl(String),
    /// The server could not be reached: refused, unknown host, or no answer in time.
    #[error(
        "cannot reach the warehouse at {target}: {reason}. Check the host and port, that the \
         server is running, and that a firewall lets you through"
    )]
    Unreachable {
        /// `HOST:PORT`.
        target: String,
        /// What the network said.
        reason: String,
    },
    /// TLS could not be set up (the server refused it under `sslmode=require`, or its
    /// certificate did not verify).
    #[error(
        "TLS with the warehouse at {target} failed: {reason}. Name the server's CA \
         certificate with ?sslrootcert=PATH (or install it), or use ?sslmode=disable on a \
         trusted network"
    )]
    Tls {
        /// `HOST:PORT`.
        target: String,
        /// What failed.
        reason: String,
    },
    /// The server refused the login: a wrong or missing password, or a role that may not log in.
    #[error(
        "the warehouse refused the login of {user}: {reason}. Store the right password with \
         `segments warehouse password {url}` (or in the app's warehouse settings)"
    )]
    Authentication {
        /// The role.
        user: String,
        /// The URL, canonical (no password).
        url: String,
        /// What the server said.
        reason: String,
    },
    /// The database named in the URL does not exist on the server.
    #[error("the warehouse has no database {0:?}: correct the /DB part of the URL")]
    MissingDatabase(String),
    /// The table does not exist (or the role may not see it).
    #[error(
        "the warehouse has no table {0} (or this role may not see it): check --table, \
         with SCHEMA.NAME for a table outside the search path"
    )]
    MissingTable(String),
    /// The schema file disagrees with the table.
    #[error("the schema file does not match the table {table}: {problem}")]
    SchemaMismatch {
        /// The table.
        table: String,
        /// Each column the table lacks or whose type differs, in words.
        problem: String,
    },
    /// The schema file is malformed, or the table name is not usable.
    #[error("{0}")]
    BadInput(String),
    /// A count ran past the statement timeout; nothing is reported.
    #[error(
        "the count of {what} took longer than the {seconds} s statement timeout and was \
         stopped: raise --timeout, or add an index on the columns it tests"
    )]
    Timeout {
        /// Which count (a segment's key, or the table's rows).
        what: String,
        /// The timeout, in seconds.
        seconds: f64,
    },
    /// The server refused or failed a query.
    #[error("the warehouse failed the count of {what}: {message}")]
    Query {
        /// Which count.
        what: String,
        /// The server's message.
        message: String,
    },
}

impl WarehouseError {
    /// A stable snake_case code for the IPC edge: the UI branches on it, never on the words.
    pub fn code(&self) -> &'static str {
        match self {
            WarehouseError::BadUrl(_) => "warehouse_bad_url",
            WarehouseError::Unreachable { .. } => "warehouse_unreachable",
            WarehouseError::Tls { .. } => "warehouse_tls",
            WarehouseError::Authentication { .. } => "warehouse_authentication",
            WarehouseError::MissingDatabase(_) => "warehouse_missing_database",
            WarehouseError::MissingTable(_) => "warehouse_missing_table",
            WarehouseError::SchemaMismatch { .. } => "warehouse_schema_mismatch",
            WarehouseError::BadInput(_) => "warehouse_bad_input",
            WarehouseError::Timeout { .. } => "warehouse_timeout",
            WarehouseError::Query { .. } => "warehouse_query",
        }
    }
}
