//! The endpoints of each dialect, as its API page documents them: paths, envelopes,
//! pagination and identities.

use reqwest::{Method, StatusCode, Url};
use serde_json::{Map, Value};

use crate::SyncError;
use crate::dialect::{Dialect, kind};
use crate::http::{Failure, Http, Request, Response};

/// Page size asked for: the documented maximum of projects and EdgeFlags.
const PAGE_LIMIT: usize = 100;
/// A listing longer than either is refused rather than followed forever (a server that
/// answers `has_more: true` to every page): far beyond any real project, and small enough
/// to hold in memory.
const MAX_LISTED_SEGMENTS: usize = 50_000;
const MAX_LISTING_BYTES: usize = 64 * 1024 * 1024;
/// Longest remote id accepted.
const MAX_ID_BYTES: usize = 256;

/// A segment as a remote holds it.
#[derive(Debug, Clone)]
pub(crate) struct RemoteSegment {
    /// The remote's identity: the key, or Krafter's id.
    pub id: String,
    /// The remote's key (none on Krafter).
    pub key: Option<String>,
    /// The display name.
    pub name: String,
    /// The object as received.
    pub object: Value,
    /// ETag when one came with it, else `updated_at`.
    pub version: Option<String>,
    /// The ETag, when the response had one (single-segment responses only).
    pub etag: Option<String>,
}

/// The path of a dialect's segments collection under the base URL; none when the dialect
/// needs a project id and there is none.
pub(crate) fn collection(dialect: Dialect, project_id: Option<&str>) -> Option<Vec<&str>> {
    match (dialect, project_id) {
        (Dialect::Projects, Some(project)) => Some(vec!["v1", "projects", project, "segments"]),
        (Dialect::Projects, None) => None,
        (Dialect::Krafter, _) => Some(vec!["flags", "segments"]),
        (Dialect::Edgeflags, _) => Some(vec!["api", "v1", "segments"]),
    }
}

/// The error for a remote recorded without the project id its dialect needs.
pub(crate) fn missing_project(remote: &str, dialect: Dialect) -> SyncError {
    SyncError::InvalidRemote {
        detail: format!(
            "the remote \"{remote}\" speaks {dialect} but has no project id; remove it and add it again with its project id"
        ),
    }
}

/// One remote's segments API.
pub(crate) struct Api {
    pub http: Http,
    remote: String,
    pub dialect: Dialect,
    base: Url,
    project_id: Option<String>,
}

impl Api {
    pub fn new(
        remote: &str,
        http: Http,
        dialect: Dialect,
        base_url: &str,
        project_id: Option<String>,
    ) -> Result<Self, SyncError> {
        let mut base = Url::parse(base_url).map_err(|e| SyncError::InvalidRemote {
            detail: format!("the URL \"{base_url}\" is not valid ({e})"),
        })?;
        if collection(dialect, project_id.as_deref()).is_none() {
            return Err(missing_project(remote, dialect));
        }
        // Checked here too, not only when the remote is added: the database is a file
        // that can be edited or shared.
        check_transport(&base)?;
        // `Url::join` replaces the last segment unless the path ends with a slash.
        if !base.path().ends_with('/') {
            base.set_path(&format!("{}/", base.path()));
        }
        Ok(Self {
            http,
            remote: remote.to_owned(),
            dialect,
            base,
            project_id,
        })
    }

    pub fn project_id(&self) -> Option<&str> {
        self.project_id.as_deref()
    }

    fn collection(&self) -> Vec<&str> {
        // `new` refused a dialect without the project id it needs.
        collection(self.dialect, self.project_id.as_deref()).unwrap_or_default()
    }

    fn url(&self, id: Option<&str>) -> Result<Url, SyncError> {
        if let Some(id) = id {
            check_id(id)?;
        }
        let mut url = self.base.clone();
        {
            // Infallible for http(s) URLs, which `Api::new` was given (others fail to send).
            if let Ok(mut path) = url.path_segments_mut() {
                path.pop_if_empty();
                path.extend(self.collection());
                if let Some(id) = id {
                    path.push(id);
                }
            }
        }
        Ok(url)
    }

