use buffer_runtime::BufferExport;
use zerocopy::{Immutable, IntoBytes};

// `align(16)` rounds the size up from 8 to 16.
#[derive(BufferExport, IntoBytes, Immutable)]
#[repr(C, align(16))]
struct Sample {
    a: u64,
}

fn main() {}
