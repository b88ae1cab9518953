//! Generated code adds no warnings under strict lints, and works in a crate that forbids
//! `unsafe` code of its own. (trybuild runs rustc, not clippy: the clippy lints below take
//! effect when this file is checked with clippy.)
#![forbid(unsafe_code)]
#![deny(warnings, missing_docs, unused_qualifications, unused_results, trivial_casts)]
#![deny(clippy::all, clippy::pedantic)]

use buffer_runtime::{BufferExport, Element};
use zerocopy::{FromBytes, Immutable, IntoBytes};

/// A documented record.
#[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
#[repr(C)]
pub struct Record {
    /// A value.
    pub value: u32,
    /// Padding.
    #[buffer(padding)]
    pub pad: [u8; 4],
    /// A matrix.
    pub m: [[f64; 2]; 2],
}

/// A documented generic.
#[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
#[repr(C)]
pub struct Pair<T: Element> {
    /// First.
    pub a: T,
    /// Second.
    pub b: T,
}

/// A documented newtype.
#[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
#[repr(transparent)]
pub struct Plane(pub [[Record; 2]; 2]);

/// A documented enum.
#[derive(BufferExport, IntoBytes, Immutable)]
#[repr(u8)]
pub enum Kind {
    /// A.
    A,
}

fn main() {
    let r = Record { value: 1, pad: [0; 4], m: [[0.0; 2]; 2] };
    assert_eq!(r.buffer_bytes().len(), 40);
    assert!(<Pair<u8> as Element>::FORMAT.starts_with("T{"));
    assert_eq!(Kind::A.buffer_bytes(), &[0]);
    let _ = Plane;
}
