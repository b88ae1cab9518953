//! `MemoryView`: CPython's memoryview over any exporter, and more.
//!
//! A view borrows the bytes of an exporter (anything that implements
//! [`BufferExport`], or raw bytes described by a format, shape, strides and
//! offset) and offers what Python's `memoryview` offers, with CPython's semantics and error
//! messages: the attributes (`format`, `itemsize`, `shape`, `strides`, the contiguity flags,
//! ...), item access by a full tuple of indices, slicing, `tobytes`, `hex`, `tolist`,
//! `toreadonly`, `cast`, equality by value and hashing.
//!
//! Beyond CPython it slices and indexes every dimension (a partial index gives an (N-1)-d
//! sub-view), transposes, unpacks every format the [`format`](crate::format) module parses
//! (structs with named fields, sub-arrays, byte-swapped numbers, complex numbers, halves),
//! projects one field of a struct view, and reads items as typed Rust values without copying,
//! after checking the Rust type's layout against the format.
//!
//! # Example
//!
//! ```
//! use buffer_runtime::view::{MemoryView, MemoryViewMut, Order, Slice};
//!
//! let mut grid = [[1u16, 2, 3], [4, 5, 6]];
//! {
//!     let view = MemoryView::new(&grid).unwrap();
//!     assert_eq!(view.format(), "H");
//!     assert_eq!(view.shape(), &[2, 3]);
//!     assert_eq!(view.byte_strides(), &[6, 2]);
//!     // A column: slicing on the second dimension, which CPython cannot do.
//!     let col = view.sub(&buffer_runtime::s![.., 1]).unwrap();
//!     assert_eq!(col.shape(), &[2]);
//!     assert_eq!(col.tobytes(Order::C), [2u16.to_ne_bytes(), 5u16.to_ne_bytes()].concat());
//! }
//! // A writable view borrows `grid` mutably: no other access while it lives.
//! let mut view = MemoryViewMut::new(&mut grid).unwrap();
//! view.set_as::<u16>(&[1, 2], 60).unwrap();
//! assert_eq!(grid[1][2], 60);
//! ```
//!
//! # Strides are in bytes
//!
//! Like PEP 3118 and CPython (and unlike ndarray, whose strides count elements), every stride
//! in this module is a distance in **bytes**; the accessor is named
//! [`byte_strides`](ViewBase::byte_strides) so that nobody confuses the two.
//!
//! # Read-only and writable views
//!
//! [`MemoryView`] borrows its bytes shared (`&'a [u8]`): any number of them may coexist, and the
//! exporter cannot be mutated, resized, moved or dropped while one lives. [`MemoryViewMut`]
//! borrows them exclusively (`&'a mut [u8]`): it is the only access to those bytes while it
//! lives. Both are [`ViewBase`] with a different [`Data`] parameter, like ndarray's `ArrayView`
//! and `ArrayViewMut`.
//!
//! Memory that code outside Rust may write while a view lives (a Python buffer: see
//! the `python` module) is viewed as a [`SharedView`] or [`SharedViewMut`], the same
//! [`ViewBase`] over the [`Shared`] or [`SharedMut`] storage kinds: every operation that
//! copies works the same, and the few that return references into the bytes
//! ([`as_slice`](ViewBase::as_slice), [`get_ref_as`](ViewBase::get_ref_as),
//! [`underlying_bytes`](ViewBase::underlying_bytes), ...) do not exist for them. Derived
//! views keep the kind: `sub` of a `SharedView` is a `SharedView`.
//!
//! Write methods exist on both, so that code written against CPython's semantics runs
//! unchanged: on a [`MemoryView`] they fail with CPython's `TypeError: cannot modify read-only
//! memory`.
//!
//! Methods that derive a view come in three forms: `sub(&self)` returns a read-only view
//! borrowing this one, `sub_mut(&mut self)` a writable one, and `into_sub(self)` consumes the
//! view and keeps its lifetime and writability (use it to chain: `view.t().into_sub(..)`).
//!
//! # CPython's operations
//!
//! | Python                       | Rust                                                  |
//! |------------------------------|-------------------------------------------------------|
//! | `memoryview(obj)`            | [`MemoryView::new`], [`MemoryViewMut::new`], [`MemoryView::from_bytes`], [`MemoryView::from_parts`] |
//! | `format itemsize ndim shape` | [`format`](ViewBase::format), [`itemsize`](ViewBase::itemsize), [`ndim`](ViewBase::ndim), [`shape`](ViewBase::shape) |
//! | `strides suboffsets nbytes`  | [`byte_strides`](ViewBase::byte_strides), [`suboffsets`](ViewBase::suboffsets), [`nbytes`](ViewBase::nbytes) |
//! | `readonly`, `*contiguous`    | [`readonly`](ViewBase::readonly), [`c_contiguous`](ViewBase::c_contiguous), [`f_contiguous`](ViewBase::f_contiguous), [`contiguous`](ViewBase::contiguous) |
//! | `len(m)`                     | [`len`](ViewBase::len)                                |
//! | `m[i, j]`, `m[()]`           | [`get`](ViewBase::get) (a [`Value`]), [`get_as`](ViewBase::get_as) (a Rust value) |
//! | `m[i, j] = v`                | [`set`](ViewBase::set), [`set_as`](ViewBase::set_as)  |
//! | `m[a:b:c]`                   | [`slice`](ViewBase::slice) with a [`Slice`]           |
//! | `m[a:b:c] = src`             | [`assign_slice`](ViewBase::assign_slice)              |
//! | `tobytes(order)`, `hex(..)`  | [`tobytes`](ViewBase::tobytes) with an [`Order`], [`hex`](ViewBase::hex) |
//! | `tolist()`, `toreadonly()`   | [`tolist`](ViewBase::tolist), [`toreadonly`](ViewBase::toreadonly) |
//! | `cast(fmt, shape)`           | [`cast`](ViewBase::cast), [`cast_mut`](ViewBase::cast_mut), [`into_cast`](ViewBase::into_cast) |
//! | `m == n`, `hash(m)`          | `==` ([`equals`](ViewBase::equals)), [`try_hash`](ViewBase::try_hash) |
//!
//! # Which CPython
//!
//! The view follows the newest CPython's memoryview, 3.12 and 3.13 (which answer alike), on
//! every version of the interpreter it runs with: there is no switch to 3.11's rules. The one
//! difference between them is `e` (half floats): 3.12 made it a memoryview format, read,
//! written and listed, and a [`cast`](ViewBase::cast) destination. On 3.11, `m.cast('e')`
//! raises `ValueError: memoryview: destination format must be a native single character
//! format ...`; ours casts, and so reports a later check's error first for some invalid casts
//! (`cast('e')` of a non-byte view: `TypeError: memoryview: cannot cast between two non-byte
//! formats`, as 3.12 says). Following 3.11 would only refuse what every later CPython allows.
//! The differential vectors (`tests/vectors/memoryview*.json`) are recorded on 3.11, 3.12 and
//! 3.13, and all pass under this rule (the 3.11 file holds 3.12's answers where 3.11 refuses
//! `e`).
//!
//! ```
//! use buffer_runtime::view::MemoryView;
//! use buffer_runtime::format::Value;
//! let bytes = [0x00, 0x3c, 0x00, 0xc0]; // 1.0 and -2.0 as little-endian half floats
//! let halves = MemoryView::from_bytes(&bytes).into_cast("e", None).unwrap();
//! if cfg!(target_endian = "little") {
//!     assert_eq!(halves.tolist().unwrap(), Value::Array(vec![Value::Float(1.0), Value::Float(-2.0)]));
//! }
//! let err = halves.cast("e", None).unwrap_err(); // not a byte format on either side
//! assert_eq!(err.message(), "memoryview: cannot cast between two non-byte formats");
//! ```
//!
//! # Deliberate differences from CPython
//!
//! - **Every format is supported.** CPython raises `NotImplementedError: memoryview:
//!   unsupported format ...` for anything but a native single character when indexing,
//!   writing or listing; we unpack every format the [`format`](crate::format) module parses
//!   (byte-order prefixes, `T{...}` structs, sub-arrays, `e`, `Z`, `s`, ...). Where CPython has no reading
//!   at all, numpy's is the reference: `u`/`w` strings (numpy's `U`) drop trailing NULs,
//!   while `s` keeps them, as `struct` does.
//! - **Equality of struct formats.** CPython compares non-native formats through the
//!   `struct` module, which cannot parse `T{...}`, so two identical struct views compare
//!   unequal there; we compare unpacked values, field by field.
//! - **Sub-views and multi-dimensional slicing** ([`sub`](ViewBase::sub),
//!   [`index`](ViewBase::index), [`slice_axis`](ViewBase::slice_axis),
//!   [`assign_slice_axis`](ViewBase::assign_slice_axis), [`copy_from`](ViewBase::copy_from))
//!   do what CPython refuses with `NotImplementedError`. [`get`](ViewBase::get) and
//!   [`assign_slice`](ViewBase::assign_slice) keep CPython's refusals (a partial index,
//!   an N-d slice assignment) so that they answer exactly as `m[...]` does.
//! - **Read-only is a type.** A view is writable when it is a [`MemoryViewMut`]; views derived
//!   through `&self` methods ([`cast`](ViewBase::cast), [`slice`](ViewBase::slice), ...) are
//!   read-only, their `_mut` and `into_` forms keep the writability. `release()` and the
//!   "released memoryview" errors do not exist: the borrow ends when the view is dropped.
//! - **Integers are 64-bit.** [`Value`] holds `i64`/`u64`, so a Python integer beyond that
//!   range cannot be written (CPython: `ValueError`); nothing else changes.
//! - **Hashing** uses Rust's `Hash` of the bytes in C order (see
//!   [`try_hash`](ViewBase::try_hash)), not CPython's bytes hash; the rules (read-only, byte
//!   formats) and errors are CPython's.
//! - **Errors that CPython cannot raise** (a layout that does not fit its bytes, a typed
//!   access whose Rust type does not match the format) use `BufferError` and `ValueError`
//!   with messages of our own, worded like Cython's buffer checks.

