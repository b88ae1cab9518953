//! An RGBA image as a `#[buffer(container)]`, and views of it that copy nothing: a crop, one
//! channel, a horizontal flip (`cargo run --example image`).

use std::io::Write;

use buffer_runtime::view::{MemoryView, ViewBase};
use buffer_runtime::{index, BufferExport};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

/// One pixel.
#[derive(
    BufferExport, IntoBytes, FromBytes, Immutable, KnownLayout, Clone, Copy, Debug, PartialEq,
)]
#[repr(C)]
pub struct Rgba {
    /// Red.
    pub r: u8,
    /// Green.
    pub g: u8,
    /// Blue.
    pub b: u8,
    /// Alpha.
    pub a: u8,
}

/// A `height` x `width` image, exported as a (height, width) view of pixels.
#[derive(BufferExport)]
#[buffer(container)]
pub struct Image {
    /// Pixels per row.
    pub width: usize,
    /// Rows.
    pub height: usize,
    /// The pixels, row after row.
    #[buffer(data, shape = [height, width])]
    pub pixels: Vec<Rgba>,
}

impl Image {
    /// A test pattern: red grows along x, green along y.
    pub fn pattern(width: usize, height: usize) -> Image {
        let pixels = (0..height)
            .flat_map(|y| {
                (0..width).map(move |x| Rgba {
                    r: (x * 10) as u8,
                    g: (y * 10) as u8,
                    b: 7,
                    a: 255,
                })
            })
            .collect();
        Image {
            width,
            height,
            pixels,
        }
    }
}

/// What the example showed, for the tests.
#[derive(Debug)]
pub struct Shown {
    /// Shape and byte strides of the crop.
    pub crop: (Vec<usize>, Vec<isize>),
    /// Whether the crop's first item is the image's pixel (1, 2).
    pub crop_shares_memory: bool,
    /// The green channel of the first column, read through the channel view.
    pub green_column: Vec<u8>,
    /// Byte strides of the channel view.
    pub channel_strides: Vec<isize>,
    /// Byte strides of the flipped view.
    pub flip_strides: Vec<isize>,
    /// The red values of the flipped first row.
    pub flipped_red_row: Vec<u8>,
    /// Whether the flipped view's first item is the image's pixel (0, width - 1).
    pub flip_shares_memory: bool,
}

/// The address of a view's first item.
fn first_item<S: buffer_runtime::view::Data>(v: &ViewBase<S>) -> *const u8 {
    v.underlying_ptr().wrapping_add(v.offset())
}

/// Runs the example, printing to `out`.
///
/// ```
/// let shown = buffer_examples::image::run(&mut std::io::sink()).unwrap();
/// assert!(shown.crop_shares_memory && shown.flip_shares_memory);
/// ```
pub fn run(out: &mut dyn Write) -> Result<Shown, crate::Error> {
    let img = Image::pattern(6, 4);
    img.check_buffer_shape()?;
    let view = MemoryView::new(&img)?;
    let base = img.pixels.as_ptr().cast::<u8>();
    writeln!(
        out,
        "image {}x{}: format {:?}, shape {:?}, strides {:?}",
        img.width,
        img.height,
        view.format(),
        view.shape(),
        view.byte_strides()
    )?;
    writeln!(
        out,
        "pixels at {base:p}; view's first item at {:p}",
        first_item(&view)
    )?;

    // Python: crop = m[1:3, 2:5]
    let crop = view.sub(&index![1..3, 2..5])?;
    let crop_shares_memory =
        first_item(&crop) == (&img.pixels[img.width + 2] as *const Rgba).cast();
    writeln!(
        out,
        "\ncrop m[1:3, 2:5]: shape {:?}, strides {:?}, contiguous {}",
        crop.shape(),
        crop.byte_strides(),
        crop.c_contiguous()
    )?;
    writeln!(
        out,
        "  first item at {:p} == &pixels[1][2]: {crop_shares_memory}",
        first_item(&crop)
    )?;
    for row in 0..crop.shape()[0] {
        let px: Vec<String> = (0..crop.shape()[1])
            .map(|c| {
                crop.get_as::<Rgba>(&[row as isize, c as isize])
                    .map(|p| format!("({},{})", p.r, p.g))
            })
            .collect::<Result<_, _>>()?;
        writeln!(out, "  {}", px.join(" "))?;
    }

    // One channel: a strided u8 view (field projection).
    let green = view.field("g")?;
    writeln!(
        out,
        "\ngreen channel m.field('g'): format {:?}, itemsize {}, shape {:?}, strides {:?}",
        green.format(),
        green.itemsize(),
        green.shape(),
        green.byte_strides()
    )?;
    writeln!(out, "  first item at {:p} (pixels + 1)", first_item(&green))?;
    let green_column: Vec<u8> = green.sub(&index![.., 0])?.iter_as::<u8>()?.collect();
    writeln!(out, "  column 0: {green_column:?}")?;

    // Horizontal flip: a negative stride along x.
    let flip = view.sub(&index![.., ..;-1])?;
    let last_of_row0 = (&img.pixels[img.width - 1] as *const Rgba).cast::<u8>();
    let flip_shares_memory = first_item(&flip) == last_of_row0;
    writeln!(
        out,
        "\nflip m[:, ::-1]: shape {:?}, strides {:?}, offset {}",
        flip.shape(),
        flip.byte_strides(),
        flip.offset()
    )?;
    writeln!(
        out,
        "  first item at {:p} == &pixels[0][{}]: {flip_shares_memory}",
        first_item(&flip),
        img.width - 1
    )?;
    let flipped_red_row: Vec<u8> = flip
        .field("r")?
        .sub(&index![0, ..])?
        .iter_as::<u8>()?
        .collect();
    writeln!(out, "  red of row 0, flipped: {flipped_red_row:?}")?;
    writeln!(
        out,
        "\nno pixel was copied: every view above borrows img.pixels"
    )?;

    Ok(Shown {
        crop: (crop.shape().to_vec(), crop.byte_strides().to_vec()),
        crop_shares_memory,
        green_column,
        channel_strides: green.byte_strides().to_vec(),
        flip_strides: flip.byte_strides().to_vec(),
        flipped_red_row,
        flip_shares_memory,
    })
}
