//! What the fault proxy can do to one exchange, how it draws it, and what it counted.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::Dialect;

/// One kind of fault the proxy injects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ProxyFault {
    /// Holds the request back 50–400 ms before forwarding it.
    Delay,
    /// Forwards, then sends the answer a few bytes at a time with pauses.
    SlowDrip,
    /// Reads the request, then closes the client's connection: it never reaches the server.
    ResetBeforeServer,
    /// Forwards, lets the server apply it, then closes without answering.
    DropAnswer,
    /// Forwards, then sends the full `Content-Length` but only part of the body.
    TruncatedBody,
    /// Answers 200 with a body over 16 MiB (the client's default cap), not forwarded.
    OversizeBody,
    /// Answers 200 with JSON nested 100,000 deep, not forwarded.
    DeepNesting,
    /// Answers 302 to the same path on the redirect trap's port.
    RedirectOtherPort,
    /// Answers 307 to an `http://localhost` URL on the trap (another host and a plain URL).
    RedirectToHttp,
    /// Answers 429 with a `Retry-After` of days.
    RetryAfterHuge,
    /// Answers 429 with `Retry-After` as an HTTP date (a few seconds ahead, or years).
    RetryAfterDate,
    /// Answers the next 3–8 requests with 500, 502 or 503 without forwarding them.
    ServerErrorBurst,
    /// Makes a listing endless: its pages say there is more, and pages past the real end
    /// are made up (fresh segments each time) until the next first page.
    EndlessPaging,
    /// Forwards and replaces the `ETag` with a new one each time.
    ChangingEtag,
}

impl ProxyFault {
    /// Every kind, in a fixed order (draws index into it).
    pub const ALL: [ProxyFault; 14] = [
        ProxyFault::Delay,
        ProxyFault::SlowDrip,
        ProxyFault::ResetBeforeServer,
        ProxyFault::DropAnswer,
        ProxyFault::TruncatedBody,
        ProxyFault::OversizeBody,
        ProxyFault::DeepNesting,
        ProxyFault::RedirectOtherPort,
        ProxyFault::RedirectToHttp,
        ProxyFault::RetryAfterHuge,
        ProxyFault::RetryAfterDate,
        ProxyFault::ServerErrorBurst,
        ProxyFault::EndlessPaging,
        ProxyFault::ChangingEtag,
    ];

    /// A snake_case name for figures.
    pub fn name(self) -> &'static str {
        match self {
            ProxyFault::Delay => "delay",
            ProxyFault::SlowDrip => "slow_drip",
            ProxyFault::ResetBeforeServer => "reset_before_server",
            ProxyFault::DropAnswer => "drop_answer",
            ProxyFault::TruncatedBody => "truncated_body",
            ProxyFault::OversizeBody => "oversize_body",
            ProxyFault::DeepNesting => "deep_nesting",
            ProxyFault::RedirectOtherPort => "redirect_other_port",
            ProxyFault::RedirectToHttp => "redirect_to_http",
            ProxyFault::RetryAfterHuge => "retry_after_huge",
            ProxyFault::RetryAfterDate => "retry_after_date",
            ProxyFault::ServerErrorBurst => "server_error_burst",
            ProxyFault::EndlessPaging => "endless_paging",
            ProxyFault::ChangingEtag => "changing_etag",
        }
    }
}

/// The faults in force: a share of exchanges, and the kinds drawn among (uniformly).
#[derive(Clone, Debug, PartialEq)]
pub struct ProxyFaults {
    /// Share (0.0 – 1.0) of exchanges that get a fault.
    pub rate: f64,
    /// The kinds drawn from; empty means none.
    pub kinds: Vec<ProxyFault>,
    /// Seed of the draws (restarted by each `set_faults`).
    pub seed: u64,
}

impl ProxyFaults {
    /// Every exchange relayed untouched.
    pub fn none() -> ProxyFaults {
        ProxyFaults {
            rate: 0.0,
            kinds: Vec::new(),
            seed: 0,
        }
    }

    /// A share `rate` of exchanges get one of every kind.
    pub fn all(rate: f64, seed: u64) -> ProxyFaults {
        ProxyFaults {
            rate,
            kinds: ProxyFault::ALL.to_vec(),
            seed,
        }
    }
}

