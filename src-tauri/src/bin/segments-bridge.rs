//! `segments-bridge`: the app's commands over JSON lines on stdio, for the UI's tests and
//! the plain-browser dev mode (see `bridge.rs` in the library).

use std::process::ExitCode;

use segment_studio_lib::bridge::{BridgeOptions, serve};

fn main() -> ExitCode {
    let result = segment_studio_lib::logging::to_stderr()
        .and_then(|()| BridgeOptions::parse(std::env::args().skip(1)))
        .and_then(serve);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("segments-bridge: {message}");
            ExitCode::FAILURE
        }
    }
}
