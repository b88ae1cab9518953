//! The item codec: bytes ↔ [`Value`], driven by an [`ItemLayout`].

use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;

use smallvec::SmallVec;

use super::layout::{simple_native, Endian, FieldLayout, ItemLayout, Node, Scalar};
use super::{Code, Prefix};

/// One item (or part of one) as a dynamic value.
///
/// | codes | value |
/// |-------|-------|
/// | `?` | [`Value::Bool`] |
/// | `b h i l q n` | [`Value::Int`] |
/// | `B H I L Q N` | [`Value::UInt`] |
/// | `e f d g` | [`Value::Float`] |
/// | `Zf Zd Zg` | [`Value::Complex`] |
/// | `c`, `s`, `p`, a named `x` | [`Value::Bytes`] (`c` has length 1; `p` holds the string without its length byte; `x` its raw bytes) |
/// | `u` (UTF-16 code units), `w` (code points) | [`Value::Str`] (trailing NULs stripped, as numpy reads `U`) |
/// | `P`, `&` | [`Value::Pointer`] (the address) |
/// | `O` | [`Value::Object`] (the address of the object) |
/// | a sub-array `(2,3)` or a count `4i` | [`Value::Array`], nested one level per dimension |
/// | `T{...}`, or a top level of several items | [`Value::Struct`] |
///
/// Equality is numeric within a kind (`Float(f64::NAN) != Float(f64::NAN)`, as in Python).
///
/// ```
/// use buffer_runtime::format::{Fields, Value};
///
/// let v = Value::Struct(Fields::from(vec![(Some("x".into()), Value::Int(1)), (None, Value::Float(0.5))]));
/// assert_eq!(v.field("x"), Some(&Value::Int(1)));
/// assert_eq!(v.to_string(), "{x: 1, 0.5}");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `?`.
    Bool(bool),
    /// A signed integer.
    Int(i64),
    /// An unsigned integer.
    UInt(u64),
    /// A real floating-point number.
    Float(f64),
    /// A complex number (real, imaginary).
    Complex(f64, f64),
    /// Bytes (`c s p`, named padding).
    Bytes(Vec<u8>),
    /// A UCS-2 or UCS-4 string.
    Str(String),
    /// A raw pointer value (`P`, `&`).
    Pointer(u64),
    /// A raw `PyObject *` value (`O`).
    Object(u64),
    /// Elements of a sub-array.
    Array(Vec<Value>),
    /// Fields of a struct, with their names where the format gives them.
    Struct(Fields),
}

/// The fields of a [`Value::Struct`]: their values in order, each with its name where the
/// format gives one.
///
/// Every item unpacked through one [`ItemLayout`] shares that layout's table of names (a
/// reference count, not a copy of each name per item), so unpacking a million named records
/// allocates one block of values per record and no strings.
///
/// Build one from `(name, value)` pairs ([`From`] a `Vec`, or [`collect`](Iterator::collect))
/// or from values alone ([`Fields::unnamed`]); read it by position ([`values`](Self::values),
/// [`name`](Self::name)), by name ([`get`](Self::get)) or as pairs ([`iter`](Self::iter)).
/// Two `Fields` are equal when they have the same names and equal values, in the same order;
/// `Debug` writes them as the list of pairs.
///
/// ```
/// use buffer_runtime::format::{Fields, Value};
///
/// let f = Fields::from(vec![(Some("qty".into()), Value::UInt(3)), (None, Value::Bool(true))]);
/// assert_eq!((f.len(), f.name(0), f.name(1)), (2, Some("qty"), None));
/// assert_eq!(f.get("qty"), Some(&Value::UInt(3)));
/// assert_eq!(f.values(), [Value::UInt(3), Value::Bool(true)]);
/// let pairs: Vec<(Option<&str>, &Value)> = f.iter().collect();
/// assert_eq!(pairs, [(Some("qty"), &Value::UInt(3)), (None, &Value::Bool(true))]);
/// assert_eq!(format!("{f:?}"), r#"[(Some("qty"), UInt(3)), (None, Bool(true))]"#);
/// assert_ne!(f, Fields::unnamed(vec![Value::UInt(3), Value::Bool(true)]));
/// ```
#[derive(Clone, Default)]
pub struct Fields {
    /// `None` when no field has a name; otherwise one entry per value.
    names: Option<Arc<Names>>,
    values: Box<[Value]>,
}

/// The field names of one struct layout, shared by the [`Fields`] unpacked through it.
#[derive(PartialEq, Eq)]
pub(crate) struct Names(Box<[Option<Box<str>>]>);

impl Names {
    /// The table for these names, or `None` when none is given (then nothing is allocated).
    pub(crate) fn new<'a>(
        names: impl ExactSizeIterator<Item = Option<&'a str>> + Clone,
    ) -> Option<Arc<Names>> {
        if names.clone().all(|n| n.is_none()) {
            return None;
        }
        Some(Arc::new(Names(names.map(|n| n.map(Box::from)).collect())))
    }
}

impl Fields {
    /// Fields without names.
    ///
    /// ```
    /// # use buffer_runtime::format::{Fields, Value};
    /// let f = Fields::unnamed(vec![Value::Int(1), Value::Int(2)]);
    /// assert_eq!(Value::Struct(f).to_string(), "{1, 2}");
    /// ```
    pub fn unnamed(values: Vec<Value>) -> Fields {
        Fields {
            names: None,
            values: values.into_boxed_slice(),
        }
    }

    /// The number of fields.
    ///
    /// ```
    /// # use buffer_runtime::format::{Fields, Value};
    /// assert_eq!(Fields::unnamed(vec![Value::Int(1)]).len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether there are no fields (`T{}`).
    ///
    /// ```
    /// # use buffer_runtime::format::Fields;
    /// assert!(Fields::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The values, in field order.
    ///
    /// ```
    /// # use buffer_runtime::format::{Fields, Value};
    /// let f = Fields::from(vec![(Some("a".into()), Value::Int(1))]);
    /// assert_eq!(f.values(), [Value::Int(1)]);
    /// ```
    pub fn values(&self) -> &[Value] {
        &self.values
    }

    /// The values, to change them in place (the names stay).
    ///
    /// ```
    /// # use buffer_runtime::format::{Fields, Value};
    /// let mut f = Fields::from(vec![(Some("a".into()), Value::Int(1))]);
    /// f.values_mut()[0] = Value::Int(2);
    /// assert_eq!(f.get("a"), Some(&Value::Int(2)));
    /// ```
    pub fn values_mut(&mut self) -> &mut [Value] {
        &mut self.values
    }

    /// The values, without their names.
    ///
    /// ```
    /// # use buffer_runtime::format::{Fields, Value};
    /// let f = Fields::from(vec![(Some("a".into()), Value::Int(1))]);
    /// assert_eq!(f.into_values(), vec![Value::Int(1)]);
    /// ```
    pub fn into_values(self) -> Vec<Value> {
        self.values.into_vec()
    }

    /// The name of field `i`; `None` when it has none or there is no such field.
    ///
    /// ```
    /// # use buffer_runtime::format::{Fields, Value};
    /// let f = Fields::from(vec![(None, Value::Int(1)), (Some("b".into()), Value::Int(2))]);
    /// assert_eq!((f.name(0), f.name(1), f.name(2)), (None, Some("b"), None));
    /// ```
    pub fn name(&self, i: usize) -> Option<&str> {
        self.names.as_ref()?.0.get(i)?.as_deref()
    }

    /// The value of the field called `name`.
    ///
    /// ```
    /// # use buffer_runtime::format::{Fields, Value};
    /// let f = Fields::from(vec![(Some("a".into()), Value::Int(1))]);
    /// assert_eq!((f.get("a"), f.get("b")), (Some(&Value::Int(1)), None));
    /// ```
    pub fn get(&self, name: &str) -> Option<&Value> {
        let names = self.names.as_ref()?;
        let i = names.0.iter().position(|n| n.as_deref() == Some(name))?;
        self.values.get(i)
    }

    /// The fields as `(name, value)` pairs, in order (also `for (name, value) in &fields`).
    ///
    /// ```
    /// # use buffer_runtime::format::{Fields, Value};
    /// let f = Fields::from(vec![(Some("a".into()), Value::Int(1)), (None, Value::Int(2))]);
    /// let names: Vec<Option<&str>> = f.iter().map(|(n, _)| n).collect();
    /// assert_eq!(names, [Some("a"), None]);
    /// ```
    pub fn iter(&self) -> FieldsIter<'_> {
        FieldsIter {
            fields: self,
            front: 0,
            back: self.values.len(),
        }
    }
}

impl PartialEq for Fields {
    /// Same names (or none) and equal values, field by field.
    fn eq(&self, other: &Fields) -> bool {
        let same_names = match (&self.names, &other.names) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b) || a == b,
            (None, None) => true,
            // A table is only made when some name is given.
            _ => false,
        };
        same_names && self.values == other.values
    }
}

impl fmt::Debug for Fields {
    /// The list of `(name, value)` pairs: `[(Some("x"), Int(1)), (None, Float(0.5))]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl From<Vec<(Option<String>, Value)>> for Fields {
    /// Fields from `(name, value)` pairs.
    fn from(pairs: Vec<(Option<String>, Value)>) -> Fields {
        let names = Names::new(pairs.iter().map(|(n, _)| n.as_deref()));
        let values = pairs.into_iter().map(|(_, v)| v).collect();
        Fields { names, values }
    }
}

impl FromIterator<(Option<String>, Value)> for Fields {
    /// Fields from `(name, value)` pairs.
    ///
    /// ```
    /// # use buffer_runtime::format::{Fields, Value};
    /// let f: Fields = ["a", "b"].iter().map(|n| (Some(n.to_string()), Value::Int(0))).collect();
    /// assert_eq!(f.name(1), Some("b"));
    /// ```
    fn from_iter<I: IntoIterator<Item = (Option<String>, Value)>>(pairs: I) -> Fields {
        Fields::from(pairs.into_iter().collect::<Vec<_>>())
    }
}

