//! What Rust says about a type's layout, written as JSON for the Python layout oracle
//! (`tests/python/layout_oracle.py check`).
//!
//! For every type under test the oracle needs two things that do not come from the derive:
//! Rust's own layout facts (`size_of`, `align_of`, `offset_of!` of every field) and a
//! description of each field's *Rust* type (`u32`, `U32<BigEndian>`, `[[u8; 3]; 2]`, another
//! struct). From the description Python builds its own mirror (a `ctypes.Structure`, a flat
//! `struct` format) without reading the derive's format string, so a wrong format cannot
//! agree with itself. A sample value of each type travels along as bytes plus the values Rust
//! reads from its fields, so byte order is checked as well as offsets.
//!
//! ```
//! use buffer_tests::layout_mirror::{Mirror, Ty, Value};
//! assert_eq!(<[[u8; 3]; 2]>::ty().to_json(), r#"{"array":2,"elem":{"array":3,"elem":{"scalar":"u8","order":"native"}}}"#);
//! assert_eq!(7u16.value().to_json(), "7");
//! ```

use std::fmt::Write;

use buffer_runtime::{Element, StaticLayout};
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
    /// The Rust field name (`"price"`, or `"0"` in a tuple struct).
    pub rust_name: &'static str,
    /// `offset_of!` of the field.
    pub offset: usize,
    /// `size_of` of the field's type.
    pub size: usize,
    /// Whether the field is an explicit padding field (`#[buffer(padding)]`).
    pub pad: bool,
    /// The field's Rust type.
    pub ty: Ty,
}

/// A struct whose fields the oracle knows, implemented by [`describe!`](crate::describe).
pub trait Described: Mirror {
    /// The struct's name.
    const NAME: &'static str;
    /// `"C"` for `#[repr(C)]`, `"packed"` for `#[repr(C, packed)]`, `"transparent"`.
    const REPR: &'static str;
    /// Every field in declaration order, padding fields included.
    fn fields() -> Vec<FieldCase>;
}

