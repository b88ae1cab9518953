//! Typed zero-copy access: items read as Rust values after a layout check of the Rust type
//! against the view's format. The check lives here ([`check_type`](ViewBase::check_type)), as
//! do the accesses, which take its result; [`TypedView`](super::TypedView) runs the check once
//! and keeps its result, the one-call `*_as` methods of [`ViewBase`] run it on every call.
//!
//! The type `T` is any [`FieldType`]: an [`Element`](crate::Element), or an array of
//! them. An array `[E; n]` (or `[[E; m]; n]`, ...) reads either an item that is a sub-array
//! of that shape (format `(n)E`), or a run of the view's last dimensions of that shape, laid
//! out C-contiguously, whose items `E` describes: `iter_as::<[f32; 2]>()` over an `(N, 2)`
//! view of `f` gives `N` pairs, and the index of `get_as` then names the leading dimensions
//! only.

use core::marker::PhantomData;

use zerocopy::FromBytes;

use alloc::borrow::Cow;

use super::error::{Result, ViewError};
use super::item::ItemFormat;
use super::iter::OffsetIter;
use super::{Data, DataMut, DataRef, DataRefMut, ViewBase};
use crate::element::{Element, FieldType};
use crate::format::{MatchNames, Node};

impl<S: Data> ViewBase<S> {
    /// Checks that `T` describes this view's items (same layout: size, and the type, byte
    /// order and offset of every field). An array type `[E; n]` (or `[[E; m]; n]`, ...)
    /// describes an item that is a sub-array of that shape (format `(n)E`), or the view's last
    /// dimensions when they have that shape and are C-contiguous, with items `E`.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// let view = MemoryView::new(&[[1i32, 2], [3, 4]]).unwrap();
    /// assert!(view.check_type::<i32>().is_ok());
    /// assert!(view.check_type::<[i32; 2]>().is_ok());
    /// assert!(view.check_type::<[i32; 4]>().is_err());
    /// assert!(view.check_type::<f32>().is_err());
    /// ```
    pub fn check_type<T: FieldType>(&self) -> Result<()> {
        self.typed_ndim::<T>(MatchNames::Ignore).map(|_| ())
    }

    /// [`check_type`](Self::check_type), also requiring every field name of `T` to match.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// let raw = [0u8; 8];
    /// let view = MemoryView::from_parts(&raw, "T{i:a:}", &[2], None, 0).unwrap();
    /// assert!(view.check_type::<i32>().is_ok()); // names ignored
    /// assert!(view.check_type_named::<i32>().is_err()); // `i32` has no field `a`
    /// ```
    pub fn check_type_named<T: FieldType>(&self) -> Result<()> {
        self.typed_ndim::<T>(MatchNames::Require).map(|_| ())
    }

