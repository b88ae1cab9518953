//! numpy's `descr` (a dtype as `numpy.lib.format` writes it) and its mapping to and from our
//! PEP 3118 format model.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt::Write as _;

use super::literal::{repr_str, Lit};
use super::NpyError;
use crate::format::{Code, Endian, ItemLayout, Node, Scalar};

/// A dtype as a `.npy` header describes it: a type string (`'<i4'`) or the list of a
/// structured dtype's fields, padding included as unnamed void fields (`('', '|V3')`).
///
/// ```
/// use buffer_runtime::npy::{Descr, DescrField};
///
/// let d = Descr::from_format("T{B:a:3x<i:b:}").unwrap();
/// assert_eq!(d.to_string(), "[('a', '|u1'), ('', '|V3'), ('b', '<i4')]");
/// assert_eq!(d.to_format().unwrap(), "T{=B:a:3x<i:b:}");
/// let Descr::Record(fields) = &d else { panic!() };
/// assert_eq!(fields[2], DescrField { name: "b".into(), descr: Descr::Scalar("<i4".into()), shape: vec![] });
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Descr {
    /// A type string: a byte order (`<`, `>`, `|` or `=`), a kind and a size (`'<f8'`).
    Scalar(String),
    /// A structured dtype: its fields in order, each packed right after the previous one.
    Record(Vec<DescrField>),
}

/// One field of a structured [`Descr`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DescrField {
    /// The field's name; empty for padding (a void field) or an unnamed field.
    pub name: String,
    /// Its type.
    pub descr: Descr,
    /// Its sub-array shape (empty for none).
    pub shape: Vec<usize>,
}

impl core::fmt::Display for Descr {
    /// The `repr` numpy writes (a Python literal).
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let mut s = String::new();
        self.repr(&mut s);
        f.write_str(&s)
    }
}

/// `(2, 3)`, `(4,)`, `()`: Python's repr of a tuple of integers.
pub(crate) fn repr_shape(shape: &[usize], out: &mut String) {
    out.push('(');
    for (i, n) in shape.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{n}");
    }
    if shape.len() == 1 {
        out.push(',');
    }
    out.push(')');
}

