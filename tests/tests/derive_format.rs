//! Every derived format read back by the runtime's PEP 3118 parser: it parses, its item size
//! and every field offset are Rust's, and unpacking a value's bytes by the format gives back
//! the value's fields.

use core::mem::{align_of, offset_of, size_of};

use buffer_runtime::format::{parse, unpack, ItemLayout, Value};
use buffer_runtime::{BufferExport, Element, StaticBufferLayout};
use zerocopy::byteorder::{BigEndian, U32};
use zerocopy::{FromBytes, Immutable, IntoBytes};

fn layout<T: Element>() -> ItemLayout {
    let format = parse(T::FORMAT).unwrap_or_else(|e| panic!("{}: {e}", T::FORMAT));
    let layout = format
        .layout()
        .unwrap_or_else(|e| panic!("{}: {e}", T::FORMAT));
    assert_eq!(layout.size(), size_of::<T>(), "size of {}", T::FORMAT);
    layout
}

fn assert_offsets<T: Element>(expected: &[(&str, usize)]) {
    let layout = layout::<T>();
    let named: Vec<(String, usize)> = layout
        .fields()
        .iter()
        .filter_map(|f| f.name.clone().map(|n| (n, f.offset)))
        .collect();
    let expected: Vec<(String, usize)> = expected
        .iter()
        .map(|(n, o)| ((*n).to_owned(), *o))
        .collect();
    assert_eq!(named, expected, "fields of {}", T::FORMAT);
}

#[derive(BufferExport, IntoBytes, FromBytes, Immutable, Clone, Copy)]
#[repr(C)]
struct Rgb {
    r: u8,
    g: u8,
    b: u8,
}

#[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
#[repr(C)]
struct Record {
    id: u32,
    #[buffer(rename = "px")]
    color: Rgb,
    #[buffer(padding)]
    _pad: [u8; 1],
    weights: [[f32; 3]; 2],
    when: i64,
    tag: U32<BigEndian>,
    #[buffer(padding)]
    _tail: [u8; 4],
}

#[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
#[repr(C, packed)]
struct Packed {
    a: u8,
    b: f64,
    c: u16,
}

#[derive(BufferExport, IntoBytes, Immutable)]
#[repr(C, align(16))]
struct Flags {
    on: bool,
    ch: [u8; 3],
    glyph: char,
    #[buffer(padding)]
    _pad: [u8; 8],
}

#[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
#[repr(C)]
struct Point<T: Element> {
    x: T,
    y: T,
}

#[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
#[repr(transparent)]
struct Image([[Rgb; 5]; 4]);

#[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
#[repr(C)]
struct Tile(u16, Image, #[buffer(rename = "z")] u16);

#[test]
fn offsets_read_back_by_the_parser() {
    assert_offsets::<Record>(&[
        ("id", offset_of!(Record, id)),
        ("px", offset_of!(Record, color)),
        ("weights", offset_of!(Record, weights)),
        ("when", offset_of!(Record, when)),
        ("tag", offset_of!(Record, tag)),
    ]);
    assert_offsets::<Packed>(&[
        ("a", offset_of!(Packed, a)),
        ("b", offset_of!(Packed, b)),
        ("c", offset_of!(Packed, c)),
    ]);
    assert_offsets::<Flags>(&[
        ("on", offset_of!(Flags, on)),
        ("ch", offset_of!(Flags, ch)),
        ("glyph", offset_of!(Flags, glyph)),
    ]);
    assert_offsets::<Point<f64>>(&[("x", 0), ("y", 8)]);
    assert_offsets::<Point<Rgb>>(&[("x", 0), ("y", 3)]);
    assert_offsets::<Tile>(&[
        ("f0", offset_of!(Tile, 0)),
        ("f1", offset_of!(Tile, 1)),
        ("z", offset_of!(Tile, 2)),
    ]);
}

/// Explicit byte orders and standard sizes make alignment irrelevant: the parser's layout has
/// alignment 1, and its size is still Rust's (padding spelled out as `x`), so struct, numpy,
/// ctypes and Cython agree. (`Flags`'s `align(16)` is carried by its explicit `8x`.)
#[test]
fn layouts_need_no_alignment_rules() {
    assert_eq!(layout::<Record>().align(), 1);
    assert_eq!(layout::<Flags>().size(), 16);
    assert_eq!(align_of::<Flags>(), 16);
}

#[test]
fn unpacking_by_the_format_gives_the_fields() {
    let rec = Record {
        id: 7,
        color: Rgb { r: 1, g: 2, b: 3 },
        _pad: [0],
        weights: [[0.5, 1.5, 2.5], [3.5, 4.5, 5.5]],
        when: -9,
        tag: U32::new(0xdead_beef),
        _tail: [0; 4],
    };
    let v = unpack(&layout::<Record>(), rec.buffer_bytes()).unwrap();
    assert_eq!(v.field("id"), Some(&Value::UInt(7)));
    assert_eq!(
        v.field("px").and_then(|px| px.field("b")),
        Some(&Value::UInt(3))
    );
    let Some(Value::Array(rows)) = v.field("weights") else {
        panic!("{v}")
    };
    assert_eq!(
        rows[1],
        Value::Array(vec![
            Value::Float(3.5),
            Value::Float(4.5),
            Value::Float(5.5)
        ])
    );
    assert_eq!(v.field("when"), Some(&Value::Int(-9)));
    assert_eq!(v.field("tag"), Some(&Value::UInt(0xdead_beef)));

    let img = Image([[Rgb { r: 0, g: 0, b: 0 }; 5]; 4]);
    assert_eq!(<Image as StaticBufferLayout>::SHAPE, &[4, 5]);
    let item = layout::<Rgb>();
    let third = &img.buffer_bytes()[2 * 3..3 * 3];
    assert_eq!(
        unpack(&item, third).unwrap().field("g"),
        Some(&Value::UInt(0))
    );
}
