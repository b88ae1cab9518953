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
//! # Where each part lives
//!
//! | file | what it holds |
//! |------|---------------|
//! | `error.rs` | [`FormatError`] (a rejected format) and [`CodecError`] (an item not packed or unpacked) |
//! | `code.rs` | [`Code`] and its table: text, native and standard sizes, and CPython's memoryview-native rule ([`Code::memoryview_native`], [`simple_native`]) |
//! | `model.rs` | the parsed model: [`Format`], [`Item`], [`Kind`], [`Prefix`], [`Endian`] |
//! | `value.rs` | [`Value`] and [`Fields`] |
//! | `repr.rs` | `Display` of a [`Value`]: Python's repr |
//! | `float.rs` | IEEE half (`e`) and x87 long double (`g`) conversions |
//! | `layout.rs` | [`Format::layout`] → [`ItemLayout`]: sizes, alignments, offsets |
//! | `parse.rs` | [`parse`] (also `str::parse::<Format>`) |
//! | `render.rs` | `Display` of a [`Format`] |
//! | `compare.rs` | [`compare`] and its [`TypeMismatch`], for typed access |
//! | `unpack.rs` | [`unpack`]: bytes → [`Value`] |
//! | `pack.rs` | [`pack`]: [`Value`] → bytes, with CPython's messages |
//!
//! Each file uses only files above it in this table, never one below (`parse` lays every format
//! out once, so it comes after `layout`).
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

mod code;
mod compare;
mod error;
mod float;
mod layout;
mod model;
mod pack;
mod parse;
mod render;
mod repr;
#[cfg(test)]
mod tests;
mod unpack;
mod value;

pub use code::{simple_native, Code};
pub use compare::{compare, MatchNames, MismatchKind, TypeMismatch};
pub use error::{CodecError, FormatError};
pub use layout::{FieldLayout, ItemLayout, Node, Scalar};
pub use model::{Endian, Format, Item, Kind, Prefix};
pub use pack::pack;
pub use parse::parse;
pub use unpack::unpack;
pub(crate) use unpack::unpack_element;
pub use value::{Fields, FieldsIter, Value};
