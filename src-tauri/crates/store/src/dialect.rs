//! The remote dialects by name: what the store records for each remote. How a segment is
//! written in each dialect is sync's business (`segments-sync`), not the store's.

use serde::{Deserialize, Serialize};

/// A hosted segments API's dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Dialect {
    /// `/v1/projects/{projectID}/segments`, JWT roles, `{attribute, operator, values}`.
    Projects,
    /// Krafter's `/flags/segments`, scoped API keys, server-assigned ids, `{key, operator, value}`.
    Krafter,
    /// EdgeFlags' `/api/v1/segments`, AND-only `conditions`, `If-Match`.
    Edgeflags,
}

impl Dialect {
    /// Every dialect.
    pub const ALL: [Dialect; 3] = [Dialect::Projects, Dialect::Krafter, Dialect::Edgeflags];

    /// The name used in the CLI and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::Projects => "projects",
            Dialect::Krafter => "krafter",
            Dialect::Edgeflags => "edgeflags",
        }
    }

    /// Parses a dialect name.
    pub fn from_name(name: &str) -> Option<Dialect> {
        Dialect::ALL.into_iter().find(|d| d.as_str() == name)
    }

    /// Whether the dialect needs a project id.
    pub fn needs_project(self) -> bool {
        matches!(self, Dialect::Projects | Dialect::Krafter)
    }

    /// Whether segments are identified by a server-assigned id rather than the key.
    pub fn has_server_ids(self) -> bool {
        self == Dialect::Krafter
    }
}

impl std::fmt::Display for Dialect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
