//! Helpers for the code that `#[derive(BufferExport)]` generates. Not a public API: names and
//! signatures change without notice. Everything here is `const fn`, so that formats, shapes and
//! layout checks are computed once, at compile time, in the user's crate.

pub use core;
pub use zerocopy;

pub use crate::element::FieldType;

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

pub use crate::geometry::MAX_NDIM;

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

impl Default for DimsBuf<usize> {
    fn default() -> Self {
        Self::new()
    }
}

impl DimsBuf<isize> {
    /// C-order byte strides for `shape` and items of `itemsize` bytes.
    pub const fn c_strides(shape: &[usize], itemsize: usize) -> Self {
        let mut d = DimsBuf {
            items: [0isize; MAX_NDIM],
            len: shape.len(),
        };
        crate::geometry::c_strides_into(shape, itemsize, d.items.split_at_mut(shape.len()).0);
        d
    }

    /// The strides.
    pub const fn as_slice(&self) -> &[isize] {
        self.items.split_at(self.len).0
    }
}

pub use crate::geometry::product;

/// The byte-order character of this target for explicit, standard-size field formats.
#[cfg(target_endian = "little")]
pub const NATIVE_ORDER: &str = "<";
/// The byte-order character of this target for explicit, standard-size field formats.
#[cfg(target_endian = "big")]
pub const NATIVE_ORDER: &str = ">";

/// The number of decimal digits of `n`.
pub const fn decimal_len(n: usize) -> usize {
    let mut digits = 1;
    let mut m = n / 10;
    while m > 0 {
        digits += 1;
        m /= 10;
    }
    digits
}

/// The length of the sub-array prefix [`FmtBuf::push_shape`] writes for `shape`: `(4,4)` is 5.
pub const fn shape_text_len(shape: &[usize]) -> usize {
    if shape.is_empty() {
        return 0;
    }
    // The parentheses, and a comma between two numbers.
    let mut len = 2 + shape.len() - 1;
    let mut i = 0;
    while i < shape.len() {
        len += decimal_len(shape[i]);
        i += 1;
    }
    len
}

/// The capacity of a layout error message built at compile time.
pub const MESSAGE_CAPACITY: usize = 1024;

/// A layout error message. Field names longer than the capacity allows are cut short, so that
/// building the message never fails with a message of its own.
pub type Message = FmtBuf<MESSAGE_CAPACITY>;

/// Appends `s`, or as much of it as fits (whole characters only), leaving room for `reserve`
/// more bytes.
const fn push_fitting(mut m: Message, s: &str, reserve: usize) -> Message {
    let room = MESSAGE_CAPACITY - 1 - reserve;
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        // The length of the UTF-8 sequence that starts at `b[i]` (`s` is valid UTF-8).
        let width = match b[i] {
            0x00..=0x7f => 1,
            0xc0..=0xdf => 2,
            0xe0..=0xef => 3,
            _ => 4,
        };
        if m.len + width > room {
            break;
        }
        let mut k = 0;
        while k < width {
            m.bytes[m.len] = b[i + k];
            m.len += 1;
            k += 1;
        }
        i += width;
    }
    m
}

/// The bytes of implicit padding between the end of one field (`prev_end`) and the start of
/// the next (`offset`); 0 when they touch.
pub const fn gap(offset: usize, prev_end: usize) -> usize {
    offset.saturating_sub(prev_end)
}

/// The error for `gap` bytes of implicit padding before field `field` (written as in the
/// source: `b`, or `1` for a tuple field).
pub const fn padding_before(gap: usize, field: &str) -> Message {
    let m = Message::new()
        .push_usize(gap)
        .push(" byte(s) of implicit padding before field `");
    let m = push_fitting(m, field, 400);
    let m = m
        .push("`: Python would read uninitialised bytes. Add an explicit padding field `#[buffer(padding)] _pad: [u8; ")
        .push_usize(gap)
        .push("]` before `");
    let m = push_fitting(m, field, 60);
    m.push("`, or reorder the fields")
}

/// The error for `gap` bytes of implicit padding after the last field `field`, which round the
/// struct's size up to a multiple of its alignment `align`.
pub const fn padding_after(gap: usize, field: &str, align: usize) -> Message {
    let m = Message::new()
        .push_usize(gap)
        .push(" byte(s) of implicit padding after field `");
    let m = push_fitting(m, field, 400);
    let m = m
        .push("` (the struct's size is rounded up to its alignment, ")
        .push_usize(align)
        .push("): Python would read uninitialised bytes. Add an explicit padding field `#[buffer(padding)] _pad: [u8; ")
        .push_usize(gap)
        .push("]` after `");
    let m = push_fitting(m, field, 60);
    m.push("`, or reorder the fields")
}

/// Compiles only if `T` may be a field of a derived struct. Never called at run time.
pub const fn assert_field<T: crate::FieldType>() {}

