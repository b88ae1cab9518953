//! `buffer_bench_ext`: the exporters and handoffs that `scripts/bench_python.py` compares for
//! issue 11 (built in release with maturin by `scripts/bench`; see BENCHMARKS.md, "Python
//! export (issue 11)").
//!
//! * `Ours(n)`: `n` RGBA pixels (`Vec<[u8; 4]>`) in an [`ExportCell`], exported writable by
//!   [`python_buffer!`]: a `(n, 4)` buffer of `B`.
//! * `HandWritten(n)`: the same pixels and the same `(n, 4)` `B` buffer (read-only), from the
//!   minimal `unsafe fn __getbuffer__` a PyO3 user writes following PyO3's guide and tests:
//!   a transient borrow while the `Py_buffer` fields are filled one by one, no borrow kept, a
//!   static format string, no `__releasebuffer__`.
//! * `HandWrittenRelease(n)`: the same with an empty `__releasebuffer__` (the slot's own cost).
//! * `HandWrittenCString(n)`: the same, with the format string allocated per export as a
//!   `CString` and freed in `__releasebuffer__`, as PyO3's own buffer test does.
//! * `from_vec_numpy(n)` / `from_vec_ours(n)`: the same `Vec<f64>` of `n` built, then handed
//!   to Python without a copy by rust-numpy's `PyArray1::from_vec` / [`OwnedBuffer::new`].
//! * `handoff_numpy(n, warm)` / `handoff_ours(n, asarray, warm)`: the vector built first, then
//!   only the handoff timed inside Rust (seconds), so the figure is not the time to fill it.

use std::ffi::{c_char, c_int, c_void, CString};
use std::ptr;
use std::time::Instant;

use buffer_runtime::python::{ExportCell, OwnedBuffer};
use buffer_runtime::python_buffer;
use numpy::{PyArray1, PyArrayMethods};
use pyo3::exceptions::{PyBufferError, PyRuntimeError};
use pyo3::ffi;
use pyo3::prelude::*;

type Pixel = [u8; 4];

fn pixels(n: usize) -> Vec<Pixel> {
    (0..n).map(|i| (i as u32).to_le_bytes()).collect()
}

fn floats(n: usize) -> Vec<f64> {
    (0..n).map(|i| i as f64).collect()
}

/// `n` pixels exported by the library: an [`ExportCell`] and [`python_buffer!`].
#[pyclass(module = "buffer_bench_ext")]
struct Ours {
    pixels: ExportCell<Vec<Pixel>>,
}

python_buffer! {
    #[pymethods]
    impl Ours {
        #[new]
        fn new(n: usize) -> Self {
            Ours { pixels: ExportCell::new(pixels(n)) }
        }
    }
    export |this| &this.pixels;
}

/// The data of the hand-written exporters. The shape and strides live beside the pixels in
/// the object, which no method changes, so pointers to them stay valid while `Py_buffer.obj`
/// keeps the object alive.
struct Pixels {
    pixels: Vec<Pixel>,
    shape: [ffi::Py_ssize_t; 2],
    strides: [ffi::Py_ssize_t; 2],
}

impl Pixels {
    fn new(n: usize) -> PyResult<Self> {
        let rows = ffi::Py_ssize_t::try_from(n)
            .ok()
            .filter(|r| r.checked_mul(4).is_some())
            .ok_or_else(|| PyBufferError::new_err("too many pixels"))?;
        Ok(Pixels {
            pixels: pixels(n),
            shape: [rows, 4],
            strides: [4, 1],
        })
    }

