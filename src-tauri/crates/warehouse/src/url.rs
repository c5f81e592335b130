//! `postgres://USER@HOST:PORT/DB`: where the warehouse is, never with its password.

use std::fmt;
use std::path::PathBuf;

use crate::WarehouseError;

/// The PostgreSQL port when the URL names none.
const DEFAULT_PORT: u16 = 5432;

/// How the connection is encrypted (`?sslmode=` in the URL, as libpq spells it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsMode {
    /// Plain TCP (`sslmode=disable`).
    Disable,
    /// TLS when the server offers it, plain otherwise (the default, as in libpq). When TLS is
    /// used, the server's certificate is verified.
    Prefer,
    /// TLS or nothing, with the server's certificate and host name verified
    /// (`sslmode=require`, `verify-ca`, `verify-full`: stricter than libpq's `require`, which
    /// accepts any certificate).
    Require,
}

/// A parsed warehouse URL. Its `Display` is the canonical form, safe to print and to store:
/// it never holds a password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarehouseUrl {
    /// The role to log in as.
    pub user: String,
    /// Host name or IP address (IPv6 without brackets).
    pub host: String,
    /// TCP port.
    pub port: u16,
    /// The database.
    pub database: String,
    /// TLS.
    pub tls: TlsMode,
    /// A PEM file of the certificate authority that signed the server's certificate
    /// (`?sslrootcert=PATH`), trusted besides the system's.
    pub root_cert: Option<PathBuf>,
}

impl WarehouseUrl {
    /// Parses `postgres://USER@HOST[:PORT][/DB][?sslmode=disable|prefer|require]
    /// [&sslrootcert=PATH]` (`postgresql://` too). A password in the URL is refused: it belongs in the keyring,
    /// where the database and shell history never see it.
    pub fn parse(text: &str) -> Result<WarehouseUrl, WarehouseError> {
        let bad = |why: &str| WarehouseError::BadUrl(format!("{why}; {EXAMPLE}"));
        let text = text.trim();
        let rest = text
            .strip_prefix("postgres://")
            .or_else(|| text.strip_prefix("postgresql://"))
            .ok_or_else(|| {
                let scheme = text.split_once("://").map_or("", |(s, _)| s);
                if scheme.is_empty() {
                    bad("the URL must start with postgres://")
                } else {
                    bad(&format!(
                        "only PostgreSQL warehouses are supported (postgres://), not {:?}",
                        shown(scheme)
                    ))
                }
            })?;
        let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (authority, database) = rest.split_once('/').unwrap_or((rest, ""));
        let (user, host_port) = authority
            .rsplit_once('@')
            .ok_or_else(|| bad("the URL names no user (USER@ before the host)"))?;
        if user.contains(':') {
            return Err(password_in_url());
        }
        let user =
            decode(user).ok_or_else(|| bad("the user name is not valid percent-encoding"))?;
        if user.is_empty() {
            return Err(bad("the user name is empty"));
        }
        let (host, port) = host_and_port(host_port).map_err(|why| bad(&why))?;
        let database = decode(database)
            .ok_or_else(|| bad("the database name is not valid percent-encoding"))?;
        if database.contains('/') {
            return Err(bad("the database name holds a '/'"));
        }
        let database = if database.is_empty() {
            user.clone()
        } else {
            database
        };
        let (tls, root_cert) = tls_mode(query).map_err(|why| match why {
            Query::Password => password_in_url(),
            Query::Bad(why) => bad(&why),
        })?;
        Ok(WarehouseUrl {
            user,
            host,
            port,
            database,
            tls,
            root_cert,
        })
    }
}

const EXAMPLE: &str = "write it as postgres://USER@HOST:PORT/DB";

fn password_in_url() -> WarehouseError {
    WarehouseError::BadUrl(
        "the URL holds a password: remove it from the URL and put the password in the keyring \
         with `segments warehouse password postgres://USER@HOST:PORT/DB` (or the app's \
         warehouse settings)"
            .to_owned(),
    )
}

fn host_and_port(text: &str) -> Result<(String, u16), String> {
    let (host, port) = if let Some(v6) = text.strip_prefix('[') {
        let (host, after) = v6
            .split_once(']')
            .ok_or("an IPv6 host needs its closing ']'")?;
        (host, after.strip_prefix(':'))
    } else {
        match text.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (text, None),
        }
    };
    if host.is_empty() {
        return Err("the URL names no host".to_owned());
    }
    if host.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("the host holds spaces or control characters".to_owned());
    }
    let port =
        match port {
            None => DEFAULT_PORT,
            Some(port) => port.parse::<u16>().ok().filter(|p| *p > 0).ok_or_else(|| {
                format!("the port {:?} is not a number from 1 to 65535", shown(port))
            })?,
        };
    Ok((host.to_owned(), port))
}

enum Query {
    Password,
    Bad(String),
}

