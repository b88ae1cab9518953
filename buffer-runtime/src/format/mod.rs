//! The PEP 3118 format-string model: parser, renderer, layout and item codec.
//!
//! A buffer's *format* describes one item: `"B"` is an unsigned byte, `"<d"` a little-endian
//! double, `"T{<d:price:<I:qty:4x}"` a 16-byte record. This module turns such a string into a
//! [`Format`] ([`parse`]), back into a string (`Display`), into the position and size of
//! every field ([`Format::layout`] → [`ItemLayout`]), and reads and writes items as dynamic
//! [`Value`]s ([`unpack`], [`pack`]). [`compare`] checks that two formats describe the same
//! bytes, for typed access.
//!
//! ```
//! use buffer_runtime::format::{parse, unpack, Value};
//!
//! let f = parse("T{<h:x:<h:y:}").unwrap();
//! let layout = f.layout().unwrap();
//! assert_eq!((layout.size(), layout.align()), (4, 1));
//! let v = unpack(&layout, &[1, 0, 0xff, 0xff]).unwrap();
//! assert_eq!(v.field("y"), Some(&Value::Int(-1)));
//! assert_eq!(f.to_string(), "T{<h:x:h:y:}");
//! ```
//!
//! # Grammar
//!
//! ```text
//! format  := item* [prefix]              (whitespace may separate any two tokens; a final
//!                                         prefix alone is allowed, as struct allows "<")
//! item    := [prefix] [shape] [prefix] [count] kind [':' name ':']
//!            (at most one prefix per item: before or after the shape)
//! prefix  := '@' | '=' | '<' | '>' | '!' | '^'
//! shape   := '(' number (',' number)* ')'          e.g. (2,3): a sub-array
//! count   := digits                                 no whitespace between count and kind
//! kind    := code | 'T{' item* '}' | '&' target
//! target  := [prefix] [shape] [prefix] [count] kind (an item without a name)
//! code    := 'x' 'c' 'b' 'B' '?' 'h' 'H' 'i' 'I' 'l' 'L' 'q' 'Q' 'n' 'N' 'e' 'f' 'd' 'g'
//!            's' 'p' 'P' 'u' 'w' 'O' 't' 'Zf' 'Zd' 'Zg'
//! name    := any characters but ':' (at least one); unique within one struct
//! ```
//!
//! PEP 3118's function pointers (`X{}`) are not supported: they are rejected with an error
//! that says so, as numpy rejects them.
//!
//! What a count means depends on the code: for `s` and `p` it is the length of one byte
//! string (`4s`), for `u` and `w` the length of one UCS-2/UCS-4 string (numpy's reading), for
//! `x` the number of pad bytes, for `t` the number of bits; for every other kind it repeats
//! the item (`4i` is four ints, read as a 4-element sub-array, as numpy does). `(2,3)4i` is a
//! sub-array of shape `(2, 3, 4)`. `&` is a pointer to the item that follows it (`&i`, `&T{..}`):
//! it has the size of a native pointer whatever the pointee.
//!
//! # Prefixes
//!
//! A prefix stays in force until the next one, across `T{` and `}` both ways: `T{<i}h` reads
//! the `h` as little-endian. This is how numpy's parser reads prefixes (its byte order lives on
//! the parse stream, not on a struct), so we follow it; a format that gives every field its own
//! prefix (as ctypes and our derive emit) means the same under any scoping rule.
//!
//! | prefix | byte order | sizes    | alignment |
//! |--------|------------|----------|-----------|
//! | `@`    | native     | native   | native (the default at the start of a format) |
//! | `^`    | native     | native   | none      |
//! | `=`    | native     | standard | none      |
//! | `<`    | little     | standard | none      |
//! | `>` `!`| big        | standard | none      |
//!
//! Standard sizes: `x c b B ? s p t` 1, `h H e u` 2, `i I l L f w` 4, `q Q d Zf` 8, `Zd` 16.
//! `n N P g Zg` have no standard size and are rejected under `= < > !` (as `struct` rejects
//! `n N P` and numpy rejects `g Zg`); `O` and `&` are a native pointer under every prefix
//! (numpy accepts `<O`). Native sizes and alignments are the target's C types
//! (`l` is `c_long`: 8 bytes on LP64 Linux, 4 on Windows).
//!
//! # Layout: `struct` semantics, numpy semantics
//!
//! The top level of a format is laid out like the `struct` module: under `@` every field is
//! aligned to its native alignment and **no padding is added at the end** (`"ic"` is 5 bytes,
//! `"ci"` 8). A `T{...}` is laid out like numpy's `_dtype_from_pep3118`: fields under `@` are
//! aligned the same way, and the struct is padded at the end to the least common multiple of
//! its `@` fields' alignments when `@` is in force at its `}` (`"T{ic}"` is 8 bytes). A
//! struct's alignment is that multiple (1 when no field is under `@`), and it is aligned by it
//! in its parent when `@` is in force at its `}`.
//!
//! Where `struct` and numpy differ, and what we do (each case is counted by the replay of
//! `tests/vectors/format_vectors.json`, made from CPython 3.11's `struct` and numpy 2):
//!
//! * **Trailing padding of a flat `@` format** (`"ic"`): `struct` says 5 bytes, numpy 8 (numpy
//!   reads every format as a struct). We say 5 at the top level: a flat format is `struct`'s
//!   language, CPython's memoryview and `struct.calcsize` agree on it, and an exporter whose
//!   itemsize is 5 must be readable. Inside `T{}` we say 8, as numpy does. The derive emits
//!   explicit `x` padding, so its formats mean the same under both.
//! * **Codes numpy rejects** (`n N P p u & t`): we accept them with `struct`'s meaning
//!   (`n N P p`), or PEP 3118's (`u` UCS-2, `&` pointer, `t` bits: `Nt` takes `ceil(N / 8)`
//!   bytes, aligned to 1; the codec reports bit fields as unsupported).
//! * **Whitespace** between tokens: `struct` skips it, numpy rejects it; we skip it (but not
//!   between a count and its code: `"4 i"` is an error, as in `struct`).
//! * **What `struct` rejects** (`T{} : ( ) Z g u w O & t`, the `^` prefix, prefixes after the
//!   first character): we accept it as PEP 3118 and numpy define it.
//! * **Shape before prefix**: numpy reads `(2)<i` but rejects `<(2)i`; we accept both and render
//!   `(2)<i`, so numpy reads what we write.
//! * **A final prefix alone** (`"<"`, `"i>"`): `struct` reads `"<"` as an empty format, numpy
//!   raises; we accept it at the top level, where it changes nothing, and reject it before `}`.
//! * **Malformed structs**: numpy accepts an unclosed `T{` and a stray `}`; we reject both.
//! * **Zero-size sub-arrays**: numpy cannot nest an empty sub-array in a shape (`(2)0i`,
//!   `(1,2)0T{}`: "invalid itemsize in generic type tuple"); we lay them out as 0 bytes.
//! * **Counts**: `struct` reads `2i` as two separate values, numpy as one 2-element sub-array
//!   field; the layout is the same, and [`unpack`] follows numpy (an [`Value::Array`]).
//!   `4w` is one 4-character string (numpy), and so is `4u`.
//! * **Prefix scope**: see above (numpy's: a prefix leaks out of `T{}`).
//! * **Field names**: duplicates are rejected (numpy raises too); empty names (`::`, which
//!   numpy accepts) are rejected.
//! * **`O` and `&` under `= < > !`**: a native pointer (numpy accepts `<O` with that size).
//! * **Strings**: `s` unpacks to exactly its bytes, as in `struct` (numpy strips trailing
//!   NULs). `u` and `w` (which CPython does not unpack) follow numpy's `U`: trailing NULs
//!   are stripped (`3w` holding `"xy\0"` is `'xy'`), inner ones kept. `0p` unpacks to
//!   `b''` (CPython 3.11's `struct` raises SystemError).
//! * **Long double `g`**: native size and alignment of C `long double` (16/16 on x86-64 Linux and
//!   aarch64 Linux, 12/4 on 32-bit x86 Linux, 8/8 on Windows and Apple). The codec reads x87
//!   80-bit extended values (x86) and 64-bit ones, rounding to `f64` as numpy's `float()` does,
//!   and writes an `f64` exactly; IEEE quad (aarch64 Linux) is reported as unsupported.
//!
//! # Codec
//!
//! [`unpack`] and [`pack`] read and write one item through its [`ItemLayout`] (no re-parsing),
//! honouring each field's byte order. `pack` checks ranges and reports CPython's messages:
//! memoryview's for a plain native format (`"memoryview: invalid value for format 'h'"`),
//! `struct.pack`'s for the rest (`"short format requires -32768 <= number <= 32767"`). Half
//! floats (`e`) and x87 long doubles are converted by hand, rounding to nearest even.
//! A struct unpacks to a [`Value::Struct`] of [`Fields`]: its values, and its layout's table
//! of field names, shared by every item unpacked through that layout (no name is copied per
//! item).
//!
//! # Typed access
//!
//! [`compare`] checks a buffer's layout against an expected one (a Rust element's) by scalar
//! kind, size, byte order and offset, like Cython's buffer check, and words its error the same
//! way: `Buffer dtype mismatch, expected 'd' but got 'f' at offset 8`. [`simple_native`]
//! recognises the formats CPython's memoryview handles natively.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

