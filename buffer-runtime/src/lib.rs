//! Python's buffer protocol (PEP 3118) for Rust types.
//!
//! `#[buffer_runtime::export]` (or `#[derive(BufferExport)]` beside zerocopy's derives) gives a
//! `#[repr(C)]` struct a compile-time format string, item size, shape and strides, and rejects
//! at compile time any layout that Python could misread (implicit padding) or corrupt (writing
//! an invalid `bool`).
//!
//! # Example
//!
//! ```
//! use buffer_runtime::{BufferExport, Element};
//!
//! #[buffer_runtime::export]
//! #[repr(C)]
//! #[derive(Clone)]
//! struct Trade {
//!     price: f64,
//!     qty: u32,
//!     #[buffer(padding)]
//!     _pad: [u8; 4],
//! }
//!
//! let le = cfg!(target_endian = "little");
//! assert_eq!(Trade::FORMAT, if le { "T{<d:price:<I:qty:4x}" } else { "T{>d:price:>I:qty:4x}" });
//! assert_eq!(<Trade as buffer_runtime::StaticBufferLayout>::ITEMSIZE, 16);
//!
//! let book = vec![Trade { price: 1.5, qty: 10, _pad: [0; 4] }; 3];
//! assert_eq!(&*book.buffer_layout().shape, &[3]);
//! ```
//!
//! The attribute needs only this crate as a dependency (it derives zerocopy's traits through
//! the re-export [`zerocopy`]). The equivalent long form, with zerocopy as a dependency of
//! your own (`zerocopy = { version = "0.8", features = ["derive"] }`), is
//! `#[derive(BufferExport, IntoBytes, FromBytes, Immutable)]`; see [`export`] and
//! [`BufferExport`](derive@BufferExport).
//!
//! # Features
//!
//! `std` (default), `alloc`, `derive` (default: the macros, and zerocopy's derives), `pyo3`,
//! `ndarray`, `rayon`, `memmap2`, `npy`, and one feature per crate whose types we adapt:
//! `half` (`f16` items), `num-complex` (`Complex<f32>`/`Complex<f64>`), `image`
//! (`ImageBuffer`), `nalgebra` (matrices), each a module of that name (`num_complex` for
//! `num-complex`). Without `derive`, the crate builds no proc-macro and no syn (`half` brings
//! zerocopy's derive with it: half derives zerocopy's traits).
#![no_std]
#![warn(missing_docs)]
// On docs.rs (nightly, `--cfg docsrs`), each feature-gated item shows the feature it needs.
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod element;
mod error;
mod export;
#[cfg(feature = "alloc")]
pub mod format;
mod geometry;
#[cfg(feature = "half")]
pub mod half;
#[cfg(feature = "image")]
pub mod image;
#[cfg(feature = "memmap2")]
pub mod memmap2;
#[cfg(feature = "nalgebra")]
pub mod nalgebra;
#[cfg(feature = "ndarray")]
pub mod ndarray;
#[cfg(feature = "npy")]
pub mod npy;
#[cfg(feature = "num-complex")]
pub mod num_complex;
#[cfg(feature = "pyo3")]
pub mod python;
#[cfg(feature = "rayon")]
pub mod rayon;
pub mod safety;
#[cfg(feature = "alloc")]
pub mod view;

pub use element::{bytes_of, Element, FieldType, StaticBufferLayout};
pub use error::ErrorKind;
pub use export::{BufferExport, BufferExportMut, BufferLayout, BufferLayoutError, Dims};
#[cfg(feature = "alloc")]
pub use view::{MemoryView, MemoryViewMut, ViewError};

