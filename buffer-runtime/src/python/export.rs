//! The exporting half: `__getbuffer__` / `__releasebuffer__` for a `#[pyclass]` that holds a
//! [`BufferExport`]er. Users reach it through [`python_buffer!`](crate::python_buffer); the
//! functions here are public only so that the macro's expansion can name them.
//!
//! # How an export works
//!
//! The first export of an object borrows the `#[pyclass]` through PyO3's own borrow flag
//! ([`PyRef`] for a read-only export, [`PyRefMut`] for a writable one), asks the exporter for its
//! layout and bytes, checks that every item the layout describes lies inside those bytes, and
//! records the result in a *loan*. Further exports of the same object while the loan lives share
//! it (Python may alias its own buffers freely; what matters is that Rust cannot touch the
//! memory meanwhile). The last `__releasebuffer__` drops the loan and with it the borrow, so
//! until then every Rust method that needs `&mut self` (or, for a writable export, `&self`)
//! fails with PyO3's "Already borrowed" error instead of racing with Python.
//!
//! Loans live in one process-wide table keyed by the object's address. The address is unique
//! while the loan lives because every `Py_buffer.obj` holds a strong reference to the object.
//! The table keeps its capacity, and a compile-time layout points `Py_buffer.shape`, `strides`
//! and `format` at `'static` data, so exporting such a layout allocates nothing once the table
//! has grown to the number of objects exported at the same time.

use core::ffi::{c_int, c_void, CStr};
use core::mem::{align_of, size_of, MaybeUninit};
use core::ptr;
use std::boxed::Box;
use std::format;
use std::string::{String, ToString};
use std::sync::{Mutex, MutexGuard};
use std::vec::Vec;

use pyo3::exceptions::PyBufferError;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::pyclass::boolean_struct::False;
use pyo3::{PyClass, PyRef, PyRefMut};
use zerocopy::FromBytes;

use crate::export::Dims;
use crate::{BufferExport, BufferExportMut, Element, Layout};

/// The most dimensions CPython accepts in a buffer (`PyBUF_MAX_NDIM`).
const MAX_NDIM: usize = 64;

/// What one `Py_buffer` needs, checked once per loan and copied into every export of the loan.
#[derive(Clone, Copy)]
struct Info {
    buf: *mut u8,
    len: isize,
    itemsize: isize,
    readonly: bool,
    format: &'static CStr,
    ndim: usize,
    /// `ndim` values, in `'static` memory or in `dims`.
    shape: *const isize,
    /// `ndim` values, in `'static` memory or in `dims`.
    strides: *const isize,
    c_contiguous: bool,
    f_contiguous: bool,
}

/// A loan's [`Info`] and the storage its shape and strides may point into.
struct Filled {
    info: Info,
    /// Storage for a shape and strides computed at run time: `[shape.., strides..]`.
    _dims: Option<Box<[isize]>>,
}

/// A borrow of a `#[pyclass]` (its `PyRef` or `PyRefMut`), stored with its type erased so that
/// loans of every class fit in one table. Dropping it requires the GIL; see [`Loan`].
struct ErasedGuard {
    /// The bits of a `PyRef<'_, C>` or `PyRefMut<'_, C>`, written by [`ErasedGuard::new`].
    slot: MaybeUninit<usize>,
    /// Drops the value in `slot` as the type it was written as.
    drop_fn: unsafe fn(*mut MaybeUninit<usize>),
}

impl ErasedGuard {
    /// Stores `guard`. Compile-time assertions check that it fits the slot.
    fn new<G>(guard: G) -> Self {
        const { assert!(size_of::<G>() <= size_of::<usize>() && align_of::<G>() <= align_of::<usize>()) };
        let mut slot = MaybeUninit::<usize>::uninit();
        // SAFETY: `slot` is valid for writes of `size_of::<usize>()` bytes at the alignment of
        // `usize`, which by the assertion above is enough room and alignment for a `G`.
        unsafe { ptr::write(slot.as_mut_ptr().cast::<G>(), guard) };
        ErasedGuard {
            slot,
            drop_fn: drop_erased::<G>,
        }
    }

