//! The kind of every error of the crate: the Python exception class it corresponds to, shared
//! by the view's [`ViewError`](crate::ViewError) and the item codec's
//! [`CodecError`](crate::format::CodecError).

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
    /// non-contiguous view, a write to read-only memory, a value of the wrong type). From the
    /// item codec, also `struct.error` for "required argument is not an integer".
    TypeError,
    /// Python's `ValueError`: an argument of the right type but a wrong value (a value out of
    /// range for the format, a bad `order`, a bad separator, a wrong length, too few bytes).
    /// From the item codec, also `struct.error` for a range ("... format requires ...",
    /// "argument out of range", "int too large to convert").
    ValueError,
    /// Python's `IndexError`: an index outside its dimension.
    IndexError,
    /// Python's `NotImplementedError`: something CPython's memoryview does not do. Our view
    /// raises it only where CPython does and we keep its behaviour on purpose; the item codec
    /// for what it cannot read or write (bit fields `t`, IEEE quad `g`, undecodable
    /// characters).
    NotImplementedError,
    /// Python's `BufferError`: an exporter whose layout does not fit its bytes, a request
    /// (a contiguous slice) the view cannot satisfy.
    BufferError,
    /// Python's `OverflowError`: a float too large for a standard-size or half-precision
    /// field (as the `struct` module raises; an int too large for them is `struct.error: int
    /// too large to convert`, a [`ValueError`](Self::ValueError)).
    OverflowError,
    /// Python's `MemoryError`: a result too large to allocate ([`tolist`] of a view with more
    /// items than memory can hold, e.g. `2**62` zero-stride items of one byte).
    ///
    /// [`tolist`]: crate::view::ViewBase::tolist
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
