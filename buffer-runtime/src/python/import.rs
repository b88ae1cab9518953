//! The importing half: any Python object with the buffer protocol, held from Rust.

use core::ffi::{c_int, CStr};
use core::fmt;
use std::boxed::Box;
use std::format;
use std::string::String;

use pyo3::exceptions::{
    PyBufferError, PyIndexError, PyMemoryError, PyNotImplementedError, PyOverflowError,
    PyTypeError, PyValueError,
};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyComplex, PyList, PyTuple};
use smallvec::SmallVec;
use std::vec::Vec;

use crate::format::{Code, Item, Kind, Value};
use crate::view::{ErrorKind, Shared, SharedMut, SharedView, SharedViewMut, TypedView, ViewError};
use crate::FieldType;

use crate::geometry::{self, GeometryError, MAX_NDIM};

/// A buffer exported by a Python object (`bytes`, `bytearray`, `array.array`, `mmap`, numpy
/// arrays, another `memoryview`, any extension type), held by Rust: `PyObject_GetBuffer` when
/// created, `PyBuffer_Release` when dropped.
///
/// The buffer describes its items like a `memoryview`: [`format`](Self::format),
/// [`itemsize`](Self::itemsize), [`shape`](Self::shape) and [`byte_strides`](Self::byte_strides) in
/// bytes (negative for reversed axes). [`shared_bytes`](Self::shared_bytes) is the memory
/// span every item lies in, and [`offset`](Self::offset) the position of the first item in
/// it: exactly the parts a [`SharedView`] is built from.
///
/// It lives no longer than the GIL it was created under (`'py`), and is neither `Send` nor
/// `Sync`.
///
/// ```
/// use buffer_runtime::python::PythonBuffer;
/// use pyo3::prelude::*;
///
/// Python::attach(|py| {
///     let data = py.eval(c"__import__('array').array('h', [1, -2, 3])", None, None).unwrap();
///     let buf = PythonBuffer::get(&data).unwrap();
///     assert_eq!((buf.format(), buf.itemsize(), buf.shape(), buf.byte_strides()), ("h", 2, &[3usize][..], &[2isize][..]));
///     assert!(!buf.readonly());
///     assert_eq!(buf.to_vec(), [1i16, -2, 3].map(i16::to_ne_bytes).concat());
/// });
/// ```
///
/// # Aliasing
///
/// Python does not know about Rust's borrows: Python code (another thread with the GIL
/// released, a callback Rust makes into Python, any thread of a free-threaded interpreter)
/// may write the buffer at any time. So the views ([`view`](Self::view),
/// [`view_mut`](Self::view_mut), [`PythonView`]) are [`SharedView`]s: they read and write by
/// copying and never form a Rust reference to the memory, and values they read are the bytes
/// there at that moment. Slices of the memory ([`bytes`](Self::bytes),
/// [`bytes_mut`](Self::bytes_mut)) are `unsafe`: the caller promises that no Python code
/// writes the buffer while one lives. See [`crate::safety`].
pub struct PythonBuffer<'py> {
    /// Boxed so that its address is stable from `PyObject_GetBuffer` to `PyBuffer_Release`, as
    /// some exporters may expect.
    raw: Box<ffi::Py_buffer>,
    py: Python<'py>,
    itemsize: usize,
    shape: SmallVec<[usize; 4]>,
    strides: SmallVec<[isize; 4]>,
    format: String,
    /// Start of the span holding every item (the lowest address any item reaches).
    span_start: *mut u8,
    span_len: usize,
    /// Position of the item at index `[0, 0, ...]` in the span.
    offset: usize,
    /// Whether the request asked for the format (`PyBUF_FORMAT`): then `raw.format` is the
    /// exporter's own description of the items (NULL for unsigned bytes).
    format_requested: bool,
}

impl<'py> PythonBuffer<'py> {
    /// Requests a read-only buffer with format, shape and strides (`PyBUF_RECORDS_RO`).
    ///
    /// Exporters that need suboffsets (PIL-style arrays of pointers) refuse this request
    /// themselves; anything else Python can export is accepted, contiguous or not.
    ///
    /// ```
    /// use buffer_runtime::python::PythonBuffer;
    /// use pyo3::prelude::*;
    ///
    /// Python::attach(|py| {
    ///     let err = PythonBuffer::get(&py.eval(c"3.5", None, None).unwrap()).err().unwrap();
    ///     assert!(err.to_string().contains("a bytes-like object is required"), "{err}");
    /// });
    /// ```
    pub fn get(obj: &Bound<'py, PyAny>) -> PyResult<Self> {
        Self::request(obj, ffi::PyBUF_RECORDS_RO)
    }