mod cast;
mod copy;
mod data;
mod error;
mod item;
mod slice;
mod typed;
mod typed_view;
#[cfg(feature = "nalgebra")]
pub(crate) use typed::slice_mut_from_bytes;
mod values;

use alloc::string::ToString;
use core::fmt;

use smallvec::SmallVec;
use zerocopy::FromBytes;

use crate::export::{BufferExport, BufferExportMut};

pub use data::{Data, DataMut, DataRef, DataRefMut, Shared, SharedMut};
pub use error::{ErrorKind, Result, ViewError};
pub use item::ItemFormat;
pub use slice::{AxisIndex, Slice};
pub use typed::TypedIter;
pub use typed_view::TypedView;
pub use values::values_equal;

/// The dynamic value of an item (re-exported from [`crate::format`]).
pub use crate::format::{Fields, Value};

use crate::geometry;
pub use crate::geometry::MAX_NDIM;

/// Shapes of views: up to four dimensions inline.
///
/// ```
/// use buffer_runtime::view::Shape;
/// let s: Shape = Shape::from_slice(&[2, 3]);
/// assert!(!s.spilled());
/// ```
pub type Shape = SmallVec<[usize; 4]>;
/// Byte strides of views: up to four dimensions inline.
///
/// ```
/// use buffer_runtime::view::Strides;
/// let s: Strides = Strides::from_slice(&[12, -4]);
/// assert_eq!(s[1], -4);
/// ```
pub type Strides = SmallVec<[isize; 4]>;

/// A strided, n-dimensional view of items of one format in borrowed bytes: CPython's
/// `memoryview`. Use it through its two aliases, [`MemoryView`] and [`MemoryViewMut`].
///
/// ```
/// use buffer_runtime::view::{MemoryView, ViewBase};
/// let data = [1u8, 2, 3];
/// let view: ViewBase<&[u8]> = MemoryView::new(&data).unwrap();
/// assert_eq!(view.len().unwrap(), 3);
/// ```
///
/// # Invariants
///
/// Every constructor (and every operation that derives a view from a view: slicing, indexing,
/// transposition, casting, field projection) establishes these, and the `unsafe` fast paths
/// rely on them:
///
/// 1. `shape.len() == strides.len() <= MAX_NDIM` (64).
/// 2. `itemsize == self.item.itemsize()`, the size the format describes.
/// 3. `product(shape) * itemsize <= isize::MAX` (so `nbytes` and every item offset fit an
///    `isize`), and `product(shape) <= isize::MAX` too (zero-size items), so the item count
///    fits as well.
/// 4. If no dimension is 0, every item lies inside the borrowed bytes: for every index
///    `0 <= i[k] < shape[k]`, `0 <= offset + sum(i[k] * strides[k])` and
///    `offset + sum(i[k] * strides[k]) + itemsize <= data.len()`. It is enough to check
///    the two extreme items (each stride at its most negative and most positive
///    contribution), which the constructors do with overflow-checked arithmetic.
/// 5. If a dimension is 0, there is no item and `offset <= data.len()`.
///
/// Items are read as bytes and decoded by copying (`from_ne_bytes`, zerocopy's
/// `read_from_bytes`), so no reference to an item is ever created at an address that is not
/// aligned for its Rust type; typed references ([`ViewBase::as_slice`]) are handed out only
/// after checking alignment.
pub struct ViewBase<S: Data> {
    /// The whole borrowed region; items are found at `offset + index . strides` inside it.
    data: S,
    /// The byte offset of the item at index `[0, 0, ...]` (for negative strides, not the
    /// lowest address).
    offset: usize,
    shape: Shape,
    strides: Strides,
    item: ItemFormat,
}

/// A read-only view: borrows its exporter shared.
///
/// ```
/// use buffer_runtime::view::MemoryView;
/// let v = vec![1.5f64, 2.5];
/// let view = MemoryView::new(&v).unwrap();
/// assert!(view.readonly());
/// assert_eq!((view.format(), view.itemsize(), view.nbytes()), ("d", 8, 16));
/// ```
pub type MemoryView<'a> = ViewBase<&'a [u8]>;

/// A writable view: borrows its exporter exclusively.
///
/// ```
/// use buffer_runtime::view::MemoryViewMut;
/// let mut v = vec![0i32; 4];
/// let mut view = MemoryViewMut::new(&mut v).unwrap();
/// assert!(!view.readonly());
/// view.set_as::<i32>(&[-1], 9).unwrap();
/// assert_eq!(v, [0, 0, 0, 9]);
/// ```
pub type MemoryViewMut<'a> = ViewBase<&'a mut [u8]>;