/// Derives [`BufferExport`], [`Element`] and [`StaticBufferLayout`] for a `#[repr(C)]` struct, a
/// `#[repr(transparent)]` newtype or a fieldless enum, with every piece of metadata computed at
/// compile time.
///
/// Derive it beside zerocopy's derives: `IntoBytes` proves that every byte of a concrete
/// struct is initialised and `Immutable` (a supertrait of [`Element`]) that it has no interior
/// mutability; add `FromBytes` to make exports writable ([`BufferExportMut`]). A generic
/// struct needs no `IntoBytes` (zerocopy cannot derive it unless every field is the parameter
/// or `Unaligned`): the derive checks each instantiation for padding itself, naming the field.
///
/// ```
/// use buffer_runtime::{BufferExport, BufferExportMut, Element, StaticBufferLayout};
/// use zerocopy::{FromBytes, Immutable, IntoBytes};
///
/// #[derive(BufferExport, IntoBytes, FromBytes, Immutable, Clone, Copy)]
/// #[repr(C)]
/// struct Sample {
///     #[buffer(rename = "t")]
///     time: f64,
///     value: f32,
///     #[buffer(padding)]
///     _pad: [u8; 4],
/// }
///
/// let le = cfg!(target_endian = "little");
/// assert_eq!(Sample::FORMAT, if le { "T{<d:t:<f:value:4x}" } else { "T{>d:t:>f:value:4x}" });
/// assert_eq!(<Sample as StaticBufferLayout>::ITEMSIZE, 16);
///
/// let mut samples = vec![Sample { time: 0.0, value: 1.0, _pad: [0; 4] }; 4];
/// assert_eq!(&*samples.buffer_layout().shape, &[4]);
/// samples.buffer_bytes_mut()[8..12].copy_from_slice(&2.0f32.to_ne_bytes());
/// assert_eq!(samples[0].value, 2.0);
/// ```
///
/// # What it generates
///
/// - **`#[repr(C)]` structs**, with `packed`, `packed(N)` or `align(N)` if wanted: `Element`
///   with the format `T{...}`, each field written as its sub-array shape (`(4,4)` for
///   `[[f32; 4]; 4]`), its item's explicit-order format (`<f`; zerocopy's byte-order types keep
///   theirs, `>I` for `U32<BigEndian>`) and `:name:`. Nested derived structs nest as `T{...}`.
///   A struct is one item: a 0-d buffer; a `Vec` or array of them adds dimensions in front.
/// - **`#[repr(transparent)]` newtypes** export what their field exports: `struct
///   Frame([[Rgb; 640]; 480])` is a buffer of shape `(480, 640)` of `Rgb` items. A newtype is
///   not an `Element` itself (typed access goes through the inner item), but it can be a field
///   of another derived struct, as a sub-array. `PhantomData` fields may sit beside the field.
/// - **Fieldless enums with an integer repr** (`#[repr(u8)]`, ... `#[repr(i64)]`) export as
///   their integer (`B`; `<B` as a field), read-only: not every integer is a variant.
///
/// Names: a named field exports under its name (`r#type` as `type`); a tuple field under `f0`,
/// `f1`, ... (numpy's names for unnamed fields). `PhantomData` fields are left out.
///
/// # Attributes
///
/// - `#[buffer(padding)]` on a `[u8; N]` field: explicit padding, exported as `Nx`.
/// - `#[buffer(rename = "px")]` on a field: its `:name:` in the format (ASCII, no `:`, `{`,
///   `}`, `(`, `)` or spaces).
/// - `#[buffer(crate = "path")]` on the type: where `buffer_runtime` is, if the dependency is
///   renamed (`#[buffer(crate = "br")]`).
/// - `#[buffer(container)]` on the type, `#[buffer(data, shape = [..], strides = [..])]` on a
///   field: a runtime-shaped container (below).
///
/// # Containers: runtime shapes
///
/// A struct whose items live in a `Vec<T>`, `Box<[T]>`, `&[T]` or `&mut [T]` field, with the
/// shape in other fields, is a container: mark the type `#[buffer(container)]` and the field
/// holding the items `#[buffer(data)]`, naming the shape's fields outermost first. `T` is any
/// type with a buffer layout (a derived record, a number, an array of them); the container
/// exports its items with shape `shape ++ T`'s shape. Containers need no `repr`.
///
/// ```
/// use buffer_runtime::{view::MemoryView, BufferExport};
/// # use zerocopy::{FromBytes, Immutable, IntoBytes};
/// # #[derive(BufferExport, IntoBytes, FromBytes, Immutable, Clone, Copy)]
/// # #[repr(C)]
/// # struct Rgba { r: u8, g: u8, b: u8, a: u8 }
///
/// #[derive(BufferExport)]
/// #[buffer(container)]
/// struct Image {
///     width: usize,
///     height: usize,
///     #[buffer(data, shape = [height, width])] // a (height, width) view of pixels
///     pixels: Vec<Rgba>,
/// }
///
/// let img = Image { width: 3, height: 2, pixels: vec![Rgba { r: 1, g: 2, b: 3, a: 4 }; 6] };
/// let view = MemoryView::new(&img).unwrap();
/// assert_eq!((view.shape(), view.byte_strides()), (&[2usize, 3][..], &[12isize, 4][..]));
/// ```
///
/// - `#[buffer(data)]` alone is a 1-d view of every item: `struct Table { #[buffer(data)]
///   rows: Vec<Trade> }` exports shape `(n,)`.
/// - `shape = [a, b, ..]`: each entry is a sibling field of an integer type (`usize`, `u32`,
///   `i64`, ...) or an integer literal.
/// - `strides = [pitch, 4]`: byte strides, one per shape entry (fields or literals, negative
///   allowed), for rows padded to a pitch or stored bottom-up. Without it, the strides are C
///   order.
///
/// The layout is checked against the data at run time, never trusted:
/// [`BufferExport::try_buffer_layout`] and the generated `check_buffer_shape(&self)` return a
/// [`BufferLayoutError`] when the product of the shape is not the data's length (without strides),
/// when the strides reach past the data, or when a field is negative; `buffer_layout` then
/// returns [`BufferLayout::invalid`], which every view refuses.
///
/// ```
/// use buffer_runtime::{view::MemoryView, BufferExport, BufferLayoutError};
///
/// #[derive(BufferExport)]
/// #[buffer(container)]
/// struct Frame<'a> {
///     width: u32,
///     height: u32,
///     pitch: u32, // bytes from one row to the next
///     #[buffer(data, shape = [height, width], strides = [pitch, 2])]
///     samples: &'a [u16],
/// }
///
/// let raw = [0u16; 8]; // 2 rows of 3 samples, padded to 4
/// let frame = Frame { width: 3, height: 2, pitch: 8, samples: &raw };
/// assert!(frame.check_buffer_shape().is_ok());
/// assert_eq!(MemoryView::new(&frame).unwrap().shape(), &[2, 3]);
///
/// let too_tall = Frame { height: 3, ..frame };
/// assert_eq!(
///     too_tall.check_buffer_shape(),
///     Err(BufferLayoutError::OutOfBounds { needed_bytes: 22, data_bytes: 16 })
/// );
/// assert!(MemoryView::new(&too_tall).is_err());
/// ```
///
/// A container is writable ([`BufferExportMut`]) when it owns its items (`Vec`, `Box<[T]>`) or
/// borrows them `&mut`, and its items are `FromBytes`. Misuse fails to compile with a message at
/// the attribute: no data field, two data fields, a data field of another type, a shape field
/// that is not an integer or does not exist, a stride count different from the shape's:
///
/// ```compile_fail
/// # use buffer_runtime::BufferExport;
/// #[derive(BufferExport)]
/// #[buffer(container)]
/// struct Image {
///     width: f32, // error: `width` is used in `shape = [...]`, so it must be an integer field
///     height: usize,
///     #[buffer(data, shape = [height, width])]
///     pixels: Vec<u32>,
/// }
/// ```
///
/// # Generic types
///
/// Type and const parameters are supported (`Point<T>`, `Samples<T, const N: usize>` with a
/// field `[T; N]`); the metadata of each instantiation is still a compile-time constant. A type
/// parameter used as a field, or as the item of an array field, needs the bound `T: Element`,
/// written on the struct: without it, the error points at the field and suggests the bound.
/// Lifetime parameters are rejected: items are `'static`.
///
/// ```
/// use buffer_runtime::{Element, StaticBufferLayout};
/// # use buffer_runtime::BufferExport;
/// # use zerocopy::{FromBytes, Immutable, IntoBytes};
///
/// #[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
/// #[repr(C)]
/// struct Samples<T: Element, const N: usize> {
///     data: [T; N],
/// }
///
/// const FORMAT: &str = <Samples<u16, 8> as Element>::FORMAT;
/// assert_eq!(FORMAT, if cfg!(target_endian = "little") { "T{(8)<H:data:}" } else { "T{(8)>H:data:}" });
/// assert_eq!(<Samples<u16, 8> as StaticBufferLayout>::ITEMSIZE, 16);
/// ```
///
/// # Compile-time layout checks
///
/// Implicit padding would hand Python uninitialised bytes, so it fails compilation with an
/// error at the field it precedes (or the last field, for padding at the end, including padding
/// from `align(N)`) that says how many bytes to add:
///
/// ```compile_fail,E0080
/// # use buffer_runtime::BufferExport;
/// # use zerocopy::{Immutable, IntoBytes};
/// #[derive(BufferExport, IntoBytes, Immutable)]
/// #[repr(C)]
/// struct Sample {
///     a: u8,
///     b: u32, // error: 3 byte(s) of implicit padding before field `b`: ... add an explicit
///             // padding field `#[buffer(padding)] _pad: [u8; 3]` before `b`, or reorder
/// }
/// ```
///
/// zerocopy's `IntoBytes` derive reports the same padding, without saying where it is: expect
/// its error beside ours. Also rejected, each with a message saying what to write instead: a
/// missing or unsupported `repr` (Rust's default layout, `repr(packed)` without `C`, an integer
/// repr on a struct, `repr(C)` alone on an enum), enums with data, unions, structs without
/// fields, field types without a buffer format (references, pointers, `String`, `Vec`,
/// `Option`, types that do not derive `BufferExport`), `u128`/`i128` (no PEP 3118 code), a
/// generic parameter without `T: Element`, and misused attributes (unknown or duplicate keys,
/// `padding` with `rename`, `padding` on a non-`[u8; N]` field, a `rename` that would break the
/// format or repeat another field's name).
///
/// ```compile_fail
/// # use buffer_runtime::BufferExport;
/// # use zerocopy::{Immutable, IntoBytes};
/// #[derive(BufferExport, IntoBytes, Immutable)]
/// #[repr(C)]
/// struct Person {
///     age: u32,
///     name: String, // error: `String` has no buffer format
/// }
/// ```
///
/// A type holding `bool`, `char` or an enum is not `FromBytes`, so its exports are read-only:
///
/// ```compile_fail,E0599
/// # use buffer_runtime::{BufferExport, BufferExportMut};
/// # use zerocopy::{Immutable, IntoBytes};
/// #[derive(BufferExport, IntoBytes, Immutable)]
/// #[repr(C)]
/// struct Flag {
///     on: bool,
/// }
///
/// let mut flag = Flag { on: true };
/// flag.buffer_bytes_mut()[0] = 2; // error: `Flag: FromBytes` is not satisfied
/// ```
#[cfg(feature = "derive")]
pub use buffer_derive::BufferExport;

