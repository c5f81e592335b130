//! The fault proxy: each kind, alone and always on, does to an exchange what it says.

use std::time::{Duration, Instant};

use fake_remotes::{Dialect, FakeRemote, FaultProxy, Grant, ProxyFault, ProxyFaults, RedirectTrap};
use reqwest::Client;
use serde_json::{Value, json};

struct Rig {
    fake: FakeRemote,
    trap: RedirectTrap,
    proxy: FaultProxy,
    token: String,
}

fn rig(dialect: Dialect, fault: Option<ProxyFault>) -> Rig {
    let fake = FakeRemote::start(dialect);
    let trap = RedirectTrap::start();
    let proxy = FaultProxy::start(dialect, fake.address(), trap.port());
    if let Some(fault) = fault {
        proxy.set_faults(ProxyFaults {
            rate: 1.0,
            kinds: vec![fault],
            seed: 1,
        });
    }
    let token = fake.token(Grant::Full);
    Rig {
        fake,
        trap,
        proxy,
        token,
    }
}

/// Redirects are not followed here: the test looks at what the proxy answered.
fn plain() -> Client {
    Client::builder()
        .timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a reqwest client")
}

impl Rig {
    fn list_url(&self) -> String {
        format!("{}/api/v1/segments?limit=2&offset=0", self.proxy.root_url())
    }

    async fn get(&self, url: &str) -> Result<reqwest::Response, reqwest::Error> {
        plain().get(url).bearer_auth(&self.token).send().await
    }
}

#[tokio::test]
async fn without_faults_exchanges_pass_through_unchanged() {
    let rig = rig(Dialect::Edgeflags, None);
    rig.fake.insert(json!({"key": "a"}));
    let response = rig.get(&rig.list_url()).await.expect("an answer");
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(body["data"][0]["key"], "a");
    let created = plain()
        .post(format!("{}/api/v1/segments", rig.proxy.root_url()))
        .bearer_auth(&rig.token)
        .json(&json!({"key": "b", "conditions": []}))
        .send()
        .await
        .expect("an answer");
    assert_eq!(created.status(), 201);
    assert!(created.headers().get("etag").is_some());
    assert_eq!(rig.fake.segments().len(), 2);
    assert_eq!(rig.proxy.stats().forwarded, 2);
    assert_eq!(rig.proxy.stats().total_injected(), 0);
}

#[tokio::test]
async fn answers_in_the_servers_place() {
    let cases = [
        (ProxyFault::RedirectOtherPort, 302),
        (ProxyFault::RedirectToHttp, 307),
        (ProxyFault::RetryAfterHuge, 429),
        (ProxyFault::RetryAfterDate, 429),
    ];
    for (fault, status) in cases {
        let rig = rig(Dialect::Edgeflags, Some(fault));
        let response = rig.get(&rig.list_url()).await.expect("an answer");
        assert_eq!(response.status(), status, "{fault:?}");
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        match fault {
            ProxyFault::RedirectOtherPort => assert!(
                header("location").starts_with(&format!("http://127.0.0.1:{}/", rig.trap.port()))
            ),
            ProxyFault::RedirectToHttp => {
                assert!(header("location").starts_with("http://localhost:"))
            }
            ProxyFault::RetryAfterHuge => {
                assert!(header("retry-after").parse::<u64>().expect("seconds") >= 86_400)
            }
            _ => assert!(header("retry-after").ends_with(" GMT"), "{fault:?}"),
        }
        assert_eq!(rig.fake.stats().requests, 0, "{fault:?} reached the server");
    }
}

