//! The format codes ([`Code`]) and everything known about each: its text, its native and
//! standard sizes, and whether CPython's memoryview handles it natively.

use core::ffi::{c_int, c_long, c_longlong, c_short};
use core::mem::{align_of, size_of};

use super::FormatError;

/// A one-character (or `Z`-prefixed) format code.
///
/// ```
/// use buffer_runtime::format::Code;
///
/// assert_eq!("Zd".parse::<Code>(), Ok(Code::ComplexDouble));
/// assert_eq!(Code::UShort.as_str(), "H");
/// assert_eq!(Code::Long.native_size(), core::mem::size_of::<core::ffi::c_long>());
/// assert_eq!(Code::Long.standard_size(), Some(4));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Code {
    /// `x`: a pad byte (a count gives the number of bytes).
    Pad,
    /// `c`: a one-byte character (a `bytes` of length 1 in Python).
    Char,
    /// `b`: `signed char`.
    SChar,
    /// `B`: `unsigned char`.
    UChar,
    /// `?`: `_Bool`.
    Bool,
    /// `h`: `short`.
    Short,
    /// `H`: `unsigned short`.
    UShort,
    /// `i`: `int`.
    Int,
    /// `I`: `unsigned int`.
    UInt,
    /// `l`: `long`.
    Long,
    /// `L`: `unsigned long`.
    ULong,
    /// `q`: `long long`.
    LongLong,
    /// `Q`: `unsigned long long`.
    ULongLong,
    /// `n`: `ssize_t` (native only).
    SSize,
    /// `N`: `size_t` (native only).
    Size,
    /// `e`: IEEE 754 binary16.
    Half,
    /// `f`: `float`.
    Float,
    /// `d`: `double`.
    Double,
    /// `g`: `long double` (native only).
    LongDouble,
    /// `Zf`: complex of two `float`s.
    ComplexFloat,
    /// `Zd`: complex of two `double`s.
    ComplexDouble,
    /// `Zg`: complex of two `long double`s (native only).
    ComplexLongDouble,
    /// `s`: a byte string (a count gives its length).
    Bytes,
    /// `p`: a Pascal string: a length byte, then the bytes (a count gives the total size).
    Pascal,
    /// `P`: `void *` (native only).
    VoidPtr,
    /// `u`: a UCS-2 string (a count gives its length in code units).
    Ucs2,
    /// `w`: a UCS-4 string (a count gives its length in characters).
    Ucs4,
    /// `O`: a pointer to a Python object.
    Object,
    /// `t`: bits (a count gives the number of bits).
    Bit,
    /// `&`: a pointer to another item. Only in layouts: the model keeps
    /// the pointee in [`Kind::Pointer`](super::Kind::Pointer).
    Ref,
}

impl Code {
    /// Every code, in the order of the table above.
    ///
    /// ```
    /// # use buffer_runtime::format::Code;
    /// assert!(Code::ALL.iter().all(|c| c.as_str().parse::<Code>() == Ok(*c)));
    /// ```
    pub const ALL: [Code; 30] = [
        Code::Pad,
        Code::Char,
        Code::SChar,
        Code::UChar,
        Code::Bool,
        Code::Short,
        Code::UShort,
        Code::Int,
        Code::UInt,
        Code::Long,
        Code::ULong,
        Code::LongLong,
        Code::ULongLong,
        Code::SSize,
        Code::Size,
        Code::Half,
        Code::Float,
        Code::Double,
        Code::LongDouble,
        Code::ComplexFloat,
        Code::ComplexDouble,
        Code::ComplexLongDouble,
        Code::Bytes,
        Code::Pascal,
        Code::VoidPtr,
        Code::Ucs2,
        Code::Ucs4,
        Code::Object,
        Code::Bit,
        Code::Ref,
    ];

