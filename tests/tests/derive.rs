//! The metadata `#[derive(BufferExport)]` generates: exact formats, item sizes, shapes, strides,
//! field offsets, and the exporters built on them.

use core::marker::PhantomData;
use core::mem::{align_of, offset_of, size_of};

use buffer_runtime::{BufferExport, BufferExportMut, Element, StaticBufferLayout};
use zerocopy::byteorder::{BigEndian, LittleEndian, U16, U32};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

/// `expected` with every `@` replaced by this host's byte-order character, so that one string
/// states the format on both kinds of host.
fn native(expected: &str) -> String {
    let order = if cfg!(target_endian = "little") {
        "<"
    } else {
        ">"
    };
    expected.replace('@', order)
}

/// Asserts `T`'s formats, and that `FORMAT_CSTR` is `FORMAT` with a NUL.
fn assert_format<T: Element>(expected: &str) {
    let expected = native(expected);
    assert_eq!(T::FORMAT, expected);
    assert_eq!(T::FIELD_FORMAT, expected);
    assert_eq!(T::FORMAT_CSTR.to_bytes(), expected.as_bytes());
}

/// The size in bytes of one item code that the derive emits under an explicit byte order.
fn code_size(code: u8) -> usize {
    match code {
        b'B' | b'b' | b'?' | b'x' => 1,
        b'H' | b'h' => 2,
        b'I' | b'i' | b'f' | b'w' => 4,
        b'Q' | b'q' | b'd' => 8,
        other => panic!("unexpected code {:?}", other as char),
    }
}

/// A reader of the subset of PEP 3118 that derived formats use (`T{...}`, `(d,..)` shapes,
/// `<`/`>` prefixes, `Nx`, `:name:`), standard sizes and no alignment, which is how the derive
/// makes every offset explicit. Returns the size of the item and each top-level field's
/// `(name, offset)`.
fn layout_of(format: &str) -> (usize, Vec<(String, usize)>) {
    fn item(s: &[u8], i: &mut usize) -> usize {
        let mut count = 1;
        if s[*i] == b'(' {
            *i += 1;
            let end = s[*i..].iter().position(|&c| c == b')').unwrap() + *i;
            count = std::str::from_utf8(&s[*i..end])
                .unwrap()
                .split(',')
                .map(|d| d.parse::<usize>().unwrap())
                .product();
            *i = end + 1;
        }
        if s[*i] == b'<' || s[*i] == b'>' {
            *i += 1;
        }
        let size = if s[*i] == b'T' {
            let (size, _) = fields(s, i);
            size
        } else {
            *i += 1;
            code_size(s[*i - 1])
        };
        count * size
    }
    fn fields(s: &[u8], i: &mut usize) -> (usize, Vec<(String, usize)>) {
        assert_eq!(&s[*i..*i + 2], b"T{");
        *i += 2;
        let mut offset = 0;
        let mut named = Vec::new();
        while s[*i] != b'}' {
            let digits = s[*i..].iter().take_while(|c| c.is_ascii_digit()).count();
            if digits > 0 && s[*i + digits] == b'x' {
                let n: usize = std::str::from_utf8(&s[*i..*i + digits])
                    .unwrap()
                    .parse()
                    .unwrap();
                offset += n;
                *i += digits + 1;
                continue;
            }
            let size = item(s, i);
            assert_eq!(s[*i], b':');
            let end = s[*i + 1..].iter().position(|&c| c == b':').unwrap() + *i + 1;
            named.push((
                std::str::from_utf8(&s[*i + 1..end]).unwrap().to_owned(),
                offset,
            ));
            *i = end + 1;
            offset += size;
        }
        *i += 1;
        (offset, named)
    }
    let mut i = 0;
    let out = fields(format.as_bytes(), &mut i);
    assert_eq!(i, format.len(), "trailing text in {format}");
    out
}