fn tls_mode(query: &str) -> Result<(TlsMode, Option<PathBuf>), Query> {
    let mut mode = TlsMode::Prefer;
    let mut root_cert = None;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        mode = match (name, value) {
            ("sslrootcert", path) => {
                let path = decode(path)
                    .filter(|p| !p.is_empty())
                    .ok_or_else(|| Query::Bad("sslrootcert needs a file path".to_owned()))?;
                root_cert = Some(PathBuf::from(path));
                continue;
            }
            ("password", _) => return Err(Query::Password),
            ("sslmode", "disable") => TlsMode::Disable,
            ("sslmode", "prefer" | "allow") => TlsMode::Prefer,
            ("sslmode", "require" | "verify-ca" | "verify-full") => TlsMode::Require,
            ("sslmode", other) => {
                return Err(Query::Bad(format!(
                    "sslmode {:?} is not one of disable, prefer, require",
                    shown(other)
                )));
            }
            (other, _) => {
                return Err(Query::Bad(format!(
                    "the URL parameter {:?} is not supported (only sslmode and sslrootcert are)",
                    shown(other)
                )));
            }
        };
    }
    Ok((mode, root_cert))
}

/// Percent-decoding of a user or database name.
fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out)
        .ok()
        .filter(|s| !s.chars().any(char::is_control))
}

fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// At most the first characters of user input, for an error message.
fn shown(text: &str) -> String {
    let mut out: String = text.chars().filter(|c| !c.is_control()).take(40).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}

impl fmt::Display for WarehouseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        write!(
            f,
            "postgres://{}@{host}:{}/{}",
            encode(&self.user),
            self.port,
            encode(&self.database)
        )?;
        let mut query = Vec::new();
        match self.tls {
            TlsMode::Prefer => {}
            TlsMode::Disable => query.push("sslmode=disable".to_owned()),
            TlsMode::Require => query.push("sslmode=require".to_owned()),
        }
        if let Some(path) = &self.root_cert {
            query.push(format!("sslrootcert={}", encode(&path.to_string_lossy())));
        }
        if !query.is_empty() {
            write!(f, "?{}", query.join("&"))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn parses_and_prints_the_canonical_form() {
        let url = WarehouseUrl::parse("postgres://analyst@db.example.com:6543/users").unwrap();
        assert_eq!(
            (url.user.as_str(), url.host.as_str(), url.port),
            ("analyst", "db.example.com", 6543)
        );
        assert_eq!(url.database, "users");
        assert_eq!(url.tls, TlsMode::Prefer);
        assert_eq!(
            url.to_string(),
            "postgres://analyst@db.example.com:6543/users"
        );
        let url = WarehouseUrl::parse("postgresql://a%40b@[::1]/?sslmode=require").unwrap();
        assert_eq!((url.user.as_str(), url.host.as_str()), ("a@b", "::1"));
        assert_eq!((url.port, url.database.as_str()), (5432, "a@b"));
        assert_eq!(
            url.to_string(),
            "postgres://a%40b@[::1]:5432/a%40b?sslmode=require"
        );
        assert_eq!(WarehouseUrl::parse(&url.to_string()).unwrap(), url);
        let url =
            WarehouseUrl::parse("postgres://a@db/x?sslrootcert=/etc/ca%20s/ca.pem&sslmode=require")
                .unwrap();
        assert_eq!(url.root_cert, Some(PathBuf::from("/etc/ca s/ca.pem")));
        assert_eq!(
            url.to_string(),
            "postgres://a@db:5432/x?sslmode=require&sslrootcert=%2Fetc%2Fca%20s%2Fca.pem"
        );
        assert_eq!(WarehouseUrl::parse(&url.to_string()).unwrap(), url);
    }

    #[test]
    fn a_password_in_the_url_is_refused_without_being_repeated() {
        for text in [
            "postgres://analyst:hunter2-secret@db:5432/users",
            "postgres://analyst@db:5432/users?password=hunter2-secret",
        ] {
            let err = WarehouseUrl::parse(text).unwrap_err();
            assert!(matches!(err, WarehouseError::BadUrl(_)));
            let shown = format!("{err} {err:?}");
            assert!(shown.contains("keyring"), "{shown}");
            assert!(!shown.contains("hunter2-secret"), "{shown}");
        }
    }

    #[test]
    fn other_schemes_and_malformed_urls_are_refused() {
        for (text, says) in [
            ("mysql://a@db/x", "only PostgreSQL"),
            ("db.example.com/users", "must start with postgres://"),
            ("postgres://db:5432/users", "no user"),
            ("postgres://a@:5432/users", "no host"),
            ("postgres://a@db:99999/users", "port"),
            ("postgres://a@db/users?sslmode=maybe", "sslmode"),
            ("postgres://a@db/users?application_name=x", "not supported"),
            ("postgres://a%zz@db/users", "percent"),
        ] {
            let err = WarehouseUrl::parse(text).unwrap_err().to_string();
            assert!(err.contains(says), "{text}: {err}");
        }
    }
}
