//! [`ExportCell`]: storage for an exporter inside a `#[pyclass]`, with CPython's export
//! semantics.

use core::cell::UnsafeCell;
use core::ffi::{c_int, c_void};
use core::fmt;
use core::ops::{Deref, DerefMut};
use std::string::{String, ToString};
use std::sync::Arc;

use pyo3::exceptions::{PyBufferError, PyTypeError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::PyClass;
use zerocopy::FromBytes;

use super::export::{
    buffer_error, describe, describe_readonly, describe_writable, fill_view, Export,
};
use super::pickle::Received;
use crate::view::{Data, Shared, SharedMut, SharedView, SharedViewMut, ViewBase};
use crate::{BufferExport, BufferExportMut, BufferLayout};

/// CPython's message for an operation that would move or free exported memory
/// (`bytearray`'s, word for word).
const EXPORTS_EXIST: &str = "Existing exports of data: object cannot be re-sized";

/// Why an unpickled cell has no value to borrow.
const UNPICKLED: &str =
    "this object was unpickled: its items are the bytes it arrived with, not a Rust value; \
     read and write them through view() and view_mut()";

/// The heap block an [`ExportCell`] points at. Every unreleased `Py_buffer` of the cell owns
/// one strong reference to it (in `Py_buffer.internal`), so it, the value and the value's bytes
/// outlive every export even when the cell itself is replaced or dropped.
struct Inner<T> {
    /// The `Py_buffer` answer for the value as it is now, or why it cannot be exported.
    export: Result<Export, String>,
    /// Recomputes `export` from the value, as writable or read-only (chosen at construction).
    describe: fn(&mut T) -> Result<Export, String>,
    writable: bool,
    /// The value; `None` when the cell was unpickled (its items are then `received`).
    value: UnsafeCell<Option<T>>,
    /// The bytes of an unpickled cell (declared last: `export` points into them).
    received: Option<Received>,
}

// SAFETY: sending an `Inner<T>` sends the `T` it owns (hence `T: Send`); its `Export` is plain
// data (see `Export`'s impls).
unsafe impl<T: Send> Send for Inner<T> {}
// `&Inner<T>` gives, across threads: `&Export` (immutable), `&T` only for read-only
// cells (`ExportCell::get`, hence `T: Sync`), and raw pointers into the value's bytes, read and
// written only through views whose writers need `&mut ExportCell` (so Rust never has two
// writers, or a writer and a reader, at once). Dropping the last reference may happen on any
// thread, which drops the `T` there (hence `T: Send`).
// SAFETY: `&T` only for read-only cells, writers need `&mut` (above).
unsafe impl<T: Send + Sync> Sync for Inner<T> {}

/// Owns an exporter stored in a `#[pyclass]` and gives Python buffers of it with CPython's own
/// semantics, as `bytearray` does: while Python holds exports (a `memoryview`, a numpy array,
/// a Pillow image), every method of the object keeps working, Rust can read and write the
/// items in place, and only what would move, resize or free the bytes
/// ([`try_mut`](Self::try_mut), [`into_inner`](Self::into_inner)) fails, with
/// `BufferError: Existing exports of data: object cannot be re-sized`, until the exports are
/// released.
///
/// Export it with [`python_buffer!`](crate::python_buffer). One export costs the same whatever
/// else is exported (an atomic reference count, no lock, no allocation): the `Py_buffer`
/// fields are computed when the value is stored and after each [`try_mut`](Self::try_mut).
///
/// ```
/// use buffer_runtime::{python::ExportCell, python_buffer};
/// use pyo3::prelude::*;
///
/// #[pyclass]
/// struct Samples {
///     rate: u32,
///     data: ExportCell<Vec<f32>>,
/// }
/// python_buffer! {
///     #[pymethods]
///     impl Samples {
///         #[getter]
///         fn rate(&self) -> u32 { self.rate }
///         fn push(&mut self, x: f32) -> PyResult<()> {
///             self.data.try_mut()?.push(x); // BufferError while Python holds an export
///             Ok(())
///         }
///     }
///     export |this| &this.data;
/// }
///
/// Python::attach(|py| {
///     let s = Py::new(py, Samples { rate: 48_000, data: ExportCell::new(vec![0.5, 1.5]) })?;
///     let run = py.eval(c"lambda s: (memoryview(s), s.rate)", None, None)?;
///     let (m, rate): (Bound<'_, PyAny>, u32) = run.call1((&s,))?.extract()?;
///     assert_eq!(rate, 48_000); // the object stays usable while exported
///     let err = s.call_method1(py, "push", (2.5,)).unwrap_err();
///     assert_eq!(err.to_string(), "BufferError: Existing exports of data: object cannot be re-sized");
///     m.call_method0("release")?;
///     s.call_method1(py, "push", (2.5,))?; // works once the export is released
///     assert_eq!(s.borrow(py).data.shape(), &[3]);
///     Ok::<_, PyErr>(())
/// })
/// .unwrap();
/// ```
pub struct ExportCell<T> {
    inner: Arc<Inner<T>>,
}

impl<T: BufferExportMut> ExportCell<T>
where
    T::Item: FromBytes,
{
    /// Stores `value` for writable exports: Python (numpy, `memoryview`, Pillow) may write its
    /// items, which every bit pattern is valid for (`T::Item: FromBytes`).
    ///
    /// ```
    /// use buffer_runtime::python::ExportCell;
    /// let cell = ExportCell::new(vec![[0u8; 4]; 6]);
    /// assert_eq!((cell.format(), cell.shape(), cell.readonly()), ("B", &[6usize, 4][..], false));
    /// ```
    pub fn new(value: T) -> Self {
        ExportCell::with(value, describe_writable::<T>, true)
    }
}

impl<T: BufferExport> ExportCell<T> {
    /// Stores `value` for read-only exports: Python can read the items but not write them
    /// (a writable request is a `BufferError`). Any item type, `bool` and enums included; and
    /// Rust keeps plain references to the value ([`get`](Self::get)).
    ///
    /// ```
    /// use buffer_runtime::python::ExportCell;
    /// let cell = ExportCell::new_readonly(vec![true, false]);
    /// assert!(cell.readonly());
    /// assert_eq!(cell.get().unwrap(), &[true, false]);
    /// ```
    pub fn new_readonly(value: T) -> Self {
        ExportCell::with(value, |v: &mut T| describe_readonly(v), false)
    }

    fn with(value: T, describe: fn(&mut T) -> Result<Export, String>, writable: bool) -> Self {
        let mut inner = Arc::new(Inner {
            export: Err(String::new()),
            describe,
            writable,
            value: UnsafeCell::new(Some(value)),
            received: None,
        });
        // A new `Arc` is unique, so this always runs; the value is described where it will
        // stay (inside the `Arc`'s block), so an inline array's address is final.
        if let Some(i) = Arc::get_mut(&mut inner) {
            if let Some(value) = i.value.get_mut() {
                i.export = (i.describe)(value);
            }
        }
        ExportCell { inner }
    }

    /// A cell whose items are `received` (unpickled bytes) laid out as `layout`: no value of
    /// `T`, only its items (see [`get`](Self::get) and [`try_mut`](Self::try_mut)).
    pub(crate) fn received(received: Received, layout: BufferLayout, readonly: bool) -> Self
    where
        T::Item: FromBytes,
    {
        let export = describe::<T::Item>(layout, received.base(), received.len(), readonly);
        let describe: fn(&mut T) -> Result<Export, String> = |v: &mut T| describe_readonly(v);
        ExportCell {
            inner: Arc::new(Inner {
                export,
                describe,
                writable: !readonly,
                value: UnsafeCell::new(None),
                received: Some(received),
            }),
        }
    }
}

impl<T> ExportCell<T> {
    /// The number of Python exports not yet released (`memoryview`s, numpy arrays, ... that
    /// hold a buffer of this value).
    ///
    /// ```
    /// use buffer_runtime::python::ExportCell;
    /// assert_eq!(ExportCell::new(vec![1u8]).exports(), 0);
    /// ```
    pub fn exports(&self) -> usize {
        Arc::strong_count(&self.inner) - 1
    }

    /// Whether exports are read-only (the cell was made with [`new_readonly`](Self::new_readonly)).
    ///
    /// ```
    /// use buffer_runtime::python::ExportCell;
    /// assert!(!ExportCell::new(vec![1u8]).readonly());
    /// ```
    pub fn readonly(&self) -> bool {
        !self.inner.writable
    }

    /// Whether the items are bytes the cell was unpickled from (viewed where they arrived, or
    /// copied once), with no value of `T` behind them.
    ///
    /// ```
    /// use buffer_runtime::python::ExportCell;
    /// assert!(!ExportCell::new(vec![1u8]).unpickled());
    /// ```
    pub fn unpickled(&self) -> bool {
        self.inner.received.is_some()
    }

    /// Whether the items of an unpickled cell are a copy of the bytes it was given (they
    /// were read-only while a writable export was wanted, or misaligned); `false` when they
    /// are viewed in place, and for cells that were not unpickled.
    ///
    /// ```
    /// use buffer_runtime::python::ExportCell;
    /// assert!(!ExportCell::new(vec![1u8]).unpickled_copy());
    /// ```
    pub fn unpickled_copy(&self) -> bool {
        self.inner.received.as_ref().is_some_and(Received::copied)
    }

    pub(crate) fn export(&self) -> Result<&Export, &str> {
        self.inner.export.as_ref().map_err(String::as_str)
    }

    /// The item format Python sees (empty when the value cannot be exported: see
    /// [`export_error`](Self::export_error)).
    ///
    /// ```
    /// use buffer_runtime::python::ExportCell;
    /// assert_eq!(ExportCell::new(vec![1.0f64]).format(), "d");
    /// ```
    pub fn format(&self) -> &str {
        self.export().map_or("", Export::format)
    }

    /// The shape Python sees (empty when the value cannot be exported).
    ///
    /// ```
    /// use buffer_runtime::python::ExportCell;
    /// assert_eq!(ExportCell::new([[0i16; 3]; 2]).shape(), &[2, 3]);
    /// ```
    pub fn shape(&self) -> &[usize] {
        self.export().map_or(&[], Export::shape)
    }

    /// The strides in bytes Python sees (empty when the value cannot be exported).
    ///
    /// ```
    /// use buffer_runtime::python::ExportCell;
    /// assert_eq!(ExportCell::new([[0i16; 3]; 2]).byte_strides(), &[6, 2]);
    /// ```
    pub fn byte_strides(&self) -> &[isize] {
        self.export().map_or(&[], Export::byte_strides)
    }

    /// Why the value cannot be exported (its layout does not fit its bytes), if it cannot.
    /// Every export request then raises `BufferError` with this message.
    ///
    /// ```
    /// use buffer_runtime::python::ExportCell;
    /// assert_eq!(ExportCell::new(vec![0u32; 2]).export_error(), None);
    /// ```
    pub fn export_error(&self) -> Option<&str> {
        self.export().err()
    }

    /// The value, for read-only cells: Python never writes their bytes, so a plain shared
    /// reference is sound while exports live. For writable cells, whose items Python may write
    /// at any time, a `TypeError`: read those through [`view`](Self::view).
    ///
    /// ```
    /// use buffer_runtime::python::ExportCell;
    /// assert_eq!(ExportCell::new_readonly(vec![7u8]).get().unwrap(), &vec![7u8]);
    /// assert!(ExportCell::new(vec![7u8]).get().is_err());
    /// ```
    pub fn get(&self) -> PyResult<&T> {
        if self.inner.writable {
            return Err(PyTypeError::new_err(
                "Python may write this value at any time: read it through view()",
            ));
        }
        // SAFETY: Python never writes a read-only cell (exports are `readonly = 1`, writable
        // requests refused), and Rust writes only through `try_mut`/`into_inner` (`&mut self`),
        // which cannot overlap this `&self` borrow: nothing mutates the value meanwhile.
        let value = unsafe { &*self.inner.value.get() };
        value
            .as_ref()
            .ok_or_else(|| PyTypeError::new_err(UNPICKLED))
    }

    /// A view of the items as Python sees them, for reading from Rust while exports live: a
    /// [`SharedView`], which copies items out and never holds a reference to bytes Python may
    /// write. A `BufferError` if the value cannot be exported (its layout does not fit its
    /// bytes).
    ///
    /// ```
    /// use buffer_runtime::python::ExportCell;
    /// let cell = ExportCell::new(vec![[1u16, 2], [3, 4]]);
    /// let view = cell.view().unwrap();
    /// assert_eq!(view.get_as::<u16>(&[1, 0]).unwrap(), 3);
    /// ```
    pub fn view(&self) -> PyResult<SharedView<'_>> {
        let export = self
            .export()
            .map_err(|why| PyBufferError::new_err(why.to_string()))?;
        // The bytes move only under `try_mut`/`into_inner` and Rust writes them only through
        // `view_mut` (all `&mut self`); a read-only cell's `get` gives `&T`, which only reads.
        // SAFETY: so `base`/`span` stay valid and unmoved, unwritten by Rust, while `&self` lives.
        let data = unsafe { Shared::from_raw_parts(export.base, export.span) };
        items_view(export, data)
    }

    /// All of the value's bytes (also those outside the exported layout) as a 1-d view of
    /// unsigned bytes (format `B`), for reading from Rust while exports live.
    ///
    /// ```
    /// use buffer_runtime::python::ExportCell;
    /// let cell = ExportCell::new(vec![1u16, 2]);
    /// let bytes = cell.bytes_view().unwrap();
    /// assert_eq!(bytes.tobytes(buffer_runtime::view::Order::C), [1u16.to_ne_bytes(), 2u16.to_ne_bytes()].concat());
    /// ```
    pub fn bytes_view(&self) -> PyResult<SharedView<'_>> {
        let export = self
            .export()
            .map_err(|why| PyBufferError::new_err(why.to_string()))?;
        // SAFETY: as in `view`: the whole span stays valid and unmoved while `&self` lives, and
        // Rust only reads it here.
        let data = unsafe { Shared::from_raw_parts(export.base, export.span) };
        Ok(SharedView::from_data(data, "B", &[export.span], None, 0)?)
    }

    /// A writable view of the items, for writing in place from Rust while exports live (as
    /// `bytearray` allows): a [`SharedViewMut`], which copies bytes in and out. A `TypeError`
    /// for read-only cells (`cannot modify read-only memory`, as CPython says), a
    /// `BufferError` if the value cannot be exported.
    ///
    /// ```
    /// use buffer_runtime::python::ExportCell;
    /// let mut cell = ExportCell::new(vec![0i32; 3]);
    /// cell.view_mut().unwrap().set_as::<i32>(&[2], -5).unwrap();
    /// assert_eq!(cell.into_inner().unwrap(), [0, 0, -5]);
    /// ```
    pub fn view_mut(&mut self) -> PyResult<SharedViewMut<'_>> {
        if !self.inner.writable {
            return Err(PyTypeError::new_err("cannot modify read-only memory"));
        }
        let export = self
            .export()
            .map_err(|why| PyBufferError::new_err(why.to_string()))?;
        // A writable cell's `base` comes from `buffer_bytes_mut`, a writable Python buffer or a
        // fresh copy (write provenance); its items take any bits (`T::Item: FromBytes`).
        // SAFETY: as in `view`, valid and unmoved while `&mut self` lives, no other Rust alias.
        let data = unsafe { SharedMut::from_raw_parts(export.base, export.span) };
        items_view(export, data)
    }

    /// Exclusive access to the value, to resize, replace or move its storage: only while no
    /// Python export lives (`BufferError: Existing exports of data: object cannot be
    /// re-sized` otherwise, as CPython's `bytearray` says). The exports are recomputed when
    /// the guard drops.
    ///
    /// ```
    /// use buffer_runtime::python::ExportCell;
    /// let mut cell = ExportCell::new(vec![0u16; 2]);
    /// cell.try_mut().unwrap().push(9);
    /// assert_eq!(cell.shape(), &[3]);
    /// ```
    pub fn try_mut(&mut self) -> PyResult<CellMut<'_, T>> {
        let inner =
            Arc::get_mut(&mut self.inner).ok_or_else(|| PyBufferError::new_err(EXPORTS_EXIST))?;
        let Inner {
            export,
            describe,
            value,
            ..
        } = inner;
        let Some(value) = value.get_mut().as_mut() else {
            return Err(PyBufferError::new_err(UNPICKLED));
        };
        // If the guard is leaked (`mem::forget`), the old description must not survive: the
        // value may have moved its bytes. Until the guard's drop describes it again, every
        // export request is refused.
        *export = Err(String::from(
            "the value is being modified by Rust (a `try_mut` guard is alive)",
        ));
        Ok(CellMut {
            value,
            export,
            describe: *describe,
        })
    }

    /// The value, if no Python export lives; the cell back otherwise.
    ///
    /// ```
    /// use buffer_runtime::python::ExportCell;
    /// assert_eq!(ExportCell::new(vec![1u8, 2]).into_inner().ok(), Some(vec![1, 2]));
    /// ```
    pub fn into_inner(self) -> Result<T, Self> {
        match Arc::try_unwrap(self.inner) {
            Ok(Inner {
                export,
                describe,
                writable,
                value,
                received,
            }) => match value.into_inner() {
                Some(value) => Ok(value),
                // An unpickled cell has no value: the same cell back (its bytes, held by
                // `received` or by the Python object it views, never moved).
                None => Err(ExportCell {
                    inner: Arc::new(Inner {
                        export,
                        describe,
                        writable,
                        value: UnsafeCell::new(None),
                        received,
                    }),
                }),
            },
            Err(inner) => Err(ExportCell { inner }),
        }
    }

    /// Exports the cell: `bf_getbuffer` for a `#[pyclass]` that holds it.
    ///
    /// # Safety
    /// `view` is the `Py_buffer` CPython passed to `bf_getbuffer` for `obj`, and `obj` holds
    /// this cell.
    unsafe fn getbuffer(
        &self,
        obj: &Bound<'_, PyAny>,
        view: *mut ffi::Py_buffer,
        flags: c_int,
    ) -> PyResult<()> {
        // This export's own strong reference, released by `releasebuffer`.
        let keep = Arc::into_raw(Arc::clone(&self.inner))
            .cast_mut()
            .cast::<c_void>();
        // `view` is `bf_getbuffer`'s (caller). The bytes `export` describes belong to
        // the value in `Inner`, which `keep` keeps alive until release; they move only under
        // `try_mut`/`into_inner`, which `keep` makes fail (the `Arc` is not unique), so they
        // stay put until release too.
        // SAFETY: `view` is the caller's; the bytes stay alive and unmoved until release (`keep`).
        let result =
            unsafe { fill_view(obj, !self.inner.writable, self.export(), view, flags, keep) };
        if result.is_err() {
            // SAFETY: `keep` came from `Arc::into_raw` above and was not handed out (the
            // request failed), so it is reclaimed exactly once, here.
            drop(unsafe { Arc::from_raw(keep.cast::<Inner<T>>().cast_const()) });
        }
        result
    }
}