    /// Requests a writable buffer (`PyBUF_RECORDS`): a read-only exporter raises `BufferError`.
    ///
    /// ```
    /// use buffer_runtime::python::PythonBuffer;
    /// use pyo3::prelude::*;
    ///
    /// Python::attach(|py| {
    ///     let ba = py.eval(c"bytearray(b'abc')", None, None).unwrap();
    ///     let mut buf = PythonBuffer::get_mut(&ba).unwrap();
    ///     buf.view_mut().unwrap().set_as::<u8>(&[0], b'X').unwrap();
    ///     drop(buf);
    ///     assert_eq!(ba.extract::<Vec<u8>>().unwrap(), b"Xbc");
    ///
    ///     let b = py.eval(c"b'abc'", None, None).unwrap();
    ///     let err = PythonBuffer::get_mut(&b).err().unwrap();
    ///     assert!(err.is_instance_of::<pyo3::exceptions::PyBufferError>(py), "{err}");
    /// });
    /// ```
    pub fn get_mut(obj: &Bound<'py, PyAny>) -> PyResult<Self> {
        Self::request(obj, ffi::PyBUF_RECORDS)
    }

    /// Requests a buffer with explicit `PyBUF_*` flags (a missing `PyBUF_ND` gives a 1-d
    /// buffer of `len` bytes; a missing `PyBUF_FORMAT` gives format `B`, as CPython assumes).
    ///
    /// ```
    /// use buffer_runtime::python::PythonBuffer;
    /// use pyo3::{ffi, prelude::*};
    ///
    /// Python::attach(|py| {
    ///     let a = py.eval(c"__import__('array').array('d', [1.0, 2.0])", None, None).unwrap();
    ///     let buf = PythonBuffer::request(&a, ffi::PyBUF_SIMPLE).unwrap();
    ///     assert_eq!((buf.format(), buf.itemsize(), buf.shape()), ("B", 1, &[16usize][..]));
    /// });
    /// ```
    pub fn request(obj: &Bound<'py, PyAny>, flags: c_int) -> PyResult<Self> {
        let py = obj.py();
        // SAFETY: an all-zero `Py_buffer` is a valid value of the C struct (integers and NULL
        // pointers), which `PyObject_GetBuffer` overwrites.
        let mut raw: Box<ffi::Py_buffer> = Box::new(unsafe { core::mem::zeroed() });
        // SAFETY: `obj` is a live object and we hold the GIL (`'py`); `raw` is valid for writes.
        let rc = unsafe { ffi::PyObject_GetBuffer(obj.as_ptr(), &mut *raw, flags) };
        if rc != 0 {
            return Err(PyErr::fetch(py));
        }
        // From here on `raw` holds an export; `Self`'s Drop (or `release` below) gives it back.
        match Self::describe(&raw, flags) {
            Ok(d) => Ok(PythonBuffer {
                raw,
                py,
                itemsize: d.itemsize,
                shape: d.shape,
                strides: d.strides,
                format: d.format,
                span_start: d.span_start,
                span_len: d.span_len,
                offset: d.offset,
                format_requested: flags & ffi::PyBUF_FORMAT == ffi::PyBUF_FORMAT,
            }),
            Err(msg) => {
                // SAFETY: `raw` was filled by the successful `PyObject_GetBuffer` above and is
                // released exactly once, here, with the GIL held.
                unsafe { ffi::PyBuffer_Release(&mut *raw) };
                Err(PyBufferError::new_err(msg))
            }
        }
    }