    /// Checks `T` against the items (see [`check_type`](Self::check_type)) and returns how
    /// many leading dimensions index values of `T`: all of them when `T` describes one item,
    /// `ndim - k` when `T` is a `k`-dimensional array read from the last `k` dimensions.
    ///
    /// When this returns `Ok(k)`, `size_of::<T>()` bytes starting at the offset of any item
    /// whose last `ndim - k` indices are 0 lie inside the view's items, which is what the
    /// reads and writes of this module rely on.
    pub(crate) fn typed_ndim<T: FieldType>(&self, names: MatchNames) -> Result<usize> {
        let size = core::mem::size_of::<T>();
        let sub = T::SUBARRAY_SHAPE;
        let ndim = self.ndim();
        let count = sub.iter().try_fold(1usize, |acc, &n| acc.checked_mul(n));
        if count.and_then(|c| c.checked_mul(core::mem::size_of::<T::Item>())) != Some(size) {
            // Only a `FieldType` impl that breaks its contract gets here.
            return Err(ViewError::value_error(alloc::format!(
                "memoryview: `{}` is not {sub:?} values of `{}`",
                core::any::type_name::<T>(),
                core::any::type_name::<T::Item>()
            )));
        }
        if sub.is_empty() {
            // `T` is its own item (the blanket `FieldType` impl of an `Element`).
            self.item.check_element::<T::Item>(names)?;
            return Ok(ndim);
        }
        if size == 0 {
            return Err(ViewError::value_error(alloc::format!(
                "memoryview: `{}` has no bytes to read",
                core::any::type_name::<T>()
            )));
        }
        // An item that is a sub-array of `T`'s shape (`(2)f` for `[f32; 2]`).
        if let Node::Array { dims, element } = self.item.layout().node() {
            if dims.as_slice() == sub && self.itemsize() == size {
                let element = ItemFormat::from_layout(Cow::Borrowed(""), (**element).clone());
                element.check_element::<T::Item>(names)?;
                return Ok(ndim);
            }
        }
        // The last dimensions, C-contiguous, as one `T`.
        let k = sub.len();
        let name = core::any::type_name::<T>();
        if ndim < k || self.shape[ndim - k..] != *sub {
            return Err(ViewError::value_error(alloc::format!(
                "memoryview: `{name}` needs items of format '({})...' or a view whose last \
                 dimensions are {sub:?}; this one has format '{}' and shape {:?}",
                sub.iter()
                    .map(|n| alloc::format!("{n}"))
                    .collect::<alloc::vec::Vec<_>>()
                    .join(","),
                self.format(),
                &self.shape[..]
            )));
        }
        self.item.check_element::<T::Item>(names)?;
        let mut run = self.itemsize();
        for d in (ndim - k..ndim).rev() {
            if self.shape[d] != 1 && self.strides[d] != run as isize {
                return Err(ViewError::buffer_error(alloc::format!(
                    "memoryview: `{name}` reads the last {k} dimension(s) as one value, which \
                     needs them C-contiguous (dimension {d} has stride {}, not {run})",
                    self.strides[d]
                )));
            }
            // Bounded by `size`: the shape of these dimensions is `T`'s.
            run *= self.shape[d];
        }
        debug_assert_eq!(run, size);
        Ok(ndim - k)
    }

    /// The item at a full index, read as a `T` (copied, so any alignment works). Indices
    /// follow [`get`](Self::get); for an array `T` read from the last dimensions they name
    /// the leading ones.
    ///
    /// Checks `T` on every call: [`typed`](Self::typed) checks once, then
    /// [`TypedView::get`](super::TypedView::get) only resolves the index.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// let grid = [[1u16, 2], [3, 4]];
    /// let view = MemoryView::new(&grid).unwrap();
    /// assert_eq!(view.get_as::<u16>(&[1, -1]).unwrap(), 4);
    /// assert_eq!(view.get_as::<[u16; 2]>(&[1]).unwrap(), [3, 4]);
    /// ```
    pub fn get_as<T: FieldType + FromBytes>(&self, index: &[isize]) -> Result<T> {
        let lead = self.typed_ndim::<T>(MatchNames::Ignore)?;
        self.value_at(lead, index)
    }

    /// Every item in C order, read as `T` (copied: works for any strides and alignment): the
    /// iterator of [`TypedView::iter`](super::TypedView::iter), after checking `T` (as every
    /// call does; see [`typed`](Self::typed)).
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// let grid = [[1u16, 2, 3], [4, 5, 6]];
    /// let view = MemoryView::new(&grid).unwrap();
    /// let col: Vec<u16> = view.t().iter_as::<u16>().unwrap().collect();
    /// assert_eq!(col, [1, 4, 2, 5, 3, 6]);
    /// let rows: Vec<[u16; 3]> = view.iter_as::<[u16; 3]>().unwrap().collect();
    /// assert_eq!(rows, grid);
    /// ```
    pub fn iter_as<T: FieldType + FromBytes>(&self) -> Result<TypedIter<'_, T, S::Ref<'_>>> {
        let lead = self.typed_ndim::<T>(MatchNames::Ignore)?;
        // SAFETY: `lead` is what `typed_ndim::<T>` just returned for this view.
        Ok(unsafe { self.iter_unchecked::<T>(lead) })
    }