#[tokio::test]
async fn breaks_bodies_and_connections() {
    let rig = rig(Dialect::Edgeflags, Some(ProxyFault::DeepNesting));
    let body = rig
        .get(&rig.list_url())
        .await
        .expect("an answer")
        .bytes()
        .await;
    assert!(body.expect("a body").starts_with(b"[[[["));

    let rig = rig_with(ProxyFault::OversizeBody);
    let body = rig
        .get(&rig.list_url())
        .await
        .expect("an answer")
        .bytes()
        .await;
    assert!(body.expect("a body").len() > 16 * 1024 * 1024);

    let rig = rig_with(ProxyFault::TruncatedBody);
    let response = rig.get(&rig.list_url()).await.expect("a head");
    assert!(response.bytes().await.is_err(), "a cut body is an error");

    let rig = rig_with(ProxyFault::ResetBeforeServer);
    assert!(rig.get(&rig.list_url()).await.is_err());
    assert_eq!(rig.fake.stats().requests, 0);

    // The write lands; its answer does not.
    let rig = rig_with(ProxyFault::DropAnswer);
    let sent = plain()
        .post(format!("{}/api/v1/segments", rig.proxy.root_url()))
        .bearer_auth(&rig.token)
        .json(&json!({"key": "lost", "conditions": []}))
        .send()
        .await;
    assert!(sent.is_err());
    assert!(rig.fake.segment("lost").is_some());

    let rig = rig_with(ProxyFault::SlowDrip);
    rig.fake.insert(json!({"key": "a"}));
    let started = Instant::now();
    let body: Value = rig
        .get(&rig.list_url())
        .await
        .expect("an answer")
        .json()
        .await
        .expect("JSON");
    assert_eq!(body["data"][0]["key"], "a");
    assert!(started.elapsed() > Duration::from_millis(10));
}

fn rig_with(fault: ProxyFault) -> Rig {
    rig(Dialect::Edgeflags, Some(fault))
}

#[tokio::test]
async fn bursts_listings_and_etags() {
    let rig = rig_with(ProxyFault::ServerErrorBurst);
    for _ in 0..3 {
        let status = rig.get(&rig.list_url()).await.expect("an answer").status();
        assert!(status.is_server_error());
    }
    assert_eq!(rig.fake.stats().requests, 0);

    // An endless listing: every page says there is more, past the real end too.
    let rig = rig_with(ProxyFault::EndlessPaging);
    rig.fake.insert(json!({"key": "a"}));
    let first: Value = rig
        .get(&rig.list_url())
        .await
        .expect("a page")
        .json()
        .await
        .expect("JSON");
    assert_eq!(first["has_more"], true);
    let url = format!(
        "{}/api/v1/segments?limit=100&offset=5000",
        rig.proxy.root_url()
    );
    let far: Value = rig
        .get(&url)
        .await
        .expect("a page")
        .json()
        .await
        .expect("JSON");
    assert_eq!(far["data"].as_array().map(Vec::len), Some(100));
    assert_eq!(far["data"][0]["key"], "endless-00005000");

    let rig = rig_with(ProxyFault::ChangingEtag);
    rig.fake.insert(json!({"key": "a"}));
    let url = format!("{}/api/v1/segments/a", rig.proxy.root_url());
    let tag = |r: &reqwest::Response| r.headers().get("etag").cloned();
    let one = tag(&rig.get(&url).await.expect("an answer"));
    let two = tag(&rig.get(&url).await.expect("an answer"));
    assert!(one.is_some() && one != two);
    assert_ne!(
        one.as_ref().and_then(|t| t.to_str().ok()),
        rig.fake.etag("a").as_deref()
    );
}

#[tokio::test]
async fn the_trap_records_credentials() {
    let rig = rig(Dialect::Edgeflags, None);
    let url = format!("http://127.0.0.1:{}/x", rig.trap.port());
    assert_eq!(plain().get(&url).send().await.expect("404").status(), 404);
    assert_eq!(
        (rig.trap.requests(), rig.trap.authorized_requests()),
        (1, 0)
    );
    plain()
        .get(&url)
        .bearer_auth("t")
        .send()
        .await
        .expect("404");
    assert_eq!(
        (rig.trap.requests(), rig.trap.authorized_requests()),
        (2, 1)
    );
}