    /// Drops the guard, releasing the pyclass borrow. The caller must be attached to the
    /// interpreter (hold the GIL), as for dropping any `PyRef`.
    fn release(mut self, _py: Python<'_>) {
        // SAFETY: `slot` holds the `G` written by `new`, `drop_fn` is `drop_erased::<G>` for that
        // same `G`, and `self` is consumed, so the value is dropped exactly once. The `Python`
        // token proves the GIL is held, which dropping a `PyRef`/`PyRefMut` needs.
        unsafe { (self.drop_fn)(&mut self.slot) };
    }
}

/// Drops the `G` stored in `slot`.
///
/// # Safety
/// `slot` holds a valid `G` written by [`ErasedGuard::new`] that is not used again.
unsafe fn drop_erased<G>(slot: *mut MaybeUninit<usize>) {
    // SAFETY: by this function's contract `slot` holds a live `G`, suitably aligned (checked in
    // `ErasedGuard::new`), that nobody reads afterwards.
    unsafe { ptr::drop_in_place(slot.cast::<G>()) }
}

/// One object's outstanding exports.
struct Loan {
    /// The exporting object's address.
    object: usize,
    /// How many `Py_buffer`s of this loan are not yet released.
    exports: usize,
    guard: ErasedGuard,
    filled: Filled,
}

// SAFETY: a `Loan` holds raw pointers into memory owned by a Python object, and a
// `PyRef`/`PyRefMut` of it. The table that stores loans is only touched from `__getbuffer__` and
// `__releasebuffer__`, which CPython calls with the GIL held, and the guard is only dropped with
// the GIL held (`ErasedGuard::release` takes a `Python` token), so moving a loan between threads
// never lets two threads use it at once.
unsafe impl Send for Loan {}

/// Every object that currently has exports.
static LOANS: Mutex<Vec<Loan>> = Mutex::new(Vec::new());

fn loans() -> MutexGuard<'static, Vec<Loan>> {
    // A panic while the lock is held cannot leave the table half-updated (every update is a
    // single push, field write or swap_remove), so a poisoned lock is still consistent.
    LOANS.lock().unwrap_or_else(|e| e.into_inner())
}

/// The number of unreleased exports of `obj` (for tests).
#[doc(hidden)]
pub fn __exports_of(obj: &Bound<'_, PyAny>) -> usize {
    let key = obj.as_ptr() as usize;
    loans()
        .iter()
        .find(|l| l.object == key)
        .map_or(0, |l| l.exports)
}

/// `PyBUF_*` request flags, named after CPython's `REQ_*` macros.
struct Request(c_int);

impl Request {
    fn has(&self, bits: c_int) -> bool {
        self.0 & bits == bits
    }
    fn writable(&self) -> bool {
        self.has(ffi::PyBUF_WRITABLE)
    }
    fn format(&self) -> bool {
        self.has(ffi::PyBUF_FORMAT)
    }
    fn shape(&self) -> bool {
        self.has(ffi::PyBUF_ND)
    }
    fn strides(&self) -> bool {
        self.has(ffi::PyBUF_STRIDES)
    }
    fn c_contiguous(&self) -> bool {
        self.has(ffi::PyBUF_C_CONTIGUOUS)
    }
    fn f_contiguous(&self) -> bool {
        self.has(ffi::PyBUF_F_CONTIGUOUS)
    }
    fn any_contiguous(&self) -> bool {
        self.has(ffi::PyBUF_ANY_CONTIGUOUS)
    }
}

/// A `BufferError` whose message starts with the Python type name of `obj`, as CPython's
/// `memoryview: ...` messages start with the exporter's name.
fn buffer_error(obj: &Bound<'_, PyAny>, what: &str) -> PyErr {
    let name = obj
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| String::from("object"));
    PyBufferError::new_err(format!("{name}: {what}"))
}

