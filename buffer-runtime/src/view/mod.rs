//! `MemoryView`: CPython's memoryview over any exporter, and more.
//!
//! (Being written: see issue 3.)
