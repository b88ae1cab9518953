use buffer_runtime::BufferExport;
use zerocopy::{Immutable, IntoBytes};

#[derive(BufferExport, IntoBytes, Immutable)]
#[repr(C)]
#[buffer(order = "big")]
struct Sample {
    a: u32,
}

fn main() {}
