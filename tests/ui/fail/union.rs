use buffer_runtime::BufferExport;

#[derive(BufferExport)]
#[repr(C)]
union Bits {
    f: f32,
    u: u32,
}

fn main() {}
