//! What Rust says about a type's layout, written as JSON for the Python layout oracle
//! (`tests/python/layout_oracle.py check`).
//!
//! For every type under test the oracle needs two things that do not come from the derive:
//! Rust's own layout facts (`size_of`, `align_of`, `offset_of!` of every field) and a
//! description of each field's *Rust* type (`u32`, `U32<BigEndian>`, `[[u8; 3]; 2]`, another
//! struct). From the description Python builds what a correct format must give (the numpy
//! dtype, a `ctypes.Structure` mirror) without reading the derive's format string, so a wrong
//! format cannot agree with itself. A sample value of each type travels along as bytes plus the values Rust
//! reads from its fields, so byte order is checked as well as offsets.
//!
//! ```
//! use buffer_tests::layout_mirror::{Mirror, Ty, Value};
//! assert_eq!(<[[u8; 3]; 2]>::ty().to_json(), r#"{"array":2,"elem":{"array":3,"elem":{"scalar":"u8","order":"native"}}}"#);
//! assert_eq!(7u16.value().to_json(), "7");
//! ```

use std::fmt::Write;

use buffer_runtime::{Element, StaticBufferLayout};
use zerocopy::byteorder::{ByteOrder, Order, F32, F64, I16, I32, I64, U16, U32, U64};

/// The byte order a scalar field is stored in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ByteOrderOf {
    /// The host's order (Rust's primitive types).
    Native,
    /// Little-endian whatever the host (zerocopy's `U32<LittleEndian>`).
    Little,
    /// Big-endian whatever the host (zerocopy's `U32<BigEndian>`).
    Big,
}

/// The Rust type of a field, as far as the oracle needs to know it.
#[derive(Clone, Debug, PartialEq)]
pub enum Ty {
    /// A primitive or zerocopy byte-order type, named as in Rust without the order
    /// parameter (`"u32"`, `"U32"`, `"char"`).
    Scalar {
        /// The Rust name.
        rust: &'static str,
        /// Its byte order.
        order: ByteOrderOf,
    },
    /// `[elem; len]`.
    Array {
        /// The length.
        len: usize,
        /// The element type.
        elem: Box<Ty>,
    },
    /// A struct described by [`Described`], by name.
    Struct {
        /// The struct's name (its case name in the JSON).
        name: &'static str,
    },
}

