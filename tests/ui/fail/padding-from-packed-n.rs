use buffer_runtime::BufferExport;
use zerocopy::{Immutable, IntoBytes};

// `packed(2)` still aligns `b` to 2.
#[derive(BufferExport, IntoBytes, Immutable)]
#[repr(C, packed(2))]
struct Sample {
    a: u8,
    b: u32,
}

fn main() {}
