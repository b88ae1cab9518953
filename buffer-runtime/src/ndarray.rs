//! ndarray 0.17 interop (feature `ndarray`): typed views as `ArrayView`/`ArrayViewMut` without
//! copying, and ndarray arrays as exporters.
//!
//! Strides differ in unit: a [`MemoryView`](crate::view::MemoryView)'s are bytes, ndarray's
//! count elements. A view converts only when every byte stride is a multiple of the item size
//! (a field projection, whose stride is the record's size, is refused with an error: its items
//! are not an array of `T`), and when its first item is aligned for `T`. Negative strides
//! convert to negative ndarray strides.
//!
//! ```
//! use buffer_runtime::view::MemoryView;
//! use buffer_runtime::index;
//!
//! let grid = [[1i32, 2, 3], [4, 5, 6]];
//! let view = MemoryView::new(&grid).unwrap();
//! let flipped = view.sub(&index![.., ..;-1]).unwrap();
//! let a = flipped.as_array::<i32>().unwrap();
//! assert_eq!(a.shape(), &[2, 3]);
//! assert_eq!(a.strides(), &[3, -1]);
//! assert_eq!(a[[1, 0]], 6);
//! assert!(std::ptr::eq(&a[[1, 0]], &grid[1][2])); // no copy
//! ```
//!
//! And back: any ndarray array whose elements are contiguous in memory (in any order, negative
//! strides included) exports them, with byte strides `element strides * size_of::<A>()` and
//! the first element's byte offset:
//!
//! ```
//! use buffer_runtime::view::MemoryView;
//! use ndarray::{array, s};
//!
//! let a = array![[1u16, 2, 3], [4, 5, 6]];
//! let rev = a.slice(s![.., ..;-1]);
//! let view = MemoryView::new(&rev).unwrap();
//! assert_eq!(view.byte_strides(), &[6, -2]);
//! assert_eq!(view.get_as::<u16>(&[0, 0]).unwrap(), 3);
//! ```

use core::ptr::NonNull;

use ndarray::{
    ArrayBase, ArrayRef, ArrayViewD, ArrayViewMutD, Axis, Dimension, IxDyn, ShapeBuilder,
};
use smallvec::SmallVec;
use zerocopy::FromBytes;

use crate::export::{
    items_disjoint, BufferExport, BufferExportMut, BufferLayout, BufferLayoutError, Dims,
};
use crate::view::{DataRef, DataRefMut, Result, TypedView, ViewBase, ViewError};
use crate::{Element, StaticBufferLayout};

/// How to build an ndarray view of a byte view: the lowest-addressed item, non-negative
/// element strides, and the axes to invert afterwards (those whose byte stride is negative).
struct Plan {
    /// Byte offset of the lowest-addressed item (`None` for an empty view).
    low: Option<usize>,
    shape: SmallVec<[usize; 4]>,
    strides: SmallVec<[usize; 4]>,
    inverted: SmallVec<[usize; 4]>,
}

/// Checks that the items of a view with this layout, at `base`, form an array of `T`, and plans
/// the ndarray view.
fn plan<T>(
    shape: &[usize],
    byte_strides: &[isize],
    offset: usize,
    base: *const u8,
) -> Result<Plan> {
    let size = core::mem::size_of::<T>();
    let align = core::mem::align_of::<T>();
    let mut plan = Plan {
        low: None,
        shape: SmallVec::from_slice(shape),
        strides: SmallVec::new(),
        inverted: SmallVec::new(),
    };
    if size == 0 {
        return Err(ViewError::buffer_error(
            "ndarray: zero-sized items cannot be viewed",
        ));
    }
    if shape.contains(&0) {
        plan.strides.resize(shape.len(), 0);
        return Ok(plan);
    }
    let mut low = offset as isize;
    for (k, (&n, &s)) in shape.iter().zip(byte_strides).enumerate() {
        if s % size as isize != 0 {
            return Err(ViewError::buffer_error(alloc::format!(
                "ndarray: the byte stride {s} of dimension {k} is not a multiple of the item size \
                 {size} (a field projection?): ndarray strides count whole items; read the items \
                 with iter_as, or copy them out"
            )));
        }
        if s < 0 {
            // In bounds by the view's invariant 4: the lowest item is inside the bytes.
            low += s * (n as isize - 1);
            plan.inverted.push(k);
        }
        plan.strides.push(s.unsigned_abs() / size);
    }
    if (base as usize).wrapping_add(offset) % align != 0 {
        return Err(ViewError::buffer_error(alloc::format!(
            "ndarray: the first item is not aligned to {align} bytes for {}: copy the items out",
            core::any::type_name::<T>()
        )));
    }
    plan.low = Some(low as usize);
    Ok(plan)
}

