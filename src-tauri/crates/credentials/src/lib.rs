//! Where secrets live (remote tokens, warehouse passwords): the OS keyring (Secret Service
//! on Linux, Keychain, Credential Manager) and, where no keyring service runs, a file
//! readable only by the user. Which one holds a secret is part of its id (`keyring:…` /
//! `file:…`), so the user is always told, and a secret never goes through the database, the
//! webview, logs or error messages.
//!
//! A crate of its own so that sync (HTTP) and the warehouse client (PostgreSQL) share one
//! store without either depending on the other.

mod sensitive;

pub use sensitive::Sensitive;

use std::path::{Path, PathBuf};

use serde::Serialize;

use segments_store::paths::APP_IDENTIFIER;

/// Environment variable that picks the credential store: `file` skips the keyring (for CI
/// and sandboxes where a keyring would prompt or hang); anything else tries the keyring
/// first.
pub const SEGMENTS_CREDENTIALS: &str = "SEGMENTS_CREDENTIALS";
/// Environment variable naming the folder of credential files (default: the user's
/// config folder).
pub const SEGMENTS_CREDENTIALS_DIR: &str = "SEGMENTS_CREDENTIALS_DIR";

/// Longest token accepted.
const MAX_TOKEN_BYTES: usize = 8 * 1024;

/// Where a token is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum CredentialLocation {
    /// The OS keyring.
    Keyring,
    /// A file readable only by the user (no keyring service was running).
    File,
}

/// Why a token could not be stored or read.
#[derive(Debug, thiserror::Error)]
pub enum CredentialError {
    /// The token itself is unusable.
    #[error("the token {0}")]
    Invalid(&'static str),
    /// The database names a credential this app never generates: a crafted or damaged
    /// database could otherwise send any file as the token, or delete it.
    #[error(
        "the database names an unusable credential id ({0}); remove this remote and add it again with its token"
    )]
    UnknownId(String),
    /// No token is stored under this id any more.
    #[error(
        "no token is stored for this remote ({0}); store one with `segments remote token NAME --token-env VAR`"
    )]
    Missing(String),
    /// The keyring refused.
    #[error("the OS keyring failed ({0}); unlock it, or store the token again")]
    Keyring(String),
    /// The credentials file could not be used.
    #[error("cannot use the credentials file {path}: {source}")]
    File {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
}

/// The credential stores, configured once.
#[derive(Debug, Clone)]
pub struct Credentials {
    dir: PathBuf,
    use_keyring: bool,
}

