//! `#[buffer(container)]`: runtime-shaped exporters, their layouts, and shape errors.

use buffer_runtime::view::{MemoryView, MemoryViewMut, Order};
use buffer_runtime::{BufferExport, BufferExportMut, BufferLayout, BufferLayoutError};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

#[derive(
    BufferExport, IntoBytes, FromBytes, Immutable, KnownLayout, Clone, Copy, Debug, PartialEq,
)]
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
    width: usize,
    height: u32,
    #[buffer(data, shape = [height, width])]
    pixels: Vec<Rgba>,
}

#[derive(BufferExport, IntoBytes, FromBytes, Immutable, KnownLayout, Clone, Copy, Debug)]
#[repr(C)]
struct Trade {
    price: f64,
    qty: u32,
    #[buffer(padding)]
    _pad: [u8; 4],
}

#[derive(BufferExport)]
#[buffer(container)]
struct Table {
    #[buffer(data)]
    rows: Vec<Trade>,
}

/// Rows padded to a pitch (in bytes), as images from a GPU or a camera often are.
#[derive(BufferExport)]
#[buffer(container)]
struct Pitched<'a> {
    width: u16,
    height: u16,
    pitch: i64,
    #[buffer(data, shape = [height, width], strides = [pitch, 4])]
    pixels: &'a [Rgba],
}

#[derive(BufferExport)]
#[buffer(container)]
struct Boxed {
    #[buffer(data, shape = [2, n])]
    cells: Box<[[u16; 3]]>,
    n: usize,
}

#[derive(BufferExport)]
#[buffer(container)]
struct Borrowed<'a, T: buffer_runtime::StaticBufferLayout> {
    len: usize,
    #[buffer(data, shape = [len])]
    items: &'a mut [T],
}

fn px(i: u8) -> Rgba {
    Rgba {
        r: i,
        g: i.wrapping_add(1),
        b: i.wrapping_add(2),
        a: 255,
    }
}

#[test]
fn image_exports_height_by_width() {
    let img = Image {
        width: 3,
        height: 2,
        pixels: (0..6).map(px).collect(),
    };
    let layout = img.buffer_layout();
    assert_eq!(&*layout.shape, &[2, 3]);
    assert_eq!(&*layout.strides, &[12, 4]);
    assert_eq!(layout.offset, 0);
    assert!(img.check_buffer_shape().is_ok());
    let view = MemoryView::new(&img).unwrap();
    assert_eq!(view.format(), <Image as BufferExport>::format());
    assert_eq!(view.get_as::<Rgba>(&[1, 2]).unwrap(), px(5));
    // No copy: the view's bytes are the Vec's.
    assert_eq!(
        view.underlying_bytes().as_ptr(),
        img.pixels.as_ptr().cast::<u8>()
    );
}

#[test]
fn table_exports_one_dimension() {
    let t = Table {
        rows: (0..4)
            .map(|i| Trade {
                price: i as f64,
                qty: i,
                _pad: [0; 4],
            })
            .collect(),
    };
    let view = MemoryView::new(&t).unwrap();
    assert_eq!(view.shape(), &[4]);
    assert_eq!(view.itemsize(), 16);
    let prices: Vec<f64> = view
        .field("price")
        .unwrap()
        .iter_as::<f64>()
        .unwrap()
        .collect();
    assert_eq!(prices, [0.0, 1.0, 2.0, 3.0]);
}

#[test]
fn wrong_shape_is_an_error_not_a_view() {
    let img = Image {
        width: 3,
        height: 2,
        pixels: (0..5).map(px).collect(),
    };
    assert_eq!(
        img.check_buffer_shape(),
        Err(BufferLayoutError::LengthMismatch {
            shape_items: 6,
            data_items: 5
        })
    );
    assert!(img.try_buffer_layout().is_err());
    assert_eq!(img.buffer_layout(), BufferLayout::invalid());
    assert!(MemoryView::new(&img).is_err());
    // Too few items in the shape is also an error (it would silently drop data otherwise).
    let img = Image {
        width: 2,
        height: 2,
        pixels: (0..6).map(px).collect(),
    };
    assert!(img.check_buffer_shape().is_err());
    // The view reports the exporter's own reason, as a BufferError.
    let err = MemoryView::new(&img).unwrap_err();
    assert_eq!(err.kind(), buffer_runtime::view::ErrorKind::BufferError);
    assert!(
        err.to_string()
            .contains("the shape describes 4 items but the data holds 6"),
        "{err}"
    );
    assert!(img
        .check_buffer_shape()
        .unwrap_err()
        .to_string()
        .contains("the shape describes 4 items but the data holds 6"));
}

