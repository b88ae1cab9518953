//! Views of the same items and sub-views: `view`, `sub` (numpy's `a[1, ::-1]`), `slice`,
//! `slice_axis`, `index`, `index_axis`, and the resolution of a full index to a byte offset.

use smallvec::SmallVec;

use super::data::{Data, DataMut};
use super::error::{Result, ViewError};
use super::{Axis, AxisIndex, Shape, Slice, Strides, ViewBase};

impl<S: Data> ViewBase<S> {
    /// Resolves a full tuple of (possibly negative) indices to a byte offset, with CPython's
    /// checks and messages.
    pub(super) fn offset_of(&self, index: &[isize]) -> Result<usize> {
        self.offset_of_leading(index, self.ndim())
    }

    /// [`offset_of`](Self::offset_of) for an index of the first `ndim` dimensions (the rest
    /// at 0): the offset of a value that typed access reads from the last dimensions.
    pub(super) fn offset_of_leading(&self, index: &[isize], ndim: usize) -> Result<usize> {
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

    /// A read-only view of the same items, borrowing this one (CPython's `toreadonly`: there
    /// is no separate method). The borrowed form of every operation deriving a view starts
    /// here: `sub(&self)` is `self.view().into_sub(..)`.
    ///
    /// ```
    /// use buffer_runtime::view::{MemoryView, MemoryViewMut};
    /// let view = MemoryView::from_bytes(b"ab");
    /// assert_eq!(view.view().shape(), &[2]);
    /// let mut b = [1u8, 2];
    /// let view = MemoryViewMut::from_bytes(&mut b);
    /// let ro = view.view(); // m.toreadonly()
    /// assert!(ro.readonly());
    /// assert_eq!(ro, view);
    /// ```
    #[doc(alias = "toreadonly")]
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
    /// use buffer_runtime::{index, view::MemoryView};
    /// let grid = [[1u8, 2, 3], [4, 5, 6]];
    /// let view = MemoryView::new(&grid).unwrap();
    /// let v = view.sub(&index![.., 2..;-1]).unwrap(); // [:, 2::-1]
    /// assert_eq!(v.shape(), &[2, 3]);
    /// assert_eq!(v.tobytes(buffer_runtime::view::Order::C), [3, 2, 1, 6, 5, 4]);
    /// assert_eq!(view.sub(&index![1, 0]).unwrap().ndim(), 0);
    /// ```
    pub fn sub(&self, index: &[AxisIndex]) -> Result<ViewBase<S::Ref<'_>>> {
        self.view().into_sub(index)
    }

