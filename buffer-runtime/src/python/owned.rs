//! [`OwnedBuffer`]: an owned Rust value handed to Python, which exports it.

use core::ffi::c_int;
use core::ptr::{self, NonNull};
use std::boxed::Box;
use std::format;
use std::string::{String, ToString};
use std::vec::Vec;

use core::mem::{align_of, size_of};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use zerocopy::FromBytes;

use super::export::{
    describe, describe_dynamic, describe_readonly, describe_writable, fill_view, Export,
};
use super::pickle::Received;
use crate::{BufferExport, BufferExportMut, Element};

/// A value moved out of Rust's ownership, freed by [`Drop`] only. It is held as a raw pointer
/// (not a `Box`), because Python writes its bytes while it lives and a `Box` would claim
/// unique access to them.
struct Erased {
    ptr: NonNull<()>,
    drop_value: unsafe fn(NonNull<()>),
}

/// Frees the `Box<T>` that [`Erased`] was made from.
///
/// # Safety
/// `ptr` comes from `Box::<T>::into_raw` and is not used again.
unsafe fn drop_boxed<T>(ptr: NonNull<()>) {
    // SAFETY: by the contract, `ptr` is an unaliased `Box<T>` allocation, reclaimed once.
    drop(unsafe { Box::from_raw(ptr.cast::<T>().as_ptr()) });
}

impl Drop for Erased {
    fn drop(&mut self) {
        // SAFETY: `ptr` and `drop_value` were made together by `OwnedBuffer::store` from one
        // `Box<T>`, and this is the only place that consumes it.
        unsafe { (self.drop_value)(self.ptr) }
    }
}

/// A Rust value handed to Python without a copy: a Python object (`buffer_runtime.OwnedBuffer`)
/// that owns the value and exports its items through the buffer protocol, so `numpy.asarray`,
/// `memoryview`, Pillow, `bytes`, ... see the value's own memory. The item type, shape and
/// strides are the value's ([`BufferExport`]); no `#[pyclass]` to write, for any item type,
/// records included. The value is dropped when the last Python reference and the last buffer
/// of it are gone.
///
/// ```
/// use buffer_runtime::python::OwnedBuffer;
/// use pyo3::prelude::*;
///
/// Python::attach(|py| {
///     let v: Vec<f64> = (0..5).map(f64::from).collect();
///     let address = v.as_ptr() as usize;
///     let obj = OwnedBuffer::new(py, v)?; // moved, not copied
///     let m = py.eval(c"memoryview", None, None)?.call1((&obj,))?;
///     assert_eq!(m.getattr("format")?.extract::<String>()?, "d");
///     assert_eq!(m.call_method0("tolist")?.extract::<Vec<f64>>()?, [0.0, 1.0, 2.0, 3.0, 4.0]);
///     let ctypes = py.import("ctypes")?;
///     let c = ctypes.getattr("c_char")?.call_method1("from_buffer", (&m,))?;
///     assert_eq!(ctypes.call_method1("addressof", (c,))?.extract::<usize>()?, address);
///     Ok::<_, PyErr>(())
/// })
/// .unwrap();
/// ```
#[pyclass(frozen, name = "OwnedBuffer", module = "buffer_runtime")]
pub struct OwnedBuffer {
    export: Result<Export, String>,
    readonly: bool,
    /// For an unpickled object: whether its bytes are a copy of those it was given.
    received: Option<bool>,
    /// Owns the bytes `export` points at (declared after `export`: nothing reads `export` in
    /// `Drop`, so the order only keeps the description from outliving the value).
    _value: Erased,
}

// `OwnedBuffer` never gives Rust access to the value: its bytes are reached only by
// Python through the exported pointers, and the value is dropped once, in `Erased::drop`, on
// whichever thread drops the object, which `T: Send` (required by every constructor) allows.
// `Export` is plain data (its own impls).
// SAFETY: no Rust access to the value; dropped once, `T: Send` (above).
unsafe impl Send for Erased {}
// SAFETY: `&Erased` gives no access to the value at all.
unsafe impl Sync for Erased {}

