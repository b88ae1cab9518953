//! Compile-fail tests: the borrow checker enforces what CPython checks at run time (no
//! resize, move or mutation of an exporter while a view lives; one writable view at a time).
//!
//! The `.stderr` files are pinned to this machine's toolchain (stable 1.95); regenerate with
//! `TRYBUILD=overwrite cargo test -p buffer-tests --test ui_view` and read the diff.

#[test]
fn view_borrowing() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/view/*.rs");
}