#[derive(
    BufferExport, IntoBytes, FromBytes, Immutable, KnownLayout, Clone, Copy, Debug, PartialEq,
)]
#[repr(C)]
struct Trade {
    price: f64,
    qty: u32,
    side: i16,
    #[buffer(padding)]
    _pad: [u8; 2],
}

#[derive(BufferExport, IntoBytes, FromBytes, Immutable, Clone, Copy)]
#[repr(C)]
struct Pixel {
    #[buffer(rename = "px")]
    value: u8,
    #[buffer(padding)]
    _pad: [u8; 3],
    #[buffer(rename = "w")]
    weight: f32,
}

#[derive(BufferExport, IntoBytes, FromBytes, Immutable, Clone, Copy, Default)]
#[repr(C)]
struct Rgb {
    r: u8,
    g: u8,
    b: u8,
}

#[derive(BufferExport, IntoBytes, FromBytes, Immutable, Clone, Copy)]
#[repr(C)]
struct Mesh {
    transform: [[f32; 4]; 4],
    color: Rgb,
    palette: [Rgb; 3],
    #[buffer(padding)]
    _pad: [u8; 4],
    ids: [u16; 2],
}

#[derive(BufferExport, IntoBytes, FromBytes, Immutable, Clone, Copy)]
#[repr(C)]
struct Pair(u32, f32);

#[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
#[repr(C, packed)]
struct Header {
    tag: u8,
    len: u32,
    crc: u16,
}

#[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
#[repr(C, packed(2))]
struct Half {
    a: u16,
    b: u64,
}

#[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
#[repr(C, align(8))]
struct Aligned {
    a: u32,
    #[buffer(padding)]
    _pad: [u8; 4],
}

#[derive(BufferExport, IntoBytes, Immutable, Clone, Copy, Debug, PartialEq)]
#[repr(u8)]
enum Level {
    Low = 1,
    High = 2,
}

#[derive(BufferExport, IntoBytes, Immutable, Clone, Copy)]
#[repr(i32)]
enum Signed {
    Minus = -1,
}

#[derive(BufferExport, IntoBytes, Immutable)]
#[repr(C)]
struct Cell {
    ch: char,
    visible: bool,
    level: Level,
    #[buffer(padding)]
    _pad: [u8; 2],
}

#[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
#[repr(C)]
struct Packet {
    magic: U32<BigEndian>,
    len: U16<LittleEndian>,
    flags: [U16<BigEndian>; 3],
}

#[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
#[repr(C)]
struct Span {
    start: usize,
    len: isize,
}

#[derive(BufferExport, IntoBytes, FromBytes, Immutable, Clone, Copy, Debug, PartialEq)]
#[repr(C)]
struct Point<T: Element> {
    x: T,
    y: T,
}

#[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
#[repr(C)]
struct Samples<T: Element, const N: usize> {
    data: [T; N],
}

#[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
#[repr(transparent)]
struct Frame([[Rgb; 4]; 3]);

#[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
#[repr(transparent)]
struct Meters(f64);

#[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
#[repr(transparent)]
struct Grid<T: Element, const R: usize, const C: usize>([[T; C]; R]);

#[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
#[repr(C)]
struct Scene {
    frame: Frame,
    #[buffer(padding)]
    _pad: [u8; 4],
    scale: Meters,
}

#[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
#[repr(C)]
struct Tagged {
    id: u64,
    _kind: PhantomData<String>,
    r#type: u32,
    #[buffer(padding)]
    _pad: [u8; 4],
}