mod compare;
mod error;
mod float;
mod layout;
mod pack;
mod parse;
mod render;
mod repr;
#[cfg(test)]
mod tests;
mod unpack;
mod value;

pub use error::{CodecError, CodecErrorKind, FormatError};
pub use pack::pack;
pub(crate) use unpack::unpack_element;
pub use unpack::unpack;
pub use value::{Fields, FieldsIter, Value};
pub use compare::{compare, LayoutMismatch, MatchNames, MismatchKind};
pub use layout::{simple_native, Endian, FieldLayout, ItemLayout, Leaf, Leaves, Node, Scalar};
pub use parse::parse;

/// A byte-order, size and alignment prefix (see the [module docs](self#prefixes)).
///
/// ```
/// use buffer_runtime::format::Prefix;
///
/// assert_eq!(Prefix::from_char('!'), Some(Prefix::Big));
/// assert_eq!(Prefix::Little.as_char(), '<');
/// assert!(Prefix::Native.aligns() && !Prefix::NativeUnaligned.aligns());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Prefix {
    /// `@`: native byte order, native sizes, native alignment. In force at the start.
    Native,
    /// `^`: native byte order and sizes, no alignment.
    NativeUnaligned,
    /// `=`: native byte order, standard sizes, no alignment.
    Standard,
    /// `<`: little-endian, standard sizes, no alignment.
    Little,
    /// `>` or `!`: big-endian, standard sizes, no alignment.
    Big,
}

