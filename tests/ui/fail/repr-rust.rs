use buffer_runtime::BufferExport;

#[derive(BufferExport)]
#[repr(Rust)]
struct Sample {
    a: u32,
}

fn main() {}
