//! A bare HTTP/1.1 server on 127.0.0.1 that answers each request with whatever a test
//! scripts: redirects, bodies no fake remote would send, endless listings. It records
//! each request's head, so a test can tell what reached it (an `Authorization` header).

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

/// A scripted server; it stops with the test process.
pub(crate) struct RawServer {
    pub url: String,
    heads: Arc<Mutex<Vec<String>>>,
}

impl RawServer {
    /// Serves `answer(request line, request number)`: the whole response after the status
    /// line's `HTTP/1.1 `, e.g. `"302 Found\r\nLocation: …\r\n\r\n"`.
    pub(crate) fn start(
        answer: impl Fn(&str, usize) -> String + Send + Sync + 'static,
    ) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let heads = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&heads);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut head = String::new();
                loop {
                    let mut line = String::new();
                    match reader.read_line(&mut line) {
                        Ok(0) | Err(_) => break,
                        Ok(_) if line == "\r\n" => break,
                        Ok(_) => head.push_str(&line),
                    }
                }
                let number = {
                    let mut heads = seen.lock().unwrap();
                    heads.push(head.clone());
                    heads.len()
                };
                let request_line = head.lines().next().unwrap_or_default().to_owned();
                let response = format!(
                    "HTTP/1.1 {}",
                    answer(&request_line, number).replacen("\r\n", "\r\nConnection: close\r\n", 1)
                );
                // A client that hung up early is the test's business, not the server's.
                if let Err(e) = stream.write_all(response.as_bytes()) {
                    eprintln!("raw server: {e}");
                }
            }
        });
        RawServer { url, heads }
    }

    /// The heads of the requests received so far.
    pub(crate) fn heads(&self) -> Vec<String> {
        self.heads.lock().unwrap().clone()
    }
}

/// A JSON response with its length.
pub(crate) fn json_response(status: &str, body: &str) -> String {
    format!(
        "{status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
}
