//! IPC commands, one file per feature. Each takes state, converts its arguments, calls one
//! core function and maps the result; branches belong in the core.

pub mod evaluate;
pub mod history;
pub mod personas;
pub mod remotes;
pub mod segments;
pub mod sync;
pub mod transfer;
