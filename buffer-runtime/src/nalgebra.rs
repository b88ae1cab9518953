//! nalgebra interop (feature `nalgebra`): matrices and matrix views export their elements with
//! their own strides (column-major for nalgebra's matrices: `f_contiguous` in Python, what
//! `np.asfortranarray` gives), and a 2-d view is a nalgebra `MatrixView` again, without a copy.
//!
//! ```
//! use buffer_runtime::view::MemoryView;
//! use nalgebra::Matrix2x3;
//!
//! let m = Matrix2x3::new(1.0f64, 2.0, 3.0,
//!                        4.0, 5.0, 6.0);
//! let view = MemoryView::new(&m).unwrap();
//! assert_eq!((view.shape(), view.byte_strides()), (&[2usize, 3][..], &[8isize, 16][..]));
//! assert!(view.f_contiguous() && !view.c_contiguous());
//! assert_eq!(view.get_as::<f64>(&[0, 2]).unwrap(), 3.0); // row 0, column 2
//!
//! // Back: any 2-d view of items (C order, Fortran order, strided) as a `MatrixView`.
//! let rows = [[1.0f64, 2.0, 3.0], [4.0, 5.0, 6.0]]; // row-major
//! let back = MemoryView::new(&rows).unwrap();
//! assert_eq!(back.as_matrix::<f64>().unwrap(), m);
//! ```
//!
//! nalgebra's strides count elements and are never negative: a view with a negative stride (a
//! reversed axis) or a stride that is not a multiple of the item size (a field projection) does
//! not convert. An exported matrix view must hold its elements densely (a view of whole columns,
//! or of a whole transposed matrix); a view of some rows of a matrix leaves the other rows'
//! elements between its own, which another view may be writing, and is refused with
//! [`BufferLayoutError::NotContiguous`], as [`ndarray`'s arrays](crate::BufferExport) with gaps are.

use nalgebra::{Dim, Dyn, Matrix, MatrixView, MatrixViewMut, Scalar, Storage, StorageMut};
use smallvec::SmallVec;
use zerocopy::FromBytes;

use crate::export::{
    items_disjoint, BufferExport, BufferExportMut, BufferLayout, BufferLayoutError, Dims,
};
use crate::view::{DataRef, DataRefMut, Result, ViewBase, ViewError};
use crate::{Element, StaticBufferLayout};

/// A general (strided, dynamically sized) nalgebra view: what [`ViewBase::as_matrix`] returns.
pub type StridedMatrixView<'a, T> = MatrixView<'a, T, Dyn, Dyn, Dyn, Dyn>;
/// The mutable form of [`StridedMatrixView`], what [`ViewBase::as_matrix_mut`] returns.
pub type StridedMatrixViewMut<'a, T> = MatrixViewMut<'a, T, Dyn, Dyn, Dyn, Dyn>;

/// The byte layout of a `nrows x ncols` matrix of `T` with element strides `(rs, cs)`, when its
/// elements fill a dense range of memory, [`BufferLayoutError::NotContiguous`] otherwise.
fn matrix_layout<T: StaticBufferLayout>(
    (nrows, ncols): (usize, usize),
    (rs, cs): (usize, usize),
) -> core::result::Result<BufferLayout, BufferLayoutError> {
    let size = core::mem::size_of::<T>();
    let byte = |s: usize| {
        s.checked_mul(size)
            .and_then(|b| isize::try_from(b).ok())
            .ok_or(BufferLayoutError::Overflow)
    };
    let mut shape: SmallVec<[usize; 4]> = SmallVec::from_slice(&[nrows, ncols]);
    shape.extend_from_slice(T::SHAPE);
    let mut strides: SmallVec<[isize; 4]> = SmallVec::from_slice(&[byte(rs)?, byte(cs)?]);
    strides.extend_from_slice(T::STRIDES);
    let count = nrows
        .checked_mul(ncols)
        .ok_or(BufferLayoutError::Overflow)?;
    if count > 0 {
        // Dense: `count` distinct elements, none farther than `count - 1` from the first.
        let last = (nrows - 1)
            .checked_mul(rs)
            .and_then(|r| r.checked_add((ncols - 1).checked_mul(cs)?))
            .ok_or(BufferLayoutError::Overflow)?;
        if last != count - 1 || !items_disjoint(&[nrows, ncols], &strides[..2], size) {
            return Err(BufferLayoutError::NotContiguous);
        }
    }
    Ok(BufferLayout {
        shape: Dims::Owned(shape),
        strides: Dims::Owned(strides),
        offset: 0,
    })
}

