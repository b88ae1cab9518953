use buffer_runtime::BufferExport;

#[derive(BufferExport)]
#[buffer(container)]
struct Image {
    #[buffer(shape = [height])]
    height: usize,
    #[buffer(data, padding)]
    pixels: Vec<u32>,
}

fn main() {}
