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
pub use export::{BufferExport, BufferExportMut, Dims, Layout};

/// Derives [`BufferExport`], [`Element`] and [`StaticLayout`] for a `#[repr(C)]` struct.
#[cfg(feature = "derive")]
pub use buffer_derive::BufferExport;

pub use zerocopy;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;
