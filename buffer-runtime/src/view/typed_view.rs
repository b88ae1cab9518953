//! [`TypedView`]: a view whose items were checked once to be values of a Rust type, and the
//! three ways to get one ([`typed`](ViewBase::typed), [`typed_mut`](ViewBase::typed_mut),
//! [`into_typed`](ViewBase::into_typed)).
//!
//! The check is [`check_type`](ViewBase::check_type)'s (see the [`typed`](super::typed) rules
//! for array types); every access of the typed view then only resolves its index. The
//! one-call `*_as` methods of [`ViewBase`] do the same accesses but check on every call.

use core::marker::PhantomData;

use zerocopy::FromBytes;

use super::error::Result;
use super::typed::TypedIter;
use super::{Data, DataMut, DataRef, DataRefMut, ViewBase};
use crate::element::FieldType;
use crate::format::MatchNames;

/// A view whose items are values of `T`, checked once when it was made: ndarray's `ArrayView`
/// of a [`ViewBase`]. `S` is the storage kind, as for [`ViewBase`]: `TypedView<T, &[u8]>`
/// reads a [`MemoryView`](super::MemoryView), `TypedView<T, &mut [u8]>` writes a
/// [`MemoryViewMut`](super::MemoryViewMut), `TypedView<T, Shared>` reads a Python buffer
/// (see `PythonBuffer::typed_view`).
///
/// `T` is any [`FieldType`]: an [`Element`](crate::Element), or an array of them, which reads
/// either items that are sub-arrays of its shape or the view's last dimensions (then its
/// [`shape`](Self::shape) is the view's leading dimensions, which its indices name).
///
/// As for [`ViewBase`], the methods that return references into the bytes
/// ([`get_ref`](Self::get_ref), [`as_slice`](Self::as_slice), [`get_mut`](Self::get_mut),
/// [`as_slice_mut`](Self::as_slice_mut)) exist only for the reference kinds (`&[u8]`,
/// `&mut [u8]`); those that copy exist for every kind, and those that write for the writable
/// kinds.
///
/// The untyped view stays available through [`as_untyped`](Self::as_untyped) and
/// [`into_untyped`](Self::into_untyped) rather than `Deref`: the typed `get`, `set` and `len`
/// would otherwise hide the untyped ones of the same names, which answer differently
/// ([`Value`](super::Value)s, the first dimension).
///
/// ```
/// use buffer_runtime::view::MemoryView;
/// let grid = [[1u16, 2, 3], [4, 5, 6]];
/// let view = MemoryView::new(&grid).unwrap();
/// let typed = view.typed::<u16>().unwrap(); // the only type check
/// assert_eq!(typed.get(&[1, -1]).unwrap(), 6);
/// assert_eq!(typed.iter().sum::<u16>(), 21);
/// assert_eq!(typed.as_slice().unwrap(), &[1, 2, 3, 4, 5, 6]);
///
/// let rows = view.typed::<[u16; 3]>().unwrap(); // the last dimension as one value
/// assert_eq!(rows.shape(), &[2]);
/// assert_eq!(rows.get(&[1]).unwrap(), [4, 5, 6]);
/// ```
pub struct TypedView<T, S: Data> {
    view: ViewBase<S>,
    /// The number of leading dimensions whose indices name values of `T`: what
    /// `view.typed_ndim::<T>(_)` returned. The typed accesses rely on it (see `typed_ndim`).
    lead: usize,
    _value: PhantomData<fn() -> T>,
}

impl<S: Data> ViewBase<S> {
    /// The items as values of `T`, checked once here ([`check_type`](Self::check_type)'s
    /// check and errors, field names ignored), borrowing this view.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// let view = MemoryView::new(&[1.5f64, 2.5]).unwrap();
    /// assert_eq!(view.typed::<f64>().unwrap().iter().sum::<f64>(), 4.0);
    /// let err = view.typed::<f32>().unwrap_err();
    /// assert_eq!(err.to_string(), "Buffer dtype mismatch, expected 'f' but got 'd' at offset 0");
    /// ```
    pub fn typed<T: FieldType>(&self) -> Result<TypedView<T, S::Ref<'_>>> {
        self.view().into_typed()
    }

    /// [`typed`](Self::typed), consuming this view (keeping its lifetime and writability).
    ///
    /// ```
    /// use buffer_runtime::view::{MemoryView, TypedView};
    /// fn values(v: &[u32]) -> TypedView<u32, &[u8]> {
    ///     MemoryView::new(v).unwrap().into_typed().unwrap()
    /// }
    /// let v = [1u32, 2, 3];
    /// let typed = values(&v);
    /// assert!(std::ptr::eq(typed.as_slice().unwrap(), &v[..]));
    /// ```
    pub fn into_typed<T: FieldType>(self) -> Result<TypedView<T, S>> {
        self.into_typed_with(MatchNames::Ignore)
    }

    /// [`into_typed`](Self::into_typed), comparing field names as `names` says.
    pub(crate) fn into_typed_with<T: FieldType>(
        self,
        names: MatchNames,
    ) -> Result<TypedView<T, S>> {
        let lead = self.typed_ndim::<T>(names)?;
        Ok(TypedView {
            view: self,
            lead,
            _value: PhantomData,
        })
    }
}

