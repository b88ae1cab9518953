use buffer_runtime::{BufferExport, Element};
use zerocopy::{Immutable, IntoBytes};

// A generic struct whose concrete field has no format: one error, at that field.
#[derive(BufferExport, IntoBytes, Immutable)]
#[repr(C)]
struct Labeled<T: Element> {
    value: T,
    label: &'static str,
}

fn main() {}
