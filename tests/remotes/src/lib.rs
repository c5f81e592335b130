//! Fake remote segments servers for Segment Studio's sync tests.
//!
//! [`FakeRemote::start`] runs a real HTTP/1.1 server on `127.0.0.1` speaking one of the three
//! hosted "segments" APIs whose pages are kept in `shared/api-docs/` (the contract, followed to
//! the letter): paths, field names, envelopes, pagination, auth and status codes. The test keeps
//! a handle to seed and inspect the server's state, simulate other users' edits, issue
//! credentials and switch faults on and off while the client runs.
//!
//! ```no_run
//! use fake_remotes::{Dialect, FakeRemote, Faults, Grant};
//!
//! let remote = FakeRemote::start(Dialect::Projects);
//! let token = remote.token(Grant::Full);
//! remote.insert(serde_json::json!({"key": "beta", "name": "Beta", "rules": []}));
//! remote.set_faults(Faults { error_rate: 0.2, seed: 7, ..Faults::none() });
//! // … point the sync client at remote.base_url() with `token` …
//! assert_eq!(remote.stats().faults.dropped_after_write, 0);
//! ```
//!
//! # What each dialect serves
//!
//! - **projects** (base URL = server root): `GET`/`POST /v1/projects/{projectID}/segments`,
//!   `GET`/`PUT`/`DELETE /v1/projects/{projectID}/segments/{key}`. Create answers 201 with
//!   `id`, `created_at`, `updated_at`; `description` defaults to `""`, `match_type` to `"all"`.
//!   The list is `{"data","total","limit","offset","has_more"}`, `limit` default 50, max 100.
//!   `PUT` is a partial update (200), `DELETE` 204. Reads for every role; writes need Owner,
//!   Admin or Developer (403 otherwise).
//! - **krafter** (base URL = root + `/api/v1`): `GET /flags/segments?project_id=` answers
//!   `{"data":[…]}` with no pagination; `POST /flags/segments` needs `project_id`, `name`,
//!   `rules`, `match_type` and answers 201 `{"data":{…}}` with a server-assigned UUID `id`;
//!   `PATCH /flags/segments/{id}` is partial (200 `{"data":{…}}`); `DELETE` 204. Scopes
//!   `flags:read` (list) and `flags:write` (the rest); a missing one is 403 naming it. Rule
//!   operators are limited to the page's eight.
//! - **edgeflags** (base URL = server root): `GET`/`POST /api/v1/segments`,
//!   `GET`/`PUT`/`DELETE /api/v1/segments/{key}`. Keys must match `[a-z0-9][a-z0-9._-]{0,127}`;
//!   `conditions` are `{property, operator, value}`; `PUT` is a full update honouring
//!   `If-Match` (412 when it does not match); one bearer token.
//!
//! Every dialect: 401 without a valid `Authorization: Bearer` token (with
//! `WWW-Authenticate: Bearer`), 404 for an unknown segment or endpoint, 415 for a write body
//! without `Content-Type: application/json`, 400 for malformed JSON.
//!
//! # Assumptions where the docs are silent
//!
//! - **Error bodies.** projects: `{"error": "<code>", "message": "<text>"}`; krafter:
//!   `{"error": {"code": "<code>", "message": "<text>"}}`; EdgeFlags: `{"error": "<text>"}`.
//!   Codes: `unauthorized`, `forbidden`, `not_found`, `conflict`, `validation_failed`,
//!   `invalid_json`, `unsupported_media_type`, `precondition_failed`, `rate_limited`,
//!   `internal_error`, `method_not_allowed`.
//! - **Validation status.** projects answers 422 for a body it refuses; krafter and EdgeFlags
//!   400. Malformed JSON is 400 and a bad `limit`/`offset`/`project_id` query 400 everywhere.
//!   The message names the field (and the rule index, `rules[1]: …`).
//! - **Strict bodies.** Unknown fields are refused (a misspelt field silently ignored would hide
//!   a client bug); server-managed ones (`id`, `created_at`, `updated_at`, and `key` on a
//!   projects update, `project_id` on a krafter update) are refused as read-only. `null` is a
//!   wrong type, not an omission. Required strings must not be empty.
//! - **Order of checks.** Authentication (401); for projects the URL's project (404) then the
//!   role (403); for krafter the scope (403), then `project_id` (400 missing, 404 foreign) with
//!   the query or body; then for updates and deletes the segment's existence (404), then
//!   `If-Match` (412, EdgeFlags `PUT`, before the body as RFC 9110 §13.2.1 orders), then the body
//!   (415/400/422), then uniqueness (409 on create with a taken key, projects and EdgeFlags).
//! - **Pagination.** `limit` above 100 is clamped to 100 and the effective limit is echoed;
//!   `limit` 0, negative or not a number, or a bad `offset`, is 400; an offset past the end gives
//!   an empty page. EdgeFlags uses the same default (50) and maximum (100). projects and krafter
//!   list in creation order; EdgeFlags in key order.
//! - **A foreign project.** A `projectID` (projects) or `project_id` (krafter) other than
//!   [`FakeRemote::project_id`] is 404 "project not found".
//! - **projects rules.** `{attribute, operator, values}` with `values` an array of strings (the
//!   page writes even a boolean as `["true"]`). The page lists no operators, so any non-empty
//!   operator is accepted. `rules` may be empty.
//! - **krafter.** `description` defaults to `""`; responses carry no `project_id` (the page's
//!   objects have none). A rule's `value` must be present; for `in`/`not_in` it must be an array.
//!   There is no `GET /flags/segments/{id}` (the page has none): it answers 405. `flags:write`
//!   does not imply `flags:read`.
//! - **EdgeFlags bodies.** Besides `key` and `conditions`, `name` and `description` strings are
//!   accepted (the page lists only the required fields); stored objects are `key`, `name`?,
//!   `description`?, `conditions`, `created_at`, `updated_at`. Operators: `equals`,
//!   `not_equals`, `contains`, `in`, `not_in`, `starts_with`, `ends_with`, `gt`, `gte`, `lt`,
//!   `lte`, `regex`; `in`/`not_in` take an array. `GET /api/v1/segments/{key}` exists (the page
//!   shows none, but `If-Match` needs an ETag to come from somewhere).
//! - **EdgeFlags response shapes** are set by [`FakeRemote::set_response_shape`]; the default
//!   [`ResponseShape::DataWithTotal`] is `{"data":[…],"total","limit","offset"}` for lists and
//!   `{"data":{…}}` for one segment.
//! - **ETags.** Strong, `"r<N>"` with `N` the server-wide revision of the segment's last write,
//!   sent on `GET`, `POST` and `PUT` of one segment (not on lists). `If-Match: *` matches any
//!   existing segment; a list of tags matches if one does; weak tags never match. `PUT` to a
//!   missing key is 404 whatever `If-Match` says (no upsert). `DELETE` ignores `If-Match` (the
//!   page gives concurrency to `PUT` only).
//! - **EdgeFlags `PUT`** replaces everything: an omitted `name`/`description` is removed; a
//!   `key` in the body must equal the URL's; `created_at` is kept.
//! - **Timestamps.** RFC 3339 UTC with milliseconds (`2026-04-01T00:00:00.123Z`), strictly
//!   increasing per server so two edits in one second still differ. Every successful update
//!   bumps `updated_at`, even one that changes nothing.
//! - **Credentials.** projects tokens are JWT-shaped (`header.claims.signature`, claims with
//!   `sub`, `role`, `project_id`); krafter keys look like `kr_live_…`; EdgeFlags tokens like
//!   `ef_…`. The server trusts only the tokens it issued; [`Grant::Invalid`] gives a well-formed
//!   one it never issued.
//!
//! # Faults
//!
//! [`Faults`] apply to every request, unknown endpoints included, before authentication (as a
//! rate limiter or proxy in front of the API would): an optional delay, then
//! a draw that may answer 500 or 429 (`Retry-After` in whole seconds) instead of handling it;
//! after a successful write, another draw may close the connection without a response, the write
//! applied. Draws come from a generator seeded by [`Faults::seed`], so a sequential test sees the
//! same faults each run.
//!
//! # The fault proxy
//!
//! [`FaultProxy`] sits between a client and a server and breaks exchanges the ways networks
//! and gateways do ([`ProxyFault`]): delays and dripping bodies, closes before the server and
//! after it applied a write, truncated, oversize and deeply nested bodies, redirects to a
//! [`RedirectTrap`] that records any `Authorization` reaching it, 429s with huge or HTTP-date
//! `Retry-After`, bursts of 5xx, endless listings and an `ETag` that keeps changing.

