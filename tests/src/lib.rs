//! Shared helpers of the test suite.

pub mod layout_mirror;