/// A read-only view of bytes that code outside Rust may write while it lives (a Python
/// buffer): every operation of [`MemoryView`] that copies (items, `tobytes`, `tolist`,
/// sub-views, casts, equality, ...), none that hands out a reference into the bytes
/// (`as_slice`, `get_ref_as`, `underlying_bytes`). See [`Shared`].
///
/// ```
/// use buffer_runtime::view::{MemoryView, SharedView};
/// let v = [1u16, 2, 3];
/// let view = SharedView::from(MemoryView::new(&v).unwrap());
/// assert_eq!(view.iter_as::<u16>().unwrap().sum::<u16>(), 6);
/// assert_eq!(view.t().shape(), &[3]);
/// ```
///
/// References into the bytes do not exist for it:
///
/// ```compile_fail
/// use buffer_runtime::view::{MemoryView, SharedView};
/// let v = [1u16, 2, 3];
/// let view = SharedView::from(MemoryView::new(&v).unwrap());
/// let _ = view.as_slice::<u16>();
/// ```
pub type SharedView<'a> = ViewBase<Shared<'a>>;

/// A writable view of bytes that code outside Rust may read and write while it lives: see
/// [`SharedView`] and [`SharedMut`].
///
/// ```
/// use buffer_runtime::view::{MemoryViewMut, SharedViewMut};
/// let mut v = [0u32; 3];
/// let mut view = SharedViewMut::from(MemoryViewMut::new(&mut v).unwrap());
/// view.sub_mut(&buffer_runtime::s![1..]).unwrap().fill_bytes(&7u32.to_ne_bytes()).unwrap();
/// drop(view);
/// assert_eq!(v, [0, 7, 7]);
/// ```
///
/// ```compile_fail
/// use buffer_runtime::view::{MemoryViewMut, SharedViewMut};
/// let mut v = [0u32; 3];
/// let mut view = SharedViewMut::from(MemoryViewMut::new(&mut v).unwrap());
/// let _ = view.as_slice_mut::<u32>();
/// ```
pub type SharedViewMut<'a> = ViewBase<SharedMut<'a>>;

impl<'a> From<MemoryView<'a>> for SharedView<'a> {
    /// The same view, reading by copies.
    ///
    /// ```
    /// use buffer_runtime::view::{MemoryView, SharedView};
    /// let view = SharedView::from(MemoryView::from_bytes(b"ab"));
    /// assert_eq!(view.get_as::<u8>(&[1]).unwrap(), b'b');
    /// ```
    fn from(v: MemoryView<'a>) -> Self {
        // The same region and layout: the invariants carry over.
        ViewBase {
            data: Shared::from(v.data),
            offset: v.offset,
            shape: v.shape,
            strides: v.strides,
            item: v.item,
        }
    }
}

impl<'a> From<MemoryViewMut<'a>> for SharedViewMut<'a> {
    /// The same view, reading and writing by copies.
    ///
    /// ```
    /// use buffer_runtime::view::{MemoryViewMut, SharedViewMut};
    /// let mut b = [0u8; 2];
    /// let mut view = SharedViewMut::from(MemoryViewMut::from_bytes(&mut b));
    /// view.set_as::<u8>(&[0], 1).unwrap();
    /// drop(view);
    /// assert_eq!(b, [1, 0]);
    /// ```
    fn from(v: MemoryViewMut<'a>) -> Self {
        ViewBase {
            data: SharedMut::from(v.data),
            offset: v.offset,
            shape: v.shape,
            strides: v.strides,
            item: v.item,
        }
    }
}

impl<S: Data + Clone> Clone for ViewBase<S> {
    fn clone(&self) -> Self {
        ViewBase {
            data: self.data.clone(),
            offset: self.offset,
            shape: self.shape.clone(),
            strides: self.strides.clone(),
            item: self.item.clone(),
        }
    }
}

impl<S: Data> fmt::Debug for ViewBase<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct(S::NAME)
            .field("format", &self.format())
            .field("itemsize", &self.itemsize())
            .field("shape", &self.shape())
            .field("byte_strides", &self.byte_strides())
            .field("offset", &self.offset)
            .finish()
    }
}

/// Checks invariants 1 and 3 to 5 of [`ViewBase`] for a layout over `len` bytes.
fn check_layout(
    len: usize,
    offset: usize,
    shape: &[usize],
    strides: &[isize],
    itemsize: usize,
) -> Result<()> {
    if shape.len() > MAX_NDIM {
        return Err(ViewError::value_error(
            "memoryview: number of dimensions must not exceed 64",
        ));
    }
    if shape.len() != strides.len() {
        return Err(ViewError::buffer_error(alloc::format!(
            "buffer layout: shape has {} dimensions but strides has {}",
            shape.len(),
            strides.len()
        )));
    }
    let too_big =
        || ViewError::buffer_error("buffer layout: product(shape) * itemsize exceeds isize::MAX");
    let too_many = || ViewError::buffer_error("buffer layout: product(shape) exceeds isize::MAX");
    let mut nbytes = itemsize;
    for &n in shape {
        nbytes = nbytes.checked_mul(n).ok_or_else(too_big)?;
    }
    if nbytes > isize::MAX as usize {
        return Err(too_big());
    }
    // Zero-size items pass the check above whatever the shape: bound the item count too, so
    // that `item_count` (and every loop over the items) cannot overflow.
    if !shape.contains(&0) {
        let mut count: usize = 1;
        for &n in shape {
            count = count.checked_mul(n).ok_or_else(too_many)?;
        }
        if count > isize::MAX as usize {
            return Err(too_many());
        }
    }
    if shape.contains(&0) {
        if offset > len {
            return Err(ViewError::buffer_error(alloc::format!(
                "buffer layout: offset {offset} is past the end of {len} bytes"
            )));
        }
        return Ok(());
    }
    // The extreme byte offsets, in i128 with checks: 64 terms of up to 2^126 could overflow.
    let outside = || {
        ViewError::buffer_error(alloc::format!(
            "buffer layout: items of shape {shape:?}, strides {strides:?}, itemsize {itemsize} \
             at offset {offset} do not lie inside {len} bytes"
        ))
    };
    let (lo, end) = geometry::extent(offset, shape, strides, itemsize).ok_or_else(outside)?;
    if lo < 0 || end > len as i128 {
        return Err(outside());
    }
    Ok(())
}

/// C-order byte strides for `shape`.
fn c_strides(shape: &[usize], itemsize: usize) -> Strides {
    let mut strides: Strides = SmallVec::from_elem(0, shape.len());
    geometry::c_strides_into(shape, itemsize, &mut strides);
    strides
}

impl<'a> MemoryView<'a> {
    /// A read-only view of an exporter, borrowing it for `'a`.
    ///
    /// Fails with `BufferError` when the exporter reports a bad layout
    /// ([`BufferExport::try_buffer_layout`], e.g. a container whose shape disagrees with its
    /// data) or its layout does not fit its bytes (the exporter traits are safe to implement,
    /// so the view checks).
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// let rows = vec![[1u8, 2], [3, 4], [5, 6]];
    /// let view = MemoryView::new(&rows).unwrap();
    /// assert_eq!(view.shape(), &[3, 2]);
    /// assert_eq!(view.tobytes(buffer_runtime::view::Order::C), [1, 2, 3, 4, 5, 6]);
    /// ```
    pub fn new<T: BufferExport + ?Sized>(exporter: &'a T) -> Result<Self> {
        let layout = exporter
            .try_buffer_layout()
            .map_err(|e| ViewError::buffer_error(e.to_string()))?;
        let item = ItemFormat::of_element::<T::Item>()?;
        ViewBase::from_checked(
            exporter.buffer_bytes(),
            item,
            &layout.shape,
            Some(&layout.strides),
            layout.offset,
        )
    }

