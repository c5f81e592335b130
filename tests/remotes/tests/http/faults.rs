//! Injected faults and statistics, over HTTP.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use fake_remotes::{Dialect, FakeRemote, FaultCounts, Faults, Grant, Stats};
use serde_json::json;

use crate::{client, send, status_and_json};

/// The statuses of `count` sequential list requests.
async fn list_statuses(remote: &FakeRemote, count: usize) -> Vec<u16> {
    let http = client();
    let token = remote.token(Grant::Full);
    let url = format!("{}/api/v1/segments", remote.base_url());
    let mut statuses = Vec::with_capacity(count);
    for _ in 0..count {
        statuses.push(
            send(http.get(&url).bearer_auth(&token))
                .await
                .status()
                .as_u16(),
        );
    }
    statuses
}

#[tokio::test]
async fn error_rate_gives_about_that_share_of_500s_reproducibly() {
    let remote = FakeRemote::start(Dialect::Edgeflags);
    let faults = Faults {
        error_rate: 0.3,
        seed: 42,
        ..Faults::none()
    };
    remote.set_faults(faults.clone());
    let first = list_statuses(&remote, 200).await;
    let errors = first.iter().filter(|s| **s == 500).count();
    assert!((40..=80).contains(&errors), "{errors} of 200 at 30 %");
    assert!(first.iter().all(|s| *s == 200 || *s == 500));
    let stats = remote.stats();
    assert_eq!(stats.faults.server_errors, errors as u64);
    assert_eq!(stats.status(500), errors as u64);
    assert_eq!(stats.requests, 200);

    remote.set_faults(faults);
    assert_eq!(
        list_statuses(&remote, 200).await,
        first,
        "same seed, same faults"
    );
    remote.set_faults(Faults {
        error_rate: 0.3,
        seed: 43,
        ..Faults::none()
    });
    assert_ne!(
        list_statuses(&remote, 200).await,
        first,
        "another seed, other faults"
    );
    remote.set_faults(Faults::none());
    assert!(list_statuses(&remote, 20).await.iter().all(|s| *s == 200));
}

#[tokio::test]
async fn rate_limiting_sends_retry_after_in_the_dialects_error_shape() {
    let remote = FakeRemote::start(Dialect::Krafter);
    let http = client();
    let token = remote.token(Grant::Full);
    let url = format!("{}/flags/segments", remote.base_url());
    for retry_after in [1, 0] {
        remote.set_faults(Faults {
            rate_limit_rate: 1.0,
            retry_after_secs: retry_after,
            ..Faults::none()
        });
        let response = send(http.get(&url).bearer_auth(&token)).await;
        let header = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let (status, body) = status_and_json(response).await;
        assert_eq!(status, 429);
        assert_eq!(header, Some(retry_after.to_string()));
        assert_eq!(body["error"]["code"], "rate_limited");
    }
    // Faults come before authentication, as a rate limiter in front of the API would.
    let (status, _) = status_and_json(send(http.get(&url)).await).await;
    assert_eq!(status, 429);
    assert_eq!(remote.stats().faults.rate_limited, 3);
}

#[tokio::test]
async fn a_dropped_write_is_applied_but_never_answered() {
    let remote = FakeRemote::start(Dialect::Projects);
    let http = client();
    let token = remote.token(Grant::Full);
    let url = format!(
        "{}/v1/projects/{}/segments",
        remote.base_url(),
        remote.project_id()
    );
    remote.set_faults(Faults {
        drop_after_write_rate: 1.0,
        ..Faults::none()
    });
    let body = json!({"key": "dropped", "name": "Dropped", "rules": []});
    let outcome = http.post(&url).bearer_auth(&token).json(&body).send().await;
    let error = outcome.expect_err("the connection closes without a response");
    assert!(!error.is_timeout(), "closed, not hung: {error}");
    assert_eq!(remote.segments().len(), 1, "the write was applied");
    assert_eq!(remote.segments()[0]["key"], "dropped");

    // Reads and refused writes are answered; only applied writes are dropped.
    let (status, _) = status_and_json(send(http.get(&url).bearer_auth(&token)).await).await;
    assert_eq!(status, 200);
    let (status, _) =
        status_and_json(send(http.post(&url).bearer_auth(&token).json(&body)).await).await;
    assert_eq!(status, 409);

    let stats = remote.stats();
    assert_eq!(stats.writes_applied, 1);
    assert_eq!(stats.faults.dropped_after_write, 1);
    assert_eq!(stats.requests, 3);
    assert_eq!(stats.status(201), 0, "the 201 was never sent");

    remote.set_faults(Faults::none());
    let (status, _) =
        status_and_json(send(http.delete(format!("{url}/dropped")).bearer_auth(&token)).await)
            .await;
    assert_eq!(status, 204, "the server lives on");
}

#[tokio::test]
async fn delay_slows_every_response() {
    let remote = FakeRemote::start(Dialect::Edgeflags);
    remote.set_faults(Faults {
        delay: Some(Duration::from_millis(150)),
        ..Faults::none()
    });
    let started = Instant::now();
    assert_eq!(list_statuses(&remote, 2).await, vec![200, 200]);
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(remote.stats().faults.delayed, 2);
}

#[tokio::test]
async fn stats_count_requests_writes_and_statuses() {
    let remote = FakeRemote::start(Dialect::Edgeflags);
    let http = client();
    let token = remote.token(Grant::Full);
    let url = format!("{}/api/v1/segments", remote.base_url());
    let body = json!({"key": "a", "conditions": []});
    let requests = [
        http.post(&url).bearer_auth(&token).json(&body),
        http.post(&url).bearer_auth(&token).json(&body),
        http.post(&url).json(&body),
        http.put(format!("{url}/a")).bearer_auth(&token).json(&body),
        http.get(&url).bearer_auth(&token),
        http.delete(format!("{url}/a")).bearer_auth(&token),
        http.delete(format!("{url}/a")).bearer_auth(&token),
    ];
    for request in requests {
        send(request).await;
    }
    remote.insert(json!({"key": "seeded"}));
    remote.edit_remotely("seeded", json!({"name": "not a request"}));
    let expected = Stats {
        requests: 7,
        writes_applied: 3,
        statuses: [(200, 2), (201, 1), (204, 1), (401, 1), (404, 1), (409, 1)]
            .into_iter()
            .collect(),
        faults: FaultCounts::default(),
    };
    assert_eq!(remote.stats(), expected);
}

/// The server runs on its own thread, so a blocking client on a plain test thread is served.
#[test]
fn serves_a_blocking_client_without_an_async_runtime() {
    let remote = FakeRemote::start(Dialect::Edgeflags);
    let token = remote.token(Grant::Full);
    let address = remote.root_url().trim_start_matches("http://").to_owned();
    let mut stream = TcpStream::connect(&address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("a read timeout");
    let request = format!(
        "GET /api/v1/segments HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"total\":0"), "{answer}");
    remote.stop();
    assert!(
        TcpStream::connect(&address).is_err(),
        "stopped servers refuse connections"
    );
}
