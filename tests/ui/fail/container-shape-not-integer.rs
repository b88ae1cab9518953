use buffer_runtime::BufferExport;

#[derive(BufferExport)]
#[buffer(container)]
struct Image {
    width: f32,
    height: usize,
    #[buffer(data, shape = [height, width])]
    pixels: Vec<u32>,
}

fn main() {}
