//! CPython's attributes (`format`, `itemsize`, `shape`, `strides`, the contiguity flags,
//! `nbytes`, `readonly`, `len`) and the view's own (`offset`, the underlying bytes).

use super::data::{Data, DataRef, DataRefMut};
use super::error::{Result, ViewError};
use super::item::ItemFormat;
use super::ViewBase;
#[cfg(doc)]
use super::{MemoryView, MemoryViewMut, SharedView};
use crate::geometry;

impl<S: Data> ViewBase<S> {
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
    /// [`is_empty`](Self::is_empty) is `len() == Ok(0)`; the number of items is
    /// [`item_count`](Self::item_count).
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

    /// Whether [`len`](Self::len) is 0: the first dimension has no entry (`len(m) == 0` in
    /// Python). `false` for a 0-d view, which has no length but one item. A view of shape
    /// `[3, 0]` is not empty (its length is 3) yet has no item: to ask "does it hold any
    /// item", use [`item_count`](Self::item_count)` == 0`.
    ///
    /// ```
    /// use buffer_runtime::view::{MemoryView, Slice};
    /// assert!(MemoryView::from_bytes(b"ab").slice(Slice::from(1..1)).unwrap().is_empty());
    /// let rows = MemoryView::from_parts(&[], "B", &[3, 0], None, 0).unwrap();
    /// assert_eq!((rows.is_empty(), rows.len().unwrap(), rows.item_count()), (false, 3, 0));
    /// assert!(!MemoryView::new(&7u8).unwrap().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.shape.first() == Some(&0)
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
}

impl<S: DataRefMut> ViewBase<S> {
    /// The whole borrowed region, writable.
    #[cfg_attr(not(any(feature = "rayon", feature = "ndarray")), allow(dead_code))]
    pub(crate) fn writable_bytes(&mut self) -> &mut [u8] {
        self.data.bytes_mut()
    }
}