    /// A 1-d view of bytes with format `B`, as `memoryview(b"...")`.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// let view = MemoryView::from_bytes(b"abc");
    /// assert_eq!((view.format(), view.shape()), ("B", &[3usize][..]));
    /// ```
    pub fn from_bytes(bytes: &'a [u8]) -> Self {
        ViewBase::bytes_view(bytes)
    }

    /// A read-only view of `bytes` holding items of `format` at `offset + index . strides`
    /// (C-order strides when `strides` is `None`), with every item checked to lie inside
    /// `bytes`: a bad combination is an error, never undefined behaviour.
    ///
    /// ```
    /// use buffer_runtime::view::{ErrorKind, MemoryView};
    /// let bytes = [0u8, 1, 0, 2, 0, 3, 0, 4];
    /// // Every other big-endian u16, starting at byte 2: 0x0002, 0x0004.
    /// let view = MemoryView::from_parts(&bytes, ">H", &[2], Some(&[4]), 2).unwrap();
    /// assert_eq!(view.tobytes(buffer_runtime::view::Order::C), [0, 2, 0, 4]);
    /// // One more item would read past the end.
    /// let err = MemoryView::from_parts(&bytes, ">H", &[3], Some(&[4]), 2).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::BufferError);
    /// ```
    pub fn from_parts(
        bytes: &'a [u8],
        format: &str,
        shape: &[usize],
        strides: Option<&[isize]>,
        offset: usize,
    ) -> Result<Self> {
        let item = ItemFormat::parse(format)?;
        ViewBase::from_checked(bytes, item, shape, strides, offset)
    }
}

impl<'a> MemoryViewMut<'a> {
    /// A writable view of an exporter, borrowing it exclusively for `'a`. The items must
    /// accept every bit pattern (`FromBytes`), since the view can write any bytes.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryViewMut;
    /// let mut px = [[0u8; 3]; 2];
    /// let mut view = MemoryViewMut::new(&mut px).unwrap();
    /// view.set_as::<u8>(&[1, 0], 255).unwrap();
    /// drop(view);
    /// assert_eq!(px, [[0, 0, 0], [255, 0, 0]]);
    /// ```
    pub fn new<T>(exporter: &'a mut T) -> Result<Self>
    where
        T: BufferExportMut + ?Sized,
        T::Item: FromBytes,
    {
        let layout = exporter
            .try_buffer_layout()
            .map_err(|e| ViewError::buffer_error(e.to_string()))?;
        let item = ItemFormat::of_element::<T::Item>()?;
        ViewBase::from_checked(
            exporter.buffer_bytes_mut(),
            item,
            &layout.shape,
            Some(&layout.strides),
            layout.offset,
        )
    }

    /// A writable 1-d view of bytes with format `B`, as `memoryview(bytearray(...))`.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryViewMut;
    /// let mut b = *b"abc";
    /// let view = MemoryViewMut::from_bytes(&mut b);
    /// assert!(!view.readonly());
    /// ```
    pub fn from_bytes(bytes: &'a mut [u8]) -> Self {
        ViewBase::bytes_view(bytes)
    }

    /// A writable view of `bytes` with items of `format` at `offset + index . strides`: see
    /// [`MemoryView::from_parts`].
    ///
    /// ```
    /// use buffer_runtime::view::{MemoryViewMut, Order};
    /// let mut bytes = [0u8; 6];
    /// let mut view = MemoryViewMut::from_parts(&mut bytes, "B", &[3], Some(&[-2]), 4).unwrap();
    /// view.set_as::<u8>(&[0], 1).unwrap(); // byte 4
    /// view.set_as::<u8>(&[2], 3).unwrap(); // byte 0
    /// assert_eq!(bytes, [3, 0, 0, 0, 1, 0]);
    /// ```
    pub fn from_parts(
        bytes: &'a mut [u8],
        format: &str,
        shape: &[usize],
        strides: Option<&[isize]>,
        offset: usize,
    ) -> Result<Self> {
        let item = ItemFormat::parse(format)?;
        ViewBase::from_checked(bytes, item, shape, strides, offset)
    }

    /// A read-only view of the same items for the lifetime of this one (consumes it).
    ///
    /// ```
    /// use buffer_runtime::view::MemoryViewMut;
    /// let mut b = [1u8, 2];
    /// let ro = MemoryViewMut::from_bytes(&mut b).into_readonly();
    /// assert!(ro.readonly());
    /// ```
    pub fn into_readonly(self) -> MemoryView<'a> {
        ViewBase {
            data: self.data,
            offset: self.offset,
            shape: self.shape,
            strides: self.strides,
            item: self.item,
        }
    }
}

impl<'a> SharedViewMut<'a> {
    /// A read-only view of the same items for the lifetime of this one (consumes it).
    ///
    /// ```
    /// use buffer_runtime::view::{SharedMut, SharedViewMut};
    /// let mut b = [1u8, 2];
    /// let view = SharedViewMut::from_data(SharedMut::from(&mut b[..]), "B", &[2], None, 0).unwrap();
    /// assert!(view.into_readonly().readonly());
    /// ```
    pub fn into_readonly(self) -> SharedView<'a> {
        // SAFETY: `self.data`'s contract covers the region for `'a`; it is consumed here, so
        // no Rust writer of the region remains (`Shared`'s contract).
        let data =
            unsafe { Shared::from_raw_parts(Data::as_ptr(&self.data), Data::len(&self.data)) };
        ViewBase {
            data,
            offset: self.offset,
            shape: self.shape,
            strides: self.strides,
            item: self.item,
        }
    }
}

impl<S: Data> ViewBase<S> {
    /// A view of `data` holding items of `format` at `offset + index . strides` (C-order
    /// strides when `strides` is `None`), with every item checked to lie inside `data`: a bad
    /// combination is an error, never undefined behaviour. Works for every storage kind
    /// ([`MemoryView::from_parts`] is this for `&[u8]`).
    ///
    /// ```
    /// use buffer_runtime::format::Value;
    /// use buffer_runtime::view::{ErrorKind, Shared, SharedView};
    /// let bytes = [0u8, 1, 0, 2, 0, 3];
    /// let view = SharedView::from_data(Shared::from(&bytes[..]), ">H", &[3], None, 0).unwrap();
    /// assert_eq!(view.get(&[2]).unwrap(), Value::UInt(3));
    /// let err = SharedView::from_data(Shared::from(&bytes[..]), ">H", &[4], None, 0).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::BufferError);
    /// ```
    pub fn from_data(
        data: S,
        format: &str,
        shape: &[usize],
        strides: Option<&[isize]>,
        offset: usize,
    ) -> Result<Self> {
        let item = ItemFormat::parse(format)?;
        ViewBase::from_checked(data, item, shape, strides, offset)
    }

    /// A 1-d view of the bytes of `data` with format `B`, as `memoryview(b"...")`
    /// ([`MemoryView::from_bytes`] for every storage kind).
    ///
    /// ```
    /// use buffer_runtime::view::{Order, Shared, SharedView};
    /// let view = SharedView::from_data_bytes(Shared::from(&b"abc"[..]));
    /// assert_eq!((view.format(), view.shape()), ("B", &[3usize][..]));
    /// assert_eq!(view.tobytes(Order::C), b"abc");
    /// ```
    pub fn from_data_bytes(data: S) -> Self {
        ViewBase::bytes_view(data)
    }

