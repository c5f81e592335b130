//! The target of the proxy's redirects: a listener on another port that answers 404 to
//! everything and remembers whether any request reached it carrying `Authorization`, which
//! would mean a client handed its token to a host it was never configured for.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

#[derive(Default)]
struct Seen {
    requests: AtomicU64,
    authorized: AtomicU64,
    stop: AtomicBool,
}

/// A listener on `127.0.0.1` that records who came with credentials.
pub struct RedirectTrap {
    address: SocketAddr,
    seen: Arc<Seen>,
    thread: Option<JoinHandle<()>>,
}

impl RedirectTrap {
    /// Listens on a free port of `127.0.0.1`. Panics if none can be bound.
    pub fn start() -> RedirectTrap {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the redirect trap");
        let address = listener.local_addr().expect("the trap's address");
        let seen = Arc::new(Seen::default());
        let recorder = Arc::clone(&seen);
        let thread = std::thread::Builder::new()
            .name("redirect-trap".into())
            .spawn(move || {
                for stream in listener.incoming() {
                    if recorder.stop.load(Ordering::SeqCst) {
                        return;
                    }
                    if let Ok(stream) = stream {
                        record(stream, &recorder);
                    }
                }
            })
            .expect("spawn the redirect trap");
        RedirectTrap {
            address,
            seen,
            thread: Some(thread),
        }
    }

    /// The port redirects point at.
    pub fn port(&self) -> u16 {
        self.address.port()
    }

    /// Requests that reached the trap.
    pub fn requests(&self) -> u64 {
        self.seen.requests.load(Ordering::SeqCst)
    }

    /// Requests that reached the trap with an `Authorization` header.
    pub fn authorized_requests(&self) -> u64 {
        self.seen.authorized.load(Ordering::SeqCst)
    }
}

/// Reads the head of one request (the trap needs no body) and answers 404.
fn record(mut stream: TcpStream, seen: &Seen) {
    // A client that never finishes its head must not hold the trap's only thread.
    if stream
        .set_read_timeout(Some(Duration::from_secs(2)))
        .is_err()
    {
        return;
    }
    let mut head = Vec::new();
    let mut chunk = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 64 * 1024 {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => head.extend_from_slice(&chunk[..n]),
        }
    }
    if head.is_empty() {
        return;
    }
    seen.requests.fetch_add(1, Ordering::SeqCst);
    let text = String::from_utf8_lossy(&head).to_ascii_lowercase();
    if text
        .split("\r\n")
        .any(|line| line.starts_with("authorization:"))
    {
        seen.authorized.fetch_add(1, Ordering::SeqCst);
    }
    let answer = b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";
    // The client may already be gone; the visit is what counts.
    if stream.write_all(answer).is_err() {
        return;
    }
    if stream.flush().is_err() {
        eprintln!("redirect trap: the client left before the answer");
    }
}

impl Drop for RedirectTrap {
    fn drop(&mut self) {
        self.seen.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so it sees the flag; a failure means it is gone already.
        if TcpStream::connect(self.address).is_err() {
            eprintln!("redirect trap: already stopped");
        }
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            eprintln!("redirect trap: its thread panicked");
        }
    }
}