    async fn send(
        &self,
        method: Method,
        url: Url,
        body: Option<&Value>,
        if_match: Option<&str>,
    ) -> Result<Response, Failure> {
        let idempotent = method != Method::POST;
        self.http
            .send(&Request {
                method,
                url,
                body,
                if_match,
                idempotent,
            })
            .await
    }

    /// Every segment, following the dialect's pagination to the end.
    pub async fn list(&self) -> Result<Vec<RemoteSegment>, SyncError> {
        let mut all = Vec::new();
        if self.dialect == Dialect::Krafter {
            let mut url = self.url(None)?;
            url.query_pairs_mut()
                .append_pair("project_id", self.project_id.as_deref().unwrap_or(""));
            let response = self
                .send(Method::GET, url, None, None)
                .await
                .map_err(|f| self.read_error(f))?;
            let items = list_items(&response.body)?;
            self.check_listing(items.len(), response.bytes)?;
            for object in items {
                all.push(self.remote_segment(object, None)?);
            }
            return Ok(all);
        }
        let mut seen = std::collections::HashSet::new();
        let mut bytes = 0;
        for page in 1usize.. {
            let mut url = self.url(None)?;
            url.query_pairs_mut()
                .append_pair("limit", &PAGE_LIMIT.to_string())
                .append_pair("offset", &all.len().to_string());
            let response = self
                .send(Method::GET, url, None, None)
                .await
                .map_err(|f| self.read_error(f))?;
            let items = list_items(&response.body)?;
            let count = items.len();
            bytes += response.bytes;
            self.check_listing(all.len() + count, bytes)?;
            let mut new = 0;
            for object in items {
                let segment = self.remote_segment(object, None)?;
                if seen.insert(segment.id.clone()) {
                    new += 1;
                    all.push(segment);
                }
            }
            if count > 0 && new == 0 {
                // Paging that does not move on would loop forever.
                return Err(SyncError::Malformed {
                    detail: format!(
                        "page {page} of the listing repeats segments already listed (does the server ignore offset?)"
                    ),
                });
            }
            let total = response.body.get("total").and_then(Value::as_u64);
            let more = match (
                response.body.get("has_more").and_then(Value::as_bool),
                total,
            ) {
                (Some(more), _) => more,
                (None, Some(total)) => (all.len() as u64) < total,
                // No paging fields (EdgeFlags' bare shapes): a page may be shorter than
                // asked for without being the last, so only an empty page ends the list.
                (None, None) => true,
            };
            if !more || count == 0 {
                return Ok(all);
            }
        }
        // Unreachable in practice: the segment cap ends any listing long before.
        Err(SyncError::ListingTooLong {
            remote: self.remote.clone(),
            limit: "the number of pages a counter can hold".to_owned(),
        })
    }

    /// Refuses a listing that has grown past [`MAX_LISTED_SEGMENTS`] or
    /// [`MAX_LISTING_BYTES`].
    fn check_listing(&self, segments: usize, bytes: usize) -> Result<(), SyncError> {
        let limit = if segments > MAX_LISTED_SEGMENTS {
            "50,000 segments"
        } else if bytes > MAX_LISTING_BYTES {
            "64 MiB"
        } else {
            return Ok(());
        };
        Err(SyncError::ListingTooLong {
            remote: self.remote.clone(),
            limit: limit.to_owned(),
        })
    }

