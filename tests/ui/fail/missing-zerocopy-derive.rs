use buffer_runtime::BufferExport;

// Forgetting zerocopy's derives gives zerocopy's own advice.
#[derive(BufferExport)]
#[repr(C)]
struct Sample {
    a: u32,
}

fn main() {}
