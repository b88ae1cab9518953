//! Python's buffer protocol (PEP 3118) for Rust types.
//!
//! `#[derive(BufferExport)]` gives a `#[repr(C)]` struct a compile-time format string,
//! item size, shape and strides, and rejects at compile time any layout that Python could
//! misread (implicit padding) or corrupt (writing an invalid `bool`).
//!
//! # Example
//!
//! ```
//! use buffer_runtime::{BufferExport, Element};
//! use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};
//!
//! #[derive(BufferExport, IntoBytes, FromBytes, Immutable, KnownLayout, Clone)]
//! #[repr(C)]
//! struct Trade {
//!     price: f64,
//!     qty: u32,
//!     #[buffer(padding)]
//!     _pad: [u8; 4],
//! }
//!
//! let le = cfg!(target_endian = "little");
//! assert_eq!(Trade::FORMAT, if le { "T{<d:price:<I:qty:4x}" } else { "T{>d:price:>I:qty:4x}" });
//! assert_eq!(<Trade as buffer_runtime::StaticLayout>::ITEMSIZE, 16);
//!
//! let book = vec![Trade { price: 1.5, qty: 10, _pad: [0; 4] }; 3];
//! assert_eq!(&*book.buffer_layout().shape, &[3]);
//! ```
#![no_std]
#![warn(missing_docs)]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod element;
mod export;
#[cfg(feature = "alloc")]
pub mod format;
#[cfg(feature = "pyo3")]
pub mod python;
#[cfg(feature = "alloc")]
pub mod view;

pub use element::{Element, StaticLayout};
pub use export::{BufferExport, BufferExportMut, Dims, Layout, LayoutError};
#[cfg(feature = "alloc")]
pub use view::{MemoryView, MemoryViewMut, ViewError};

/// Derives [`BufferExport`], [`Element`] and [`StaticLayout`] for a `#[repr(C)]` struct, a
/// `#[repr(transparent)]` newtype or a fieldless enum, with every piece of metadata computed at
/// compile time.
///
/// Derive it beside zerocopy's derives: `IntoBytes` and `Immutable` prove that every byte of the
/// type is initialised and that it has no interior mutability (they are supertraits of
/// [`Element`]); add `FromBytes` to make exports writable ([`BufferExportMut`]).
///
/// ```
/// use buffer_runtime::{BufferExport, BufferExportMut, Element, StaticLayout};
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
/// assert_eq!(<Sample as StaticLayout>::ITEMSIZE, 16);
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
/// use buffer_runtime::{Element, StaticLayout};
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
/// assert_eq!(<Samples<u16, 8> as StaticLayout>::ITEMSIZE, 16);
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

pub use zerocopy;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;