    /// One segment by its identity; `None` when the remote does not have it. Krafter has no
    /// endpoint for one segment, so its listing is searched.
    pub async fn get(&self, id: &str) -> Result<Option<RemoteSegment>, SyncError> {
        if self.dialect == Dialect::Krafter {
            return Ok(self.list().await?.into_iter().find(|s| s.id == id));
        }
        match self
            .send(Method::GET, self.url(Some(id))?, None, None)
            .await
        {
            Ok(response) => Ok(Some(
                self.remote_segment(one_item(&response.body)?, response.etag)?,
            )),
            Err(f) if f.status == Some(StatusCode::NOT_FOUND) => Ok(None),
            Err(f) => Err(self.read_error(f)),
        }
    }

    /// Creates a segment from an encoded body.
    pub async fn create(&self, body: &Value) -> Result<RemoteSegment, Failure> {
        let url = self.url(None).map_err(Failure::definite)?;
        let response = self.send(Method::POST, url, Some(body), None).await?;
        self.written(response)
    }

    /// Updates a segment (EdgeFlags: only if its ETag is still `if_match`).
    pub async fn update(
        &self,
        id: &str,
        body: &Value,
        if_match: Option<&str>,
    ) -> Result<RemoteSegment, Failure> {
        let method = match self.dialect {
            Dialect::Krafter => Method::PATCH,
            Dialect::Projects | Dialect::Edgeflags => Method::PUT,
        };
        let url = self.url(Some(id)).map_err(Failure::definite)?;
        let response = self.send(method, url, Some(body), if_match).await?;
        self.written(response)
    }

    /// Deletes a segment; one already gone counts as deleted.
    pub async fn delete(&self, id: &str) -> Result<(), Failure> {
        let url = self.url(Some(id)).map_err(Failure::definite)?;
        match self.send(Method::DELETE, url, None, None).await {
            Ok(_) => Ok(()),
            Err(f) if f.status == Some(StatusCode::NOT_FOUND) => Ok(()),
            Err(f) => Err(f),
        }
    }

    fn written(&self, response: Response) -> Result<RemoteSegment, Failure> {
        let etag = response.etag.clone();
        one_item(&response.body)
            .and_then(|object| self.remote_segment(object, etag))
            .map_err(|error| Failure {
                error,
                maybe_applied: true,
                status: Some(response.status),
                server_message: None,
            })
    }

    fn read_error(&self, failure: Failure) -> SyncError {
        self.explain(failure, false, None)
    }

    /// The failure in words that say what to do, for a read or a write of `key`.
    pub fn explain(&self, failure: Failure, write: bool, key: Option<&str>) -> SyncError {
        let remote = self.remote.clone();
        let detail = failure.server_message.clone().unwrap_or_default();
        match failure.status.map(|s| s.as_u16()) {
            Some(401) => SyncError::Unauthorized { remote, detail },
            Some(403) => SyncError::Forbidden {
                remote,
                needs: match (self.dialect, write) {
                    (Dialect::Projects, true) => "needs Owner, Admin or Developer",
                    (Dialect::Projects, false) => "needs a role in this project",
                    (Dialect::Krafter, true) => "needs flags:write",
                    (Dialect::Krafter, false) => "needs flags:read",
                    (Dialect::Edgeflags, _) => "needs a token allowed to manage segments",
                },
                detail,
            },
            Some(404) if key.is_none() => SyncError::NotFound { remote, detail },
            Some(status @ (400 | 404 | 409 | 412 | 415 | 422)) => SyncError::Rejected {
                remote,
                key: key.unwrap_or("").to_owned(),
                status,
                detail,
            },
            _ => failure.error,
        }
    }

    fn remote_segment(
        &self,
        object: &Value,
        etag: Option<String>,
    ) -> Result<RemoteSegment, SyncError> {
        remote_segment(self.dialect, object, etag)
    }
}

