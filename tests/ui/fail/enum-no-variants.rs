use buffer_runtime::BufferExport;

#[derive(BufferExport)]
#[repr(u8)]
enum Never {}

fn main() {}
