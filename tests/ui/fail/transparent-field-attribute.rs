use buffer_runtime::BufferExport;
use zerocopy::{Immutable, IntoBytes};

#[derive(BufferExport, IntoBytes, Immutable)]
#[repr(transparent)]
struct Meters(#[buffer(rename = "m")] f64);

fn main() {}