/// One segment object of a response, with its identity (the key, or the remote's own id on
/// dialects with server ids).
pub(crate) fn remote_segment(
    dialect: Dialect,
    object: &Value,
    etag: Option<String>,
) -> Result<RemoteSegment, SyncError> {
    let fields = object.as_object().ok_or_else(|| SyncError::Malformed {
        detail: format!("expected a segment object, got {}", kind(object)),
    })?;
    let text = |name: &str| fields.get(name).and_then(Value::as_str).map(str::to_owned);
    let key = text("key");
    let id = if dialect.has_server_ids() {
        text("id")
    } else {
        key.clone()
    };
    let id = id.ok_or_else(|| SyncError::Malformed {
        detail: format!(
            "a segment came without {} (fields: {})",
            if dialect.has_server_ids() {
                "an \"id\""
            } else {
                "a \"key\""
            },
            field_names(fields)
        ),
    })?;
    check_id(&id)?;
    let name = text("name")
        .or_else(|| key.clone())
        .unwrap_or_else(|| id.clone());
    Ok(RemoteSegment {
        id,
        key,
        name,
        object: object.clone(),
        version: etag.clone().or_else(|| text("updated_at")),
        etag,
    })
}

/// Refuses plain `http://` except to this machine (loopback: `localhost`, 127.0.0.0/8,
/// `::1`), where nothing crosses a network: elsewhere the bearer token would travel in
/// clear text.
pub(crate) fn check_transport(url: &Url) -> Result<(), SyncError> {
    if url.scheme() != "http" {
        return Ok(());
    }
    let host = url.host_str().unwrap_or_default();
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    if loopback {
        return Ok(());
    }
    Err(SyncError::InvalidRemote {
        detail: format!(
            "the URL \"{url}\" uses plain http, which would send the token in clear text over the network; use https:// (plain http is allowed only for this machine: localhost, 127.0.0.1, ::1)"
        ),
    })
}

/// Refuses a remote id that would change the URL it is put in: `.` and `..` (a path
/// step up, to another collection), separators and escapes, control characters, and
/// oversize ids.
fn check_id(id: &str) -> Result<(), SyncError> {
    let bad = id.is_empty()
        || id == "."
        || id == ".."
        || id.len() > MAX_ID_BYTES
        || id
            .chars()
            .any(|c| c.is_control() || matches!(c, '/' | '\\' | '%' | '?' | '#'));
    if !bad {
        return Ok(());
    }
    let shown: String = id.chars().filter(|c| !c.is_control()).take(64).collect();
    Err(SyncError::Malformed {
        detail: format!(
            "a segment id \"{shown}\" is not usable in a URL (empty, \".\" or \"..\", longer than {MAX_ID_BYTES} bytes, or with / \\ % ? # or control characters); refusing it"
        ),
    })
}

/// The items of a list response: a bare array, or one under `data` (with or without
/// `total` and paging fields).
pub(crate) fn list_items(body: &Value) -> Result<&Vec<Value>, SyncError> {
    match body {
        Value::Array(items) => Ok(items),
        Value::Object(fields) => match fields.get("data") {
            Some(Value::Array(items)) => Ok(items),
            _ => Err(SyncError::Malformed {
                detail: format!(
                    "expected a list of segments (an array, or {{\"data\": [...]}}), got an object with {}",
                    field_names(fields)
                ),
            }),
        },
        other => Err(SyncError::Malformed {
            detail: format!("expected a list of segments, got {}", kind(other)),
        }),
    }
}

/// The segment of a one-segment response: a bare object or one under `data`.
pub(crate) fn one_item(body: &Value) -> Result<&Value, SyncError> {
    match body {
        Value::Object(fields) => match fields.get("data") {
            Some(inner @ Value::Object(_)) => Ok(inner),
            _ => Ok(body),
        },
        other => Err(SyncError::Malformed {
            detail: format!("expected a segment object, got {}", kind(other)),
        }),
    }
}

fn field_names(fields: &Map<String, Value>) -> String {
    if fields.is_empty() {
        return "no fields".to_owned();
    }
    let names: Vec<&str> = fields.keys().map(String::as_str).take(8).collect();
    format!("fields {}", names.join(", "))
}
