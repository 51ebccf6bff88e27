//! The foundation of `cm`: what any part of it needs and that knows nothing of cases.
//!
//! - [`yaml`]: an untrusted YAML file as a tree whose every node knows its place in the file;
//!   [`path`]: paths into it and how they are named in messages;
//! - [`diagnostic`]: a problem at a place of a file, as `cm validate` prints it; [`error`]: why
//!   `cm` could not do its job;
//! - [`files`]: the one link rule, bounded reads, the atomic write, the edit lock;
//! - [`patch`]: the surgical edit of a YAML text;
//! - [`calendar`]: Gregorian and Solar Hijri dates; [`text`]: escaping, widths, suggestions;
//!   [`names`]: closed sets of names.
//!
//! Nothing here prints: every output is written to the `Write` it is given.

#![forbid(unsafe_code)]

pub mod calendar;
pub mod diagnostic;
pub mod error;
pub mod files;
pub mod language;
pub mod names;
pub mod patch;
pub mod path;
pub mod spelling;
pub mod text;
pub mod yaml;

pub use error::{Error, Result};

#[doc(hidden)]
pub use serde as __serde;
