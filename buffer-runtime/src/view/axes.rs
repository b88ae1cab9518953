//! Transposition: `t` (numpy's `a.T`) and `permute_axes` (numpy's `transpose(axes)`).

use super::data::{Data, DataMut};
use super::error::{Result, ViewError};
use super::{ViewBase, MAX_NDIM};

impl<S: Data> ViewBase<S> {
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
    #[doc(alias = "transpose")]
    #[doc(alias = "T")]
    pub fn t(&self) -> ViewBase<S::Ref<'_>> {
        self.view().into_t()
    }

    /// [`t`](Self::t), consuming this view (keeps its lifetime and writability; ndarray's
    /// `reversed_axes`).
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// let grid = [[1u8, 2, 3], [4, 5, 6]];
    /// assert_eq!(MemoryView::new(&grid).unwrap().into_t().byte_strides(), &[1, 3]);
    /// ```
    #[doc(alias = "reversed_axes")]
    #[doc(alias = "transpose")]
    pub fn into_t(mut self) -> Self {
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
        self.view().into_permute_axes(axes)
    }

    /// [`permute_axes`](Self::permute_axes), consuming this view (keeps its lifetime and
    /// writability; ndarray's `permuted_axes`).
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// let cube = [[[0u8; 4]; 3]; 2];
    /// let v = MemoryView::new(&cube).unwrap().into_permute_axes(&[1, 0, 2]).unwrap();
    /// assert_eq!(v.shape(), &[3, 2, 4]);
    /// ```
    #[doc(alias = "permuted_axes")]
    pub fn into_permute_axes(mut self, axes: &[usize]) -> Result<Self> {
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
        self.view_mut().into_t()
    }

    /// [`permute_axes`](Self::permute_axes), writable.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryViewMut;
    /// let mut grid = [[0u8; 3]; 2];
    /// let mut view = MemoryViewMut::new(&mut grid).unwrap();
    /// view.permute_axes_mut(&[1, 0]).unwrap().set_as::<u8>(&[2, 1], 8).unwrap();
    /// drop(view);
    /// assert_eq!(grid, [[0, 0, 0], [0, 0, 8]]);
    /// ```
    pub fn permute_axes_mut(&mut self, axes: &[usize]) -> Result<ViewBase<S::Mut<'_>>> {
        self.view_mut().into_permute_axes(axes)
    }
}
