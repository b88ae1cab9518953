use buffer_runtime::BufferExport;

// Rust's default layout may reorder fields: a repr is required.
#[derive(BufferExport)]
struct Sample {
    a: u32,
    b: u32,
}

fn main() {}