    /// Reads and checks what the exporter wrote.
    fn describe(raw: &ffi::Py_buffer, flags: c_int) -> Result<Described, String> {
        if !raw.suboffsets.is_null() {
            return Err(String::from("buffers with suboffsets are not supported"));
        }
        // A scalar (ndim 0) has a NULL shape; otherwise NULL means the consumer asked for none.
        let has_shape =
            flags & ffi::PyBUF_ND == ffi::PyBUF_ND && (raw.ndim == 0 || !raw.shape.is_null());
        // Without a shape the consumer reads unsigned bytes, whatever the format says.
        let format = if !has_shape || raw.format.is_null() || flags & ffi::PyBUF_FORMAT == 0 {
            String::from("B")
        } else {
            // SAFETY: a non-NULL format is a NUL-terminated string that lives until release.
            let c = unsafe { CStr::from_ptr(raw.format) };
            c.to_str()
                .map_err(|_| String::from("the buffer's format is not UTF-8"))?
                .into()
        };
        let len =
            usize::try_from(raw.len).map_err(|_| format!("negative buffer length {}", raw.len))?;
        let ndim = usize::try_from(raw.ndim).map_err(|_| format!("negative ndim {}", raw.ndim))?;
        if ndim > MAX_NDIM {
            return Err(format!("ndim {ndim} exceeds {MAX_NDIM}"));
        }
        let (itemsize, shape, strides): (usize, SmallVec<[usize; 4]>, SmallVec<[isize; 4]>) =
            if !has_shape {
                // No shape: one dimension of unsigned bytes (the C API's PyBUF_SIMPLE reading).
                (1, SmallVec::from_slice(&[len]), SmallVec::from_slice(&[1]))
            } else {
                let itemsize = usize::try_from(raw.itemsize)
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or_else(|| format!("invalid itemsize {}", raw.itemsize))?;
                let shape_raw: &[isize] = if ndim == 0 {
                    &[]
                } else {
                    // SAFETY: a non-NULL shape has `ndim` entries valid until release (C API).
                    unsafe { core::slice::from_raw_parts(raw.shape, ndim) }
                };
                let mut shape = SmallVec::new();
                for &n in shape_raw {
                    shape.push(usize::try_from(n).map_err(|_| format!("negative dimension {n}"))?);
                }
                let strides = if raw.strides.is_null() || ndim == 0 {
                    // No strides: C-contiguous.
                    // (Unused when the total below overflows, the only case that wraps.)
                    let mut s: SmallVec<[isize; 4]> = SmallVec::from_elem(0, ndim);
                    geometry::c_strides_into(&shape, itemsize, &mut s);
                    s
                } else {
                    // SAFETY: a non-NULL strides array has `ndim` entries valid until release.
                    SmallVec::from_slice(unsafe { core::slice::from_raw_parts(raw.strides, ndim) })
                };
                (itemsize, shape, strides)
            };
        // The one geometry check: the items in bytes, product(shape) * itemsize, must fit an
        // isize as `len` must (the C API's rule; a view computes with it), no items at all when
        // a dimension is 0; the span, from the lowest to one past the highest byte any item
        // reaches, must fit too.
        let spans_too_much = || String::from("the buffer spans more than isize::MAX bytes");
        let measured = geometry::measure(&shape, &strides, itemsize).map_err(|e| match e {
            GeometryError::TooManyBytes | GeometryError::TooManyItems => format!(
                "shape {shape:?} with itemsize {itemsize} describes more than isize::MAX bytes"
            ),
            GeometryError::TooManyDimensions => format!("ndim {ndim} exceeds {MAX_NDIM}"),
            GeometryError::StridesCount | GeometryError::ExtentOverflow => spans_too_much(),
        })?;
        let empty = measured.extent.is_none();
        let (lo, hi) = measured.extent.unwrap_or((0, 0));
        if hi - lo > isize::MAX as i128 {
            return Err(spans_too_much());
        }
        if !empty && raw.buf.is_null() {
            return Err(String::from("the exporter returned a NULL buffer"));
        }
        let span_start = (raw.buf as *mut u8).wrapping_offset(lo as isize);
        Ok(Described {
            itemsize,
            shape,
            strides,
            format,
            span_start,
            span_len: (hi - lo) as usize,
            offset: (-lo) as usize,
        })
    }

    /// The item format (`B` when the exporter gave none).
    pub fn format(&self) -> &str {
        &self.format
    }

    /// The size of one item in bytes.
    pub fn itemsize(&self) -> usize {
        self.itemsize
    }

    /// The number of dimensions.
    pub fn ndim(&self) -> usize {
        self.shape.len()
    }

    /// The shape.
    pub fn shape(&self) -> &[usize] {
        &self.shape
    }

    /// The strides in bytes (PEP 3118's, not element counts); C strides when the exporter gave
    /// none. Named as the views' [`byte_strides`](crate::view::ViewBase::byte_strides).
    pub fn byte_strides(&self) -> &[isize] {
        &self.strides
    }

    /// Whether the exporter forbids writing.
    pub fn readonly(&self) -> bool {
        self.raw.readonly != 0
    }

    /// The size of the items in bytes (`product(shape) * itemsize`), as `memoryview.nbytes`.
    pub fn nbytes(&self) -> usize {
        self.raw.len as usize
    }

