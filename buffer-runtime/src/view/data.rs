//! The storage kinds a [`ViewBase`] reads and writes through: Rust borrows (`&[u8]`,
//! `&mut [u8]`) and shared memory that code outside Rust may write ([`Shared`],
//! [`SharedMut`]), and the raw copies every view operation is built on.
//!
//! A view of a reference kind may hand out references into its bytes (`as_slice`,
//! `get_ref_as`): the borrow checker proves nothing else writes them. A view of a shared kind
//! never forms a reference to its bytes: every read copies them out with
//! `ptr::copy_nonoverlapping` / `ptr::read_unaligned` into Rust-owned memory, every write
//! copies Rust-owned bytes in, so another writer (Python code, a C library) never writes
//! under a live `&[u8]` (see [`crate::safety`]).

use core::marker::PhantomData;
use core::ptr;

use zerocopy::FromBytes;

use super::error::{Result, ViewError};
use super::ViewBase;

mod sealed {
    pub trait Sealed {}
    impl Sealed for &[u8] {}
    impl Sealed for &mut [u8] {}
    impl Sealed for super::Shared<'_> {}
    impl Sealed for super::SharedMut<'_> {}
}

/// The bytes a [`ViewBase`] reads: `&[u8]` (a [`MemoryView`](super::MemoryView)), `&mut [u8]`
/// (a [`MemoryViewMut`](super::MemoryViewMut)), [`Shared`] (a [`SharedView`](super::SharedView))
/// or [`SharedMut`] (a [`SharedViewMut`](super::SharedViewMut)). Sealed: the view's safety
/// argument relies on these four only.
///
/// Every kind is a region of [`len`](Data::len) bytes at [`as_ptr`](Data::as_ptr), valid for
/// reads for as long as the value lives (and for writes, through
/// [`try_as_mut_ptr`](Data::try_as_mut_ptr), for as long as it is borrowed mutably); only the
/// reference kinds also give the region as a slice ([`as_slice`](Data::as_slice)).
///
/// ```
/// use buffer_runtime::view::{Data, Shared};
/// assert!(!<&[u8] as Data>::WRITABLE);
/// assert!(<&mut [u8] as Data>::WRITABLE);
/// let b = [1u8, 2, 3];
/// let r: &[u8] = &b;
/// assert_eq!((Data::len(&r), r.as_slice()), (3, Some(&b[..])));
/// let s = Shared::from(&b[..]);
/// assert_eq!((s.len(), s.as_slice()), (3, None));
/// ```
pub trait Data: sealed::Sealed {
    /// Whether the view may write (its `readonly` attribute is the negation).
    const WRITABLE: bool;
    /// The kind's name in `Debug` output.
    #[doc(hidden)]
    const NAME: &'static str;
    /// The read-only kind of a borrow of this one: `&'b [u8]` for the reference kinds,
    /// [`Shared<'b>`] for the shared kinds (what `view()`, `sub()`, `slice()`, ... return).
    type Ref<'b>: Data
    where
        Self: 'b;
    /// This storage, borrowed read-only.
    fn reborrow(&self) -> Self::Ref<'_>;
    /// The first byte of the region (dangling, possibly null, when the region is empty).
    fn as_ptr(&self) -> *const u8;
    /// The number of bytes in the region.
    fn len(&self) -> usize;
    /// Whether the region is empty.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The region as a slice: `Some` for the reference kinds only, whose bytes nothing else
    /// writes while they live.
    fn as_slice(&self) -> Option<&[u8]>;
    /// The first byte of the region, for writing: `Some` for the writable kinds.
    fn try_as_mut_ptr(&mut self) -> Option<*mut u8>;
}

/// The writable kinds of [`Data`]: `&mut [u8]` and [`SharedMut`].
///
/// ```
/// use buffer_runtime::view::{Data, DataMut, SharedMut};
/// let mut b = [1u8, 2];
/// let mut d = SharedMut::from(&mut b[..]);
/// assert!(d.as_slice().is_none());
/// assert_eq!(d.as_mut_ptr(), d.as_ptr().cast_mut());
/// ```
pub trait DataMut: Data {
    /// The writable kind of a mutable borrow of this one: `&'b mut [u8]` or [`SharedMut<'b>`]
    /// (what `view_mut()`, `sub_mut()`, ... return).
    type Mut<'b>: DataMut
    where
        Self: 'b;
    /// This storage, borrowed mutably.
    fn reborrow_mut(&mut self) -> Self::Mut<'_>;
    /// The first byte of the region, for writing.
    fn as_mut_ptr(&mut self) -> *mut u8;
}

