//! Pickle support (PEP 574, protocol 5 out of band) for [`OwnedBuffer`](super::OwnedBuffer)
//! and for the `#[pyclass]`es that opt in through [`python_buffer!`](crate::python_buffer).
//!
//! An object reduces to `(Class._buffer_runtime_unpickle, (state,))`, with `state` the tuple
//! `(1, format, shape, readonly, align, data)`: `data` holds the items in C order, a
//! `pickle.PickleBuffer` under protocol 5 (a separate frame when `pickle.dumps` has a
//! `buffer_callback`), `bytes` under protocols 2-4; `align` is the alignment of the original's
//! items. Unpickling checks every field against the bytes it is given before describing a
//! single item, then views those bytes (holding a buffer of them, so their owner stays alive)
//! when they are writable or a read-only export is wanted, and aligned as the format asks;
//! otherwise it copies them once, into an allocation aligned as the original was.
//!
//! "As the format asks": a native format (`d`, `@i`, `T{q:a:}`) promises its consumers
//! aligned items, a format of standard sizes (`<d`, the `T{<Q:id:...}` of derived records)
//! none (`struct`'s rules), so the latter is viewed at any address, as numpy views unaligned
//! arrays. Rust never forms a reference to received bytes (its views copy), so either way
//! alignment is about what Python consumers expect, not about Rust's soundness. Dask, for
//! one, hands over frames at any offset of its receive buffer.

use core::alloc::Layout as AllocLayout;
use core::ffi::c_void;
use core::mem::align_of;
use core::ptr::NonNull;
use std::boxed::Box;
use std::format;
use std::string::String;
use std::vec::Vec;

use pyo3::exceptions::{PyBufferError, PyTypeError, PyValueError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyTuple};
use pyo3::PyClass;

use super::export::Export;
use crate::export::Dims;
use crate::geometry::{self, MAX_NDIM};
use crate::view::ItemFormat;
use crate::BufferLayout;
use smallvec::SmallVec;

/// The first field of a pickled state: the version of its layout.
const STATE_VERSION: u32 = 1;

/// The largest item alignment a pickle may ask for.
const MAX_ALIGN: usize = 4096;

/// Bytes an unpickled exporter owns: a buffer of the object it was given (viewed), or a copy.
pub(crate) struct Received {
    source: Source,
    /// An object kept alive until the buffer is released (a `SharedMemory`, whose `__del__`
    /// would otherwise try to close the mapping under the export).
    keep: Option<Py<PyAny>>,
}

enum Source {
    /// A `PyBUF_SIMPLE` (or `PyBUF_WRITABLE`) buffer of the given object, released on drop.
    Held(Box<ffi::Py_buffer>),
    /// `len` bytes at `ptr`, allocated with alignment `align` (dangling when `len == 0`).
    Copied {
        ptr: NonNull<u8>,
        len: usize,
        align: usize,
    },
}

// SAFETY: a `Received` owns its bytes (a buffer export, released under the GIL whatever the
// thread, or a heap block) and never reads or writes them itself; moving or sharing it between
// threads touches only its pointers.
unsafe impl Send for Received {}
// SAFETY: as for `Send`: `&Received` only gives the address and the length.
unsafe impl Sync for Received {}

impl Drop for Received {
    fn drop(&mut self) {
        match &mut self.source {
            Source::Held(raw) => Python::attach(|_| {
                // SAFETY: `raw` was filled by a successful `PyObject_GetBuffer` (`take`) and is
                // released once, here, attached to the interpreter.
                unsafe { ffi::PyBuffer_Release(&mut **raw) }
            }),
            Source::Copied { ptr, len, align } => {
                if *len > 0 {
                    // SAFETY: `ptr` was allocated by `alloc` with exactly this layout (`take`),
                    // which `from_size_align` accepted then, and is freed once, here.
                    unsafe {
                        std::alloc::dealloc(
                            ptr.as_ptr(),
                            AllocLayout::from_size_align_unchecked(*len, *align),
                        )
                    }
                }
            }
        }
    }
}

impl Received {
    /// The first byte.
    pub(crate) fn base(&self) -> *mut u8 {
        match &self.source {
            Source::Held(raw) => raw.buf.cast::<u8>(),
            Source::Copied { ptr, .. } => ptr.as_ptr(),
        }
    }

