use buffer_runtime::BufferExport;
use zerocopy::{Immutable, IntoBytes};

#[derive(BufferExport, IntoBytes, Immutable, Clone, Copy)]
#[repr(u8)]
enum Level {
    Low,
    High,
}

fn main() {
    use buffer_runtime::BufferExportMut;
    let mut levels = vec![Level::Low, Level::High];
    levels.buffer_bytes_mut()[0] = 7;
}