    /// [`from_data`](Self::from_data) with a format parsed already (one parse for many views
    /// of the same items).
    ///
    /// ```
    /// use buffer_runtime::view::{ItemFormat, Shared, SharedView};
    /// let item = ItemFormat::parse("<i").unwrap();
    /// let bytes = [1u8, 0, 0, 0, 2, 0, 0, 0];
    /// let view = SharedView::from_data_item(Shared::from(&bytes[..]), item, &[2], None, 0).unwrap();
    /// assert_eq!(view.format(), "<i");
    /// ```
    pub fn from_data_item(
        data: S,
        item: ItemFormat,
        shape: &[usize],
        strides: Option<&[isize]>,
        offset: usize,
    ) -> Result<Self> {
        ViewBase::from_checked(data, item, shape, strides, offset)
    }

    fn from_checked(
        data: S,
        item: ItemFormat,
        shape: &[usize],
        strides: Option<&[isize]>,
        offset: usize,
    ) -> Result<Self> {
        let strides: Strides = match strides {
            Some(s) => SmallVec::from_slice(s),
            None => c_strides(shape, item.itemsize()),
        };
        check_layout(data.len(), offset, shape, &strides, item.itemsize())?;
        Ok(ViewBase {
            data,
            offset,
            shape: SmallVec::from_slice(shape),
            strides,
            item,
        })
    }

    fn bytes_view(data: S) -> Self {
        let n = data.len();
        // Invariants: 1-d, itemsize 1, stride 1: byte k is item k, all inside.
        ViewBase {
            data,
            offset: 0,
            shape: smallvec::smallvec![n],
            strides: smallvec::smallvec![1],
            item: ItemFormat::bytes(),
        }
    }

    /// Replaces the layout, checking the invariants again (used by every derived view).
    fn with_layout(mut self, offset: usize, shape: Shape, strides: Strides) -> Result<Self> {
        check_layout(
            self.data.len(),
            offset,
            &shape,
            &strides,
            self.item.itemsize(),
        )?;
        self.offset = offset;
        self.shape = shape;
        self.strides = strides;
        Ok(self)
    }

    /// The struct-module format of one item (`"B"`, `"<i"`, `"T{<d:price:<I:qty:4x}"`).
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// assert_eq!(MemoryView::new(&[0u32; 2]).unwrap().format(), "I");
    /// ```
    pub fn format(&self) -> &str {
        self.item.text()
    }

    /// The size of one item in bytes.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// assert_eq!(MemoryView::new(&[0u32; 2]).unwrap().itemsize(), 4);
    /// ```
    pub fn itemsize(&self) -> usize {
        self.item.itemsize()
    }

    /// The parsed item format, shared by every view derived from this one.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// let view = MemoryView::new(&[0i16; 2]).unwrap();
    /// assert_eq!(view.item_format().text(), "h");
    /// ```
    pub fn item_format(&self) -> &ItemFormat {
        &self.item
    }

    /// The number of dimensions.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// assert_eq!(MemoryView::new(&[[0u8; 2]; 3]).unwrap().ndim(), 2);
    /// assert_eq!(MemoryView::new(&7u8).unwrap().ndim(), 0);
    /// ```
    pub fn ndim(&self) -> usize {
        self.shape.len()
    }

    /// The number of items along each dimension.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// assert_eq!(MemoryView::new(&[[0u8; 2]; 3]).unwrap().shape(), &[3, 2]);
    /// ```
    pub fn shape(&self) -> &[usize] {
        &self.shape
    }

    /// The distance **in bytes** between consecutive items along each dimension (CPython's
    /// `strides`; ndarray's strides count items instead).
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// assert_eq!(MemoryView::new(&[[0u32; 2]; 3]).unwrap().byte_strides(), &[8, 4]);
    /// ```
    pub fn byte_strides(&self) -> &[isize] {
        &self.strides
    }