impl Prefix {
    /// The prefix of a character (`!` is [`Prefix::Big`]), or `None`.
    ///
    /// ```
    /// # use buffer_runtime::format::Prefix;
    /// assert_eq!(Prefix::from_char('^'), Some(Prefix::NativeUnaligned));
    /// assert_eq!(Prefix::from_char('i'), None);
    /// ```
    pub const fn from_char(c: char) -> Option<Prefix> {
        match c {
            '@' => Some(Prefix::Native),
            '^' => Some(Prefix::NativeUnaligned),
            '=' => Some(Prefix::Standard),
            '<' => Some(Prefix::Little),
            '>' | '!' => Some(Prefix::Big),
            _ => None,
        }
    }

    /// The character that writes this prefix (`>` for [`Prefix::Big`]).
    ///
    /// ```
    /// # use buffer_runtime::format::Prefix;
    /// assert_eq!(Prefix::Standard.as_char(), '=');
    /// ```
    pub const fn as_char(self) -> char {
        match self {
            Prefix::Native => '@',
            Prefix::NativeUnaligned => '^',
            Prefix::Standard => '=',
            Prefix::Little => '<',
            Prefix::Big => '>',
        }
    }

    /// Whether sizes are native (`@ ^`) rather than standard (`= < > !`).
    ///
    /// ```
    /// # use buffer_runtime::format::Prefix;
    /// assert!(Prefix::NativeUnaligned.native_sizes() && !Prefix::Standard.native_sizes());
    /// ```
    pub const fn native_sizes(self) -> bool {
        matches!(self, Prefix::Native | Prefix::NativeUnaligned)
    }

    /// Whether fields are aligned (only `@`).
    ///
    /// ```
    /// # use buffer_runtime::format::Prefix;
    /// assert!(Prefix::Native.aligns() && !Prefix::Little.aligns());
    /// ```
    pub const fn aligns(self) -> bool {
        matches!(self, Prefix::Native)
    }

