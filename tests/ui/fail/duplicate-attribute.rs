use buffer_runtime::BufferExport;
use zerocopy::{Immutable, IntoBytes};

#[derive(BufferExport, IntoBytes, Immutable)]
#[repr(C)]
struct Sample {
    #[buffer(rename = "x")]
    #[buffer(rename = "y")]
    a: u32,
}

fn main() {}