impl<S: DataMut> ViewBase<S> {
    /// [`typed`](Self::typed), writable: borrows this view exclusively.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryViewMut;
    /// let mut v = [0i32; 3];
    /// let mut view = MemoryViewMut::new(&mut v).unwrap();
    /// let mut typed = view.typed_mut::<i32>().unwrap();
    /// for i in 0..3 {
    ///     typed.set(&[i], i as i32 * 10).unwrap(); // no type check here
    /// }
    /// drop(view);
    /// assert_eq!(v, [0, 10, 20]);
    /// ```
    pub fn typed_mut<T: FieldType>(&mut self) -> Result<TypedView<T, S::Mut<'_>>> {
        self.view_mut().into_typed()
    }
}

impl<T: FieldType, S: Data> TypedView<T, S> {
    /// The shape of the values of `T`: the view's shape, or its leading dimensions when `T`
    /// is an array read from the last ones.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// let view = MemoryView::new(&[[0u8; 4]; 3]).unwrap();
    /// assert_eq!(view.typed::<u8>().unwrap().shape(), &[3, 4]);
    /// assert_eq!(view.typed::<[u8; 4]>().unwrap().shape(), &[3]);
    /// ```
    pub fn shape(&self) -> &[usize] {
        &self.view.shape()[..self.lead]
    }

    /// The number of values of `T` (the product of [`shape`](Self::shape)), as ndarray's
    /// `len`.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// let view = MemoryView::new(&[[0u8; 4]; 3]).unwrap();
    /// assert_eq!(view.typed::<u8>().unwrap().len(), 12);
    /// assert_eq!(view.typed::<[u8; 4]>().unwrap().len(), 3);
    /// ```
    pub fn len(&self) -> usize {
        let shape = self.shape();
        // With a 0 anywhere the product is 0, but a partial product before it may overflow;
        // without one, the view's invariant 3 bounds it.
        if shape.contains(&0) {
            0
        } else {
            shape.iter().product()
        }
    }

    /// Whether there is no value (a 0 in [`shape`](Self::shape)), so `len() == 0`.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// let empty: [[u8; 2]; 0] = [];
    /// assert!(MemoryView::new(&empty).unwrap().typed::<u8>().unwrap().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The untyped view (format, byte strides, sub-views, ...).
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// let view = MemoryView::new(&[1u16, 2]).unwrap();
    /// let typed = view.typed::<u16>().unwrap();
    /// assert_eq!(typed.as_untyped().format(), "H");
    /// ```
    pub fn as_untyped(&self) -> &ViewBase<S> {
        &self.view
    }

    /// The untyped view, consuming this one.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// let view = MemoryView::new(&[1u16, 2]).unwrap();
    /// assert_eq!(view.typed::<u16>().unwrap().into_untyped(), view);
    /// ```
    pub fn into_untyped(self) -> ViewBase<S> {
        self.view
    }

    /// The untyped view and the number of its leading dimensions that index values of `T`
    /// (what `typed_ndim::<T>` returned for it), for the adapters' unchecked paths.
    #[cfg_attr(not(feature = "rayon"), allow(dead_code))]
    pub(crate) fn parts(&self) -> (&ViewBase<S>, usize) {
        (&self.view, self.lead)
    }

    /// The untyped view, mutably, for the adapters' unchecked paths: they may write items
    /// but not change the layout, which `lead` describes.
    #[cfg_attr(not(feature = "ndarray"), allow(dead_code))]
    pub(crate) fn untyped_mut(&mut self) -> &mut ViewBase<S> {
        &mut self.view
    }