    /// CPython's `suboffsets`: always empty, since our views never hold PIL-style pointers.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// assert!(MemoryView::from_bytes(b"ab").suboffsets().is_empty());
    /// ```
    pub fn suboffsets(&self) -> &'static [isize] {
        &[]
    }

    /// The byte offset of the item at index `[0, 0, ...]` in [`underlying_bytes`](Self::underlying_bytes).
    ///
    /// ```
    /// use buffer_runtime::view::{MemoryView, Slice};
    /// let view = MemoryView::from_bytes(b"abcd");
    /// assert_eq!(view.slice(Slice::new(None, None, -1)).unwrap().offset(), 3);
    /// ```
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The first byte of the region the items lie in (for a Rust borrow, of the exporter's
    /// bytes); with [`offset`](Self::offset), where the item at index `[0, 0, ...]` is. A raw
    /// pointer, for every storage kind.
    ///
    /// ```
    /// use buffer_runtime::view::{MemoryView, Slice};
    /// let b = *b"abcd";
    /// let view = MemoryView::from_bytes(&b);
    /// assert_eq!(view.slice(Slice::from(1..2)).unwrap().underlying_ptr(), b.as_ptr());
    /// ```
    pub fn underlying_ptr(&self) -> *const u8 {
        self.data.as_ptr()
    }

    /// The number of bytes of the region the items lie in.
    ///
    /// ```
    /// use buffer_runtime::view::{MemoryView, Slice};
    /// let view = MemoryView::from_bytes(b"abcd");
    /// assert_eq!(view.slice(Slice::from(1..2)).unwrap().underlying_len(), 4);
    /// ```
    pub fn underlying_len(&self) -> usize {
        self.data.len()
    }

    /// The number of items, `product(shape)` (1 for a 0-d view).
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// assert_eq!(MemoryView::new(&[[0u8; 2]; 3]).unwrap().item_count(), 6);
    /// ```
    pub fn item_count(&self) -> usize {
        // With a 0 anywhere the product is 0, but a partial product before it may overflow.
        if self.shape.contains(&0) {
            0
        } else {
            self.shape.iter().product()
        }
    }

    /// The number of bytes the items would take in a contiguous copy:
    /// `product(shape) * itemsize` (CPython's `nbytes`).
    ///
    /// ```
    /// use buffer_runtime::view::{MemoryView, Slice};
    /// let view = MemoryView::from_bytes(b"abcdef");
    /// assert_eq!(view.slice(Slice::FULL.step_by(2)).unwrap().nbytes(), 3);
    /// ```
    pub fn nbytes(&self) -> usize {
        self.item_count() * self.itemsize()
    }

    /// Whether the view cannot write: `true` for [`MemoryView`], `false` for
    /// [`MemoryViewMut`].
    ///
    /// ```
    /// use buffer_runtime::view::{MemoryView, MemoryViewMut};
    /// assert!(MemoryView::from_bytes(b"a").readonly());
    /// assert!(!MemoryViewMut::from_bytes(&mut [0u8]).readonly());
    /// ```
    pub fn readonly(&self) -> bool {
        !S::WRITABLE
    }

    /// `len(view)`: the length of the first dimension. CPython's `TypeError` for a 0-d view.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// assert_eq!(MemoryView::new(&[[0u8; 2]; 3]).unwrap().len().unwrap(), 3);
    /// assert_eq!(MemoryView::new(&0u8).unwrap().len().unwrap_err().to_string(), "0-dim memory has no length");
    /// ```
    pub fn len(&self) -> Result<usize> {
        self.shape
            .first()
            .copied()
            .ok_or_else(|| ViewError::type_error("0-dim memory has no length"))
    }

    /// Whether the view holds no item (a zero in its shape).
    ///
    /// ```
    /// use buffer_runtime::view::{MemoryView, Slice};
    /// assert!(MemoryView::from_bytes(b"ab").slice(Slice::from(1..1)).unwrap().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.shape.contains(&0)
    }

    /// CPython's `c_contiguous`: the items are in C order with no gap. Following CPython, a
    /// 0-d view is contiguous, an n-d view (n >= 2) with a zero in its shape is, and a 1-d view
    /// is exactly when its length is 1 or its stride equals the item size.
    ///
    /// ```
    /// use buffer_runtime::view::{MemoryView, Slice};
    /// let view = MemoryView::from_bytes(b"abcd");
    /// assert!(view.c_contiguous());
    /// assert!(!view.slice(Slice::FULL.step_by(2)).unwrap().c_contiguous());
    /// ```
    pub fn c_contiguous(&self) -> bool {
        self.contiguity(b'C')
    }

    /// CPython's `f_contiguous`: the items are in Fortran order with no gap.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// let view = MemoryView::new(&[[0u8; 3]; 2]).unwrap();
    /// assert!(!view.f_contiguous());
    /// assert!(view.t().f_contiguous());
    /// ```
    pub fn f_contiguous(&self) -> bool {
        self.contiguity(b'F')
    }

    /// CPython's `contiguous`: C- or Fortran-contiguous.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// assert!(MemoryView::new(&[[0u8; 3]; 2]).unwrap().t().contiguous());
    /// ```
    pub fn contiguous(&self) -> bool {
        self.c_contiguous() || self.f_contiguous()
    }

    /// CPython's `init_flags`: 0-d and 1-d views get the fast rules, n-d views the full test.
    fn contiguity(&self, order: u8) -> bool {
        match self.ndim() {
            0 => true,
            1 => self.shape[0] == 1 || self.strides[0] == self.itemsize() as isize,
            _ => {
                let (c, f) = geometry::contiguity(&self.shape, &self.strides, self.itemsize());
                if order == b'C' {
                    c
                } else {
                    f
                }
            }
        }
    }

    /// Resolves a full tuple of (possibly negative) indices to a byte offset, with CPython's
    /// checks and messages.
    fn offset_of(&self, index: &[isize]) -> Result<usize> {
        self.offset_of_leading(index, self.ndim())
    }

    /// [`offset_of`](Self::offset_of) for an index of the first `ndim` dimensions (the rest
    /// at 0): the offset of a value that typed access reads from the last dimensions.
    fn offset_of_leading(&self, index: &[isize], ndim: usize) -> Result<usize> {
        debug_assert!(ndim <= self.ndim());
        if ndim == 0 {
            if index.is_empty() {
                return Ok(self.offset);
            }
            return Err(ViewError::type_error("invalid indexing of 0-dim memory"));
        }
        if index.len() > ndim {
            return Err(ViewError::type_error(alloc::format!(
                "cannot index {ndim}-dimension view with {}-element tuple",
                index.len()
            )));
        }
        if index.len() < ndim {
            return Err(ViewError::not_implemented("sub-views are not implemented"));
        }
        let mut off = self.offset as isize;
        for (dim, &i) in index.iter().enumerate() {
            let i = normalize_index(i, self.shape[dim], dim)?;
            // Wrapping: when every index is valid the view is not empty and the true offset
            // is in range (invariant 4); an empty view fails on its zero dimension.
            off = off.wrapping_add((i as isize).wrapping_mul(self.strides[dim]));
        }
        Ok(off as usize)
    }

    /// A read-only view of the same items, borrowing this one (CPython's `toreadonly`).
    ///
    /// ```
    /// use buffer_runtime::view::MemoryViewMut;
    /// let mut b = [1u8, 2];
    /// let view = MemoryViewMut::from_bytes(&mut b);
    /// let ro = view.toreadonly();
    /// assert!(ro.readonly());
    /// assert_eq!(ro, view);
    /// ```
    pub fn toreadonly(&self) -> ViewBase<S::Ref<'_>> {
        self.view()
    }

    /// A read-only view of the same items, borrowing this one.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// let view = MemoryView::from_bytes(b"ab");
    /// assert_eq!(view.view().shape(), &[2]);
    /// ```
    pub fn view(&self) -> ViewBase<S::Ref<'_>> {
        ViewBase {
            data: self.data.reborrow(),
            offset: self.offset,
            shape: self.shape.clone(),
            strides: self.strides.clone(),
            item: self.item.clone(),
        }
    }

    /// The sub-view selected by one [`AxisIndex`] per leading dimension (numpy's `a[1, ::-1]`):
    /// an index removes its dimension, a slice keeps it; dimensions not named are kept whole.
    /// Errors as CPython's indexing: `IndexError: index out of bounds on dimension N`,
    /// `TypeError: cannot index N-dimension view with M-element tuple`.
    ///
    /// ```
    /// use buffer_runtime::{s, view::MemoryView};
    /// let grid = [[1u8, 2, 3], [4, 5, 6]];
    /// let view = MemoryView::new(&grid).unwrap();
    /// let v = view.sub(&s![.., 2..;-1]).unwrap(); // [:, 2::-1]
    /// assert_eq!(v.shape(), &[2, 3]);
    /// assert_eq!(v.tobytes(buffer_runtime::view::Order::C), [3, 2, 1, 6, 5, 4]);
    /// assert_eq!(view.sub(&s![1, 0]).unwrap().ndim(), 0);
    /// ```
    pub fn sub(&self, index: &[AxisIndex]) -> Result<ViewBase<S::Ref<'_>>> {
        self.view().into_sub(index)
    }

    /// [`sub`](Self::sub), consuming this view (keeps its lifetime and writability).
    ///
    /// ```
    /// use buffer_runtime::{s, view::MemoryViewMut};
    /// let mut grid = [[0u8; 3]; 2];
    /// let mut row = MemoryViewMut::new(&mut grid).unwrap().into_sub(&s![1]).unwrap();
    /// row.set_as::<u8>(&[0], 5).unwrap();
    /// assert_eq!(grid[1][0], 5);
    /// ```
    pub fn into_sub(self, index: &[AxisIndex]) -> Result<Self> {
        let ndim = self.ndim();
        if ndim == 0 && !index.is_empty() {
            return Err(ViewError::type_error("invalid indexing of 0-dim memory"));
        }
        if index.len() > ndim {
            return Err(ViewError::type_error(alloc::format!(
                "cannot index {ndim}-dimension view with {}-element tuple",
                index.len()
            )));
        }
        let mut offset = self.offset as isize;
        let mut shape = Shape::new();
        let mut strides = Strides::new();
        for dim in 0..ndim {
            let (n, s) = (self.shape[dim], self.strides[dim]);
            match index.get(dim) {
                None => {
                    shape.push(n);
                    strides.push(s);
                }
                Some(AxisIndex::Index(i)) => {
                    let i = normalize_index(*i, n, dim)?;
                    offset = offset.wrapping_add((i as isize).wrapping_mul(s));
                }
                Some(AxisIndex::Slice(sl)) => {
                    let (start, _, step, len) = sl.indices(n)?;
                    // `start` may be -1 or n when `len` is 0: the offset then moves by at
                    // most one stride, never used for a read (no item), and is clamped below.
                    if len > 0 {
                        offset = offset.wrapping_add(start.wrapping_mul(s));
                    }
                    shape.push(len);
                    strides.push(s.wrapping_mul(step));
                }
            }
        }
        // A non-empty result's offset is exact (its items are items of this view); an empty
        // one's is never read, and is kept inside the bytes for invariant 5.
        let offset = if shape.contains(&0) {
            offset.clamp(0, self.data.len() as isize) as usize
        } else {
            offset as usize
        };
        self.with_layout(offset, shape, strides)
    }

    /// `view[slice]` on the first dimension, as CPython's memoryview slicing.
    ///
    /// ```
    /// use buffer_runtime::view::{MemoryView, Order, Slice};
    /// let view = MemoryView::from_bytes(&[0, 1, 2, 3, 4, 5]);
    /// let s = view.slice(Slice::new(Some(5), Some(1), -2)).unwrap(); // [5:1:-2]
    /// assert_eq!((s.shape(), s.byte_strides()), (&[2usize][..], &[-2isize][..]));
    /// assert_eq!(s.tobytes(Order::C), [5, 3]);
    /// ```
    pub fn slice(&self, slice: Slice) -> Result<ViewBase<S::Ref<'_>>> {
        self.slice_axis(0, slice)
    }

    /// `view[:, ..., slice]`: a slice of dimension `axis` (0-based).
    ///
    /// ```
    /// use buffer_runtime::view::{MemoryView, Order, Slice};
    /// let grid = [[1u8, 2, 3], [4, 5, 6]];
    /// let view = MemoryView::new(&grid).unwrap();
    /// let v = view.slice_axis(1, Slice::from(1..)).unwrap();
    /// assert_eq!(v.tobytes(Order::C), [2, 3, 5, 6]);
    /// ```
    pub fn slice_axis(&self, axis: usize, slice: Slice) -> Result<ViewBase<S::Ref<'_>>> {
        self.view().into_slice_axis(axis, slice)
    }

    /// [`slice_axis`](Self::slice_axis), consuming this view.
    ///
    /// ```
    /// use buffer_runtime::view::{MemoryView, Slice};
    /// let v = MemoryView::from_bytes(b"abc").into_slice_axis(0, Slice::from(1..)).unwrap();
    /// assert_eq!(v.shape(), &[2]);
    /// ```
    pub fn into_slice_axis(self, axis: usize, slice: Slice) -> Result<Self> {
        let spec = self.axis_spec(axis, AxisIndex::Slice(slice))?;
        self.into_sub(&spec)
    }

    /// `view[i]` as a sub-view: the (N-1)-d view of index `i` on the first dimension (CPython
    /// raises `NotImplementedError` for multi-dimensional views; numpy returns this).
    ///
    /// ```
    /// use buffer_runtime::view::{MemoryView, Order};
    /// let grid = [[1u8, 2], [3, 4]];
    /// let view = MemoryView::new(&grid).unwrap();
    /// assert_eq!(view.index(-1).unwrap().tobytes(Order::C), [3, 4]);
    /// ```
    pub fn index(&self, i: isize) -> Result<ViewBase<S::Ref<'_>>> {
        self.index_axis(0, i)
    }

    /// The (N-1)-d sub-view of index `i` on dimension `axis`.
    ///
    /// ```
    /// use buffer_runtime::view::{MemoryView, Order};
    /// let grid = [[1u8, 2], [3, 4]];
    /// let view = MemoryView::new(&grid).unwrap();
    /// assert_eq!(view.index_axis(1, 0).unwrap().tobytes(Order::C), [1, 3]);
    /// ```
    pub fn index_axis(&self, axis: usize, i: isize) -> Result<ViewBase<S::Ref<'_>>> {
        self.view().into_index_axis(axis, i)
    }

    /// [`index_axis`](Self::index_axis), consuming this view.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// let grid = [[1u8, 2], [3, 4]];
    /// assert_eq!(MemoryView::new(&grid).unwrap().into_index_axis(0, 1).unwrap().shape(), &[2]);
    /// ```
    pub fn into_index_axis(self, axis: usize, i: isize) -> Result<Self> {
        let spec = self.axis_spec(axis, AxisIndex::Index(i))?;
        self.into_sub(&spec)
    }

    fn axis_spec(&self, axis: usize, what: AxisIndex) -> Result<SmallVec<[AxisIndex; 4]>> {
        let ndim = self.ndim();
        if axis >= ndim {
            if ndim == 0 {
                return Err(ViewError::type_error("invalid indexing of 0-dim memory"));
            }
            return Err(ViewError::index_error(alloc::format!(
                "axis {axis} is out of bounds for a {ndim}-dimension view"
            )));
        }
        let mut spec: SmallVec<[AxisIndex; 4]> =
            SmallVec::from_elem(AxisIndex::Slice(Slice::FULL), axis + 1);
        spec[axis] = what;
        Ok(spec)
    }

    /// The transposed view: dimensions in reverse order (numpy's `a.T`). No copy.
    ///
    /// ```
    /// use buffer_runtime::view::{MemoryView, Order};
    /// let grid = [[1u8, 2, 3], [4, 5, 6]];
    /// let view = MemoryView::new(&grid).unwrap();
    /// let t = view.t();
    /// assert_eq!(t.shape(), &[3, 2]);
    /// assert_eq!(t.tobytes(Order::C), [1, 4, 2, 5, 3, 6]);
    /// ```
    pub fn t(&self) -> ViewBase<S::Ref<'_>> {
        self.view().reversed_axes()
    }

    /// [`t`](Self::t), consuming this view.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// let grid = [[1u8, 2, 3], [4, 5, 6]];
    /// assert_eq!(MemoryView::new(&grid).unwrap().reversed_axes().byte_strides(), &[1, 3]);
    /// ```
    pub fn reversed_axes(mut self) -> Self {
        // A permutation of (shape, stride) pairs keeps the set of item offsets: invariants hold.
        self.shape.reverse();
        self.strides.reverse();
        self
    }

    /// The view with its dimensions reordered: dimension `k` of the result is dimension
    /// `axes[k]` of this view (numpy's `transpose(axes)`). `ValueError` unless `axes` is a
    /// permutation of `0..ndim`.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// let cube = [[[0u8; 4]; 3]; 2];
    /// let v = MemoryView::new(&cube).unwrap();
    /// assert_eq!(v.permute_axes(&[2, 0, 1]).unwrap().shape(), &[4, 2, 3]);
    /// assert!(v.permute_axes(&[0, 0, 1]).is_err());
    /// ```
    pub fn permute_axes(&self, axes: &[usize]) -> Result<ViewBase<S::Ref<'_>>> {
        self.view().into_permuted_axes(axes)
    }

    /// [`permute_axes`](Self::permute_axes), consuming this view.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// let cube = [[[0u8; 4]; 3]; 2];
    /// let v = MemoryView::new(&cube).unwrap().into_permuted_axes(&[1, 0, 2]).unwrap();
    /// assert_eq!(v.shape(), &[3, 2, 4]);
    /// ```
    pub fn into_permuted_axes(mut self, axes: &[usize]) -> Result<Self> {
        let ndim = self.ndim();
        let mut seen = [false; MAX_NDIM];
        let bad = || {
            ViewError::value_error(alloc::format!(
                "axes {axes:?} are not a permutation of the {ndim} dimensions"
            ))
        };
        if axes.len() != ndim {
            return Err(bad());
        }
        for &a in axes {
            if a >= ndim || seen[a] {
                return Err(bad());
            }
            seen[a] = true;
        }
        let shape = axes.iter().map(|&a| self.shape[a]).collect();
        let strides = axes.iter().map(|&a| self.strides[a]).collect();
        self.shape = shape;
        self.strides = strides;
        Ok(self)
    }
}

