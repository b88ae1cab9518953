//! `num_complex::Complex<f32>` and `Complex<f64>` in buffers (feature `num-complex`): formats
//! `Zf` and `Zd`, what numpy's `complex64` and `complex128` export.
//!
//! Slices, `Vec`s, boxed slices and arrays of `Complex<f32>`/`Complex<f64>` (and single values)
//! export directly, writable when owned or borrowed `&mut`, and a view reads its items back as
//! `Complex` values, without a copy:
//!
//! ```
//! use buffer_runtime::view::{MemoryView, MemoryViewMut};
//! use num_complex::Complex;
//!
//! let mut z = vec![Complex::new(1.0f64, -2.0), Complex::new(0.5, 0.0)];
//! let view = MemoryView::new(&z).unwrap();
//! assert_eq!((view.format(), view.itemsize()), ("Zd", 16));
//! assert_eq!(view.tolist().unwrap().to_string(), "[(1-2j), (0.5+0j)]");
//! assert_eq!(view.as_complex_slice::<f64>().unwrap(), &z[..]);
//!
//! let mut view = MemoryViewMut::new(&mut z).unwrap();
//! view.as_complex_slice_mut::<f64>().unwrap()[1].im = 3.0;
//! drop(view);
//! assert_eq!(z[1], Complex::new(0.5, 3.0));
//! ```
//!
//! `Complex` itself cannot be an [`Element`]: an `Element` is zerocopy's `IntoBytes` and
//! `Immutable` (so that its bytes may be read safely), num-complex implements only bytemuck's
//! traits, and Rust's orphan rule lets neither this crate nor yours implement zerocopy's traits
//! for it. The item types are therefore [`Zf`] and [`Zd`], `#[repr(C)]` pairs with the layout
//! of `Complex<f32>`/`Complex<f64>` and conversions both ways. They are what a derived struct
//! holds (a `Complex` field is refused by zerocopy's derive) and what
//! [`iter_as`](crate::view::MemoryView::iter_as) reads:
//!
//! ```
//! use buffer_runtime::num_complex::Zf;
//! use buffer_runtime::view::MemoryView;
//! use buffer_runtime::Element;
//! use num_complex::Complex;
//!
//! #[buffer_runtime::export]
//! #[repr(C)]
//! struct Tap {
//!     gain: Zf,
//!     delay: u32,
//!     #[buffer(padding)]
//!     _pad: [u8; 4],
//! }
//!
//! let o = if cfg!(target_endian = "little") { "<" } else { ">" };
//! assert_eq!(Tap::FORMAT, format!("T{{{o}Zf:gain:{o}I:delay:4x}}"));
//!
//! let taps = [Tap { gain: Complex::new(0.5f32, 1.0).into(), delay: 3, _pad: [0; 4] }];
//! let view = MemoryView::new(&taps).unwrap();
//! let gains: Vec<Complex<f32>> = view.field("gain").unwrap().iter_as::<Zf>().unwrap().map(Complex::from).collect();
//! assert_eq!(gains, [Complex::new(0.5, 1.0)]);
//! ```

use core::ffi::CStr;

use num_complex::Complex;
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

use alloc::{boxed::Box, vec::Vec};

use crate::__private::{FmtBuf, NATIVE_ORDER};
use crate::export::{BufferExport, BufferExportMut, BufferLayout};
use crate::view::{DataRef, DataRefMut, Result, ViewBase, ViewError};
use crate::{Element, StaticBufferLayout};

macro_rules! complex_item {
    ($(#[$doc:meta])* $name:ident, $part:ty, $code:literal) => {
        $(#[$doc])*
        #[derive(
            IntoBytes, FromBytes, Immutable, KnownLayout, Clone, Copy, Debug, Default, PartialEq,
        )]
        #[repr(C)]
        pub struct $name {
            /// The real part.
            pub re: $part,
            /// The imaginary part.
            pub im: $part,
        }

        impl From<Complex<$part>> for $name {
            fn from(z: Complex<$part>) -> Self {
                $name { re: z.re, im: z.im }
            }
        }

        impl From<$name> for Complex<$part> {
            fn from(z: $name) -> Self {
                Complex::new(z.re, z.im)
            }
        }

        // `$name` is `#[repr(C)]` with two `$part` fields, real then imaginary, and no
        // padding (same size and alignment): exactly the PEP 3118 complex `$code`, two native
        // floats of that width (the `format` module's table); the `<`/`>` form has the same
        // standard size in the host's byte order.
        // SAFETY: two `$part`s without padding: the complex `$code` (above).
        unsafe impl Element for $name {
            const FORMAT: &'static str = $code;
            const FORMAT_CSTR: &'static CStr =
                match CStr::from_bytes_with_nul(concat!($code, "\0").as_bytes()) {
                    Ok(c) => c,
                    Err(_) => panic!("format with an inner NUL"),
                };
            const FIELD_FORMAT: &'static str = {
                const BUF: FmtBuf<4> = FmtBuf::new().push(NATIVE_ORDER).push($code);
                BUF.as_str()
            };
        }

        // SAFETY: a single item is a 0-d buffer of itself.
        unsafe impl StaticBufferLayout for $name {
            type Item = Self;
            const SHAPE: &'static [usize] = &[];
            const STRIDES: &'static [isize] = &[];
        }

        impl BufferExport for $name {
            type Item = Self;
            fn buffer_layout(&self) -> BufferLayout {
                BufferLayout::of_static::<Self>()
            }
            fn buffer_bytes(&self) -> &[u8] {
                self.as_bytes()
            }
        }

        impl ComplexPart for $part {
            type Item = $name;
        }
    };
}

