//! Exporting to an embedded CPython: every request flag, CPython's export semantics (the object
//! stays usable, only resizing waits for the release), and what consumers (memoryview, bytes,
//! hashlib) see.
#![cfg(feature = "pyo3")]

use std::ffi::{c_int, CStr};

use buffer_runtime::python::ExportCell;
use buffer_runtime::{python_buffer, BufferExport, BufferLayout, Dims};
use pyo3::exceptions::PyBufferError;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// A compile-time 2x3 layout, read-only.
#[pyclass]
struct Grid {
    cells: ExportCell<[[u16; 3]; 2]>,
}
python_buffer! {
    #[pymethods]
    impl Grid {
        /// Replaces the first cell through exclusive access (refused while exported).
        fn poke(&mut self, v: u16) -> PyResult<()> {
            self.cells.try_mut()?[0][0] = v;
            Ok(())
        }
        fn first(&self) -> u16 {
            self.cells.get().map_or(0, |c| c[0][0])
        }
    }
    export |this| &this.cells;
}

/// A runtime layout, writable.
#[pyclass]
struct Rows {
    rows: ExportCell<Vec<[u8; 4]>>,
}
python_buffer! {
    #[pymethods]
    impl Rows {
        fn push(&mut self) -> PyResult<()> {
            self.rows.try_mut()?.push([0; 4]);
            Ok(())
        }
        fn len(&self) -> usize {
            self.rows.shape()[0]
        }
        /// Byte `(i, j)`, read by Rust while Python may write.
        fn at(&self, i: isize, j: isize) -> PyResult<u8> {
            Ok(self.rows.view()?.get_as::<u8>(&[i, j])?)
        }
        /// Writes byte `(i, j)` in place, from Rust, while Python may hold exports.
        fn put(&mut self, i: isize, j: isize, v: u8) -> PyResult<()> {
            Ok(self.rows.view_mut()?.set_as::<u8>(&[i, j], v)?)
        }
    }
    export |this| &this.rows;
}

/// An exporter with a layout chosen by the test: any shape, strides and offset over 24 bytes.
struct Strided {
    data: [f32; 6],
    shape: Vec<usize>,
    strides: Vec<isize>,
    offset: usize,
}
impl BufferExport for Strided {
    type Item = f32;
    fn buffer_layout(&self) -> BufferLayout {
        BufferLayout {
            shape: Dims::Owned(self.shape.iter().copied().collect()),
            strides: Dims::Owned(self.strides.iter().copied().collect()),
            offset: self.offset,
        }
    }
    fn buffer_bytes(&self) -> &[u8] {
        zerocopy::IntoBytes::as_bytes(&self.data)
    }
}
#[pyclass]
struct PyStrided {
    inner: ExportCell<Strided>,
}
python_buffer!(PyStrided, |this| &this.inner);

/// A single item: a 0-d buffer.
#[pyclass]
struct Scalar {
    value: ExportCell<f64>,
}
python_buffer!(Scalar, |this| &this.value);

fn strided<'py>(
    py: Python<'py>,
    shape: &[usize],
    strides: &[isize],
    offset: usize,
) -> Bound<'py, PyStrided> {
    let data = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0];
    let inner = Strided {
        data,
        shape: shape.to_vec(),
        strides: strides.to_vec(),
        offset,
    };
    let inner = ExportCell::new_readonly(inner);
    Bound::new(py, PyStrided { inner }).unwrap()
}

/// A buffer obtained with `PyObject_GetBuffer`, released on drop.
struct Got(ffi::Py_buffer);

impl Got {
    fn shape(&self) -> Option<Vec<isize>> {
        self.dims(self.0.shape)
    }
    fn strides(&self) -> Option<Vec<isize>> {
        self.dims(self.0.strides)
    }
    fn dims(&self, p: *mut isize) -> Option<Vec<isize>> {
        // SAFETY: a non-NULL shape or strides array has `ndim` entries (C API), valid until
        // the buffer is released, which happens only when `self` drops.
        (!p.is_null())
            .then(|| unsafe { std::slice::from_raw_parts(p, self.0.ndim as usize) }.to_vec())
    }
    fn format(&self) -> Option<String> {
        // SAFETY: a non-NULL format is a NUL-terminated string valid until release.
        (!self.0.format.is_null()).then(|| {
            unsafe { CStr::from_ptr(self.0.format) }
                .to_str()
                .unwrap()
                .to_owned()
        })
    }
}

impl Drop for Got {
    fn drop(&mut self) {
        // SAFETY: `self.0` was filled by a successful `PyObject_GetBuffer` and is released once;
        // the tests only drop `Got` inside `Python::attach`.
        unsafe { ffi::PyBuffer_Release(&mut self.0) };
    }
}