    /// [`sub`](Self::sub), consuming this view (keeps its lifetime and writability).
    ///
    /// ```
    /// use buffer_runtime::{index, view::MemoryViewMut};
    /// let mut grid = [[0u8; 3]; 2];
    /// let mut row = MemoryViewMut::new(&mut grid).unwrap().into_sub(&index![1]).unwrap();
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
        self.slice_axis(Axis(0), slice)
    }

    /// [`slice`](Self::slice), consuming this view (keeps its lifetime and writability).
    ///
    /// ```
    /// use buffer_runtime::view::{MemoryViewMut, Slice};
    /// let mut b = [0u8; 4];
    /// let mut tail = MemoryViewMut::from_bytes(&mut b).into_slice(Slice::from(2..)).unwrap();
    /// tail.set_as::<u8>(&[1], 9).unwrap();
    /// assert_eq!(b, [0, 0, 0, 9]);
    /// ```
    pub fn into_slice(self, slice: Slice) -> Result<Self> {
        self.into_slice_axis(Axis(0), slice)
    }

    /// `view[:, ..., slice]`: a slice of dimension `axis` (0-based).
    ///
    /// ```
    /// use buffer_runtime::view::{Axis, MemoryView, Order, Slice};
    /// let grid = [[1u8, 2, 3], [4, 5, 6]];
    /// let view = MemoryView::new(&grid).unwrap();
    /// let v = view.slice_axis(Axis(1), Slice::from(1..)).unwrap();
    /// assert_eq!(v.tobytes(Order::C), [2, 3, 5, 6]);
    /// ```
    pub fn slice_axis(&self, axis: Axis, slice: Slice) -> Result<ViewBase<S::Ref<'_>>> {
        self.view().into_slice_axis(axis, slice)
    }

    /// [`slice_axis`](Self::slice_axis), consuming this view.
    ///
    /// ```
    /// use buffer_runtime::view::{Axis, MemoryView, Slice};
    /// let v = MemoryView::from_bytes(b"abc").into_slice_axis(Axis(0), Slice::from(1..)).unwrap();
    /// assert_eq!(v.shape(), &[2]);
    /// ```
    pub fn into_slice_axis(self, axis: Axis, slice: Slice) -> Result<Self> {
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
        self.index_axis(Axis(0), i)
    }

    /// [`index`](Self::index), consuming this view (keeps its lifetime and writability).
    ///
    /// ```
    /// use buffer_runtime::view::MemoryViewMut;
    /// let mut grid = [[0u8; 2]; 2];
    /// let mut row = MemoryViewMut::new(&mut grid).unwrap().into_index(-1).unwrap();
    /// row.set_as::<u8>(&[0], 4).unwrap();
    /// assert_eq!(grid, [[0, 0], [4, 0]]);
    /// ```
    pub fn into_index(self, i: isize) -> Result<Self> {
        self.into_index_axis(Axis(0), i)
    }

    /// The (N-1)-d sub-view of index `i` on dimension `axis`.
    ///
    /// ```
    /// use buffer_runtime::view::{Axis, MemoryView, Order};
    /// let grid = [[1u8, 2], [3, 4]];
    /// let view = MemoryView::new(&grid).unwrap();
    /// assert_eq!(view.index_axis(Axis(1), 0).unwrap().tobytes(Order::C), [1, 3]);
    /// ```
    pub fn index_axis(&self, axis: Axis, i: isize) -> Result<ViewBase<S::Ref<'_>>> {
        self.view().into_index_axis(axis, i)
    }

    /// [`index_axis`](Self::index_axis), consuming this view.
    ///
    /// ```
    /// use buffer_runtime::view::{Axis, MemoryView};
    /// let grid = [[1u8, 2], [3, 4]];
    /// let row = MemoryView::new(&grid).unwrap().into_index_axis(Axis(0), 1).unwrap();
    /// assert_eq!(row.shape(), &[2]);
    /// ```
    pub fn into_index_axis(self, axis: Axis, i: isize) -> Result<Self> {
        let spec = self.axis_spec(axis, AxisIndex::Index(i))?;
        self.into_sub(&spec)
    }

    fn axis_spec(&self, Axis(axis): Axis, what: AxisIndex) -> Result<SmallVec<[AxisIndex; 4]>> {
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
    /// use buffer_runtime::{index, view::MemoryViewMut};
    /// let mut grid = [[0u8; 2]; 2];
    /// let mut view = MemoryViewMut::new(&mut grid).unwrap();
    /// view.sub_mut(&index![.., 1]).unwrap().set_as::<u8>(&[0], 7).unwrap();
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
        self.view_mut().into_slice(slice)
    }

    /// [`slice_axis`](Self::slice_axis), writable.
    ///
    /// ```
    /// use buffer_runtime::view::{Axis, MemoryViewMut, Slice};
    /// let mut grid = [[0u8; 2]; 2];
    /// let mut view = MemoryViewMut::new(&mut grid).unwrap();
    /// assert_eq!(view.slice_axis_mut(Axis(1), Slice::from(1..)).unwrap().shape(), &[2, 1]);
    /// ```
    pub fn slice_axis_mut(&mut self, axis: Axis, slice: Slice) -> Result<ViewBase<S::Mut<'_>>> {
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
        self.view_mut().into_index(i)
    }

    /// [`index_axis`](Self::index_axis), writable.
    ///
    /// ```
    /// use buffer_runtime::view::{Axis, MemoryViewMut};
    /// let mut grid = [[0u8; 2]; 2];
    /// let mut view = MemoryViewMut::new(&mut grid).unwrap();
    /// view.index_axis_mut(Axis(1), 1).unwrap().set_as::<u8>(&[0], 6).unwrap();
    /// drop(view);
    /// assert_eq!(grid, [[0, 6], [0, 0]]);
    /// ```
    pub fn index_axis_mut(&mut self, axis: Axis, i: isize) -> Result<ViewBase<S::Mut<'_>>> {
        self.view_mut().into_index_axis(axis, i)
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