    /// The value of `T` at an index of the first `lead` dimensions, copied.
    ///
    /// `lead` is what `typed_ndim::<T>` returned for this view (not needed for soundness:
    /// `read_at` checks its bounds).
    pub(crate) fn value_at<T: FieldType + FromBytes>(
        &self,
        lead: usize,
        index: &[isize],
    ) -> Result<T> {
        let off = self.offset_of_leading(index, lead)?;
        Ok(self.read_at::<T>(off))
    }

    /// The values of `T` in C order, over the first `lead` dimensions.
    ///
    /// # Safety
    ///
    /// `lead` is the `Ok` value of `self.typed_ndim::<T>(_)`: the iterator reads
    /// `size_of::<T>()` bytes at every offset of those dimensions without a bounds check.
    pub(crate) unsafe fn iter_unchecked<T: FieldType + FromBytes>(
        &self,
        lead: usize,
    ) -> TypedIter<'_, T, S::Ref<'_>> {
        TypedIter {
            base: self.data.as_ptr(),
            len: self.data.len(),
            slice: self.data.as_slice(),
            offsets: alloc::boxed::Box::new(OffsetIter::new(
                &self.shape[..lead],
                &self.strides[..lead],
                self.offset,
            )),
            cur: 0,
            left: 0,
            stride: 0,
            _item: PhantomData,
        }
    }

    /// Writes `value` at an index of the first `lead` dimensions (what `typed_ndim::<T>`
    /// returned). CPython's `TypeError` on a read-only view.
    pub(crate) fn write_value<T: FieldType + FromBytes>(
        &mut self,
        lead: usize,
        index: &[isize],
        value: &T,
    ) -> Result<()> {
        let off = self.offset_of_leading(index, lead)?;
        self.write_from(off, crate::element::field_bytes(value))
    }
}

impl<S: DataRef> ViewBase<S> {
    /// A reference to the item at a full index, when it is aligned for `T` (`BufferError`
    /// otherwise; [`get_as`](Self::get_as) copies instead and works at any alignment).
    ///
    /// Checks `T` on every call: [`typed`](Self::typed) checks once, then
    /// [`TypedView::get_ref`](super::TypedView::get_ref).
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// let v = [10u64, 20, 30];
    /// let view = MemoryView::new(&v).unwrap();
    /// assert!(std::ptr::eq(view.get_ref_as::<u64>(&[1]).unwrap(), &v[1]));
    /// ```
    pub fn get_ref_as<T: FieldType + FromBytes>(&self, index: &[isize]) -> Result<&T> {
        let lead = self.typed_ndim::<T>(MatchNames::Ignore)?;
        self.ref_at(lead, index)
    }

    /// The items as a slice of `T`, when the view is C-contiguous and its first item is aligned
    /// for `T` (`BufferError` otherwise). No copy.
    ///
    /// Checks `T` on every call: [`typed`](Self::typed) checks once, then
    /// [`TypedView::as_slice`](super::TypedView::as_slice).
    ///
    /// ```
    /// use buffer_runtime::view::{MemoryView, Slice};
    /// let v = vec![1.0f64, 2.0, 3.0];
    /// let view = MemoryView::new(&v).unwrap();
    /// assert_eq!(view.as_slice::<f64>().unwrap(), &[1.0, 2.0, 3.0]);
    /// assert!(view.slice(Slice::FULL.step_by(2)).unwrap().as_slice::<f64>().is_err());
    /// ```
    pub fn as_slice<T: FieldType + FromBytes>(&self) -> Result<&[T]> {
        self.check_type::<T>()?;
        self.values_slice()
    }

