use buffer_runtime::BufferExport;

#[derive(BufferExport)]
#[repr(align(8))]
struct Sample {
    a: u32,
    b: u32,
}

fn main() {}