    /// The exporting object (`Py_buffer.obj`), when the exporter set one.
    pub fn obj(&self) -> Option<Bound<'py, PyAny>> {
        // SAFETY: `obj` is NULL or a strong reference owned by this buffer until release, so
        // borrowing it as a new strong reference is valid.
        unsafe { Bound::from_borrowed_ptr_or_opt(self.py, self.raw.obj) }
    }

    /// The position of the item at index `[0, 0, ...]` in [`bytes`](Self::bytes).
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The memory every item lies in, as [`Shared`] storage: from the lowest to one past the
    /// highest byte any item reaches (for a contiguous buffer, exactly its `nbytes` bytes).
    ///
    /// ```
    /// use buffer_runtime::python::PythonBuffer;
    /// use buffer_runtime::view::SharedView;
    /// use pyo3::prelude::*;
    ///
    /// Python::attach(|py| {
    ///     let m = py.eval(c"memoryview(b'abcdef')[::2]", None, None).unwrap();
    ///     let buf = PythonBuffer::get(&m).unwrap();
    ///     assert_eq!(buf.shared_bytes().len(), 5); // a, b, c, d, e: the span of a, c, e
    ///     assert_eq!(SharedView::from_data_bytes(buf.shared_bytes()).tobytes(Default::default()), b"abcde");
    /// });
    /// ```
    pub fn shared_bytes(&self) -> Shared<'_> {
        // The exporter guarantees (C API) that every item, `itemsize` bytes at
        // `buf + sum(i[k] * strides[k])`, is readable until `PyBuffer_Release`, which happens
        // only when `self` drops (the borrow of `self` bounds the lifetime); the span is the
        // smallest range covering all of them, computed in `describe` (empty, at any pointer,
        // when there is no item). Python code may write it meanwhile, which `Shared` allows;
        // Rust references to it exist only behind the `unsafe` `bytes`/`bytes_mut`, whose
        // callers promise none is live while a view is used.
        // SAFETY: readable until the release in `drop`; `Shared` allows Python's writes (above).
        unsafe { Shared::from_raw_parts(self.span_start, self.span_len) }
    }

    /// The same memory, writable; `None` for a read-only buffer, and for one whose items hold
    /// Python object references (see [`view_mut`](Self::view_mut)).
    ///
    /// ```
    /// use buffer_runtime::python::PythonBuffer;
    /// use pyo3::prelude::*;
    ///
    /// Python::attach(|py| {
    ///     // A writable buffer of `PyObject *`, described by its format `O`.
    ///     let objects = py.eval(c"__import__('ctypes').py_object * 2", None, None).unwrap().call0().unwrap();
    ///     let mut buf = PythonBuffer::get_mut(&objects).unwrap();
    ///     assert!(!buf.readonly());
    ///     assert!(buf.shared_bytes_mut().is_none());
    /// });
    /// ```
    pub fn shared_bytes_mut(&mut self) -> Option<SharedMut<'_>> {
        if self.readonly() || self.may_hold_objects() {
            return None;
        }
        // As in `shared_bytes`, and the exporter allows writes (`readonly == 0`);
        // `&mut self` makes this the only Rust access through this buffer while it lives.
        // Another buffer of the same memory (a second request) is to this one what Python's
        // writes are: raw copies, sequenced on this thread (the shared kinds are not `Send`),
        // or the cross-thread race discussed in `crate::safety`.
        // SAFETY: as in `shared_bytes`, writable (`readonly == 0`), `&mut self` exclusive.
        Some(unsafe { SharedMut::from_raw_parts(self.span_start, self.span_len) })
    }

    /// A copy of the memory every item lies in (the span of
    /// [`shared_bytes`](Self::shared_bytes)), taken now.
    ///
    /// ```
    /// use buffer_runtime::python::PythonBuffer;
    /// use pyo3::prelude::*;
    ///
    /// Python::attach(|py| {
    ///     let ba = py.eval(c"bytearray(b'abc')", None, None).unwrap();
    ///     assert_eq!(PythonBuffer::get(&ba).unwrap().to_vec(), b"abc");
    /// });
    /// ```
    pub fn to_vec(&self) -> Vec<u8> {
        let span = self.shared_bytes();
        let mut out = Vec::with_capacity(span.len());
        SharedView::from_data_bytes(span).write_bytes(crate::view::Order::C, &mut out);
        out
    }

    /// The memory every item lies in, as a slice: see [`shared_bytes`](Self::shared_bytes),
    /// which needs no promise.
    ///
    /// ```
    /// use buffer_runtime::python::PythonBuffer;
    /// use pyo3::prelude::*;
    ///
    /// Python::attach(|py| {
    ///     let b = py.eval(c"b'abc'", None, None).unwrap();
    ///     let buf = PythonBuffer::get(&b).unwrap();
    ///     // SAFETY: `bytes` objects are immutable, and no code runs while `s` lives.
    ///     let s = unsafe { buf.bytes() };
    ///     assert_eq!(s, b"abc");
    /// });
    /// ```
    ///
    /// # Safety
    ///
    /// While the returned slice lives, nothing may write the buffer's memory: no Python code
    /// (in this thread, through calls the caller makes into Python, or in any other thread,
    /// including code that released the GIL and, on a free-threaded interpreter, every thread)
    /// and no Rust code (a [`SharedViewMut`] or [`bytes_mut`](Self::bytes_mut) of another
    /// buffer of the same memory). An immutable exporter (`bytes`, a read-only `mmap`)
    /// guarantees this; a `bytearray` or numpy array does only if the program ensures that
    /// nothing writes it meanwhile.
    pub unsafe fn bytes(&self) -> &[u8] {
        if self.span_len == 0 {
            return &[];
        }
        // SAFETY: readable for the borrow of `self` as in `shared_bytes`; the caller promises
        // that nothing writes the memory while the slice lives.
        unsafe { core::slice::from_raw_parts(self.span_start, self.span_len) }
    }

    /// A [`SharedView`] of the items: every `memoryview` operation, and more, from Rust. It
    /// reads by copying, so Python code may write the buffer while it lives (a callback, another
    /// thread) and the view then reads the new values.
    ///
    /// ```
    /// use buffer_runtime::format::Value;
    /// use buffer_runtime::python::PythonBuffer;
    /// use pyo3::prelude::*;
    ///
    /// Python::attach(|py| {
    ///     // A reversed, strided numpy-like view: every other item of an array, backwards.
    ///     let m = py.eval(c"memoryview(__import__('array').array('i', range(10)))[::-3]", None, None).unwrap();
    ///     let buf = PythonBuffer::get(&m).unwrap();
    ///     let view = buf.view().unwrap();
    ///     assert_eq!(view.byte_strides(), &[-12]);
    ///     assert_eq!(view.tolist().unwrap(), Value::Array([9, 6, 3, 0].map(Value::Int).to_vec()));
    /// });
    /// ```
    pub fn view(&self) -> PyResult<SharedView<'_>> {
        let view = SharedView::from_data(
            self.shared_bytes(),
            &self.format,
            &self.shape,
            Some(&self.strides),
            self.offset,
        )?;
        Ok(view)
    }

    /// A writable [`SharedViewMut`] of the items; `TypeError: cannot modify read-only memory`
    /// for a read-only buffer (request it with [`get_mut`](Self::get_mut) to get a writable one).
    ///
    /// Items that hold Python object references (format `O`, as numpy's `dtype=object` arrays
    /// export) are never writable from Rust: CPython owns those pointers and their reference
    /// counts, and any other bytes there would crash the interpreter later. That is a
    /// `TypeError` too.
    ///
    /// ```
    /// use buffer_runtime::python::PythonBuffer;
    /// use pyo3::prelude::*;
    ///
    /// Python::attach(|py| {
    ///     let a = py.eval(c"__import__('array').array('h', [1, 2, 3])", None, None).unwrap();
    ///     let mut buf = PythonBuffer::get_mut(&a).unwrap();
    ///     buf.view_mut().unwrap().set_as::<i16>(&[-1], -300).unwrap();
    ///     drop(buf);
    ///     assert_eq!(a.call_method0("tolist").unwrap().extract::<Vec<i16>>().unwrap(), [1, 2, -300]);
    /// });
    /// ```
    pub fn view_mut(&mut self) -> PyResult<SharedViewMut<'_>> {
        if self.readonly() {
            return Err(PyTypeError::new_err("cannot modify read-only memory"));
        }
        if self.may_hold_objects() {
            return Err(PyTypeError::new_err(OBJECTS_MESSAGE));
        }
        // SAFETY: as in `shared_bytes_mut` (checked writable and free of object references
        // just above).
        let bytes = unsafe { SharedMut::from_raw_parts(self.span_start, self.span_len) };
        Ok(SharedViewMut::from_data(
            bytes,
            &self.format,
            &self.shape,
            Some(&self.strides),
            self.offset,
        )?)
    }

    /// The items as values of `T`, checked once here: a [`TypedView`] over the shared storage
    /// of [`view`](Self::view). The buffer's format must describe the same layout as `T`'s
    /// (same scalar kinds, sizes, byte orders and offsets; numpy's and `struct`'s equivalent
    /// spellings are accepted, field names are not compared), or, for an array `T`, the
    /// buffer's last dimensions (see [`ViewBase::typed`](crate::view::ViewBase::typed)). A
    /// mismatch is a `ValueError` worded like Cython's.
    ///
    /// Like every view of Python memory, the typed view copies values in and out (`get`,
    /// `iter`, `set`) and hands out no reference into the bytes.
    ///
    /// ```
    /// use buffer_runtime::python::PythonBuffer;
    /// use pyo3::prelude::*;
    ///
    /// Python::attach(|py| {
    ///     let a = py.eval(c"__import__('array').array('d', [0.5, 1.5])", None, None).unwrap();
    ///     let buf = PythonBuffer::get(&a).unwrap();
    ///     let view = buf.typed_view::<f64>().unwrap();
    ///     assert_eq!(view.iter().sum::<f64>(), 2.0);
    ///     assert_eq!(view.get(&[-1]).unwrap(), 1.5);
    ///
    ///     let err = buf.typed_view::<f32>().unwrap_err();
    ///     assert!(err.is_instance_of::<pyo3::exceptions::PyValueError>(py));
    ///     assert_eq!(err.value(py).to_string(), "Buffer dtype mismatch, expected 'f' but got 'd' at offset 0");
    /// });
    /// ```
    pub fn typed_view<T: FieldType>(&self) -> PyResult<TypedView<T, Shared<'_>>> {
        Ok(self.view()?.into_typed::<T>()?)
    }

    /// Turns this buffer into a [`PythonView`] that owns it: the buffer is released when the
    /// view drops.
    pub fn into_view(self) -> PyResult<PythonView<'py>> {
        // The span is readable until `PyBuffer_Release` (see `shared_bytes`), and the
        // bytes live in the exporter's memory, not in `self`, so moving `self` into the
        // `PythonView` does not move them. The `'static` storage is kept only in the
        // `PythonView`'s `view` field, which is dropped before its `buffer` field (and so
        // before the release), and users only ever see it for a lifetime bounded by a borrow
        // of the `PythonView` (`PythonView::view`).
        // SAFETY: the span outlives the `view` field, dropped before `buffer` (above).
        let bytes: Shared<'static> =
            unsafe { Shared::from_raw_parts(self.span_start, self.span_len) };
        let view = SharedView::from_data(
            bytes,
            &self.format,
            &self.shape,
            Some(&self.strides),
            self.offset,
        )?;
        Ok(PythonView { view, buffer: self })
    }

    /// [`typed_view`](Self::typed_view), writable: the errors of [`view_mut`](Self::view_mut)
    /// (a read-only buffer), then of the type check.
    ///
    /// ```
    /// use buffer_runtime::python::PythonBuffer;
    /// use pyo3::prelude::*;
    ///
    /// Python::attach(|py| {
    ///     let a = py.eval(c"__import__('array').array('i', [1, 2, 3])", None, None).unwrap();
    ///     let mut buf = PythonBuffer::get_mut(&a).unwrap();
    ///     let mut view = buf.typed_view_mut::<i32>().unwrap();
    ///     view.for_each_mut(|x| *x *= 10);
    ///     view.set(&[0], -1).unwrap();
    ///     drop(buf);
    ///     assert_eq!(a.call_method0("tolist").unwrap().extract::<Vec<i32>>().unwrap(), [-1, 20, 30]);
    /// });
    /// ```
    pub fn typed_view_mut<T: FieldType>(&mut self) -> PyResult<TypedView<T, SharedMut<'_>>> {
        Ok(self.view_mut()?.into_typed::<T>()?)
    }

    /// The same memory as a writable slice; `None` when
    /// [`shared_bytes_mut`](Self::shared_bytes_mut) is (a read-only buffer, one of Python
    /// object references), which needs no promise.
    ///
    /// ```
    /// use buffer_runtime::python::PythonBuffer;
    /// use pyo3::prelude::*;
    ///
    /// Python::attach(|py| {
    ///     let ba = py.eval(c"bytearray(b'abc')", None, None).unwrap();
    ///     let mut buf = PythonBuffer::get_mut(&ba).unwrap();
    ///     // SAFETY: no Python code runs, in this thread or another (we hold the GIL of a
    ///     // GIL-enabled interpreter and nobody else has the bytearray), while `s` lives.
    ///     let s = unsafe { buf.bytes_mut() }.unwrap();
    ///     s[0] = b'X';
    ///     drop(buf);
    ///     assert_eq!(ba.extract::<Vec<u8>>().unwrap(), b"Xbc");
    /// });
    /// ```
    ///
    /// # Safety
    ///
    /// While the returned slice lives, no other code may read or write the buffer's memory:
    /// no Python code (as for [`bytes`](Self::bytes)) and no Rust code through another buffer
    /// of the same memory.
    pub unsafe fn bytes_mut(&mut self) -> Option<&mut [u8]> {
        if self.readonly() || self.may_hold_objects() {
            return None;
        }
        if self.span_len == 0 {
            return Some(&mut []);
        }
        // SAFETY: as in `shared_bytes_mut`, and the caller promises that nothing else accesses
        // the memory while the slice lives.
        Some(unsafe { core::slice::from_raw_parts_mut(self.span_start, self.span_len) })
    }
}