/// What the proxy has seen since it started.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProxyStats {
    /// Requests read from clients.
    pub requests: u64,
    /// Requests relayed to the server.
    pub forwarded: u64,
    /// Faults injected, by kind (a burst counts each request it answers).
    pub injected: BTreeMap<ProxyFault, u64>,
}

impl ProxyStats {
    /// Faults injected in all.
    pub fn total_injected(&self) -> u64 {
        self.injected.values().sum()
    }

    /// `{kind: count}` for every kind, zeros included, so figures line up across runs.
    pub fn by_name(&self) -> Value {
        let mut map = serde_json::Map::new();
        for kind in ProxyFault::ALL {
            let count = self.injected.get(&kind).copied().unwrap_or(0);
            map.insert(kind.name().to_owned(), count.into());
        }
        Value::Object(map)
    }
}

/// A page of made-up segments at `offset`, with "more to come", in the dialect's list shape.
pub(crate) fn endless_page(dialect: Dialect, offset: usize, limit: usize) -> Vec<u8> {
    let made_up = |n: usize| {
        let key = format!("endless-{n:08}");
        match dialect {
            Dialect::Edgeflags => json!({"key": key, "conditions": [],
                "created_at": "2026-01-01T00:00:00.000Z", "updated_at": "2026-01-01T00:00:00.000Z"}),
            Dialect::Projects | Dialect::Krafter => json!({
                "id": format!("00000000-0000-4000-8000-{n:012}"), "key": key, "name": key,
                "description": "", "match_type": "all", "rules": [],
                "created_at": "2026-01-01T00:00:00.000Z", "updated_at": "2026-01-01T00:00:00.000Z"}),
        }
    };
    let data: Vec<Value> = (offset..offset + limit).map(made_up).collect();
    let body = json!({"data": data, "total": u32::MAX, "limit": limit,
        "offset": offset, "has_more": true});
    body.to_string().into_bytes()
}

/// Marks a real listing page as not the last one (`has_more`, a `total` beyond it).
pub(crate) fn claim_more(body: &[u8]) -> Option<Vec<u8>> {
    let mut value: Value = serde_json::from_slice(body).ok()?;
    let object = value.as_object_mut()?;
    object.get("data")?.as_array()?;
    object.insert("has_more".into(), true.into());
    object.insert("total".into(), u32::MAX.into());
    Some(value.to_string().into_bytes())
}

/// `[[[…]]]` `depth` deep: valid JSON that a recursive parser without a limit overflows on.
pub(crate) fn deeply_nested(depth: usize) -> Vec<u8> {
    let mut body = vec![b'['; depth];
    body.extend(std::iter::repeat_n(b']', depth));
    body
}

/// The `(offset, limit)` of a listing request, `None` for anything else.
pub(crate) fn listing_page(start_line: &str) -> Option<(usize, usize)> {
    let target = start_line.strip_prefix("GET ")?.split(' ').next()?;
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    if !path.ends_with("/segments") {
        return None;
    }
    let mut page = (0, 50);
    for pair in query.split('&') {
        match pair.split_once('=') {
            Some(("offset", n)) => page.0 = n.parse().ok()?,
            Some(("limit", n)) => page.1 = n.parse().ok()?,
            _ => {}
        }
    }
    Some(page)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failed unwrap is a failed test
mod tests {
    use super::*;

    #[test]
    fn listings_are_recognised_and_made_endless() {
        assert_eq!(
            listing_page("GET /api/v1/segments?limit=100&offset=200 HTTP/1.1"),
            Some((200, 100))
        );
        assert_eq!(listing_page("GET /api/v1/segments/a HTTP/1.1"), None);
        assert_eq!(listing_page("POST /api/v1/segments HTTP/1.1"), None);
        let page: Value = serde_json::from_slice(&endless_page(Dialect::Projects, 5, 2)).unwrap();
        assert_eq!(page["data"][1]["key"], "endless-00000006");
        assert_eq!(page["has_more"], true);
        let more: Value =
            serde_json::from_slice(&claim_more(br#"{"data":[],"has_more":false}"#).unwrap())
                .unwrap();
        assert_eq!(more["has_more"], true);
        assert!(serde_json::from_slice::<Value>(&deeply_nested(200)).is_err());
    }
}