impl<'a> IntoIterator for &'a Fields {
    type Item = (Option<&'a str>, &'a Value);
    type IntoIter = FieldsIter<'a>;

    fn into_iter(self) -> FieldsIter<'a> {
        self.iter()
    }
}

/// The `(name, value)` pairs of [`Fields`], from [`Fields::iter`].
///
/// ```
/// # use buffer_runtime::format::{Fields, Value};
/// let f = Fields::from(vec![(Some("a".into()), Value::Int(1)), (None, Value::Int(2))]);
/// let mut it = f.iter();
/// assert_eq!(it.len(), 2);
/// assert_eq!(it.next_back(), Some((None, &Value::Int(2))));
/// ```
#[derive(Clone, Debug)]
pub struct FieldsIter<'a> {
    fields: &'a Fields,
    front: usize,
    back: usize,
}

impl<'a> Iterator for FieldsIter<'a> {
    type Item = (Option<&'a str>, &'a Value);

    fn next(&mut self) -> Option<Self::Item> {
        if self.front == self.back {
            return None;
        }
        let i = self.front;
        self.front += 1;
        Some((self.fields.name(i), &self.fields.values[i]))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.back - self.front;
        (n, Some(n))
    }
}

impl DoubleEndedIterator for FieldsIter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.front == self.back {
            return None;
        }
        self.back -= 1;
        Some((self.fields.name(self.back), &self.fields.values[self.back]))
    }
}

impl ExactSizeIterator for FieldsIter<'_> {}

impl Value {
    /// The value of the struct field called `name`.
    ///
    /// ```
    /// # use buffer_runtime::format::Value;
    /// let v = Value::Struct(vec![(Some("a".into()), Value::Bool(true))].into());
    /// assert_eq!(v.field("a"), Some(&Value::Bool(true)));
    /// assert_eq!(Value::Int(1).field("a"), None);
    /// ```
    pub fn field(&self, name: &str) -> Option<&Value> {
        match self {
            Value::Struct(fields) => fields.get(name),
            _ => None,
        }
    }

    /// Python's truth value (`bool(x)`), used to pack `?`.
    ///
    /// ```
    /// # use buffer_runtime::format::Value;
    /// assert!(Value::Float(f64::NAN).truthy() && !Value::Bytes(vec![]).truthy());
    /// ```
    pub fn truthy(&self) -> bool {
        match self {
            Value::Bool(b) => *b,
            Value::Int(n) => *n != 0,
            Value::UInt(n) | Value::Pointer(n) | Value::Object(n) => *n != 0,
            Value::Float(x) => *x != 0.0,
            Value::Complex(r, i) => *r != 0.0 || *i != 0.0,
            Value::Bytes(b) => !b.is_empty(),
            Value::Str(s) => !s.is_empty(),
            Value::Array(a) => !a.is_empty(),
            Value::Struct(f) => !f.is_empty(),
        }
    }
}

/// Writes `x` as Python's `repr(float)` does (`1.0`, `1e+16`, `1.5e-07`, `inf`, `nan`);
/// `dot0 == false` drops the `.0` of an integral value, as inside `repr(complex)`.
fn py_float(f: &mut fmt::Formatter<'_>, x: f64, dot0: bool) -> fmt::Result {
    if x.is_nan() {
        return f.write_str("nan");
    }
    if x.is_infinite() {
        return f.write_str(if x < 0.0 { "-inf" } else { "inf" });
    }
    // Rust's `{:e}` gives the shortest digits that round-trip, as Python's repr does.
    let sci = format!("{x:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (neg, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => (true, m),
        None => (false, mantissa),
    };
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    if neg {
        f.write_str("-")?;
    }
    if (-4..16).contains(&exp) {
        let n = digits.len() as i32;
        if exp < 0 {
            f.write_str("0.")?;
            for _ in 0..(-exp - 1) {
                f.write_str("0")?;
            }
            f.write_str(&digits)
        } else if exp + 1 >= n {
            f.write_str(&digits)?;
            for _ in 0..(exp + 1 - n) {
                f.write_str("0")?;
            }
            if dot0 {
                f.write_str(".0")?;
            }
            Ok(())
        } else {
            let (int, frac) = digits.split_at((exp + 1) as usize);
            write!(f, "{int}.{frac}")
        }
    } else {
        let (first, rest) = digits.split_at(1);
        f.write_str(first)?;
        if !rest.is_empty() {
            write!(f, ".{rest}")?;
        }
        write!(f, "e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs())
    }
}

/// Python's quote choice for a bytes or str repr: `'` unless the text has `'` and no `"`.
fn quote_for(has_single: bool, has_double: bool) -> char {
    if has_single && !has_double {
        '"'
    } else {
        '\''
    }
}

impl fmt::Display for Value {
    /// Python's repr of what `tolist()` gives: `True`, `-3`, `1.0`, `1e+16`, `(1-2j)`,
    /// `b'ab\x00'`, `'text'`, `[1, 2]`; pointers as integers, objects as `<object at 0x..>`.
    /// A struct is written `{name: 1, 2}` (unnamed fields without a name).
    ///
    /// ```
    /// # use buffer_runtime::format::Value;
    /// assert_eq!(Value::Bytes(b"a\x00".to_vec()).to_string(), "b'a\\x00'");
    /// assert_eq!(Value::Array(vec![Value::Bool(true), Value::Complex(1.0, -2.0)]).to_string(), "[True, (1-2j)]");
    /// assert_eq!(Value::Float(1e16).to_string(), "1e+16");
    /// assert_eq!(Value::Float(0.0001).to_string(), "0.0001");
    /// assert_eq!(Value::Str("it's".into()).to_string(), "\"it's\"");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Bool(true) => f.write_str("True"),
            Value::Bool(false) => f.write_str("False"),
            Value::Int(n) => write!(f, "{n}"),
            Value::UInt(n) | Value::Pointer(n) => write!(f, "{n}"),
            Value::Float(x) => py_float(f, *x, true),
            Value::Complex(r, i) => {
                // As repr(complex): no real part when it is +0.0, parentheses otherwise.
                let bare = *r == 0.0 && r.is_sign_positive();
                if !bare {
                    f.write_str("(")?;
                    py_float(f, *r, false)?;
                    if !i.is_sign_negative() || i.is_nan() {
                        f.write_str("+")?;
                    }
                }
                py_float(f, *i, false)?;
                f.write_str(if bare { "j" } else { "j)" })
            }
            Value::Bytes(b) => {
                let q = quote_for(b.contains(&b'\''), b.contains(&b'"'));
                write!(f, "b{q}")?;
                for &c in b {
                    match c {
                        b'\\' => f.write_str("\\\\")?,
                        b'\n' => f.write_str("\\n")?,
                        b'\r' => f.write_str("\\r")?,
                        b'\t' => f.write_str("\\t")?,
                        c if c as char == q => write!(f, "\\{q}")?,
                        0x20..=0x7e => write!(f, "{}", c as char)?,
                        _ => write!(f, "\\x{c:02x}")?,
                    }
                }
                write!(f, "{q}")
            }
            Value::Str(s) => {
                let q = quote_for(s.contains('\''), s.contains('"'));
                write!(f, "{q}")?;
                for c in s.chars() {
                    match c {
                        '\\' => f.write_str("\\\\")?,
                        '\n' => f.write_str("\\n")?,
                        '\r' => f.write_str("\\r")?,
                        '\t' => f.write_str("\\t")?,
                        c if c == q => write!(f, "\\{q}")?,
                        c if (c as u32) < 0x20 || (0x7f..0xa0).contains(&(c as u32)) => {
                            write!(f, "\\x{:02x}", c as u32)?
                        }
                        c => write!(f, "{c}")?,
                    }
                }
                write!(f, "{q}")
            }
            Value::Object(p) => write!(f, "<object at 0x{p:x}>"),
            Value::Array(items) => {
                f.write_str("[")?;
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_str("]")
            }
            Value::Struct(fields) => {
                f.write_str("{")?;
                for (i, (n, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    if let Some(n) = n {
                        write!(f, "{n}: ")?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_str("}")
            }
        }
    }
}

/// The Python exception class a [`CodecError`] corresponds to.
///
/// ```
/// # use buffer_runtime::format::{parse, pack, CodecErrorKind, Value};
/// let l = parse("B").unwrap().layout().unwrap();
/// let e = pack(&l, &Value::Int(300), &mut [0]).unwrap_err();
/// assert_eq!(e.kind(), CodecErrorKind::Value);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CodecErrorKind {
    /// `TypeError` (or `struct.error` for "required argument is not an integer"): a value of
    /// the wrong kind.
    Type,
    /// `ValueError` (or `struct.error` for a range: "... format requires ...", "argument out
    /// of range", "int too large to convert"): a value out of range, a wrong length, or too
    /// few bytes.
    Value,
    /// `OverflowError`: a float too large for `e`, or `f` under a standard prefix (an int too
    /// large for them is `struct.error: int too large to convert`, kind [`Value`](Self::Value)).
    Overflow,
    /// `NotImplementedError`: bit fields (`t`), IEEE quad `g`, or undecodable characters.
    Unsupported,
}

/// Why an item could not be packed or unpacked. The message is CPython's where CPython has
/// one: memoryview's for a plain native format (`"memoryview: invalid value for format 'h'"`),
/// the struct module's (CPython 3.11) otherwise.
///
/// struct words a range error by prefix, code and value: `'<h'` on a little-endian host says
/// `short format requires -32768 <= number <= 32767` while `'>h'` says `'h' format requires
/// -32768 <= number <= 32767`; `'!I'` with a negative value says `argument out of range`;
/// `'>q'` out of range and an int too large for `'=e'` say `int too large to convert`.
///
/// ```
/// use buffer_runtime::format::{parse, pack, CodecErrorKind, Value};
///
/// let l = parse("!i").unwrap().layout().unwrap();
/// let e = pack(&l, &Value::Int(1 << 40), &mut [0; 4]).unwrap_err();
/// assert_eq!(e.to_string(), "'i' format requires -2147483648 <= number <= 2147483647");
/// assert_eq!(e.kind(), CodecErrorKind::Value); // struct.error for a range
///
/// let l = parse("!I").unwrap().layout().unwrap();
/// let e = pack(&l, &Value::Int(-1), &mut [0; 4]).unwrap_err();
/// assert_eq!(e.to_string(), "argument out of range");
///
/// let l = parse("=e").unwrap().layout().unwrap();
/// let e = pack(&l, &Value::Int(70000), &mut [0; 2]).unwrap_err();
/// assert_eq!((e.kind(), e.message()), (CodecErrorKind::Value, "int too large to convert"));
/// let e = pack(&l, &Value::Float(70000.0), &mut [0; 2]).unwrap_err();
/// assert_eq!(e.kind(), CodecErrorKind::Overflow);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodecError {
    kind: CodecErrorKind,
    message: String,
}

