//! The hand-listed cases of the Python layout oracle: every primitive item type, zerocopy's
//! byte-order types, and the derived types of the suite and its documentation.
//!
//! A derived type declared elsewhere (a trybuild pass case, a doctest) cannot be named from
//! here, so it is declared again below, token for token, with a note saying where it comes
//! from.

use buffer_runtime::BufferExport;
use zerocopy::byteorder::{BigEndian, LittleEndian, F32, F64, I16, I32, I64, U16, U32, U64};
use zerocopy::{Immutable, IntoBytes};

use crate::describe;
use crate::layout_mirror::{scalar_case, struct_case, transparent_case, Case};

/// The example of the derive's contract in the design brief.
#[derive(BufferExport, IntoBytes, Immutable, Clone, Copy)]
#[repr(C)]
pub struct Contract {
    /// One byte.
    pub a: u8,
    /// A sub-array.
    pub b: [u8; 3],
    /// Aligned to 4 without padding.
    pub c: u32,
}
describe!(Contract, C, { field a: u8, field b: [u8; 3], field c: u32 });

/// `Trade` from the crate documentation of buffer-runtime (src/lib.rs).
#[derive(BufferExport, IntoBytes, Immutable, Clone, Copy)]
#[repr(C)]
pub struct Trade {
    /// Price.
    pub price: f64,
    /// Quantity.
    pub qty: u32,
    /// Explicit tail padding.
    #[buffer(padding)]
    pub _pad: [u8; 4],
}
describe!(Trade, C, { field price: f64, field qty: u32, pad _pad: [u8; 4] });

/// The derive's trybuild pass cases (tests/ui/pass/*.rs), declared again with their field
/// types, attributes and reprs unchanged. Added: `Clone, Copy` where the oracle must copy
/// fields out (packed structs, enums), and `pub` so the cases can be built.
pub mod pass {
    use core::marker::PhantomData;

    use buffer_runtime::{BufferExport, Element};
    use zerocopy::byteorder::{BigEndian, LittleEndian, U16, U32};
    use zerocopy::{FromBytes, Immutable, IntoBytes};

    use crate::{describe, describe_enum, describe_transparent};

    /// align-with-explicit-padding.rs
    #[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
    #[repr(C, align(16))]
    pub struct Slot {
        pub value: u64,
        #[buffer(padding)]
        pub _pad: [u8; 8],
    }
    describe!(Slot, align(16), { field value: u64, pad _pad: [u8; 8] });

    /// array-fields.rs
    #[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
    #[repr(C)]
    pub struct Transform {
        pub m: [[f32; 4]; 4],
        pub tags: [u8; 4],
    }
    describe!(Transform, C, { field m: [[f32; 4]; 4], field tags: [u8; 4] });

    /// bool-char-readonly.rs
    #[derive(BufferExport, IntoBytes, Immutable)]
    #[repr(C)]
    pub struct Cell {
        pub ch: char,
        pub visible: bool,
        #[buffer(padding)]
        pub _pad: [u8; 3],
    }
    describe!(Cell, C, { field ch: char, field visible: bool, pad _pad: [u8; 3] });

    /// byteorder-fields.rs
    #[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
    #[repr(C)]
    pub struct Packet {
        pub magic: U32<BigEndian>,
        pub len: U16<LittleEndian>,
        pub flags: [U16<BigEndian>; 3],
    }
    describe!(Packet, C, {
        field magic: U32<BigEndian>,
        field len: U16<LittleEndian>,
        field flags: [U16<BigEndian>; 3],
    });

    /// enum-repr-int.rs
    #[derive(BufferExport, IntoBytes, Immutable, Clone, Copy)]
    #[repr(u8)]
    pub enum Level {
        Low = 1,
        High = 200,
    }
    describe_enum!(Level, u8);
    /// enum-repr-int.rs
    #[derive(BufferExport, IntoBytes, Immutable, Clone, Copy)]
    #[repr(i64)]
    pub enum Big {
        Minus = -1,
        Plus = 1,
    }
    describe_enum!(Big, i64);
    /// enum-repr-int.rs
    #[derive(BufferExport, IntoBytes, Immutable)]
    #[repr(C)]
    pub struct Reading {
        pub level: Level,
        #[buffer(padding)]
        pub _pad: [u8; 7],
        pub big: Big,
    }
    describe!(Reading, C, { field level: Level, pad _pad: [u8; 7], field big: Big });

