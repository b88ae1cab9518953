use buffer_runtime::BufferExport;

#[derive(BufferExport)]
#[buffer(container)]
struct Image {
    width: usize,
    height: usize,
    pitch: usize,
    #[buffer(data, shape = [height, width], strides = [pitch])]
    pixels: Vec<u32>,
}

fn main() {}