/// Checks `layout` against `bytes` and the item type, and computes everything a `Py_buffer`
/// needs. `base` is the start of the bytes; the result points into them.
fn fill<I: Element>(
    layout: Layout,
    base: *mut u8,
    bytes_len: usize,
    readonly: bool,
) -> Result<Filled, String> {
    let itemsize = size_of::<I>();
    let ndim = layout.shape.len();
    if itemsize == 0 || itemsize > isize::MAX as usize {
        return Err(format!("cannot export items of {itemsize} bytes"));
    }
    if layout.strides.len() != ndim {
        return Err(format!(
            "invalid layout: {ndim} dimensions in the shape but {} strides",
            layout.strides.len()
        ));
    }
    if ndim > MAX_NDIM {
        return Err(format!("number of dimensions must not exceed {MAX_NDIM}"));
    }
    // Items in bytes: product(shape) * itemsize, which must fit an isize (Py_ssize_t).
    let mut count: isize = 1;
    for &n in layout.shape.iter() {
        let n = isize::try_from(n)
            .map_err(|_| String::from("invalid layout: a dimension exceeds isize::MAX"))?;
        count = count.checked_mul(n).ok_or_else(|| {
            String::from("invalid layout: the buffer is larger than isize::MAX bytes")
        })?;
    }
    let len = count.checked_mul(itemsize as isize).ok_or_else(|| {
        String::from("invalid layout: the buffer is larger than isize::MAX bytes")
    })?;
    // Every item must lie inside the bytes: the lowest and highest byte any index reaches.
    if layout.offset > bytes_len {
        return Err(format!(
            "invalid layout: offset {} beyond {bytes_len} bytes",
            layout.offset
        ));
    }
    if count > 0 {
        let (mut lo, mut hi) = (
            layout.offset as i128,
            layout.offset as i128 + itemsize as i128,
        );
        for (&n, &s) in layout.shape.iter().zip(layout.strides.iter()) {
            let reach = (n as i128 - 1) * s as i128;
            if reach < 0 {
                lo += reach;
            } else {
                hi += reach;
            }
        }
        if lo < 0 || hi > bytes_len as i128 {
            return Err(format!(
                "invalid layout: items reach bytes {lo}..{hi} of a buffer of {bytes_len} bytes"
            ));
        }
    }
    let (c_contiguous, f_contiguous) = contiguity(&layout.shape, &layout.strides, itemsize);
    let (shape, strides, dims) = match (&layout.shape, &layout.strides) {
        (Dims::Static(shape), Dims::Static(strides)) => {
            // `usize` and `isize` have the same size and alignment, and every value was checked
            // above to be at most isize::MAX, so the shape reads back unchanged as Py_ssize_t.
            (shape.as_ptr().cast::<isize>(), strides.as_ptr(), None)
        }
        (shape, strides) => {
            let mut block: Vec<isize> = Vec::with_capacity(2 * ndim);
            block.extend(shape.iter().map(|&n| n as isize));
            block.extend_from_slice(strides);
            let block = block.into_boxed_slice();
            let p = block.as_ptr();
            // `p + ndim` is within (or one past the end of) the 2 * ndim allocation.
            (p, p.wrapping_add(ndim), Some(block))
        }
    };
    let info = Info {
        // `offset <= bytes_len`, so this stays inside (or one past) the exporter's bytes.
        buf: base.wrapping_add(layout.offset),
        len,
        itemsize: itemsize as isize,
        readonly,
        format: I::FORMAT_CSTR,
        ndim,
        shape,
        strides,
        c_contiguous,
        f_contiguous,
    };
    Ok(Filled { info, _dims: dims })
}