    /// flat-record.rs
    pub mod flat_record {
        use super::*;
        #[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
        #[repr(C)]
        pub struct Trade {
            pub price: f64,
            pub qty: u32,
            pub side: i32,
        }
        describe!(flat_record::Trade, C, { field price: f64, field qty: u32, field side: i32 });
    }

    /// generic-const-samples.rs
    #[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
    #[repr(C)]
    pub struct Samples<T, const N: usize>
    where
        T: Element,
    {
        pub data: [T; N],
    }
    describe!(Samples<i32, 8>, C, { field data: [i32; 8] });
    describe!(Samples<u16, 5>, C, { field data: [u16; 5] });

    /// generic-point.rs
    #[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
    #[repr(C)]
    pub struct Point<T: Element> {
        pub x: T,
        pub y: T,
    }
    describe!(Point<f32>, C, { field x: f32, field y: f32 });
    describe!(Point<u8>, C, { field x: u8, field y: u8 });
    describe!(Point<f64>, C, { field x: f64, field y: f64 });

    /// nested-struct.rs
    #[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
    #[repr(C)]
    pub struct Vec3 {
        pub x: f32,
        pub y: f32,
        pub z: f32,
    }
    describe!(Vec3, C, { field x: f32, field y: f32, field z: f32 });
    /// nested-struct.rs
    #[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
    #[repr(C)]
    pub struct Particle {
        pub pos: Vec3,
        pub vel: Vec3,
        pub mass: f32,
    }
    describe!(Particle, C, { field pos: Vec3, field vel: Vec3, field mass: f32 });

    /// no-implicit-prelude.rs
    pub mod no_implicit_prelude {
        use super::*;
        #[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
        #[repr(C)]
        pub struct Sample {
            pub a: u32,
            #[buffer(padding)]
            pub _pad: [u8; 4],
            pub b: [[f64; 2]; 2],
        }
        describe!(no_implicit_prelude::Sample, C, {
            field a: u32,
            pad _pad: [u8; 4],
            field b: [[f64; 2]; 2],
        });
        #[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
        #[repr(C)]
        pub struct Generic<T: Element, const N: usize> {
            pub v: [T; N],
        }
        describe!(no_implicit_prelude::Generic<u8, 2>, C, { field v: [u8; 2] });
    }

    /// packed-n.rs
    #[derive(BufferExport, IntoBytes, FromBytes, Immutable, Clone, Copy)]
    #[repr(C, packed(2))]
    pub struct Record {
        pub a: u16,
        pub b: u32,
    }
    describe!(Record, packed(2), { field a: u16, field b: u32 });

    /// packed.rs
    #[derive(BufferExport, IntoBytes, FromBytes, Immutable, Clone, Copy)]
    #[repr(C, packed)]
    pub struct Header {
        pub tag: u8,
        pub len: u32,
        pub crc: u16,
    }
    describe!(Header, packed, { field tag: u8, field len: u32, field crc: u16 });

    /// padding-and-rename.rs
    #[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
    #[repr(C)]
    pub struct Pixel {
        #[buffer(rename = "px")]
        pub value: u8,
        #[buffer(padding)]
        pub _pad: [u8; 3],
        pub weight: f32,
    }
    describe!(Pixel, C, { field value: u8 => "px", pad _pad: [u8; 3], field weight: f32 });

    /// phantom-data.rs
    #[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
    #[repr(C)]
    pub struct Id {
        pub raw: u32,
        pub _kind: PhantomData<String>,
    }
    describe!(Id, C, { field raw: u32, skip _kind: PhantomData<String> });