    /// The text of this code (`"Zf"`, `"&"`, `"i"`).
    ///
    /// ```
    /// # use buffer_runtime::format::Code;
    /// assert_eq!(Code::ComplexFloat.as_str(), "Zf");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            Code::Pad => "x",
            Code::Char => "c",
            Code::SChar => "b",
            Code::UChar => "B",
            Code::Bool => "?",
            Code::Short => "h",
            Code::UShort => "H",
            Code::Int => "i",
            Code::UInt => "I",
            Code::Long => "l",
            Code::ULong => "L",
            Code::LongLong => "q",
            Code::ULongLong => "Q",
            Code::SSize => "n",
            Code::Size => "N",
            Code::Half => "e",
            Code::Float => "f",
            Code::Double => "d",
            Code::LongDouble => "g",
            Code::ComplexFloat => "Zf",
            Code::ComplexDouble => "Zd",
            Code::ComplexLongDouble => "Zg",
            Code::Bytes => "s",
            Code::Pascal => "p",
            Code::VoidPtr => "P",
            Code::Ucs2 => "u",
            Code::Ucs4 => "w",
            Code::Object => "O",
            Code::Bit => "t",
            Code::Ref => "&",
        }
    }

    /// Whether a count gives a length (`s p u w`), a byte count (`x`) or a bit count (`t`)
    /// rather than repeating the item.
    ///
    /// ```
    /// # use buffer_runtime::format::Code;
    /// assert!(Code::Bytes.count_is_length() && !Code::Int.count_is_length());
    /// ```
    pub const fn count_is_length(self) -> bool {
        matches!(
            self,
            Code::Pad | Code::Bytes | Code::Pascal | Code::Ucs2 | Code::Ucs4 | Code::Bit
        )
    }

    /// Whether this code has only a native size (`n N P g Zg`): rejected under `= < > !`.
    ///
    /// ```
    /// # use buffer_runtime::format::Code;
    /// assert!(Code::SSize.native_only() && !Code::Object.native_only());
    /// ```
    pub const fn native_only(self) -> bool {
        matches!(
            self,
            Code::SSize | Code::Size | Code::VoidPtr | Code::LongDouble | Code::ComplexLongDouble
        )
    }

    /// The native size in bytes of one unit (one character of `s u w`, one byte of `x`,
    /// one byte of `t` bits).
    ///
    /// ```
    /// # use buffer_runtime::format::Code;
    /// assert_eq!(Code::ComplexDouble.native_size(), 16);
    /// assert_eq!(Code::VoidPtr.native_size(), core::mem::size_of::<usize>());
    /// ```
    pub const fn native_size(self) -> usize {
        native_size_align(self).0
    }

    /// The native alignment in bytes.
    ///
    /// ```
    /// # use buffer_runtime::format::Code;
    /// assert_eq!(Code::Double.native_align(), core::mem::align_of::<f64>());
    /// assert_eq!(Code::Bytes.native_align(), 1);
    /// ```
    pub const fn native_align(self) -> usize {
        native_size_align(self).1
    }

    /// The standard size in bytes (under `= < > !`), or `None` for `n N P g Zg`.
    ///
    /// ```
    /// # use buffer_runtime::format::Code;
    /// assert_eq!(Code::Half.standard_size(), Some(2));
    /// assert_eq!(Code::SSize.standard_size(), None);
    /// ```
    pub const fn standard_size(self) -> Option<usize> {
        standard_size(self)
    }
}

impl Code {
    /// The code written as the single character `b` (`b'i'`), or `None` for any other byte
    /// (the two-character `Zf Zd Zg` and the pointer `&` are not read here).
    pub(crate) const fn from_byte(b: u8) -> Option<Code> {
        Some(match b {
            b'x' => Code::Pad,
            b'c' => Code::Char,
            b'b' => Code::SChar,
            b'B' => Code::UChar,
            b'?' => Code::Bool,
            b'h' => Code::Short,
            b'H' => Code::UShort,
            b'i' => Code::Int,
            b'I' => Code::UInt,
            b'l' => Code::Long,
            b'L' => Code::ULong,
            b'q' => Code::LongLong,
            b'Q' => Code::ULongLong,
            b'n' => Code::SSize,
            b'N' => Code::Size,
            b'e' => Code::Half,
            b'f' => Code::Float,
            b'd' => Code::Double,
            b'g' => Code::LongDouble,
            b's' => Code::Bytes,
            b'p' => Code::Pascal,
            b'P' => Code::VoidPtr,
            b'u' => Code::Ucs2,
            b'w' => Code::Ucs4,
            b'O' => Code::Object,
            b't' => Code::Bit,
            _ => return None,
        })
    }

