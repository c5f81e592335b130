//! No token reaches a log line: every test of this binary logs at the most detailed level
//! into one buffer, and a run with faults, retries, a wrong token and a server that echoes
//! what it was sent is then searched for the tokens' bytes.

use std::io::Write;
use std::sync::{Arc, OnceLock};

use crate::*;

/// Every log line of this test binary.
static LOG: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();

#[derive(Clone)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Starts capturing (once per test binary); `local()` calls it, so every test is logged.
pub(crate) fn capture() {
    LOG.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let writer = Buffer(Arc::clone(&buffer));
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || writer.clone())
            .init();
        buffer
    });
}

fn logged() -> String {
    let buffer = LOG.get().expect("capture() runs in local()");
    String::from_utf8_lossy(&buffer.lock().unwrap()).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_token_reaches_a_log_line() {
    for dialect in [Dialect::Projects, Dialect::Krafter, Dialect::Edgeflags] {
        let fake = FakeRemote::start(fake_dialect(dialect));
        let token = fake.token(Grant::Full);
        let local = local();
        local.add(&fake, dialect, Grant::Full);
        for n in 0..5 {
            local.create(json!({"key": format!("logged-{n}"), "rules": [
                {"attribute": "plan", "operator": "eq", "values": ["pro"]}]}));
        }
        // Faults make the client retry and log each failed attempt.
        fake.set_faults(Faults {
            error_rate: 0.4,
            seed: 7,
            ..Faults::none()
        });
        for _ in 0..5 {
            if local.push().await.is_ok_and(|r| r.failed.is_empty()) {
                break;
            }
        }
        fake.set_faults(Faults::none());
        // A wrong token fails the run, and its error is logged with the server's message.
        let wrong = format!("wrong-{token}-token");
        let mut bad = options();
        bad.token = Some(wrong.clone().into());
        let refused = sync::pull(&local.store, &local.credentials, REMOTE, &bad, &|_| {}).await;
        assert!(
            matches!(refused, Err(SyncError::Unauthorized { .. })),
            "{refused:?}"
        );
        let log = logged();
        assert!(
            log.contains("remote=hosted"),
            "the runs were logged:\n{log}"
        );
        assert!(
            log.contains("request failed"),
            "the retries were logged:\n{log}"
        );
        assert!(log.contains("status=20"), "the requests were logged");
        assert!(log.contains("refused the token"), "the refusal was logged");
        assert!(
            !log.contains(&token),
            "the token reached a log line:\n{log}"
        );
        assert!(!log.contains(&wrong), "the wrong token reached a log line");
    }
}