/// The reference kinds of [`Data`], `&[u8]` and `&mut [u8]`: views of these also hand out
/// references into their bytes ([`as_slice`](ViewBase::as_slice),
/// [`get_ref_as`](ViewBase::get_ref_as), [`underlying_bytes`](ViewBase::underlying_bytes), ...).
///
/// ```
/// use buffer_runtime::view::DataRef;
/// let b = [1u8, 2];
/// let d: &[u8] = &b;
/// assert_eq!(DataRef::bytes(&d), &[1, 2]);
/// ```
pub trait DataRef: Data {
    /// The borrowed bytes.
    fn bytes(&self) -> &[u8];
}

/// The writable reference kind, `&mut [u8]`.
///
/// ```
/// use buffer_runtime::view::DataRefMut;
/// let mut b = [1u8, 2];
/// let mut d: &mut [u8] = &mut b;
/// d.bytes_mut()[0] = 7;
/// assert_eq!(b, [7, 2]);
/// ```
pub trait DataRefMut: DataRef + DataMut {
    /// The borrowed bytes, mutably.
    fn bytes_mut(&mut self) -> &mut [u8];
}

impl Data for &[u8] {
    const WRITABLE: bool = false;
    const NAME: &'static str = "MemoryView";
    type Ref<'b>
        = &'b [u8]
    where
        Self: 'b;
    fn reborrow(&self) -> &[u8] {
        self
    }
    fn as_ptr(&self) -> *const u8 {
        <[u8]>::as_ptr(self)
    }
    fn len(&self) -> usize {
        <[u8]>::len(self)
    }
    fn as_slice(&self) -> Option<&[u8]> {
        Some(self)
    }
    fn try_as_mut_ptr(&mut self) -> Option<*mut u8> {
        None
    }
}

impl DataRef for &[u8] {
    fn bytes(&self) -> &[u8] {
        self
    }
}

impl Data for &mut [u8] {
    const WRITABLE: bool = true;
    const NAME: &'static str = "MemoryViewMut";
    type Ref<'b>
        = &'b [u8]
    where
        Self: 'b;
    fn reborrow(&self) -> &[u8] {
        self
    }
    fn as_ptr(&self) -> *const u8 {
        <[u8]>::as_ptr(self)
    }
    fn len(&self) -> usize {
        <[u8]>::len(self)
    }
    fn as_slice(&self) -> Option<&[u8]> {
        Some(self)
    }
    fn try_as_mut_ptr(&mut self) -> Option<*mut u8> {
        Some(<[u8]>::as_mut_ptr(self))
    }
}

impl DataMut for &mut [u8] {
    type Mut<'b>
        = &'b mut [u8]
    where
        Self: 'b;
    fn reborrow_mut(&mut self) -> &mut [u8] {
        self
    }
    fn as_mut_ptr(&mut self) -> *mut u8 {
        <[u8]>::as_mut_ptr(self)
    }
}

impl DataRef for &mut [u8] {
    fn bytes(&self) -> &[u8] {
        self
    }
}

impl DataRefMut for &mut [u8] {
    fn bytes_mut(&mut self) -> &mut [u8] {
        self
    }
}

/// Read-only access, for `'a`, to bytes that code outside Rust may write at any time (a
/// Python buffer, memory shared with a C library or another process). A view of it (a
/// [`SharedView`](super::SharedView)) reads by copying and never forms a Rust reference to
/// the bytes, so it asserts nothing about them to the compiler.
///
/// Neither `Send` nor `Sync`: the bytes stay with the thread that obtained them (for a Python
/// buffer, the thread attached to the interpreter).
///
/// ```
/// use buffer_runtime::view::{Shared, SharedView};
/// let b = [1u8, 2, 3];
/// let view = SharedView::from_data(Shared::from(&b[..]), "B", &[3], None, 0).unwrap();
/// assert_eq!(view.get_as::<u8>(&[2]).unwrap(), 3);
/// ```
#[derive(Clone, Copy)]
pub struct Shared<'a> {
    ptr: *const u8,
    len: usize,
    _bytes: PhantomData<&'a [u8]>,
}

