use buffer_runtime::BufferExport;

#[derive(BufferExport)]
#[buffer(container)]
struct Image {
    width: usize,
    height: usize,
    #[buffer(data, shape = [rows, width])]
    pixels: Vec<u32>,
}

fn main() {}
