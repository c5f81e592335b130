//! Secrets given to the CLI (remote tokens, warehouse passwords): from an environment
//! variable, typed at a terminal with echo off, or the first line of stdin. Never from an
//! argument, which the shell history and `ps` would show.

use std::io::{BufRead, IsTerminal, Read};

use segments_sync::Sensitive;

use crate::CliError;

/// What kind of secret is read, for the prompt and the errors.
pub(crate) struct SecretKind {
    /// `token`, `password`.
    name: &'static str,
    /// The same, capitalised, to start the prompt.
    title: &'static str,
    /// The option that names an environment variable instead.
    flag: &'static str,
}

/// A remote's bearer token or API key.
pub(crate) const TOKEN: SecretKind = SecretKind {
    name: "token",
    title: "Token",
    flag: "--token-env",
};

/// A warehouse's password.
pub(crate) const PASSWORD: SecretKind = SecretKind {
    name: "password",
    title: "Password",
    flag: "--password-env",
};

/// The secret in the environment variable `var`, trimmed.
pub(crate) fn from_env(kind: &SecretKind, var: &str) -> Result<String, CliError> {
    match std::env::var(var) {
        Ok(secret) if !secret.trim().is_empty() => Ok(secret.trim().to_owned()),
        Ok(_) => Err(CliError::Token(format!(
            "the environment variable {var} is empty"
        ))),
        Err(_) => Err(CliError::Token(format!(
            "the environment variable {var} is not set; export it with the {} first",
            kind.name
        ))),
    }
}

/// The secret for `target` (a remote's name, a warehouse's URL): from `env` when given,
/// else typed at the terminal or the first line of stdin.
pub(crate) fn read(
    kind: &SecretKind,
    target: &str,
    env: Option<&str>,
) -> Result<Sensitive<String>, CliError> {
    if let Some(var) = env {
        return from_env(kind, var).map(Sensitive::new);
    }
    let stdin = std::io::stdin();
    let line = if stdin.is_terminal() {
        // Typed at a terminal: read with echo off, so the secret is neither shown nor left
        // in the scrollback.
        rpassword::prompt_password(format!(
            "{} for {target} (or use {} VAR): ",
            kind.title, kind.flag
        ))
        .map_err(|source| CliError::Read {
            path: "the terminal".to_owned(),
            source,
        })?
    } else {
        let mut line = String::new();
        // One line, at most 64 KiB: a secret is far shorter, and a file piped by mistake
        // is not read whole.
        stdin
            .lock()
            .take(64 * 1024)
            .read_line(&mut line)
            .map_err(|source| CliError::Read {
                path: "stdin".to_owned(),
                source,
            })?;
        line
    };
    let line = Sensitive::new(line);
    let secret = line.expose().trim();
    if secret.is_empty() {
        return Err(CliError::Token(format!(
            "no {name} given: pass {} VAR or write the {name} on stdin",
            kind.flag,
            name = kind.name
        )));
    }
    Ok(Sensitive::new(secret.to_owned()))
}
