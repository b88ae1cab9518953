use buffer_runtime::BufferExport;
use zerocopy::{Immutable, IntoBytes};

#[derive(BufferExport, IntoBytes, Immutable)]
#[repr(C)]
#[buffer(padding)]
struct Sample {
    a: u32,
}

fn main() {}