    /// The reference of [`get_ref_as`](Self::get_ref_as), `lead` from `typed_ndim::<T>`.
    pub(crate) fn ref_at<T: FieldType + FromBytes>(
        &self,
        lead: usize,
        index: &[isize],
    ) -> Result<&T> {
        let off = self.offset_of_leading(index, lead)?;
        let size = core::mem::size_of::<T>();
        // A slice of one `T`: `[T]` is `KnownLayout` for every `T`, so `T` needs not be.
        <[T]>::ref_from_bytes(&self.data.bytes()[off..off + size])
            .map(|one| &one[0])
            .map_err(|_| misaligned::<T>(off))
    }

    /// The slice of [`as_slice`](Self::as_slice), for a `T` already checked.
    pub(crate) fn values_slice<T: FieldType + FromBytes>(&self) -> Result<&[T]> {
        let (start, end) = self.contiguous_range()?;
        <[T]>::ref_from_bytes(&self.data.bytes()[start..end]).map_err(|_| misaligned::<T>(start))
    }

    pub(crate) fn contiguous_range(&self) -> Result<(usize, usize)> {
        if !self.c_contiguous() {
            return Err(ViewError::buffer_error(
                "memoryview: as_slice needs a C-contiguous view",
            ));
        }
        if self.item_count() == 0 {
            return Ok((self.offset, self.offset));
        }
        Ok((self.offset, self.offset + self.nbytes()))
    }
}

fn misaligned<T>(offset: usize) -> ViewError {
    ViewError::buffer_error(alloc::format!(
        "memoryview: the item at byte offset {offset} is not aligned to {} bytes for `{}`",
        core::mem::align_of::<T>(),
        core::any::type_name::<T>()
    ))
}

impl<S: Data> ViewBase<S> {
    /// Writes `value` at a full index (CPython's `TypeError` on a read-only view).
    ///
    /// Checks `T` on every call: [`typed_mut`](Self::typed_mut) checks once, then
    /// [`TypedView::set`](super::TypedView::set).
    ///
    /// ```
    /// use buffer_runtime::view::{MemoryView, MemoryViewMut};
    /// let mut v = [0u32; 3];
    /// let mut view = MemoryViewMut::new(&mut v).unwrap();
    /// view.set_as::<u32>(&[-1], 7).unwrap();
    /// drop(view);
    /// assert_eq!(v, [0, 0, 7]);
    /// let err = MemoryView::new(&v).unwrap().set_as::<u32>(&[0], 1).unwrap_err();
    /// assert_eq!(err.to_string(), "cannot modify read-only memory");
    /// ```
    pub fn set_as<T: FieldType + FromBytes>(&mut self, index: &[isize], value: T) -> Result<()> {
        self.check_writable()?;
        let lead = self.typed_ndim::<T>(MatchNames::Ignore)?;
        self.write_value(lead, index, &value)
    }
}

impl<S: DataMut> ViewBase<S> {
    /// Calls `f` on every item in C order, as a `T` it may change (read, `f`, written back; any
    /// strides and alignment).
    ///
    /// Checks `T` first, as every call does:
    /// [`TypedView::for_each_mut`](super::TypedView::for_each_mut) needs no check.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryViewMut;
    /// let mut grid = [[1u8, 2], [3, 4]];
    /// let mut view = MemoryViewMut::new(&mut grid).unwrap();
    /// view.t_mut().for_each_mut::<u8>(|x| *x *= 10).unwrap();
    /// drop(view);
    /// assert_eq!(grid, [[10, 20], [30, 40]]);
    /// ```
    pub fn for_each_mut<T: FieldType + FromBytes>(&mut self, f: impl FnMut(&mut T)) -> Result<()> {
        let lead = self.typed_ndim::<T>(MatchNames::Ignore)?;
        self.for_each_value_mut(lead, f);
        Ok(())
    }