    /// raw-identifier.rs
    #[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
    #[repr(C)]
    pub struct Token {
        pub r#type: u16,
        pub r#len: u16,
    }
    describe!(Token, C, { field r#type: u16, field r#len: u16 });

    /// tuple-struct.rs
    #[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
    #[repr(C)]
    pub struct Pair(pub u16, pub i16);
    describe!(Pair, C, { field 0: u16, field 1: i16 });

    /// usize-field.rs
    #[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
    #[repr(C)]
    pub struct Span {
        pub start: usize,
        pub len: isize,
    }
    describe!(Span, C, { field start: usize, field len: isize });

    /// transparent-image.rs (the pixel; the transparent `Frame` has no fields to check)
    #[derive(BufferExport, IntoBytes, FromBytes, Immutable, Clone, Copy)]
    #[repr(C)]
    pub struct Rgb {
        pub r: u8,
        pub g: u8,
        pub b: u8,
    }
    describe!(Rgb, C, { field r: u8, field g: u8, field b: u8 });

    /// transparent-image.rs, scaled down from 480 x 640 pixels to 3 x 4.
    #[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
    #[repr(transparent)]
    pub struct Frame(pub [[Rgb; 4]; 3]);
    describe_transparent!(Frame, 0: [[Rgb; 4]; 3]);

    /// no-implicit-prelude.rs (and crate-rename.rs's `Row`, the same shape of type)
    #[derive(BufferExport, IntoBytes, Immutable)]
    #[repr(transparent)]
    pub struct Wrap(pub [no_implicit_prelude::Sample; 2]);
    describe_transparent!(Wrap, 0: [no_implicit_prelude::Sample; 2]);

    /// transparent-generic.rs
    #[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
    #[repr(transparent)]
    pub struct Tensor<T: Element, const R: usize, const C: usize>(pub [[T; C]; R]);
    describe_transparent!(Tensor<i16, 3, 2>, 0: [[i16; 2]; 3]);

    /// transparent-generic.rs
    pub struct Meters;
    /// transparent-generic.rs
    #[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
    #[repr(transparent)]
    pub struct Tagged<U: 'static> {
        pub value: f64,
        pub _unit: PhantomData<U>,
    }
    describe_transparent!(Tagged<Meters>, value: f64);
}

/// The types of the derive's metadata tests (tests/tests/derive.rs) that the pass cases do not
/// already cover, declared again (with `Clone, Copy` where the oracle copies fields out).
pub mod derive_rs {
    use core::marker::PhantomData;

    use buffer_runtime::{BufferExport, Element};
    use zerocopy::{FromBytes, Immutable, IntoBytes};

    use crate::layout_suite::derive_rs;
    use crate::{describe, describe_enum, describe_transparent};

    #[derive(BufferExport, IntoBytes, FromBytes, Immutable, Clone, Copy)]
    #[repr(C)]
    pub struct Trade {
        pub price: f64,
        pub qty: u32,
        pub side: i16,
        #[buffer(padding)]
        pub _pad: [u8; 2],
    }
    describe!(derive_rs::Trade, C, {
        field price: f64,
        field qty: u32,
        field side: i16,
        pad _pad: [u8; 2],
    });

    #[derive(BufferExport, IntoBytes, FromBytes, Immutable, Clone, Copy)]
    #[repr(C)]
    pub struct Pixel {
        #[buffer(rename = "px")]
        pub value: u8,
        #[buffer(padding)]
        pub _pad: [u8; 3],
        #[buffer(rename = "w")]
        pub weight: f32,
    }
    describe!(derive_rs::Pixel, C, {
        field value: u8 => "px",
        pad _pad: [u8; 3],
        field weight: f32 => "w",
    });

    #[derive(BufferExport, IntoBytes, FromBytes, Immutable, Clone, Copy, Default)]
    #[repr(C)]
    pub struct Rgb {
        pub r: u8,
        pub g: u8,
        pub b: u8,
    }
    describe!(derive_rs::Rgb, C, { field r: u8, field g: u8, field b: u8 });

    #[derive(BufferExport, IntoBytes, FromBytes, Immutable, Clone, Copy)]
    #[repr(C)]
    pub struct Mesh {
        pub transform: [[f32; 4]; 4],
        pub color: Rgb,
        pub palette: [Rgb; 3],
        #[buffer(padding)]
        pub _pad: [u8; 4],
        pub ids: [u16; 2],
    }
    describe!(Mesh, C, {
        field transform: [[f32; 4]; 4],
        field color: Rgb,
        field palette: [Rgb; 3],
        pad _pad: [u8; 4],
        field ids: [u16; 2],
    });