/// Why [`PythonBuffer::view_mut`] refuses buffers of Python object references.
const OBJECTS_MESSAGE: &str =
    "cannot write from Rust to a buffer of Python object references (format 'O')";

impl PythonBuffer<'_> {
    /// Whether the items may hold Python object references, which Rust must never write. When
    /// the request did not ask for the format, the exporter is asked for it once more; an
    /// exporter that cannot say counts as holding them.
    fn may_hold_objects(&self) -> bool {
        if self.format_requested {
            if self.raw.format.is_null() {
                return false; // unsigned bytes
            }
            // SAFETY: a non-NULL format is a NUL-terminated string valid until release.
            let format = unsafe { CStr::from_ptr(self.raw.format) };
            return format.to_str().map_or(true, holds_objects);
        }
        match self.obj() {
            Some(obj) => PythonBuffer::request(&obj, ffi::PyBUF_RECORDS_RO)
                .map_or(true, |probe| probe.may_hold_objects()),
            None => true,
        }
    }
}

/// Whether a format describes Python object references (`O`) anywhere in an item, also inside
/// structs and sub-arrays. A format that does not parse counts if it contains an `O` at all.
fn holds_objects(format: &str) -> bool {
    fn any(items: &[Item]) -> bool {
        items.iter().any(|item| match &item.kind {
            Kind::Code(code) => *code == Code::Object,
            Kind::Struct(fields) => any(fields),
            // The pointer's own bytes are an address; what it points to is elsewhere.
            Kind::Pointer(_) => false,
        })
    }
    match crate::format::parse(format) {
        Ok(f) => any(&f.items),
        Err(_) => format.contains('O'),
    }
}