    /// The loop of [`for_each_mut`](Self::for_each_mut), `lead` from `typed_ndim::<T>`.
    pub(crate) fn for_each_value_mut<T: FieldType + FromBytes>(
        &mut self,
        lead: usize,
        mut f: impl FnMut(&mut T),
    ) {
        let (shape, strides, offset) = (self.shape.clone(), self.strides.clone(), self.offset);
        for off in OffsetIter::new(&shape[..lead], &strides[..lead], offset) {
            let mut v = self.read_at::<T>(off);
            f(&mut v);
            // Cannot fail: a `DataMut` kind always writes (`try_as_mut_ptr` is `Some`), and
            // `off` is an offset of this view.
            let _ = self.write_from(off, crate::element::field_bytes(&v));
        }
    }
}

impl<S: DataRefMut> ViewBase<S> {
    /// The items as a mutable slice of `T`: see [`as_slice`](Self::as_slice).
    ///
    /// Checks `T` on every call: [`typed_mut`](Self::typed_mut) checks once, then
    /// [`TypedView::as_slice_mut`](super::TypedView::as_slice_mut).
    ///
    /// ```
    /// use buffer_runtime::view::MemoryViewMut;
    /// let mut v = vec![1i64, 2, 3];
    /// let mut view = MemoryViewMut::new(&mut v).unwrap();
    /// view.as_slice_mut::<i64>().unwrap()[1] = 20;
    /// drop(view);
    /// assert_eq!(v, [1, 20, 3]);
    /// ```
    pub fn as_slice_mut<T: FieldType + FromBytes>(&mut self) -> Result<&mut [T]> {
        self.check_type::<T>()?;
        self.values_slice_mut()
    }

    /// A mutable reference to the item at a full index, when it is aligned for `T`
    /// (`BufferError` otherwise; [`set_as`](Self::set_as) works at any alignment).
    ///
    /// Checks `T` on every call: [`typed_mut`](Self::typed_mut) checks once, then
    /// [`TypedView::get_mut`](super::TypedView::get_mut).
    ///
    /// ```
    /// use buffer_runtime::view::MemoryViewMut;
    /// let mut v = [[1u32, 2], [3, 4]];
    /// let mut view = MemoryViewMut::new(&mut v).unwrap();
    /// *view.get_mut_as::<u32>(&[1, 0]).unwrap() += 10;
    /// drop(view);
    /// assert_eq!(v, [[1, 2], [13, 4]]);
    /// ```
    pub fn get_mut_as<T: FieldType + FromBytes>(&mut self, index: &[isize]) -> Result<&mut T> {
        let lead = self.typed_ndim::<T>(MatchNames::Ignore)?;
        self.mut_at(lead, index)
    }

    /// The slice of [`as_slice_mut`](Self::as_slice_mut), for a `T` already checked (the
    /// check [`slice_mut_from_bytes`] relies on).
    pub(crate) fn values_slice_mut<T: FieldType + FromBytes>(&mut self) -> Result<&mut [T]> {
        let (start, end) = self.contiguous_range()?;
        slice_mut_from_bytes::<T>(&mut self.data.bytes_mut()[start..end])
            .ok_or_else(|| misaligned::<T>(start))
    }

    /// The reference of [`get_mut_as`](Self::get_mut_as), for a `T` already checked and
    /// `lead` from `typed_ndim::<T>`.
    pub(crate) fn mut_at<T: FieldType + FromBytes>(
        &mut self,
        lead: usize,
        index: &[isize],
    ) -> Result<&mut T> {
        let off = self.offset_of_leading(index, lead)?;
        let size = core::mem::size_of::<T>();
        let values = slice_mut_from_bytes::<T>(&mut self.data.bytes_mut()[off..off + size])
            .ok_or_else(|| misaligned::<T>(off))?;
        Ok(&mut values[0])
    }
}

