//! `MemoryView`: CPython's memoryview over any exporter, and more.
//!
//! A view borrows the bytes of an exporter (anything that implements
//! [`BufferExport`], or raw bytes described by a format, shape, strides and
//! offset) and offers what Python's `memoryview` offers, with CPython's semantics and error
//! messages: the attributes (`format`, `itemsize`, `shape`, `strides`, the contiguity flags,
//! ...), item access by a full tuple of indices, slicing, `tobytes`, `hex`, `tolist`,
//! `toreadonly` (here [`view`](ViewBase::view)), `cast`, equality by value and hashing.
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
//!     let col = view.sub(&buffer_runtime::index![.., 1]).unwrap();
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
//! Every method that derives a view comes in three forms, as ndarray's: `op(&self)` returns
//! a read-only view borrowing this one, `op_mut(&mut self)` a writable one (on writable views),
//! and `into_op(self)` consumes the view and keeps its lifetime and writability (use it to
//! chain: `view.t().into_sub(..)`). The operations: [`view`](ViewBase::view) /
//! [`view_mut`](ViewBase::view_mut) (the consuming form is the view itself),
//! [`sub`](ViewBase::sub), [`slice`](ViewBase::slice), [`slice_axis`](ViewBase::slice_axis),
//! [`index`](ViewBase::index), [`index_axis`](ViewBase::index_axis), [`t`](ViewBase::t),
//! [`permute_axes`](ViewBase::permute_axes), [`cast`](ViewBase::cast) and
//! [`field`](ViewBase::field). Axes are numbered by an [`Axis`], never by a bare integer, so
//! that `index_axis(Axis(1), 0)` cannot be misread.
//!
//! # CPython's and numpy's operations
//!
//! | Python                       | Rust                                                  |
//! |------------------------------|-------------------------------------------------------|
//! | `memoryview(obj)`            | [`MemoryView::new`], [`MemoryViewMut::new`], [`MemoryView::from_bytes`], [`MemoryView::from_parts`] |
//! | `format itemsize ndim shape` | [`format`](ViewBase::format), [`itemsize`](ViewBase::itemsize), [`ndim`](ViewBase::ndim), [`shape`](ViewBase::shape) |
//! | `strides suboffsets nbytes`  | [`byte_strides`](ViewBase::byte_strides), [`suboffsets`](ViewBase::suboffsets), [`nbytes`](ViewBase::nbytes) |
//! | `readonly`, `*contiguous`    | [`readonly`](ViewBase::readonly), [`c_contiguous`](ViewBase::c_contiguous), [`f_contiguous`](ViewBase::f_contiguous), [`contiguous`](ViewBase::contiguous) |
//! | `len(m)`, `len(m) == 0`      | [`len`](ViewBase::len), [`is_empty`](ViewBase::is_empty); no items: [`item_count`](ViewBase::item_count) `== 0` |
//! | `m[i, j]`, `m[()]`           | [`get`](ViewBase::get) (a [`Value`]), [`get_as`](ViewBase::get_as) (a Rust value) |
//! | `m[i, j] = v`                | [`set`](ViewBase::set), [`set_as`](ViewBase::set_as)  |
//! | `m[a:b:c]`                   | [`slice`](ViewBase::slice) with a [`Slice`]           |
//! | numpy `a[1, ::-1]`           | [`sub`](ViewBase::sub) with [`index!`](crate::index)`[1, ..;-1]` |
//! | numpy `a[:, a:b]`, `a[:, i]` | [`slice_axis`](ViewBase::slice_axis), [`index_axis`](ViewBase::index_axis) with an [`Axis`] |
//! | numpy `a.T`, `a.transpose(axes)` | [`t`](ViewBase::t), [`permute_axes`](ViewBase::permute_axes) (ndarray's `reversed_axes`, `permuted_axes`: [`into_t`](ViewBase::into_t), [`into_permute_axes`](ViewBase::into_permute_axes)) |
//! | `m[a:b:c] = src`             | [`assign_slice`](ViewBase::assign_slice)              |
//! | `tobytes(order)`, `hex(..)`  | [`tobytes`](ViewBase::tobytes) with an [`Order`], [`hex`](ViewBase::hex) |
//! | `tolist()`, `toreadonly()`   | [`tolist`](ViewBase::tolist), [`view`](ViewBase::view) |
//! | `cast(fmt, shape)`           | [`cast`](ViewBase::cast), [`cast_mut`](ViewBase::cast_mut), [`into_cast`](ViewBase::into_cast) |
//! | `m == n`, `hash(m)`          | `==` ([`equals`](ViewBase::equals)), [`try_hash`](ViewBase::try_hash) |
//!
//! # Where each operation lives
//!
//! One kind of operation per file, as ndarray's `impl_views/`:
//!
//! | File            | What it holds                                                         |
//! |-----------------|-----------------------------------------------------------------------|
//! | `base.rs`       | [`ViewBase`] and its [invariants](ViewBase#invariants), the aliases, conversions between storage kinds |
//! | `data.rs`       | the storage kinds ([`Data`], [`Shared`], [`SharedMut`], ...)          |
//! | `construct.rs`  | constructors (`new`, `from_bytes`, `from_parts`, `from_data*`) and the layout check |
//! | `attrs.rs`      | attributes: `format`, `itemsize`, `shape`, `byte_strides`, `nbytes`, `len`, contiguity, ... |
//! | `subview.rs`    | views of the same items and sub-views: `view`, `sub`, `slice`, `slice_axis`, `index`, `index_axis` |
//! | `axes.rs`       | transposition: `t`, `permute_axes`                                    |
//! | `cast.rs`       | `cast`                                                                |
//! | `values.rs`     | items as [`Value`]s: `get`, `set`, `fill`, `tolist`, `values`, equality, `field` |
//! | `typed.rs`      | items as Rust values: `check_type`, `get_as`, `set_as`, `iter_as`, `as_slice`, ... |
//! | `copy.rs`       | copies out and in: `tobytes`, `write_bytes`, `hex`, hashing, `copy_from`, `assign_slice*`, `fill_bytes` |
//! | `iter.rs`       | the walk over item offsets in C order                                 |
//! | `kernels.rs`    | the copy kernels behind `tobytes`                                     |
//! | `slice.rs`      | [`Slice`], [`AxisIndex`] and the slicing macro                        |
//! | `order.rs`      | [`Order`]                                                             |
//! | `item.rs`, `error.rs` | [`ItemFormat`], [`ViewError`]                                   |
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

mod attrs;
mod axes;
mod base;
mod cast;
mod construct;
mod copy;
mod data;
mod error;
mod item;
mod iter;
mod kernels;
mod order;
mod slice;
mod subview;
mod typed;
mod typed_view;
#[cfg(feature = "nalgebra")]
pub(crate) use typed::slice_mut_from_bytes;
mod values;

pub use base::{MemoryView, MemoryViewMut, Shape, SharedView, SharedViewMut, Strides, ViewBase};
pub use data::{Data, DataMut, DataRef, DataRefMut, Shared, SharedMut};
pub use error::{Cause, ErrorKind, Result, ViewError};
pub use item::ItemFormat;
pub use order::Order;
pub use slice::{Axis, AxisIndex, Slice};
pub use typed::TypedIter;
pub use typed_view::TypedView;
pub use values::values_equal;

/// The dynamic value of an item (re-exported from [`crate::format`]).
pub use crate::format::{Fields, Value};

pub use crate::geometry::MAX_NDIM;

#[cfg(doc)]
use crate::export::BufferExport;

// Helpers of the constructors that the other operations' files use.