impl<S: DataRef> ViewBase<S> {
    /// The items as an ndarray `ArrayViewD<T>`, without copying: same shape, element strides
    /// (byte strides divided by the item size, negative ones included). Fails when `T` does not
    /// match the format, a byte stride is not a multiple of `size_of::<T>()` (a field
    /// projection), or the first item is not aligned for `T`.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// let v = [1.0f64, 2.0, 3.0, 4.0];
    /// let view = MemoryView::new(&v).unwrap();
    /// let a = view.as_array::<f64>().unwrap();
    /// assert_eq!(a.sum(), 10.0);
    /// assert!(view.as_array::<i64>().is_err()); // not the format
    /// ```
    pub fn as_array<T: Element + FromBytes>(&self) -> Result<ArrayViewD<'_, T>> {
        self.check_type::<T>()?;
        // SAFETY: `T` was just checked against this view's items.
        unsafe { self.array_unchecked() }
    }

    /// [`as_array`](Self::as_array) without the type check.
    ///
    /// # Safety
    ///
    /// `T` passed [`check_type`](Self::check_type) for this view's layout: its size is the
    /// item size, which the bounds argument below relies on.
    unsafe fn array_unchecked<T: Element + FromBytes>(&self) -> Result<ArrayViewD<'_, T>> {
        let bytes = self.underlying_bytes();
        let plan = plan::<T>(
            self.shape(),
            self.byte_strides(),
            self.offset(),
            bytes.as_ptr(),
        )?;
        let ptr = match plan.low {
            Some(low) => bytes[low..].as_ptr().cast::<T>(),
            None => NonNull::<T>::dangling().as_ptr(),
        };
        let shape = IxDyn(&plan.shape).strides(IxDyn(&plan.strides));
        // `from_shape_ptr`'s conditions hold: (1) the elements are items of this view, which
        // lie inside `bytes` (invariant 4: every index, including the lowest-addressed item at
        // `low` and every step by the non-negative element strides planned from it, is in
        // bounds), borrowed shared for the returned lifetime, so nothing mutates them while
        // the array lives; each is a valid `T` because `T: FromBytes`, and `size_of::<T>()` is
        // the item size (`T` passed `check_type`: this function's contract). (2) `ptr` is
        // non-null and aligned: `plan` checked the first item's alignment and every stride is
        // a multiple of `size_of::<T>()`, itself a multiple of `align_of::<T>()`, so every item
        // (the lowest one included) is aligned; an empty view uses `NonNull::dangling`, which
        // is aligned. (3) The extents are at
        // most `bytes.len() <= isize::MAX` bytes (invariant 3 bounds `nbytes` too), so no offset
        // overflows. (4) Strides are non-negative: negative ones are applied below by
        // `invert_axis`, which ndarray implements safely.
        // SAFETY: conditions (1)-(4) of `from_shape_ptr`, argued just above.
        let mut array = unsafe { ArrayViewD::from_shape_ptr(shape, ptr) };
        for &axis in &plan.inverted {
            array.invert_axis(Axis(axis));
        }
        Ok(array)
    }
}

