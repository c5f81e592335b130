//! [`FaultProxy`]: a loopback HTTP/1.1 proxy between a sync client and a fake server that
//! breaks exchanges the ways real networks and gateways do (see [`ProxyFault`]), drawn from
//! a seed. It works on bytes, one request per connection, so it can cut a body mid-way,
//! drip it, or close before the server ever sees the request.
//!
//! The server's own [`crate::Faults`] still apply behind it; the proxy adds what a server
//! cannot do to itself (resets before it, redirects away from it, framing lies).

use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use std::io::Write;

use crate::Dialect;
use crate::proxy_faults::{
    ProxyFault, ProxyFaults, ProxyStats, claim_more, deeply_nested, endless_page, listing_page,
};
use crate::proxy_wire::{Head, Message, drip, read_request, read_response};
use crate::random::SplitMix64;

/// Above the sync client's default 16 MiB cap, so only a client that enforces it survives.
const OVERSIZE_BYTES: usize = 17 * 1024 * 1024;

struct State {
    faults: ProxyFaults,
    rng: SplitMix64,
    stats: ProxyStats,
    /// Requests still to be answered by the current 5xx burst.
    burst_left: u32,
    /// A listing was made endless: pages past its end are made up until a first page.
    endless: bool,
}

struct Shared {
    dialect: Dialect,
    upstream: SocketAddr,
    trap_port: u16,
    state: Mutex<State>,
    stop: AtomicBool,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// What the proxy does with one request.
enum Plan {
    Relay(Option<ProxyFault>),
    Answer(ProxyFault),
}

/// A fault-injecting proxy on `127.0.0.1` in front of one server.
pub struct FaultProxy {
    address: SocketAddr,
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl FaultProxy {
    /// Starts relaying to `upstream` (a [`crate::FakeRemote`]'s address), redirecting to
    /// `trap_port` when told to. No faults until [`FaultProxy::set_faults`].
    pub fn start(dialect: Dialect, upstream: SocketAddr, trap_port: u16) -> FaultProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the fault proxy");
        let address = listener.local_addr().expect("the proxy's address");
        let shared = Arc::new(Shared {
            dialect,
            upstream,
            trap_port,
            state: Mutex::new(State {
                faults: ProxyFaults::none(),
                rng: SplitMix64::new(0),
                stats: ProxyStats::default(),
                burst_left: 0,
                endless: false,
            }),
            stop: AtomicBool::new(false),
        });
        let accepting = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("fault-proxy".into())
            .spawn(move || {
                for stream in listener.incoming() {
                    if accepting.stop.load(Ordering::SeqCst) {
                        return;
                    }
                    let Ok(stream) = stream else { continue };
                    let shared = Arc::clone(&accepting);
                    // One thread per connection: a dripping answer must not stall the others.
                    let spawned = std::thread::Builder::new()
                        .name("fault-proxy-conn".into())
                        .spawn(move || serve(stream, &shared));
                    if let Err(e) = spawned {
                        eprintln!("fault proxy: cannot serve a connection: {e}");
                    }
                }
            })
            .expect("spawn the fault proxy");
        FaultProxy {
            address,
            shared,
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn root_url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The base URL to configure, as [`crate::FakeRemote::base_url`] but through the proxy.
    pub fn base_url(&self) -> String {
        match self.shared.dialect {
            Dialect::Krafter => format!("{}/api/v1", self.root_url()),
            Dialect::Projects | Dialect::Edgeflags => self.root_url(),
        }
    }

    /// Replaces the faults, restarts their draws from `faults.seed` and ends any burst or
    /// endless listing in progress.
    pub fn set_faults(&self, faults: ProxyFaults) {
        let mut state = self.shared.lock();
        state.rng = SplitMix64::new(faults.seed);
        state.faults = faults;
        state.burst_left = 0;
        state.endless = false;
    }

    /// Requests seen and faults injected so far.
    pub fn stats(&self) -> ProxyStats {
        self.shared.lock().stats.clone()
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so it sees the flag; a failure means it is gone already.
        if TcpStream::connect(self.address).is_err() {
            eprintln!("fault proxy: already stopped");
        }
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            eprintln!("fault proxy: its thread panicked");
        }
    }
}

fn serve(mut client: TcpStream, shared: &Shared) {
    let timeout = Some(Duration::from_secs(30));
    if client.set_read_timeout(timeout).is_err() || client.set_write_timeout(timeout).is_err() {
        return;
    }
    // A client that connects and leaves (or sends garbage) gets nothing back.
    let Ok(Some(request)) = read_request(&mut client) else {
        return;
    };
    let plan = decide(shared, &request.head);
    match plan {
        Plan::Answer(fault) => answer(&mut client, shared, &request, fault),
        Plan::Relay(fault) => relay(&mut client, shared, &request, fault),
    }
}

/// Counts the request and draws its fault; a 5xx burst or endless listing in progress wins.
fn decide(shared: &Shared, head: &Head) -> Plan {
    let mut state = shared.lock();
    state.stats.requests += 1;
    let page = listing_page(&head.start);
    match page {
        Some((0, _)) => state.endless = false,
        Some(_) if state.endless => {
            return count(&mut state, Plan::Answer(ProxyFault::EndlessPaging));
        }
        _ => {}
    }
    if state.burst_left > 0 {
        state.burst_left -= 1;
        return count(&mut state, Plan::Answer(ProxyFault::ServerErrorBurst));
    }
    if state.faults.kinds.is_empty() || state.rng.next_unit() >= state.faults.rate {
        return Plan::Relay(None);
    }
    let index = (state.rng.next_u64() % state.faults.kinds.len() as u64) as usize;
    let fault = state.faults.kinds[index];
    let plan = match fault {
        ProxyFault::ServerErrorBurst => {
            state.burst_left = 2 + (state.rng.next_u64() % 6) as u32;
            Plan::Answer(fault)
        }
        ProxyFault::EndlessPaging if page.is_some() => {
            state.endless = true;
            Plan::Relay(Some(fault))
        }
        // Not a listing: nothing to make endless.
        ProxyFault::EndlessPaging => return Plan::Relay(None),
        ProxyFault::Delay
        | ProxyFault::SlowDrip
        | ProxyFault::DropAnswer
        | ProxyFault::TruncatedBody
        | ProxyFault::ChangingEtag => Plan::Relay(Some(fault)),
        ProxyFault::ResetBeforeServer
        | ProxyFault::OversizeBody
        | ProxyFault::DeepNesting
        | ProxyFault::RedirectOtherPort
        | ProxyFault::RedirectToHttp
        | ProxyFault::RetryAfterHuge
        | ProxyFault::RetryAfterDate => Plan::Answer(fault),
    };
    count(&mut state, plan)
}

fn count(state: &mut State, plan: Plan) -> Plan {
    if let Plan::Answer(fault) | Plan::Relay(Some(fault)) = &plan {
        *state.stats.injected.entry(*fault).or_default() += 1;
    }
    plan
}

/// Answers in the server's place; the request never reaches it.
fn answer(client: &mut TcpStream, shared: &Shared, request: &Message, fault: ProxyFault) {
    let path = request.head.start.split(' ').nth(1).unwrap_or("/");
    let trap = shared.trap_port;
    let draw = shared.lock().rng.next_u64();
    let (status, headers, body): (&str, Vec<String>, Vec<u8>) = match fault {
        ProxyFault::ResetBeforeServer => {
            // The request was read whole, so this is a close, not a kernel reset; to the
            // client it looks the same: the connection ended with no answer.
            if client.shutdown(Shutdown::Both).is_err() {
                eprintln!("fault proxy: the client had already gone");
            }
            return;
        }
        ProxyFault::OversizeBody => {
            // Streamed without a length, so the client must count as it reads.
            let head =
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n";
            if client.write_all(head.as_bytes()).is_ok() {
                let filler = vec![b' '; 1024 * 1024];
                let mut sent = 0;
                while sent < OVERSIZE_BYTES && client.write_all(&filler).is_ok() {
                    sent += filler.len();
                }
            }
            return;
        }
        ProxyFault::DeepNesting => ("200 OK", json_type(), deeply_nested(100_000)),
        ProxyFault::RedirectOtherPort => (
            "302 Found",
            vec![format!("location: http://127.0.0.1:{trap}{path}")],
            Vec::new(),
        ),
        ProxyFault::RedirectToHttp => (
            "307 Temporary Redirect",
            vec![format!("location: http://localhost:{trap}{path}")],
            Vec::new(),
        ),
        ProxyFault::RetryAfterHuge => {
            let wait = if draw.is_multiple_of(2) {
                "86400"
            } else {
                "4294967296"
            };
            (
                "429 Too Many Requests",
                vec![format!("retry-after: {wait}")],
                Vec::new(),
            )
        }
        ProxyFault::RetryAfterDate => {
            let ahead = if draw.is_multiple_of(2) {
                2
            } else {
                3 * 365 * 86_400
            };
            (
                "429 Too Many Requests",
                vec![format!("retry-after: {}", http_date(ahead))],
                Vec::new(),
            )
        }
        ProxyFault::ServerErrorBurst => {
            let status = [
                "500 Internal Server Error",
                "502 Bad Gateway",
                "503 Service Unavailable",
            ][(draw % 3) as usize];
            (
                status,
                json_type(),
                br#"{"error":"injected burst"}"#.to_vec(),
            )
        }
        ProxyFault::EndlessPaging => {
            let (offset, limit) = listing_page(&request.head.start).unwrap_or((0, 50));
            (
                "200 OK",
                json_type(),
                endless_page(shared.dialect, offset, limit.min(100)),
            )
        }
        ProxyFault::Delay
        | ProxyFault::SlowDrip
        | ProxyFault::DropAnswer
        | ProxyFault::TruncatedBody
        | ProxyFault::ChangingEtag => return,
    };
    let head = Head {
        start: format!("HTTP/1.1 {status}"),
        headers: headers
            .iter()
            .filter_map(|h| h.split_once(": "))
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
            .collect(),
    };
    send(client, &head.reframed(body.len()), &body);
}

/// Relays to the server, then breaks the answer as `fault` says.
fn relay(client: &mut TcpStream, shared: &Shared, request: &Message, fault: Option<ProxyFault>) {
    let draw = shared.lock().rng.next_u64();
    if fault == Some(ProxyFault::Delay) {
        std::thread::sleep(Duration::from_millis(50 + draw % 350));
    }
    let Some(mut response) = forward(shared, request) else {
        // The server closed without answering (its own drop-after-write): so does the proxy.
        return;
    };
    shared.lock().stats.forwarded += 1;
    match fault {
        Some(ProxyFault::DropAnswer) => return,
        Some(ProxyFault::ChangingEtag) => {
            for (name, value) in &mut response.head.headers {
                if name.eq_ignore_ascii_case("etag") {
                    *value = format!("\"proxy-{draw:x}\"");
                }
            }
        }
        Some(ProxyFault::EndlessPaging) => {
            if let Some(body) = claim_more(&response.body) {
                response.body = body;
            }
        }
        _ => {}
    }
    let head = response.head.reframed(response.body.len());
    match fault {
        Some(ProxyFault::TruncatedBody) => {
            let cut = response.body.len() / 2;
            send(client, &head, &response.body[..cut]);
        }
        Some(ProxyFault::SlowDrip) => {
            let step = 1 + (draw % 64) as usize;
            // At most about a second of dripping, however long the body.
            let pieces = (head.len() + response.body.len()) / step + 1;
            let pause = Duration::from_micros((1_000_000 / pieces as u64).clamp(50, 5_000));
            let mut whole = head;
            whole.extend_from_slice(&response.body);
            drip(client, &whole, step, pause);
        }
        _ => send(client, &head, &response.body),
    }
}

/// Sends the request to the server on a fresh connection and reads its whole answer.
fn forward(shared: &Shared, request: &Message) -> Option<Message> {
    let mut server = TcpStream::connect_timeout(&shared.upstream, Duration::from_secs(5)).ok()?;
    let timeout = Some(Duration::from_secs(30));
    server.set_read_timeout(timeout).ok()?;
    server.set_write_timeout(timeout).ok()?;
    let head = request.head.reframed(request.body.len());
    server.write_all(&head).ok()?;
    server.write_all(&request.body).ok()?;
    read_response(&mut server).ok().flatten()
}

fn send(client: &mut TcpStream, head: &[u8], body: &[u8]) {
    // The client may have given up (its timeout); nothing to do about it here.
    if client.write_all(head).is_ok() && client.write_all(body).is_ok() && client.flush().is_err() {
        eprintln!("fault proxy: the client left mid-answer");
    }
}

fn json_type() -> Vec<String> {
    vec!["content-type: application/json".to_owned()]
}

/// An IMF-fixdate `seconds` from now (RFC 9110 §5.6.7).
fn http_date(seconds: i64) -> String {
    let at = time::OffsetDateTime::now_utc() + time::Duration::seconds(seconds);
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    at.format(format)
        .unwrap_or_else(|_| "Thu, 01 Jan 2099 00:00:00 GMT".to_owned())
}
