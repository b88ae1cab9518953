//! The Python repr of a [`Value`] (its `Display`): what `repr(view.tolist())` prints.

use alloc::format;
use alloc::string::String;
use core::fmt;

use super::Value;

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