    /// A read-only typed view of the same values, borrowing this one (no new check).
    ///
    /// ```
    /// use buffer_runtime::view::MemoryViewMut;
    /// let mut v = [1u8, 2];
    /// let mut view = MemoryViewMut::new(&mut v).unwrap();
    /// let typed = view.typed_mut::<u8>().unwrap();
    /// assert_eq!(typed.view().get(&[1]).unwrap(), 2);
    /// ```
    pub fn view(&self) -> TypedView<T, S::Ref<'_>> {
        TypedView {
            // The same layout: `lead` still describes it.
            view: self.view.view(),
            lead: self.lead,
            _value: PhantomData,
        }
    }
}

impl<T: FieldType + FromBytes, S: Data> TypedView<T, S> {
    /// The value at a full index of [`shape`](Self::shape) (negative indices count from the
    /// end), copied, so any alignment works; CPython's `IndexError` and `TypeError` for a bad
    /// index, as [`ViewBase::get`].
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// let view = MemoryView::new(&[[1u16, 2], [3, 4]]).unwrap();
    /// let typed = view.typed::<u16>().unwrap();
    /// assert_eq!(typed.get(&[1, -1]).unwrap(), 4);
    /// assert_eq!(typed.get(&[2, 0]).unwrap_err().to_string(), "index out of bounds on dimension 1");
    /// ```
    pub fn get(&self, index: &[isize]) -> Result<T> {
        self.view.value_at(self.lead, index)
    }

    /// Every value in C order (copied: any strides and alignment).
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// let view = MemoryView::new(&[[1u16, 2, 3], [4, 5, 6]]).unwrap();
    /// let col: Vec<u16> = view.t().typed::<u16>().unwrap().iter().collect();
    /// assert_eq!(col, [1, 4, 2, 5, 3, 6]);
    /// ```
    pub fn iter(&self) -> TypedIter<'_, T, S::Ref<'_>> {
        // SAFETY: `lead` is what `typed_ndim::<T>` returned for this layout (set by
        // `into_typed_with`; `view` copies the same layout).
        unsafe { self.view.iter_unchecked::<T>(self.lead) }
    }
}

impl<'t, T: FieldType + FromBytes, S: Data> IntoIterator for &'t TypedView<T, S> {
    type Item = T;
    type IntoIter = TypedIter<'t, T, S::Ref<'t>>;

    /// [`TypedView::iter`].
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// let view = MemoryView::new(&[1u8, 2, 3]).unwrap();
    /// let typed = view.typed::<u8>().unwrap();
    /// let mut total = 0;
    /// for x in &typed {
    ///     total += x;
    /// }
    /// assert_eq!(total, 6);
    /// ```
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<T: FieldType + FromBytes, S: DataMut> TypedView<T, S> {
    /// A writable typed view of the same values, borrowing this one exclusively (no new
    /// check).
    ///
    /// ```
    /// use buffer_runtime::view::MemoryViewMut;
    /// let mut v = [1u8, 2];
    /// let mut view = MemoryViewMut::new(&mut v).unwrap();
    /// let mut typed = view.typed_mut::<u8>().unwrap();
    /// typed.view_mut().set(&[0], 9).unwrap();
    /// drop(view);
    /// assert_eq!(v, [9, 2]);
    /// ```
    pub fn view_mut(&mut self) -> TypedView<T, S::Mut<'_>> {
        TypedView {
            view: self.view.view_mut(),
            lead: self.lead,
            _value: PhantomData,
        }
    }

    /// Writes `value` at a full index of [`shape`](Self::shape) (any alignment); the index
    /// errors of [`get`](Self::get).
    ///
    /// ```
    /// use buffer_runtime::view::MemoryViewMut;
    /// let mut v = [[0u32; 2]; 2];
    /// let mut view = MemoryViewMut::new(&mut v).unwrap();
    /// let mut rows = view.typed_mut::<[u32; 2]>().unwrap();
    /// rows.set(&[-1], [7, 8]).unwrap();
    /// drop(view);
    /// assert_eq!(v, [[0, 0], [7, 8]]);
    /// ```
    pub fn set(&mut self, index: &[isize], value: T) -> Result<()> {
        self.view.write_value(self.lead, index, &value)
    }

