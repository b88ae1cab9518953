//! Python interop (feature `pyo3`, built against PyO3 0.30): hand any
//! [`BufferExport`](crate::BufferExport) to CPython, numpy or Pillow without a copy, and view
//! any Python buffer from Rust as a [`SharedView`](crate::view::SharedView).
//!
//! * Export from a `#[pyclass]`: store the exporter in an [`ExportCell`] and give the class the
//!   buffer protocol with [`python_buffer!`](crate::python_buffer).
//! * Pickle (protocol 5 out of band): `python_buffer!`'s `pickle` form, and
//!   [`OwnedBuffer`] once [`OwnedBuffer::add_to_module`] names its module.
//! * Hand an owned value to Python: [`OwnedBuffer::new`] moves a `Vec<Record>`, a
//!   `Box<[f64]>`, any exporter, into a Python object that exports it (no class to write).
//! * Import: [`PythonBuffer`] holds a Python buffer (released on drop);
//!   [`PythonBuffer::view`] is a `SharedView` of it, [`PythonBuffer::typed_view`] a
//!   [`TypedView`](crate::view::TypedView) of it, checked once against a Rust item type, and
//!   [`PythonView`] a view that owns its export (released when the view drops). A `SharedView` has every `memoryview` operation but reads and writes by
//!   copying, never through a Rust reference, since Python may write the memory while Rust
//!   holds the view (see "Viewing Python buffers").
//!
//! # CPython versions and the stable ABI
//!
//! Tested on CPython 3.9 to 3.13 (`scripts/python-matrix`: the example module's pytest suite
//! on each). An extension module may also be built once for every CPython from 3.11 on with
//! PyO3's feature `abi3-py311` (or a later `abi3-py3x`): everything this module calls is in
//! the limited API from 3.11, where the buffer protocol (`Py_buffer`, `PyObject_GetBuffer`,
//! `bf_getbuffer`) joined it. With `abi3-py310` or an older one it does not compile, since
//! PyO3 then has no `Py_buffer`. `scripts/python-matrix` builds one such wheel of the example
//! module and runs the suite with it on 3.11, 3.12 and 3.13.
//!
//! # Exporting a `#[pyclass]`
//!
//! [`python_buffer!`](crate::python_buffer) writes the `__getbuffer__` / `__releasebuffer__`
//! slots that PyO3 requires to be `unsafe fn`, so the user writes no `unsafe` at all (the
//! example crate `examples/python` compiles under `#![forbid(unsafe_code)]`).
//!
//! ```
//! use buffer_runtime::{python::ExportCell, python_buffer};
//! use pyo3::prelude::*;
//!
//! #[pyclass]
//! struct Samples {
//!     data: ExportCell<Vec<f32>>,
//! }
//!
//! // Read-only: `bytes(s)`, `memoryview(s)`, `numpy.asarray(s)` see the floats.
//! python_buffer!(Samples, |this| &this.data);
//!
//! Python::attach(|py| {
//!     let s = Py::new(py, Samples { data: ExportCell::new_readonly(vec![1.0, 2.5]) }).unwrap();
//!     let m = py.eval(c"lambda s: memoryview(s)", None, None).unwrap().call1((&s,)).unwrap();
//!     assert_eq!(m.getattr("format").unwrap().extract::<String>().unwrap(), "f");
//!     assert_eq!(m.call_method0("tolist").unwrap().extract::<Vec<f32>>().unwrap(), [1.0, 2.5]);
//! });
//! ```
//!
//! A class with its own `#[pymethods]` passes that block to the macro, which appends the
//! slots to it (PyO3 allows one `#[pymethods]` block per class). A cell made with
//! [`ExportCell::new`] exports writable buffers (its items must accept any bit pattern):
//!
//! ```
//! use buffer_runtime::{python::ExportCell, python_buffer};
//! use pyo3::prelude::*;
//!
//! #[pyclass]
//! struct Counter {
//!     counts: ExportCell<[u32; 4]>,
//! }
//!
//! python_buffer! {
//!     #[pymethods]
//!     impl Counter {
//!         #[new]
//!         fn new() -> Self {
//!             Counter { counts: ExportCell::new([0; 4]) }
//!         }
//!         fn total(&self) -> PyResult<u32> {
//!             // Python may write these items at any time: Rust reads them through a view.
//!             Ok(self.counts.view()?.iter_as::<u32>()?.sum())
//!         }
//!     }
//!     export |this| &this.counts;
//! }
//!
//! Python::attach(|py| {
//!     let c = Py::new(py, Counter::new()).unwrap();
//!     // While `m` holds a writable export, the object's methods keep working.
//!     let run = py.eval(c"lambda c: [m := memoryview(c), m.__setitem__(2, 7), c.total()][2]", None, None).unwrap();
//!     assert_eq!(run.call1((&c,)).unwrap().extract::<u32>().unwrap(), 7);
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
//! # Exports and Rust access: CPython's semantics
//!
//! An export does not borrow the `#[pyclass]`: as with CPython's `bytearray`, numpy and Pillow,
//! every method keeps working while Python holds buffers (getters, `__len__`, `__repr__`,
//! methods that read the items, methods that write them in place). Only what would move,
//! resize or free the exported bytes fails, with `BufferError: Existing exports of data:
//! object cannot be re-sized`: [`ExportCell::try_mut`] (exclusive access to the value) and
//! [`ExportCell::into_inner`]. It works again once the exports are released.
//!
//! Memory Python may write never sits behind a Rust reference: Rust reads and writes a
//! writable cell's items through views that copy bytes in and out
//! ([`ExportCell::view`], [`ExportCell::view_mut`]), never through `&`/`&mut` of the items;
//! plain references exist only where Python cannot write (a read-only cell's
//! [`ExportCell::get`]) or cannot see the value (no export: [`ExportCell::try_mut`]). See
//! [`safety`](crate::safety), section 4, for the whole argument, free-threaded CPython
//! included.
//!
//! One export is an atomic reference count and a few stores: no lock, no table, no
//! allocation (the `Py_buffer` fields are computed when the value is stored and after each
//! `try_mut`), so its cost does not depend on how many other objects are exported.
//! `Py_buffer.obj` holds a strong reference to the object, and each export one on the cell's
//! storage, so the memory stays valid while any view lives, even if the object is deleted or
//! the cell replaced.
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
//!     assert_eq!(view.iter().collect::<Vec<_>>(), [4.0, 2.0]); // no second check
//!     // Python writes the array while Rust holds the view: the next read sees it.
//!     py.run(c"data.obj[3] = 40.0", None, Some(&[("data", &data)].into_py_dict(py)?))?;
//!     assert_eq!(view.iter().collect::<Vec<_>>(), [40.0, 2.0]);
//!     let err = buf.typed_view::<i64>().unwrap_err();
//!     assert_eq!(err.value(py).to_string(), "Buffer dtype mismatch, expected 'q' but got 'd' at offset 0");
//!     Ok::<_, PyErr>(())
//! }) // `buf` dropped: PyBuffer_Release
//! .unwrap();
//! ```