/// `bytes` as values of `T`, when they are aligned for `T` and a whole number of them.
///
/// zerocopy's `mut_from_bytes` would ask `T: IntoBytes`, which a generic derived struct cannot
/// derive; what it stands for, that every byte of a `T` is initialised (so writing a `T`
/// through the result leaves the bytes initialised), is `FieldType`'s contract, evaluated with
/// the item's `FORMAT` by the type check that precedes every call.
pub(crate) fn slice_mut_from_bytes<T: FieldType + FromBytes>(bytes: &mut [u8]) -> Option<&mut [T]> {
    let size = core::mem::size_of::<T>();
    if size == 0
        || bytes.len() % size != 0
        || (bytes.as_ptr() as usize) % core::mem::align_of::<T>() != 0
    {
        return None;
    }
    const { assert!(!<T::Item as Element>::FORMAT.is_empty()) };
    // The region is `bytes.len() / size` values of `T` long, aligned for `T` (both
    // checked above), and borrowed exclusively for the result's lifetime. Any bytes are a
    // valid `T` (`FromBytes`), and any `T` written through the result is fully initialised
    // (`FieldType`'s contract, its `FORMAT` evaluated above), so the bytes stay valid `u8`s.
    // SAFETY: length and alignment checked; `T: FromBytes`, written `T`s fully initialised.
    Some(unsafe {
        core::slice::from_raw_parts_mut(bytes.as_mut_ptr().cast::<T>(), bytes.len() / size)
    })
}

/// The next row of `offsets`, kept out of line so that [`TypedIter::next`] stays small.
#[cold]
#[inline(never)]
fn next_row(offsets: &mut OffsetIter<'_>) -> Option<(usize, usize, isize)> {
    offsets.take_row()
}

/// The items of a view in C order, read as `T`: see
/// [`TypedView::iter`](super::TypedView::iter) and [`ViewBase::iter_as`]. `S` is the
/// storage kind it reads (`&[u8]` for a [`MemoryView`](super::MemoryView),
/// [`Shared`](super::Shared) for a [`SharedView`](super::SharedView)); it is `Send` and
/// `Sync` when `S` is.
///
/// ```
/// use buffer_runtime::view::MemoryView;
/// let v = [1u8, 2, 3];
/// let view = MemoryView::new(&v).unwrap();
/// let mut it = view.iter_as::<u8>().unwrap();
/// assert_eq!(it.len(), 3);
/// assert_eq!(it.next(), Some(1));
/// ```
pub struct TypedIter<'v, T, S: Data = &'v [u8]> {
    /// The region the view reads (`len` bytes at `base`), valid for reads while `'v` lasts:
    /// the iterator borrows the view, whose storage guarantees that.
    base: *const u8,
    len: usize,
    /// The region as a slice, for the reference kinds: then aligned contiguous rows are read
    /// through a `&[T]`.
    slice: Option<&'v [u8]>,
    /// The rows not yet started. Boxed so that the out-of-line row refill gets a pointer to
    /// the heap, not into this struct: the hot fields below then stay in registers.
    offsets: alloc::boxed::Box<OffsetIter<'v>>,
    /// The current row: offset of its next item, items left, stride.
    cur: isize,
    left: usize,
    stride: isize,
    _item: PhantomData<(fn() -> T, S)>,
}

// SAFETY: the iterator only reads the region through `base`, as a borrow of storage `S` would;
// it may move to or be shared with another thread when such a borrow may (`S: Send`/`Sync`:
// the reference kinds are, the shared kinds are not). Its other fields are plain data.
unsafe impl<T, S: Data + Send> Send for TypedIter<'_, T, S> {}
// SAFETY: as for `Send`: `&TypedIter` gives no access at all to the region.
unsafe impl<T, S: Data + Sync> Sync for TypedIter<'_, T, S> {}

