use buffer_runtime::BufferExport;

#[derive(BufferExport)]
#[repr(C)]
struct Marker;

fn main() {}
