use buffer_runtime::BufferExport;
use zerocopy::{FromBytes, Immutable, IntoBytes};

// A struct holding a `char` cannot be `FromBytes`, so it has no writable export.
#[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
#[repr(C)]
struct Glyph {
    c: char,
}

fn main() {}