/// The view of `export`'s items (its format, shape, strides and offset) over `data`, the
/// exporter's bytes.
fn items_view<S: Data>(export: &Export, data: S) -> PyResult<ViewBase<S>> {
    Ok(ViewBase::from_data_item(
        data,
        export.item()?,
        export.shape(),
        Some(export.byte_strides()),
        export.offset,
    )?)
}

impl<T: fmt::Debug> fmt::Debug for ExportCell<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("ExportCell");
        match self.get() {
            Ok(v) => d.field("value", v),
            Err(_) => d.field(
                "value",
                &format_args!("<writable: {:?} {:?}>", self.format(), self.shape()),
            ),
        };
        d.field("exports", &self.exports()).finish()
    }
}

/// Exclusive access to an [`ExportCell`]'s value while no Python export lives, from
/// [`ExportCell::try_mut`]. Dropping it describes the value again for the next export.
pub struct CellMut<'a, T> {
    /// The value, borrowed from the unique `Inner` (from `Arc::get_mut`): no export and no
    /// other Rust access exists while the guard lives.
    value: &'a mut T,
    export: &'a mut Result<Export, String>,
    describe: fn(&mut T) -> Result<Export, String>,
}

impl<T> Deref for CellMut<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.value
    }
}

impl<T> DerefMut for CellMut<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.value
    }
}

