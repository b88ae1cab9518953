use buffer_runtime::BufferExport;

#[derive(BufferExport)]
#[repr(C)]
enum Level {
    Low,
    High,
}

fn main() {}