    #[derive(BufferExport, IntoBytes, FromBytes, Immutable, Clone, Copy)]
    #[repr(C)]
    pub struct Pair(pub u32, pub f32);
    describe!(derive_rs::Pair, C, { field 0: u32, field 1: f32 });

    #[derive(BufferExport, IntoBytes, FromBytes, Immutable, Clone, Copy)]
    #[repr(C, packed(2))]
    pub struct Half {
        pub a: u16,
        pub b: u64,
    }
    describe!(Half, packed(2), { field a: u16, field b: u64 });

    #[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
    #[repr(C, align(8))]
    pub struct Aligned {
        pub a: u32,
        #[buffer(padding)]
        pub _pad: [u8; 4],
    }
    describe!(Aligned, align(8), { field a: u32, pad _pad: [u8; 4] });

    #[derive(BufferExport, IntoBytes, Immutable, Clone, Copy, Debug, PartialEq)]
    #[repr(u8)]
    pub enum Level {
        Low = 1,
        High = 2,
    }
    describe_enum!(derive_rs::Level, u8);

    #[derive(BufferExport, IntoBytes, Immutable, Clone, Copy)]
    #[repr(i32)]
    pub enum Signed {
        Minus = -1,
    }
    describe_enum!(Signed, i32);

    #[derive(BufferExport, IntoBytes, Immutable)]
    #[repr(C)]
    pub struct Cell {
        pub ch: char,
        pub visible: bool,
        pub level: Level,
        #[buffer(padding)]
        pub _pad: [u8; 2],
    }
    describe!(derive_rs::Cell, C, {
        field ch: char,
        field visible: bool,
        field level: Level,
        pad _pad: [u8; 2],
    });

    /// Not in derive.rs: puts `Signed` in a struct.
    #[derive(BufferExport, IntoBytes, Immutable)]
    #[repr(C)]
    pub struct HoldsSigned {
        pub s: [Signed; 2],
    }
    describe!(HoldsSigned, C, { field s: [Signed; 2] });

    #[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
    #[repr(transparent)]
    pub struct Frame(pub [[Rgb; 4]; 3]);
    describe_transparent!(derive_rs::Frame, 0: [[Rgb; 4]; 3]);

    #[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
    #[repr(transparent)]
    pub struct Meters(pub f64);
    describe_transparent!(derive_rs::Meters, 0: f64);

    #[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
    #[repr(transparent)]
    pub struct Grid<T: Element, const R: usize, const C: usize>(pub [[T; C]; R]);
    describe_transparent!(Grid<u16, 2, 3>, 0: [[u16; 3]; 2]);

    #[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
    #[repr(C)]
    pub struct Scene {
        pub frame: Frame,
        #[buffer(padding)]
        pub _pad: [u8; 4],
        pub scale: Meters,
    }
    describe!(Scene, C, { field frame: Frame, pad _pad: [u8; 4], field scale: Meters });

    #[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
    #[repr(C)]
    pub struct Tagged {
        pub id: u64,
        pub _kind: PhantomData<String>,
        pub r#type: u32,
        #[buffer(padding)]
        pub _pad: [u8; 4],
    }
    describe!(derive_rs::Tagged, C, {
        field id: u64,
        skip _kind: PhantomData<String>,
        field r#type: u32,
        pad _pad: [u8; 4],
    });
}

/// The types of tests/tests/derive_format.rs and of the pass cases strict-lints.rs and
/// local-and-module-types.rs, declared again (with `Clone, Copy` and `pub` where needed).
pub mod more {
    use buffer_runtime::{BufferExport, Element};
    use zerocopy::byteorder::{BigEndian, U32};
    use zerocopy::{FromBytes, Immutable, IntoBytes};

    use crate::layout_suite::more;
    use crate::{describe, describe_enum, describe_transparent};

