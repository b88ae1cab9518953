//! `MemoryView` over types that `#[derive(BufferExport)]`: an image as a pixel view, channel
//! projection, typed access to records, and the derived format checked against the view's.

use buffer_runtime::view::{ErrorKind, MemoryView, MemoryViewMut, Order, Value};
use buffer_runtime::{index, BufferExport, Element};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

#[derive(
    BufferExport, IntoBytes, FromBytes, Immutable, KnownLayout, Clone, Copy, Debug, PartialEq,
)]
#[repr(C)]
struct Rgb {
    r: u8,
    g: u8,
    b: u8,
}

#[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
#[repr(transparent)]
struct Frame([[Rgb; 8]; 4]);

#[derive(
    BufferExport, IntoBytes, FromBytes, Immutable, KnownLayout, Clone, Copy, Debug, PartialEq,
)]
#[repr(C)]
struct Trade {
    price: f64,
    qty: u32,
    #[buffer(padding)]
    _pad: [u8; 4],
}

fn frame() -> Frame {
    let mut f = Frame([[Rgb { r: 0, g: 0, b: 0 }; 8]; 4]);
    for (y, row) in f.0.iter_mut().enumerate() {
        for (x, px) in row.iter_mut().enumerate() {
            *px = Rgb {
                r: x as u8,
                g: y as u8,
                b: (x + y) as u8,
            };
        }
    }
    f
}

#[test]
fn image_as_pixel_view() {
    let f = frame();
    let view = MemoryView::new(&f).unwrap();
    assert_eq!(view.shape(), &[4, 8]);
    assert_eq!(view.byte_strides(), &[24, 3]);
    assert_eq!(view.format(), <Rgb as Element>::FORMAT);
    let px = view.get(&[2, 5]).unwrap();
    assert_eq!(px.field("r"), Some(&Value::UInt(5)));
    assert_eq!(px.field("g"), Some(&Value::UInt(2)));
    assert_eq!(
        view.get_as::<Rgb>(&[3, -1]).unwrap(),
        Rgb { r: 7, g: 3, b: 10 }
    );
    // the green channel of column 1, bottom-up: a strided 1-d view of u8
    let green = view
        .sub(&index![..;-1, 1])
        .unwrap()
        .into_field("g")
        .unwrap();
    assert_eq!(
        green.format(),
        if cfg!(target_endian = "little") {
            "<B"
        } else {
            ">B"
        }
    );
    assert_eq!(green.tobytes(Order::C), [3, 2, 1, 0]);
    assert_eq!(
        green.iter_as::<u8>().unwrap().collect::<Vec<_>>(),
        [3, 2, 1, 0]
    );
    // rows as typed slices
    let row = view.index(1).unwrap();
    assert_eq!(row.as_slice::<Rgb>().unwrap(), &f.0[1]);
    // any format casts to bytes; between two non-byte formats, CPython's refusal
    assert_eq!(view.cast("B", None).unwrap().shape(), &[96]);
    assert_eq!(
        view.cast("h", None).unwrap_err().message(),
        "memoryview: cannot cast between two non-byte formats"
    );
}

#[test]
fn writing_a_channel() {
    let mut f = frame();
    let mut view = MemoryViewMut::new(&mut f).unwrap();
    view.field_mut("b")
        .unwrap()
        .fill(&Value::UInt(255))
        .unwrap();
    view.sub_mut(&index![0, ..;2])
        .unwrap()
        .for_each_mut::<Rgb>(|p| p.r = 99)
        .unwrap();
    drop(view);
    assert!(f.0.iter().flatten().all(|p| p.b == 255));
    assert_eq!(f.0[0][2].r, 99);
    assert_eq!(f.0[0][3].r, 3);
}

#[test]
fn records() {
    let book: Vec<Trade> = (0..3)
        .map(|k| Trade {
            price: 1.0 + k as f64,
            qty: k,
            _pad: [0; 4],
        })
        .collect();
    let view = MemoryView::new(&book).unwrap();
    assert_eq!(view.itemsize(), 16);
    assert_eq!(
        view.field("price").unwrap().tolist().unwrap(),
        Value::Array(vec![
            Value::Float(1.0),
            Value::Float(2.0),
            Value::Float(3.0)
        ])
    );
    assert_eq!(view.as_slice::<Trade>().unwrap(), &book[..]);
    // a Trade view is not a pixel view
    let e = view.as_slice::<Rgb>().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ValueError);
    // equality with a raw view of the same bytes and format
    let raw =
        MemoryView::from_parts(book.as_bytes(), <Trade as Element>::FORMAT, &[3], None, 0).unwrap();
    assert!(raw == view);
    assert_eq!(book.buffer_bytes(), raw.underlying_bytes());
}