fn get(obj: &Bound<'_, PyAny>, flags: c_int) -> PyResult<Got> {
    let mut view = std::mem::MaybeUninit::<ffi::Py_buffer>::zeroed();
    // SAFETY: `obj` is a live object (we hold the GIL through `obj`'s lifetime), and `view` is
    // valid for writes of a `Py_buffer`.
    let rc = unsafe { ffi::PyObject_GetBuffer(obj.as_ptr(), view.as_mut_ptr(), flags) };
    if rc == 0 {
        // SAFETY: a successful `PyObject_GetBuffer` initialised the whole struct.
        Ok(Got(unsafe { view.assume_init() }))
    } else {
        Err(PyErr::fetch(obj.py()))
    }
}

fn buffer_error(e: PyErr, py: Python<'_>) -> String {
    assert!(
        e.is_instance_of::<PyBufferError>(py),
        "expected BufferError, got {e}"
    );
    e.value(py).to_string()
}

#[test]
fn full_request_describes_the_layout() {
    Python::attach(|py| {
        let g = Bound::new(
            py,
            Grid {
                cells: ExportCell::new_readonly([[1, 2, 3], [4, 5, 6]]),
            },
        )
        .unwrap();
        let b = get(g.as_any(), ffi::PyBUF_FULL_RO).unwrap();
        assert_eq!(b.format().as_deref(), Some("H"));
        assert_eq!(
            (b.0.itemsize, b.0.len, b.0.ndim, b.0.readonly),
            (2, 12, 2, 1)
        );
        assert_eq!(b.shape(), Some(vec![2, 3]));
        assert_eq!(b.strides(), Some(vec![6, 2]));
        assert!(b.0.suboffsets.is_null());
        assert_eq!(b.0.obj, g.as_ptr());
        // SAFETY: `buf` points at `len` bytes valid until `b` is released.
        let bytes = unsafe { std::slice::from_raw_parts(b.0.buf as *const u8, b.0.len as usize) };
        assert_eq!(
            bytes,
            zerocopy::IntoBytes::as_bytes(&[[1u16, 2, 3], [4, 5, 6]])
        );
    });
}

#[test]
fn without_format_the_consumer_reads_bytes_and_without_nd_there_is_no_shape() {
    Python::attach(|py| {
        let g = Bound::new(
            py,
            Grid {
                cells: ExportCell::new_readonly([[0; 3]; 2]),
            },
        )
        .unwrap();
        let simple = get(g.as_any(), ffi::PyBUF_SIMPLE).unwrap();
        assert_eq!(simple.format(), None);
        assert_eq!((simple.0.ndim, simple.0.len), (1, 12));
        assert_eq!((simple.shape(), simple.strides()), (None, None));

        let nd = get(g.as_any(), ffi::PyBUF_ND).unwrap();
        assert_eq!(nd.format(), None);
        assert_eq!(nd.shape(), Some(vec![2, 3]));
        assert_eq!(nd.strides(), None);
        // Like CPython's exporters, itemsize stays that of the items.
        assert_eq!(nd.0.itemsize, 2);

        let e = get(g.as_any(), ffi::PyBUF_FORMAT).err().unwrap();
        assert_eq!(
            buffer_error(e, py),
            "Grid: cannot cast to unsigned bytes if the format flag is present"
        );
    });
}

#[test]
fn writable_requests_on_read_only_exports_fail() {
    Python::attach(|py| {
        let g = Bound::new(
            py,
            Grid {
                cells: ExportCell::new_readonly([[0; 3]; 2]),
            },
        )
        .unwrap();
        for flags in [
            ffi::PyBUF_WRITABLE,
            ffi::PyBUF_CONTIG,
            ffi::PyBUF_RECORDS,
            ffi::PyBUF_FULL,
        ] {
            let e = get(g.as_any(), flags).err().unwrap();
            assert_eq!(
                buffer_error(e, py),
                "Grid: underlying buffer is not writable"
            );
        }
        // A refused request leaves no export behind.
        assert_eq!(g.borrow().cells.exports(), 0);
        g.borrow_mut().poke(3).unwrap();
    });
}