impl<S: DataRefMut> ViewBase<S> {
    /// The items as an ndarray `ArrayViewMutD<T>`, without copying: see
    /// [`as_array`](Self::as_array). Also refuses layouts in which two indices reach the same
    /// bytes (zero or overlapping strides), since ndarray's mutable elements must not alias.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryViewMut;
    /// let mut grid = [[1u32, 2], [3, 4]];
    /// let mut view = MemoryViewMut::new(&mut grid).unwrap();
    /// let mut t = view.t_mut();
    /// t.as_array_mut::<u32>().unwrap().index_axis_mut(ndarray::Axis(0), 0).fill(9); // column 0
    /// drop(view);
    /// assert_eq!(grid, [[9, 2], [9, 4]]);
    /// ```
    pub fn as_array_mut<T: Element + FromBytes>(&mut self) -> Result<ArrayViewMutD<'_, T>> {
        self.check_type::<T>()?;
        // SAFETY: `T` was just checked against this view's items.
        unsafe { self.array_mut_unchecked() }
    }

    /// [`as_array_mut`](Self::as_array_mut) without the type check.
    ///
    /// # Safety
    ///
    /// As for `array_unchecked`: `T` passed `check_type` for this view's layout.
    unsafe fn array_mut_unchecked<T: Element + FromBytes>(
        &mut self,
    ) -> Result<ArrayViewMutD<'_, T>> {
        if !items_disjoint(self.shape(), self.byte_strides(), self.itemsize()) {
            return Err(ViewError::buffer_error(
                "ndarray: two indices of this view reach the same bytes (zero or overlapping \
                 strides), so it cannot be a mutable array",
            ));
        }
        let shape: SmallVec<[usize; 4]> = SmallVec::from_slice(self.shape());
        let strides: SmallVec<[isize; 4]> = SmallVec::from_slice(self.byte_strides());
        let offset = self.offset();
        let bytes = self.writable_bytes();
        let plan = plan::<T>(&shape, &strides, offset, bytes.as_ptr())?;
        let ptr = match plan.low {
            Some(low) => bytes[low..].as_mut_ptr().cast::<T>(),
            None => NonNull::<T>::dangling().as_ptr(),
        };
        let dims = IxDyn(&plan.shape).strides(IxDyn(&plan.strides));
        // As in `as_array` (bounds, validity, alignment, extents, non-negative strides),
        // and: the elements are borrowed exclusively (`bytes` comes from
        // `&mut self`, whose data is the view's `&mut [u8]`) for the returned lifetime, and
        // `items_disjoint` proved that no two indices reach a common byte, so no element is
        // aliased by another; `T: FromBytes` makes any bytes written through one valid.
        // SAFETY: `from_shape_ptr`'s conditions and exclusive, unaliased elements, argued above.
        let mut array = unsafe { ArrayViewMutD::from_shape_ptr(dims, ptr) };
        for &axis in &plan.inverted {
            array.invert_axis(Axis(axis));
        }
        Ok(array)
    }
}

impl<T: Element + FromBytes, S: DataRef> TypedView<T, S> {
    /// The values as an ndarray `ArrayViewD<T>`, without copying and without a type check:
    /// [`ViewBase::as_array`]'s layout rules (byte strides multiples of the item size, first
    /// item aligned).
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// let grid = [[1i32, 2, 3], [4, 5, 6]];
    /// let view = MemoryView::new(&grid).unwrap();
    /// let typed = view.t().into_typed::<i32>().unwrap();
    /// let a = typed.as_array().unwrap();
    /// assert_eq!(a.shape(), &[3, 2]);
    /// assert_eq!(a[[2, 1]], 6);
    /// ```
    pub fn as_array(&self) -> Result<ArrayViewD<'_, T>> {
        // SAFETY: the typed view was checked for `T` when made, and an `Element` describes
        // the whole item (the check's `typed_ndim` is the view's `ndim`).
        unsafe { self.as_untyped().array_unchecked() }
    }
}

impl<T: Element + FromBytes, S: DataRefMut> TypedView<T, S> {
    /// The values as an ndarray `ArrayViewMutD<T>`: see [`ViewBase::as_array_mut`], without
    /// the type check.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryViewMut;
    /// let mut v = [1u8, 2, 3];
    /// let mut view = MemoryViewMut::new(&mut v).unwrap();
    /// view.typed_mut::<u8>().unwrap().as_array_mut().unwrap().map_inplace(|x| *x *= 2);
    /// drop(view);
    /// assert_eq!(v, [2, 4, 6]);
    /// ```
    pub fn as_array_mut(&mut self) -> Result<ArrayViewMutD<'_, T>> {
        // SAFETY: as in `as_array`.
        unsafe { self.untyped_mut().array_mut_unchecked() }
    }
}

/// The layout of an ndarray array, whose elements are contiguous in memory (in any axis order,
/// negative strides included) starting at `slice`.
fn array_layout<A: StaticBufferLayout>(
    shape: &[usize],
    strides: &[isize],
    first: *const A,
    slice: &[A],
) -> core::result::Result<BufferLayout, BufferLayoutError> {
    let size = core::mem::size_of::<A>() as isize;
    let mut full_shape: SmallVec<[usize; 4]> = SmallVec::from_slice(shape);
    full_shape.extend_from_slice(A::SHAPE);
    let mut full_strides: SmallVec<[isize; 4]> = SmallVec::new();
    for &s in strides {
        full_strides.push(s.checked_mul(size).ok_or(BufferLayoutError::Overflow)?);
    }
    full_strides.extend_from_slice(A::STRIDES);
    let offset = if slice.is_empty() {
        0
    } else {
        (first as usize) - (slice.as_ptr() as usize)
    };
    Ok(BufferLayout {
        shape: Dims::Owned(full_shape),
        strides: Dims::Owned(full_strides),
        offset,
    })
}