/// Compiles only if `T` is a [`FieldType`](crate::FieldType): asserted for a generic parameter
/// used as a field (or as the item of an array field), so that the compiler suggests a bound
/// (`T: Element`, or `T: FieldType` to accept arrays too) on the parameter.
pub const fn assert_element<T: crate::FieldType>() {}

/// One piece of a derived struct's format. The generated code lists each field's pieces in a
/// constant spanned at the field (so a field type without a format is reported once, there),
/// and [`pieces_len`] / [`pieces_build`] assemble the lists.
#[derive(Clone, Copy)]
pub enum Piece {
    /// Literal text: `T{`, a field's item format such as `<I`, a name such as `:qty:`.
    Text(&'static str),
    /// A sub-array prefix such as `(4,4)`; nothing for an empty shape.
    Shape(&'static [usize]),
    /// A decimal number (the `N` of `Nx`).
    Number(usize),
}

/// The length of the text of `pieces`: the first of the two passes that give a non-generic
/// type a format buffer of its exact length.
pub const fn pieces_len(pieces: &[&[Piece]]) -> usize {
    let mut n = 0;
    let mut j = 0;
    while j < pieces.len() {
        let mut i = 0;
        while i < pieces[j].len() {
            n += match pieces[j][i] {
                Piece::Text(s) => s.len(),
                Piece::Shape(s) => shape_text_len(s),
                Piece::Number(k) => decimal_len(k),
            };
            i += 1;
        }
        j += 1;
    }
    n
}

/// The text of `pieces` in a buffer of capacity `N` (at least `pieces_len(pieces) + 1`).
///
/// Fails compilation (a const panic) when the text does not fit, which only a generic type's
/// format can do (non-generic types get a buffer of their exact length).
pub const fn pieces_build<const N: usize>(pieces: &[&[Piece]]) -> FmtBuf<N> {
    if pieces_len(pieces) + 1 > N {
        panic!(
            "buffer-runtime: the format of this generic `#[derive(BufferExport)]` type is longer than \
             GENERIC_FORMAT_CAPACITY (4095 characters), the buffer a generic type's format is built \
             in: shorten its field names (`#[buffer(rename = \"...\")]`), or export a non-generic \
             type, whose format gets a buffer of its exact length"
        );
    }
    let mut b = FmtBuf::<N>::new();
    let mut j = 0;
    while j < pieces.len() {
        let mut i = 0;
        while i < pieces[j].len() {
            b = match pieces[j][i] {
                Piece::Text(s) => b.push(s),
                Piece::Shape(s) => b.push_shape(s),
                Piece::Number(k) => b.push_usize(k),
            };
            i += 1;
        }
        j += 1;
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_messages_name_the_field_and_the_fix() {
        let m = padding_before(3, "b");
        assert_eq!(
            m.as_str(),
            "3 byte(s) of implicit padding before field `b`: Python would read uninitialised \
             bytes. Add an explicit padding field `#[buffer(padding)] _pad: [u8; 3]` before `b`, \
             or reorder the fields"
        );
        let m = padding_after(12, "c", 16);
        assert!(m.as_str().starts_with("12 byte(s) of implicit padding after field `c` (the struct's size is rounded up to its alignment, 16)"));
        assert!(m
            .as_str()
            .ends_with("_pad: [u8; 12]` after `c`, or reorder the fields"));
    }

    #[test]
    fn long_field_names_are_cut_on_char_boundaries() {
        let long = "é".repeat(2000);
        let m = padding_before(1, &long);
        assert!(m.len() < MESSAGE_CAPACITY);
        assert!(m.as_str().ends_with(", or reorder the fields"));
        assert!(m.as_str().contains("ééé"));
    }

    #[test]
    fn counting_and_building_agree() {
        const PIECES: &[&[Piece]] = &[
            &[Piece::Text("T{")],
            &[Piece::Shape(&[4, 10, 123]), Piece::Text("<f:m:")],
            &[],
            &[Piece::Number(0), Piece::Text("x")],
            &[Piece::Shape(&[]), Piece::Number(1234567), Piece::Text("x}")],
        ];
        const LEN: usize = pieces_len(PIECES);
        const BUF: FmtBuf<{ LEN + 1 }> = pieces_build(PIECES);
        assert_eq!(BUF.as_str(), "T{(4,10,123)<f:m:0x1234567x}");
        assert_eq!(LEN, BUF.as_str().len());
        assert_eq!(BUF.as_cstr().to_bytes(), BUF.as_str().as_bytes());
        for n in [0, 9, 10, 99, 100, 1234567, usize::MAX] {
            assert_eq!(
                decimal_len(n),
                FmtBuf::<32>::new().push_usize(n).len(),
                "{n}"
            );
        }
        for shape in [&[][..], &[0], &[7], &[12, 3], &[1, 22, 333]] {
            let built = FmtBuf::<64>::new().push_shape(shape);
            assert_eq!(shape_text_len(shape), built.len(), "{shape:?}");
        }
    }
}
