//! `cm`: case management as code. One YAML file per case in a git repository; this library
//! validates the files against a schema and the rules of the workflow, lists and shows cases.
//!
//! The library never prints on its own: commands write to the `Write` they are given.

#![forbid(unsafe_code)]

pub mod calendar;
pub mod case;
pub mod check;
pub mod cli;
pub mod diff;
pub mod error;
pub mod export;
pub mod monitor;
pub mod output;
pub mod privacy;
pub mod progress;
pub mod report;
pub mod text;
pub mod workflow;
pub mod workspace;
pub mod yaml;

pub use error::{Error, Result};