/// CPython's contiguity rules: a buffer with no items is both; dimensions of length 1 do not
/// constrain their stride.
fn contiguity(shape: &[usize], strides: &[isize], itemsize: usize) -> (bool, bool) {
    if shape.contains(&0) {
        return (true, true);
    }
    let check = |order: &mut dyn Iterator<Item = (&usize, &isize)>| {
        let mut expect = itemsize as isize;
        for (&n, &s) in order {
            if n != 1 && s != expect {
                return false;
            }
            expect = expect.wrapping_mul(n as isize);
        }
        true
    };
    let c = check(&mut shape.iter().zip(strides).rev());
    let f = check(&mut shape.iter().zip(strides));
    (c, f)
}

/// Checks `request` against a loan and writes the `Py_buffer`. On error nothing is written.
///
/// # Safety
/// `view` is valid for writes; `obj` is the exporting object.
unsafe fn write_view(
    obj: &Bound<'_, PyAny>,
    info: &Info,
    request: &Request,
    view: *mut ffi::Py_buffer,
) -> PyResult<()> {
    // The order of the checks, and their messages, follow CPython's memoryview.
    if request.writable() && info.readonly {
        return Err(buffer_error(obj, "underlying buffer is not writable"));
    }
    if request.c_contiguous() && !info.c_contiguous {
        return Err(buffer_error(obj, "underlying buffer is not C-contiguous"));
    }
    if request.f_contiguous() && !info.f_contiguous {
        return Err(buffer_error(
            obj,
            "underlying buffer is not Fortran contiguous",
        ));
    }
    if request.any_contiguous() && !info.c_contiguous && !info.f_contiguous {
        return Err(buffer_error(obj, "underlying buffer is not contiguous"));
    }
    if !request.strides() && !info.c_contiguous {
        return Err(buffer_error(obj, "underlying buffer is not C-contiguous"));
    }
    if !request.shape() && request.format() {
        return Err(buffer_error(
            obj,
            "cannot cast to unsigned bytes if the format flag is present",
        ));
    }
    let (ndim, shape, strides) = if !request.shape() {
        // PyBUF_SIMPLE / PyBUF_WRITABLE: one dimension of unsigned bytes, no shape.
        (1, ptr::null(), ptr::null())
    } else if info.ndim == 0 {
        // A scalar: the C API requires NULL shape and strides.
        (0, ptr::null(), ptr::null())
    } else if request.strides() {
        (info.ndim, info.shape, info.strides)
    } else {
        (info.ndim, info.shape, ptr::null())
    };
    let format = if request.format() {
        info.format.as_ptr()
    } else {
        ptr::null()
    };
    // SAFETY: `view` is valid for writes (caller). `obj.clone().into_ptr()` is a new strong
    // reference, which `Py_buffer.obj` owns and `PyBuffer_Release` gives back. The pointers
    // written are valid until the loan ends, which is after this view's release: `buf` and
    // `len` were checked by `fill` to lie inside the exporter's bytes, which the loan's borrow
    // keeps alive and unmoved; `shape`, `strides` and `format` are `'static` or owned by the loan.
    // CPython never writes through `format`, `shape` or `strides` (they are read-only for
    // consumers), so pointing them at immutable memory is sound.
    unsafe {
        (*view).buf = info.buf.cast::<c_void>();
        (*view).obj = obj.clone().into_ptr();
        (*view).len = info.len;
        (*view).itemsize = info.itemsize;
        (*view).readonly = c_int::from(info.readonly);
        (*view).ndim = ndim as c_int;
        (*view).format = format.cast_mut();
        (*view).shape = shape.cast_mut();
        (*view).strides = strides.cast_mut();
        (*view).suboffsets = ptr::null_mut();
        (*view).internal = ptr::null_mut();
    }
    Ok(())
}