    /// derive_format.rs
    #[derive(BufferExport, IntoBytes, FromBytes, Immutable, Clone, Copy)]
    #[repr(C)]
    pub struct Rgb {
        pub r: u8,
        pub g: u8,
        pub b: u8,
    }
    describe!(more::Rgb, C, { field r: u8, field g: u8, field b: u8 });

    /// derive_format.rs
    #[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
    #[repr(C)]
    pub struct Record {
        pub id: u32,
        #[buffer(rename = "px")]
        pub color: Rgb,
        #[buffer(padding)]
        pub _pad: [u8; 1],
        pub weights: [[f32; 3]; 2],
        pub when: i64,
        pub tag: U32<BigEndian>,
        #[buffer(padding)]
        pub _tail: [u8; 4],
    }
    describe!(more::Record, C, {
        field id: u32,
        field color: Rgb => "px",
        pad _pad: [u8; 1],
        field weights: [[f32; 3]; 2],
        field when: i64,
        field tag: U32<BigEndian>,
        pad _tail: [u8; 4],
    });

    /// derive_format.rs
    #[derive(BufferExport, IntoBytes, FromBytes, Immutable, Clone, Copy)]
    #[repr(C, packed)]
    pub struct Packed {
        pub a: u8,
        pub b: f64,
        pub c: u16,
    }
    describe!(Packed, packed, { field a: u8, field b: f64, field c: u16 });

    /// derive_format.rs
    #[derive(BufferExport, IntoBytes, Immutable)]
    #[repr(C, align(16))]
    pub struct Flags {
        pub on: bool,
        pub ch: [u8; 3],
        pub glyph: char,
        #[buffer(padding)]
        pub _pad: [u8; 8],
    }
    describe!(Flags, align(16), { field on: bool, field ch: [u8; 3], field glyph: char, pad _pad: [u8; 8] });

    /// derive_format.rs
    #[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
    #[repr(C)]
    pub struct Point<T: Element> {
        pub x: T,
        pub y: T,
    }
    describe!(more::Point<i16>, C, { field x: i16, field y: i16 });

    /// derive_format.rs
    #[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
    #[repr(transparent)]
    pub struct Image(pub [[Rgb; 5]; 4]);
    describe_transparent!(Image, 0: [[Rgb; 5]; 4]);

    /// derive_format.rs: a tuple struct with a renamed field and a newtype field.
    #[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
    #[repr(C)]
    pub struct Tile(pub u16, pub Image, #[buffer(rename = "z")] pub u16);
    describe!(Tile, C, { field 0: u16, field 1: Image, field 2: u16 => "z" });

    /// strict-lints.rs
    #[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
    #[repr(C)]
    pub struct Strict {
        pub value: u32,
        #[buffer(padding)]
        pub pad: [u8; 4],
        pub m: [[f64; 2]; 2],
    }
    describe!(Strict, C, { field value: u32, pad pad: [u8; 4], field m: [[f64; 2]; 2] });

    /// strict-lints.rs
    #[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
    #[repr(C)]
    pub struct Pair<T: Element> {
        pub a: T,
        pub b: T,
    }
    describe!(more::Pair<u8>, C, { field a: u8, field b: u8 });

    /// strict-lints.rs
    #[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
    #[repr(transparent)]
    pub struct Plane(pub [[Strict; 2]; 2]);
    describe_transparent!(Plane, 0: [[Strict; 2]; 2]);

    /// strict-lints.rs
    #[derive(BufferExport, IntoBytes, Immutable, Clone, Copy)]
    #[repr(u8)]
    pub enum Kind {
        A,
    }
    describe_enum!(Kind, u8);

    /// local-and-module-types.rs
    #[derive(BufferExport, IntoBytes, Immutable)]
    #[repr(C)]
    pub struct Hidden {
        pub secret: u32,
        pub shown: u32,
    }
    describe!(Hidden, C, { field secret: u32, field shown: u32 });
}

/// Edge cases beyond the pass cases: zero-length arrays (numpy's `(0)` sub-arrays, `0x`) and
/// transparent newtypes used as fields (their shape is inlined into the field's).
pub mod edge {
    use buffer_runtime::BufferExport;
    use zerocopy::{Immutable, IntoBytes};

    use crate::{describe, describe_transparent};

