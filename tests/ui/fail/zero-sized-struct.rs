use buffer_runtime::BufferExport;
use zerocopy::{Immutable, IntoBytes};

// A struct whose fields take no bytes: a buffer of it could not be indexed.
#[derive(BufferExport, IntoBytes, Immutable)]
#[repr(C)]
struct Nothing {
    empty: [u32; 0],
}

fn main() {}
