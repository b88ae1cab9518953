use buffer_runtime::{BufferExport, BufferExportMut};
use zerocopy::{Immutable, IntoBytes};

#[derive(BufferExport, IntoBytes, Immutable, Clone, Copy)]
#[repr(u8)]
enum Level {
    Low,
    High,
}

fn zero<B: BufferExportMut + ?Sized>(buffer: &mut B) {
    buffer.buffer_bytes_mut().fill(0);
}

fn main() {
    // Not every byte is a `Level`: writing could create an invalid enum value.
    let mut levels = vec![Level::Low, Level::High];
    zero(&mut levels);
}