complex_item!(
    /// The buffer item of a `Complex<f32>` (format `Zf`, numpy's `complex64`), with the same
    /// layout.
    ///
    /// ```
    /// use buffer_runtime::{num_complex::Zf, StaticBufferLayout};
    /// let z: Zf = num_complex::Complex::new(1.0f32, 2.0).into();
    /// assert_eq!((z.re, z.im, Zf::ITEM_FORMAT, Zf::ITEMSIZE), (1.0, 2.0, "Zf", 8));
    /// ```
    Zf,
    f32,
    "Zf"
);
complex_item!(
    /// The buffer item of a `Complex<f64>` (format `Zd`, numpy's `complex128`), with the same
    /// layout.
    ///
    /// ```
    /// use buffer_runtime::{num_complex::Zd, StaticBufferLayout};
    /// let z = num_complex::Complex::from(Zd { re: 0.5, im: -1.0 });
    /// assert_eq!((z.re, z.im, Zd::ITEM_FORMAT, Zd::ITEMSIZE), (0.5, -1.0, "Zd", 16));
    /// ```
    Zd,
    f64,
    "Zd"
);

mod sealed {
    pub trait Sealed {}
    impl Sealed for f32 {}
    impl Sealed for f64 {}
}

/// The part type of a `Complex` that buffers hold, `f32` or `f64`, and its item type.
pub trait ComplexPart: sealed::Sealed + bytemuck::Pod {
    /// [`Zf`] for `f32`, [`Zd`] for `f64`.
    type Item: Element + StaticBufferLayout<Item = Self::Item> + FromBytes + zerocopy::IntoBytes;
}

/// The bytes of a slice of complex numbers (bytemuck's proof: `Complex<T>` is `Pod`).
fn bytes_of<T: ComplexPart>(z: &[Complex<T>]) -> &[u8] {
    bytemuck::cast_slice(z)
}

fn bytes_of_mut<T: ComplexPart>(z: &mut [Complex<T>]) -> &mut [u8] {
    bytemuck::cast_slice_mut(z)
}

/// A slice of `Complex<T>` exports `(len,)` items of format `Zf`/`Zd`.
///
/// ```
/// use buffer_runtime::BufferExport;
/// use num_complex::Complex;
/// let z = [Complex::new(1.0f32, 2.0); 3];
/// assert_eq!(z[..].buffer_layout().strides[0], 8);
/// assert_eq!(z[..].buffer_bytes()[..4], 1.0f32.to_ne_bytes());
/// ```
impl<T: ComplexPart> BufferExport for [Complex<T>] {
    type Item = T::Item;
    fn buffer_layout(&self) -> BufferLayout {
        BufferLayout::of_slice::<T::Item>(self.len())
    }
    fn buffer_bytes(&self) -> &[u8] {
        bytes_of(self)
    }
}

impl<T: ComplexPart> BufferExportMut for [Complex<T>] {
    fn buffer_bytes_mut(&mut self) -> &mut [u8] {
        bytes_of_mut(self)
    }
}

/// Implements the exporter traits for a wrapper of `[Complex<T>]` by delegation.
macro_rules! delegate {
    ($($ty:ty),* $(,)?) => {$(
        impl<T: ComplexPart> BufferExport for $ty {
            type Item = T::Item;
            fn buffer_layout(&self) -> BufferLayout {
                <[Complex<T>]>::buffer_layout(self)
            }
            fn buffer_bytes(&self) -> &[u8] {
                bytes_of(self)
            }
        }
    )*};
}

delegate!(&[Complex<T>], &mut [Complex<T>]);
delegate!(Vec<Complex<T>>, Box<[Complex<T>]>);