#[test]
fn pitched_rows_and_negative_pitch() {
    // 2 rows of 3 pixels, each row padded to 4 pixels (16 bytes).
    let data: Vec<Rgba> = (0..8).map(px).collect();
    let img = Pitched {
        width: 3,
        height: 2,
        pitch: 16,
        pixels: &data,
    };
    let view = MemoryView::new(&img).unwrap();
    assert_eq!(view.shape(), &[2, 3]);
    assert_eq!(view.byte_strides(), &[16, 4]);
    assert_eq!(view.get_as::<Rgba>(&[1, 0]).unwrap(), px(4));
    // A negative pitch: the rows bottom-up, without copying.
    let flipped = Pitched {
        width: 3,
        height: 2,
        pitch: -16,
        pixels: &data,
    };
    let layout = flipped.buffer_layout();
    assert_eq!(layout.offset, 16);
    let view = MemoryView::new(&flipped).unwrap();
    assert_eq!(view.get_as::<Rgba>(&[0, 0]).unwrap(), px(4));
    assert_eq!(view.get_as::<Rgba>(&[1, 2]).unwrap(), px(2));
    // A pitch that reaches past the data.
    let bad = Pitched {
        width: 3,
        height: 3,
        pitch: 16,
        pixels: &data,
    };
    assert_eq!(
        bad.check_buffer_shape(),
        Err(BufferLayoutError::OutOfBounds {
            needed_bytes: 44,
            data_bytes: 32
        })
    );
    assert!(MemoryView::new(&bad).is_err());
    // A negative width converts to no usize.
    #[derive(BufferExport)]
    #[buffer(container)]
    struct Signed {
        n: i32,
        #[buffer(data, shape = [n])]
        v: Vec<u8>,
    }
    let s = Signed { n: -1, v: vec![1] };
    assert_eq!(s.check_buffer_shape(), Err(BufferLayoutError::Overflow));
    assert!(MemoryView::new(&s).is_err());
}

#[test]
fn boxed_items_with_their_own_shape() {
    let b = Boxed {
        cells: vec![[1u16, 2, 3]; 6].into_boxed_slice(),
        n: 3,
    };
    let layout = b.buffer_layout();
    assert_eq!(&*layout.shape, &[2, 3, 3]);
    assert_eq!(&*layout.strides, &[18, 6, 2]);
    let view = MemoryView::new(&b).unwrap();
    assert_eq!(view.format(), "H");
    assert_eq!(view.get_as::<u16>(&[1, 2, 2]).unwrap(), 3);
}

#[test]
fn owned_and_mut_containers_are_writable() {
    let mut img = Image {
        width: 2,
        height: 1,
        pixels: vec![px(0); 2],
    };
    {
        let mut view = MemoryViewMut::new(&mut img).unwrap();
        view.set_as::<Rgba>(&[0, 1], px(9)).unwrap();
    }
    assert_eq!(img.pixels[1], px(9));
    img.buffer_bytes_mut()[0] = 7;
    assert_eq!(img.pixels[0].r, 7);

    let mut backing = [1i32, 2, 3];
    let mut c = Borrowed {
        len: 3,
        items: &mut backing,
    };
    let mut view = MemoryViewMut::new(&mut c).unwrap();
    view.for_each_mut::<i32>(|x| *x *= -1).unwrap();
    assert_eq!(view.tobytes(Order::C), [-1i32, -2, -3].as_bytes());
    drop(view);
    assert_eq!(backing, [-1, -2, -3]);
}

mod props {
    use buffer_runtime::view::MemoryView;
    use buffer_runtime::{BufferLayout, BufferLayoutError};
    use proptest::prelude::*;

    fn shapes() -> impl Strategy<Value = Vec<usize>> {
        proptest::collection::vec(0usize..5, 1..4)
    }

    proptest! {
        /// Every layout `for_items` accepts fits the data: a view over exactly `len` items
        /// accepts it, and holds the items the shape says. Without strides it accepts exactly
        /// the shapes whose product is `len`.
        #[test]
        fn accepted_layouts_fit_the_data(
            len in 0usize..40,
            shape in shapes(),
            strides in proptest::option::of(proptest::collection::vec(-40isize..40, 1..4)),
        ) {
            let bytes = vec![0u8; len * 4];
            let result = BufferLayout::for_items::<u32>(len, &shape, strides.as_deref());
            match (&result, &strides) {
                (_, Some(s)) if s.len() != shape.len() => prop_assert!(
                    matches!(result, Err(BufferLayoutError::StridesCount { .. })),
                    "stride count unchecked"
                ),
                (Ok(layout), _) => {
                    let view = MemoryView::from_parts(
                        &bytes, "=I", &layout.shape, Some(&layout.strides), layout.offset,
                    );
                    prop_assert!(view.is_ok(), "{layout:?} over {len} items: {view:?}");
                    prop_assert_eq!(view.unwrap().item_count(), shape.iter().product::<usize>());
                }
                (Err(_), _) => {}
            }
            if strides.is_none() {
                prop_assert_eq!(result.is_ok(), shape.iter().product::<usize>() == len);
            }
        }
    }
}
