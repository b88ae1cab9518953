use buffer_runtime::BufferExport;
use zerocopy::{Immutable, IntoBytes};

use buffer_runtime::Element;

// One error for the bad attribute; the uses of `Sample` below add none.
#[derive(BufferExport, IntoBytes, Immutable)]
#[repr(C)]
struct Sample {
    #[buffer(rename = "")]
    a: u32,
}

fn main() {
    let s = Sample { a: 1 };
    let _ = <Sample as Element>::FORMAT;
    let _ = s.buffer_bytes();
    let _ = vec![Sample { a: 2 }].buffer_layout();
}
