//! Compile tests of `#[derive(BufferExport)]`: every supported shape of type compiles
//! (`ui/pass`), every rejected one fails with the message pinned in its `.stderr` (`ui/fail`).
//!
//! The `.stderr` files are pinned to the toolchain of this repository (stable rustc 1.95):
//! compiler messages change between versions. Regenerate them with
//! `TRYBUILD=overwrite cargo test -p buffer-tests --test ui`, then read every diff: the first
//! error must point at the offending field or attribute and say how to fix it.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("ui/pass/*.rs");
    t.compile_fail("ui/fail/*.rs");
}