    /// Whether CPython's memoryview handles a format of this code alone natively (indexing,
    /// iteration, comparison, `tolist()`, a `cast` destination): `? c b B h H i I l L q Q n N
    /// f d e P`. This follows CPython 3.12 and later, which added `e`; 3.11 lacks it (see
    /// "Which CPython" in the [`view`](crate::view#which-cpython) docs). The one table of
    /// that rule: [`simple_native`] and the view's
    /// [`native_char`](crate::view::ItemFormat::native_char) read it.
    ///
    /// ```
    /// # use buffer_runtime::format::Code;
    /// assert!(Code::Half.memoryview_native() && Code::VoidPtr.memoryview_native());
    /// assert!(!Code::LongDouble.memoryview_native() && !Code::Bytes.memoryview_native());
    /// ```
    pub const fn memoryview_native(self) -> bool {
        matches!(
            self,
            Code::Bool
                | Code::Char
                | Code::SChar
                | Code::UChar
                | Code::Short
                | Code::UShort
                | Code::Int
                | Code::UInt
                | Code::Long
                | Code::ULong
                | Code::LongLong
                | Code::ULongLong
                | Code::SSize
                | Code::Size
                | Code::Float
                | Code::Double
                | Code::Half
                | Code::VoidPtr
        )
    }
}

impl core::str::FromStr for Code {
    type Err = FormatError;

    /// The code written `s` (`"Zf"`, `"i"`, `"&"`), without prefix or count.
    ///
    /// ```
    /// # use buffer_runtime::format::Code;
    /// assert_eq!("?".parse::<Code>(), Ok(Code::Bool));
    /// assert!("Zq".parse::<Code>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Code, FormatError> {
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| FormatError::at(0, alloc::format!("unknown format code {s:?}")))
    }
}

/// Size and alignment of C `long double` on this target (see the module docs).
#[cfg(all(target_arch = "x86_64", not(target_os = "windows")))]
pub(crate) const LONG_DOUBLE: (usize, usize) = (16, 16);
#[cfg(all(target_arch = "x86", not(target_os = "windows")))]
pub(crate) const LONG_DOUBLE: (usize, usize) = (12, 4);
#[cfg(all(
    target_arch = "aarch64",
    not(target_os = "windows"),
    not(target_vendor = "apple")
))]
pub(crate) const LONG_DOUBLE: (usize, usize) = (16, 16);
#[cfg(not(any(
    all(target_arch = "x86_64", not(target_os = "windows")),
    all(target_arch = "x86", not(target_os = "windows")),
    all(
        target_arch = "aarch64",
        not(target_os = "windows"),
        not(target_vendor = "apple")
    )
)))]
pub(crate) const LONG_DOUBLE: (usize, usize) = (8, 8);