impl Credentials {
    /// Credentials as the environment configures them.
    pub fn from_env() -> Self {
        let dir = std::env::var_os(SEGMENTS_CREDENTIALS_DIR)
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                dirs::config_dir()
                    .unwrap_or_else(std::env::temp_dir)
                    .join(APP_IDENTIFIER)
                    .join("credentials")
            });
        let use_keyring = std::env::var(SEGMENTS_CREDENTIALS).map_or(true, |v| v != "file");
        Self { dir, use_keyring }
    }

    /// The keyring first, then files under `dir` (the keyring test).
    pub fn keyring_then_files_in(dir: &Path) -> Self {
        Self {
            dir: dir.to_owned(),
            use_keyring: true,
        }
    }

    /// Credentials kept only in files under `dir` (tests).
    pub fn files_in(dir: &Path) -> Self {
        Self {
            dir: dir.to_owned(),
            use_keyring: false,
        }
    }

    /// Stores `token` and returns its id. The keyring is tried first; when no keyring
    /// service answers, a user-only file is used instead and the id says so.
    pub fn store(&self, token: &str) -> Result<String, CredentialError> {
        check_token(token)?;
        self.store_new(token)
    }

    /// Stores a warehouse password, as [`Credentials::store`] does a token; unlike a token,
    /// a password may hold spaces (a passphrase).
    pub fn store_password(&self, password: &str) -> Result<String, CredentialError> {
        check_password(password)?;
        self.store_new(password)
    }

    /// Replaces the password stored under `id`, keeping the id.
    pub fn replace_password(&self, id: &str, password: &str) -> Result<(), CredentialError> {
        check_password(password)?;
        self.put(id, password)
    }

    fn store_new(&self, token: &str) -> Result<String, CredentialError> {
        let name = random_name();
        if self.use_keyring {
            match keyring_entry(&name).and_then(|e| e.set_password(token)) {
                Ok(()) => return Ok(format!("keyring:{name}")),
                // No Secret Service (a headless machine): fall back to the file, and say so.
                Err(keyring::Error::NoStorageAccess(_) | keyring::Error::PlatformFailure(_)) => {}
                Err(e) => return Err(CredentialError::Keyring(e.to_string())),
            }
        }
        self.write_file(&name, token)?;
        Ok(format!("file:{name}"))
    }

    /// Replaces the token stored under `id`, keeping the id.
    pub fn replace(&self, id: &str, token: &str) -> Result<(), CredentialError> {
        check_token(token)?;
        self.put(id, token)
    }

    fn put(&self, id: &str, token: &str) -> Result<(), CredentialError> {
        match split(id)? {
            (CredentialLocation::Keyring, name) => keyring_entry(name)
                .and_then(|e| e.set_password(token))
                .map_err(|e| CredentialError::Keyring(e.to_string())),
            (CredentialLocation::File, name) => self.write_file(name, token),
        }
    }

    /// The token stored under `id`.
    pub fn load(&self, id: &str) -> Result<String, CredentialError> {
        match split(id)? {
            (CredentialLocation::Keyring, name) => keyring_entry(name)
                .and_then(|e| e.get_password())
                .map_err(|e| match e {
                    keyring::Error::NoEntry => CredentialError::Missing("keyring".into()),
                    other => CredentialError::Keyring(other.to_string()),
                }),
            (CredentialLocation::File, name) => {
                let path = self.dir.join(name);
                match std::fs::read_to_string(&path) {
                    Ok(token) => Ok(token.trim_end().to_owned()),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        Err(CredentialError::Missing(path.display().to_string()))
                    }
                    Err(source) => Err(CredentialError::File {
                        path: path.display().to_string(),
                        source,
                    }),
                }
            }
        }
    }

    /// Forgets the token under `id` (one already gone is fine).
    pub fn delete(&self, id: &str) -> Result<(), CredentialError> {
        match split(id)? {
            (CredentialLocation::Keyring, name) => {
                match keyring_entry(name).and_then(|e| e.delete_credential()) {
                    Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
                    Err(e) => Err(CredentialError::Keyring(e.to_string())),
                }
            }
            (CredentialLocation::File, name) => {
                let path = self.dir.join(name);
                match std::fs::remove_file(&path) {
                    Ok(()) => Ok(()),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                    Err(source) => Err(CredentialError::File {
                        path: path.display().to_string(),
                        source,
                    }),
                }
            }
        }
    }

    /// Where the token under `id` is kept, in words for the user.
    pub fn describe(&self, id: &str) -> (CredentialLocation, String) {
        match split(id) {
            Ok((CredentialLocation::Keyring, _)) => {
                (CredentialLocation::Keyring, "in the OS keyring".to_owned())
            }
            Err(refused) => (CredentialLocation::File, refused.to_string()),
            Ok((CredentialLocation::File, name)) => (
                CredentialLocation::File,
                format!(
                    "in the file {} (readable only by you), because no keyring service is running",
                    self.dir.join(name).display()
                ),
            ),
        }
    }

    fn write_file(&self, name: &str, token: &str) -> Result<(), CredentialError> {
        let file_error = |path: &Path| {
            let path = path.display().to_string();
            move |source| CredentialError::File { path, source }
        };
        create_private_dir(&self.dir).map_err(file_error(&self.dir))?;
        let path = self.dir.join(name);
        let temporary = self.dir.join(format!(".{name}.tmp"));
        write_private(&temporary, token).map_err(file_error(&temporary))?;
        std::fs::rename(&temporary, &path).map_err(file_error(&path))
    }
}

/// The store and the name of a credential id, accepting only ids of the shape
/// [`Credentials::store`] makes: `keyring:` or `file:`, then `remote-` and 32 hex digits.
/// Anything else (a path, `..`, another prefix) is refused before it names a file or a
/// keyring entry.
fn split(id: &str) -> Result<(CredentialLocation, &str), CredentialError> {
    let (location, name) = match id.split_once(':') {
        Some(("keyring", name)) => (CredentialLocation::Keyring, name),
        Some(("file", name)) => (CredentialLocation::File, name),
        _ => return Err(unknown_id(id)),
    };
    let generated = name.strip_prefix("remote-").is_some_and(|hex| {
        hex.len() == 32 && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    });
    if generated {
        Ok((location, name))
    } else {
        Err(unknown_id(id))
    }
}

/// The error for an id that is not ours, quoting at most its first characters (it came
/// from the database and may be anything).
fn unknown_id(id: &str) -> CredentialError {
    let mut shown: String = id.chars().filter(|c| !c.is_control()).take(48).collect();
    if shown.len() < id.len() {
        shown.push('…');
    }
    CredentialError::UnknownId(format!("\"{shown}\""))
}

fn keyring_entry(name: &str) -> keyring::Result<keyring::Entry> {
    keyring::Entry::new(APP_IDENTIFIER, name)
}

/// Refuses a token that cannot be right: empty, oversize, or with spaces or control
/// characters (a pasted line break).
pub fn check_token(token: &str) -> Result<(), CredentialError> {
    if token.trim().is_empty() {
        return Err(CredentialError::Invalid("is empty"));
    }
    if token.len() > MAX_TOKEN_BYTES {
        return Err(CredentialError::Invalid("is longer than 8 KiB"));
    }
    if token.chars().any(|c| c.is_control() || c == ' ') {
        return Err(CredentialError::Invalid(
            "contains spaces or control characters (was a line break pasted with it?)",
        ));
    }
    Ok(())
}

