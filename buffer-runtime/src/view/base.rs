//! The view type, its four aliases, and the conversions between storage kinds.

use core::fmt;

use smallvec::SmallVec;

use super::data::{Data, DataRef, Shared, SharedMut};
use super::item::ItemFormat;

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
/// The one statement of the view invariants: the crate's safety argument
/// ([`safety`](crate::safety), section 2) and every `unsafe` block that relies on them refer
/// here by number. They describe the implementation, for reviewers; code outside the crate
/// sees only the safe API.
///
/// Every constructor establishes them with one check (`check_layout` in `view/construct.rs`,
/// built on the crate's single geometry check), and every operation that derives a view from
/// a view (slicing, indexing, transposition, casting, field projection) either runs that check
/// again on the new layout (`with_layout`) or only permutes (shape, stride) pairs, which keeps
/// the set of item offsets (`t`, `permute_axes`):
///
/// 1. `shape.len() == strides.len() <= MAX_NDIM` (64).
/// 2. `itemsize == self.item.itemsize()`, the size the format describes.
/// 3. `product(shape) * itemsize <= isize::MAX` (so `nbytes` and every item offset fit an
///    `isize`), and `product(shape) <= isize::MAX` too (zero-size items), so the item count
///    fits as well. `product` is the true product: a 0 anywhere makes it 0, however large the
///    other dimensions.
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
    pub(super) data: S,
    /// The byte offset of the item at index `[0, 0, ...]` (for negative strides, not the
    /// lowest address).
    pub(super) offset: usize,
    pub(super) shape: Shape,
    pub(super) strides: Strides,
    pub(super) item: ItemFormat,
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
/// view.sub_mut(&buffer_runtime::index![1..]).unwrap().fill_bytes(&7u32.to_ne_bytes()).unwrap();
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

impl<'a> MemoryViewMut<'a> {
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

impl<S: DataRef> ViewBase<S> {
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