/// Every nalgebra matrix (`Matrix3<f32>`, `DMatrix<f64>`, `SMatrix`, vectors) and matrix view
/// of buffer items exports them as a 2-d buffer `(nrows, ncols)`, with its strides; a view with
/// gaps between its elements is a [`BufferLayoutError::NotContiguous`].
///
/// ```
/// use buffer_runtime::{BufferExport, BufferLayoutError};
/// use nalgebra::DMatrix;
///
/// let m = DMatrix::<u16>::from_fn(3, 4, |r, c| (10 * r + c) as u16);
/// assert_eq!(&*m.buffer_layout().strides, &[2, 6]); // column-major
/// assert_eq!(&*m.transpose().buffer_layout().shape, &[4, 3]);
/// assert_eq!(&*m.columns(1, 2).buffer_layout().strides, &[2, 6]); // whole columns: dense
/// assert_eq!(m.rows(0, 2).try_buffer_layout(), Err(BufferLayoutError::NotContiguous));
/// ```
impl<T, R, C, S> BufferExport for Matrix<T, R, C, S>
where
    T: Scalar + StaticBufferLayout,
    R: Dim,
    C: Dim,
    S: Storage<T, R, C>,
{
    type Item = T::Item;

    fn try_buffer_layout(&self) -> core::result::Result<BufferLayout, BufferLayoutError> {
        matrix_layout::<T>(self.shape(), self.strides())
    }

    fn buffer_layout(&self) -> BufferLayout {
        self.try_buffer_layout()
            .unwrap_or_else(|_| BufferLayout::invalid())
    }

    fn buffer_bytes(&self) -> &[u8] {
        if self.is_empty() || self.try_buffer_layout().is_err() {
            return &[];
        }
        // `as_slice_unchecked` spans the data pointer to the last element (`RawStorage`'s
        // contract); with gaps it would cover other views' elements. `matrix_layout` proved the
        // `nrows * ncols` distinct elements fill all `last + 1` positions, so there are none.
        // SAFETY: the slice holds this matrix's own initialised elements (`S: Storage`) only,
        // borrowed shared through `&self` (no gaps, proved above).
        let elements = unsafe { self.data.as_slice_unchecked() };
        <[T] as BufferExport>::buffer_bytes(elements)
    }
}

/// Matrices that own their elements and mutable matrix views are writable.
///
/// ```
/// use buffer_runtime::view::MemoryViewMut;
/// use nalgebra::Matrix2;
///
/// let mut m = Matrix2::<i32>::zeros();
/// let mut view = MemoryViewMut::new(&mut m).unwrap();
/// view.set_as::<i32>(&[0, 1], 5).unwrap(); // row 0, column 1
/// drop(view);
/// assert_eq!(m[(0, 1)], 5);
/// ```
impl<T, R, C, S> BufferExportMut for Matrix<T, R, C, S>
where
    T: Scalar + StaticBufferLayout + FromBytes,
    R: Dim,
    C: Dim,
    S: StorageMut<T, R, C>,
{
    fn buffer_bytes_mut(&mut self) -> &mut [u8] {
        if self.is_empty() || self.try_buffer_layout().is_err() {
            return &mut [];
        }
        // SAFETY: as in `buffer_bytes` (dense, so the slice holds this matrix's own elements
        // only), borrowed exclusively through `&mut self`; `S: StorageMut` grants that access,
        // and `T: FromBytes` makes any bytes written a valid `T`.
        let elements = unsafe { self.data.as_mut_slice_unchecked() };
        <[T] as BufferExportMut>::buffer_bytes_mut(elements)
    }
}

/// How a 2-d view maps onto a nalgebra view: the lowest item's byte offset (`None` when empty),
/// the element count the view spans from it, and the element strides.
struct Plan {
    start: Option<usize>,
    span: usize,
    shape: (usize, usize),
    strides: (usize, usize),
}

fn plan<T>(shape: &[usize], byte_strides: &[isize], offset: usize) -> Result<Plan> {
    let size = core::mem::size_of::<T>();
    let (&[nrows, ncols], &[rs, cs]) = (shape, byte_strides) else {
        return Err(ViewError::buffer_error(alloc::format!(
            "nalgebra: a matrix needs a 2-d view, not {}-d",
            shape.len()
        )));
    };
    if size == 0 {
        return Err(ViewError::buffer_error(
            "nalgebra: zero-sized items cannot be viewed",
        ));
    }
    let mut strides = [0usize; 2];
    for (k, s) in [rs, cs].into_iter().enumerate() {
        if s < 0 || s as usize % size != 0 {
            return Err(ViewError::buffer_error(alloc::format!(
                "nalgebra: the byte stride {s} of dimension {k} is not a non-negative multiple of \
                 the item size {size}: nalgebra strides count whole elements forwards; copy the \
                 items out"
            )));
        }
        strides[k] = s as usize / size;
    }
    if nrows == 0 || ncols == 0 {
        // An empty view's strides are arbitrary; nalgebra's length check on an empty slice
        // passes for these (`(1, 0)` with no rows, `(0, 1)` with no columns).
        let strides = if nrows == 0 { (1, 0) } else { (0, 1) };
        return Ok(Plan {
            start: None,
            span: 0,
            shape: (nrows, ncols),
            strides,
        });
    }
    Ok(Plan {
        start: Some(offset),
        // In bounds by the view's invariants: the last item lies inside the bytes.
        span: (nrows - 1) * strides[0] + (ncols - 1) * strides[1] + 1,
        shape: (nrows, ncols),
        strides: (strides[0], strides[1]),
    })
}

