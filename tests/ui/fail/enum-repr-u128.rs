use buffer_runtime::BufferExport;

#[derive(BufferExport)]
#[repr(u128)]
enum Level {
    Low,
    High,
}

fn main() {}
