use buffer_runtime::BufferExport;
use zerocopy::{Immutable, IntoBytes};

#[derive(IntoBytes, Immutable)]
#[repr(C)]
struct Inner {
    a: u32,
}

#[derive(BufferExport, IntoBytes, Immutable)]
#[repr(C)]
struct Outer {
    inner: Inner,
}

fn main() {}