    /// Calls `f` on every value in C order, as a `T` it may change (read, `f`, written back;
    /// any strides and alignment).
    ///
    /// ```
    /// use buffer_runtime::view::MemoryViewMut;
    /// let mut grid = [[1u8, 2], [3, 4]];
    /// let mut view = MemoryViewMut::new(&mut grid).unwrap();
    /// view.t_mut().typed_mut::<u8>().unwrap().for_each_mut(|x| *x *= 10);
    /// drop(view);
    /// assert_eq!(grid, [[10, 20], [30, 40]]);
    /// ```
    pub fn for_each_mut(&mut self, f: impl FnMut(&mut T)) {
        self.view.for_each_value_mut(self.lead, f);
    }
}

impl<T: FieldType + FromBytes, S: DataRef> TypedView<T, S> {
    /// A reference to the value at a full index, when it is aligned for `T` (`BufferError`
    /// otherwise; [`get`](Self::get) copies and works at any alignment).
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// let v = [10u64, 20, 30];
    /// let view = MemoryView::new(&v).unwrap();
    /// let typed = view.typed::<u64>().unwrap();
    /// assert!(std::ptr::eq(typed.get_ref(&[1]).unwrap(), &v[1]));
    /// ```
    pub fn get_ref(&self, index: &[isize]) -> Result<&T> {
        self.view.ref_at(self.lead, index)
    }

    /// The values as a slice of `T`, when the view is C-contiguous and its first item is
    /// aligned for `T` (`BufferError` otherwise). No copy.
    ///
    /// ```
    /// use buffer_runtime::view::{MemoryView, Slice};
    /// let v = vec![1.0f64, 2.0, 3.0];
    /// let view = MemoryView::new(&v).unwrap();
    /// assert_eq!(view.typed::<f64>().unwrap().as_slice().unwrap(), &[1.0, 2.0, 3.0]);
    /// let every_other = view.slice(Slice::FULL.step_by(2)).unwrap();
    /// assert!(every_other.typed::<f64>().unwrap().as_slice().is_err());
    /// ```
    pub fn as_slice(&self) -> Result<&[T]> {
        self.view.values_slice()
    }
}

impl<T: FieldType + FromBytes, S: DataRefMut> TypedView<T, S> {
    /// A mutable reference to the value at a full index, when it is aligned for `T`
    /// (`BufferError` otherwise; [`set`](Self::set) works at any alignment).
    ///
    /// ```
    /// use buffer_runtime::view::MemoryViewMut;
    /// let mut v = [[1u32, 2], [3, 4]];
    /// let mut view = MemoryViewMut::new(&mut v).unwrap();
    /// *view.typed_mut::<u32>().unwrap().get_mut(&[1, 0]).unwrap() += 10;
    /// drop(view);
    /// assert_eq!(v, [[1, 2], [13, 4]]);
    /// ```
    pub fn get_mut(&mut self, index: &[isize]) -> Result<&mut T> {
        self.view.mut_at(self.lead, index)
    }

    /// The values as a mutable slice of `T`: see [`as_slice`](Self::as_slice).
    ///
    /// ```
    /// use buffer_runtime::view::MemoryViewMut;
    /// let mut v = vec![1i64, 2, 3];
    /// let mut view = MemoryViewMut::new(&mut v).unwrap();
    /// view.typed_mut::<i64>().unwrap().as_slice_mut().unwrap()[1] = 20;
    /// drop(view);
    /// assert_eq!(v, [1, 20, 3]);
    /// ```
    pub fn as_slice_mut(&mut self) -> Result<&mut [T]> {
        self.view.values_slice_mut()
    }
}

impl<T, S: Data + Clone> Clone for TypedView<T, S> {
    fn clone(&self) -> Self {
        TypedView {
            view: self.view.clone(),
            lead: self.lead,
            _value: PhantomData,
        }
    }
}

impl<T, S: Data> core::fmt::Debug for TypedView<T, S> {
    /// The value type, the typed shape and the untyped view.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// let view = MemoryView::new(&[[1u8, 2]]).unwrap();
    /// let s = format!("{:?}", view.typed::<[u8; 2]>().unwrap());
    /// assert!(s.starts_with("TypedView { value: \"[u8; 2]\", shape: [1], view: MemoryView {"), "{s}");
    /// ```
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("TypedView")
            .field("value", &core::any::type_name::<T>())
            .field("shape", &&self.view.shape()[..self.lead])
            .field("view", &self.view)
            .finish()
    }
}
