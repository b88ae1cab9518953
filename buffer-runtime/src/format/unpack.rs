//! Unpack: bytes → [`Value`], driven by an [`ItemLayout`].

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::error::ErrorKind;
use crate::geometry::product;

use super::error::unsupported_bits;
use super::float::{f16_to_f64, x87_to_f64};
use super::layout::{FieldLayout, ItemLayout, Node, Scalar};
use super::{Code, CodecError, Endian, Fields, Value};

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
                ErrorKind::NotImplementedError,
                format!(
                    "format '{}': a {n}-byte long double is not supported",
                    code.as_str()
                ),
            ))
        }
    })
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
                        ErrorKind::NotImplementedError,
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
                        ErrorKind::NotImplementedError,
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
            ErrorKind::NotImplementedError,
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
            ErrorKind::ValueError,
            format!(
                "expected {} bytes for one item, got {}",
                layout.size(),
                bytes.len()
            ),
        ));
    }
    unpack_item(layout, bytes)
}