impl<'a> Shared<'a> {
    /// Read-only shared access to `len` bytes at `ptr`.
    ///
    /// # Safety
    ///
    /// For all of `'a`:
    ///
    /// - `ptr` is valid for reads of `len` bytes (any pointer, even null, when `len == 0`),
    ///   and those bytes are initialised; the memory is neither freed nor unmapped;
    /// - no `&mut` to any of those bytes exists, and a shared reference to them (`&[u8]`)
    ///   only while nothing writes them;
    /// - code outside Rust may read and write the bytes at any time (but not while a shared
    ///   reference exists, by the previous point); Rust code writes them only through a
    ///   [`SharedMut`] of these bytes, which forms no reference.
    ///
    /// ```
    /// use buffer_runtime::view::{Order, Shared, SharedView};
    /// let mut raw = vec![0u8, 1, 2, 3];
    /// // SAFETY: `raw` stays alive and is used only through `data` while `view` lives.
    /// let data = unsafe { Shared::from_raw_parts(raw.as_mut_ptr(), raw.len()) };
    /// let view = SharedView::from_data(data, "B", &[4], None, 0).unwrap();
    /// assert_eq!(view.tobytes(Order::C), [0, 1, 2, 3]);
    /// ```
    pub unsafe fn from_raw_parts(ptr: *const u8, len: usize) -> Shared<'a> {
        Shared {
            ptr,
            len,
            _bytes: PhantomData,
        }
    }

    /// The first byte (any pointer when the region is empty).
    ///
    /// ```
    /// use buffer_runtime::view::Shared;
    /// let b = [7u8];
    /// assert_eq!(Shared::from(&b[..]).as_ptr(), b.as_ptr());
    /// ```
    pub fn as_ptr(&self) -> *const u8 {
        self.ptr
    }

    /// The number of bytes.
    ///
    /// ```
    /// use buffer_runtime::view::Shared;
    /// assert_eq!(Shared::from(&b"abc"[..]).len(), 3);
    /// ```
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there is no byte.
    ///
    /// ```
    /// use buffer_runtime::view::Shared;
    /// assert!(Shared::from(&b""[..]).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl<'a> From<&'a [u8]> for Shared<'a> {
    /// Bytes Rust borrows shared are not written by anyone while the borrow lives: a
    /// particular case of shared bytes.
    ///
    /// ```
    /// use buffer_runtime::view::Shared;
    /// let b = [1u8, 2];
    /// assert_eq!(Shared::from(&b[..]).len(), 2);
    /// ```
    fn from(bytes: &'a [u8]) -> Self {
        // SAFETY: the slice is valid for reads of its length for `'a`, and while it is
        // borrowed shared nothing writes it; a `Shared` forms no other reference.
        unsafe { Shared::from_raw_parts(bytes.as_ptr(), bytes.len()) }
    }
}

/// Writable access, for `'a`, to bytes that code outside Rust may read and write at any time:
/// the writable counterpart of [`Shared`]. Among Rust code it is exclusive, like `&mut`: no
/// other Rust access to the bytes exists while it lives except through views derived from it.
///
/// ```
/// use buffer_runtime::view::{SharedMut, SharedViewMut};
/// let mut b = [0u8; 3];
/// let mut view = SharedViewMut::from_data(SharedMut::from(&mut b[..]), "B", &[3], None, 0).unwrap();
/// view.set_as::<u8>(&[1], 9).unwrap();
/// drop(view);
/// assert_eq!(b, [0, 9, 0]);
/// ```
pub struct SharedMut<'a> {
    ptr: *mut u8,
    len: usize,
    _bytes: PhantomData<&'a mut [u8]>,
}

