//! The domain of `cm`: a case, the workspace it lives in, and how cases are read.
//!
//! - [`model`]: the typed case; [`keys`]: the one description of its keys (order, personal or
//!   not), from which [`privacy`] and the editor read;
//! - [`settings`]: `cm.toml`; [`workspace`]: finding the workspace and its files;
//! - [`load`]: one case file read, guarded against everything an untrusted file can be;
//!   [`reading`]: the valid cases of a workspace, with the [`cache`];
//! - [`view`]: the reader model, the case as of a day, which every reader uses.
//!
//! Nothing here prints.

#![forbid(unsafe_code)]

pub mod cache;
pub mod export_schema;
pub mod keys;
pub mod load;
pub mod model;
pub mod privacy;
pub mod reading;
pub mod settings;
pub mod view;
pub mod workspace;

pub use load::{
    LoadedCase, MAX_FILE_SIZE, from_bytes, load, merge_conflict, parse, read, read_bounded,
    read_sized,
};
pub use model::*;
pub use reading::{
    FileBytes, Judge, Judged, ListedCase, Reading, duplicate, duplicate_id, find, judge_each,
    load_each, load_each_to, unique, unique_judged,
};
pub use settings::Settings;
pub use workspace::Workspace;