/// A view error raised as the Python exception of its kind, with its message.
///
/// ```
/// use buffer_runtime::view::MemoryView;
/// use pyo3::prelude::*;
///
/// Python::attach(|py| {
///     let err: PyErr = MemoryView::from_bytes(b"abc").cast("h", None).unwrap_err().into();
///     assert!(err.is_instance_of::<pyo3::exceptions::PyTypeError>(py));
///     assert_eq!(err.value(py).to_string(), "memoryview: length is not a multiple of itemsize");
/// });
/// ```
impl From<ViewError> for PyErr {
    fn from(e: ViewError) -> PyErr {
        let msg = String::from(e.message());
        match e.kind() {
            ErrorKind::TypeError => PyTypeError::new_err(msg),
            ErrorKind::ValueError => PyValueError::new_err(msg),
            ErrorKind::IndexError => PyIndexError::new_err(msg),
            ErrorKind::NotImplementedError => PyNotImplementedError::new_err(msg),
            ErrorKind::BufferError => PyBufferError::new_err(msg),
            ErrorKind::OverflowError => PyOverflowError::new_err(msg),
            ErrorKind::MemoryError => PyMemoryError::new_err(msg),
        }
    }
}

/// An unpacked item as the Python object `memoryview.tolist()` / `struct.unpack` would give:
/// `bool`, `int`, `float`, `complex`, `bytes`, `str`; arrays become lists and structs tuples
/// (as numpy's `tolist()` gives for structured arrays).
///
/// ```
/// use buffer_runtime::format::Value;
/// use buffer_runtime::python::value_to_object;
/// use pyo3::prelude::*;
///
/// Python::attach(|py| {
///     let v = Value::Struct(vec![(Some("a".into()), Value::Int(-1)), (None, Value::Array(vec![Value::Float(0.5)]))].into());
///     assert_eq!(value_to_object(py, &v).unwrap().repr().unwrap().to_string(), "(-1, [0.5])");
/// });
/// ```
pub fn value_to_object<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        Value::Int(n) => n.into_pyobject(py)?.into_any(),
        Value::UInt(n) | Value::Pointer(n) | Value::Object(n) => n.into_pyobject(py)?.into_any(),
        Value::Float(x) => x.into_pyobject(py)?.into_any(),
        Value::Complex(re, im) => PyComplex::from_doubles(py, *re, *im).into_any(),
        Value::Bytes(b) => PyBytes::new(py, b).into_any(),
        Value::Str(s) => s.into_pyobject(py)?.into_any(),
        Value::Array(items) => {
            let items = items
                .iter()
                .map(|v| value_to_object(py, v))
                .collect::<PyResult<Vec<_>>>()?;
            PyList::new(py, items)?.into_any()
        }
        Value::Struct(fields) => {
            let items = fields
                .values()
                .iter()
                .map(|v| value_to_object(py, v))
                .collect::<PyResult<Vec<_>>>()?;
            PyTuple::new(py, items)?.into_any()
        }
    })
}

