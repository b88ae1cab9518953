//! Shared helpers of the test suite.

pub mod layout_mirror;
pub mod layout_suite;