impl OwnedBuffer {
    /// Moves `value` into a new Python object that exports it writable: Python may write the
    /// items (every bit pattern is a valid item: `T::Item: FromBytes`). For items that not
    /// every bit pattern is valid for (`bool`, `char`, enums), use
    /// [`new_readonly`](Self::new_readonly).
    ///
    /// ```
    /// use buffer_runtime::python::OwnedBuffer;
    /// use pyo3::prelude::*;
    ///
    /// Python::attach(|py| {
    ///     let obj = OwnedBuffer::new(py, vec![[1u16, 2], [3, 4]])?;
    ///     let m = py.eval(c"memoryview", None, None)?.call1((&obj,))?;
    ///     m.set_item((1, 0), 30)?;
    ///     assert_eq!(m.call_method0("tolist")?.extract::<Vec<Vec<u16>>>()?, [[1, 2], [30, 4]]);
    ///     Ok::<_, PyErr>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn new<T>(py: Python<'_>, value: T) -> PyResult<Bound<'_, OwnedBuffer>>
    where
        T: BufferExportMut + Send + 'static,
        T::Item: FromBytes,
    {
        Bound::new(py, OwnedBuffer::store(value, describe_writable::<T>, false))
    }

    /// Moves `value` into a new Python object that exports it read-only (any item type).
    ///
    /// ```
    /// use buffer_runtime::python::OwnedBuffer;
    /// use pyo3::prelude::*;
    ///
    /// Python::attach(|py| {
    ///     let obj = OwnedBuffer::new_readonly(py, vec![true, false])?;
    ///     let m = py.eval(c"memoryview", None, None)?.call1((&obj,))?;
    ///     assert!(m.getattr("readonly")?.extract::<bool>()?);
    ///     assert_eq!(m.call_method0("tolist")?.extract::<Vec<bool>>()?, [true, false]);
    ///     Ok::<_, PyErr>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn new_readonly<T>(py: Python<'_>, value: T) -> PyResult<Bound<'_, OwnedBuffer>>
    where
        T: BufferExport + Send + 'static,
    {
        Bound::new(
            py,
            OwnedBuffer::store(value, |v: &mut T| describe_readonly(v), true),
        )
    }