/// A read-only [`SharedView`] of a Python buffer that owns its export: the buffer is released
/// when the view drops. Returned by [`PythonBuffer::into_view`] (or [`PythonView::get`]), it can
/// be passed around and returned from functions, unlike a view borrowed from a
/// [`PythonBuffer`].
///
/// ```
/// use buffer_runtime::python::PythonView;
/// use pyo3::prelude::*;
///
/// fn load<'py>(obj: &Bound<'py, PyAny>) -> PyResult<PythonView<'py>> {
///     PythonView::get(obj) // the view leaves the function; the export travels with it
/// }
///
/// Python::attach(|py| {
///     let ba = py.eval(c"bytearray(b'hello')", None, None).unwrap();
///     let v = load(&ba).unwrap();
///     assert_eq!((v.view().format(), v.view().shape()), ("B", &[5usize][..]));
///     // Exported: a bytearray cannot resize.
///     assert!(ba.call_method1("extend", (b"!".as_slice(),)).is_err());
///     drop(v); // PyBuffer_Release
///     ba.call_method1("extend", (b"!".as_slice(),)).unwrap();
/// });
/// ```
pub struct PythonView<'py> {
    /// Declared before `buffer`, so it is dropped first: no view outlives the export. Its
    /// `'static` is never shown to users: [`PythonView::view`] hands out `SharedView<'s>` for a
    /// borrow `'s` of `self` (the view is covariant in its lifetime).
    view: SharedView<'static>,
    buffer: PythonBuffer<'py>,
}

