//! `half::f16` as a buffer item (feature `half`): format `e`, IEEE 754 binary16, the format
//! numpy's `float16` exports and reads, and that CPython's `memoryview` indexes and `tolist()`s
//! since 3.12 (3.11 and older describe such a buffer but raise `NotImplementedError: memoryview:
//! format e not supported` on reading it; our view reads it everywhere).
//!
//! An `f16` is an [`Element`] like `f32`: a derived struct may hold it (`<e` inside `T{...}`),
//! `Vec<f16>`, slices and arrays of it export as buffers, writable ones too (every bit pattern
//! is an `f16`), and typed access reads it back:
//!
//! ```
//! use buffer_runtime::view::{MemoryView, MemoryViewMut};
//! use buffer_runtime::{BufferExport, Element};
//! use half::f16;
//!
//! #[buffer_runtime::export]
//! #[repr(C)]
//! struct Sample {
//!     level: f16,
//!     gain: f16,
//! }
//!
//! let o = if cfg!(target_endian = "little") { "<" } else { ">" };
//! assert_eq!(Sample::FORMAT, format!("T{{{o}e:level:{o}e:gain:}}"));
//!
//! let mut xs = vec![f16::from_f32(1.5), f16::from_f32(-2.0), f16::MAX];
//! let view = MemoryView::new(&xs).unwrap();
//! assert_eq!(view.format(), "e");
//! assert_eq!(view.tolist().unwrap().to_string(), "[1.5, -2.0, 65504.0]");
//! let back: Vec<f16> = view.iter_as::<f16>().unwrap().collect();
//! assert_eq!(back, xs);
//!
//! let mut view = MemoryViewMut::new(&mut xs).unwrap();
//! view.set_as::<f16>(&[0], f16::from_f32(0.25)).unwrap();
//! assert_eq!(xs[0].to_f32(), 0.25);
//! ```
//!
//! `half::bf16` is not an item: no format string names bfloat16. The struct module and PEP 3118
//! have no code for it, and numpy has no bfloat16 type; the `bfloat16` of `ml_dtypes` (what
//! JAX and TensorFlow hand to numpy) is a user-defined dtype whose arrays numpy refuses to export
//! (`memoryview(a)` raises `ValueError: cannot include dtype 'E' in a buffer`; its `descr` is
//! `[('', '<V2')]`, two anonymous bytes). Inventing a code would give buffers no consumer could
//! read. Export bfloat16 data as its bits (`u16`, format `H`: `bf16::to_bits`) and let the
//! consumer reinterpret them (`a.view(ml_dtypes.bfloat16)` in numpy).

use core::ffi::CStr;

use half::f16;

use crate::__private::{FmtBuf, NATIVE_ORDER};
use crate::{Element, StaticBufferLayout};

// `f16` is a `#[repr(transparent)]` wrapper of the `u16` bits of an IEEE 754 binary16
// value (half's documentation and source), the value format `e` names: 2 bytes, native byte
// order, alignment 2 (`e`'s native alignment is 2 too). `<e`/`>e` is the same value in the host's
// byte order with `e`'s standard size, 2 bytes.
// SAFETY: `f16` is the 2-byte, 2-aligned binary16 bits that `e` names (above).
unsafe impl Element for f16 {
    const FORMAT: &'static str = "e";
    const FORMAT_CSTR: &'static CStr = c"e";
    const FIELD_FORMAT: &'static str = {
        const BUF: FmtBuf<3> = FmtBuf::new().push(NATIVE_ORDER).push("e");
        BUF.as_str()
    };
}

// SAFETY: a single item is a 0-d buffer of itself.
unsafe impl StaticBufferLayout for f16 {
    type Item = Self;
    const SHAPE: &'static [usize] = &[];
    const STRIDES: &'static [isize] = &[];
}

/// One `f16` is a 0-d buffer, as one `f32` is.
///
/// ```
/// use buffer_runtime::view::{MemoryView, Order};
/// let x = half::f16::from_f32(3.0);
/// let view = MemoryView::new(&x).unwrap();
/// assert_eq!((view.ndim(), view.format()), (0, "e"));
/// assert_eq!(view.tobytes(Order::C), 0x4200u16.to_ne_bytes()); // 3.0 in binary16
/// ```
impl crate::BufferExport for f16 {
    type Item = Self;
    fn buffer_layout(&self) -> crate::BufferLayout {
        crate::BufferLayout::of_static::<Self>()
    }
    fn buffer_bytes(&self) -> &[u8] {
        zerocopy::IntoBytes::as_bytes(self)
    }
}