impl<'a> SharedMut<'a> {
    /// Writable shared access to `len` bytes at `ptr`.
    ///
    /// # Safety
    ///
    /// For all of `'a`:
    ///
    /// - `ptr` is valid for reads and writes of `len` bytes (any pointer, even null, when
    ///   `len == 0`), and those bytes are initialised; the memory is neither freed nor
    ///   unmapped;
    /// - no Rust reference (`&`, `&mut`) to any of those bytes exists;
    /// - no other Rust access to those bytes exists but through this value and what is
    ///   derived from it: no other [`SharedMut`], no [`Shared`];
    /// - code outside Rust may read and write the bytes at any time.
    ///
    /// ```
    /// use buffer_runtime::view::{SharedMut, SharedViewMut};
    /// let mut raw = vec![0u8; 4];
    /// // SAFETY: `raw` stays alive and is used only through `data` while `view` lives.
    /// let data = unsafe { SharedMut::from_raw_parts(raw.as_mut_ptr(), raw.len()) };
    /// let mut view = SharedViewMut::from_data(data, "<H", &[2], None, 0).unwrap();
    /// view.set_as::<u16>(&[1], u16::from_le(0x0102)).unwrap();
    /// drop(view);
    /// assert_eq!(raw, [0, 0, 2, 1]);
    /// ```
    pub unsafe fn from_raw_parts(ptr: *mut u8, len: usize) -> SharedMut<'a> {
        SharedMut {
            ptr,
            len,
            _bytes: PhantomData,
        }
    }

    /// The first byte (any pointer when the region is empty).
    ///
    /// ```
    /// use buffer_runtime::view::SharedMut;
    /// let mut b = [7u8];
    /// let p = b.as_mut_ptr();
    /// assert_eq!(SharedMut::from(&mut b[..]).as_ptr(), p.cast_const());
    /// ```
    pub fn as_ptr(&self) -> *const u8 {
        self.ptr
    }

    /// The number of bytes.
    ///
    /// ```
    /// use buffer_runtime::view::SharedMut;
    /// assert_eq!(SharedMut::from(&mut [0u8; 3][..]).len(), 3);
    /// ```
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there is no byte.
    ///
    /// ```
    /// use buffer_runtime::view::SharedMut;
    /// assert!(SharedMut::from(&mut [0u8; 0][..]).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl<'a> From<&'a mut [u8]> for SharedMut<'a> {
    /// Bytes Rust borrows exclusively: only this value accesses them while the borrow lives.
    ///
    /// ```
    /// use buffer_runtime::view::SharedMut;
    /// let mut b = [1u8, 2];
    /// assert_eq!(SharedMut::from(&mut b[..]).len(), 2);
    /// ```
    fn from(bytes: &'a mut [u8]) -> Self {
        // SAFETY: the exclusive borrow makes the slice valid for reads and writes of its
        // length for `'a` and the only access to it; a `SharedMut` forms no reference.
        unsafe { SharedMut::from_raw_parts(bytes.as_mut_ptr(), bytes.len()) }
    }
}

impl Data for Shared<'_> {
    const WRITABLE: bool = false;
    const NAME: &'static str = "SharedView";
    type Ref<'b>
        = Shared<'b>
    where
        Self: 'b;
    fn reborrow(&self) -> Shared<'_> {
        *self
    }
    fn as_ptr(&self) -> *const u8 {
        self.ptr
    }
    fn len(&self) -> usize {
        self.len
    }
    fn as_slice(&self) -> Option<&[u8]> {
        None
    }
    fn try_as_mut_ptr(&mut self) -> Option<*mut u8> {
        None
    }
}

impl Data for SharedMut<'_> {
    const WRITABLE: bool = true;
    const NAME: &'static str = "SharedViewMut";
    type Ref<'b>
        = Shared<'b>
    where
        Self: 'b;
    fn reborrow(&self) -> Shared<'_> {
        // SAFETY: `self`'s contract covers the region for as long as `self` lives, which the
        // borrow bounds; while the `Shared` lives, `self` is borrowed shared and cannot write.
        unsafe { Shared::from_raw_parts(self.ptr, self.len) }
    }
    fn as_ptr(&self) -> *const u8 {
        self.ptr
    }
    fn len(&self) -> usize {
        self.len
    }
    fn as_slice(&self) -> Option<&[u8]> {
        None
    }
    fn try_as_mut_ptr(&mut self) -> Option<*mut u8> {
        Some(self.ptr)
    }
}

