//! The errors of the format model: [`FormatError`] (a format string or model rejected) and
//! [`CodecError`] (an item that could not be packed or unpacked).

use alloc::string::String;
use core::fmt;

use crate::error::ErrorKind;

/// Why a format string (or model) was rejected: what was expected, and where.
///
/// ```
/// use buffer_runtime::format::parse;
///
/// let e = parse("4").unwrap_err();
/// assert_eq!(e.position(), Some(1));
/// assert_eq!(e.to_string(), "expected a format character after '4' at position 1");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormatError {
    position: Option<usize>,
    message: String,
}

impl FormatError {
    pub(crate) fn at(position: usize, message: impl Into<String>) -> FormatError {
        FormatError {
            position: Some(position),
            message: message.into(),
        }
    }

    pub(crate) fn layout(message: impl Into<String>) -> FormatError {
        FormatError {
            position: None,
            message: message.into(),
        }
    }

    /// The byte offset in the format string where the problem was found; `None` for errors
    /// of a whole layout (an item size that overflows).
    ///
    /// ```
    /// # use buffer_runtime::format::parse;
    /// assert_eq!(parse("T{i").unwrap_err().position(), Some(3));
    /// ```
    pub fn position(&self) -> Option<usize> {
        self.position
    }

    /// What went wrong, without the position.
    ///
    /// ```
    /// # use buffer_runtime::format::parse;
    /// assert_eq!(parse("(2,)i").unwrap_err().message(), "expected a number in the shape");
    /// ```
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some(p) => write!(f, "{} at position {}", self.message, p),
            None => f.write_str(&self.message),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for FormatError {}

/// Why an item could not be packed or unpacked. The message is CPython's where CPython has
/// one: memoryview's for a plain native format (`"memoryview: invalid value for format 'h'"`),
/// the struct module's (CPython 3.11) otherwise. Its [`kind`](Self::kind) is the Python
/// exception class, the same [`ErrorKind`] as a view error's.
///
/// struct words a range error by prefix, code and value: `'<h'` on a little-endian host says
/// `short format requires -32768 <= number <= 32767` while `'>h'` says `'h' format requires
/// -32768 <= number <= 32767`; `'!I'` with a negative value says `argument out of range`;
/// `'>q'` out of range and an int too large for `'=e'` say `int too large to convert`.
///
/// ```
/// use buffer_runtime::format::{parse, pack, Value};
/// use buffer_runtime::ErrorKind;
///
/// let l = parse("!i").unwrap().layout().unwrap();
/// let e = pack(&l, &Value::Int(1 << 40), &mut [0; 4]).unwrap_err();
/// assert_eq!(e.to_string(), "'i' format requires -2147483648 <= number <= 2147483647");
/// assert_eq!(e.kind(), ErrorKind::ValueError); // struct.error for a range
///
/// let l = parse("!I").unwrap().layout().unwrap();
/// let e = pack(&l, &Value::Int(-1), &mut [0; 4]).unwrap_err();
/// assert_eq!(e.to_string(), "argument out of range");
///
/// let l = parse("=e").unwrap().layout().unwrap();
/// let e = pack(&l, &Value::Int(70000), &mut [0; 2]).unwrap_err();
/// assert_eq!((e.kind(), e.message()), (ErrorKind::ValueError, "int too large to convert"));
/// let e = pack(&l, &Value::Float(70000.0), &mut [0; 2]).unwrap_err();
/// assert_eq!(e.kind(), ErrorKind::OverflowError);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodecError {
    pub(super) kind: ErrorKind,
    pub(super) message: String,
}

impl CodecError {
    pub(super) fn new(kind: ErrorKind, message: impl Into<String>) -> CodecError {
        CodecError {
            kind,
            message: message.into(),
        }
    }

    /// The Python exception class.
    ///
    /// ```
    /// # use buffer_runtime::format::{parse, unpack};
    /// # use buffer_runtime::ErrorKind;
    /// let l = parse("i").unwrap().layout().unwrap();
    /// assert_eq!(unpack(&l, &[0; 2]).unwrap_err().kind(), ErrorKind::ValueError);
    /// ```
    pub fn kind(&self) -> ErrorKind {
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

/// `t` fields, which neither `unpack` nor `pack` reads.
pub(super) fn unsupported_bits() -> CodecError {
    CodecError::new(
        ErrorKind::NotImplementedError,
        "format 't': bit fields are not supported",
    )
}