impl CodecError {
    fn new(kind: CodecErrorKind, message: impl Into<String>) -> CodecError {
        CodecError {
            kind,
            message: message.into(),
        }
    }

    /// The Python exception class.
    ///
    /// ```
    /// # use buffer_runtime::format::{parse, unpack, CodecErrorKind};
    /// let l = parse("i").unwrap().layout().unwrap();
    /// assert_eq!(unpack(&l, &[0; 2]).unwrap_err().kind(), CodecErrorKind::Value);
    /// ```
    pub fn kind(&self) -> CodecErrorKind {
        self.kind
    }

    /// The message.
    ///
    /// ```
    /// # use buffer_runtime::format::{parse, unpack};
    /// let l = parse("i").unwrap().layout().unwrap();
    /// assert_eq!(unpack(&l, &[0; 2]).unwrap_err().message(), "expected 4 bytes for one item, got 2");
    /// ```
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for CodecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

#[cfg(feature = "std")]
impl std::error::Error for CodecError {}

// ---------------------------------------------------------------------------------------------
// Floats by hand: IEEE binary16 and x87 80-bit extended.

/// Decodes IEEE 754 binary16 bits.
pub(crate) fn f16_to_f64(h: u16) -> f64 {
    let sign = if h & 0x8000 != 0 { -1.0 } else { 1.0 };
    let exp = (h >> 10) & 0x1f;
    let mant = f64::from(h & 0x3ff);
    match exp {
        0 => sign * mant * (1.0 / 16_777_216.0), // 2^-24
        0x1f if mant == 0.0 => sign * f64::INFINITY,
        0x1f => {
            // Keep the sign and payload in an f64 NaN.
            let bits = (u64::from(h & 0x8000) << 48)
                | 0x7ff8_0000_0000_0000
                | (u64::from(h & 0x1ff) << 42);
            f64::from_bits(bits)
        }
        _ => sign * ldexp(1.0 + mant / 1024.0, i32::from(exp) - 15),
    }
}

/// Encodes binary16 bits, rounding half to even; `None` when the value is too large (as
/// CPython's `PyFloat_Pack2` raises OverflowError).
pub(crate) fn f64_to_f16(x: f64) -> Option<u16> {
    let sign: u16 = if x.is_sign_negative() { 0x8000 } else { 0 };
    if x.is_nan() {
        return Some(sign | 0x7e00);
    }
    if x.is_infinite() {
        return Some(sign | 0x7c00);
    }
    let bits = x.abs().to_bits();
    let biased = (bits >> 52) as i32;
    if biased == 0 {
        return Some(sign); // zero or an f64 subnormal: far below half's range
    }
    let exp = biased - 1023;
    let mant = (bits & ((1u64 << 52) - 1)) | (1u64 << 52); // value = mant * 2^(exp-52)
                                                           // The quantum of the result: 2^(exp-10) for normal halves, 2^-24 for subnormal ones.
    let q = if exp >= -14 { exp - 10 } else { -24 };
    let shift = (q - (exp - 52)) as u32;
    let m = if shift >= 64 {
        0
    } else {
        let m = mant >> shift;
        let rem = mant & ((1u64 << shift) - 1);
        let half = 1u64 << (shift - 1);
        if rem > half || (rem == half && m & 1 == 1) {
            m + 1
        } else {
            m
        }
    };
    if exp >= -14 {
        let (m, exp) = if m == 2048 { (1024, exp + 1) } else { (m, exp) };
        let e = exp + 15;
        if e >= 31 {
            return None;
        }
        Some(sign | ((e as u16) << 10) | (m as u16 - 1024))
    } else {
        // m <= 1024; 1024 is the smallest normal, whose bits are exactly 0x400.
        Some(sign | m as u16)
    }
}

/// x * 2^k, scaling in steps so that no intermediate factor over- or underflows.
fn ldexp(mut x: f64, mut k: i32) -> f64 {
    let up = f64::from_bits((1000 + 1023) << 52); // 2^1000
    let down = f64::from_bits((1023 - 1000) << 52); // 2^-1000
    while k > 1000 {
        x *= up;
        k -= 1000;
    }
    while k < -1000 {
        x *= down;
        k += 1000;
    }
    x * f64::from_bits(((k + 1023) as u64) << 52)
}

/// Decodes an x87 80-bit extended value (little-endian, 10 bytes) to the nearest f64.
pub(crate) fn x87_to_f64(b: &[u8; 10]) -> f64 {
    let mut m = [0u8; 8];
    m.copy_from_slice(&b[..8]);
    let mant = u64::from_le_bytes(m);
    let se = u16::from_le_bytes([b[8], b[9]]);
    let sign = if se & 0x8000 != 0 { -1.0 } else { 1.0 };
    let exp = i32::from(se & 0x7fff);
    if exp == 0x7fff {
        return if mant << 1 == 0 {
            sign * f64::INFINITY
        } else {
            f64::NAN.copysign(sign)
        };
    }
    if mant == 0 {
        return sign * 0.0;
    }
    // value = mant * 2^(exp - 16383 - 63) (denormals use exponent 1 - 16383).
    let e = if exp == 0 { 1 } else { exp } - 16383 - 63;
    // Round the 64-bit mantissa to 53 bits once, then scale (exact unless the result is
    // subnormal or overflows in f64).
    let lz = mant.leading_zeros();
    let norm = mant << lz;
    let e = e - lz as i32;
    let top = norm >> 11;
    let rem = norm & 0x7ff;
    let top = if rem > 0x400 || (rem == 0x400 && top & 1 == 1) {
        top + 1
    } else {
        top
    };
    sign * ldexp(top as f64, e + 11)
}

/// Encodes an f64 as an x87 80-bit extended value (exact).
pub(crate) fn f64_to_x87(x: f64) -> [u8; 10] {
    let bits = x.to_bits();
    let sign = ((bits >> 63) as u16) << 15;
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1u64 << 52) - 1);
    let (se, mant) = if biased == 0x7ff {
        let m = if frac == 0 {
            1u64 << 63
        } else {
            (3u64 << 62) | (frac << 11)
        };
        (sign | 0x7fff, m)
    } else if biased == 0 && frac == 0 {
        (sign, 0)
    } else if biased == 0 {
        let lz = frac.leading_zeros(); // frac = value * 2^1074
        let m = frac << lz;
        let e = 63 - lz as i32 - 1074 + 16383;
        (sign | e as u16, m)
    } else {
        let m = (1u64 << 63) | (frac << 11);
        (sign | (biased - 1023 + 16383) as u16, m)
    };
    let mut out = [0u8; 10];
    out[..8].copy_from_slice(&mant.to_le_bytes());
    out[8..].copy_from_slice(&se.to_le_bytes());
    out
}

// ---------------------------------------------------------------------------------------------
// Unpack.

fn read_uint(b: &[u8], endian: Endian) -> u64 {
    // The common sizes as one load each; the byte loop below for the rest (3, 5, 6, 7 bytes:
    // standard-size `s`-like codes never come here, only integer and float widths).
    match (b.len(), endian) {
        (1, _) => return u64::from(b[0]),
        (2, Endian::Little) => return u64::from(u16::from_le_bytes([b[0], b[1]])),
        (2, Endian::Big) => return u64::from(u16::from_be_bytes([b[0], b[1]])),
        (4, Endian::Little) => return u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])),
        (4, Endian::Big) => return u64::from(u32::from_be_bytes([b[0], b[1], b[2], b[3]])),
        (8, _) => {
            let mut x = [0u8; 8];
            x.copy_from_slice(b);
            return match endian {
                Endian::Little => u64::from_le_bytes(x),
                Endian::Big => u64::from_be_bytes(x),
            };
        }
        _ => {}
    }
    let mut v = 0u64;
    match endian {
        Endian::Little => {
            for &x in b.iter().rev() {
                v = (v << 8) | u64::from(x);
            }
        }
        Endian::Big => {
            for &x in b {
                v = (v << 8) | u64::from(x);
            }
        }
    }
    v
}

fn read_int(b: &[u8], endian: Endian) -> i64 {
    let v = read_uint(b, endian);
    let bits = 8 * b.len() as u32;
    if bits >= 64 {
        v as i64
    } else {
        // Sign-extend from `bits`.
        ((v << (64 - bits)) as i64) >> (64 - bits)
    }
}

