//! The error of every fallible view operation: a CPython exception class and its message.

use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::string::{String, ToString};
use core::fmt;

pub use crate::error::ErrorKind;
use crate::format::{CodecError, FormatError, TypeMismatch};

/// The structured reason behind a [`ViewError`], where there is one: what Rust code matches on
/// (the error's `Display` stays CPython's message). See [`ViewError::cause`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Cause {
    /// A format string that does not parse or cannot be laid out (a `ValueError`).
    Format(FormatError),
    /// A typed access whose Rust item type does not describe the view's items (a
    /// `ValueError`): which scalar, field name or item size differs, and where.
    Mismatch(TypeMismatch),
    /// An item that could not be packed or unpacked (its kind is the error's).
    Codec(CodecError),
}

/// An error from a [`MemoryView`](super::MemoryView) operation: the CPython exception class
/// and, where CPython has one for the same failure, CPython's message text.
///
/// `Display` prints the message alone, as `str(exc)` does in Python. Where the failure has a
/// structured reason (a format that does not parse, a Rust item type that does not match the
/// format, an item the codec cannot read or write), [`cause`](Self::cause) gives it back, and
/// so does `std::error::Error::source` under the `std` feature. Two errors are equal when
/// their kind and message are (the cause is not compared).
///
/// ```
/// use buffer_runtime::format::MismatchKind;
/// use buffer_runtime::view::{Cause, ErrorKind, ItemFormat, MemoryView};
///
/// let data = [0u8; 8];
/// let view = MemoryView::new(&data).unwrap();
/// let err = view.get_as::<f64>(&[0]).unwrap_err();
/// match err.cause() {
///     Some(Cause::Mismatch(m)) => {
///         assert_eq!(m.kind, MismatchKind::Field);
///         assert_eq!((m.expected.as_str(), m.found.as_str(), m.offset), ("d", "B", 0));
///     }
///     other => panic!("unexpected cause {other:?}"),
/// }
/// assert_eq!(err.kind(), ErrorKind::ValueError);
/// assert_eq!(err.to_string(), "Buffer dtype mismatch, expected 'd' but got 'B' at offset 0");
///
/// let err = ItemFormat::parse("T{i").unwrap_err();
/// assert!(matches!(err.cause(), Some(Cause::Format(e)) if e.position() == Some(3)));
/// ```
///
/// ```
/// use buffer_runtime::view::{ErrorKind, MemoryView};
///
/// let data = [0u8; 6];
/// let view = MemoryView::new(&data).unwrap();
/// let err = view.cast("h", Some(&[4])).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::TypeError);
/// assert_eq!(err.to_string(), "memoryview: product(shape) * itemsize != buffer size");
/// ```
#[derive(Clone, Debug)]
pub struct ViewError {
    kind: ErrorKind,
    message: Cow<'static, str>,
    /// Boxed: most errors have none, and a `Result` of a view stays small.
    cause: Option<Box<Cause>>,
}

impl PartialEq for ViewError {
    fn eq(&self, other: &ViewError) -> bool {
        self.kind == other.kind && self.message == other.message
    }
}

impl Eq for ViewError {}

#[allow(dead_code)] // some constructors are used only by the item codec
impl ViewError {
    /// An error of `kind` with `message`.
    ///
    /// ```
    /// use buffer_runtime::view::{ErrorKind, ViewError};
    /// let e = ViewError::new(ErrorKind::ValueError, "bad");
    /// assert_eq!((e.kind(), e.message()), (ErrorKind::ValueError, "bad"));
    /// ```
    pub fn new(kind: ErrorKind, message: impl Into<Cow<'static, str>>) -> Self {
        ViewError {
            kind,
            message: message.into(),
            cause: None,
        }
    }

    /// This error with its structured reason.
    pub(crate) fn with_cause(mut self, cause: Cause) -> Self {
        self.cause = Some(Box::new(cause));
        self
    }

