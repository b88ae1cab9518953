use buffer_runtime::BufferExport;
use zerocopy::{Immutable, IntoBytes};

#[derive(BufferExport, IntoBytes, Immutable)]
#[repr(C)]
struct Rgb {
    r: u8,
}

#[derive(BufferExport)]
#[repr(transparent)]
struct Frame {
    pixels: [Rgb; 4],
    extra: [Rgb; 0],
}

fn main() {}
