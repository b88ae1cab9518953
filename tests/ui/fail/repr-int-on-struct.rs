use buffer_runtime::BufferExport;

#[derive(BufferExport)]
#[repr(u8)]
struct Sample {
    a: u8,
}

fn main() {}