#[test]
fn contiguity_requests_are_checked() {
    Python::attach(|py| {
        // Fortran order: a 3x2 matrix stored column by column.
        let f = strided(py, &[3, 2], &[4, 12], 0);
        let ok = get(f.as_any(), ffi::PyBUF_F_CONTIGUOUS).unwrap();
        assert_eq!(ok.strides(), Some(vec![4, 12]));
        drop(ok);
        get(f.as_any(), ffi::PyBUF_ANY_CONTIGUOUS).unwrap();
        get(f.as_any(), ffi::PyBUF_RECORDS_RO).unwrap();
        let expect = [
            (
                ffi::PyBUF_C_CONTIGUOUS,
                "PyStrided: underlying buffer is not C-contiguous",
            ),
            (
                ffi::PyBUF_ND,
                "PyStrided: underlying buffer is not C-contiguous",
            ),
            (
                ffi::PyBUF_SIMPLE,
                "PyStrided: underlying buffer is not C-contiguous",
            ),
        ];
        for (flags, msg) in expect {
            assert_eq!(
                buffer_error(get(f.as_any(), flags).err().unwrap(), py),
                msg,
                "flags {flags:#x}"
            );
        }

        // Reversed (negative stride, offset at the last item): only strided requests succeed.
        let r = strided(py, &[6], &[-4], 20);
        let b = get(r.as_any(), ffi::PyBUF_STRIDED_RO).unwrap();
        // SAFETY: `buf` points at the first item, a valid f32 until release.
        assert_eq!(unsafe { *(b.0.buf as *const f32) }, 5.0);
        assert_eq!(b.strides(), Some(vec![-4]));
        drop(b);
        for (flags, msg) in [
            (
                ffi::PyBUF_C_CONTIGUOUS,
                "PyStrided: underlying buffer is not C-contiguous",
            ),
            (
                ffi::PyBUF_F_CONTIGUOUS,
                "PyStrided: underlying buffer is not Fortran contiguous",
            ),
            (
                ffi::PyBUF_ANY_CONTIGUOUS,
                "PyStrided: underlying buffer is not contiguous",
            ),
            (
                ffi::PyBUF_CONTIG_RO,
                "PyStrided: underlying buffer is not C-contiguous",
            ),
        ] {
            assert_eq!(
                buffer_error(get(r.as_any(), flags).err().unwrap(), py),
                msg,
                "flags {flags:#x}"
            );
        }
    });
}

#[test]
fn layouts_outside_the_bytes_are_refused() {
    Python::attach(|py| {
        let cases: [(&[usize], &[isize], usize); 5] = [
            (&[7], &[4], 0),          // one item too many
            (&[6], &[4], 4),          // offset pushes the last item out
            (&[6], &[-4], 16),        // negative stride runs below the start
            (&[2], &[4, 4], 0),       // strides do not match the shape
            (&[usize::MAX], &[0], 0), // shape beyond isize::MAX
        ];
        for (shape, strides, offset) in cases {
            let o = strided(py, shape, strides, offset);
            let msg = buffer_error(get(o.as_any(), ffi::PyBUF_FULL_RO).err().unwrap(), py);
            assert!(msg.starts_with("PyStrided: invalid layout"), "{msg}");
        }
        // Zero items: any strides, the pointer stays at the offset.
        let empty = strided(py, &[0, 3], &[1000, -7], 24);
        let b = get(empty.as_any(), ffi::PyBUF_FULL_RO).unwrap();
        assert_eq!((b.0.len, b.0.ndim), (0, 2));
    });
}

#[test]
fn a_scalar_has_no_shape_or_strides() {
    Python::attach(|py| {
        let s = Bound::new(
            py,
            Scalar {
                value: ExportCell::new_readonly(2.5),
            },
        )
        .unwrap();
        let b = get(s.as_any(), ffi::PyBUF_FULL_RO).unwrap();
        assert_eq!((b.0.ndim, b.0.len, b.0.itemsize), (0, 8, 8));
        assert_eq!(
            (b.shape(), b.strides(), b.format().as_deref()),
            (None, None, Some("d"))
        );
        drop(b);
        let simple = get(s.as_any(), ffi::PyBUF_SIMPLE).unwrap();
        assert_eq!((simple.0.ndim, simple.0.len), (1, 8));
        let m = py
            .eval(
                c"lambda s: (memoryview(s)[()], memoryview(s).ndim)",
                None,
                None,
            )
            .unwrap();
        assert_eq!(
            m.call1((&s,)).unwrap().extract::<(f64, i32)>().unwrap(),
            (2.5, 0)
        );
    });
}

