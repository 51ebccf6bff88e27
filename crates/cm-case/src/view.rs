//! The reader model.
