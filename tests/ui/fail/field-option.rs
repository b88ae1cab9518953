use buffer_runtime::BufferExport;
use zerocopy::{Immutable, IntoBytes};

#[derive(BufferExport, IntoBytes, Immutable)]
#[repr(C)]
struct Holder {
    maybe: Option<core::num::NonZeroU32>,
}

fn main() {}
