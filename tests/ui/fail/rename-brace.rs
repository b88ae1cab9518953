use buffer_runtime::BufferExport;
use zerocopy::{Immutable, IntoBytes};

#[derive(BufferExport, IntoBytes, Immutable)]
#[repr(C)]
struct Sample {
    #[buffer(rename = "a}")]
    a: u32,
}

fn main() {}
