use buffer_runtime::BufferExport;

#[derive(BufferExport)]
#[repr(packed)]
struct Sample {
    a: u8,
    b: u32,
}

fn main() {}