fn read_float(b: &[u8], code: Code, endian: Endian) -> Result<f64, CodecError> {
    Ok(match b.len() {
        2 => f16_to_f64(read_uint(b, endian) as u16),
        4 => f64::from(f32::from_bits(read_uint(b, endian) as u32)),
        8 => f64::from_bits(read_uint(b, endian)),
        n if n >= 10 && cfg!(any(target_arch = "x86", target_arch = "x86_64")) => {
            let mut x = [0u8; 10];
            x.copy_from_slice(&b[..10]);
            x87_to_f64(&x)
        }
        n => {
            return Err(CodecError::new(
                CodecErrorKind::Unsupported,
                format!(
                    "format '{}': a {n}-byte long double is not supported",
                    code.as_str()
                ),
            ))
        }
    })
}

fn unsupported_bits() -> CodecError {
    CodecError::new(
        CodecErrorKind::Unsupported,
        "format 't': bit fields are not supported",
    )
}

/// A fixed-width `u`/`w` string as numpy reads it (`U` data, the exporter of these codes;
/// CPython's memoryview and `struct` do not read them): trailing NULs are the unused width,
/// so `"xy\0"` in a `3w` field is `'xy'`. Packing pads with NULs again, so the bytes
/// round-trip; `s` keeps its NULs, as `struct` does.
fn strip_trailing_nuls(mut text: String) -> String {
    text.truncate(text.trim_end_matches('\0').len());
    text
}

fn unpack_scalar(s: &Scalar, b: &[u8]) -> Result<Value, CodecError> {
    let b = &b[..s.size];
    let e = s.endian;
    Ok(match s.code {
        Code::Bool => Value::Bool(b.iter().any(|&x| x != 0)),
        Code::SChar | Code::Short | Code::Int | Code::Long | Code::LongLong | Code::SSize => {
            Value::Int(read_int(b, e))
        }
        Code::UChar | Code::UShort | Code::UInt | Code::ULong | Code::ULongLong | Code::Size => {
            Value::UInt(read_uint(b, e))
        }
        Code::Half | Code::Float | Code::Double | Code::LongDouble => {
            Value::Float(read_float(b, s.code, e)?)
        }
        Code::ComplexFloat | Code::ComplexDouble | Code::ComplexLongDouble => {
            let (r, i) = b.split_at(b.len() / 2);
            Value::Complex(read_float(r, s.code, e)?, read_float(i, s.code, e)?)
        }
        Code::Char | Code::Bytes | Code::Pad => Value::Bytes(b.to_vec()),
        Code::Pascal => match b.split_first() {
            None => Value::Bytes(Vec::new()),
            Some((&n, rest)) => Value::Bytes(rest[..rest.len().min(usize::from(n))].to_vec()),
        },
        Code::Ucs2 => {
            let units = b.chunks_exact(2).map(|c| read_uint(c, e) as u16);
            let mut out = String::with_capacity(s.len);
            for c in char::decode_utf16(units) {
                out.push(c.map_err(|err| {
                    CodecError::new(
                        CodecErrorKind::Unsupported,
                        format!(
                            "format 'u': unpaired surrogate 0x{:04x}",
                            err.unpaired_surrogate()
                        ),
                    )
                })?);
            }
            Value::Str(strip_trailing_nuls(out))
        }
        Code::Ucs4 => {
            let mut out = String::with_capacity(s.len);
            for c in b.chunks_exact(4) {
                let u = read_uint(c, e) as u32;
                out.push(char::from_u32(u).ok_or_else(|| {
                    CodecError::new(
                        CodecErrorKind::Unsupported,
                        format!("format 'w': 0x{u:x} is not a Unicode code point"),
                    )
                })?);
            }
            Value::Str(strip_trailing_nuls(out))
        }
        Code::VoidPtr | Code::Ref => Value::Pointer(read_uint(b, e)),
        Code::Object => Value::Object(read_uint(b, e)),
        Code::Bit => return Err(unsupported_bits()),
    })
}

/// The scalars most items are made of (integers, `?`, `f`, `d`), read without the general
/// path (`None` for every other scalar).
///
/// Inlined into the loops that fill a list of values ([`unpack_fields`], [`unpack_array`],
/// `tolist`), each value is built in registers and written once into its slot. Returned
/// through a `Result` instead (as `unpack_scalar` does), or pushed with `Vec::push` (whose
/// growth call makes the value live on the stack), each was written to the stack field by
/// field and then copied with 16-byte loads spanning those stores: a store-forwarding stall
/// per value, a fifth of `tolist`'s time on records of three numbers.
#[inline(always)]
fn unpack_number(s: &Scalar, b: &[u8]) -> Option<Value> {
    let b = b.get(..s.size)?;
    let e = s.endian;
    Some(match s.code {
        Code::SChar | Code::Short | Code::Int | Code::Long | Code::LongLong | Code::SSize => {
            Value::Int(read_int(b, e))
        }
        Code::UChar | Code::UShort | Code::UInt | Code::ULong | Code::ULongLong | Code::Size => {
            Value::UInt(read_uint(b, e))
        }
        Code::Double if s.size == 8 => Value::Float(f64::from_bits(read_uint(b, e))),
        Code::Float if s.size == 4 => {
            Value::Float(f64::from(f32::from_bits(read_uint(b, e) as u32)))
        }
        Code::Bool => Value::Bool(b.iter().any(|&x| x != 0)),
        _ => return None,
    })
}

/// One element of a list being filled: its value, or (after an error, kept in `err`, the
/// first one only) a placeholder that the caller discards. Lists are filled by `collect` /
/// `extend` of an exact-size iterator, which writes each value straight into its slot; see
/// [`unpack_number`].
#[inline(always)]
pub(crate) fn unpack_element(layout: &ItemLayout, b: &[u8], err: &mut Option<CodecError>) -> Value {
    if err.is_none() {
        if let Node::Scalar(s) = layout.node() {
            if let Some(v) = unpack_number(s, b) {
                return v;
            }
        }
        match unpack_item(layout, b) {
            Ok(v) => return v,
            Err(e) => *err = Some(e),
        }
    }
    Value::Bool(false)
}

fn unpack_item(layout: &ItemLayout, b: &[u8]) -> Result<Value, CodecError> {
    Ok(match layout.node() {
        Node::Scalar(s) => unpack_scalar(s, b)?,
        Node::Struct(fields) => Value::Struct(unpack_fields(layout, fields, b)?),
        // `layout()` never builds an array without dimensions; were there one, it would be
        // its element alone.
        Node::Array { dims, element } if dims.is_empty() => unpack_item(element, b)?,
        Node::Array { dims, element } => Value::Array(unpack_array(dims, element, b)?),
    })
}

/// The fields of a struct item (`fields` is `layout`'s node).
fn unpack_fields(
    layout: &ItemLayout,
    fields: &[FieldLayout],
    b: &[u8],
) -> Result<Fields, CodecError> {
    let mut err = None;
    let values: Vec<Value> = fields
        .iter()
        .map(|f| unpack_element(&f.layout, &b[f.offset..], &mut err))
        .collect();
    match err {
        Some(e) => Err(e),
        None => Ok(Fields {
            // The layout's own table: one reference count per item, no string copied.
            names: layout.names().cloned(),
            values: values.into_boxed_slice(),
        }),
    }
}

pub(crate) use crate::geometry::product;

/// The longest sub-array of zero-size elements (`(n)T{}`, `(n)0s`) that [`unpack`] builds.
const MAX_EMPTY_ELEMENTS: usize = 1 << 16;

/// The elements of a sub-array of shape `dims` (not empty), nested one [`Value::Array`] per
/// dimension after the first.
fn unpack_array(dims: &[usize], element: &ItemLayout, b: &[u8]) -> Result<Vec<Value>, CodecError> {
    let Some((&n, rest)) = dims.split_first() else {
        return Ok(Vec::new());
    };
    let step = product(rest).saturating_mul(element.size());
    if step == 0 && n > MAX_EMPTY_ELEMENTS {
        // Elements of other sizes are bounded by the bytes given; zero-size ones are not.
        return Err(CodecError::new(
            CodecErrorKind::Unsupported,
            format!("a sub-array of {n} zero-size elements is too long to unpack"),
        ));
    }
    if rest.is_empty() {
        let mut err = None;
        let out: Vec<Value> = (0..n)
            .map(|k| unpack_element(element, &b[k * step..], &mut err))
            .collect();
        return match err {
            Some(e) => Err(e),
            None => Ok(out),
        };
    }
    let mut out = Vec::with_capacity(n);
    for k in 0..n {
        out.push(Value::Array(unpack_array(rest, element, &b[k * step..])?));
    }
    Ok(out)
}

/// Reads one item from `bytes` (at least `layout.size()` of them; the rest is ignored),
/// honouring each field's byte order.
///
/// ```
/// use buffer_runtime::format::{parse, unpack, Value};
///
/// let l = parse("T{>H:a: (2)<e:b:}").unwrap().layout().unwrap();
/// let v = unpack(&l, &[0x01, 0x02, 0x00, 0x3c, 0x00, 0xc0]).unwrap();
/// assert_eq!(v.field("a"), Some(&Value::UInt(0x0102)));
/// assert_eq!(v.field("b"), Some(&Value::Array(vec![Value::Float(1.0), Value::Float(-2.0)])));
/// ```
pub fn unpack(layout: &ItemLayout, bytes: &[u8]) -> Result<Value, CodecError> {
    if bytes.len() < layout.size() {
        return Err(CodecError::new(
            CodecErrorKind::Value,
            format!(
                "expected {} bytes for one item, got {}",
                layout.size(),
                bytes.len()
            ),
        ));
    }
    unpack_item(layout, bytes)
}

// ---------------------------------------------------------------------------------------------
// Pack.

/// Which messages to use: memoryview's for a plain native format, struct's otherwise.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    MemoryView,
    Struct,
}

