//! Changing case files: the atomic write every edit goes through. (The commands `new`, `advance`
//! and `review`, and the surgical YAML edit they share, are built on it.)

pub mod edit;
mod write;

pub use write::{atomic_write, atomic_write_checked};