    /// The number of bytes.
    pub(crate) fn len(&self) -> usize {
        match &self.source {
            // `len` of a successful export is non-negative (checked in `take`).
            Source::Held(raw) => raw.len as usize,
            Source::Copied { len, .. } => *len,
        }
    }

    /// Keeps `obj` alive for as long as the bytes (dropped after their buffer is released).
    pub(crate) fn keep(mut self, obj: Bound<'_, PyAny>) -> Received {
        self.keep = Some(obj.unbind());
        self
    }

    /// Whether the bytes are a copy (not a view of the object given).
    pub(crate) fn copied(&self) -> bool {
        matches!(self.source, Source::Copied { .. })
    }

    /// The `len` bytes of `data`: viewed if `data` exports them contiguously, writable when
    /// `writable`, at a multiple of `view_align`; otherwise copied once, into a block aligned
    /// to `align`. A `ValueError` if `data` does not hold exactly `len` bytes, a `TypeError` if
    /// it is not a buffer.
    pub(crate) fn take(
        data: &Bound<'_, PyAny>,
        writable: bool,
        view_align: usize,
        align: usize,
        len: usize,
    ) -> PyResult<Received> {
        let py = data.py();
        let alloc_layout = AllocLayout::from_size_align(len, align)
            .map_err(|_| PyValueError::new_err("pickle: invalid alignment or size"))?;
        let flags = if writable {
            ffi::PyBUF_WRITABLE
        } else {
            ffi::PyBUF_SIMPLE
        };
        if let Some(raw) = get_buffer(data, flags) {
            let wrong_len = raw.len < 0 || raw.len as usize != len;
            let aligned = (raw.buf as usize) % view_align.max(1) == 0;
            let held = Received {
                source: Source::Held(raw),
                keep: None,
            };
            if wrong_len {
                return Err(length_error(held.len(), len));
            }
            if aligned {
                return Ok(held);
            }
            return copy_from(&held, alloc_layout);
        }
        // Not contiguous, or read-only when a writable export is wanted: copy it in C order.
        let Some(mut raw) = get_buffer(data, ffi::PyBUF_FULL_RO) else {
            let err = PyErr::take(py).unwrap_or_else(|| PyBufferError::new_err("no buffer"));
            let e = PyTypeError::new_err(format!(
                "pickle: the data of a pickled buffer must be a buffer, not {}",
                data.get_type().name()?
            ));
            e.set_cause(py, Some(err));
            return Err(e);
        };
        let result = if raw.len < 0 || raw.len as usize != len {
            Err(length_error(raw.len.max(0) as usize, len))
        } else {
            let dst = allocate(alloc_layout)?;
            // SAFETY: `dst` holds `len` writable bytes (just allocated) and `raw` is a live
            // export of exactly `len` bytes; CPython's copy reads through its strides (a `*mut`:
            // before 3.11 the C signature, and so pyo3-ffi's, takes a non-const pointer).
            let rc = unsafe {
                ffi::PyBuffer_ToContiguous(
                    dst.as_ptr().cast::<c_void>(),
                    core::ptr::addr_of_mut!(*raw),
                    len as isize,
                    b'C' as _,
                )
            };
            let copy = Received {
                source: Source::Copied {
                    ptr: dst,
                    len,
                    align,
                },
                keep: None,
            };
            if rc != 0 {
                Err(PyErr::fetch(py))
            } else {
                Ok(copy)
            }
        };
        // SAFETY: `raw` was filled by the successful `PyObject_GetBuffer` of `get_buffer` and
        // is released once, here.
        unsafe { ffi::PyBuffer_Release(&mut *raw) };
        result
    }
}

/// `PyObject_GetBuffer(data, flags)`, or `None` with the error cleared.
fn get_buffer(data: &Bound<'_, PyAny>, flags: core::ffi::c_int) -> Option<Box<ffi::Py_buffer>> {
    // SAFETY: an all-zero `Py_buffer` is a valid value of the C struct (integers and NULL
    // pointers), which `PyObject_GetBuffer` overwrites.
    let mut raw: Box<ffi::Py_buffer> = Box::new(unsafe { core::mem::zeroed() });
    // SAFETY: `data` is a live object, the GIL is held (`Bound`), `raw` is valid for writes.
    let rc = unsafe { ffi::PyObject_GetBuffer(data.as_ptr(), &mut *raw, flags) };
    if rc != 0 {
        // Cleared here: the caller tries another request or reports its own error.
        drop(PyErr::take(data.py()));
        return None;
    }
    Some(raw)
}