impl<'py> PythonView<'py> {
    /// Requests a read-only buffer ([`PythonBuffer::get`]) and views it.
    pub fn get(obj: &Bound<'py, PyAny>) -> PyResult<Self> {
        PythonBuffer::get(obj)?.into_view()
    }

    /// The view, for as long as `self` is borrowed.
    pub fn view(&self) -> &SharedView<'_> {
        &self.view
    }

    /// The underlying buffer (its raw metadata and bytes).
    pub fn buffer(&self) -> &PythonBuffer<'py> {
        &self.buffer
    }
}

impl fmt::Debug for PythonView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PythonView")
            .field("buffer", &self.buffer)
            .finish()
    }
}

/// Compiles only if a view is covariant in its lifetime, which [`PythonView::view`] relies on.
#[allow(dead_code)]
fn view_is_covariant<'s>(v: &'s SharedView<'static>) -> &'s SharedView<'s> {
    v
}

struct Described {
    itemsize: usize,
    shape: SmallVec<[usize; 4]>,
    strides: SmallVec<[isize; 4]>,
    format: String,
    span_start: *mut u8,
    span_len: usize,
    offset: usize,
}

impl Drop for PythonBuffer<'_> {
    fn drop(&mut self) {
        // SAFETY: `raw` holds a successful export that has not been released; `'py` proves the
        // GIL is held.
        unsafe { ffi::PyBuffer_Release(&mut *self.raw) };
    }
}

impl fmt::Debug for PythonBuffer<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PythonBuffer")
            .field("format", &self.format)
            .field("itemsize", &self.itemsize())
            .field("shape", &self.shape)
            .field("strides", &self.strides)
            .field("readonly", &self.readonly())
            .finish()
    }
}
