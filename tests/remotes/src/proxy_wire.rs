//! Just enough HTTP/1.1 framing for the fault proxy: one request read from the client, one
//! response read from the fake server, both whole, so a fault can cut, stretch or rewrite
//! them at the byte level (which a full HTTP stack would not let it do).

use std::io::{self, Read, Write};
use std::time::Duration;

/// Largest head (request or status line plus headers) accepted; a client sending more is cut.
const MAX_HEAD: usize = 64 * 1024;
/// Largest body relayed; the fake servers never send or accept anything near it.
const MAX_BODY: usize = 32 * 1024 * 1024;

/// A request or status line and its headers.
#[derive(Clone, Debug)]
pub(crate) struct Head {
    pub(crate) start: String,
    pub(crate) headers: Vec<(String, String)>,
}

impl Head {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The head with every hop-by-hop and framing header replaced: one message per
    /// connection, `Content-Length` framing, so both sides know where it ends.
    pub(crate) fn reframed(&self, body_len: usize) -> Vec<u8> {
        let mut out = format!("{}\r\n", self.start);
        for (name, value) in &self.headers {
            let framing = [
                "connection",
                "keep-alive",
                "content-length",
                "transfer-encoding",
            ];
            if !framing.iter().any(|f| name.eq_ignore_ascii_case(f)) {
                out.push_str(&format!("{name}: {value}\r\n"));
            }
        }
        out.push_str(&format!(
            "content-length: {body_len}\r\nconnection: close\r\n\r\n"
        ));
        out.into_bytes()
    }
}

/// One whole message.
#[derive(Clone, Debug)]
pub(crate) struct Message {
    pub(crate) head: Head,
    pub(crate) body: Vec<u8>,
}

/// Reads one request (head and `Content-Length` body); `None` when the client closed first.
pub(crate) fn read_request(stream: &mut impl Read) -> io::Result<Option<Message>> {
    let Some((head, mut body)) = read_head(stream)? else {
        return Ok(None);
    };
    if head.header("transfer-encoding").is_some() {
        return Err(invalid("chunked request bodies are not relayed"));
    }
    let length = content_length(&head)?.unwrap_or(0);
    read_exactly(stream, &mut body, length)?;
    body.truncate(length);
    Ok(Some(Message { head, body }))
}

/// Reads one response to its end (the server closes after it: the request said
/// `connection: close`); `None` when the server closed without answering.
pub(crate) fn read_response(stream: &mut impl Read) -> io::Result<Option<Message>> {
    let Some((head, mut body)) = read_head(stream)? else {
        return Ok(None);
    };
    let chunked = head
        .header("transfer-encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    match content_length(&head)? {
        Some(length) if !chunked => {
            read_exactly(stream, &mut body, length)?;
            body.truncate(length);
        }
        _ => {
            read_to_end_capped(stream, &mut body)?;
            if chunked {
                body = dechunk(&body)?;
            }
        }
    }
    Ok(Some(Message { head, body }))
}

/// Writes `bytes` a few at a time with a pause between, the way a congested link drips.
pub(crate) fn drip(stream: &mut impl Write, bytes: &[u8], step: usize, pause: Duration) {
    for piece in bytes.chunks(step.max(1)) {
        if stream.write_all(piece).is_err() {
            return;
        }
        // Each piece must leave now, or the pause would only delay one big write.
        if stream.flush().is_err() {
            return;
        }
        std::thread::sleep(pause);
    }
}

fn read_head(stream: &mut impl Read) -> io::Result<Option<(Head, Vec<u8>)>> {
    let mut buffer = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    let end = loop {
        if let Some(end) = find(&buffer, b"\r\n\r\n") {
            break end;
        }
        if buffer.len() > MAX_HEAD {
            return Err(invalid("head too large"));
        }
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            return if buffer.is_empty() {
                Ok(None)
            } else {
                Err(invalid("closed inside the head"))
            };
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let text = String::from_utf8_lossy(&buffer[..end]).into_owned();
    let mut lines = text.split("\r\n");
    let start = lines.next().unwrap_or_default().to_owned();
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let rest = buffer[end + 4..].to_vec();
    Ok(Some((Head { start, headers }, rest)))
}

fn content_length(head: &Head) -> io::Result<Option<usize>> {
    match head.header("content-length") {
        None => Ok(None),
        Some(text) => match text.parse::<usize>() {
            Ok(n) if n <= MAX_BODY => Ok(Some(n)),
            _ => Err(invalid("bad or huge content-length")),
        },
    }
}

fn read_exactly(stream: &mut impl Read, body: &mut Vec<u8>, length: usize) -> io::Result<()> {
    let mut chunk = [0u8; 16 * 1024];
    while body.len() < length {
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "body cut"));
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Ok(())
}

fn read_to_end_capped(stream: &mut impl Read, body: &mut Vec<u8>) -> io::Result<()> {
    let mut chunk = [0u8; 16 * 1024];
    loop {
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            return Ok(());
        }
        if body.len() + n > MAX_BODY {
            return Err(invalid("body too large"));
        }
        body.extend_from_slice(&chunk[..n]);
    }
}

/// Decodes a chunked body (sizes in hex, extensions and trailers ignored).
fn dechunk(mut raw: &[u8]) -> io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(raw.len());
    loop {
        let line_end = find(raw, b"\r\n").ok_or_else(|| invalid("chunk size line"))?;
        let size_text = String::from_utf8_lossy(&raw[..line_end]);
        let size_text = size_text.split(';').next().unwrap_or_default().trim();
        let size =
            usize::from_str_radix(size_text, 16).map_err(|_| invalid("chunk size is not hex"))?;
        raw = &raw[line_end + 2..];
        if size == 0 {
            return Ok(out);
        }
        if raw.len() < size + 2 {
            return Err(invalid("chunk cut"));
        }
        out.extend_from_slice(&raw[..size]);
        raw = &raw[size + 2..];
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

fn invalid(message: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.to_owned())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failed unwrap is a failed test
mod tests {
    use super::*;

    #[test]
    fn requests_and_chunked_responses_are_framed() {
        let raw = b"POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabcEXTRA";
        let request = read_request(&mut &raw[..]).unwrap().unwrap();
        assert_eq!(request.head.start, "POST /x HTTP/1.1");
        assert_eq!(request.body, b"abc");
        let raw = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n";
        let response = read_response(&mut &raw[..]).unwrap().unwrap();
        assert_eq!(response.body, b"abcde");
        let head = String::from_utf8(response.head.reframed(5)).unwrap();
        assert!(head.contains("content-length: 5") && !head.contains("Transfer"));
        assert!(read_request(&mut &b""[..]).unwrap().is_none());
    }
}