mod auth;
mod edgeflags;
mod errors;
mod faults;
mod json_body;
mod krafter;
mod paging;
mod projects;
mod proxy;
mod proxy_faults;
mod proxy_wire;
mod random;
mod redirect_trap;
mod remote;
mod server;
mod state;

pub use auth::{Grant, Role, Scope};
pub use faults::{FaultCounts, Faults, Stats};
pub use proxy::FaultProxy;
pub use proxy_faults::{ProxyFault, ProxyFaults, ProxyStats};
pub use redirect_trap::RedirectTrap;
pub use remote::FakeRemote;

/// One of the three hosted segments APIs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// `/v1/projects/{projectID}/segments`, JWT roles, `PUT` partial update.
    Projects,
    /// `/api/v1/flags/segments`, API key scopes, `PATCH`, `{"data": …}` envelopes.
    Krafter,
    /// `/api/v1/segments`, patterned keys, `PUT` full update with `If-Match`.
    Edgeflags,
}

impl Dialect {
    /// The dialect's name as the API docs' README spells it.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Projects => "projects",
            Dialect::Krafter => "krafter",
            Dialect::Edgeflags => "edgeflags",
        }
    }
}

/// How EdgeFlags wraps its response bodies, which its page does not show. A sync client must
/// accept the first three and clearly refuse the last.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ResponseShape {
    /// A bare array for lists, a bare object for one segment.
    Bare,
    /// `{"data": [...]}` and `{"data": {...}}`.
    Data,
    /// `{"data": [...], "total", "limit", "offset"}` and `{"data": {...}}`.
    #[default]
    DataWithTotal,
    /// `{"segments": [...]}` and `{"segment": {...}}`: a shape no client should guess at.
    Unrecognized,
}