impl Descr {
    pub(crate) fn repr(&self, out: &mut String) {
        match self {
            Descr::Scalar(t) => repr_str(t, out),
            Descr::Record(fields) => {
                out.push('[');
                for (i, field) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push('(');
                    repr_str(&field.name, out);
                    out.push_str(", ");
                    field.descr.repr(out);
                    if !field.shape.is_empty() {
                        out.push_str(", ");
                        repr_shape(&field.shape, out);
                    }
                    out.push(')');
                }
                out.push(']');
            }
        }
    }

    /// The descr of items of a PEP 3118 format (`T::FORMAT` of a derived type): what numpy
    /// would write for the same dtype, with padding as unnamed `|V` fields and unnamed fields
    /// named `f0`, `f1`, ... as numpy names them. Errors for formats numpy cannot store (bit
    /// fields, pointers, Pascal strings, UCS-2) and for a top-level sub-array.
    ///
    /// ```
    /// use buffer_runtime::npy::Descr;
    /// assert_eq!(Descr::from_format("d").unwrap().to_string(), "'<f8'");
    /// assert_eq!(Descr::from_format(">(2,3)H").unwrap_err().to_string(),
    ///     "numpy has no dtype for this format: a sub-array at the top level (give the array \
    ///      the dimensions instead)");
    /// ```
    pub fn from_format(format: &str) -> Result<Descr, NpyError> {
        let layout = crate::format::parse(format)
            .and_then(|f| f.layout())
            .map_err(|e| NpyError::Format(e.to_string()))?;
        Descr::from_layout(&layout)
    }

    /// [`from_format`](Self::from_format) from a layout.
    pub fn from_layout(layout: &ItemLayout) -> Result<Descr, NpyError> {
        match layout.node() {
            Node::Scalar(s) => scalar_typestr(s).map(Descr::Scalar),
            Node::Struct(_) => record(layout),
            Node::Array { .. } => Err(unsupported(
                "a sub-array at the top level (give the array the dimensions instead)",
            )),
        }
    }

    /// The PEP 3118 format of this descr: for a type string in native byte order, the bare
    /// native character that CPython's memoryview indexes (`'<f8'` is `d` on a little-endian
    /// host); otherwise explicit byte orders and standard sizes, every padding byte an `x`.
    ///
    /// ```
    /// use buffer_runtime::npy::Descr;
    /// let native = if cfg!(target_endian = "little") { "<i8" } else { ">i8" };
    /// assert_eq!(Descr::Scalar(native.into()).to_format().unwrap(), "q");
    /// assert_eq!(Descr::Scalar(">u2".into()).to_format().unwrap(), if cfg!(target_endian = "little") { ">H" } else { "H" });
    /// assert_eq!(Descr::Scalar("|S5".into()).to_format().unwrap(), "5s");
    /// assert_eq!(Descr::Scalar("|V5".into()).to_format().unwrap(), "5s"); // raw bytes
    /// let e = Descr::Scalar("<M8[ns]".into()).to_format().unwrap_err();
    /// assert_eq!(e.to_string(), "numpy dtype '<M8[ns]' has no PEP 3118 format (datetimes and \
    ///     timedeltas are not supported)");
    /// ```
    pub fn to_format(&self) -> Result<String, NpyError> {
        let mut out = String::new();
        match self {
            Descr::Scalar(t) => {
                let (order, code, len) = parse_typestr(t)?;
                // A void item is raw bytes (an `x` item would be padding with nothing in it).
                let code = if code == Code::Pad { Code::Bytes } else { code };
                let native_order = order == NATIVE_ORDER_CHAR || order == '=' || order == '|';
                let native = match code {
                    Code::Bytes | Code::Pad | Code::Ucs4 => None,
                    c => native_char(c, len),
                };
                match native {
                    Some(c) if native_order => out.push_str(c),
                    _ => push_field(&mut out, order, code, len),
                }
            }
            Descr::Record(fields) => push_record(&mut out, fields, 0)?,
        }
        Ok(out)
    }

    pub(crate) fn from_lit(lit: &Lit, depth: usize) -> Result<Descr, NpyError> {
        match lit {
            Lit::Str(s) => Ok(Descr::Scalar(s.clone())),
            Lit::List(items) => {
                let mut fields = Vec::with_capacity(items.len());
                for item in items {
                    let Lit::Tuple(parts) = item else {
                        return Err(descr_err(alloc::format!(
                            "a structured descr's fields are tuples (name, type[, shape]), \
                             not {}",
                            item.kind()
                        )));
                    };
                    if !(2..=3).contains(&parts.len()) {
                        return Err(descr_err(alloc::format!(
                            "a field is a tuple (name, type[, shape]), not {} items",
                            parts.len()
                        )));
                    }
                    let name = match &parts[0] {
                        Lit::Str(s) => s.clone(),
                        // numpy's (title, name) pair.
                        Lit::Tuple(t) if t.len() == 2 => match &t[1] {
                            Lit::Str(s) => s.clone(),
                            _ => {
                                return Err(descr_err(
                                    "a field's (title, name) needs a string name",
                                ))
                            }
                        },
                        other => {
                            return Err(descr_err(alloc::format!(
                                "a field's name is a string, not {}",
                                other.kind()
                            )))
                        }
                    };
                    if depth > 32 {
                        return Err(descr_err("structured dtypes nested too deeply"));
                    }
                    let descr = Descr::from_lit(&parts[1], depth + 1)?;
                    let shape = match parts.get(2) {
                        None => Vec::new(),
                        Some(Lit::Int(n)) => alloc::vec![to_usize(*n)?],
                        Some(Lit::Tuple(dims)) => dims
                            .iter()
                            .map(|d| match d {
                                Lit::Int(n) => to_usize(*n),
                                other => Err(descr_err(alloc::format!(
                                    "a sub-array shape holds integers, not {}",
                                    other.kind()
                                ))),
                            })
                            .collect::<Result<_, _>>()?,
                        Some(other) => {
                            return Err(descr_err(alloc::format!(
                                "a field's shape is a tuple of integers, not {}",
                                other.kind()
                            )))
                        }
                    };
                    fields.push(DescrField { name, descr, shape });
                }
                Ok(Descr::Record(fields))
            }
            other => Err(descr_err(alloc::format!(
                "'descr' is a type string or a list of fields, not {}",
                other.kind()
            ))),
        }
    }
}

fn to_usize(n: u64) -> Result<usize, NpyError> {
    usize::try_from(n).map_err(|_| descr_err("a sub-array dimension does not fit usize"))
}

fn descr_err(message: impl Into<String>) -> NpyError {
    NpyError::Descr(message.into())
}

fn unsupported(what: &str) -> NpyError {
    NpyError::Descr(alloc::format!("numpy has no dtype for this format: {what}"))
}