/// Implements [`Mirror`] and [`Described`] for a struct, from its field list.
///
/// Syntax: `describe!(Name, repr, { field a: u8, pad _pad0: [u8; 3], field c: u32 })` where
/// `repr` is `C`, `packed` or `transparent`, and every field is listed in declaration order as
/// `field` or `pad` (an explicit `#[buffer(padding)]` field). The macro fails to compile when
/// a field is missing (an exhaustive pattern) or has another type (a typed binding), so the
/// list cannot drift from the declaration.
#[macro_export]
macro_rules! describe {
    ($name:ident, packed, { $($kind:ident $field:tt : $fty:ty),* $(,)? }) => {
        $crate::describe!(@impl $name, packed, { $($kind $field : $fty),* });
    };
    ($name:ident, C, { $($kind:ident $field:tt : $fty:ty),* $(,)? }) => {
        $crate::describe!(@impl $name, C, { $($kind $field : $fty),* });
    };
    ($name:ident, transparent, { $($kind:ident $field:tt : $fty:ty),* $(,)? }) => {
        $crate::describe!(@impl $name, transparent, { $($kind $field : $fty),* });
    };
    (@impl $name:ident, $repr:ident, { $($kind:ident $field:tt : $fty:ty),* }) => {
        impl $crate::layout_mirror::Mirror for $name {
            fn ty() -> $crate::layout_mirror::Ty {
                $crate::layout_mirror::Ty::Struct { name: stringify!($name) }
            }
            fn value(&self) -> $crate::layout_mirror::Value {
                // Exhaustive: a field missing from the list is a compile error here.
                #[allow(unused_variables)]
                let $name { $($field: _),* } = self;
                $crate::layout_mirror::Value::List(vec![$(
                    $crate::__describe_field_value!($repr, self, $field, $fty)
                ),*])
            }
        }
        impl $crate::layout_mirror::Described for $name {
            const NAME: &'static str = stringify!($name);
            const REPR: &'static str = stringify!($repr);
            fn fields() -> Vec<$crate::layout_mirror::FieldCase> {
                vec![$(
                    $crate::layout_mirror::FieldCase {
                        rust_name: stringify!($field),
                        offset: ::core::mem::offset_of!($name, $field),
                        size: ::core::mem::size_of::<$fty>(),
                        pad: $crate::__describe_is_pad!($kind),
                        ty: <$fty as $crate::layout_mirror::Mirror>::ty(),
                    }
                ),*]
            }
        }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __describe_field_value {
    (packed, $this:ident, $field:tt, $fty:ty) => {{
        // A copy, not a reference: the field may be unaligned. The type annotation checks
        // that the listed type is the declared one.
        let f: $fty = $this.$field;
        $crate::layout_mirror::Mirror::value(&f)
    }};
    ($repr:ident, $this:ident, $field:tt, $fty:ty) => {{
        let f: &$fty = &$this.$field;
        $crate::layout_mirror::Mirror::value(f)
    }};
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

/// Everything the oracle checks about one type.
#[derive(Clone, Debug)]
pub struct Case {
    /// The type's name.
    pub name: &'static str,
    /// `"struct"` for a [`Described`] struct, `"scalar"` for a primitive item type.
    pub kind: &'static str,
    /// `"C"`, `"packed"`, `"transparent"`, or `""` for a scalar.
    pub repr: &'static str,
    /// `Element::FORMAT`.
    pub format: &'static str,
    /// `Element::FIELD_FORMAT`.
    pub field_format: &'static str,
    /// `size_of::<T>()`.
    pub size: usize,
    /// `align_of::<T>()`.
    pub align: usize,
    /// `StaticLayout::ITEMSIZE`.
    pub itemsize: usize,
    /// `StaticLayout::ALIGN`.
    pub layout_align: usize,
    /// The fields (empty for a scalar).
    pub fields: Vec<FieldCase>,
    /// The description of the type itself.
    pub ty: Ty,
    /// The bytes of a sample value.
    pub bytes: Vec<u8>,
    /// The sample value as Rust reads it.
    pub value: Value,
}

/// The case of a derived struct, with `sample` as its sample value.
pub fn struct_case<T: Described + Element + StaticLayout>(sample: &T) -> Case {
    Case {
        name: T::NAME,
        kind: "struct",
        repr: T::REPR,
        fields: T::fields(),
        ..common::<T>(sample)
    }
}

/// The case of a primitive item type (`u32`, `U32<BigEndian>`, ...), named `name`.
pub fn scalar_case<T: Mirror + Element + StaticLayout>(name: &'static str, sample: &T) -> Case {
    Case {
        name,
        kind: "scalar",
        ..common::<T>(sample)
    }
}

fn common<T: Mirror + Element + StaticLayout>(sample: &T) -> Case {
    Case {
        name: "",
        kind: "",
        repr: "",
        format: <T as Element>::FORMAT,
        field_format: <T as Element>::FIELD_FORMAT,
        size: core::mem::size_of::<T>(),
        align: core::mem::align_of::<T>(),
        itemsize: <T as StaticLayout>::ITEMSIZE,
        layout_align: <T as StaticLayout>::ALIGN,
        fields: Vec::new(),
        ty: T::ty(),
        bytes: zerocopy::IntoBytes::as_bytes(sample).to_vec(),
        value: sample.value(),
    }
}

impl Case {
    /// The JSON object read by `layout_oracle.py check`.
    pub fn to_json(&self) -> String {
        let mut s = String::new();
        write!(
            s,
            r#"{{"name":{},"kind":"{}","repr":"{}","format":{},"field_format":{},"size":{},"align":{},"itemsize":{},"layout_align":{},"ty":{},"bytes":"#,
            json_str(self.name),
            self.kind,
            self.repr,
            json_str(self.format),
            json_str(self.field_format),
            self.size,
            self.align,
            self.itemsize,
            self.layout_align,
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
                r#"{{"name":{},"offset":{},"size":{},"pad":{},"ty":{}}}"#,
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
