use buffer_runtime::BufferExport;
use zerocopy::{Immutable, IntoBytes};

#[derive(BufferExport, IntoBytes, Immutable)]
#[repr(C)]
#[buffer(crate = "not a path")]
struct Sample {
    a: u32,
}

fn main() {}