fn length_error(got: usize, want: usize) -> PyErr {
    PyValueError::new_err(format!(
        "pickle: the data holds {got} bytes but the format and shape describe {want}"
    ))
}

/// A block of `layout` (dangling, not allocated, when it is empty).
fn allocate(layout: AllocLayout) -> PyResult<NonNull<u8>> {
    if layout.size() == 0 {
        // An aligned, non-null address that is never read or written (no bytes).
        return Ok(NonNull::new(layout.align() as *mut u8).unwrap_or(NonNull::dangling()));
    }
    // SAFETY: `layout` has a non-zero size.
    let ptr = unsafe { std::alloc::alloc(layout) };
    NonNull::new(ptr).ok_or_else(|| {
        pyo3::exceptions::PyMemoryError::new_err(format!(
            "pickle: cannot allocate {} bytes",
            layout.size()
        ))
    })
}

/// Copies the contiguous bytes `held` views into a new block of `layout` (whose size is
/// `held.len()`), then releases `held`.
fn copy_from(held: &Received, layout: AllocLayout) -> PyResult<Received> {
    let dst = allocate(layout)?;
    if layout.size() > 0 {
        // SAFETY: `held` is a live contiguous export of `layout.size()` bytes (its length was
        // checked), `dst` a fresh block of as many; they do not overlap. Python may write the
        // source meanwhile: a byte copy, as CPython's own, forms no reference to it.
        unsafe { core::ptr::copy_nonoverlapping(held.base(), dst.as_ptr(), layout.size()) };
    }
    Ok(Received {
        source: Source::Copied {
            ptr: dst,
            len: layout.size(),
            align: layout.align(),
        },
        keep: None,
    })
}

/// A pickled state, checked: the items fit in `nbytes`, which fits an `isize`.
pub(crate) struct State<'py> {
    pub(crate) item: ItemFormat,
    pub(crate) shape: Vec<usize>,
    /// The C-order strides of `shape`, checked with it by `geometry::measure`.
    pub(crate) strides: SmallVec<[isize; 4]>,
    pub(crate) readonly: bool,
    pub(crate) align: usize,
    pub(crate) data: Bound<'py, PyAny>,
    pub(crate) nbytes: usize,
}