#[cfg(target_endian = "little")]
const NATIVE_ORDER_CHAR: char = '<';
#[cfg(target_endian = "big")]
const NATIVE_ORDER_CHAR: char = '>';

/// numpy's type string of one scalar of a layout.
fn scalar_typestr(s: &Scalar) -> Result<String, NpyError> {
    let kind = match s.code {
        Code::Bool => 'b',
        Code::SChar | Code::Short | Code::Int | Code::Long | Code::LongLong | Code::SSize => 'i',
        Code::UChar | Code::UShort | Code::UInt | Code::ULong | Code::ULongLong | Code::Size => 'u',
        Code::Half | Code::Float | Code::Double | Code::LongDouble => 'f',
        Code::ComplexFloat | Code::ComplexDouble | Code::ComplexLongDouble => 'c',
        Code::Char | Code::Bytes => 'S',
        Code::Ucs4 => 'U',
        Code::Pad => 'V',
        Code::Ucs2 => return Err(unsupported("UCS-2 strings ('u'): numpy's 'U' is UCS-4")),
        Code::Pascal => return Err(unsupported("Pascal strings ('p')")),
        Code::VoidPtr | Code::Object | Code::Ref => {
            return Err(unsupported(
                "pointers ('P', 'O', '&') do not survive a file",
            ))
        }
        Code::Bit => return Err(unsupported("bit fields ('t')")),
    };
    let size = match kind {
        'S' | 'V' => s.len,
        'U' => s.len,
        _ => s.size,
    };
    let order = if s.size == 1 || matches!(kind, 'S' | 'V') {
        '|'
    } else {
        match s.endian {
            Endian::Little => '<',
            Endian::Big => '>',
        }
    };
    Ok(alloc::format!("{order}{kind}{size}"))
}

/// The descr of a struct layout: its fields in offset order, the gaps between them and after
/// the last one as `('', '|Vn')` (what numpy's `dtype.descr` writes for an aligned dtype).
fn record(layout: &ItemLayout) -> Result<Descr, NpyError> {
    let mut fields = Vec::new();
    let mut at = 0usize;
    let mut sorted: Vec<_> = layout.fields().iter().collect();
    sorted.sort_by_key(|f| f.offset);
    for (i, field) in sorted.iter().enumerate() {
        if field.offset < at {
            return Err(unsupported("overlapping fields"));
        }
        if field.offset > at {
            fields.push(padding(field.offset - at));
        }
        let (shape, element) = flatten_array(&field.layout);
        let descr = match element.node() {
            Node::Scalar(s) if s.code == Code::Pad => {
                // Explicit padding the layout kept as a field (a sized `x` run with a name).
                Descr::Scalar(alloc::format!("|V{}", s.len))
            }
            Node::Scalar(s) => Descr::Scalar(scalar_typestr(s)?),
            Node::Struct(_) => record(element)?,
            // `flatten_array` leaves no array element.
            Node::Array { .. } => return Err(unsupported("a nested sub-array")),
        };
        let name = match &field.name {
            Some(n) => n.clone(),
            None => alloc::format!("f{i}"),
        };
        fields.push(DescrField { name, descr, shape });
        at = field
            .offset
            .checked_add(field.layout.size())
            .ok_or_else(|| unsupported("an item larger than memory"))?;
    }
    if layout.size() > at {
        fields.push(padding(layout.size() - at));
    }
    Ok(Descr::Record(fields))
}

/// The dimensions of nested sub-arrays and their innermost element.
fn flatten_array(layout: &ItemLayout) -> (Vec<usize>, &ItemLayout) {
    let mut dims = Vec::new();
    let mut cur = layout;
    while let Node::Array { dims: d, element } = cur.node() {
        dims.extend_from_slice(d);
        cur = element;
    }
    (dims, cur)
}

fn padding(n: usize) -> DescrField {
    DescrField {
        name: String::new(),
        descr: Descr::Scalar(alloc::format!("|V{n}")),
        shape: Vec::new(),
    }
}

