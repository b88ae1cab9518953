use buffer_runtime::BufferExport;
use zerocopy::{Immutable, IntoBytes};

#[derive(BufferExport, IntoBytes, Immutable)]
#[repr(u8)]
enum Level {
    #[buffer(rename = "lo")]
    Low,
    High,
}

fn main() {}
