//! `MemoryView` over a Rust exporter of struct items: field projection, typed access checked by
//! layout, values, writes. The item types implement the traits by hand (as the derive will),
//! with explicit padding, so these tests do not depend on the derive.

use core::ffi::CStr;

use buffer_runtime::view::{ErrorKind, MemoryView, MemoryViewMut, Order, Slice, Value};
use buffer_runtime::{Element, StaticBufferLayout};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

#[derive(IntoBytes, FromBytes, Immutable, KnownLayout, Clone, Copy, Debug, PartialEq)]
#[repr(C)]
struct Trade {
    price: f64,
    qty: u32,
    _pad: [u8; 4],
}

#[cfg(target_endian = "little")]
const TRADE: &CStr = c"T{<d:price:<I:qty:4x}";
#[cfg(target_endian = "big")]
const TRADE: &CStr = c"T{>d:price:>I:qty:4x}";

// SAFETY: `Trade` is repr(C): an f64 at 0, a u32 at 8, 4 padding bytes (an explicit field) at
// 12, 16 bytes in all, which is what the format says.
unsafe impl Element for Trade {
    const FORMAT: &'static str = match TRADE.to_str() {
        Ok(s) => s,
        Err(_) => panic!(),
    };
    const FORMAT_CSTR: &'static CStr = TRADE;
    const FIELD_FORMAT: &'static str = <Self as Element>::FORMAT;
}

// SAFETY: one item, 0-d.
unsafe impl StaticBufferLayout for Trade {
    type Item = Self;
    const SHAPE: &'static [usize] = &[];
    const STRIDES: &'static [isize] = &[];
}

/// Same size as `Trade`, different field types: typed access must refuse it.
#[derive(IntoBytes, FromBytes, Immutable, KnownLayout, Clone, Copy, Debug, PartialEq)]
#[repr(C)]
struct Wrong {
    price: f64,
    qty: f32,
    _pad: [u8; 4],
}

#[cfg(target_endian = "little")]
const WRONG: &CStr = c"T{<d:price:<f:qty:4x}";
#[cfg(target_endian = "big")]
const WRONG: &CStr = c"T{>d:price:>f:qty:4x}";

// SAFETY: as for `Trade`, with an f32 at 8.
unsafe impl Element for Wrong {
    const FORMAT: &'static str = match WRONG.to_str() {
        Ok(s) => s,
        Err(_) => panic!(),
    };
    const FORMAT_CSTR: &'static CStr = WRONG;
    const FIELD_FORMAT: &'static str = <Self as Element>::FORMAT;
}

fn book() -> Vec<Trade> {
    (0..5)
        .map(|k| Trade {
            price: 100.0 + k as f64 / 4.0,
            qty: 10 * k,
            _pad: [0; 4],
        })
        .collect()
}

#[test]
fn struct_view_attributes_and_values() {
    let book = book();
    let view = MemoryView::new(&book).unwrap();
    assert_eq!(view.format(), <Trade as Element>::FORMAT);
    assert_eq!(
        (view.itemsize(), view.shape(), view.byte_strides()),
        (16, &[5usize][..], &[16isize][..])
    );
    let item = view.get(&[2]).unwrap();
    assert_eq!(item.field("price"), Some(&Value::Float(100.5)));
    assert_eq!(item.field("qty"), Some(&Value::UInt(20)));
    assert_eq!(view.tobytes(Order::C), book.as_bytes());
}

#[test]
fn field_projection_and_typed_iteration() {
    let book = book();
    let view = MemoryView::new(&book).unwrap();
    let qty = view.field("qty").unwrap();
    assert_eq!(qty.byte_strides(), &[16]);
    assert_eq!(qty.offset(), 8);
    assert_eq!(
        qty.iter_as::<u32>().unwrap().collect::<Vec<_>>(),
        [0, 10, 20, 30, 40]
    );
    // a strided field is not a slice
    assert_eq!(
        qty.as_slice::<u32>().unwrap_err().kind(),
        ErrorKind::BufferError
    );
    // every other trade, backwards
    let back = view
        .slice(Slice::new(None, None, -2))
        .unwrap()
        .into_field("price")
        .unwrap();
    assert_eq!(
        back.iter_as::<f64>().unwrap().collect::<Vec<_>>(),
        [101.0, 100.5, 100.0]
    );
    // the whole items, typed, without a copy
    assert_eq!(view.as_slice::<Trade>().unwrap(), &book[..]);
    assert_eq!(view.get_as::<Trade>(&[-1]).unwrap(), book[4]);
}

#[test]
fn typed_access_refuses_another_layout() {
    let book = book();
    let view = MemoryView::new(&book).unwrap();
    let e = view.as_slice::<Wrong>().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ValueError);
    let le = cfg!(target_endian = "little");
    let (want, got) = if le { ("<f", "<I") } else { (">f", ">I") };
    assert_eq!(
        e.message(),
        format!("Buffer dtype mismatch, expected '{want}' but got '{got}' at offset 8")
    );
    assert!(view.get_as::<u64>(&[0]).is_err());
    assert!(view.field("price").unwrap().get_as::<f64>(&[0]).is_ok() == le);
}

#[test]
fn writes_through_fields() {
    let mut book = book();
    let mut view = MemoryViewMut::new(&mut book).unwrap();
    view.field_mut("qty")
        .unwrap()
        .for_each_mut::<u32>(|q| *q += 1)
        .unwrap();
    view.field_mut("price")
        .unwrap()
        .set(&[0], &Value::Float(99.0))
        .unwrap();
    assert_eq!(
        view.field_mut("qty")
            .unwrap()
            .set(&[1], &Value::Int(-1))
            .unwrap_err()
            .kind(),
        ErrorKind::ValueError
    );
    view.as_slice_mut::<Trade>().unwrap()[4].qty = 7;
    drop(view);
    assert_eq!(
        book.iter().map(|t| t.qty).collect::<Vec<_>>(),
        [1, 11, 21, 31, 7]
    );
    assert_eq!(book[0].price, 99.0);
}

#[test]
fn views_of_standard_exporters() {
    // arrays of arrays, slices, boxed slices, scalars
    let grid = [[1i8, -2], [3, -4]];
    let v = MemoryView::new(&grid).unwrap();
    assert_eq!(v.format(), "b");
    assert_eq!(v.get(&[1, 1]).unwrap(), Value::Int(-4));
    let slice: &[u16] = &[5, 6, 7];
    let v = MemoryView::new(slice).unwrap();
    assert_eq!(v.tolist().unwrap().to_string(), "[5, 6, 7]");
    let flags = [true, false];
    let v = MemoryView::new(&flags).unwrap();
    assert_eq!(v.format(), "?");
    assert_eq!(v.get(&[0]).unwrap(), Value::Bool(true));
    let c = ['a', 'é'];
    let v = MemoryView::new(&c).unwrap();
    assert_eq!(v.format(), "w");
    assert_eq!(v.get(&[1]).unwrap(), Value::Str("é".into()));
    let x = 2.5f32;
    let v = MemoryView::new(&x).unwrap();
    assert_eq!((v.ndim(), v.get(&[]).unwrap()), (0, Value::Float(2.5)));
}