/// Native (size, alignment) of one unit of `code`.
pub(crate) const fn native_size_align(code: Code) -> (usize, usize) {
    match code {
        Code::Pad
        | Code::Char
        | Code::SChar
        | Code::UChar
        | Code::Bool
        | Code::Bytes
        | Code::Pascal
        | Code::Bit => (1, 1),
        Code::Short | Code::UShort => (size_of::<c_short>(), align_of::<c_short>()),
        Code::Int | Code::UInt => (size_of::<c_int>(), align_of::<c_int>()),
        Code::Long | Code::ULong => (size_of::<c_long>(), align_of::<c_long>()),
        Code::LongLong | Code::ULongLong => (size_of::<c_longlong>(), align_of::<c_longlong>()),
        Code::SSize | Code::Size => (size_of::<usize>(), align_of::<usize>()),
        Code::Half | Code::Ucs2 => (2, 2),
        Code::Ucs4 => (4, 4),
        Code::Float => (size_of::<f32>(), align_of::<f32>()),
        Code::Double => (size_of::<f64>(), align_of::<f64>()),
        Code::LongDouble => LONG_DOUBLE,
        Code::ComplexFloat => (2 * size_of::<f32>(), align_of::<f32>()),
        Code::ComplexDouble => (2 * size_of::<f64>(), align_of::<f64>()),
        Code::ComplexLongDouble => (2 * LONG_DOUBLE.0, LONG_DOUBLE.1),
        Code::VoidPtr | Code::Object | Code::Ref => (size_of::<usize>(), align_of::<usize>()),
    }
}

/// Standard size of one unit of `code` (pointers `O &` keep their native size).
pub(crate) const fn standard_size(code: Code) -> Option<usize> {
    match code {
        Code::Pad
        | Code::Char
        | Code::SChar
        | Code::UChar
        | Code::Bool
        | Code::Bytes
        | Code::Pascal
        | Code::Bit => Some(1),
        Code::Short | Code::UShort | Code::Half | Code::Ucs2 => Some(2),
        Code::Int | Code::UInt | Code::Long | Code::ULong | Code::Float | Code::Ucs4 => Some(4),
        Code::LongLong | Code::ULongLong | Code::Double | Code::ComplexFloat => Some(8),
        Code::ComplexDouble => Some(16),
        Code::Object | Code::Ref => Some(size_of::<usize>()),
        Code::SSize | Code::Size | Code::VoidPtr | Code::LongDouble | Code::ComplexLongDouble => {
            None
        }
    }
}

/// Recognises the formats CPython's memoryview supports natively: one code for which
/// [`Code::memoryview_native`] holds (`? c b B h H i I l L q Q n N f d e P`, CPython 3.12+),
/// optionally after `@`: CPython's `get_native_fmtchar`.
///
/// ```
/// use buffer_runtime::format::{simple_native, Code};
///
/// assert_eq!(simple_native("@L"), Some(Code::ULong));
/// assert_eq!(simple_native("B"), Some(Code::UChar));
/// assert_eq!(simple_native("<i"), None);
/// assert_eq!(simple_native("2i"), None);
/// assert_eq!(simple_native("g"), None);
/// ```
pub fn simple_native(format: &str) -> Option<Code> {
    let code = match format.as_bytes() {
        [c] | [b'@', c] => Code::from_byte(*c)?,
        _ => return None,
    };
    if code.memoryview_native() {
        Some(code)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;

    #[test]
    fn from_byte_reads_as_str() {
        for c in Code::ALL {
            if let (false, [b]) = (c == Code::Ref, c.as_str().as_bytes()) {
                assert_eq!(Code::from_byte(*b), Some(c), "{c:?}");
            }
        }
        // `Zf Zd Zg` take two characters; `&` is a pointer, read by the parser itself.
        assert_eq!(Code::from_byte(b'Z'), None);
        assert_eq!(Code::from_byte(b'&'), None);
    }

    #[test]
    fn simple_native_is_exact() {
        for c in "?cbBhHiIlLqQnNfdeP".chars() {
            let s = alloc::string::String::from(c);
            assert!(simple_native(&s).is_some(), "{c}");
            assert!(simple_native(&format!("@{c}")).is_some(), "@{c}");
            assert!(simple_native(&format!("={c}")).is_none());
        }
        for s in [
            "", "@", "x", "s", "g", "Zf", "O", "u", "w", "@@i", "ii", " i",
        ] {
            assert!(simple_native(s).is_none(), "{s}");
        }
    }
}
