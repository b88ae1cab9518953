//! Python interop (feature `pyo3`): hand any [`BufferExport`](crate::BufferExport) to CPython,
//! numpy or Pillow without a copy, and view any Python buffer from Rust as a
//! [`SharedView`](crate::view::SharedView).
//!
//! * Export: [`python_buffer!`](crate::python_buffer) gives a `#[pyclass]` the buffer protocol.
//! * Import: [`PythonBuffer`] holds a Python buffer (released on drop);
//!   [`PythonBuffer::view`] is a `SharedView` of it, [`PythonBuffer::typed_view`] one checked
//!   against a Rust item type, and [`PythonView`] a view that owns its export (released when the
//!   view drops). A `SharedView` has every `memoryview` operation but reads and writes by
//!   copying, never through a Rust reference, since Python may write the memory while Rust
//!   holds the view (see "Viewing Python buffers").
//!
//! Consumers exercised by the tests (`buffer-runtime/tests/python_*.rs` with an embedded
//! CPython, `tests/python/` with the `examples/python` extension module): `memoryview`,
//! `bytes`/`bytearray`, `hashlib`, `zlib`, `sqlite3` BLOBs, `ctypes` (`from_buffer`,
//! `PyObject_GetBuffer` with every flag), `_testbuffer`, numpy (`asarray`, structured dtypes,
//! `shares_memory`) and Pillow (`Image.frombuffer`). Producers viewed from Rust: `bytes`,
//! `bytearray`, `array.array`, `mmap`, `memoryview` slices and casts, ctypes structures,
//! `_testbuffer` arrays, numpy arrays (strided, reversed, 0-d, structured).
//!
//! # Exporting a `#[pyclass]`
//!
//! [`python_buffer!`](crate::python_buffer) gives a `#[pyclass]` the buffer protocol: it writes
//! the `__getbuffer__` / `__releasebuffer__` slots that PyO3 requires to be `unsafe fn`, so the
//! user writes no `unsafe` at all (the example crate `examples/python` compiles under
//! `#![forbid(unsafe_code)]`).
//!
//! ```
//! use buffer_runtime::python_buffer;
//! use pyo3::prelude::*;
//!
//! #[pyclass]
//! struct Samples {
//!     data: Vec<f32>,
//! }
//!
//! // Read-only: `bytes(s)`, `memoryview(s)`, `numpy.asarray(s)` see the floats.
//! python_buffer!(Samples, |this| &this.data);
//!
//! Python::attach(|py| {
//!     let s = Py::new(py, Samples { data: vec![1.0, 2.5] }).unwrap();
//!     let m = py.eval(c"lambda s: memoryview(s)", None, None).unwrap().call1((&s,)).unwrap();
//!     assert_eq!(m.getattr("format").unwrap().extract::<String>().unwrap(), "f");
//!     assert_eq!(m.call_method0("tolist").unwrap().extract::<Vec<f32>>().unwrap(), [1.0, 2.5]);
//! });
//! ```
//!
//! A class with its own `#[pymethods]` passes that block to the macro, which appends the two
//! slots to it (PyO3 allows one `#[pymethods]` block per class). `mut` makes the export
//! writable; the field must then implement [`BufferExportMut`](crate::BufferExportMut) with
//! items that accept any bit pattern:
//!
//! ```
//! use buffer_runtime::python_buffer;
//! use pyo3::prelude::*;
//!
//! #[pyclass]
//! struct Counter {
//!     counts: [u32; 4],
//! }
//!
//! python_buffer! {
//!     #[pymethods]
//!     impl Counter {
//!         #[new]
//!         fn new() -> Self {
//!             Counter { counts: [0; 4] }
//!         }
//!         fn bump(&mut self, i: usize) {
//!             self.counts[i] += 1;
//!         }
//!     }
//!     export mut |this| &mut this.counts;
//! }
//!
//! Python::attach(|py| {
//!     let c = Py::new(py, Counter::new()).unwrap();
//!     let run = py.eval(c"lambda c: (memoryview(c).__setitem__(2, 7), c.bump(2))", None, None).unwrap();
//!     run.call1((&c,)).unwrap();
//!     assert_eq!(c.borrow(py).counts, [0, 0, 8, 0]);
//! });
//! ```
//!
//! # What Python sees
//!
//! Every request flag is honoured as the C API specifies, with CPython's memoryview as the
//! reference for the details and the error messages:
//!
//! * without `PyBUF_FORMAT` the format is `NULL` (unsigned bytes); `itemsize` and `shape` stay
//!   those of the items, as CPython's own exporters do;
//! * without `PyBUF_ND` the buffer is one dimension of bytes with no shape, and a format request
//!   is refused (`cannot cast to unsigned bytes if the format flag is present`);
//! * without `PyBUF_STRIDES`, and for `PyBUF_C_CONTIGUOUS`, `PyBUF_F_CONTIGUOUS` and
//!   `PyBUF_ANY_CONTIGUOUS`, a layout that is not contiguous in the asked order raises
//!   `BufferError` (`Image: underlying buffer is not C-contiguous`);
//! * `PyBUF_WRITABLE` on a read-only export raises `BufferError`
//!   (`Image: underlying buffer is not writable`);
//! * suboffsets are always `NULL`.
//!
//! # Borrowing
//!
//! An export borrows the `#[pyclass]` through PyO3's borrow flag until its last
//! `PyBuffer_Release`: a read-only export holds a shared borrow (so `&mut self` methods raise
//! `RuntimeError: Already borrowed`), a writable export an exclusive one (every method that
//! borrows the object raises). Any number of Python exports of one object may coexist: they
//! share one borrow. Rust therefore never resizes, moves or writes memory that Python can
//! see. `Py_buffer.obj` holds a strong reference, so deleting the Python object while a
//! `memoryview` of it lives keeps the memory valid.
//!
//! A compile-time layout (a derived struct, an array) is exported without any heap allocation:
//! `format`, `shape` and `strides` point at `'static` data. A runtime layout (`Vec<T>`) stores
//! its shape and strides in one allocation per exported object.
//!
//! # Viewing Python buffers
//!
//! Any buffer Python can export without suboffsets is viewed as it is: zero, negative and odd
//! strides, misaligned items, 0-d and up to 64 dimensions. What cannot be viewed soundly is an
//! error: suboffsets, more than 64 dimensions, a shape of more than `isize::MAX` bytes, a
//! format that does not parse or describes items larger than `itemsize`. Items holding Python
//! object references (format `O`, numpy's `dtype=object`) are readable (as addresses) but never
//! writable from Rust: [`PythonBuffer::view_mut`] raises `TypeError`.
//!
//! Python code may write the buffer while Rust holds a view: a Rust function that calls back
//! into Python, another thread (numpy releases the GIL in its loops), any thread of a
//! free-threaded interpreter. So the views are [`SharedView`](crate::view::SharedView)s: each
//! read copies the bytes there at that moment, and no `&[u8]` over Python's memory is ever
//! live in safe code. What needs a reference (`as_slice`, `get_ref_as`, ndarray's
//! `as_array`) is not available on them; copy the items out (`tobytes`, `iter_as`, `to_vec`),
//! or, where nothing can write the memory meanwhile (a `bytes` object), take the `unsafe`
//! [`PythonBuffer::bytes`] with its contract.
//!
//! ```
//! use buffer_runtime::python::PythonBuffer;
//! use pyo3::prelude::*;
//! use pyo3::types::IntoPyDict;
//!
//! Python::attach(|py| {
//!     let data = py.eval(c"memoryview(__import__('array').array('d', [1.0, 2.0, 3.0, 4.0]))[::-2]", None, None).unwrap();
//!     let buf = PythonBuffer::get(&data)?; // PyObject_GetBuffer
//!     let view = buf.typed_view::<f64>()?; // format checked against f64
//!     assert_eq!(view.iter_as::<f64>()?.collect::<Vec<_>>(), [4.0, 2.0]);
//!     // Python writes the array while Rust holds the view: the next read sees it.
//!     py.run(c"data.obj[3] = 40.0", None, Some(&[("data", &data)].into_py_dict(py)?))?;
//!     assert_eq!(view.iter_as::<f64>()?.collect::<Vec<_>>(), [40.0, 2.0]);
//!     let err = buf.typed_view::<i64>().unwrap_err();
//!     assert_eq!(err.value(py).to_string(), "Buffer dtype mismatch, expected 'q' but got 'd' at offset 0");
//!     Ok::<_, PyErr>(())
//! }) // `buf` dropped: PyBuffer_Release
//! .unwrap();
//! ```

