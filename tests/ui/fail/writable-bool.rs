use buffer_runtime::BufferExport;
use zerocopy::{Immutable, IntoBytes};

#[derive(BufferExport, IntoBytes, Immutable)]
#[repr(C)]
struct Flags {
    on: bool,
    level: u8,
}

fn main() {
    use buffer_runtime::BufferExportMut;
    let mut f = Flags { on: true, level: 1 };
    // A bool field has invalid bit patterns: the export is read-only.
    f.buffer_bytes_mut()[0] = 2;
}
