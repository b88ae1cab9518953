use buffer_runtime::BufferExport;

#[derive(BufferExport)]
struct Table {
    #[buffer(data)]
    rows: Vec<u64>,
}

fn main() {}