impl<T> Drop for CellMut<'_, T> {
    fn drop(&mut self) {
        *self.export = (self.describe)(self.value);
    }
}

/// `__getbuffer__` of a `#[pyclass]` exporting an [`ExportCell`]: what
/// [`python_buffer!`](crate::python_buffer) expands to. Not a public API.
///
/// # Safety
/// Only for `bf_getbuffer`: `view` is the `Py_buffer` CPython passed in.
#[doc(hidden)]
pub unsafe fn __getbuffer<C, T, F>(
    slf: Bound<'_, C>,
    view: *mut ffi::Py_buffer,
    flags: c_int,
    field: F,
) -> PyResult<()>
where
    C: PyClass,
    F: for<'a> FnOnce(&'a C) -> &'a ExportCell<T>,
{
    let obj = slf.as_any();
    // A shared borrow for as long as it takes to fill `view`: the cell's `Arc`, not this
    // borrow, keeps the bytes alive afterwards.
    let this = match slf.try_borrow() {
        Ok(this) => this,
        Err(e) => {
            let err = buffer_error(
                obj,
                &std::format!("cannot export while a Rust method holds `&mut self` ({e})"),
            );
            if !view.is_null() {
                // SAFETY: `view` is valid for writes (caller); `obj = NULL` on failure.
                unsafe { (*view).obj = core::ptr::null_mut() };
            }
            return Err(err);
        }
    };
    // SAFETY: forwarded from the caller; `obj` holds the cell.
    unsafe { field(&this).getbuffer(obj, view, flags) }
}