    /// Moves `value` to the heap, describes it there (where it stays) and erases its type.
    fn store<T: Send + 'static>(
        value: T,
        describe: fn(&mut T) -> Result<Export, String>,
        readonly: bool,
    ) -> OwnedBuffer {
        let raw = Box::into_raw(Box::new(value));
        // SAFETY: `raw` is the fresh, unaliased allocation just made; this reference is the
        // last Rust access to the value (dropped before the value is shared with Python).
        let export = describe(unsafe { &mut *raw });
        let value = Erased {
            // SAFETY: `Box::into_raw` never returns NULL.
            ptr: unsafe { NonNull::new_unchecked(raw) }.cast::<()>(),
            drop_value: drop_boxed::<T>,
        };
        OwnedBuffer {
            export,
            readonly,
            received: None,
            _value: value,
        }
    }

    fn export(&self) -> Result<&Export, &str> {
        self.export.as_ref().map_err(String::as_str)
    }

    /// Adds the `OwnedBuffer` type to the extension module `m` (as `m.OwnedBuffer`), which is
    /// what pickling needs: a pickle names the type by module and name, and unpickling imports
    /// that module. Call it in the `#[pymodule]` of the extension that makes `OwnedBuffer`s.
    ///
    /// ```
    /// use buffer_runtime::python::OwnedBuffer;
    /// use pyo3::prelude::*;
    /// use pyo3::types::PyModule;
    ///
    /// Python::attach(|py| {
    ///     let m = PyModule::new(py, "rows_ext")?;
    ///     OwnedBuffer::add_to_module(&m)?;
    ///     py.import("sys")?.getattr("modules")?.set_item("rows_ext", &m)?;
    ///     let obj = OwnedBuffer::new(py, vec![1.5f64, 2.5])?;
    ///     let pickle = py.import("pickle")?;
    ///     let back = pickle.call_method1("loads", (pickle.call_method1("dumps", (&obj, 5))?,))?;
    ///     let m = py.eval(c"memoryview", None, None)?.call1((back,))?;
    ///     assert_eq!(m.call_method0("tolist")?.extract::<Vec<f64>>()?, [1.5, 2.5]);
    ///     Ok::<_, PyErr>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn add_to_module(m: &Bound<'_, pyo3::types::PyModule>) -> PyResult<()> {
        m.add_class::<OwnedBuffer>()?;
        let ty = m.py().get_type::<OwnedBuffer>();
        ty.setattr("__module__", m.name()?)
    }

    /// Creates a `multiprocessing.shared_memory.SharedMemory` block of `len` items of `I`
    /// (named `name`, or by Python when `None`; zero-filled) and exports it writable as a 1-d
    /// buffer of `I`: another process opens it with [`open_shared`](Self::open_shared) (or
    /// Python's `SharedMemory(name)`) and sees the same memory. Returns the buffer and the
    /// `SharedMemory` (its `name`, and `unlink()` to remove the block once every process is
    /// done). The buffer keeps the block mapped in this process while it lives.
    ///
    /// ```
    /// use buffer_runtime::python::OwnedBuffer;
    /// use pyo3::prelude::*;
    ///
    /// Python::attach(|py| {
    ///     let (rows, shm) = OwnedBuffer::create_shared::<u32>(py, None, 3)?;
    ///     let name: String = shm.getattr("name")?.extract()?;
    ///     let (other, _) = OwnedBuffer::open_shared::<u32>(py, &name)?; // as another process would
    ///     let mv = py.eval(c"memoryview", None, None)?;
    ///     mv.call1((&rows,))?.set_item(2, 7)?;
    ///     assert_eq!(mv.call1((&other,))?.call_method0("tolist")?.extract::<Vec<u32>>()?, [0, 0, 7]);
    ///     drop((rows, other));
    ///     shm.call_method0("unlink")?;
    ///     Ok::<_, PyErr>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn create_shared<'py, I>(
        py: Python<'py>,
        name: Option<&str>,
        len: usize,
    ) -> PyResult<(Bound<'py, OwnedBuffer>, Bound<'py, PyAny>)>
    where
        I: Element + FromBytes + Send + 'static,
    {
        let bytes = len
            .checked_mul(size_of::<I>())
            .filter(|&b| b <= isize::MAX as usize)
            .ok_or_else(|| PyValueError::new_err("shared memory: too many items"))?;
        let class = py
            .import("multiprocessing.shared_memory")?
            .getattr("SharedMemory")?;
        // Python refuses a size of 0: an empty block still has one byte.
        let shm = class.call1((name, true, bytes.max(1)))?;
        Ok((OwnedBuffer::shared::<I>(&shm, len)?, shm))
    }

    /// Opens the `SharedMemory` block `name` (made by [`create_shared`](Self::create_shared)
    /// in any process, or by Python) and exports it writable as a 1-d buffer of as many `I` as
    /// it holds. Returns the buffer and the `SharedMemory`. See
    /// [`create_shared`](Self::create_shared) for an example.
    pub fn open_shared<'py, I>(
        py: Python<'py>,
        name: &str,
    ) -> PyResult<(Bound<'py, OwnedBuffer>, Bound<'py, PyAny>)>
    where
        I: Element + FromBytes + Send + 'static,
    {
        let class = py
            .import("multiprocessing.shared_memory")?
            .getattr("SharedMemory")?;
        let shm = class.call1((name,))?;
        let size: usize = shm.getattr("size")?.extract()?;
        Ok((OwnedBuffer::shared::<I>(&shm, size / size_of::<I>())?, shm))
    }

    /// The first `len` items of `I` of a `SharedMemory` block, viewed in place.
    fn shared<'py, I>(shm: &Bound<'py, PyAny>, len: usize) -> PyResult<Bound<'py, OwnedBuffer>>
    where
        I: Element + FromBytes + Send + 'static,
    {
        let py = shm.py();
        // `len` items of `I` were checked (or computed) to fit the block.
        let bytes = len * size_of::<I>();
        let buf =
            shm.getattr("buf")?
                .get_item(pyo3::types::PySlice::new(py, 0, bytes as isize, 1))?;
        // A mapping is page aligned and writable: `take` views it (never copies here).
        let received =
            Received::take(&buf, true, align_of::<I>(), align_of::<I>(), bytes)?.keep(shm.clone());
        let layout = crate::BufferLayout {
            shape: crate::Dims::Owned([len].into_iter().collect()),
            strides: crate::Dims::Owned([size_of::<I>() as isize].into_iter().collect()),
            offset: 0,
        };
        let export = describe::<I>(layout, received.base(), received.len(), false);
        Bound::new(py, OwnedBuffer::holding(received, export, false))
    }

    /// An object exporting `export`, which describes bytes `received` owns.
    fn holding(received: Received, export: Result<Export, String>, readonly: bool) -> Self {
        let copied = received.copied();
        let raw = Box::into_raw(Box::new(received));
        OwnedBuffer {
            export,
            readonly,
            received: Some(copied),
            _value: Erased {
                // SAFETY: `Box::into_raw` never returns NULL.
                ptr: unsafe { NonNull::new_unchecked(raw) }.cast::<()>(),
                drop_value: drop_boxed::<Received>,
            },
        }
    }

    /// Whether the items are bytes this object received and views where they are (an
    /// unpickled buffer that was not copied, a shared memory block).
    ///
    /// ```
    /// use buffer_runtime::python::OwnedBuffer;
    /// use pyo3::prelude::*;
    /// Python::attach(|py| assert!(!OwnedBuffer::new(py, vec![0u8]).unwrap().get().unpickled_view()));
    /// ```
    pub fn unpickled_view(&self) -> bool {
        self.received.is_some_and(|copied| !copied)
    }

    /// The item format (empty if the value could not be exported).
    ///
    /// ```
    /// use buffer_runtime::python::OwnedBuffer;
    /// use pyo3::prelude::*;
    /// Python::attach(|py| {
    ///     assert_eq!(OwnedBuffer::new(py, vec![0i32; 3]).unwrap().get().format(), "i");
    /// });
    /// ```
    pub fn format(&self) -> &str {
        self.export().map_or("", Export::format)
    }

    /// The shape (empty if the value could not be exported).
    ///
    /// ```
    /// use buffer_runtime::python::OwnedBuffer;
    /// use pyo3::prelude::*;
    /// Python::attach(|py| {
    ///     assert_eq!(OwnedBuffer::new(py, vec![[0u8; 4]; 3]).unwrap().get().shape(), &[3, 4]);
    /// });
    /// ```
    pub fn shape(&self) -> &[usize] {
        self.export().map_or(&[], Export::shape)
    }

    /// Whether Python may not write the items.
    ///
    /// ```
    /// use buffer_runtime::python::OwnedBuffer;
    /// use pyo3::prelude::*;
    /// Python::attach(|py| {
    ///     assert!(OwnedBuffer::new_readonly(py, vec![0u8]).unwrap().get().readonly());
    /// });
    /// ```
    pub fn readonly(&self) -> bool {
        self.readonly
    }
}