fn type_error(style: Style, s: &Scalar, struct_msg: &str) -> CodecError {
    match style {
        Style::MemoryView => CodecError::new(
            CodecErrorKind::Type,
            format!("memoryview: invalid type for format '{}'", s.code.as_str()),
        ),
        Style::Struct => CodecError::new(CodecErrorKind::Type, struct_msg),
    }
}

fn range_error(style: Style, s: &Scalar, struct_msg: String) -> CodecError {
    let msg = match style {
        Style::MemoryView => format!("memoryview: invalid value for format '{}'", s.code.as_str()),
        Style::Struct => struct_msg,
    };
    CodecError::new(CodecErrorKind::Value, msg)
}

const OUT_OF_RANGE: &str = "argument out of range";
/// struct.pack's wording when converting an int raises OverflowError.
const INT_TOO_LARGE: &str = "int too large to convert";

fn is_signed(code: Code) -> bool {
    matches!(
        code,
        Code::SChar | Code::Short | Code::Int | Code::Long | Code::LongLong | Code::SSize
    )
}

/// The inclusive range of an integer of `bytes` bytes.
fn int_bounds(bytes: usize, signed: bool) -> (i128, i128) {
    let bits = 8 * bytes as u32;
    if signed {
        (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
    } else {
        (0, (1i128 << bits) - 1)
    }
}

/// What `struct.pack` (CPython 3.11) says about the int `n` for the integer scalar `s`, or
/// `None` if it fits.
///
/// struct words a range error by the C function that packs the code, and which function that
/// is depends on the prefix as well as the code:
///
/// * every int is first converted to a C type (`long` for the signed codes and for native
///   `B H`, `unsigned long` for `I L` and the standard unsigned codes, `long long`, `size_t`,
///   ... for the 8-byte and size codes); an int outside that type gives
///   "argument out of range" (so `I` with -1 does);
/// * then native functions name the C type for the 1- and 2-byte codes ("short format
///   requires -32768 <= number <= 32767") and the code for the others ("'i' format requires
///   ..."); standard functions name the code ("'h' format requires ...");
/// * standard `q Q` convert through a byte array, whose OverflowError struct reports as
///   "int too large to convert".
///
/// The native functions serve `@` (and `^`), and also the standard prefix whose byte order
/// is the host's (`<` and `=` on a little-endian host) for every code whose standard size is
/// its native size, except `f d ?`: CPython's `_struct` swaps them into that table at
/// start-up. So on x86-64 `<h` says "short format requires ..." and `>h` says "'h' format
/// requires ...".
fn struct_int_error(s: &Scalar, n: i128) -> Option<String> {
    use core::ffi::{c_long, c_ulong};
    let within = |(lo, hi): (i128, i128)| lo <= n && n <= hi;
    let long = (i128::from(c_long::MIN), i128::from(c_long::MAX));
    let ulong = (0, i128::from(c_ulong::MAX));
    let signed = is_signed(s.code);
    let own = int_bounds(s.size, signed);
    let native_function =
        s.prefix.native_sizes() || (s.endian == Endian::NATIVE && s.size == s.code.native_size());
    let code = s.code.as_str();
    let requires = || {
        Some(format!(
            "'{code}' format requires {} <= number <= {}",
            own.0, own.1
        ))
    };
    let c_type = match s.code {
        // Always the native functions, in every table.
        Code::SChar | Code::UChar => long,
        Code::Short | Code::UShort if native_function => long,
        Code::LongLong | Code::ULongLong | Code::SSize | Code::Size if native_function => own,
        Code::LongLong | Code::ULongLong => {
            return (!within(own)).then(|| String::from(INT_TOO_LARGE))
        }
        _ if signed => long,
        _ => ulong,
    };
    if !within(c_type) {
        return Some(String::from(OUT_OF_RANGE));
    }
    if within(own) {
        return None;
    }
    match s.code {
        Code::SChar => Some(String::from("byte format requires -128 <= number <= 127")),
        Code::UChar => Some(String::from("ubyte format requires 0 <= number <= 255")),
        Code::Short if native_function => Some(String::from(
            "short format requires -32768 <= number <= 32767",
        )),
        Code::UShort if native_function => {
            Some(String::from("ushort format requires 0 <= number <= 65535"))
        }
        _ => requires(),
    }
}

fn write_uint(out: &mut [u8], v: u64, endian: Endian) {
    let n = out.len();
    for (i, byte) in out.iter_mut().enumerate() {
        let shift = match endian {
            Endian::Little => 8 * i,
            Endian::Big => 8 * (n - 1 - i),
        };
        *byte = if shift < 64 { (v >> shift) as u8 } else { 0 };
    }
}

/// An integer value as i128 (bools are integers, as in Python).
fn as_integer(v: &Value) -> Option<i128> {
    match v {
        Value::Bool(b) => Some(i128::from(*b)),
        Value::Int(n) => Some(i128::from(*n)),
        Value::UInt(n) | Value::Pointer(n) | Value::Object(n) => Some(i128::from(*n)),
        _ => None,
    }
}

fn as_real(v: &Value) -> Option<f64> {
    match v {
        Value::Float(x) => Some(*x),
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        Value::Int(n) => Some(*n as f64),
        Value::UInt(n) | Value::Pointer(n) | Value::Object(n) => Some(*n as f64),
        _ => None,
    }
}

/// struct.pack reports an OverflowError raised while packing an int (not a float) as
/// `struct.error: int too large to convert`: `struct.pack('=e', 65520)` says so where
/// `struct.pack('=e', 65520.0)` raises `OverflowError: float too large to pack with e format`.
fn int_overflow(style: Style, v: &Value, e: CodecError) -> CodecError {
    let int = matches!(
        v,
        Value::Bool(_) | Value::Int(_) | Value::UInt(_) | Value::Pointer(_) | Value::Object(_)
    );
    if style == Style::Struct && int && e.kind == CodecErrorKind::Overflow {
        CodecError::new(CodecErrorKind::Value, INT_TOO_LARGE)
    } else {
        e
    }
}

fn write_float(out: &mut [u8], x: f64, s: &Scalar, style: Style) -> Result<(), CodecError> {
    let e = s.endian;
    let too_large = || {
        CodecError::new(
            CodecErrorKind::Overflow,
            format!(
                "float too large to pack with {} format",
                s.code.as_str().trim_start_matches('Z')
            ),
        )
    };
    match out.len() {
        2 => write_uint(out, u64::from(f64_to_f16(x).ok_or_else(too_large)?), e),
        4 => {
            let y = x as f32;
            // Native `f` narrows like a C cast (struct and memoryview give inf); standard
            // `f` raises OverflowError, as PyFloat_Pack4 does.
            if y.is_infinite()
                && x.is_finite()
                && !s.prefix.native_sizes()
                && style == Style::Struct
            {
                return Err(too_large());
            }
            write_uint(out, u64::from(y.to_bits()), e)
        }
        8 => write_uint(out, x.to_bits(), e),
        n if n >= 10 && cfg!(any(target_arch = "x86", target_arch = "x86_64")) => {
            out[..10].copy_from_slice(&f64_to_x87(x));
            out[10..].fill(0);
        }
        n => {
            return Err(CodecError::new(
                CodecErrorKind::Unsupported,
                format!(
                    "format '{}': a {n}-byte long double is not supported",
                    s.code.as_str()
                ),
            ))
        }
    }
    Ok(())
}

fn pack_scalar(s: &Scalar, v: &Value, out: &mut [u8], style: Style) -> Result<(), CodecError> {
    let out = &mut out[..s.size];
    let e = s.endian;
    match s.code {
        Code::Bool => {
            out.fill(0);
            out[0] = u8::from(v.truthy());
        }
        Code::SChar
        | Code::Short
        | Code::Int
        | Code::Long
        | Code::LongLong
        | Code::SSize
        | Code::UChar
        | Code::UShort
        | Code::UInt
        | Code::ULong
        | Code::ULongLong
        | Code::Size => {
            let n = as_integer(v)
                .ok_or_else(|| type_error(style, s, "required argument is not an integer"))?;
            let (lo, hi) = int_bounds(s.size, is_signed(s.code));
            if n < lo || n > hi {
                let msg = struct_int_error(s, n).unwrap_or_else(|| String::from(OUT_OF_RANGE));
                return Err(range_error(style, s, msg));
            }
            write_uint(out, n as u64, e);
        }
        Code::VoidPtr | Code::Ref | Code::Object => {
            let n = as_integer(v)
                .ok_or_else(|| type_error(style, s, "required argument is not an integer"))?;
            // Like PyLong_AsVoidPtr: negative addresses wrap (`-1` is all ones).
            let bits = 8 * s.size as u32;
            if n < -(1i128 << (bits - 1)) || n >= (1i128 << bits) {
                // PyLong_AsVoidPtr's OverflowError, as struct reports it.
                return Err(range_error(style, s, String::from(INT_TOO_LARGE)));
            }
            write_uint(out, n as u64, e);
        }
        Code::Half | Code::Float | Code::Double | Code::LongDouble => {
            let x = as_real(v)
                .ok_or_else(|| type_error(style, s, "required argument is not a float"))?;
            write_float(out, x, s, style).map_err(|e| int_overflow(style, v, e))?;
        }
        Code::ComplexFloat | Code::ComplexDouble | Code::ComplexLongDouble => {
            let (r, i) = match v {
                Value::Complex(r, i) => (*r, *i),
                _ => (
                    as_real(v).ok_or_else(|| {
                        type_error(style, s, "required argument is not a complex number")
                    })?,
                    0.0,
                ),
            };
            let half = out.len() / 2;
            let (a, b) = out.split_at_mut(half);
            write_float(a, r, s, style).map_err(|e| int_overflow(style, v, e))?;
            write_float(b, i, s, style).map_err(|e| int_overflow(style, v, e))?;
        }
        Code::Char => match v {
            Value::Bytes(b) if b.len() == 1 => out[0] = b[0],
            Value::Bytes(_) if style == Style::MemoryView => {
                return Err(range_error(style, s, String::new()))
            }
            Value::Bytes(_) => {
                return Err(CodecError::new(
                    CodecErrorKind::Value,
                    "char format requires a bytes object of length 1",
                ))
            }
            _ => {
                return Err(type_error(
                    style,
                    s,
                    "char format requires a bytes object of length 1",
                ))
            }
        },
        Code::Bytes | Code::Pascal => {
            let Value::Bytes(b) = v else {
                return Err(type_error(
                    style,
                    s,
                    &format!("argument for '{}' must be a bytes object", s.code.as_str()),
                ));
            };
            out.fill(0);
            if s.code == Code::Bytes {
                let n = b.len().min(out.len());
                out[..n].copy_from_slice(&b[..n]);
            } else if let Some((len, rest)) = out.split_first_mut() {
                let n = b.len().min(rest.len()).min(255);
                rest[..n].copy_from_slice(&b[..n]);
                *len = n as u8;
            }
        }
        Code::Pad => match v {
            Value::Bytes(b) if b.len() == out.len() => out.copy_from_slice(b),
            _ => {
                return Err(CodecError::new(
                    CodecErrorKind::Value,
                    format!("expected {} bytes for padding 'x'", out.len()),
                ))
            }
        },
        Code::Ucs2 | Code::Ucs4 => {
            let Value::Str(text) = v else {
                return Err(type_error(
                    style,
                    s,
                    &format!("argument for '{}' must be a str", s.code.as_str()),
                ));
            };
            out.fill(0);
            let unit = if s.code == Code::Ucs2 { 2 } else { 4 };
            let too_long = || {
                CodecError::new(
                    CodecErrorKind::Value,
                    format!(
                        "'{}{}' holds at most {} characters",
                        s.len,
                        s.code.as_str(),
                        s.len
                    ),
                )
            };
            let mut k = 0;
            let mut put = |out: &mut [u8], u: u32| -> Result<(), CodecError> {
                let slot = out.get_mut(k * unit..(k + 1) * unit).ok_or_else(too_long)?;
                write_uint(slot, u64::from(u), e);
                k += 1;
                Ok(())
            };
            if unit == 2 {
                for u in text.encode_utf16() {
                    put(out, u32::from(u))?;
                }
            } else {
                for c in text.chars() {
                    put(out, u32::from(c))?;
                }
            }
        }
        Code::Bit => return Err(unsupported_bits()),
    }
    Ok(())
}

fn pack_node(node: &Node, v: &Value, out: &mut [u8], style: Style) -> Result<(), CodecError> {
    match node {
        Node::Scalar(s) => pack_scalar(s, v, out, style),
        Node::Array { dims, element } => pack_array(dims, element, v, out, style),
        Node::Struct(fields) => {
            let values: Vec<(Option<&str>, &Value)> = match v {
                Value::Struct(f) => f.iter().collect(),
                Value::Array(a) => a.iter().map(|v| (None, v)).collect(),
                _ => {
                    return Err(CodecError::new(
                        CodecErrorKind::Type,
                        format!("expected a struct of {} fields", fields.len()),
                    ))
                }
            };
            if values.len() != fields.len() {
                return Err(CodecError::new(
                    CodecErrorKind::Value,
                    format!(
                        "expected a struct of {} fields, got {}",
                        fields.len(),
                        values.len()
                    ),
                ));
            }
            for (f, (name, v)) in fields.iter().zip(values) {
                if let (Some(want), Some(got)) = (f.name.as_deref(), name) {
                    if want != got {
                        return Err(CodecError::new(
                            CodecErrorKind::Value,
                            format!("expected field '{want}', got '{got}'"),
                        ));
                    }
                }
                pack_node(f.layout.node(), v, &mut out[f.offset..], style)?;
            }
            Ok(())
        }
    }
}

fn pack_array(
    dims: &[usize],
    element: &ItemLayout,
    v: &Value,
    out: &mut [u8],
    style: Style,
) -> Result<(), CodecError> {
    let Some((&n, rest)) = dims.split_first() else {
        return pack_node(element.node(), v, out, style);
    };
    let Value::Array(items) = v else {
        return Err(CodecError::new(
            CodecErrorKind::Type,
            format!("expected a sequence of {n} elements for a sub-array"),
        ));
    };
    if items.len() != n {
        return Err(CodecError::new(
            CodecErrorKind::Value,
            format!(
                "expected a sequence of {n} elements for a sub-array, got {}",
                items.len()
            ),
        ));
    }
    let step = product(rest).saturating_mul(element.size());
    for (k, item) in items.iter().enumerate() {
        pack_array(rest, element, item, &mut out[k * step..], style)?;
    }
    Ok(())
}

/// Writes one item into `out` (at least `layout.size()` bytes; the rest is untouched), with
/// range checks. Padding bytes are zeroed, as `struct.pack` does. Nothing is written when an
/// error is returned.
///
/// A struct takes a [`Value::Struct`] (fields by position; a name given on both sides must
/// match) or a [`Value::Array`] of its fields; a sub-array takes nested [`Value::Array`]s; `?`
/// takes any value's truth; floats take integers too; `s` pads with NULs and truncates, as
/// `struct.pack` does.
///
/// ```
/// use buffer_runtime::format::{parse, pack, Value};
///
/// let l = parse("T{<H:a:x>h:b:}").unwrap().layout().unwrap();
/// let mut out = [0xaa; 5];
/// pack(&l, &Value::Struct(vec![(None, Value::UInt(1)), (Some("b".into()), Value::Int(-2))].into()), &mut out).unwrap();
/// assert_eq!(out, [1, 0, 0, 0xff, 0xfe]);
///
/// let b = parse("B").unwrap().layout().unwrap();
/// let e = pack(&b, &Value::Float(1.0), &mut out).unwrap_err();
/// assert_eq!(e.to_string(), "memoryview: invalid type for format 'B'");
/// ```
pub fn pack(layout: &ItemLayout, value: &Value, out: &mut [u8]) -> Result<(), CodecError> {
    let size = layout.size();
    if out.len() < size {
        return Err(CodecError::new(
            CodecErrorKind::Value,
            format!("expected {size} bytes for one item, got {}", out.len()),
        ));
    }
    let style = match layout.scalar() {
        Some(s) if s.prefix == Prefix::Native && simple_native(s.code.as_str()).is_some() => {
            Style::MemoryView
        }
        _ => Style::Struct,
    };
    if let Some(s) = layout.scalar() {
        if s.size == size {
            // One scalar: write in place after checks that cannot fail half-way.
            let mut tmp: SmallVec<[u8; 32]> = SmallVec::from_elem(0, size);
            pack_scalar(s, value, &mut tmp, style)?;
            out[..size].copy_from_slice(&tmp);
            return Ok(());
        }
    }
    let mut tmp: SmallVec<[u8; 64]> = SmallVec::from_elem(0, size);
    pack_node(layout.node(), value, &mut tmp, style)?;
    out[..size].copy_from_slice(&tmp);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::parse;
    use alloc::string::ToString;
    use alloc::vec;

    fn layout(s: &str) -> ItemLayout {
        parse(s).unwrap().layout().unwrap()
    }

    fn roundtrip(fmt: &str, v: Value) {
        let l = layout(fmt);
        let mut buf = vec![0u8; l.size()];
        pack(&l, &v, &mut buf).unwrap();
        assert_eq!(unpack(&l, &buf).unwrap(), v, "{fmt}");
    }

    #[test]
    fn half_known_values() {
        for (bits, x) in [
            (0x0000u16, 0.0f64),
            (0x3c00, 1.0),
            (0xc000, -2.0),
            (0x7bff, 65504.0),
            (0x0001, 5.960464477539063e-8),
            (0x0400, 6.103515625e-5),
            (0x3555, 0.333251953125),
            (0x7c00, f64::INFINITY),
        ] {
            assert_eq!(f16_to_f64(bits), x, "{bits:x}");
            assert_eq!(f64_to_f16(x), Some(bits), "{x}");
        }
        assert!(f16_to_f64(0x7e00).is_nan());
        assert_eq!(f64_to_f16(65519.99), Some(0x7bff));
        assert_eq!(f64_to_f16(65520.0), None); // rounds up past the largest half
        assert_eq!(f64_to_f16(1e10), None);
        assert_eq!(f64_to_f16(-0.0), Some(0x8000));
        assert_eq!(f64_to_f16(2.9802322387695312e-8), Some(0)); // exactly half the tiniest: even
        assert_eq!(f64_to_f16(2.9802322387695313e-8 * 1.0000001), Some(1));
        assert_eq!(f64_to_f16(1e-300), Some(0));
        // 1 + 2^-11 is a tie between 1.0 and 1 + 2^-10: rounds to even (1.0).
        assert_eq!(f64_to_f16(1.0 + 1.0 / 2048.0), Some(0x3c00));
        assert_eq!(f64_to_f16(1.0 + 3.0 / 2048.0), Some(0x3c02));
    }

    #[test]
    fn half_every_bit_pattern_round_trips() {
        for h in 0..=u16::MAX {
            let x = f16_to_f64(h);
            if x.is_nan() {
                continue;
            }
            assert_eq!(f64_to_f16(x), Some(h), "{h:#x}");
        }
    }

    #[test]
    fn x87_round_trip() {
        for x in [
            0.0,
            -0.0,
            1.0,
            -1.5,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            1e-310,
            core::f64::consts::PI,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            let b = f64_to_x87(x);
            let y = x87_to_f64(&b);
            assert_eq!(y.to_bits(), x.to_bits(), "{x}");
        }
        assert!(x87_to_f64(&f64_to_x87(f64::NAN)).is_nan());
        // 1.0 in x87: mantissa 0x8000000000000000, exponent 0x3fff.
        assert_eq!(f64_to_x87(1.0), [0, 0, 0, 0, 0, 0, 0, 0x80, 0xff, 0x3f]);
    }

    #[test]
    fn integers_every_size_and_order() {
        roundtrip("b", Value::Int(-128));
        roundtrip("B", Value::UInt(255));
        roundtrip(">h", Value::Int(-2));
        roundtrip("<H", Value::UInt(65535));
        roundtrip("!i", Value::Int(i64::from(i32::MIN)));
        roundtrip("=I", Value::UInt(u64::from(u32::MAX)));
        roundtrip("q", Value::Int(i64::MIN));
        roundtrip(">Q", Value::UInt(u64::MAX));
        roundtrip("n", Value::Int(-1));
        roundtrip("N", Value::UInt(usize::MAX as u64));
        let l = layout(">i");
        assert_eq!(
            unpack(&l, &[0xff, 0xff, 0xff, 0xfe]).unwrap(),
            Value::Int(-2)
        );
        let l = layout("<I");
        assert_eq!(unpack(&l, &[1, 2, 3, 4]).unwrap(), Value::UInt(0x04030201));
    }

    #[test]
    fn other_scalars() {
        roundtrip("?", Value::Bool(true));
        roundtrip("e", Value::Float(-0.5));
        roundtrip(">f", Value::Float(1.25));
        roundtrip("d", Value::Float(f64::MIN_POSITIVE));
        roundtrip("g", Value::Float(1e300));
        roundtrip(">Zf", Value::Complex(1.5, -2.0));
        roundtrip("Zd", Value::Complex(0.1, 0.2));
        roundtrip("c", Value::Bytes(b"z".to_vec()));
        roundtrip("3s", Value::Bytes(b"a\0b".to_vec()));
        roundtrip("0s", Value::Bytes(vec![]));
        roundtrip("5p", Value::Bytes(b"abc".to_vec()));
        roundtrip("3w", Value::Str("aé😀".into()));
        roundtrip(">4u", Value::Str("a😀".into()));
        // numpy's reading of `U` data: trailing NULs are width, inner ones are text; `s`
        // keeps them all, as CPython's struct.unpack('3s', b'xy\x00') == (b'xy\x00',).
        let text = |fmt: &str, b: &[u8]| unpack(&layout(fmt), b).unwrap();
        assert_eq!(
            text("<3w", b"x\0\0\0y\0\0\0\0\0\0\0"),
            Value::Str("xy".into())
        );
        assert_eq!(
            text("<3w", b"x\0\0\0\0\0\0\0y\0\0\0"),
            Value::Str("x\0y".into())
        );
        assert_eq!(text("<3u", b"x\0y\0\0\0"), Value::Str("xy".into()));
        assert_eq!(text("<w", b"\0\0\0\0"), Value::Str("".into()));
        assert_eq!(text("3s", b"xy\0"), Value::Bytes(b"xy\0".to_vec()));
        roundtrip("P", Value::Pointer(0xdead_beef));
        roundtrip("&i", Value::Pointer(8));
        roundtrip("O", Value::Object(16));
        let l = layout("?");
        assert_eq!(unpack(&l, &[2]).unwrap(), Value::Bool(true));
        let l = layout("4p");
        assert_eq!(
            unpack(&l, &[9, b'a', b'b', b'c']).unwrap(),
            Value::Bytes(b"abc".to_vec())
        );
    }

    #[test]
    fn unpacked_fields_share_the_layouts_names() {
        let l = layout("(2)T{<H:a: <H <H:c:}");
        let Value::Array(items) = unpack(&l, &[1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0]).unwrap() else {
            panic!("an array");
        };
        let (Value::Struct(x), Value::Struct(y)) = (&items[0], &items[1]) else {
            panic!("structs");
        };
        let (Some(nx), Some(ny)) = (&x.names, &y.names) else {
            panic!("named");
        };
        assert!(Arc::ptr_eq(nx, ny));
        assert_eq!(
            x.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            [Some("a"), None, Some("c")]
        );
        // Equal to the same fields built by hand (another table), and unequal when a name
        // or a value differs.
        let by_hand = |b: &str, c: u64| {
            Value::Struct(Fields::from(vec![
                (Some("a".into()), Value::UInt(4)),
                (None, Value::UInt(5)),
                (Some(b.into()), Value::UInt(c)),
            ]))
        };
        assert_eq!(items[1], by_hand("c", 6));
        assert_ne!(items[1], by_hand("b", 6));
        assert_ne!(items[1], by_hand("c", 7));
        assert_ne!(
            items[1],
            Value::Struct(Fields::unnamed(vec![
                Value::UInt(4),
                Value::UInt(5),
                Value::UInt(6)
            ]))
        );
        // No table at all without names; all-None pairs make none either.
        let Value::Struct(u) = unpack(&layout("T{BB}"), &[1, 2]).unwrap() else {
            panic!("a struct");
        };
        assert!(u.names.is_none());
        assert_eq!(
            u,
            Fields::from(vec![(None, Value::UInt(1)), (None, Value::UInt(2))])
        );
        assert_eq!(format!("{u:?}"), "[(None, UInt(1)), (None, UInt(2))]");
        // Debug and Display as when Value::Struct held a Vec of (Option<String>, Value).
        let v = Value::Struct(Fields::from(vec![
            (Some("x".into()), Value::Int(1)),
            (None, Value::Float(0.5)),
        ]));
        assert_eq!(
            format!("{v:?}"),
            r#"Struct([(Some("x"), Int(1)), (None, Float(0.5))])"#
        );
        assert_eq!(v.to_string(), "{x: 1, 0.5}");
    }

    #[test]
    fn errors_inside_fields_and_elements_are_reported() {
        let bad = 0x11_0000u32.to_le_bytes();
        let worse = 0x11_0001u32.to_le_bytes();
        let msg = |fmt: &str, b: &[u8]| {
            let e = unpack(&layout(fmt), b).unwrap_err();
            assert_eq!(e.kind(), CodecErrorKind::Unsupported);
            e.message().to_string()
        };
        // The first error, whichever field or element follows it.
        let both: Vec<u8> = [&[7][..], &bad, &worse].concat();
        assert_eq!(
            msg("T{B:a: <w:b: <w:c:}", &both),
            "format 'w': 0x110000 is not a Unicode code point"
        );
        assert_eq!(
            msg("T{B:a: (2)<w:b:}", &both),
            "format 'w': 0x110000 is not a Unicode code point"
        );
        assert_eq!(
            msg("(3)T{B t}", &[0; 6]),
            "format 't': bit fields are not supported"
        );
        // Valid elements next to them still unpack alone.
        let l = layout("T{B:a: <w:b:}");
        let ok: Vec<u8> = [&[7][..], &0x41u32.to_le_bytes()].concat();
        assert_eq!(unpack(&l, &ok).unwrap().to_string(), "{a: 7, b: 'A'}");
    }

    #[test]
    fn value_stays_four_words() {
        // A sub-array of a million structs is a million of these: Fields is a pointer to
        // the shared names and a boxed slice, no larger than a Vec.
        assert!(core::mem::size_of::<Value>() <= 4 * core::mem::size_of::<usize>());
    }

    #[test]
    fn structs_and_arrays() {
        roundtrip(
            "T{(2,2)<h:m: ?:ok: T{c:a:}:inner:}",
            Value::Struct(
                vec![
                    (
                        Some("m".into()),
                        Value::Array(vec![
                            Value::Array(vec![Value::Int(1), Value::Int(2)]),
                            Value::Array(vec![Value::Int(3), Value::Int(4)]),
                        ]),
                    ),
                    (Some("ok".into()), Value::Bool(false)),
                    (
                        Some("inner".into()),
                        Value::Struct(vec![(Some("a".into()), Value::Bytes(b"q".to_vec()))].into()),
                    ),
                ]
                .into(),
            ),
        );
        roundtrip(
            "3i",
            Value::Array(vec![Value::Int(1), Value::Int(2), Value::Int(3)]),
        );
        roundtrip(
            "ic",
            Value::Struct(Fields::unnamed(vec![
                Value::Int(7),
                Value::Bytes(b"x".to_vec()),
            ])),
        );
        let l = layout("(2)T{B:a:B:b:}");
        let v = unpack(&l, &[1, 2, 3, 4]).unwrap();
        assert_eq!(v.to_string(), "[{a: 1, b: 2}, {a: 3, b: 4}]");
    }

    #[test]
    fn empty_shapes_with_huge_dimensions() {
        let l = layout("(0,4294967296,4294967296)i");
        assert_eq!(unpack(&l, &[]).unwrap(), Value::Array(vec![]));
        pack(&l, &Value::Array(vec![]), &mut []).unwrap();
        assert_eq!(l.leaves().count(), 0);
    }

    #[test]
    fn zero_size_sub_arrays() {
        let l = layout("(3)T{}");
        assert_eq!(
            unpack(&l, &[]).unwrap(),
            Value::Array(vec![Value::Struct(Fields::default()); 3])
        );
        let e = unpack(&layout("(9223372036854775807)0s"), &[]).unwrap_err();
        assert_eq!(e.kind(), CodecErrorKind::Unsupported);
    }

    #[test]
    fn padding_is_zeroed_and_failures_write_nothing() {
        let l = layout("T{B:a:3xB:b:}");
        let mut out = [9u8; 5];
        pack(
            &l,
            &Value::Array(vec![Value::UInt(1), Value::UInt(2)]),
            &mut out,
        )
        .unwrap();
        assert_eq!(out, [1, 0, 0, 0, 2]);
        let mut out = [9u8; 5];
        assert!(pack(
            &l,
            &Value::Array(vec![Value::UInt(1), Value::UInt(256)]),
            &mut out
        )
        .is_err());
        assert_eq!(out, [9; 5]);
    }

    fn pack_err(fmt: &str, v: Value) -> (CodecErrorKind, String) {
        let l = layout(fmt);
        let mut out = vec![0u8; l.size()];
        let e = pack(&l, &v, &mut out).unwrap_err();
        (e.kind(), e.to_string())
    }

    #[test]
    fn cpython_messages() {
        use CodecErrorKind as K;
        let mv = |c: &str, what: &str| format!("memoryview: invalid {what} for format '{c}'");
        assert_eq!(
            pack_err("h", Value::Int(70000)),
            (K::Value, mv("h", "value"))
        );
        assert_eq!(pack_err("@B", Value::Int(-1)), (K::Value, mv("B", "value")));
        assert_eq!(
            pack_err("B", Value::Str("x".into())),
            (K::Type, mv("B", "type"))
        );
        assert_eq!(pack_err("b", Value::Float(1.5)), (K::Type, mv("b", "type")));
        assert_eq!(
            pack_err("c", Value::Bytes(b"ab".to_vec())),
            (K::Value, mv("c", "value"))
        );
        assert_eq!(pack_err("c", Value::Int(1)), (K::Type, mv("c", "type")));
        assert_eq!(
            pack_err("d", Value::Str("x".into())),
            (K::Type, mv("d", "type"))
        );
        assert_eq!(pack_err("Q", Value::Int(-1)), (K::Value, mv("Q", "value")));
        assert_eq!(pack_err("P", Value::Float(1.0)), (K::Type, mv("P", "type")));
        assert_eq!(
            pack_err("e", Value::Float(1e10)),
            (K::Overflow, "float too large to pack with e format".into())
        );
        // struct.pack's messages for everything else.
        assert_eq!(
            pack_err("T{h}", Value::Array(vec![Value::Int(70000)])),
            (
                K::Value,
                "short format requires -32768 <= number <= 32767".into()
            )
        );
        assert_eq!(
            pack_err("<B", Value::Int(-1)),
            (K::Value, "ubyte format requires 0 <= number <= 255".into())
        );
        assert_eq!(
            pack_err(">b", Value::Int(200)),
            (
                K::Value,
                "byte format requires -128 <= number <= 127".into()
            )
        );
        assert_eq!(
            pack_err("<I", Value::UInt(1 << 32)),
            (
                K::Value,
                "'I' format requires 0 <= number <= 4294967295".into()
            )
        );
        if core::mem::size_of::<core::ffi::c_long>() == 8 {
            assert_eq!(
                pack_err("<l", Value::Int(1 << 40)),
                (
                    K::Value,
                    "'l' format requires -2147483648 <= number <= 2147483647".into()
                )
            );
        }
        assert_eq!(
            pack_err("@q", Value::UInt(u64::MAX)).1,
            "memoryview: invalid value for format 'q'"
        );
        assert_eq!(
            pack_err("T{q}", Value::Array(vec![Value::UInt(u64::MAX)])),
            (K::Value, "argument out of range".into())
        );
        assert_eq!(
            pack_err("<e", Value::Int(65520)),
            (K::Value, "int too large to convert".into())
        );
        assert_eq!(
            pack_err("<e", Value::Float(65520.0)),
            (K::Overflow, "float too large to pack with e format".into())
        );
        assert_eq!(
            pack_err("<i", Value::Str("x".into())),
            (K::Type, "required argument is not an integer".into())
        );
        assert_eq!(
            pack_err("<d", Value::Str("x".into())),
            (K::Type, "required argument is not a float".into())
        );
        assert_eq!(
            pack_err("<f", Value::Float(1e300)),
            (K::Overflow, "float too large to pack with f format".into())
        );
        assert_eq!(
            pack_err("<c", Value::Bytes(b"ab".to_vec())).1,
            "char format requires a bytes object of length 1"
        );
        assert_eq!(
            pack_err("4s", Value::Int(1)),
            (K::Type, "argument for 's' must be a bytes object".into())
        );
        assert_eq!(pack_err("t", Value::Int(1)).0, K::Unsupported);
        assert_eq!(
            pack_err("2w", Value::Str("abc".into())),
            (K::Value, "'2w' holds at most 2 characters".into())
        );
    }

    /// struct words a range error by which C function packs the code: the native ones for
    /// `@` and for the host's own byte order where the standard size is the native one.
    #[test]
    fn struct_range_messages_follow_the_prefix() {
        use CodecErrorKind as K;
        let (host, other) = if cfg!(target_endian = "little") {
            ('<', '>')
        } else {
            ('>', '<')
        };
        let err = |prefix: char, code: &str, v: Value| {
            let (kind, msg) = pack_err(&format!("{prefix}{code}"), v);
            assert_eq!(kind, K::Value, "{prefix}{code}: {msg}");
            msg
        };
        let short = "short format requires -32768 <= number <= 32767";
        let h = "'h' format requires -32768 <= number <= 32767";
        for p in [host, '='] {
            assert_eq!(err(p, "h", Value::Int(-32769)), short);
            assert_eq!(
                err(p, "H", Value::Int(-1)),
                "ushort format requires 0 <= number <= 65535"
            );
            assert_eq!(err(p, "q", Value::UInt(1 << 63)), "argument out of range");
            assert_eq!(err(p, "Q", Value::Int(-1)), "argument out of range");
        }
        for p in [other, '!'] {
            assert_eq!(err(p, "h", Value::Int(-32769)), h);
            assert_eq!(err(p, "H", Value::Int(-1)), "argument out of range");
            assert_eq!(
                err(p, "H", Value::Int(65536)),
                "'H' format requires 0 <= number <= 65535"
            );
            assert_eq!(
                err(p, "q", Value::UInt(1 << 63)),
                "int too large to convert"
            );
            assert_eq!(err(p, "Q", Value::Int(-1)), "int too large to convert");
        }
        for p in ['<', '>', '=', '!'] {
            assert_eq!(
                err(p, "b", Value::Int(128)),
                "byte format requires -128 <= number <= 127"
            );
            assert_eq!(
                err(p, "B", Value::Int(-1)),
                "ubyte format requires 0 <= number <= 255"
            );
            // An int outside C long / unsigned long comes first.
            assert_eq!(err(p, "b", Value::UInt(1 << 63)), "argument out of range");
            assert_eq!(err(p, "I", Value::Int(-1)), "argument out of range");
            assert_eq!(
                err(p, "I", Value::UInt(1 << 63)),
                "'I' format requires 0 <= number <= 4294967295"
            );
            assert_eq!(
                err(p, "i", Value::Int(i64::MIN)),
                "'i' format requires -2147483648 <= number <= 2147483647"
            );
            assert_eq!(err(p, "e", Value::Int(-70000)), "int too large to convert");
        }
    }

    #[test]
    fn display_is_python_repr() {
        // Expected strings are Python 3.11's repr of the same values.
        for (v, py) in [
            (Value::Float(1.0), "1.0"),
            (Value::Float(-0.0), "-0.0"),
            (Value::Float(0.1), "0.1"),
            (Value::Float(1e16), "1e+16"),
            (Value::Float(1e15), "1000000000000000.0"),
            (Value::Float(123456.789), "123456.789"),
            (Value::Float(0.0001), "0.0001"),
            (Value::Float(0.00001), "1e-05"),
            (Value::Float(1.5e-7), "1.5e-07"),
            (Value::Float(f64::MAX), "1.7976931348623157e+308"),
            (Value::Float(5e-324), "5e-324"),
            (Value::Float(f64::NEG_INFINITY), "-inf"),
            (Value::Float(f64::NAN), "nan"),
            (Value::Complex(1.0, 2.0), "(1+2j)"),
            (Value::Complex(0.0, 2.5), "2.5j"),
            (Value::Complex(-0.0, 1.0), "(-0+1j)"),
            (Value::Complex(1.5, -0.0), "(1.5-0j)"),
            (Value::Complex(0.0, f64::NAN), "nanj"),
            (Value::Complex(1e20, f64::INFINITY), "(1e+20+infj)"),
            (Value::Bytes(b"it's".to_vec()), "b\"it's\""),
            (Value::Bytes(b"'\"".to_vec()), "b'\\'\"'"),
            (Value::Str("a\u{0}\n".into()), "'a\\x00\\n'"),
            (Value::Str("é😀".into()), "'é😀'"),
            (Value::Pointer(255), "255"),
        ] {
            assert_eq!(v.to_string(), py, "{v:?}");
        }
    }

    #[test]
    fn struct_pack_conversions() {
        // Native 'f' narrows to inf like struct and memoryview; 's' pads and truncates.
        let l = layout("f");
        let mut out = [0u8; 4];
        pack(&l, &Value::Float(1e300), &mut out).unwrap();
        assert_eq!(f32::from_ne_bytes(out), f32::INFINITY);
        let l = layout("4s");
        pack(&l, &Value::Bytes(b"abcdefg".to_vec()), &mut out).unwrap();
        assert_eq!(&out, b"abcd");
        pack(&l, &Value::Bytes(b"a".to_vec()), &mut out).unwrap();
        assert_eq!(&out, b"a\0\0\0");
        let l = layout("4p");
        pack(&l, &Value::Bytes(b"abcdef".to_vec()), &mut out).unwrap();
        assert_eq!(&out, b"\x03abc");
        let l = layout("P");
        let mut p = [0u8; core::mem::size_of::<usize>()];
        pack(&l, &Value::Int(-1), &mut p).unwrap();
        assert!(p.iter().all(|&b| b == 0xff));
        let l = layout("d");
        let mut d = [0u8; 8];
        pack(&l, &Value::Int(3), &mut d).unwrap();
        assert_eq!(f64::from_ne_bytes(d), 3.0);
        assert_eq!(
            unpack(&layout("Zd"), &[0; 8]).unwrap_err().kind(),
            CodecErrorKind::Value
        );
    }
}
