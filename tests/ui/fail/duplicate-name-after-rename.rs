use buffer_runtime::BufferExport;
use zerocopy::{Immutable, IntoBytes};

#[derive(BufferExport, IntoBytes, Immutable)]
#[repr(C)]
struct Sample {
    x: u32,
    #[buffer(rename = "x")]
    y: u32,
}

fn main() {}