impl<'py> State<'py> {
    /// Checks `state` (the tuple `__reduce_ex__` made, or anything a hostile pickle holds).
    pub(crate) fn parse(state: &Bound<'py, PyAny>) -> PyResult<State<'py>> {
        let bad = |what: &str| PyValueError::new_err(format!("pickle: invalid state: {what}"));
        let tuple = state.cast::<PyTuple>().map_err(|_| bad("not a tuple"))?;
        if tuple.len() != 6 {
            return Err(bad(&format!("{} fields, expected 6", tuple.len())));
        }
        let version: u32 = tuple
            .get_item(0)?
            .extract()
            .map_err(|_| bad("the version is not an integer"))?;
        if version != STATE_VERSION {
            return Err(bad(&format!(
                "version {version}, this build reads version {STATE_VERSION}"
            )));
        }
        let format: String = tuple
            .get_item(1)?
            .extract()
            .map_err(|_| bad("the format is not a string"))?;
        let item = ItemFormat::parse(&format)
            .map_err(|e| PyValueError::new_err(format!("pickle: {e}")))?;
        let dims: Vec<i128> = tuple
            .get_item(2)?
            .extract()
            .map_err(|_| bad("the shape is not a sequence of integers"))?;
        if dims.len() > MAX_NDIM {
            return Err(bad(&format!(
                "{} dimensions (at most {MAX_NDIM})",
                dims.len()
            )));
        }
        let mut shape = Vec::with_capacity(dims.len());
        for &n in &dims {
            let n = usize::try_from(n)
                .ok()
                .filter(|&n| n <= isize::MAX as usize)
                .ok_or_else(|| bad(&format!("dimension {n}")))?;
            shape.push(n);
        }
        let strides = geometry::c_strides(&shape, item.itemsize());
        let nbytes = geometry::measure(&shape, &strides, item.itemsize())
            .map_err(|_| bad("the shape describes more than isize::MAX bytes"))?
            .nbytes;
        let readonly: bool = tuple
            .get_item(3)?
            .extract()
            .map_err(|_| bad("readonly is not a bool"))?;
        let align: usize = tuple
            .get_item(4)?
            .extract()
            .map_err(|_| bad("the alignment is not an integer"))?;
        if !align.is_power_of_two() || align > MAX_ALIGN {
            return Err(bad(&format!(
                "alignment {align} (a power of two up to {MAX_ALIGN})"
            )));
        }
        Ok(State {
            item,
            shape,
            strides,
            readonly,
            align,
            data: tuple.get_item(5)?,
            nbytes,
        })
    }

    /// The C-contiguous layout of the items (strides computed from the checked shape).
    pub(crate) fn layout(&self) -> BufferLayout {
        BufferLayout {
            shape: Dims::Owned(self.shape.iter().copied().collect()),
            strides: Dims::Owned(self.strides.clone()),
            offset: 0,
        }
    }
}

/// `(type(obj)._buffer_runtime_unpickle, (state,))` for `obj`, which exports `export`.
pub(crate) fn reduce<'py>(
    obj: &Bound<'py, PyAny>,
    export: Result<&Export, &str>,
    protocol: i32,
) -> PyResult<Bound<'py, PyAny>> {
    let py = obj.py();
    let export = export.map_err(|why| super::export::buffer_error(obj, why))?;
    let data = if export.c_contiguous() {
        // The items in C order are the exported bytes themselves: under protocol 5 the
        // `PickleBuffer` is handed to `buffer_callback` (or written in band without one).
        if protocol >= 5 {
            py.import("pickle")?
                .getattr("PickleBuffer")?
                .call1((obj,))?
        } else {
            py.import("builtins")?
                .getattr("memoryview")?
                .call1((obj,))?
                .call_method0("tobytes")?
        }
    } else {
        // Any other layout travels as a copy of its items in C order.
        let bytes: Bound<'py, PyBytes> = py
            .import("builtins")?
            .getattr("memoryview")?
            .call1((obj,))?
            .call_method0("tobytes")?
            .cast_into()?;
        if protocol >= 5 {
            py.import("pickle")?
                .getattr("PickleBuffer")?
                .call1((bytes,))?
        } else {
            bytes.into_any()
        }
    };
    let state = (
        STATE_VERSION,
        export.format(),
        export.shape().to_vec(),
        export.readonly(),
        export.align,
        data,
    );
    let rebuild = obj.get_type().getattr("_buffer_runtime_unpickle")?;
    (rebuild, (state,)).into_pyobject(py).map(Bound::into_any)
}

/// `__reduce_ex__` of a `#[pyclass]` exporting an [`ExportCell`](super::ExportCell) that
/// opted in to pickling: what [`python_buffer!`](crate::python_buffer) expands to. Not a
/// public API.
#[doc(hidden)]
pub fn __reduce_cell<'py, C, T, F>(
    slf: &Bound<'py, C>,
    field: F,
    protocol: i32,
) -> PyResult<Bound<'py, PyAny>>
where
    C: PyClass,
    F: for<'a> FnOnce(&'a C) -> &'a super::ExportCell<T>,
{
    let this = slf.try_borrow()?;
    reduce(slf.as_any(), field(&this).export(), protocol)
}

/// The unpickling constructor of a `#[pyclass]` that opted in to pickling: checks `state`,
/// builds the cell over its data and hands it to `build`. Not a public API.
#[doc(hidden)]
pub fn __unpickle_cell<C, T, F>(state: &Bound<'_, PyAny>, build: F) -> PyResult<C>
where
    T: crate::BufferExport,
    T::Item: zerocopy::FromBytes,
    F: FnOnce(super::ExportCell<T>) -> PyResult<C>,
{
    use crate::Element;
    let state = State::parse(state)?;
    if state.item.text() != <T::Item as Element>::FORMAT {
        return Err(PyValueError::new_err(format!(
            "pickle: format {:?} does not match the class's items ({:?})",
            state.item.text(),
            <T::Item as Element>::FORMAT
        )));
    }
    let view_align = state.item.layout().align();
    let align = align_of::<T::Item>();
    let received = Received::take(
        &state.data,
        !state.readonly,
        view_align,
        align,
        state.nbytes,
    )?;
    build(super::ExportCell::received(
        received,
        state.layout(),
        state.readonly,
    ))
}