#[test]
fn exact_formats() {
    assert_format::<Trade>("T{@d:price:@I:qty:@h:side:2x}");
    assert_format::<Pixel>("T{@B:px:3x@f:w:}");
    assert_format::<Rgb>("T{@B:r:@B:g:@B:b:}");
    assert_format::<Mesh>(
        "T{(4,4)@f:transform:T{@B:r:@B:g:@B:b:}:color:(3)T{@B:r:@B:g:@B:b:}:palette:4x(2)@H:ids:}",
    );
    assert_format::<Pair>("T{@I:f0:@f:f1:}");
    assert_format::<Header>("T{@B:tag:@I:len:@H:crc:}");
    assert_format::<Half>("T{@H:a:@Q:b:}");
    assert_format::<Aligned>("T{@I:a:4x}");
    assert_format::<Cell>("T{@w:ch:@?:visible:@B:level:2x}");
    assert_format::<Packet>("T{>I:magic:<H:len:(3)>H:flags:}");
    #[cfg(target_pointer_width = "64")]
    assert_format::<Span>("T{@Q:start:@q:len:}");
    #[cfg(target_pointer_width = "32")]
    assert_format::<Span>("T{@I:start:@i:len:}");
    assert_format::<Point<f32>>("T{@f:x:@f:y:}");
    assert_format::<Point<i64>>("T{@q:x:@q:y:}");
    assert_format::<Point<Rgb>>("T{T{@B:r:@B:g:@B:b:}:x:T{@B:r:@B:g:@B:b:}:y:}");
    assert_format::<Samples<u16, 5>>("T{(5)@H:data:}");
    assert_format::<Samples<Point<u8>, 2>>("T{(2)T{@B:x:@B:y:}:data:}");
    assert_format::<Scene>("T{(3,4)T{@B:r:@B:g:@B:b:}:frame:4x@d:scale:}");
    assert_format::<Tagged>("T{@Q:id:@I:type:4x}");
}

#[test]
fn enums_export_their_integer() {
    // A bare native code, like the integer itself, so CPython's memoryview can index it.
    assert_eq!(<Level as Element>::FORMAT, "B");
    assert_eq!(Level::FIELD_FORMAT, native("@B"));
    assert_eq!(<Signed as Element>::FORMAT, "i");
    assert_eq!(Signed::FIELD_FORMAT, native("@i"));
    assert_eq!(<Level as Element>::FORMAT_CSTR.to_bytes_with_nul(), b"B\0");
    let levels = [Level::Low, Level::High, Level::Low];
    assert_eq!(levels.buffer_bytes(), &[1, 2, 1]);
    assert_eq!(&*levels.buffer_layout().shape, &[3]);
    assert_eq!(Signed::Minus.buffer_bytes(), (-1i32).to_ne_bytes());
}