#[pymethods]
impl OwnedBuffer {
    // Buffer protocol (`bf_getbuffer`). No `bf_releasebuffer`: each `Py_buffer.obj` holds a
    // strong reference to this object, which owns the bytes, and nothing here ever moves them.
    unsafe fn __getbuffer__(
        slf: Bound<'_, Self>,
        view: *mut ffi::Py_buffer,
        flags: c_int,
    ) -> PyResult<()> {
        let this = slf.get();
        // PyO3 calls this as `bf_getbuffer` with CPython's `Py_buffer`. The bytes
        // belong to the value this frozen object owns: never moved, and freed only when the
        // object is, which the `Py_buffer.obj` reference `fill_view` takes prevents until
        // release.
        // SAFETY: CPython's `Py_buffer` (PyO3's `bf_getbuffer`); the bytes outlive the export.
        unsafe {
            fill_view(
                slf.as_any(),
                this.readonly(),
                this.export(),
                view,
                flags,
                ptr::null_mut(),
            )
        }
    }

    /// Pickling (protocol 5 out of band): see `buffer_runtime::python::OwnedBuffer`.
    fn __reduce_ex__<'py>(slf: &Bound<'py, Self>, protocol: i32) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        // Unpickling finds the type as `module.OwnedBuffer`: say how to make that true
        // rather than let pickle fail on a module that does not exist.
        let ty = slf.get_type();
        let module: String = ty.getattr("__module__")?.extract()?;
        let found = py
            .import(module.as_str())
            .and_then(|m| m.getattr("OwnedBuffer"))
            .is_ok_and(|t| t.is(&ty));
        if !found {
            let error = py.import("pickle")?.getattr("PicklingError")?;
            return Err(PyErr::from_value(error.call1((format!(
                "cannot pickle OwnedBuffer: no module holds the type; call \
                 buffer_runtime::python::OwnedBuffer::add_to_module(m) in the extension's \
                 #[pymodule] (module now {module:?})"
            ),))?));
        }
        super::pickle::reduce(slf.as_any(), slf.get().export(), protocol)
    }

    /// The unpickling constructor `__reduce_ex__` names: checks the state and views (or copies
    /// once) its data.
    #[classmethod]
    fn _buffer_runtime_unpickle(
        _cls: &Bound<'_, pyo3::types::PyType>,
        state: &Bound<'_, PyAny>,
    ) -> PyResult<OwnedBuffer> {
        let state = super::pickle::State::parse(state)?;
        let received = Received::take(
            &state.data,
            !state.readonly,
            state.item.layout().align(),
            state.align,
            state.nbytes,
        )?;
        let export = describe_dynamic(
            state.item.clone(),
            state.align,
            state.layout(),
            received.base(),
            received.len(),
            state.readonly,
        );
        Ok(OwnedBuffer::holding(received, export, state.readonly))
    }

    fn __len__(&self) -> PyResult<usize> {
        match self.shape().first() {
            Some(&n) => Ok(n),
            None => Err(PyTypeError::new_err("0-dim memory has no length")),
        }
    }

    fn __repr__(&self) -> String {
        match self.export() {
            Ok(e) => {
                // Python's spelling: a quoted format, a tuple for the shape.
                let mut shape: Vec<String> = e.shape().iter().map(|n| n.to_string()).collect();
                if shape.len() == 1 {
                    shape.push(String::new());
                }
                format!(
                    "OwnedBuffer(format='{}', shape=({}), readonly={})",
                    e.format(),
                    shape.join(", ").trim_end(),
                    if e.readonly() { "True" } else { "False" }
                )
            }
            Err(why) => format!("OwnedBuffer(<not exportable: {why}>)"),
        }
    }

    /// numpy's `__array__`: only called when the buffer protocol failed, so that numpy raises
    /// the export's error instead of wrapping the object in a 0-d `dtype=object` array.
    #[pyo3(signature = (dtype = None, copy = None))]
    fn __array__<'py>(
        slf: &Bound<'py, Self>,
        dtype: Option<&Bound<'py, PyAny>>,
        copy: Option<bool>,
    ) -> PyResult<Bound<'py, PyAny>> {
        super::__array(slf.as_any(), dtype, copy)
    }
}

/// numpy's `__array__` for exporters: `numpy.asarray(memoryview(obj), dtype)` (or
/// `numpy.array(..., copy=copy)` when `copy` is given). numpy asks the buffer protocol first
/// and calls `__array__` only when that failed, so here `memoryview(obj)` raises the export's
/// own error (numpy would otherwise silently return a 0-d `dtype=object` array). Not a public
/// API.
#[doc(hidden)]
pub fn __array<'py>(
    obj: &Bound<'py, PyAny>,
    dtype: Option<&Bound<'py, PyAny>>,
    copy: Option<bool>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = obj.py();
    let view = pyo3::types::PyMemoryView::from(obj)?;
    let numpy = py.import("numpy")?;
    let kwargs = pyo3::types::PyDict::new(py);
    kwargs.set_item("dtype", dtype)?;
    let args = PyTuple::new(py, [view])?;
    match copy {
        None => numpy.call_method("asarray", args, Some(&kwargs)),
        Some(copy) => {
            kwargs.set_item("copy", copy)?;
            numpy.call_method("array", args, Some(&kwargs))
        }
    }
}
