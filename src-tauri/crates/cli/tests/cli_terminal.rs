//! The CLI at a real terminal (a pseudo-terminal from Python's `pty`): a token typed at
//! the prompt is read with echo off, so it never shows on screen or in the scrollback.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

#[path = "support/cli_process.rs"]
mod cli_process;

use std::process::Command;

use cli_process::Cli;

/// Runs argv on a pseudo-terminal, waits for the prompt, types the token, and prints
/// everything the terminal showed.
const TYPIST: &str = r#"
import os, pty, sys, time
token = sys.argv[1].encode()
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
shown = b""
def read_some():
    global shown
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        return False
    shown += chunk
    return bool(chunk)
deadline = time.time() + 30
while b"Token for" not in shown and time.time() < deadline:
    if not read_some():
        break
# Echo is turned off right after the prompt is written: let that happen first.
time.sleep(0.5)
os.write(fd, token + b"\n")
while read_some():
    pass
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(shown)
sys.exit(os.waitstatus_to_exitcode(status))
"#;

#[test]
fn a_token_typed_at_a_terminal_is_not_echoed() {
    let cli = Cli::new();
    let token = "kr_typed_at_the_terminal_0123456789";
    let output = Command::new("python3")
        .args(["-c", TYPIST, token, env!("CARGO_BIN_EXE_segments")])
        .args([
            "remote",
            "add",
            "hosted",
            "--dialect",
            "edgeflags",
            "--url",
            "https://segments.example.com",
        ])
        .env("SEGMENTS_DB", &cli.db)
        .envs(cli.env.iter().map(|(k, v)| (k, v)))
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{shown}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(shown.contains("Token for hosted"), "{shown}");
    assert!(!shown.contains(token), "the token was echoed: {shown}");
    // It was read all the same: the remote is there, its token in its file.
    let listed = cli.ok(&["remote", "list"], "");
    assert_eq!(listed[0]["name"], "hosted");
    let stored = std::fs::read_dir(cli.db.with_file_name("credentials"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect::<Vec<_>>();
    assert_eq!(stored, vec![token.to_owned()]);
}