    /// Fills `view` as PyO3's guide and buffer test do: refuse what the data cannot give,
    /// then set every field. `make_format` gives the format string, called only when
    /// `PyBUF_FORMAT` is asked and every check passed.
    ///
    /// # Safety
    /// `view` is the `Py_buffer` CPython passed to `bf_getbuffer` for `obj`, `self` belongs
    /// to `obj`, and nothing mutates or moves `self` while `obj` lives.
    unsafe fn fill(
        &self,
        obj: &Bound<'_, PyAny>,
        view: *mut ffi::Py_buffer,
        flags: c_int,
        make_format: impl FnOnce() -> *mut c_char,
    ) -> PyResult<()> {
        if view.is_null() {
            return Err(PyBufferError::new_err("View is null"));
        }
        if flags & ffi::PyBUF_WRITABLE == ffi::PyBUF_WRITABLE {
            return Err(PyBufferError::new_err("Object is not writable"));
        }
        // The rows are C-contiguous; Fortran order holds only for at most one row.
        if flags & ffi::PyBUF_F_CONTIGUOUS == ffi::PyBUF_F_CONTIGUOUS && self.shape[0] > 1 {
            return Err(PyBufferError::new_err("not Fortran contiguous"));
        }
        let format = if flags & ffi::PyBUF_FORMAT == ffi::PyBUF_FORMAT {
            make_format()
        } else {
            ptr::null_mut()
        };
        let nd = flags & ffi::PyBUF_ND == ffi::PyBUF_ND;
        let strided = flags & ffi::PyBUF_STRIDES == ffi::PyBUF_STRIDES;
        // The pixels, shape and strides stay put while `obj` lives, and `obj` (a new strong
        // reference) keeps it alive until the release. `len` fits: `new` checked `rows * 4`.
        // SAFETY: `view` is valid for writes (`bf_getbuffer`'s contract, checked non-null).
        unsafe {
            (*view).obj = obj.clone().into_ptr();
            (*view).buf = self.pixels.as_ptr().cast_mut().cast::<c_void>();
            (*view).len = self.shape[0] * 4;
            (*view).readonly = 1;
            (*view).itemsize = 1;
            (*view).format = format;
            (*view).ndim = if nd { 2 } else { 1 };
            (*view).shape = if nd {
                self.shape.as_ptr().cast_mut()
            } else {
                ptr::null_mut()
            };
            (*view).strides = if strided {
                self.strides.as_ptr().cast_mut()
            } else {
                ptr::null_mut()
            };
            (*view).suboffsets = ptr::null_mut();
            (*view).internal = ptr::null_mut();
        }
        Ok(())
    }
}

/// `n` pixels exported by a hand-written `__getbuffer__` with a static format string.
#[pyclass(module = "buffer_bench_ext")]
struct HandWritten {
    data: Pixels,
}

#[pymethods]
impl HandWritten {
    #[new]
    fn new(n: usize) -> PyResult<Self> {
        Ok(HandWritten {
            data: Pixels::new(n)?,
        })
    }

    unsafe fn __getbuffer__(
        slf: Bound<'_, Self>,
        view: *mut ffi::Py_buffer,
        flags: c_int,
    ) -> PyResult<()> {
        // A shared borrow while the fields are filled, none kept.
        let this = slf.try_borrow()?;
        // SAFETY: PyO3 calls this as `bf_getbuffer` for `slf`; no method of the class
        // mutates `data`. The format is a static string, which consumers only read.
        unsafe {
            this.data
                .fill(slf.as_any(), view, flags, || c"B".as_ptr().cast_mut())
        }
    }
}

/// [`HandWritten`] plus an empty `__releasebuffer__`: what the release slot alone costs (a
/// PyO3 trampoline per release), which every exporter with per-export state pays.
#[pyclass(module = "buffer_bench_ext")]
struct HandWrittenRelease {
    data: Pixels,
}

#[pymethods]
impl HandWrittenRelease {
    #[new]
    fn new(n: usize) -> PyResult<Self> {
        Ok(HandWrittenRelease {
            data: Pixels::new(n)?,
        })
    }

    unsafe fn __getbuffer__(
        slf: Bound<'_, Self>,
        view: *mut ffi::Py_buffer,
        flags: c_int,
    ) -> PyResult<()> {
        let this = slf.try_borrow()?;
        // SAFETY: as for `HandWritten`.
        unsafe {
            this.data
                .fill(slf.as_any(), view, flags, || c"B".as_ptr().cast_mut())
        }
    }

    unsafe fn __releasebuffer__(&self, _view: *mut ffi::Py_buffer) {}
}

/// [`HandWritten`] with the format string allocated per export and freed on release, as
/// PyO3's buffer test does.
#[pyclass(module = "buffer_bench_ext")]
struct HandWrittenCString {
    data: Pixels,
}

#[pymethods]
impl HandWrittenCString {
    #[new]
    fn new(n: usize) -> PyResult<Self> {
        Ok(HandWrittenCString {
            data: Pixels::new(n)?,
        })
    }

