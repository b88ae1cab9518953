use buffer_runtime::view::MemoryView;
use buffer_runtime::{BufferExport, BufferExportMut};
use zerocopy::{FromBytes, Immutable, IntoBytes};

#[derive(BufferExport, IntoBytes, FromBytes, Immutable, Clone, Copy)]
#[repr(C)]
struct Rgba {
    r: u8,
    g: u8,
    b: u8,
    a: u8,
}

#[derive(BufferExport)]
#[buffer(container)]
struct Image {
    width: u32,
    height: u32,
    pitch: usize,
    #[buffer(data, shape = [height, width], strides = [pitch, 4])]
    pixels: Box<[Rgba]>,
}

#[derive(BufferExport)]
#[buffer(container)]
struct Tuple<'a>(#[buffer(data, shape = [2, 2])] &'a mut [f64]);

fn main() {
    let mut img = Image { width: 2, height: 2, pitch: 12, pixels: vec![Rgba { r: 0, g: 0, b: 0, a: 0 }; 5].into() };
    img.check_buffer_shape().unwrap();
    img.buffer_bytes_mut()[0] = 1;
    assert_eq!(MemoryView::new(&img).unwrap().shape(), &[2, 2]);
    let mut four = [0.0; 4];
    let t = Tuple(&mut four);
    assert_eq!(&*t.buffer_layout().shape, &[2, 2]);
}