impl<T: FieldType + FromBytes, S: Data> Iterator for TypedIter<'_, T, S> {
    type Item = T;

    #[inline]
    fn next(&mut self) -> Option<T> {
        if self.left == 0 {
            // Only `offsets` is passed out of line, so `cur`, `left` and `stride` can live
            // in registers across the loop that calls `next`.
            let (first, len, stride) = next_row(&mut self.offsets)?;
            (self.cur, self.left, self.stride) = (first as isize, len, stride);
        }
        let off = self.cur as usize;
        self.cur = self.cur.wrapping_add(self.stride);
        self.left -= 1;
        let size = core::mem::size_of::<T>();
        debug_assert!(off + size <= self.len);
        // `off` is the offset of a value of the view this iterator borrows, so
        // `off + size_of::<T>() <= len` (what `typed_ndim` returns `Ok` for, from the view's
        // invariant 4); the read is in bounds of the region, readable while the view is
        // borrowed. `read_unaligned` copies without forming a reference, needs no alignment,
        // and every bit pattern is a valid `T` (`T: FromBytes`).
        // SAFETY: `off + size_of::<T>() <= len` (`typed_ndim`, invariant 4); `T: FromBytes`.
        Some(unsafe { core::ptr::read_unaligned(self.base.add(off).cast::<T>()) })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.left + self.offsets.len();
        (n, Some(n))
    }

    /// Row by row: a tight loop along the last dimension (what `sum`, `for_each`, `collect`
    /// and friends use).
    fn fold<B, F: FnMut(B, T) -> B>(mut self, init: B, mut f: F) -> B {
        let size = core::mem::size_of::<T>();
        let base = self.base;
        let mut acc = init;
        // The rest of the current row first, then whole rows.
        let mut current = (self.left > 0).then_some((self.cur as usize, self.left, self.stride));
        self.left = 0;
        while let Some((first, len, stride)) = current.take().or_else(|| self.offsets.take_row()) {
            if let (true, Some(bytes)) = (stride == size as isize, self.slice) {
                // A contiguous row of a reference kind: as a `&[T]` when aligned (the compiler
                // can vectorise).
                if let Ok(row) = <[T]>::ref_from_bytes(&bytes[first..first + len * size]) {
                    for x in row {
                        // `x` is a valid, aligned reference to a `T` (zerocopy checked
                        // size and alignment), so `read` is defined; it makes a bitwise copy,
                        // which is a valid, independent `T` because `T: FromBytes` - the same
                        // value a safe byte-wise copy of `*x` would give.
                        // SAFETY: `x` is an aligned `&T`; its copy is valid (`FromBytes`).
                        acc = f(acc, unsafe { core::ptr::read(x) });
                    }
                    continue;
                }
            }
            let mut off = first as isize;
            for _ in 0..len {
                debug_assert!(off >= 0 && off as usize + size <= self.len);
                // `off` steps through the offsets of the values of one row of the
                // view this iterator borrows (the row's first plus k strides, k < len), each
                // followed by `size_of::<T>()` bytes in bounds (`typed_ndim`, invariant 4).
                // `read_unaligned` needs no alignment and `T: FromBytes` accepts any bits.
                // SAFETY: each `off` is in bounds (above); `T: FromBytes`.
                let x = unsafe { core::ptr::read_unaligned(base.offset(off).cast::<T>()) };
                acc = f(acc, x);
                off = off.wrapping_add(stride);
            }
        }
        acc
    }
}

impl<T: FieldType + FromBytes, S: Data> ExactSizeIterator for TypedIter<'_, T, S> {}

impl<T, S: Data> core::fmt::Debug for TypedIter<'_, T, S> {
    /// The item type and how many items are left.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// let view = MemoryView::new(&[1u8, 2]).unwrap();
    /// assert_eq!(format!("{:?}", view.iter_as::<u8>().unwrap()), "TypedIter { item: \"u8\", left: 2 }");
    /// ```
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("TypedIter")
            .field("item", &core::any::type_name::<T>())
            .field("left", &(self.left + self.offsets.len()))
            .finish()
    }
}