    /// The byte order this prefix selects on this target.
    ///
    /// ```
    /// # use buffer_runtime::format::{Endian, Prefix};
    /// assert_eq!(Prefix::Big.endian(), Endian::Big);
    /// assert_eq!(Prefix::Standard.endian(), Endian::NATIVE);
    /// ```
    pub const fn endian(self) -> Endian {
        match self {
            Prefix::Little => Endian::Little,
            Prefix::Big => Endian::Big,
            _ => Endian::NATIVE,
        }
    }
}

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
    /// `&`: a pointer to another item. Only in layouts ([`Scalar::code`]): the model keeps
    /// the pointee in [`Kind::Pointer`].
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
        layout::native_size_align(self).0
    }

    /// The native alignment in bytes.
    ///
    /// ```
    /// # use buffer_runtime::format::Code;
    /// assert_eq!(Code::Double.native_align(), core::mem::align_of::<f64>());
    /// assert_eq!(Code::Bytes.native_align(), 1);
    /// ```
    pub const fn native_align(self) -> usize {
        layout::native_size_align(self).1
    }

    /// The standard size in bytes (under `= < > !`), or `None` for `n N P g Zg`.
    ///
    /// ```
    /// # use buffer_runtime::format::Code;
    /// assert_eq!(Code::Half.standard_size(), Some(2));
    /// assert_eq!(Code::SSize.standard_size(), None);
    /// ```
    pub const fn standard_size(self) -> Option<usize> {
        layout::standard_size(self)
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

/// A parsed format: the sequence of items at its top level.
///
/// Build one with [`parse`]; `to_string()` writes it back (`parse(&f.to_string()) == Ok(f)`).
///
/// ```
/// use buffer_runtime::format::{parse, Code, Format, Item, Kind, Prefix};
///
/// let f = parse("<2h").unwrap();
/// assert_eq!(
///     f,
///     Format { items: vec![Item { prefix: Prefix::Little, count: 2, ..Item::code(Code::Short) }] }
/// );
/// assert_eq!(f.to_string(), "<2h");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct Format {
    /// The items, in order.
    pub items: Vec<Item>,
}

impl core::str::FromStr for Format {
    type Err = FormatError;

    /// [`parse`] as `str::parse`.
    ///
    /// ```
    /// use buffer_runtime::format::Format;
    ///
    /// let f: Format = "<2h".parse().unwrap();
    /// assert_eq!(f.to_string(), "<2h");
    /// assert!("T{".parse::<Format>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Format, FormatError> {
        parse(s)
    }
}

/// One item of a format: `(2,3)<4i:name:`.
///
/// Invariants that [`parse`] guarantees and that `Display` relies on to round-trip: names are
/// non-empty, contain no `:`, are unique within one struct (or the top level), and a pointer's
/// target has none; `n N P g Zg` appear only under `@` or `^`.
///
/// ```
/// use buffer_runtime::format::{Code, Item, Kind, Prefix};
///
/// let item = Item { shape: vec![2, 3], name: Some("m".into()), ..Item::code(Code::Float) };
/// assert_eq!(item.kind, Kind::Code(Code::Float));
/// assert_eq!(item.prefix, Prefix::Native);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Item {
    /// The sub-array shape written `(2,3)`; empty when there is none.
    pub shape: Vec<usize>,
    /// The prefix in force for this item (explicit or inherited). For a struct, the prefix
    /// in force at its `T{`.
    pub prefix: Prefix,
    /// The count written before the kind; 1 when there is none (`1i` and `i` are equal).
    pub count: usize,
    /// What the item is.
    pub kind: Kind,
    /// The field name written `:name:`.
    pub name: Option<String>,
}

impl Item {
    /// An unnamed, unrepeated item of `code` under `@`.
    ///
    /// ```
    /// # use buffer_runtime::format::{Code, Item};
    /// assert_eq!(Item::code(Code::Int).count, 1);
    /// ```
    pub fn code(code: Code) -> Item {
        Item {
            shape: Vec::new(),
            prefix: Prefix::Native,
            count: 1,
            kind: Kind::Code(code),
            name: None,
        }
    }
}

/// The kind of an [`Item`].
///
/// ```
/// use buffer_runtime::format::{parse, Code, Kind};
///
/// let f = parse("&T{i}").unwrap();
/// let Kind::Pointer(target) = &f.items[0].kind else { panic!() };
/// let Kind::Struct(fields) = &target.kind else { panic!() };
/// assert_eq!(fields[0].kind, Kind::Code(Code::Int));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A format code. Never [`Code::Ref`]: pointers are [`Kind::Pointer`].
    Code(Code),
    /// `T{...}`: a struct of these items.
    Struct(Vec<Item>),
    /// `&target`: a pointer to an item.
    Pointer(Box<Item>),
}
