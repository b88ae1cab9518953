//! Python interop (feature `pyo3`): export any [`BufferExport`](crate::BufferExport) to CPython,
//! and view Python buffers from Rust.
//!
//! (Being written: see issue 4.)