#[test]
fn an_export_refuses_only_exclusive_access_until_its_release() {
    Python::attach(|py| {
        let g = Bound::new(
            py,
            Grid {
                cells: ExportCell::new_readonly([[1, 2, 3], [4, 5, 6]]),
            },
        )
        .unwrap();
        let a = get(g.as_any(), ffi::PyBUF_FULL_RO).unwrap();
        let b = get(g.as_any(), ffi::PyBUF_SIMPLE).unwrap();
        assert_eq!(a.0.buf, b.0.buf);
        assert_eq!(g.borrow().cells.exports(), 2);
        // The object is not borrowed: reading and even `&mut self` methods work...
        assert_eq!(
            g.call_method0("first").unwrap().extract::<u16>().unwrap(),
            1
        );
        assert!(g.try_borrow_mut().is_ok());
        // ...but exclusive access to the exported value waits for the release, with CPython's
        // error.
        let e = g.call_method1("poke", (9,)).unwrap_err();
        assert!(e.is_instance_of::<PyBufferError>(py), "{e}");
        assert_eq!(
            e.value(py).to_string(),
            "Existing exports of data: object cannot be re-sized"
        );
        drop(a);
        assert_eq!(g.borrow().cells.exports(), 1);
        assert!(g.call_method1("poke", (9,)).is_err(), "one export remains");
        drop(b);
        g.call_method1("poke", (9,)).unwrap();
        assert_eq!(g.borrow().first(), 9);
        assert_eq!(g.borrow().cells.exports(), 0);
    });
}

#[test]
fn a_writable_export_leaves_the_object_usable_from_python_and_rust() {
    Python::attach(|py| {
        let r = Bound::new(
            py,
            Rows {
                rows: ExportCell::new(vec![[1, 2, 3, 4], [5, 6, 7, 8]]),
            },
        )
        .unwrap();
        let w = get(r.as_any(), ffi::PyBUF_RECORDS).unwrap();
        assert_eq!(w.0.readonly, 0);
        assert_eq!(w.shape(), Some(vec![2, 4]));
        assert_eq!(w.format().as_deref(), Some("B"));
        let w2 = get(r.as_any(), ffi::PyBUF_CONTIG).unwrap();
        assert_eq!(w.0.buf, w2.0.buf);
        // SAFETY: `buf` is writable for `len` bytes until release; Rust only reaches the rows
        // through views that copy (no reference to them exists).
        unsafe { *(w.0.buf as *mut u8).add(5) = 60 };
        // Rust reads what Python wrote, and writes in place, while the exports live.
        assert_eq!(
            r.call_method1("at", (1, 1))
                .unwrap()
                .extract::<u8>()
                .unwrap(),
            60
        );
        r.call_method1("put", (0, 3, 40)).unwrap();
        // SAFETY: as above, reading.
        assert_eq!(unsafe { *(w2.0.buf as *const u8).add(3) }, 40);
        assert_eq!(
            r.call_method0("len").unwrap().extract::<usize>().unwrap(),
            2
        );
        // Resizing would move the bytes Python holds: refused.
        let e = r.call_method0("push").unwrap_err();
        assert!(e.is_instance_of::<PyBufferError>(py), "{e}");
        drop(w);
        assert!(r.call_method0("push").is_err());
        drop(w2);
        r.call_method0("push").unwrap();
        assert_eq!(
            r.call_method0("len").unwrap().extract::<usize>().unwrap(),
            3
        );
        assert_eq!(
            r.call_method1("at", (1, 1))
                .unwrap()
                .extract::<u8>()
                .unwrap(),
            60
        );
    });
}

#[test]
fn python_consumers_see_the_items() {
    Python::attach(|py| {
        let g = Bound::new(
            py,
            Grid {
                cells: ExportCell::new_readonly([[1, 2, 3], [4, 5, 6]]),
            },
        )
        .unwrap();
        let r = Bound::new(
            py,
            Rows {
                rows: ExportCell::new(vec![[9, 8, 7, 6]]),
            },
        )
        .unwrap();
        let env = PyDict::new(py);
        env.set_item("g", &g).unwrap();
        env.set_item("r", &r).unwrap();
        let check = c"
import hashlib, zlib, gc
m = memoryview(g)
assert m.tolist() == [[1, 2, 3], [4, 5, 6]], m.tolist()
assert (m.format, m.itemsize, m.shape, m.strides, m.readonly) == ('H', 2, (2, 3), (6, 2), True)
assert bytes(g) == m.tobytes()
assert hashlib.sha256(g).digest() == hashlib.sha256(m.tobytes()).digest()
assert zlib.crc32(g) == zlib.crc32(m.tobytes())
w = memoryview(r)
w[0, 1] = 80
assert bytes(r) == bytes([9, 80, 7, 6])
try:
    m[0, 0] = 5
    raise AssertionError('wrote to a read-only export')
except TypeError as e:
    assert 'read-only' in str(e), e
del m, w
gc.collect()
";
        py.run(check, Some(&env), None).unwrap();
        assert_eq!(
            r.borrow()
                .rows
                .view()
                .unwrap()
                .tobytes(buffer_runtime::view::Order::C),
            [9, 80, 7, 6]
        );
        g.borrow_mut().poke(1).unwrap();
    });
}