impl<T: ComplexPart> BufferExportMut for Vec<Complex<T>> {
    fn buffer_bytes_mut(&mut self) -> &mut [u8] {
        bytes_of_mut(self)
    }
}

impl<T: ComplexPart> BufferExportMut for Box<[Complex<T>]> {
    fn buffer_bytes_mut(&mut self) -> &mut [u8] {
        bytes_of_mut(self)
    }
}

impl<T: ComplexPart> BufferExportMut for &mut [Complex<T>] {
    fn buffer_bytes_mut(&mut self) -> &mut [u8] {
        bytes_of_mut(self)
    }
}

/// An array of `Complex<T>` exports `(N,)` items.
///
/// ```
/// use buffer_runtime::view::MemoryView;
/// use num_complex::Complex;
/// let z = [Complex::new(0.0f64, 1.0); 2];
/// assert_eq!(MemoryView::new(&z).unwrap().shape(), &[2]);
/// ```
impl<T: ComplexPart, const N: usize> BufferExport for [Complex<T>; N] {
    type Item = T::Item;
    fn buffer_layout(&self) -> BufferLayout {
        BufferLayout::of_slice::<T::Item>(N)
    }
    fn buffer_bytes(&self) -> &[u8] {
        bytes_of(self)
    }
}

impl<T: ComplexPart, const N: usize> BufferExportMut for [Complex<T>; N] {
    fn buffer_bytes_mut(&mut self) -> &mut [u8] {
        bytes_of_mut(self)
    }
}

/// One `Complex<T>` is a 0-d buffer.
///
/// ```
/// use buffer_runtime::view::MemoryView;
/// let z = num_complex::Complex::new(1.5f32, -0.5);
/// let view = MemoryView::new(&z).unwrap();
/// assert_eq!((view.ndim(), view.format()), (0, "Zf"));
/// ```
impl<T: ComplexPart> BufferExport for Complex<T> {
    type Item = T::Item;
    fn buffer_layout(&self) -> BufferLayout {
        BufferLayout::of_static::<T::Item>()
    }
    fn buffer_bytes(&self) -> &[u8] {
        bytes_of(core::slice::from_ref(self))
    }
}

impl<T: ComplexPart> BufferExportMut for Complex<T> {
    fn buffer_bytes_mut(&mut self) -> &mut [u8] {
        bytes_of_mut(core::slice::from_mut(self))
    }
}

fn cast_error(e: bytemuck::PodCastError) -> ViewError {
    ViewError::buffer_error(alloc::format!(
        "num-complex: the items cannot be read as complex numbers in place ({e:?})"
    ))
}

impl<S: DataRef> ViewBase<S> {
    /// The items as a slice of `Complex<T>`, without copying: the view must hold `Zf` items (for
    /// `f32`) or `Zd` items (for `f64`), be C-contiguous and aligned, as for
    /// [`as_slice`](Self::as_slice).
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// use num_complex::Complex;
    ///
    /// let raw: Vec<f32> = vec![1.0, 2.0, 3.0, 4.0]; // two complex64 values, as bytes
    /// let bytes: Vec<u8> = raw.iter().flat_map(|x| x.to_ne_bytes()).collect();
    /// let view = MemoryView::from_parts(&bytes, "Zf", &[2], None, 0).unwrap();
    /// assert_eq!(view.as_complex_slice::<f32>().unwrap()[1], Complex::new(3.0, 4.0));
    /// assert!(view.as_complex_slice::<f64>().is_err()); // not Zd
    /// ```
    pub fn as_complex_slice<T: ComplexPart>(&self) -> Result<&[Complex<T>]> {
        let items = self.as_slice::<T::Item>()?;
        bytemuck::try_cast_slice(items.as_bytes()).map_err(cast_error)
    }
}

impl<S: DataRefMut> ViewBase<S> {
    /// The items as a mutable slice of `Complex<T>`: see
    /// [`as_complex_slice`](Self::as_complex_slice).
    ///
    /// ```
    /// use buffer_runtime::view::MemoryViewMut;
    /// use num_complex::Complex;
    ///
    /// let mut z = [Complex::new(1.0f64, 1.0); 2];
    /// let mut view = MemoryViewMut::new(&mut z).unwrap();
    /// for x in view.as_complex_slice_mut::<f64>().unwrap() {
    ///     *x = x.conj();
    /// }
    /// drop(view);
    /// assert_eq!(z, [Complex::new(1.0, -1.0); 2]);
    /// ```
    pub fn as_complex_slice_mut<T: ComplexPart>(&mut self) -> Result<&mut [Complex<T>]> {
        let items = self.as_slice_mut::<T::Item>()?;
        bytemuck::try_cast_slice_mut(items.as_mut_bytes()).map_err(cast_error)
    }
}