impl<S: DataRef> ViewBase<S> {
    /// The 2-d view as a nalgebra matrix view of `T` (rows are the first dimension), without
    /// copying, with the view's strides in elements. Fails when `T` does not match the format,
    /// the view is not 2-d, a stride is negative or not a multiple of `size_of::<T>()`, or the
    /// first item is not aligned for `T`.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// use buffer_runtime::index;
    ///
    /// let grid = [[1.0f32, 2.0, 3.0], [4.0, 5.0, 6.0]];
    /// let view = MemoryView::new(&grid).unwrap();
    /// let every_other = view.sub(&index![.., ..;2]).unwrap();
    /// let m = every_other.as_matrix::<f32>().unwrap();
    /// assert_eq!((m.nrows(), m.ncols(), m.strides()), (2, 2, (3, 2)));
    /// assert_eq!(m.column(1).sum(), 9.0);
    /// assert!(view.sub(&index![..;-1, ..]).unwrap().as_matrix::<f32>().is_err()); // reversed
    /// ```
    pub fn as_matrix<T: Element + FromBytes + Scalar>(&self) -> Result<StridedMatrixView<'_, T>> {
        self.check_type::<T>()?;
        let plan = plan::<T>(self.shape(), self.byte_strides(), self.offset())?;
        let bytes = self.underlying_bytes();
        let elements: &[T] = match plan.start {
            Some(start) => {
                let end = plan.span * core::mem::size_of::<T>() + start;
                <[T]>::ref_from_bytes(&bytes[start..end]).map_err(|_| misaligned::<T>(start))?
            }
            None => &[],
        };
        let (nrows, ncols) = plan.shape;
        let (rs, cs) = plan.strides;
        // `elements` spans exactly the last item, so nalgebra's length check holds.
        Ok(MatrixView::from_slice_with_strides_generic(
            elements,
            Dyn(nrows),
            Dyn(ncols),
            Dyn(rs),
            Dyn(cs),
        ))
    }
}

impl<S: DataRefMut> ViewBase<S> {
    /// The 2-d view as a mutable nalgebra matrix view: see [`as_matrix`](Self::as_matrix). Also
    /// refuses layouts in which two indices reach the same bytes.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryViewMut;
    ///
    /// let mut grid = [[1i64, 2], [3, 4]];
    /// let mut view = MemoryViewMut::new(&mut grid).unwrap();
    /// let mut m = view.as_matrix_mut::<i64>().unwrap();
    /// m.transpose_mut(); // nalgebra's own in-place transpose, in our memory
    /// drop(view);
    /// assert_eq!(grid, [[1, 3], [2, 4]]);
    /// ```
    pub fn as_matrix_mut<T: Element + FromBytes + Scalar>(
        &mut self,
    ) -> Result<StridedMatrixViewMut<'_, T>> {
        self.check_type::<T>()?;
        if !items_disjoint(self.shape(), self.byte_strides(), self.itemsize()) {
            return Err(ViewError::buffer_error(
                "nalgebra: two indices of this view reach the same bytes (zero or overlapping \
                 strides), so it cannot be a mutable matrix",
            ));
        }
        let plan = plan::<T>(self.shape(), self.byte_strides(), self.offset())?;
        let (nrows, ncols) = plan.shape;
        let (rs, cs) = plan.strides;
        let bytes = self.writable_bytes();
        let elements: &mut [T] = match plan.start {
            Some(start) => {
                let end = plan.span * core::mem::size_of::<T>() + start;
                crate::view::slice_mut_from_bytes::<T>(&mut bytes[start..end])
                    .ok_or_else(|| misaligned::<T>(start))?
            }
            None => &mut [],
        };
        // The span reaches exactly the last item, and `items_disjoint` rules out the aliased
        // indices nalgebra's constructor asserts against, so neither of its checks fires.
        Ok(MatrixViewMut::from_slice_with_strides_generic(
            elements,
            Dyn(nrows),
            Dyn(ncols),
            Dyn(rs),
            Dyn(cs),
        ))
    }
}

fn misaligned<T>(offset: usize) -> ViewError {
    ViewError::buffer_error(alloc::format!(
        "nalgebra: the item at byte offset {offset} is not aligned to {} bytes for `{}`: copy the \
         items out",
        core::mem::align_of::<T>(),
        core::any::type_name::<T>()
    ))
}
