//! Credentials: what a test asks for ([`Grant`]), what the server knows a token to stand for
//! ([`Principal`]), and the bearer check every endpoint starts with.

use axum::http::{HeaderMap, header};

use crate::Dialect;
use crate::errors::ApiError;
use crate::state::State;

/// A role of the projects API; reads are open to every role, writes to Owner, Admin, Developer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// May read and write.
    Owner,
    /// May read and write.
    Admin,
    /// May read and write.
    Developer,
    /// May only read.
    Viewer,
}

impl Role {
    fn name(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::Developer => "developer",
            Role::Viewer => "viewer",
        }
    }

    pub(crate) fn may_write(self) -> bool {
        matches!(self, Role::Owner | Role::Admin | Role::Developer)
    }
}

/// A krafter API key scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    /// `flags:read`: list segments.
    FlagsRead,
    /// `flags:write`: create, update, delete segments. Does not imply `flags:read`.
    FlagsWrite,
}

/// What a credential from [`crate::FakeRemote::token`] may do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Grant {
    /// Everything the dialect allows: a projects Owner JWT, a krafter key with `flags:read` and
    /// `flags:write`, the EdgeFlags bearer token.
    Full,
    /// A projects JWT for this role. Projects servers only.
    Role(Role),
    /// A krafter API key with exactly these scopes (possibly none). Krafter servers only.
    Scopes(Vec<Scope>),
    /// A token of the dialect's usual shape that this server never issued: always 401.
    Invalid,
}

/// What an issued token stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Principal {
    Role(Role),
    Scopes { read: bool, write: bool },
    Bearer,
}

impl State {
    /// The token for `grant`: the same one each time for the same rights, as a real account
    /// would have. Panics on a grant the dialect has no notion of, which is a test bug.
    pub(crate) fn issue(&mut self, grant: &Grant) -> String {
        let principal = match (self.dialect, grant) {
            (_, Grant::Invalid) => return self.invalid_token(),
            (Dialect::Projects, Grant::Full) => Principal::Role(Role::Owner),
            (Dialect::Projects, Grant::Role(role)) => Principal::Role(*role),
            (Dialect::Krafter, Grant::Full) => Principal::Scopes {
                read: true,
                write: true,
            },
            (Dialect::Krafter, Grant::Scopes(scopes)) => Principal::Scopes {
                read: scopes.contains(&Scope::FlagsRead),
                write: scopes.contains(&Scope::FlagsWrite),
            },
            (Dialect::Edgeflags, Grant::Full) => Principal::Bearer,
            (dialect, grant) => panic!("{grant:?} does not exist in the {dialect:?} dialect"),
        };
        if let Some(token) = self.issued.get(&principal) {
            return token.clone();
        }
        let token = self.mint(principal);
        self.tokens.insert(token.clone(), principal);
        self.issued.insert(principal, token.clone());
        token
    }

    /// A new token string of the dialect's shape for `principal`.
    fn mint(&mut self, principal: Principal) -> String {
        let secret = format!("{:016x}{:016x}", self.next_random(), self.next_random());
        match (self.dialect, principal) {
            (Dialect::Projects, Principal::Role(role)) => {
                // JWT-shaped so a client that inspects the token sees what it expects; the
                // server itself trusts only its table of issued tokens, not the signature.
                let header = base64url(br#"{"alg":"HS256","typ":"JWT"}"#);
                let claims = format!(
                    r#"{{"sub":"user-{}","role":"{}","project_id":"{}"}}"#,
                    role.name(),
                    role.name(),
                    self.project_id
                );
                format!("{header}.{}.{secret}", base64url(claims.as_bytes()))
            }
            (Dialect::Krafter, _) => format!("kr_live_{secret}"),
            _ => format!("ef_{secret}"),
        }
    }

    fn invalid_token(&mut self) -> String {
        let principal = match self.dialect {
            Dialect::Projects => Principal::Role(Role::Owner),
            Dialect::Krafter => Principal::Scopes {
                read: true,
                write: true,
            },
            Dialect::Edgeflags => Principal::Bearer,
        };
        // Minted like a real one but never recorded, so it is well-formed and still refused.
        self.mint(principal)
    }
}

/// The principal behind the request's `Authorization: Bearer …` header, or 401.
pub(crate) fn authenticate(state: &State, headers: &HeaderMap) -> Result<Principal, ApiError> {
    let value = headers
        .get(header::AUTHORIZATION)
        .ok_or_else(|| ApiError::unauthorized("missing Authorization header"))?;
    let value = value
        .to_str()
        .map_err(|_| ApiError::unauthorized("Authorization header is not valid text"))?;
    let token = match value.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token.trim(),
        _ => {
            return Err(ApiError::unauthorized(
                "Authorization header must be \"Bearer <token>\"",
            ));
        }
    };
    state
        .tokens
        .get(token)
        .copied()
        .ok_or_else(|| ApiError::unauthorized("invalid or expired token"))
}

/// Unpadded base64url (RFC 4648 §5), as JWT segments use.
fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::base64url;

    #[test]
    fn base64url_matches_rfc_4648_vectors_without_padding() {
        assert_eq!(base64url(b""), "");
        assert_eq!(base64url(b"f"), "Zg");
        assert_eq!(base64url(b"fo"), "Zm8");
        assert_eq!(base64url(b"foo"), "Zm9v");
        assert_eq!(base64url(b"foob"), "Zm9vYg");
        assert_eq!(base64url(b"\xfb\xff"), "-_8");
    }
}
