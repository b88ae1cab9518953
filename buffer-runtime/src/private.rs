//! Helpers for the code that `#[derive(BufferExport)]` generates. Not a public API: names and
//! signatures change without notice. Everything here is `const fn`, so that formats, shapes and
//! layout checks are computed once, at compile time, in the user's crate.

pub use core;
pub use zerocopy;

use core::ffi::CStr;

/// The capacity of a format string built for a generic type, whose exact length cannot size
/// an array on stable Rust. Non-generic types get a buffer of their exact length instead.
pub const GENERIC_FORMAT_CAPACITY: usize = 4096;

/// A fixed-capacity byte string built in `const` context: the format string of a derived
/// type is assembled from its fields' formats with it.
///
/// A `FmtBuf` always keeps one spare byte so that [`FmtBuf::as_cstr`] can return the string
/// with its terminating NUL (the array is zero-filled, so the byte after the text is NUL).
#[derive(Clone, Copy)]
pub struct FmtBuf<const N: usize> {
    bytes: [u8; N],
    len: usize,
}

impl<const N: usize> FmtBuf<N> {
    /// An empty string.
    pub const fn new() -> Self {
        FmtBuf {
            bytes: [0; N],
            len: 0,
        }
    }

    /// Appends `s`. Fails compilation (a const panic) when the capacity is exceeded.
    pub const fn push(mut self, s: &str) -> Self {
        let b = s.as_bytes();
        if self.len + b.len() + 1 > N {
            panic!("buffer-runtime: a format string is longer than its buffer (4096 bytes for a generic type)");
        }
        let mut i = 0;
        while i < b.len() {
            self.bytes[self.len] = b[i];
            self.len += 1;
            i += 1;
        }
        self
    }

    /// Appends the decimal digits of `n`.
    pub const fn push_usize(self, n: usize) -> Self {
        let mut digits = [0u8; 20];
        let mut k = 0;
        let mut m = n;
        loop {
            digits[k] = b'0' + (m % 10) as u8;
            k += 1;
            m /= 10;
            if m == 0 {
                break;
            }
        }
        let mut s = self;
        if s.len + k + 1 > N {
            panic!("buffer-runtime: a format string is longer than its buffer");
        }
        while k > 0 {
            k -= 1;
            s.bytes[s.len] = digits[k];
            s.len += 1;
        }
        s
    }

    /// Appends a sub-array prefix such as `(4,4)` for `shape`; nothing for an empty shape.
    pub const fn push_shape(self, shape: &[usize]) -> Self {
        if shape.is_empty() {
            return self;
        }
        let mut s = self.push("(");
        let mut i = 0;
        while i < shape.len() {
            if i > 0 {
                s = s.push(",");
            }
            s = s.push_usize(shape[i]);
            i += 1;
        }
        s.push(")")
    }

    /// The length of the text, without the terminating NUL.
    pub const fn len(&self) -> usize {
        self.len
    }

    /// Whether nothing was pushed.
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The text.
    pub const fn as_str(&self) -> &str {
        let (text, _) = self.bytes.split_at(self.len);
        match core::str::from_utf8(text) {
            Ok(s) => s,
            // Only `&str`s are pushed, and they are pushed whole.
            Err(_) => panic!("buffer-runtime: format text is not UTF-8"),
        }
    }

    /// The text with its terminating NUL.
    pub const fn as_cstr(&self) -> &CStr {
        let (text, _) = self.bytes.split_at(self.len + 1);
        match CStr::from_bytes_with_nul(text) {
            Ok(s) => s,
            Err(_) => panic!("buffer-runtime: a format string contains a NUL byte"),
        }
    }

    /// Copies the text into a buffer of another capacity (used to shrink a buffer to the
    /// exact length of its text).
    pub const fn resize<const M: usize>(&self) -> FmtBuf<M> {
        FmtBuf::<M>::new().push(self.as_str())
    }
}

impl<const N: usize> Default for FmtBuf<N> {
    fn default() -> Self {
        Self::new()
    }
}

/// The most dimensions a buffer may have (CPython's `PyBUF_MAX_NDIM`).
pub const MAX_NDIM: usize = 64;

/// A fixed-capacity list of dimensions built in `const` context (the shape of nested arrays).
#[derive(Clone, Copy)]
pub struct DimsBuf<T: Copy> {
    items: [T; MAX_NDIM],
    len: usize,
}

impl DimsBuf<usize> {
    /// An empty shape.
    pub const fn new() -> Self {
        DimsBuf {
            items: [0; MAX_NDIM],
            len: 0,
        }
    }

    /// `[first] ++ rest`.
    pub const fn prepend(first: usize, rest: &[usize]) -> Self {
        let mut d = Self::new();
        if rest.len() + 1 > MAX_NDIM {
            panic!("buffer-runtime: more than 64 dimensions");
        }
        d.items[0] = first;
        let mut i = 0;
        while i < rest.len() {
            d.items[i + 1] = rest[i];
            i += 1;
        }
        d.len = rest.len() + 1;
        d
    }

    /// The dimensions.
    pub const fn as_slice(&self) -> &[usize] {
        self.items.split_at(self.len).0
    }
}

impl DimsBuf<isize> {
    /// C-order byte strides for `shape` and items of `itemsize` bytes.
    pub const fn c_strides(shape: &[usize], itemsize: usize) -> Self {
        let mut d = DimsBuf {
            items: [0isize; MAX_NDIM],
            len: shape.len(),
        };
        let mut step = itemsize;
        let mut i = shape.len();
        while i > 0 {
            i -= 1;
            d.items[i] = step as isize;
            step *= shape[i];
        }
        d
    }

    /// The strides.
    pub const fn as_slice(&self) -> &[isize] {
        self.items.split_at(self.len).0
    }
}

/// The product of `shape` (the number of items).
pub const fn product(shape: &[usize]) -> usize {
    let mut p = 1;
    let mut i = 0;
    while i < shape.len() {
        p *= shape[i];
        i += 1;
    }
    p
}

/// The byte-order character of this target for explicit, standard-size field formats.
#[cfg(target_endian = "little")]
pub const NATIVE_ORDER: &str = "<";
/// The byte-order character of this target for explicit, standard-size field formats.
#[cfg(target_endian = "big")]
pub const NATIVE_ORDER: &str = ">";