    /// The structured reason, where there is one (see the [type docs](Self)): `None` for
    /// errors that are only a kind and a message (an index out of range, a bad cast).
    ///
    /// ```
    /// use buffer_runtime::view::{Cause, ErrorKind, ViewError};
    /// assert_eq!(ViewError::new(ErrorKind::IndexError, "x").cause(), None);
    /// ```
    pub fn cause(&self) -> Option<&Cause> {
        self.cause.as_deref()
    }

    /// The CPython exception class.
    ///
    /// ```
    /// use buffer_runtime::view::{ErrorKind, ViewError};
    /// assert_eq!(ViewError::new(ErrorKind::IndexError, "x").kind(), ErrorKind::IndexError);
    /// ```
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The message (CPython's text where CPython has one).
    ///
    /// ```
    /// use buffer_runtime::view::{ErrorKind, ViewError};
    /// assert_eq!(ViewError::new(ErrorKind::IndexError, "x").message(), "x");
    /// ```
    pub fn message(&self) -> &str {
        &self.message
    }

    pub(crate) fn type_error(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorKind::TypeError, message)
    }

    pub(crate) fn value_error(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorKind::ValueError, message)
    }

    pub(crate) fn index_error(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorKind::IndexError, message)
    }

    pub(crate) fn not_implemented(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorKind::NotImplementedError, message)
    }

    pub(crate) fn buffer_error(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorKind::BufferError, message)
    }

    /// CPython's message for a value that does not fit the item format.
    pub(crate) fn invalid_value(format: &str) -> Self {
        Self::value_error(alloc::format!(
            "memoryview: invalid value for format '{format}'"
        ))
    }

    /// CPython's message for a value of a type the item format cannot hold.
    pub(crate) fn invalid_type(format: &str) -> Self {
        Self::type_error(alloc::format!(
            "memoryview: invalid type for format '{format}'"
        ))
    }

    pub(crate) fn with_message(kind: ErrorKind, message: String) -> Self {
        Self::new(kind, message)
    }
}

impl fmt::Display for ViewError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

#[cfg(feature = "std")]
impl std::error::Error for ViewError {
    /// The [`cause`](ViewError::cause) as an error.
    ///
    /// ```
    /// use std::error::Error;
    /// use buffer_runtime::format::FormatError;
    /// use buffer_runtime::view::ItemFormat;
    ///
    /// let err = ItemFormat::parse("4").unwrap_err();
    /// let source = err.source().unwrap().downcast_ref::<FormatError>().unwrap();
    /// assert_eq!(source.position(), Some(1));
    /// ```
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self.cause.as_deref()? {
            Cause::Format(e) => Some(e),
            Cause::Mismatch(e) => Some(e),
            Cause::Codec(e) => Some(e),
        }
    }
}

/// An item codec error as a view error: the same kind and message, the codec error kept as
/// the [`cause`](ViewError::cause).
///
/// ```
/// use buffer_runtime::format::{parse, unpack};
/// use buffer_runtime::view::{Cause, ErrorKind, ViewError};
///
/// let l = parse("i").unwrap().layout().unwrap();
/// let e = ViewError::from(unpack(&l, &[0; 2]).unwrap_err());
/// assert_eq!((e.kind(), e.message()), (ErrorKind::ValueError, "expected 4 bytes for one item, got 2"));
/// assert!(matches!(e.cause(), Some(Cause::Codec(_))));
/// ```
impl From<CodecError> for ViewError {
    fn from(e: CodecError) -> ViewError {
        ViewError::new(e.kind(), e.message().to_string()).with_cause(Cause::Codec(e))
    }
}

/// The result of a view operation.
///
/// ```
/// use buffer_runtime::view::{MemoryView, Result};
/// fn first(view: &MemoryView<'_>) -> Result<u8> {
///     view.get_as::<u8>(&[0])
/// }
/// assert_eq!(first(&MemoryView::from_bytes(b"a")).unwrap(), b'a');
/// assert!(first(&MemoryView::from_bytes(b"")).is_err());
/// ```
pub type Result<T, E = ViewError> = core::result::Result<T, E>;
