use buffer_runtime::BufferExport;
use zerocopy::{Immutable, IntoBytes};

#[derive(BufferExport, IntoBytes, Immutable)]
#[repr(C)]
struct Point<T> {
    x: T,
    y: T,
}

fn main() {}
