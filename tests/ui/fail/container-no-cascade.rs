use buffer_runtime::{view::MemoryView, BufferExport};

#[derive(BufferExport)]
#[buffer(container)]
struct Image {
    width: usize,
    #[buffer(data, shape = [height, width])]
    pixels: Vec<u32>,
}

fn main() {
    let img = Image { width: 1, pixels: vec![0] };
    let _ = img.check_buffer_shape();
    let _ = MemoryView::new(&img);
}
