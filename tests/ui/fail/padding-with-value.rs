use buffer_runtime::BufferExport;
use zerocopy::{Immutable, IntoBytes};

#[derive(BufferExport, IntoBytes, Immutable)]
#[repr(C)]
struct Sample {
    a: u16,
    #[buffer(padding = 2)]
    _pad: [u8; 2],
}

fn main() {}