/// `__releasebuffer__` of a `#[pyclass]` exporting an [`ExportCell`]. `_field` only names the
/// cell's type. Not a public API.
///
/// # Safety
/// Only for `bf_releasebuffer`, once per successful [`__getbuffer`] of the same class and
/// field, with the `Py_buffer` it filled.
#[doc(hidden)]
pub unsafe fn __releasebuffer<C, T, F>(_slf: Bound<'_, C>, view: *mut ffi::Py_buffer, _field: F)
where
    C: PyClass,
    F: for<'a> FnOnce(&'a C) -> &'a ExportCell<T>,
{
    if view.is_null() {
        return;
    }
    // `view` is the `Py_buffer` a successful `__getbuffer` of this field filled
    // (caller), whose `internal` is the strong reference `ExportCell::getbuffer` made with
    // `Arc::into_raw` for an `Inner<T>`; consumers must not change `internal` (C API), and
    // CPython releases each buffer once, so it is reclaimed exactly once.
    // SAFETY: `view` is a `Py_buffer` our `__getbuffer` filled (caller), valid for reads.
    let internal = unsafe { (*view).internal };
    if !internal.is_null() {
        // SAFETY: see above.
        drop(unsafe { Arc::from_raw(internal.cast::<Inner<T>>().cast_const()) });
    }
}
