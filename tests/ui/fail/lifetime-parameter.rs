use buffer_runtime::BufferExport;

#[derive(BufferExport)]
#[repr(C)]
struct View<'a> {
    data: &'a [u8; 4],
}

fn main() {}
