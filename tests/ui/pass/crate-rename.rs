// The runtime under another name: generated code follows `crate = "br"`. (Cargo refuses the
// same package as two dependencies of one crate, so the rename is an `extern crate` alias, which
// a renamed dependency also is: a name in the extern prelude. buffer-derive/tests/renamed.rs
// tests a real renamed dependency, in a crate where no `buffer_runtime` exists.)
extern crate buffer_runtime as br;

use br::{BufferExport, Element};
use zerocopy::{Immutable, IntoBytes};

#[derive(BufferExport, IntoBytes, Immutable)]
#[buffer(crate = "br")]
#[repr(C)]
struct Sample {
    a: u32,
}

#[derive(BufferExport, IntoBytes, Immutable)]
#[buffer(crate = "br")]
#[repr(transparent)]
struct Row([Sample; 4]);

#[derive(BufferExport, IntoBytes, Immutable)]
#[buffer(crate = "br")]
#[repr(u16)]
enum Kind {
    A,
}

fn main() {
    assert!(<Sample as Element>::FORMAT.ends_with("I:a:}"));
    assert_eq!(<Row as br::StaticBufferLayout>::SHAPE, &[4]);
    assert_eq!(<Kind as Element>::FORMAT, "H");
}