/// Makes a type exportable in one line: `#[buffer_runtime::export]` on a `#[repr(C)]` struct,
/// a `#[repr(transparent)]` newtype, a fieldless enum or a `#[buffer(container)]` adds
/// [`#[derive(BufferExport)]`](derive@BufferExport) and the zerocopy derives it needs
/// (`IntoBytes`, for a concrete struct only, `Immutable`, and `FromBytes` so that exports are
/// writable),
/// named through this crate's re-export of zerocopy: the crate using it needs no zerocopy
/// dependency of its own.
///
/// ```
/// use buffer_runtime::{BufferExportMut, Element, StaticBufferLayout};
///
/// #[buffer_runtime::export]
/// #[repr(C)]
/// struct Trade {
///     price: f64,
///     qty: u32,
///     #[buffer(padding)]
///     _pad: [u8; 4],
/// }
///
/// let le = cfg!(target_endian = "little");
/// assert_eq!(Trade::FORMAT, if le { "T{<d:price:<I:qty:4x}" } else { "T{>d:price:>I:qty:4x}" });
/// let mut book = vec![Trade { price: 1.5, qty: 10, _pad: [0; 4] }];
/// book.buffer_bytes_mut()[8] = 11; // writable: `Trade` is `FromBytes`
/// assert_eq!(book[0].qty, if le { 11 } else { 10 + (11 << 24) });
/// ```
///
/// Every `#[buffer(...)]` attribute of the derive works as documented there. Arguments:
///
/// - `read_only`: no `FromBytes`, for items holding `bool`, `char` or an enum (not every bit
///   pattern is a value of those, so Python must not write them). Without it, a `bool` or
///   `char` field is an error that says to add it. Enums are always read-only.
/// - `known_layout`: zerocopy's `KnownLayout` too, for zerocopy's reference conversions
///   (`FromBytes::ref_from_bytes`); the runtime does not need it, and it costs build time.
/// - `crate = "br"`: the runtime's name when the dependency is renamed
///   (`br = { package = "buffer-runtime", .. }` in `Cargo.toml`); the attribute is then
///   spelled `#[br::export(crate = "br")]`.
///
/// ```
/// use buffer_runtime::{BufferExport, Element};
///
/// #[buffer_runtime::export(read_only)]
/// #[repr(C)]
/// struct Flagged {
///     value: u16,
///     on: bool,
///     #[buffer(padding)]
///     _pad: [u8; 1],
/// }
///
/// #[buffer_runtime::export]
/// #[repr(u8)]
/// enum Side { Buy = 1, Sell = 2 }
///
/// assert_eq!(Side::FORMAT, "B");
/// assert_eq!(Flagged { value: 7, on: true, _pad: [0] }.buffer_bytes()[2], 1);
/// ```
///
/// A `bool` field without `read_only` is one error, at the field:
///
/// ```compile_fail
/// #[buffer_runtime::export]
/// #[repr(C)]
/// struct Flag {
///     on: bool, // error: `bool` is not valid for every bit pattern ... write
///               // `#[buffer_runtime::export(read_only)]`
/// }
/// ```
///
/// The attribute replaces the derives: naming one of them in a `#[derive(...)]` beside it is an
/// error at that derive (it would be implemented twice).
#[cfg(feature = "derive")]
pub use buffer_derive::export;

pub use zerocopy;

/// The README's Rust examples, run as doctests so that the README stays true. `README.md` is
/// the crate's (a symlink to the repository's in the workspace; a file in the package), so the
/// packaged crate runs them too.
#[cfg(all(doctest, feature = "derive", feature = "pyo3"))]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;
