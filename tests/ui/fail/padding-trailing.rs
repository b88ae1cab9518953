use buffer_runtime::BufferExport;
use zerocopy::{Immutable, IntoBytes};

// size 8 (alignment of `a`), but the fields end at 5.
#[derive(BufferExport, IntoBytes, Immutable)]
#[repr(C)]
struct Sample {
    a: u32,
    b: u8,
}

fn main() {}