impl Ty {
    /// The JSON form read by `layout_oracle.py`.
    pub fn to_json(&self) -> String {
        match self {
            Ty::Scalar { rust, order } => {
                let order = match order {
                    ByteOrderOf::Native => "native",
                    ByteOrderOf::Little => "little",
                    ByteOrderOf::Big => "big",
                };
                format!(r#"{{"scalar":"{rust}","order":"{order}"}}"#)
            }
            Ty::Array { len, elem } => format!(r#"{{"array":{len},"elem":{}}}"#, elem.to_json()),
            Ty::Struct { name } => format!(r#"{{"struct":{}}}"#, json_str(name)),
        }
    }
}

/// A value as Rust reads it, for comparison with what Python reads from the same bytes.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// Any integer (wide enough for `u64` and `i64`).
    Int(i128),
    /// A float (the generator only uses exactly representable values).
    Float(f64),
    /// A `bool`.
    Bool(bool),
    /// A `char`.
    Char(char),
    /// The items of an array, or the fields of a struct in declaration order.
    List(Vec<Value>),
}

impl Value {
    /// The JSON form: numbers, booleans, one-character strings and lists.
    pub fn to_json(&self) -> String {
        let mut s = String::new();
        self.write_json(&mut s);
        s
    }

    fn write_json(&self, out: &mut String) {
        match self {
            Value::Int(i) => write!(out, "{i}").unwrap(),
            // `{:?}` prints enough digits to round-trip, and always a `.` or an exponent.
            Value::Float(f) if f.is_finite() => write!(out, "{f:?}").unwrap(),
            Value::Float(f) => panic!("the oracle only uses finite floats, got {f}"),
            Value::Bool(b) => write!(out, "{b}").unwrap(),
            Value::Char(c) => out.push_str(&json_str(&c.to_string())),
            Value::List(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.write_json(out);
                }
                out.push(']');
            }
        }
    }
}

/// A JSON string literal.
fn json_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => write!(out, "\\u{:04x}", c as u32).unwrap(),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A type whose Rust description and values the oracle can read.
pub trait Mirror {
    /// The description of the type.
    fn ty() -> Ty;
    /// The value of `self`, read the Rust way.
    fn value(&self) -> Value;
}

macro_rules! mirror_int {
    ($($t:ty),*) => {$(
        impl Mirror for $t {
            fn ty() -> Ty {
                Ty::Scalar { rust: stringify!($t), order: ByteOrderOf::Native }
            }
            fn value(&self) -> Value {
                Value::Int(*self as i128)
            }
        }
    )*};
}
mirror_int!(u8, i8, u16, i16, u32, i32, u64, i64, usize, isize);

macro_rules! mirror_other {
    ($($t:ty => $v:ident),*) => {$(
        impl Mirror for $t {
            fn ty() -> Ty {
                Ty::Scalar { rust: stringify!($t), order: ByteOrderOf::Native }
            }
            fn value(&self) -> Value {
                Value::$v((*self).into())
            }
        }
    )*};
}
mirror_other!(f32 => Float, f64 => Float, bool => Bool, char => Char);

fn order_of<O: ByteOrder>() -> ByteOrderOf {
    match O::ORDER {
        Order::LittleEndian => ByteOrderOf::Little,
        Order::BigEndian => ByteOrderOf::Big,
    }
}

macro_rules! mirror_byteorder {
    ($($t:ident => $v:ident),*) => {$(
        impl<O: ByteOrder> Mirror for $t<O> {
            fn ty() -> Ty {
                Ty::Scalar { rust: stringify!($t), order: order_of::<O>() }
            }
            fn value(&self) -> Value {
                Value::$v(self.get().into())
            }
        }
    )*};
}
mirror_byteorder!(U16 => Int, I16 => Int, U32 => Int, I32 => Int, U64 => Int, I64 => Int,
    F32 => Float, F64 => Float);

impl<T: Mirror, const N: usize> Mirror for [T; N] {
    fn ty() -> Ty {
        Ty::Array {
            len: N,
            elem: Box::new(T::ty()),
        }
    }
    fn value(&self) -> Value {
        Value::List(self.iter().map(Mirror::value).collect())
    }
}

/// One field of a [`Described`] struct, with the layout Rust gives it.
#[derive(Clone, Debug)]
pub struct FieldCase {
    /// The Rust field name (`"price"`, `"r#type"`, or `"0"` in a tuple struct).
    pub rust_name: &'static str,
    /// The `:name:` a correct format gives the field: the `rename`, else the name without
    /// `r#`, else `f0`, `f1`, ... for tuple fields (numpy's names for unnamed fields).
    pub format_name: String,
    /// `offset_of!` of the field.
    pub offset: usize,
    /// `size_of` of the field's type.
    pub size: usize,
    /// Whether the field is an explicit padding field (`#[buffer(padding)]`).
    pub pad: bool,
    /// The field's Rust type.
    pub ty: Ty,
}

/// The `:name:` of a field called `rust_name` in Rust, renamed to `rename` if given.
///
/// ```
/// use buffer_tests::layout_mirror::format_name;
/// assert_eq!(format_name("r#type", None), "type");
/// assert_eq!(format_name("1", None), "f1");
/// assert_eq!(format_name("x", Some("px")), "px");
/// ```
pub fn format_name(rust_name: &str, rename: Option<&str>) -> String {
    match rename {
        Some(name) => name.to_owned(),
        None if rust_name.bytes().all(|b| b.is_ascii_digit()) => format!("f{rust_name}"),
        None => rust_name.strip_prefix("r#").unwrap_or(rust_name).to_owned(),
    }
}

/// A struct whose fields the oracle knows, implemented by [`describe!`](crate::describe).
pub trait Described: Mirror {
    /// The struct's name.
    const NAME: &'static str;
    /// Its representation: `"C"`, `"packed"`, `"packed(N)"` or `"align(N)"` (all `repr(C)`).
    const REPR: &'static str;
    /// Every field in declaration order, padding fields included.
    fn fields() -> Vec<FieldCase>;
}

/// Implements [`Mirror`] and [`Described`] for a struct, from its field list.
///
/// Syntax: `describe!(Type, repr, { field a: u8, pad _pad0: [u8; 3], field c: u32 => "cee" })`
/// where `repr` is `C`, `packed`, `packed(N)` or `align(N)` (the rest of `#[repr(C, ...)]`),
/// and every field is listed in declaration order as `field`, `pad` (an explicit
/// `#[buffer(padding)]` field) or `skip` (a `PhantomData`, absent from the format), with `=> "name"` for a `#[buffer(rename = "name")]`. `Type`
/// may be generic (`Point<f32>`). The macro fails to compile when a field is missing (an
/// exhaustive pattern) or has another type (a typed binding), so the list cannot drift from
/// the declaration. Packed structs must be `Copy` (their fields are copied out, not borrowed).
#[macro_export]
macro_rules! describe {
    (@impl $name:ty, $repr:expr, $access:ident,
        { $($kind:ident $field:tt : $fty:ty $(=> $rename:literal)?),* $(,)? }) => {
        impl $crate::layout_mirror::Mirror for $name {
            fn ty() -> $crate::layout_mirror::Ty {
                $crate::layout_mirror::Ty::Struct { name: <Self as $crate::layout_mirror::Described>::NAME }
            }
            fn value(&self) -> $crate::layout_mirror::Value {
                // Exhaustive: a field missing from the list is a compile error here.
                #[allow(unused_variables)]
                let Self { $($field: _),* } = self;
                let values: [Option<$crate::layout_mirror::Value>; 0 $(+ $crate::__describe_one!($kind))*] = [$(
                    $crate::__describe_field_value!($kind, $access, self, $field, $fty)
                ),*];
                $crate::layout_mirror::Value::List(values.into_iter().flatten().collect())
            }
        }
        impl $crate::layout_mirror::Described for $name {
            const NAME: &'static str = stringify!($name);
            const REPR: &'static str = $repr;
            fn fields() -> Vec<$crate::layout_mirror::FieldCase> {
                let fields: [Option<$crate::layout_mirror::FieldCase>; 0 $(+ $crate::__describe_one!($kind))*] = [$(
                    $crate::__describe_if_listed!($kind, $crate::layout_mirror::FieldCase {
                        rust_name: stringify!($field),
                        format_name: $crate::layout_mirror::format_name(
                            stringify!($field),
                            None $(.or(Some($rename)))?,
                        ),
                        offset: ::core::mem::offset_of!($name, $field),
                        size: ::core::mem::size_of::<$fty>(),
                        pad: $crate::__describe_is_pad!($kind),
                        ty: <$fty as $crate::layout_mirror::Mirror>::ty(),
                    })
                ),*];
                fields.into_iter().flatten().collect()
            }
        }
    };
    ($name:ty, C, $fields:tt) => {
        $crate::describe!(@impl $name, "C", borrow, $fields);
    };
    ($name:ty, align($n:literal), $fields:tt) => {
        $crate::describe!(@impl $name, concat!("align(", $n, ")"), borrow, $fields);
    };
    ($name:ty, packed, $fields:tt) => {
        $crate::describe!(@impl $name, "packed", copy, $fields);
    };
    ($name:ty, packed($n:literal), $fields:tt) => {
        $crate::describe!(@impl $name, concat!("packed(", $n, ")"), copy, $fields);
    };

}

#[doc(hidden)]
#[macro_export]
macro_rules! __describe_field_value {
    (skip, $access:ident, $this:ident, $field:tt, $fty:ty) => {{
        let _: &$fty = &$this.$field;
        None
    }};
    ($kind:ident, copy, $this:ident, $field:tt, $fty:ty) => {{
        // A copy, not a reference: the field may be unaligned. The type annotation checks
        // that the listed type is the declared one.
        let f: $fty = $this.$field;
        Some($crate::layout_mirror::Mirror::value(&f))
    }};
    ($kind:ident, borrow, $this:ident, $field:tt, $fty:ty) => {{
        let f: &$fty = &$this.$field;
        Some($crate::layout_mirror::Mirror::value(f))
    }};
}

#[doc(hidden)]
#[macro_export]
macro_rules! __describe_one {
    ($kind:ident) => {
        1
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __describe_if_listed {
    (skip, $e:expr) => {
        None
    };
    ($kind:ident, $e:expr) => {
        Some($e)
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __describe_is_pad {
    (pad) => {
        true
    };
    (field) => {
        false
    };
}

/// Implements [`Mirror`] for a fieldless `#[repr(int)]` enum: the oracle sees its integer.
///
/// Syntax: `describe_enum!(Level, u8)`. The enum must be `Copy`.
#[macro_export]
macro_rules! describe_enum {
    ($name:ty, $int:ident) => {
        impl $crate::layout_mirror::Mirror for $name {
            fn ty() -> $crate::layout_mirror::Ty {
                <$int as $crate::layout_mirror::Mirror>::ty()
            }
            fn value(&self) -> $crate::layout_mirror::Value {
                $crate::layout_mirror::Value::Int(*self as $int as i128)
            }
        }
    };
}

/// Implements [`Mirror`] for a `#[repr(transparent)]` newtype: the oracle sees the inner type,
/// as the derive's format does (`struct Frame([[Rgb; 4]; 3])` is a `(3, 4)` array of `Rgb`).
///
/// Syntax: `describe_transparent!(Frame, 0: [[Rgb; 4]; 3])`.
#[macro_export]
macro_rules! describe_transparent {
    ($name:ty, $field:tt : $inner:ty) => {
        impl $crate::layout_mirror::Mirror for $name {
            fn ty() -> $crate::layout_mirror::Ty {
                <$inner as $crate::layout_mirror::Mirror>::ty()
            }
            fn value(&self) -> $crate::layout_mirror::Value {
                let inner: &$inner = &self.$field;
                $crate::layout_mirror::Mirror::value(inner)
            }
        }
    };
}

/// Everything the oracle checks about one type.
#[derive(Clone, Debug)]
pub struct Case {
    /// The type's name.
    pub name: &'static str,
    /// `"struct"` for a [`Described`] struct, `"scalar"` for a primitive item type.
    pub kind: &'static str,
    /// [`Described::REPR`], or `""` for a scalar.
    pub repr: &'static str,
    /// `Element::FORMAT`.
    pub format: &'static str,
    /// `Element::FIELD_FORMAT`.
    pub field_format: &'static str,
    /// `size_of::<T>()`.
    pub size: usize,
    /// `align_of::<T>()`.
    pub align: usize,
    /// `StaticBufferLayout::ITEMSIZE`.
    pub itemsize: usize,
    /// `StaticBufferLayout::ALIGN`.
    pub layout_align: usize,
    /// The fields (empty for a scalar).
    pub fields: Vec<FieldCase>,
    /// `StaticBufferLayout::SHAPE` (empty but for a transparent newtype over an array).
    pub shape: &'static [usize],
    /// `StaticBufferLayout::STRIDES`.
    pub strides: &'static [isize],
    /// The description of `StaticBufferLayout::Item`.
    pub item_ty: Ty,
    /// The description of the type itself.
    pub ty: Ty,
    /// The bytes of a sample value.
    pub bytes: Vec<u8>,
    /// The sample value as Rust reads it.
    pub value: Value,
}

/// The case of a derived struct, with `sample` as its sample value.
pub fn struct_case<T: Described + Element + StaticBufferLayout<Item = T>>(sample: &T) -> Case {
    Case {
        name: T::NAME,
        kind: "struct",
        repr: T::REPR,
        fields: T::fields(),
        ..common::<T>(sample)
    }
}

/// The case of a `#[repr(transparent)]` newtype deriving `BufferExport`, named `name`: a
/// buffer of `SHAPE` items.
pub fn transparent_case<T>(name: &'static str, sample: &T) -> Case
where
    T: Mirror + StaticBufferLayout,
    T::Item: Mirror,
{
    Case {
        name,
        kind: "transparent",
        repr: "transparent",
        ..common::<T>(sample)
    }
}

/// The case of a primitive item type (`u32`, `U32<BigEndian>`, ...), named `name`.
pub fn scalar_case<T: Mirror + Element + StaticBufferLayout<Item = T>>(
    name: &'static str,
    sample: &T,
) -> Case {
    Case {
        name,
        kind: "scalar",
        ..common::<T>(sample)
    }
}

fn common<T>(sample: &T) -> Case
where
    T: Mirror + StaticBufferLayout,
    T::Item: Mirror,
{
    Case {
        name: "",
        kind: "",
        repr: "",
        format: <T as StaticBufferLayout>::ITEM_FORMAT,
        field_format: <T::Item as Element>::FIELD_FORMAT,
        size: core::mem::size_of::<T>(),
        align: core::mem::align_of::<T>(),
        itemsize: <T as StaticBufferLayout>::ITEMSIZE,
        layout_align: <T as StaticBufferLayout>::ALIGN,
        fields: Vec::new(),
        shape: T::SHAPE,
        strides: T::STRIDES,
        item_ty: <T::Item as Mirror>::ty(),
        ty: T::ty(),
        bytes: buffer_runtime::bytes_of(sample).to_vec(),
        value: sample.value(),
    }
}

impl Case {
    /// The JSON object read by `layout_oracle.py check`.
    pub fn to_json(&self) -> String {
        let mut s = String::new();
        write!(
            s,
            r#"{{"name":{},"kind":"{}","repr":"{}","format":{},"field_format":{},"size":{},"align":{},"itemsize":{},"layout_align":{},"shape":{:?},"strides":{:?},"item_ty":{},"ty":{},"bytes":"#,
            json_str(self.name),
            self.kind,
            self.repr,
            json_str(self.format),
            json_str(self.field_format),
            self.size,
            self.align,
            self.itemsize,
            self.layout_align,
            self.shape,
            self.strides,
            self.item_ty.to_json(),
            self.ty.to_json(),
        )
        .unwrap();
        s.push('"');
        for b in &self.bytes {
            write!(s, "{b:02x}").unwrap();
        }
        s.push('"');
        write!(s, r#","value":{},"fields":["#, self.value.to_json()).unwrap();
        for (i, f) in self.fields.iter().enumerate() {
            if i > 0 {
                s.push(',');
            }
            write!(
                s,
                r#"{{"name":{},"rust_name":{},"offset":{},"size":{},"pad":{},"ty":{}}}"#,
                json_str(&f.format_name),
                json_str(f.rust_name),
                f.offset,
                f.size,
                f.pad,
                f.ty.to_json()
            )
            .unwrap();
        }
        s.push_str("]}");
        s
    }
}

/// The JSON document for `cases`: the host's byte order and pointer width, then every case.
pub fn cases_json(cases: &[Case]) -> String {
    let mut s = format!(
        r#"{{"endian":"{}","pointer_width":{},"cases":["#,
        if cfg!(target_endian = "little") {
            "little"
        } else {
            "big"
        },
        usize::BITS
    );
    for (i, c) in cases.iter().enumerate() {
        if i > 0 {
            s.push_str(",\n");
        }
        s.push_str(&c.to_json());
    }
    s.push_str("]}\n");
    s
}