    /// Zero-length array fields.
    #[derive(BufferExport, IntoBytes, Immutable)]
    #[repr(C)]
    pub struct ZeroLen {
        pub a: u32,
        pub z: [u8; 0],
        pub zz: [[u16; 0]; 3],
    }
    describe!(ZeroLen, C, { field a: u32, field z: [u8; 0], field zz: [[u16; 0]; 3] });

    /// A zero-length array of structs.
    #[derive(BufferExport, IntoBytes, Immutable)]
    #[repr(C)]
    pub struct NoneOf {
        pub a: u32,
        pub z: [ZeroLen; 0],
    }
    describe!(NoneOf, C, { field a: u32, field z: [ZeroLen; 0] });

    /// A transparent newtype over one scalar.
    #[derive(BufferExport, IntoBytes, Immutable)]
    #[repr(transparent)]
    pub struct Meters {
        pub a: u32,
    }
    describe_transparent!(Meters, a: u32);

    /// A transparent newtype over a 2-d array.
    #[derive(BufferExport, IntoBytes, Immutable)]
    #[repr(transparent)]
    pub struct Grid(pub [[u8; 2]; 3]);
    describe_transparent!(Grid, 0: [[u8; 2]; 3]);

    /// Transparent newtypes as fields, an array of them, and a zero-length padding field.
    #[derive(BufferExport, IntoBytes, Immutable)]
    #[repr(C)]
    pub struct HoldsNewtypes {
        pub a: Meters,
        pub b: Grid,
        #[buffer(padding)]
        pub _p: [u8; 2],
        pub c: [Grid; 2],
        #[buffer(padding)]
        pub _q: [u8; 0],
    }
    describe!(HoldsNewtypes, C, {
        field a: Meters,
        field b: Grid,
        pad _p: [u8; 2],
        field c: [Grid; 2],
        pad _q: [u8; 0],
    });
}

/// Every hand-listed case.
pub fn cases() -> Vec<Case> {
    let mut cases = vec![
        scalar_case("u8", &0xa5u8),
        scalar_case("i8", &-100i8),
        scalar_case("u16", &0xbeefu16),
        scalar_case("i16", &-12345i16),
        scalar_case("u32", &0xdead_beefu32),
        scalar_case("i32", &i32::MIN),
        scalar_case("u64", &u64::MAX),
        scalar_case("i64", &-1_234_567_890_123i64),
        scalar_case("usize", &usize::MAX),
        scalar_case("isize", &isize::MIN),
        scalar_case("f32", &-1.5f32),
        scalar_case("f64", &1234.0625f64),
        scalar_case("bool", &true),
        scalar_case("char", &'\u{1F600}'),
        scalar_case("U16<BigEndian>", &U16::<BigEndian>::new(0x0102)),
        scalar_case("U16<LittleEndian>", &U16::<LittleEndian>::new(0x0102)),
        scalar_case("I16<BigEndian>", &I16::<BigEndian>::new(-2)),
        scalar_case("U32<BigEndian>", &U32::<BigEndian>::new(0x0102_0304)),
        scalar_case("I32<LittleEndian>", &I32::<LittleEndian>::new(-3)),
        scalar_case(
            "U64<BigEndian>",
            &U64::<BigEndian>::new(0x0102_0304_0506_0708),
        ),
        scalar_case("I64<BigEndian>", &I64::<BigEndian>::new(i64::MIN + 7)),
        scalar_case("F32<BigEndian>", &F32::<BigEndian>::new(0.15625)),
        scalar_case("F64<LittleEndian>", &F64::<LittleEndian>::new(-2.75)),
    ];
    cases.extend([
        struct_case(&Contract {
            a: 1,
            b: [2, 3, 4],
            c: 0x0506_0708,
        }),
        struct_case(&Trade {
            price: 1.5,
            qty: 10,
            _pad: [0; 4],
        }),
    ]);
    use pass::*;
    let v3 = |k: f32| Vec3 {
        x: k,
        y: k + 0.5,
        z: -k,
    };
    cases.extend([
        struct_case(&Slot {
            value: u64::MAX - 1,
            _pad: [0; 8],
        }),
        struct_case(&Transform {
            m: [
                [1.0, 2.0, 3.0, 4.0],
                [5.5, 6.5, 7.5, 8.5],
                [-1.0, -2.0, -3.0, -4.0],
                [0.25; 4],
            ],
            tags: [9, 8, 7, 6],
        }),
        struct_case(&Cell {
            ch: '\u{20AC}',
            visible: true,
            _pad: [0; 3],
        }),
        struct_case(&Packet {
            magic: U32::new(0xCAFE_BABE),
            len: U16::new(0x0102),
            flags: [U16::new(1), U16::new(0x8000), U16::new(0xFFFF)],
        }),
        struct_case(&Reading {
            level: Level::High,
            _pad: [0; 7],
            big: Big::Minus,
        }),
        struct_case(&flat_record::Trade {
            price: -2.5,
            qty: 7,
            side: -1,
        }),
        struct_case(&Samples::<i32, 8> {
            data: [1, -2, 3, -4, 5, -6, i32::MAX, i32::MIN],
        }),
        struct_case(&Samples::<u16, 5> {
            data: [1, 2, 3, 0xFFFF, 0x8001],
        }),
        struct_case(&Point {
            x: 1.25f32,
            y: -8.0,
        }),
        struct_case(&Point { x: 1u8, y: 255 }),
        struct_case(&Point {
            x: 1e300f64,
            y: -0.0,
        }),
        struct_case(&v3(1.0)),
        struct_case(&Particle {
            pos: v3(2.0),
            vel: v3(-3.0),
            mass: 70.5,
        }),
        struct_case(&no_implicit_prelude::Sample {
            a: 3,
            _pad: [0; 4],
            b: [[1.0, 2.0], [3.0, 4.0]],
        }),
        struct_case(&no_implicit_prelude::Generic::<u8, 2> { v: [5, 6] }),
        struct_case(&Record {
            a: 0xABCD,
            b: 0x0123_4567,
        }),
        struct_case(&Header {
            tag: 0x7F,
            len: 0xDEAD_BEEF,
            crc: 0x1234,
        }),
        struct_case(&Pixel {
            value: 200,
            _pad: [0; 3],
            weight: 0.75,
        }),
        struct_case(&Id {
            raw: 42,
            _kind: core::marker::PhantomData,
        }),
        struct_case(&Token {
            r#type: 3,
            r#len: 65535,
        }),
        struct_case(&Pair(65535, -32768)),
        struct_case(&Span {
            start: usize::MAX,
            len: isize::MIN,
        }),
        struct_case(&Rgb { r: 1, g: 2, b: 3 }),
    ]);
    let px = |k: u8| Rgb {
        r: k,
        g: k.wrapping_mul(3),
        b: 255 - k,
    };
    let sample = |a: u32| no_implicit_prelude::Sample {
        a,
        _pad: [0; 4],
        b: [[0.5, 1.5], [2.5, 3.5]],
    };
    cases.extend([
        transparent_case(
            "Frame",
            &Frame([
                [px(0), px(1), px(2), px(3)],
                [px(4), px(5), px(6), px(7)],
                [px(8), px(9), px(10), px(11)],
            ]),
        ),
        transparent_case("Wrap", &Wrap([sample(1), sample(2)])),
        transparent_case(
            "Tensor<i16, 3, 2>",
            &Tensor::<i16, 3, 2>([[1, -2], [3, -4], [i16::MIN, i16::MAX]]),
        ),
        transparent_case(
            "Tagged<Meters>",
            &Tagged::<pass::Meters> {
                value: 9.75,
                _unit: core::marker::PhantomData,
            },
        ),
    ]);
    {
        use derive_rs::*;
        let rgb = |k: u8| Rgb {
            r: k,
            g: k + 1,
            b: k + 2,
        };
        let frame = || {
            Frame([
                [rgb(0), rgb(3), rgb(6), rgb(9)],
                [rgb(12), rgb(15), rgb(18), rgb(21)],
                [rgb(24), rgb(27), rgb(30), rgb(33)],
            ])
        };
        cases.extend([
            struct_case(&Trade {
                price: 3.25,
                qty: 4,
                side: -5,
                _pad: [0; 2],
            }),
            struct_case(&Pixel {
                value: 6,
                _pad: [0; 3],
                weight: -0.5,
            }),
            struct_case(&rgb(200)),
            struct_case(&Mesh {
                transform: [
                    [1.0, 0.0, 0.0, 0.0],
                    [0.0, 1.0, 0.0, 0.0],
                    [0.0, 0.0, 1.0, 0.0],
                    [7.0, 8.0, 9.0, 1.0],
                ],
                color: rgb(40),
                palette: [rgb(50), rgb(60), rgb(70)],
                _pad: [0; 4],
                ids: [0xFFFF, 0x8000],
            }),
            struct_case(&Pair(0xDEAD_BEEF, 1.5)),
            struct_case(&Half {
                a: 0x0102,
                b: 0x0304_0506_0708_090A,
            }),
            struct_case(&Aligned {
                a: 11,
                _pad: [0; 4],
            }),
            struct_case(&Cell {
                ch: 'Z',
                visible: false,
                level: Level::High,
                _pad: [0; 2],
            }),
            struct_case(&HoldsSigned {
                s: [Signed::Minus, Signed::Minus],
            }),
            transparent_case("derive_rs::Frame", &frame()),
            transparent_case("derive_rs::Meters", &Meters(-1.0e-3)),
            transparent_case(
                "Grid<u16, 2, 3>",
                &Grid::<u16, 2, 3>([[1, 2, 3], [4, 5, 6]]),
            ),
            struct_case(&Scene {
                frame: frame(),
                _pad: [0; 4],
                scale: Meters(2.5),
            }),
            struct_case(&Tagged {
                id: u64::MAX,
                _kind: core::marker::PhantomData,
                r#type: 17,
                _pad: [0; 4],
            }),
        ]);
    }
    {
        use more::*;
        let rgb = |k: u8| Rgb {
            r: k,
            g: 2 * k,
            b: 3 * k,
        };
        let image = |k: u8| Image([[rgb(k), rgb(k + 1), rgb(k + 2), rgb(k + 3), rgb(k + 4)]; 4]);
        let strict = |v: u32| Strict {
            value: v,
            pad: [0; 4],
            m: [[1.0, -1.0], [0.5, -0.5]],
        };
        cases.extend([
            struct_case(&rgb(9)),
            struct_case(&Record {
                id: 1,
                color: rgb(4),
                _pad: [0; 1],
                weights: [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]],
                when: -86_400,
                tag: U32::new(0x1122_3344),
                _tail: [0; 4],
            }),
            struct_case(&Packed {
                a: 1,
                b: -0.125,
                c: 0xBEEF,
            }),
            struct_case(&Flags {
                on: true,
                ch: *b"abc",
                glyph: '\u{1F980}',
                _pad: [0; 8],
            }),
            struct_case(&Point::<i16> { x: -1, y: i16::MAX }),
            transparent_case("Image", &image(10)),
            struct_case(&Tile(7, image(20), 8)),
            struct_case(&strict(3)),
            struct_case(&Pair::<u8> { a: 0, b: 0xFF }),
            transparent_case(
                "Plane",
                &Plane([[strict(1), strict(2)], [strict(3), strict(4)]]),
            ),
            scalar_case("Kind", &Kind::A),
            struct_case(&Hidden {
                secret: 1,
                shown: 2,
            }),
        ]);
    }
    use edge::*;
    let grid = |k: u8| Grid([[k, k + 1], [k + 2, k + 3], [k + 4, k + 5]]);
    cases.extend([
        struct_case(&ZeroLen {
            a: 7,
            z: [],
            zz: [[], [], []],
        }),
        struct_case(&NoneOf { a: 8, z: [] }),
        transparent_case("edge::Meters", &edge::Meters { a: 0x0A0B_0C0D }),
        transparent_case("Grid", &grid(10)),
        struct_case(&HoldsNewtypes {
            a: edge::Meters { a: 5 },
            b: grid(20),
            _p: [0; 2],
            c: [grid(30), grid(40)],
            _q: [],
        }),
    ]);
    cases
}