mod export;
mod import;

pub use import::{value_to_object, PythonBuffer, PythonView};

#[doc(hidden)]
pub use export::{__exports_of, __getbuffer, __getbuffer_mut, __releasebuffer};

/// The PyO3 this crate was built against, for the expansion of [`python_buffer!`](crate::python_buffer).
#[doc(hidden)]
pub use pyo3 as __pyo3;

/// Gives a `#[pyclass]` the buffer protocol by exporting one of its fields (any
/// [`BufferExport`](crate::BufferExport)), without `unsafe` in the caller.
///
/// Four forms:
///
/// ```text
/// python_buffer!(Class, |this| &this.field);          // read-only, slots in their own #[pymethods]
/// python_buffer!(Class, mut |this| &mut this.field);  // writable
/// python_buffer! {                                    // appended to the class's #[pymethods]
///     #[pymethods] impl Class { ... }
///     export |this| &this.field;                      // or: export mut |this| &mut this.field;
/// }
/// ```
///
/// The accessor may compute its result (`|this| &this.frames[0]`); it runs on the first export
/// of an object, and the borrow it needs is held until the last export is released. See the
/// [module documentation](crate::python) for the semantics.
///
/// ```
/// use buffer_runtime::python_buffer;
/// use pyo3::prelude::*;
///
/// #[pyclass]
/// struct Grid {
///     cells: [[u8; 3]; 2],
/// }
/// python_buffer!(Grid, |this| &this.cells);
///
/// Python::attach(|py| {
///     let g = Py::new(py, Grid { cells: [[1, 2, 3], [4, 5, 6]] }).unwrap();
///     let shape = py.eval(c"lambda g: memoryview(g).shape", None, None).unwrap().call1((&g,)).unwrap();
///     assert_eq!(shape.extract::<(usize, usize)>().unwrap(), (2, 3));
///     let err = py.eval(c"lambda g: memoryview(g).__setitem__((0, 0), 9)", None, None).unwrap().call1((&g,)).unwrap_err();
///     assert!(err.to_string().contains("read-only"), "{err}");
/// });
/// ```
///
/// A `#[pyclass(frozen)]` exports read-only (PyO3 has no mutable borrow of it):
///
/// ```
/// use buffer_runtime::python_buffer;
/// use pyo3::prelude::*;
///
/// #[pyclass(frozen)]
/// struct Constants {
///     table: [f64; 3],
/// }
/// python_buffer!(Constants, |this| &this.table);
///
/// Python::attach(|py| {
///     let c = Py::new(py, Constants { table: [0.5, 1.5, 2.5] }).unwrap();
///     let sum = py.eval(c"lambda c: sum(memoryview(c))", None, None).unwrap().call1((&c,)).unwrap();
///     assert_eq!(sum.extract::<f64>().unwrap(), 4.5);
/// });
/// ```
///
/// A writable export of a frozen class does not compile:
///
/// ```compile_fail,E0271
/// use buffer_runtime::python_buffer;
/// use pyo3::prelude::*;
///
/// #[pyclass(frozen)]
/// struct Constants {
///     table: [f64; 3],
/// }
/// python_buffer!(Constants, mut |this| &mut this.table);
/// ```
///
/// Nor does a writable export of items that not every bit pattern is valid for (`bool`,
/// `char`, enums): Python could write an invalid value.
///
/// ```compile_fail,E0277
/// use buffer_runtime::python_buffer;
/// use pyo3::prelude::*;
///
/// #[pyclass]
/// struct Flags {
///     on: Vec<bool>,
/// }
/// python_buffer!(Flags, mut |this| &mut this.on);
/// ```
#[macro_export]
macro_rules! python_buffer {
    (
        $(#[$attr:meta])*
        impl $class:ty { $($body:tt)* }
        export mut $field:expr $(;)?
    ) => {
        $crate::__python_buffer_impl!([$(#[$attr])*] $class, [$($body)*], __getbuffer_mut, $field);
    };
    (
        $(#[$attr:meta])*
        impl $class:ty { $($body:tt)* }
        export $field:expr $(;)?
    ) => {
        $crate::__python_buffer_impl!([$(#[$attr])*] $class, [$($body)*], __getbuffer, $field);
    };
    ($class:ty, mut $field:expr $(,)?) => {
        $crate::__python_buffer_impl!(
            [#[$crate::python::__pyo3::pymethods]] $class, [], __getbuffer_mut, $field
        );
    };
    ($class:ty, $field:expr $(,)?) => {
        $crate::__python_buffer_impl!(
            [#[$crate::python::__pyo3::pymethods]] $class, [], __getbuffer, $field
        );
    };
}

/// The `#[pymethods]` block with the two slot methods appended. Not a public API: the slots
/// must be written out here, not by a nested macro call, because `#[pymethods]` reads the
/// block before nested macros expand.
#[doc(hidden)]
#[macro_export]
macro_rules! __python_buffer_impl {
    ([$($attr:tt)*] $class:ty, [$($body:tt)*], $get:ident, $field:expr) => {
        $($attr)*
        impl $class {
            $($body)*

            // Buffer protocol (`bf_getbuffer`), written by `buffer_runtime::python_buffer!`.
            unsafe fn __getbuffer__(
                slf: $crate::python::__pyo3::Bound<'_, Self>,
                view: *mut $crate::python::__pyo3::ffi::Py_buffer,
                flags: ::std::os::raw::c_int,
            ) -> $crate::python::__pyo3::PyResult<()> {
                // SAFETY: PyO3 calls this as `bf_getbuffer` with the `Py_buffer` CPython passed
                // in, which is all `$get` requires.
                unsafe { $crate::python::$get(slf, view, flags, $field) }
            }

            // Buffer protocol (`bf_releasebuffer`), written by `buffer_runtime::python_buffer!`.
            unsafe fn __releasebuffer__(
                slf: $crate::python::__pyo3::Bound<'_, Self>,
                view: *mut $crate::python::__pyo3::ffi::Py_buffer,
            ) {
                // SAFETY: PyO3 calls this as `bf_releasebuffer`, once per successful
                // `__getbuffer__`, which is all `__releasebuffer` requires.
                unsafe { $crate::python::__releasebuffer(slf, view) }
            }
        }
    };
}
