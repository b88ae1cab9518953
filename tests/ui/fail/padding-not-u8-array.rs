use buffer_runtime::BufferExport;
use zerocopy::{Immutable, IntoBytes};

#[derive(BufferExport, IntoBytes, Immutable)]
#[repr(C)]
struct Sample {
    a: u32,
    #[buffer(padding)]
    _pad: u32,
}

fn main() {}