impl<S: DataMut> ViewBase<S> {
    /// A writable view of the same items, borrowing this one exclusively.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryViewMut;
    /// let mut b = [0u8; 2];
    /// let mut view = MemoryViewMut::from_bytes(&mut b);
    /// view.view_mut().set_as::<u8>(&[1], 4).unwrap();
    /// drop(view);
    /// assert_eq!(b, [0, 4]);
    /// ```
    pub fn view_mut(&mut self) -> ViewBase<S::Mut<'_>> {
        ViewBase {
            data: self.data.reborrow_mut(),
            offset: self.offset,
            shape: self.shape.clone(),
            strides: self.strides.clone(),
            item: self.item.clone(),
        }
    }

    /// [`sub`](Self::sub), writable.
    ///
    /// ```
    /// use buffer_runtime::{s, view::MemoryViewMut};
    /// let mut grid = [[0u8; 2]; 2];
    /// let mut view = MemoryViewMut::new(&mut grid).unwrap();
    /// view.sub_mut(&s![.., 1]).unwrap().set_as::<u8>(&[0], 7).unwrap();
    /// drop(view);
    /// assert_eq!(grid, [[0, 7], [0, 0]]);
    /// ```
    pub fn sub_mut(&mut self, index: &[AxisIndex]) -> Result<ViewBase<S::Mut<'_>>> {
        self.view_mut().into_sub(index)
    }

    /// [`slice`](Self::slice), writable.
    ///
    /// ```
    /// use buffer_runtime::view::{MemoryViewMut, Slice};
    /// let mut b = [0u8; 4];
    /// let mut view = MemoryViewMut::from_bytes(&mut b);
    /// view.slice_mut(Slice::from(2..)).unwrap().set_as::<u8>(&[0], 1).unwrap();
    /// drop(view);
    /// assert_eq!(b, [0, 0, 1, 0]);
    /// ```
    pub fn slice_mut(&mut self, slice: Slice) -> Result<ViewBase<S::Mut<'_>>> {
        self.view_mut().into_slice_axis(0, slice)
    }

    /// [`slice_axis`](Self::slice_axis), writable.
    ///
    /// ```
    /// use buffer_runtime::view::{MemoryViewMut, Slice};
    /// let mut grid = [[0u8; 2]; 2];
    /// let mut view = MemoryViewMut::new(&mut grid).unwrap();
    /// assert_eq!(view.slice_axis_mut(1, Slice::from(1..)).unwrap().shape(), &[2, 1]);
    /// ```
    pub fn slice_axis_mut(&mut self, axis: usize, slice: Slice) -> Result<ViewBase<S::Mut<'_>>> {
        self.view_mut().into_slice_axis(axis, slice)
    }

    /// [`index`](Self::index), writable.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryViewMut;
    /// let mut grid = [[0u8; 2]; 2];
    /// let mut view = MemoryViewMut::new(&mut grid).unwrap();
    /// view.index_mut(1).unwrap().set_as::<u8>(&[1], 3).unwrap();
    /// drop(view);
    /// assert_eq!(grid, [[0, 0], [0, 3]]);
    /// ```
    pub fn index_mut(&mut self, i: isize) -> Result<ViewBase<S::Mut<'_>>> {
        self.view_mut().into_index_axis(0, i)
    }

    /// [`t`](Self::t), writable.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryViewMut;
    /// let mut grid = [[0u8; 2]; 2];
    /// let mut view = MemoryViewMut::new(&mut grid).unwrap();
    /// view.t_mut().set_as::<u8>(&[1, 0], 9).unwrap();
    /// drop(view);
    /// assert_eq!(grid, [[0, 9], [0, 0]]);
    /// ```
    pub fn t_mut(&mut self) -> ViewBase<S::Mut<'_>> {
        self.view_mut().reversed_axes()
    }
}

