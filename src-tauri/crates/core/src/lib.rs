//! Segment Studio's core: the SQLite [`store`], the use-cases the CLI and the desktop app
//! share ([`evaluation`], [`documents`], [`demo`]), and the `segments` command line ([`cli`]).
//!
//! Nothing here knows about Tauri; the app's commands are thin calls into these modules.

pub mod cli;
mod clock;
pub mod credentials;
pub mod demo;
pub mod documents;
pub mod evaluation;
pub mod paths;
mod schema;
pub mod store;
pub mod studio;
pub mod sync;

pub use segments_engine as engine;