/// A type string as (byte order, code, length): `'<i4'` is `('<', Int, 1)`, `'|S5'` is
/// `('|', Bytes, 5)`.
fn parse_typestr(t: &str) -> Result<(char, Code, usize), NpyError> {
    let bad = || {
        NpyError::Descr(alloc::format!(
            "numpy type string '{t}' is not of the form <byte order><kind><size> (like '<i4')"
        ))
    };
    let mut chars = t.chars();
    let (order, rest) = match chars.next() {
        Some(c @ ('<' | '>' | '|' | '=')) => (c, chars.as_str()),
        Some(_) => ('=', t),
        None => return Err(bad()),
    };
    let mut rest_chars = rest.chars();
    let kind = rest_chars.next().ok_or_else(bad)?;
    let digits = rest_chars.as_str();
    if matches!(kind, 'M' | 'm') {
        return Err(NpyError::Descr(alloc::format!(
            "numpy dtype '{t}' has no PEP 3118 format (datetimes and timedeltas are not supported)"
        )));
    }
    if kind == 'O' {
        return Err(NpyError::Descr(alloc::format!(
            "numpy dtype '{t}' holds Python objects: numpy pickles those, they cannot be viewed"
        )));
    }
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let size: usize = digits.parse().map_err(|_| bad())?;
    let no_such = || {
        NpyError::Descr(alloc::format!(
            "numpy dtype '{t}' has no PEP 3118 format with standard sizes"
        ))
    };
    let code = match (kind, size) {
        ('b', 1) => Code::Bool,
        ('i', 1) => Code::SChar,
        ('i', 2) => Code::Short,
        ('i', 4) => Code::Int,
        ('i', 8) => Code::LongLong,
        ('u', 1) => Code::UChar,
        ('u', 2) => Code::UShort,
        ('u', 4) => Code::UInt,
        ('u', 8) => Code::ULongLong,
        ('f', 2) => Code::Half,
        ('f', 4) => Code::Float,
        ('f', 8) => Code::Double,
        ('c', 8) => Code::ComplexFloat,
        ('c', 16) => Code::ComplexDouble,
        ('S' | 'a', _) => return Ok((order, Code::Bytes, size)),
        ('V', _) => return Ok((order, Code::Pad, size)),
        ('U', _) => return Ok((order, Code::Ucs4, size)),
        _ => return Err(no_such()),
    };
    Ok((order, code, 1))
}

/// The bare native character of a code, where native and standard sizes agree.
fn native_char(code: Code, len: usize) -> Option<&'static str> {
    if len != 1 {
        return None;
    }
    Some(match code {
        Code::Bool => "?",
        Code::SChar => "b",
        Code::UChar => "B",
        Code::Short => "h",
        Code::UShort => "H",
        Code::Int => "i",
        Code::UInt => "I",
        Code::LongLong => "q",
        Code::ULongLong => "Q",
        Code::Half => "e",
        Code::Float => "f",
        Code::Double => "d",
        Code::ComplexFloat => "Zf",
        Code::ComplexDouble => "Zd",
        _ => return None,
    })
}

/// One field's format with an explicit byte order and standard size: `<i`, `=B`, `5s`, `>3w`,
/// `4x`.
fn push_field(out: &mut String, order: char, code: Code, len: usize) {
    let prefix = match order {
        '<' => "<",
        '>' => ">",
        _ => "=",
    };
    match code {
        Code::Pad => {
            let _ = write!(out, "{len}x");
        }
        Code::Bytes => {
            let _ = write!(out, "{len}s");
        }
        Code::Ucs4 => {
            let _ = write!(out, "{prefix}{len}w");
        }
        c => {
            out.push_str(prefix);
            out.push_str(c.as_str());
        }
    }
}

fn push_record(out: &mut String, fields: &[DescrField], depth: usize) -> Result<(), NpyError> {
    if depth > 32 {
        return Err(descr_err("structured dtypes nested too deeply"));
    }
    out.push_str("T{");
    for field in fields {
        let is_pad = field.name.is_empty()
            && matches!(&field.descr, Descr::Scalar(t) if parse_typestr(t).is_ok_and(|(_, c, _)| c == Code::Pad));
        if !field.shape.is_empty() {
            out.push('(');
            for (i, n) in field.shape.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                let _ = write!(out, "{n}");
            }
            out.push(')');
        }
        match &field.descr {
            Descr::Scalar(t) => {
                let (order, code, len) = parse_typestr(t)?;
                // A named void field is raw bytes, not padding.
                let code = if code == Code::Pad && !is_pad {
                    Code::Bytes
                } else {
                    code
                };
                push_field(out, order, code, len);
            }
            Descr::Record(inner) => push_record(out, inner, depth + 1)?,
        }
        if !field.name.is_empty() && !is_pad {
            if field.name.contains(':') {
                return Err(descr_err(alloc::format!(
                    "field name {:?} contains ':', which a PEP 3118 format cannot name",
                    field.name
                )));
            }
            out.push(':');
            out.push_str(&field.name);
            out.push(':');
        }
    }
    out.push('}');
    Ok(())
}
