use buffer_runtime::BufferExport;

#[derive(BufferExport)]
enum Level {
    Low,
    High,
}

fn main() {}