/// Shared by the read-only and writable exports: reuse the object's loan or open one with
/// `open`, then fill `view`; on failure, leave `view.obj` NULL as the C API asks.
///
/// # Safety
/// `view` is the `Py_buffer` CPython passed to `bf_getbuffer`.
unsafe fn getbuffer_with(
    obj: &Bound<'_, PyAny>,
    view: *mut ffi::Py_buffer,
    flags: c_int,
    readonly: bool,
    open: impl FnOnce() -> PyResult<(ErasedGuard, Filled)>,
) -> PyResult<()> {
    // SAFETY: forwarded from the caller.
    let result = unsafe { join_or_open(obj, view, flags, readonly, open) };
    if result.is_err() && !view.is_null() {
        // SAFETY: `view` is valid for writes (caller); the C API asks exporters to set `obj`
        // to NULL on failure.
        unsafe { (*view).obj = ptr::null_mut() };
    }
    result
}

/// The body of [`getbuffer_with`], before its error clean-up.
///
/// # Safety
/// As [`getbuffer_with`].
unsafe fn join_or_open(
    obj: &Bound<'_, PyAny>,
    view: *mut ffi::Py_buffer,
    flags: c_int,
    readonly: bool,
    open: impl FnOnce() -> PyResult<(ErasedGuard, Filled)>,
) -> PyResult<()> {
    if view.is_null() {
        return Err(PyBufferError::new_err(
            "getbuffer: view==NULL argument is obsolete",
        ));
    }
    let request = Request(flags);
    // A writable request to a read-only exporter fails before anything is borrowed.
    if request.writable() && readonly {
        return Err(buffer_error(obj, "underlying buffer is not writable"));
    }
    let key = obj.as_ptr() as usize;
    let py = obj.py();
    // The table lock is never held while user code or Python runs: a view is joined to its
    // loan (or a new loan pushed) under the lock, and the `Py_buffer` written after it.
    let info = match join_loan(key) {
        Some(info) => info,
        None => {
            // `open` runs user code (the accessor closure, `buffer_layout`, `buffer_bytes`).
            let (guard, filled) = open()?;
            let mut table = loans();
            // That code may itself have exported this object (a read-only export allows it):
            // then a loan exists already, and this view joins it, so that no view outlives the
            // loan whose shape and strides it points at.
            if let Some(loan) = table.iter_mut().find(|l| l.object == key) {
                loan.exports += 1;
                let info = loan.filled.info;
                drop(table);
                guard.release(py);
                drop(filled);
                info
            } else {
                let info = filled.info;
                // Moving `filled` moves its `Box`, not the heap block `info` points into.
                table.push(Loan {
                    object: key,
                    exports: 1,
                    guard,
                    filled,
                });
                info
            }
        }
    };
    // SAFETY: `view` is valid for writes (caller); `obj` is the exporter; `info` belongs to a
    // loan that counts this view among its exports, so it outlives the view.
    let written = unsafe { write_view(obj, &info, &request, view) };
    if written.is_err() {
        leave_loan(key, py);
    }
    written
}

/// Counts one more export on `key`'s loan, if there is one, and returns its `Info`.
fn join_loan(key: usize) -> Option<Info> {
    let mut table = loans();
    let loan = table.iter_mut().find(|l| l.object == key)?;
    loan.exports += 1;
    Some(loan.filled.info)
}

/// Counts one export less on `key`'s loan, and ends the loan (releasing the pyclass borrow)
/// after its last export.
fn leave_loan(key: usize, py: Python<'_>) {
    let mut table = loans();
    let Some(i) = table.iter().position(|l| l.object == key) else {
        // CPython only releases what was exported; nothing to do for anything else.
        return;
    };
    table[i].exports -= 1;
    if table[i].exports > 0 {
        return;
    }
    let loan = table.swap_remove(i);
    // Dropping the guard decrements a reference count; never under the lock.
    drop(table);
    let Loan { guard, filled, .. } = loan;
    guard.release(py);
    drop(filled);
}