/// Every ndarray array (`Array`, `ArrayView`, `ArrayViewMut`, `ArcArray`, `CowArray`) of
/// buffer items exports them when they are contiguous in memory; a sliced view with gaps is a
/// [`BufferLayoutError::NotContiguous`] (its `buffer_layout` is [`BufferLayout::invalid`], which views
/// refuse), because the gaps may be borrowed elsewhere. It exports what its
/// [`ArrayRef`] exports.
///
/// ```
/// use buffer_runtime::{BufferExport, BufferLayoutError};
/// use ndarray::{array, s};
///
/// let a = array![[1.0f32, 2.0], [3.0, 4.0]];
/// assert_eq!(&*a.t().buffer_layout().strides, &[4, 8]);
/// assert_eq!(a.slice(s![.., 0]).try_buffer_layout(), Err(BufferLayoutError::NotContiguous));
/// ```
impl<A, S, D> BufferExport for ArrayBase<S, D>
where
    A: StaticBufferLayout,
    S: ndarray::Data<Elem = A>,
    D: Dimension,
{
    type Item = A::Item;

    fn try_buffer_layout(&self) -> core::result::Result<BufferLayout, BufferLayoutError> {
        (**self).try_buffer_layout()
    }

    fn buffer_layout(&self) -> BufferLayout {
        (**self).buffer_layout()
    }

    fn buffer_bytes(&self) -> &[u8] {
        (**self).buffer_bytes()
    }
}

/// Arrays that own or exclusively borrow their elements are writable (an `ArcArray` shared with
/// another is copied first, by ndarray's copy-on-write, as any write to it would).
///
/// ```
/// use buffer_runtime::view::MemoryViewMut;
/// use ndarray::Array2;
///
/// let mut a = Array2::<u8>::zeros((2, 3));
/// let mut view = MemoryViewMut::new(&mut a).unwrap();
/// view.set_as::<u8>(&[1, 2], 7).unwrap();
/// assert_eq!(a[[1, 2]], 7);
/// ```
impl<A, S, D> BufferExportMut for ArrayBase<S, D>
where
    A: StaticBufferLayout + FromBytes,
    S: ndarray::DataMut<Elem = A>,
    D: Dimension,
{
    fn buffer_bytes_mut(&mut self) -> &mut [u8] {
        (**self).buffer_bytes_mut()
    }
}

/// ndarray 0.17's array reference, what functions taking any array accept (`&ArrayRef2<f32>`),
/// exports as its array does.
///
/// ```
/// use buffer_runtime::view::MemoryView;
/// use ndarray::{array, ArrayRef2};
///
/// fn total(a: &ArrayRef2<i32>) -> i64 {
///     let view = MemoryView::new(a).unwrap();
///     view.iter_as::<i32>().unwrap().map(i64::from).sum()
/// }
/// assert_eq!(total(&array![[1, 2], [3, 4]]), 10);
/// ```
impl<A, D> BufferExport for ArrayRef<A, D>
where
    A: StaticBufferLayout,
    D: Dimension,
{
    type Item = A::Item;

    fn try_buffer_layout(&self) -> core::result::Result<BufferLayout, BufferLayoutError> {
        let slice = self
            .as_slice_memory_order()
            .ok_or(BufferLayoutError::NotContiguous)?;
        array_layout::<A>(self.shape(), self.strides(), self.as_ptr(), slice)
    }

    fn buffer_layout(&self) -> BufferLayout {
        self.try_buffer_layout()
            .unwrap_or_else(|_| BufferLayout::invalid())
    }

    fn buffer_bytes(&self) -> &[u8] {
        match self.as_slice_memory_order() {
            Some(slice) => <[A] as BufferExport>::buffer_bytes(slice),
            None => &[],
        }
    }
}

/// A `&mut ArrayRef` holds its elements exclusively (ndarray's guarantee), so it is writable.
///
/// ```
/// use buffer_runtime::view::MemoryViewMut;
/// use ndarray::{array, ArrayRef1};
///
/// fn zero_first(a: &mut ArrayRef1<f64>) {
///     MemoryViewMut::new(a).unwrap().set_as::<f64>(&[0], 0.0).unwrap();
/// }
/// let mut a = array![1.5, 2.5];
/// zero_first(&mut a);
/// assert_eq!(a, array![0.0, 2.5]);
/// ```
impl<A, D> BufferExportMut for ArrayRef<A, D>
where
    A: StaticBufferLayout + FromBytes,
    D: Dimension,
{
    fn buffer_bytes_mut(&mut self) -> &mut [u8] {
        match self.as_slice_memory_order_mut() {
            Some(slice) => <[A] as BufferExportMut>::buffer_bytes_mut(slice),
            None => &mut [],
        }
    }
}