/// Refuses a password that cannot be right: empty, oversize, with control characters (a
/// pasted line break), or with spaces around it (which a credentials file would not keep).
pub fn check_password(password: &str) -> Result<(), CredentialError> {
    if password.trim().is_empty() {
        return Err(CredentialError::Invalid("is empty"));
    }
    if password.len() > MAX_TOKEN_BYTES {
        return Err(CredentialError::Invalid("is longer than 8 KiB"));
    }
    if password.chars().any(char::is_control) {
        return Err(CredentialError::Invalid(
            "contains control characters (was a line break pasted with it?)",
        ));
    }
    if password.trim() != password {
        return Err(CredentialError::Invalid(
            "starts or ends with a space (was it pasted with one?)",
        ));
    }
    Ok(())
}

/// A name no other credential has: 128 random bits.
fn random_name() -> String {
    format!("remote-{:032x}", fastrand::u128(..))
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

#[cfg(unix)]
fn write_private(path: &Path, token: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(token.as_bytes())?;
    file.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, token: &str) -> std::io::Result<()> {
    std::fs::write(path, token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_credential_is_private_and_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let credentials = Credentials::files_in(&dir.path().join("credentials"));
        let id = credentials.store("kr_live_secret").unwrap();
        assert!(id.starts_with("file:"));
        assert_eq!(credentials.load(&id).unwrap(), "kr_live_secret");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let file = dir.path().join("credentials").join(&id[5..]);
            let mode = std::fs::metadata(file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        credentials.replace(&id, "kr_live_other").unwrap();
        assert_eq!(credentials.load(&id).unwrap(), "kr_live_other");
        credentials.delete(&id).unwrap();
        assert!(matches!(
            credentials.load(&id),
            Err(CredentialError::Missing(_))
        ));
        assert!(credentials.describe(&id).1.contains("no keyring service"));
    }

    /// Needs a running Secret Service: `cargo xtask test` runs it under `dbus-run-session`
    /// with an unlocked gnome-keyring.
    #[test]
    #[ignore = "needs a Secret Service; run by `cargo xtask test` under dbus-run-session"]
    fn the_keyring_holds_a_token_when_a_secret_service_runs() {
        let dir = tempfile::tempdir().unwrap();
        let credentials = Credentials::keyring_then_files_in(dir.path());
        let id = credentials.store("ef_in_the_keyring").unwrap();
        assert!(id.starts_with("keyring:"), "{id}");
        assert_eq!(credentials.load(&id).unwrap(), "ef_in_the_keyring");
        credentials.replace(&id, "ef_replaced").unwrap();
        assert_eq!(credentials.load(&id).unwrap(), "ef_replaced");
        assert_eq!(credentials.describe(&id).0, CredentialLocation::Keyring);
        credentials.delete(&id).unwrap();
        assert!(matches!(
            credentials.load(&id),
            Err(CredentialError::Missing(_))
        ));
        // Nothing was written to the files folder.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    /// A database is a file users share and tools edit: an id naming a path must never
    /// be read (sent as a token) or deleted.
    #[test]
    fn only_generated_credential_ids_name_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let secret = dir.path().join("id_rsa");
        std::fs::write(&secret, "private key").unwrap();
        let credentials = Credentials::files_in(&dir.path().join("credentials"));
        let crafted = [
            format!("file:{}", secret.display()),
            "file:../id_rsa".to_owned(),
            "../id_rsa".to_owned(),
            "id_rsa".to_owned(),
            "other:remote-0123456789abcdef0123456789abcdef".to_owned(),
            "file:remote-0123456789abcdef0123456789abcde/".to_owned(),
            "file:remote-0123456789ABCDEF0123456789ABCDEF".to_owned(),
            "keyring:../../x".to_owned(),
        ];
        for id in &crafted {
            assert!(
                matches!(credentials.load(id), Err(CredentialError::UnknownId(_))),
                "{id}"
            );
            assert!(
                matches!(credentials.delete(id), Err(CredentialError::UnknownId(_))),
                "{id}"
            );
            assert!(matches!(
                credentials.replace(id, "token"),
                Err(CredentialError::UnknownId(_))
            ));
        }
        assert_eq!(std::fs::read_to_string(&secret).unwrap(), "private key");
        let id = credentials.store("kr_live_secret").unwrap();
        assert_eq!(credentials.load(&id).unwrap(), "kr_live_secret");
    }

    #[test]
    fn a_password_may_hold_spaces_but_not_around_it() {
        let dir = tempfile::tempdir().unwrap();
        let credentials = Credentials::files_in(dir.path());
        let id = credentials.store_password("correct horse battery").unwrap();
        assert_eq!(credentials.load(&id).unwrap(), "correct horse battery");
        credentials.replace_password(&id, "staple it").unwrap();
        assert_eq!(credentials.load(&id).unwrap(), "staple it");
        for password in ["", " pw", "pw ", "two\nlines"] {
            assert!(
                matches!(
                    credentials.store_password(password),
                    Err(CredentialError::Invalid(_))
                ),
                "{password:?}"
            );
        }
    }

    #[test]
    fn unusable_tokens_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let credentials = Credentials::files_in(dir.path());
        for token in ["", "  ", "abc\n", "a b"] {
            assert!(
                matches!(credentials.store(token), Err(CredentialError::Invalid(_))),
                "{token:?}"
            );
        }
    }
}