/// `__getbuffer__` of a read-only export: what `python_buffer!(Class, |this| &this.field)`
/// expands to. Not a public API.
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
    T: BufferExport + ?Sized,
    F: for<'a> FnOnce(&'a C) -> &'a T,
{
    let obj = slf.as_any();
    let open = || {
        let this: PyRef<'_, C> = slf
            .try_borrow()
            .map_err(|e| buffer_error(obj, &e.to_string()))?;
        let exporter: &T = field(&this);
        let layout = exporter
            .try_buffer_layout()
            .map_err(|e| buffer_error(obj, &e.to_string()))?;
        let bytes = exporter.buffer_bytes();
        // Python never writes through a read-only buffer (`readonly` is 1 and PyBUF_WRITABLE
        // requests are refused), so the `*mut` is only a type for `Py_buffer.buf`.
        let filled = fill::<T::Item>(layout, bytes.as_ptr().cast_mut(), bytes.len(), true)
            .map_err(|m| buffer_error(obj, &m))?;
        Ok((ErasedGuard::new(this), filled))
    };
    // SAFETY: forwarded from the caller.
    unsafe { getbuffer_with(obj, view, flags, true, open) }
}

/// `__getbuffer__` of a writable export: what `python_buffer!(Class, mut |this| &mut this.field)`
/// expands to. Not a public API.
///
/// # Safety
/// Only for `bf_getbuffer`: `view` is the `Py_buffer` CPython passed in.
#[doc(hidden)]
pub unsafe fn __getbuffer_mut<C, T, F>(
    slf: Bound<'_, C>,
    view: *mut ffi::Py_buffer,
    flags: c_int,
    field: F,
) -> PyResult<()>
where
    C: PyClass<Frozen = False>,
    T: BufferExportMut + ?Sized,
    T::Item: FromBytes,
    F: for<'a> FnOnce(&'a mut C) -> &'a mut T,
{
    let obj = slf.as_any();
    let open = || {
        let mut this: PyRefMut<'_, C> = slf
            .try_borrow_mut()
            .map_err(|e| buffer_error(obj, &e.to_string()))?;
        let exporter: &mut T = field(&mut this);
        let layout = exporter
            .try_buffer_layout()
            .map_err(|e| buffer_error(obj, &e.to_string()))?;
        let bytes = exporter.buffer_bytes_mut();
        // The pointer comes from `&mut [u8]`: Python may write through it while the loan holds
        // the `PyRefMut`, because no other reference to these bytes can exist meanwhile, and every
        // bit pattern written is a valid item (`T::Item: FromBytes`).
        let filled = fill::<T::Item>(layout, bytes.as_mut_ptr(), bytes.len(), false)
            .map_err(|m| buffer_error(obj, &m))?;
        Ok((ErasedGuard::new(this), filled))
    };
    // SAFETY: forwarded from the caller.
    unsafe { getbuffer_with(obj, view, flags, false, open) }
}

/// `__releasebuffer__` of both export kinds. Not a public API.
///
/// # Safety
/// Only for `bf_releasebuffer`, once per successful `__getbuffer`.
#[doc(hidden)]
pub unsafe fn __releasebuffer<C: PyClass>(slf: Bound<'_, C>, _view: *mut ffi::Py_buffer) {
    leave_loan(slf.as_ptr() as usize, slf.py());
}

#[cfg(test)]
mod tests {
    use super::contiguity;

    #[test]
    fn contiguity_follows_cpython() {
        assert_eq!(contiguity(&[2, 3], &[12, 4], 4), (true, false));
        assert_eq!(contiguity(&[2, 3], &[4, 8], 4), (false, true));
        assert_eq!(contiguity(&[1, 3], &[99, 4], 4), (true, true));
        assert_eq!(contiguity(&[0, 3], &[-5, 7], 4), (true, true));
        assert_eq!(contiguity(&[], &[], 8), (true, true));
        assert_eq!(contiguity(&[3], &[-4], 4), (false, false));
    }
}
