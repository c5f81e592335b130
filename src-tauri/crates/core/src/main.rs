//! The `segments` command line.

fn main() -> std::process::ExitCode {
    segments_core::cli::main()
}