mod cell;
mod export;
mod import;
mod owned;
mod pickle;

pub use cell::{CellMut, ExportCell};
pub use import::{value_to_object, PythonBuffer, PythonView};
pub use owned::OwnedBuffer;

#[doc(hidden)]
pub use cell::{__getbuffer, __releasebuffer};
#[doc(hidden)]
pub use owned::__array;
#[doc(hidden)]
pub use pickle::{__reduce_cell, __unpickle_cell};

/// The PyO3 this crate was built against, for the expansion of [`python_buffer!`](crate::python_buffer).
#[doc(hidden)]
pub use pyo3 as __pyo3;

/// Gives a `#[pyclass]` the buffer protocol by exporting one of its fields, an
/// [`ExportCell`] (which owns any [`BufferExport`](crate::BufferExport)), without `unsafe` in
/// the caller.
///
/// Two forms:
///
/// ```text
/// python_buffer!(Class, |this| &this.field);   // the slots in their own #[pymethods]
/// python_buffer! {                             // appended to the class's #[pymethods]
///     #[pymethods] impl Class { ... }
///     export |this| &this.field;
/// }
/// ```
///
/// The cell decides whether exports are writable ([`ExportCell::new`]) or read-only
/// ([`ExportCell::new_readonly`]). The macro writes `__getbuffer__`, `__releasebuffer__` and
/// `__array__` (so that `numpy.asarray(obj)` raises the export's error instead of silently
/// wrapping the object in a 0-d `dtype=object` array when an export fails). See the
/// [module documentation](crate::python) for the semantics.
///
/// ```
/// use buffer_runtime::{python::ExportCell, python_buffer};
/// use pyo3::prelude::*;
///
/// #[pyclass]
/// struct Grid {
///     cells: ExportCell<[[u8; 3]; 2]>,
/// }
/// python_buffer!(Grid, |this| &this.cells);
///
/// Python::attach(|py| {
///     let g = Py::new(py, Grid { cells: ExportCell::new_readonly([[1, 2, 3], [4, 5, 6]]) }).unwrap();
///     let shape = py.eval(c"lambda g: memoryview(g).shape", None, None).unwrap().call1((&g,)).unwrap();
///     assert_eq!(shape.extract::<(usize, usize)>().unwrap(), (2, 3));
///     let err = py.eval(c"lambda g: memoryview(g).__setitem__((0, 0), 9)", None, None).unwrap().call1((&g,)).unwrap_err();
///     assert!(err.to_string().contains("read-only"), "{err}");
/// });
/// ```
///
/// # Pickling
///
/// One more line makes the class picklable (`pickle`, `copy`, `multiprocessing`, Dask):
/// `pickle |cell| ...` builds the object from an unpickled cell (returning `PyResult<Self>`,
/// so it can check the shape). In the short form: `python_buffer!(Class, |this| &this.field,
/// pickle |cell| Ok(Class { field: cell }))`. The items must accept any bit pattern
/// (`FromBytes`), as bytes from a pickle may be anything.
///
/// Under protocol 5 the items travel as a `pickle.PickleBuffer` (a separate buffer when
/// `pickle.dumps` is given a `buffer_callback`), with a small in-band part: the format, the
/// shape, whether exports are read-only, the items' alignment and the class. Protocols 2-4
/// write the items in band as `bytes`. Layouts that are not C-contiguous travel as a C-order
/// copy of their items (and come back C-contiguous).
///
/// Unpickling checks the format against the class's item type, the shape against the bytes
/// it is given (`ValueError` otherwise: no view is built outside them), then views those
/// bytes in place, holding a buffer of their owner, when they are writable (or the cell is
/// read-only) and aligned as the format asks (a native format such as `Q` wants `align_of`,
/// standard sizes such as the `T{<Q:id:...}` of derived records want none); otherwise it
/// copies them once, into memory aligned for the item type. The rebuilt cell has
/// no Rust value, only its items: [`ExportCell::view`] and [`ExportCell::view_mut`] work,
/// [`ExportCell::get`] and [`ExportCell::try_mut`] say it was unpickled
/// ([`ExportCell::unpickled`]).
///
/// ```
/// use buffer_runtime::{python::ExportCell, python_buffer};
/// use pyo3::prelude::*;
/// use pyo3::types::IntoPyDict;
///
/// #[pyclass(module = "docs_ext")]
/// struct Levels {
///     data: ExportCell<Vec<u16>>,
/// }
/// python_buffer!(Levels, |this| &this.data, pickle |data| Ok(Levels { data }));
///
/// Python::attach(|py| {
///     let m = pyo3::types::PyModule::new(py, "docs_ext")?;
///     m.add_class::<Levels>()?;
///     py.import("sys")?.getattr("modules")?.set_item("docs_ext", m)?;
///     let levels = Py::new(py, Levels { data: ExportCell::new(vec![3, 1, 4]) })?;
///     let run = py.eval(c"lambda o: (__import__('pickle').dumps(o, protocol=5, buffer_callback=(b := []).append), b)", None, None)?;
///     let (data, buffers): (Vec<u8>, Vec<Bound<'_, PyAny>>) = run.call1((&levels,))?.extract()?;
///     assert_eq!(buffers.len(), 1); // the items, out of band
///     let back = py.import("pickle")?.call_method("loads", (pyo3::types::PyBytes::new(py, &data),), Some(&[("buffers", buffers)].into_py_dict(py)?))?;
///     assert!(back.cast::<Levels>()?.borrow().data.unpickled());
///     assert_eq!(back.cast::<Levels>()?.borrow().data.view()?.iter_as::<u16>()?.collect::<Vec<_>>(), [3, 1, 4]);
///     Ok::<_, PyErr>(())
/// })
/// .unwrap();
/// ```
///
/// A `#[pyclass(frozen)]` works the same way (its cell can then only be read and written in
/// place, never resized).
///
/// Exporting a field that is not an [`ExportCell`] does not compile: Python would otherwise
/// see memory that Rust could move or free while an export lives.
///
/// ```compile_fail,E0308
/// use buffer_runtime::python_buffer;
/// use pyo3::prelude::*;
///
/// #[pyclass]
/// struct Plain {
///     data: Vec<f64>,
/// }
/// python_buffer!(Plain, |this| &this.data);
/// ```
///
/// Nor does a writable cell of items that not every bit pattern is valid for (`bool`, `char`,
/// enums): Python could write an invalid value. Such items are exported read-only.
///
/// ```compile_fail,E0277
/// use buffer_runtime::python::ExportCell;
/// let flags = ExportCell::new(vec![true, false]);
/// ```
#[macro_export]
macro_rules! python_buffer {
    (
        $(#[$attr:meta])*
        impl $class:ty { $($body:tt)* }
        export mut $($rest:tt)*
    ) => {
        $crate::__python_buffer_mut_removed!();
    };
    (
        $(#[$attr:meta])*
        impl $class:ty { $($body:tt)* }
        export $field:expr;
        pickle $build:expr $(;)?
    ) => {
        $crate::__python_buffer_impl!([$(#[$attr])*] $class, [$($body)*], $field, [$build]);
    };
    (
        $(#[$attr:meta])*
        impl $class:ty { $($body:tt)* }
        export $field:expr $(;)?
    ) => {
        $crate::__python_buffer_impl!([$(#[$attr])*] $class, [$($body)*], $field, []);
    };
    ($class:ty, mut $($rest:tt)*) => {
        $crate::__python_buffer_mut_removed!();
    };
    ($class:ty, $field:expr, pickle $build:expr $(,)?) => {
        $crate::__python_buffer_impl!(
            [#[$crate::python::__pyo3::pymethods]] $class, [], $field, [$build]
        );
    };
    ($class:ty, $field:expr $(,)?) => {
        $crate::__python_buffer_impl!(
            [#[$crate::python::__pyo3::pymethods]] $class, [], $field, []
        );
    };
}

/// The migration message for the `mut` forms of [`python_buffer!`](crate::python_buffer),
/// which held a PyO3 borrow for as long as Python held an export. Not a public API.
#[doc(hidden)]
#[macro_export]
macro_rules! __python_buffer_mut_removed {
    () => {
        ::core::compile_error!(
            "python_buffer!: the `mut` form is gone: store the field as \
             `buffer_runtime::python::ExportCell::new(value)` (writable exports; \
             `ExportCell::new_readonly` for read-only ones) and export it with \
             `python_buffer!(Class, |this| &this.field)`"
        );
    };
}

/// The `#[pymethods]` block with the slot methods appended. Not a public API: the slots
/// must be written out here, not by a nested macro call, because `#[pymethods]` reads the
/// block before nested macros expand.
#[doc(hidden)]
#[macro_export]
macro_rules! __python_buffer_impl {
    ([$($attr:tt)*] $class:ty, [$($body:tt)*], $field:expr, [$($build:expr)?]) => {
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
                // in, which is all `__getbuffer` requires.
                unsafe { $crate::python::__getbuffer(slf, view, flags, $field) }
            }

            // Buffer protocol (`bf_releasebuffer`), written by `buffer_runtime::python_buffer!`.
            unsafe fn __releasebuffer__(
                slf: $crate::python::__pyo3::Bound<'_, Self>,
                view: *mut $crate::python::__pyo3::ffi::Py_buffer,
            ) {
                // SAFETY: PyO3 calls this as `bf_releasebuffer`, once per successful
                // `__getbuffer__` of this class (which exports this same field), with the
                // `Py_buffer` it filled: all `__releasebuffer` requires.
                unsafe { $crate::python::__releasebuffer(slf, view, $field) }
            }

            // numpy's fallback when the buffer protocol fails: re-raise its error.
            #[pyo3(signature = (dtype = None, copy = None))]
            fn __array__<'py>(
                slf: &$crate::python::__pyo3::Bound<'py, Self>,
                dtype: ::core::option::Option<&$crate::python::__pyo3::Bound<'py, $crate::python::__pyo3::PyAny>>,
                copy: ::core::option::Option<bool>,
            ) -> $crate::python::__pyo3::PyResult<$crate::python::__pyo3::Bound<'py, $crate::python::__pyo3::PyAny>> {
                $crate::python::__array(slf.as_any(), dtype, copy)
            }

            $(
            // Pickling (protocol 5 out of band), written by `buffer_runtime::python_buffer!`.
            fn __reduce_ex__<'py>(
                slf: &$crate::python::__pyo3::Bound<'py, Self>,
                protocol: i32,
            ) -> $crate::python::__pyo3::PyResult<$crate::python::__pyo3::Bound<'py, $crate::python::__pyo3::PyAny>> {
                $crate::python::__reduce_cell(slf, $field, protocol)
            }

            // The unpickling constructor `__reduce_ex__` names.
            #[classmethod]
            fn _buffer_runtime_unpickle(
                _cls: &$crate::python::__pyo3::Bound<'_, $crate::python::__pyo3::types::PyType>,
                state: &$crate::python::__pyo3::Bound<'_, $crate::python::__pyo3::PyAny>,
            ) -> $crate::python::__pyo3::PyResult<Self> {
                $crate::python::__unpickle_cell(state, $build)
            }
            )?
        }
    };
}