impl DataMut for SharedMut<'_> {
    type Mut<'b>
        = SharedMut<'b>
    where
        Self: 'b;
    fn reborrow_mut(&mut self) -> SharedMut<'_> {
        // SAFETY: `self`'s contract covers the region for as long as `self` lives; while the
        // new value lives `self` is borrowed mutably, so it is the only Rust access.
        unsafe { SharedMut::from_raw_parts(self.ptr, self.len) }
    }
    fn as_mut_ptr(&mut self) -> *mut u8 {
        self.ptr
    }
}

/// `Some(off + n)` when `n` bytes at `off` lie inside a region of `len` bytes.
#[inline(always)]
fn in_bounds(off: usize, n: usize, len: usize) -> bool {
    matches!(off.checked_add(n), Some(end) if end <= len)
}

#[cold]
#[inline(never)]
fn out_of_bounds(off: usize, n: usize, len: usize) -> ! {
    panic!("view invariant broken: {n} bytes at offset {off} of a region of {len} bytes")
}

impl<S: Data> ViewBase<S> {
    /// Copies the `dst.len()` bytes at byte `off` of the region into `dst`. The range is an
    /// item (or items) of this view: the view's invariant 4 ([`ViewBase#invariants`]) puts it
    /// inside the region; it is
    /// checked anyway (a panic would be a bug in the view, not bad input).
    #[inline]
    pub(crate) fn read_into(&self, off: usize, dst: &mut [u8]) {
        let len = self.data.len();
        if !in_bounds(off, dst.len(), len) {
            out_of_bounds(off, dst.len(), len);
        }
        // `off + dst.len() <= len`, and the storage is valid for reads of `len` bytes
        // at `as_ptr()` while it lives (the `Data` kinds' contract; `self` borrows it). `dst`
        // is Rust-owned memory behind a `&mut`, so it cannot overlap a region that no Rust
        // reference other than a shared one points into. No reference to the source is made.
        // SAFETY: in bounds of a region valid for reads; `dst` is Rust-owned, so no overlap.
        unsafe {
            ptr::copy_nonoverlapping(self.data.as_ptr().add(off), dst.as_mut_ptr(), dst.len())
        }
    }

    /// The `T` whose bytes are at byte `off` of the region (an item offset of this view, with
    /// `size_of::<T>() == itemsize`), copied out: any alignment.
    #[inline]
    pub(crate) fn read_at<T: FromBytes>(&self, off: usize) -> T {
        let (size, len) = (core::mem::size_of::<T>(), self.data.len());
        if !in_bounds(off, size, len) {
            out_of_bounds(off, size, len);
        }
        // SAFETY: in bounds as in `read_into`; `read_unaligned` needs no alignment and copies
        // the bytes into a new value, which is a valid `T` whatever they are (`T: FromBytes`).
        unsafe { ptr::read_unaligned(self.data.as_ptr().add(off).cast::<T>()) }
    }

    /// CPython's `TypeError` when this view cannot write.
    pub(crate) fn check_writable(&self) -> Result<()> {
        if S::WRITABLE {
            Ok(())
        } else {
            Err(ViewError::type_error("cannot modify read-only memory"))
        }
    }

    /// Copies `src` to byte `off` of the region (an item offset of this view). CPython's
    /// `TypeError` on a read-only view.
    #[inline]
    pub(crate) fn write_from(&mut self, off: usize, src: &[u8]) -> Result<()> {
        let len = self.data.len();
        let Some(dst) = self.data.try_as_mut_ptr() else {
            return Err(ViewError::type_error("cannot modify read-only memory"));
        };
        if !in_bounds(off, src.len(), len) {
            out_of_bounds(off, src.len(), len);
        }
        // In bounds as in `read_into`; a writable kind's `try_as_mut_ptr` is valid for
        // writes of `len` bytes while it is borrowed mutably (here, through `&mut self`). `src`
        // is behind a shared Rust reference, which cannot point into a region this view may
        // write (a `&mut [u8]` is exclusive; shared kinds have no Rust reference to them).
        // SAFETY: in bounds, writable under `&mut self`; `src` cannot overlap the region.
        unsafe { ptr::copy_nonoverlapping(src.as_ptr(), dst.add(off), src.len()) };
        Ok(())
    }
}
