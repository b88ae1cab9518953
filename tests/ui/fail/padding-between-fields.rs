use buffer_runtime::BufferExport;
use zerocopy::{Immutable, IntoBytes};

// `b` is 4-aligned, so 3 bytes of padding follow `a`.
#[derive(BufferExport, IntoBytes, Immutable)]
#[repr(C)]
struct Sample {
    a: u8,
    b: u32,
}

fn main() {}