impl<S: DataRef> ViewBase<S> {
    /// The whole borrowed region the items lie in (the exporter's bytes). Only for the
    /// reference kinds: a [`SharedView`]'s bytes may change under any reference.
    ///
    /// ```
    /// use buffer_runtime::view::{MemoryView, Slice};
    /// let view = MemoryView::from_bytes(b"abcd");
    /// assert_eq!(view.slice(Slice::from(1..2)).unwrap().underlying_bytes(), b"abcd");
    /// ```
    pub fn underlying_bytes(&self) -> &[u8] {
        self.data.bytes()
    }

    /// This view as a [`MemoryView`], borrowing it.
    #[cfg_attr(not(feature = "rayon"), allow(dead_code))]
    pub(crate) fn ref_view(&self) -> MemoryView<'_> {
        ViewBase {
            data: self.data.bytes(),
            offset: self.offset,
            shape: self.shape.clone(),
            strides: self.strides.clone(),
            item: self.item.clone(),
        }
    }
}

impl<S: DataRefMut> ViewBase<S> {
    /// The whole borrowed region, writable.
    #[cfg_attr(not(any(feature = "rayon", feature = "ndarray")), allow(dead_code))]
    pub(crate) fn writable_bytes(&mut self) -> &mut [u8] {
        self.data.bytes_mut()
    }
}

/// Resolves a Python index (negative counts from the end) on a dimension of length `n`, with
/// CPython's `IndexError` (dimensions are numbered from 1 in the message, as in CPython).
fn normalize_index(i: isize, n: usize, dim: usize) -> Result<usize> {
    let n_i = n.min(isize::MAX as usize) as isize;
    let j = if i < 0 { i + n_i } else { i };
    if j < 0 || j >= n_i {
        return Err(ViewError::index_error(alloc::format!(
            "index out of bounds on dimension {}",
            dim + 1
        )));
    }
    Ok(j as usize)
}

/// The memory order of [`ViewBase::tobytes`]: C (row-major), Fortran (column-major), or
/// "any" (the physical order of a contiguous view, else C).
///
/// ```
/// use buffer_runtime::view::Order;
/// assert_eq!("F".parse::<Order>().unwrap(), Order::F);
/// assert_eq!("x".parse::<Order>().unwrap_err().to_string(), "order must be 'C', 'F' or 'A'");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Order {
    /// Row-major: the last index varies fastest.
    #[default]
    C,
    /// Column-major: the first index varies fastest.
    F,
    /// The physical order when the view is C- or Fortran-contiguous, else C.
    A,
}

impl core::str::FromStr for Order {
    type Err = ViewError;

    /// Parses CPython's spelling (`"C"`, `"F"`, `"A"`), with CPython's `ValueError`.
    ///
    /// ```
    /// use buffer_runtime::view::Order;
    /// assert_eq!("A".parse::<Order>().unwrap(), Order::A);
    /// ```
    fn from_str(s: &str) -> Result<Order> {
        match s {
            "C" => Ok(Order::C),
            "F" => Ok(Order::F),
            "A" => Ok(Order::A),
            _ => Err(ViewError::value_error("order must be 'C', 'F' or 'A'")),
        }
    }
}
