//! The error of every fallible view operation: a CPython exception class and its message.

use alloc::borrow::Cow;
use alloc::string::String;
use core::fmt;

/// The CPython exception class an error corresponds to.
///
/// ```
/// use buffer_runtime::view::{ErrorKind, MemoryView};
///
/// let data = [1u8, 2, 3];
/// let view = MemoryView::new(&data).unwrap();
/// let err = view.index(7).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::IndexError);
/// assert_eq!(err.kind().name(), "IndexError");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Python's `TypeError`: an operation that does not apply to this view (a cast of a
    /// non-contiguous view, a write to read-only memory, a value of the wrong type).
    TypeError,
    /// Python's `ValueError`: an argument of the right type but a wrong value (a value out of
    /// range for the format, a bad `order`, a bad separator).
    ValueError,
    /// Python's `IndexError`: an index outside its dimension.
    IndexError,
    /// Python's `NotImplementedError`: something CPython's memoryview does not do. Our view
    /// raises it only where CPython does and we keep its behaviour on purpose.
    NotImplementedError,
    /// Python's `BufferError`: an exporter whose layout does not fit its bytes, a request
    /// (a contiguous slice) the view cannot satisfy.
    BufferError,
    /// Python's `OverflowError`: a float too large for a standard-size or half-precision
    /// field (as the `struct` module raises).
    OverflowError,
    /// Python's `MemoryError`: a result too large to allocate ([`tolist`] of a view with more
    /// items than memory can hold, e.g. `2**62` zero-stride items of one byte).
    ///
    /// [`tolist`]: super::ViewBase::tolist
    MemoryError,
}

impl ErrorKind {
    /// The Python name of the exception class (`"TypeError"`, ...).
    ///
    /// ```
    /// use buffer_runtime::view::ErrorKind;
    /// assert_eq!(ErrorKind::NotImplementedError.name(), "NotImplementedError");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::TypeError => "TypeError",
            ErrorKind::ValueError => "ValueError",
            ErrorKind::IndexError => "IndexError",
            ErrorKind::NotImplementedError => "NotImplementedError",
            ErrorKind::BufferError => "BufferError",
            ErrorKind::OverflowError => "OverflowError",
            ErrorKind::MemoryError => "MemoryError",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An error from a [`MemoryView`](super::MemoryView) operation: the CPython exception class
/// and, where CPython has one for the same failure, CPython's message text.
///
/// `Display` prints the message alone, as `str(exc)` does in Python.
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
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewError {
    kind: ErrorKind,
    message: Cow<'static, str>,
}

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
        }
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
impl std::error::Error for ViewError {}

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
