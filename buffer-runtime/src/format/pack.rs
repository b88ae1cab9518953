//! Pack: [`Value`] → bytes, driven by an [`ItemLayout`], with CPython's messages: memoryview's
//! for a plain native format, `struct.pack`'s (CPython 3.11) for the rest.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use smallvec::SmallVec;

use crate::error::ErrorKind;
use crate::geometry::product;

use super::error::unsupported_bits;
use super::float::{f64_to_f16, f64_to_x87};
use super::layout::{ItemLayout, Node, Scalar};
use super::{Code, CodecError, Endian, Prefix, Value};

/// Which messages to use: memoryview's for a plain native format, struct's otherwise.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    MemoryView,
    Struct,
}

fn type_error(style: Style, s: &Scalar, struct_msg: &str) -> CodecError {
    match style {
        Style::MemoryView => CodecError::new(
            ErrorKind::TypeError,
            format!("memoryview: invalid type for format '{}'", s.code.as_str()),
        ),
        Style::Struct => CodecError::new(ErrorKind::TypeError, struct_msg),
    }
}

fn range_error(style: Style, s: &Scalar, struct_msg: String) -> CodecError {
    let msg = match style {
        Style::MemoryView => format!("memoryview: invalid value for format '{}'", s.code.as_str()),
        Style::Struct => struct_msg,
    };
    CodecError::new(ErrorKind::ValueError, msg)
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
    if style == Style::Struct && int && e.kind == ErrorKind::OverflowError {
        CodecError::new(ErrorKind::ValueError, INT_TOO_LARGE)
    } else {
        e
    }
}

fn write_float(out: &mut [u8], x: f64, s: &Scalar, style: Style) -> Result<(), CodecError> {
    let e = s.endian;
    let too_large = || {
        CodecError::new(
            ErrorKind::OverflowError,
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
                ErrorKind::NotImplementedError,
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
                    ErrorKind::ValueError,
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
                    ErrorKind::ValueError,
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
                    ErrorKind::ValueError,
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
                        ErrorKind::TypeError,
                        format!("expected a struct of {} fields", fields.len()),
                    ))
                }
            };
            if values.len() != fields.len() {
                return Err(CodecError::new(
                    ErrorKind::ValueError,
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
                            ErrorKind::ValueError,
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
            ErrorKind::TypeError,
            format!("expected a sequence of {n} elements for a sub-array"),
        ));
    };
    if items.len() != n {
        return Err(CodecError::new(
            ErrorKind::ValueError,
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
            ErrorKind::ValueError,
            format!("expected {size} bytes for one item, got {}", out.len()),
        ));
    }
    let style = match layout.scalar() {
        Some(s) if s.prefix == Prefix::Native && s.code.memoryview_native() => Style::MemoryView,
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