    unsafe fn __getbuffer__(
        slf: Bound<'_, Self>,
        view: *mut ffi::Py_buffer,
        flags: c_int,
    ) -> PyResult<()> {
        let this = slf.try_borrow()?;
        // SAFETY: as for `HandWritten`; the format is an owned `CString` that
        // `__releasebuffer__` frees.
        unsafe {
            this.data
                .fill(slf.as_any(), view, flags, || c"B".to_owned().into_raw())
        }
    }

    unsafe fn __releasebuffer__(&self, view: *mut ffi::Py_buffer) {
        // SAFETY: PyO3 calls this once per successful `__getbuffer__`, with the `Py_buffer`
        // it filled; its `format` (which consumers must not change) is null or the
        // `CString::into_raw` pointer made there, so it is reclaimed once.
        let format = unsafe { (*view).format };
        if !format.is_null() {
            // SAFETY: see above.
            drop(unsafe { CString::from_raw(format) });
        }
    }
}

/// A `Vec<f64>` of `n` handed to numpy by rust-numpy (no copy).
#[pyfunction]
fn from_vec_numpy(py: Python<'_>, n: usize) -> Bound<'_, PyArray1<f64>> {
    PyArray1::from_vec(py, floats(n))
}

/// The same `Vec<f64>` handed to Python as an [`OwnedBuffer`] (no copy).
#[pyfunction]
fn from_vec_ours(py: Python<'_>, n: usize) -> PyResult<Bound<'_, OwnedBuffer>> {
    OwnedBuffer::new(py, floats(n))
}

/// Seconds that `PyArray1::from_vec` takes for a `Vec<f64>` of `n` built beforehand. Filling
/// 80 MB evicts the caches, so the handoff runs cold; with `warm`, the same handoff of a short
/// vector runs first (untimed), as in a loop of handoffs.
#[pyfunction]
fn handoff_numpy(py: Python<'_>, n: usize, warm: bool) -> PyResult<f64> {
    let v = floats(n);
    let address = v.as_ptr() as usize;
    if warm {
        drop(PyArray1::from_vec(py, floats(16)));
    }
    let start = Instant::now();
    let a = PyArray1::from_vec(py, v);
    let seconds = start.elapsed().as_secs_f64();
    if a.data() as usize != address {
        return Err(PyRuntimeError::new_err("from_vec copied the vector"));
    }
    Ok(seconds)
}

/// Seconds that [`OwnedBuffer::new`] takes for a `Vec<f64>` of `n` built beforehand, plus
/// `numpy.asarray` of the result when `asarray` (numpy's function looked up beforehand);
/// `warm` as for [`handoff_numpy`].
#[pyfunction]
fn handoff_ours(py: Python<'_>, n: usize, asarray: bool, warm: bool) -> PyResult<f64> {
    let v = floats(n);
    let address = v.as_ptr() as usize;
    let np_asarray = py.import("numpy")?.getattr("asarray")?;
    let handoff = |v: Vec<f64>| -> PyResult<(Bound<'_, OwnedBuffer>, Option<Bound<'_, PyAny>>)> {
        let obj = OwnedBuffer::new(py, v)?;
        let array = if asarray {
            Some(np_asarray.call1((&obj,))?)
        } else {
            None
        };
        Ok((obj, array))
    };
    if warm {
        drop(handoff(floats(16))?);
    }
    let start = Instant::now();
    let (_obj, array) = handoff(v)?;
    let seconds = start.elapsed().as_secs_f64();
    if let Some(array) = array {
        let data: usize = array.getattr("ctypes")?.getattr("data")?.extract()?;
        if data != address {
            return Err(PyRuntimeError::new_err("numpy.asarray copied the vector"));
        }
    }
    Ok(seconds)
}

#[pymodule]
fn buffer_bench_ext(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Ours>()?;
    m.add_class::<HandWritten>()?;
    m.add_class::<HandWrittenRelease>()?;
    m.add_class::<HandWrittenCString>()?;
    m.add_function(wrap_pyfunction!(from_vec_numpy, m)?)?;
    m.add_function(wrap_pyfunction!(from_vec_ours, m)?)?;
    m.add_function(wrap_pyfunction!(handoff_numpy, m)?)?;
    m.add_function(wrap_pyfunction!(handoff_ours, m)?)?;
    Ok(())
}