#[test]
fn deleting_the_object_keeps_a_memoryview_valid() {
    Python::attach(|py| {
        let make = || {
            Py::new(
                py,
                Rows {
                    rows: ExportCell::new(vec![[1, 2, 3, 4]; 3]),
                },
            )
            .unwrap()
        };
        let obj = make();
        let m = py
            .eval(c"memoryview", None, None)
            .unwrap()
            .call1((&obj,))
            .unwrap();
        drop(obj);
        py.run(c"import gc; gc.collect()", None, None).unwrap();
        assert_eq!(
            m.call_method0("tobytes")
                .unwrap()
                .extract::<Vec<u8>>()
                .unwrap(),
            [1, 2, 3, 4].repeat(3)
        );
        m.call_method0("release").unwrap();
    });
}

/// An exporter whose accessor exports the same object again (user code run during an export).
#[pyclass]
struct Reentrant {
    data: ExportCell<Vec<u32>>,
    inner: Option<Py<PyAny>>,
    nested: std::sync::atomic::AtomicBool,
}
python_buffer!(Reentrant, |this| {
    let first = !this.nested.swap(true, std::sync::atomic::Ordering::Relaxed);
    if let (true, Some(inner)) = (first, &this.inner) {
        Python::attach(|py| {
            // A second export of this same object from inside the first one.
            let m = py
                .eval(c"memoryview", None, None)
                .unwrap()
                .call1((inner.bind(py),))
                .unwrap();
            py.eval(c"__import__('builtins')", None, None)
                .unwrap()
                .setattr("_kept_view", m)
                .unwrap();
        });
    }
    &this.data
});

#[test]
fn an_export_started_inside_an_export_is_counted_and_outlives_it() {
    Python::attach(|py| {
        let r = Bound::new(
            py,
            Reentrant {
                data: ExportCell::new_readonly(vec![1, 2, 3]),
                inner: None,
                nested: false.into(),
            },
        )
        .unwrap();
        r.borrow_mut().inner = Some(r.clone().into_any().unbind());
        let outer = get(r.as_any(), ffi::PyBUF_FULL_RO).unwrap();
        assert_eq!(r.borrow().data.exports(), 2);
        let kept = py
            .eval(c"__import__('builtins')._kept_view", None, None)
            .unwrap();
        assert_eq!(
            kept.call_method0("tolist")
                .unwrap()
                .extract::<Vec<u32>>()
                .unwrap(),
            [1, 2, 3]
        );
        // Release the outer one first: the inner view must stay valid.
        drop(outer);
        assert_eq!(
            kept.getattr("shape")
                .unwrap()
                .extract::<(usize,)>()
                .unwrap(),
            (3,)
        );
        assert_eq!(
            kept.call_method0("tolist")
                .unwrap()
                .extract::<Vec<u32>>()
                .unwrap(),
            [1, 2, 3]
        );
        kept.call_method0("release").unwrap();
        py.run(c"del __import__('builtins')._kept_view", None, None)
            .unwrap();
        assert_eq!(r.borrow().data.exports(), 0);
        r.borrow_mut().inner = None;
    });
}

#[pyclass]
struct SelfExporting {
    data: ExportCell<[u8; 4]>,
}
python_buffer! {
    #[pymethods]
    impl SelfExporting {
        /// Asks Python for a buffer of `self` while `&mut self` is borrowed.
        fn export_while_borrowed(slf: &Bound<'_, Self>) -> PyResult<()> {
            let mut this = slf.borrow_mut();
            this.data.try_mut()?[0] = 1;
            let r = slf.py().eval(c"memoryview", None, None)?.call1((slf,)).map(drop);
            drop(this);
            r
        }
    }
    export |this| &this.data;
}

#[test]
fn an_export_while_rust_holds_a_mutable_borrow_is_a_buffer_error() {
    Python::attach(|py| {
        let s = Bound::new(
            py,
            SelfExporting {
                data: ExportCell::new([0; 4]),
            },
        )
        .unwrap();
        let e = s.call_method0("export_while_borrowed").unwrap_err();
        assert!(e.is_instance_of::<PyBufferError>(py), "{e}");
        assert_eq!(
            e.value(py).to_string(),
            "SelfExporting: cannot export while a Rust method holds `&mut self` (Already mutably borrowed)"
        );
        assert_eq!(s.borrow().data.exports(), 0);
    });
}