/// Every field offset the format states is the offset Rust gives the field.
#[test]
fn format_offsets_match_rust() {
    fn check<T: Element>(offsets: &[(&str, usize)]) {
        let (size, fields) = layout_of(T::FORMAT);
        assert_eq!(size, size_of::<T>(), "item size of {}", T::FORMAT);
        let expected: Vec<(String, usize)> =
            offsets.iter().map(|(n, o)| ((*n).to_owned(), *o)).collect();
        assert_eq!(fields, expected, "offsets of {}", T::FORMAT);
    }
    check::<Trade>(&[
        ("price", offset_of!(Trade, price)),
        ("qty", offset_of!(Trade, qty)),
        ("side", offset_of!(Trade, side)),
    ]);
    check::<Pixel>(&[
        ("px", offset_of!(Pixel, value)),
        ("w", offset_of!(Pixel, weight)),
    ]);
    check::<Mesh>(&[
        ("transform", offset_of!(Mesh, transform)),
        ("color", offset_of!(Mesh, color)),
        ("palette", offset_of!(Mesh, palette)),
        ("ids", offset_of!(Mesh, ids)),
    ]);
    check::<Pair>(&[("f0", offset_of!(Pair, 0)), ("f1", offset_of!(Pair, 1))]);
    check::<Header>(&[
        ("tag", offset_of!(Header, tag)),
        ("len", offset_of!(Header, len)),
        ("crc", offset_of!(Header, crc)),
    ]);
    check::<Half>(&[("a", offset_of!(Half, a)), ("b", offset_of!(Half, b))]);
    check::<Aligned>(&[("a", 0)]);
    check::<Cell>(&[
        ("ch", offset_of!(Cell, ch)),
        ("visible", offset_of!(Cell, visible)),
        ("level", offset_of!(Cell, level)),
    ]);
    check::<Packet>(&[
        ("magic", offset_of!(Packet, magic)),
        ("len", offset_of!(Packet, len)),
        ("flags", offset_of!(Packet, flags)),
    ]);
    check::<Point<u16>>(&[("x", 0), ("y", 2)]);
    check::<Samples<f64, 3>>(&[("data", 0)]);
    check::<Scene>(&[
        ("frame", offset_of!(Scene, frame)),
        ("scale", offset_of!(Scene, scale)),
    ]);
    check::<Tagged>(&[
        ("id", offset_of!(Tagged, id)),
        ("type", offset_of!(Tagged, r#type)),
    ]);
}

#[test]
fn item_sizes_alignments_and_shapes() {
    assert_eq!((Trade::ITEMSIZE, Trade::ALIGN, Trade::NDIM), (16, 8, 0));
    assert_eq!(Trade::SHAPE, &[] as &[usize]);
    assert_eq!(Trade::STRIDES, &[] as &[isize]);
    assert_eq!(
        (Mesh::ITEMSIZE, Mesh::ALIGN),
        (size_of::<Mesh>(), align_of::<Mesh>())
    );
    assert_eq!((Header::ITEMSIZE, Header::ALIGN), (7, 1));
    assert_eq!((Half::ITEMSIZE, Half::ALIGN), (10, 2));
    assert_eq!((Aligned::ITEMSIZE, Aligned::ALIGN), (8, 8));
    assert_eq!((Level::ITEMSIZE, Level::ALIGN), (1, 1));
    assert_eq!(<Point<f64> as StaticBufferLayout>::ITEMSIZE, 16);
    assert_eq!(<Samples<u16, 5> as StaticBufferLayout>::ITEMSIZE, 10);
}

#[test]
fn transparent_newtypes_export_their_array() {
    assert_eq!(Frame::SHAPE, &[3, 4]);
    assert_eq!(Frame::STRIDES, &[12, 3]);
    assert_eq!(Frame::NDIM, 2);
    assert_eq!(
        <Frame as StaticBufferLayout>::ITEM_FORMAT,
        native("T{@B:r:@B:g:@B:b:}")
    );
    assert_eq!(Frame::ITEMSIZE, 3);
    assert_eq!(Meters::SHAPE, &[] as &[usize]);
    assert_eq!(<Meters as StaticBufferLayout>::ITEM_FORMAT, "d");
    assert_eq!(<Grid<i16, 2, 3> as StaticBufferLayout>::SHAPE, &[2, 3]);
    assert_eq!(<Grid<i16, 2, 3> as StaticBufferLayout>::STRIDES, &[6, 2]);
    assert_eq!(
        <Grid<Point<u8>, 2, 3> as StaticBufferLayout>::ITEM_FORMAT,
        native("T{@B:x:@B:y:}")
    );

    let mut frame = Frame([[Rgb::default(); 4]; 3]);
    frame.0[1][2] = Rgb { r: 9, g: 8, b: 7 };
    let layout = frame.buffer_layout();
    assert_eq!(
        (&*layout.shape, &*layout.strides),
        (&[3usize, 4][..], &[12isize, 3][..])
    );
    let at = 12 + 2 * 3;
    assert_eq!(&frame.buffer_bytes()[at..at + 3], &[9, 8, 7]);
    frame.buffer_bytes_mut()[0] = 5;
    assert_eq!(frame.0[0][0].r, 5);
    // A Vec of frames: one more dimension in front.
    let frames = vec![
        Frame([[Rgb::default(); 4]; 3]),
        Frame([[Rgb::default(); 4]; 3]),
    ];
    let layout = frames.buffer_layout();
    assert_eq!(&*layout.shape, &[2, 3, 4]);
    assert_eq!(&*layout.strides, &[36, 12, 3]);
}

#[test]
fn exporters_of_derived_items() {
    let trades = vec![
        Trade {
            price: 1.5,
            qty: 10,
            side: 1,
            _pad: [0; 2],
        },
        Trade {
            price: 2.5,
            qty: 20,
            side: -1,
            _pad: [0; 2],
        },
    ];
    let layout = trades.buffer_layout();
    assert_eq!(
        (&*layout.shape, &*layout.strides, layout.offset),
        (&[2usize][..], &[16isize][..], 0)
    );
    assert_eq!(
        <Vec<Trade> as BufferExport>::format(),
        <Trade as Element>::FORMAT
    );
    let bytes = trades.buffer_bytes();
    assert_eq!(bytes.len(), 32);
    assert_eq!(&bytes[16..24], &2.5f64.to_ne_bytes());
    assert_eq!(&bytes[24..28], &20u32.to_ne_bytes());

    // One item is a 0-d buffer.
    let one = Trade {
        price: 3.0,
        qty: 1,
        side: 0,
        _pad: [0; 2],
    };
    assert_eq!(one.buffer_layout().ndim(), 0);
    assert_eq!(one.buffer_bytes(), one.as_bytes());

    // Arrays of derived items.
    let grid = [[Point { x: 1u16, y: 2 }; 3]; 2];
    let layout = grid.buffer_layout();
    assert_eq!(
        (&*layout.shape, &*layout.strides),
        (&[2usize, 3][..], &[12isize, 4][..])
    );
    assert_eq!(
        <[[Point<u16>; 3]; 2] as StaticBufferLayout>::ITEM_FORMAT,
        native("T{@H:x:@H:y:}")
    );

    // Writable, since `Trade: FromBytes`.
    let mut trades = trades;
    trades.buffer_bytes_mut()[16..24].copy_from_slice(&9.0f64.to_ne_bytes());
    assert_eq!(trades[1].price, 9.0);
    let mut pts = [Point { x: 0.0f32, y: 0.0 }; 2];
    pts.buffer_bytes_mut()[4..8].copy_from_slice(&7.0f32.to_ne_bytes());
    assert_eq!(pts[0], Point { x: 0.0, y: 7.0 });
}

// The metadata is computed at compile time, generic types included.
const TRADE_FORMAT: &str = <Trade as Element>::FORMAT;
const POINT_FORMAT: &str = <Point<f32> as Element>::FORMAT;
const SAMPLES_SIZE: usize = <Samples<u32, 7> as StaticBufferLayout>::ITEMSIZE;
const FRAME_SHAPE: &[usize] = Frame::SHAPE;
const GRID_STRIDES: &[isize] = <Grid<u8, 4, 5> as StaticBufferLayout>::STRIDES;

#[test]
fn metadata_in_const_items() {
    assert_eq!(TRADE_FORMAT, native("T{@d:price:@I:qty:@h:side:2x}"));
    assert_eq!(POINT_FORMAT, native("T{@f:x:@f:y:}"));
    assert_eq!(SAMPLES_SIZE, 28);
    assert_eq!(FRAME_SHAPE, &[3, 4]);
    assert_eq!(GRID_STRIDES, &[5, 1]);
}

/// A generic type's format sits in a fixed-size buffer; its text is still exact.
#[test]
fn long_generic_formats() {
    type Big = Samples<Samples<Point<Rgb>, 3>, 4>;
    let inner = native("T{(3)T{T{@B:r:@B:g:@B:b:}:x:T{@B:r:@B:g:@B:b:}:y:}:data:}");
    assert_eq!(<Big as Element>::FORMAT, format!("T{{(4){inner}:data:}}"));
    assert_eq!(
        <Big as Element>::FORMAT_CSTR.to_str().unwrap(),
        <Big as Element>::FORMAT
    );
}
