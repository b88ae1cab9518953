//! Python buffers viewed from Rust in an embedded CPython: builtins, `_testbuffer` arrays
//! (strided, reversed), ctypes structures, typed views with their format check, and release on
//! drop. Only the standard library is used: the embedded interpreter is whichever libpython the
//! test binary links, which may not have numpy (the pytest suite covers numpy).
#![cfg(feature = "pyo3")]

use buffer_runtime::format::Value;
use buffer_runtime::python::PythonBuffer;
use buffer_runtime::view::Order;
use buffer_runtime::BufferExport;
use pyo3::exceptions::{PyBufferError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

fn eval<'py>(py: Python<'py>, code: &str) -> Bound<'py, PyAny> {
    let env = PyDict::new(py);
    py.run(
        &std::ffi::CString::new(format!(
            "import array, ctypes, _testbuffer\nresult = {code}"
        ))
        .unwrap(),
        Some(&env),
        None,
    )
    .unwrap();
    env.get_item("result").unwrap().unwrap()
}

fn ints(v: &[i64]) -> Value {
    Value::Array(v.iter().map(|&n| Value::Int(n)).collect())
}

#[test]
fn builtin_buffers() {
    Python::attach(|py| {
        let b = eval(py, "b'\\x01\\x02\\x03'");
        let buf = PythonBuffer::get(&b).unwrap();
        assert!(buf.readonly());
        assert_eq!(buf.view().unwrap().tobytes(Order::C), [1, 2, 3]);
        assert!(buf.obj().unwrap().is(&b));

        let a = eval(py, "array.array('q', [5, -6, 7])");
        let buf = PythonBuffer::get(&a).unwrap();
        assert_eq!(buf.view().unwrap().tolist().unwrap(), ints(&[5, -6, 7]));
        assert_eq!(
            buf.typed_view::<i64>().unwrap().iter().collect::<Vec<_>>(),
            [5, -6, 7]
        );
    });
}

#[test]
fn strided_and_reversed() {
    Python::attach(|py| {
        let a = eval(
            py,
            "_testbuffer.ndarray(list(range(24)), shape=[4, 6], format='h')[::-2, 1::2]",
        );
        let buf = PythonBuffer::get(&a).unwrap();
        assert_eq!(buf.shape(), &[2, 3]);
        assert_eq!(buf.byte_strides(), &[-24, 4]);
        let view = buf.view().unwrap();
        assert!(!view.c_contiguous() && !view.f_contiguous());
        let got: Vec<i16> = view.iter_as::<i16>().unwrap().collect();
        assert_eq!(got, [19, 21, 23, 7, 9, 11]);
        assert_eq!(
            view.tolist().unwrap(),
            Value::Array(vec![ints(&[19, 21, 23]), ints(&[7, 9, 11])])
        );
        // Rust's view goes further than memoryview: a column of the strided array.
        let col = view.sub(&buffer_runtime::index![.., 2]).unwrap();
        assert_eq!(col.iter_as::<i16>().unwrap().collect::<Vec<_>>(), [23, 11]);
    });
}

#[derive(
    buffer_runtime::BufferExport,
    IntoBytes,
    FromBytes,
    Immutable,
    KnownLayout,
    Clone,
    Copy,
    Debug,
    PartialEq,
)]
#[repr(C)]
struct Sample {
    t: f64,
    v: f32,
    n: i32,
}

#[test]
fn typed_view_of_a_structured_array() {
    Python::attach(|py| {
        let a = eval(
            py,
            "(type('S', (ctypes.Structure,), {'_fields_': [('t', ctypes.c_double), ('v', ctypes.c_float), ('n', ctypes.c_int)]}) * 2)((0.5, 1.5, 3), (1.0, -2.0, 4))",
        );
        let buf = PythonBuffer::get(&a).unwrap();
        let view = buf.typed_view::<Sample>().unwrap();
        let rows: Vec<Sample> = view.iter().collect();
        assert_eq!(
            rows,
            [
                Sample {
                    t: 0.5,
                    v: 1.5,
                    n: 3
                },
                Sample {
                    t: 1.0,
                    v: -2.0,
                    n: 4
                }
            ]
        );
        // A field of the struct view, as numpy's a['v'].
        assert_eq!(
            view.as_untyped()
                .field("v")
                .unwrap()
                .iter_as::<f32>()
                .unwrap()
                .collect::<Vec<_>>(),
            [1.5, -2.0]
        );

        let bad = eval(
            py,
            "(type('S', (ctypes.Structure,), {'_fields_': [('t', ctypes.c_double), ('v', ctypes.c_double)]}) * 2)()",
        );
        let buf = PythonBuffer::get(&bad).unwrap();
        let e = buf.typed_view::<Sample>().unwrap_err();
        assert!(e.is_instance_of::<PyValueError>(py));
        // ctypes spells the byte order of every field; so does the derive.
        let o = if cfg!(target_endian = "little") {
            "<"
        } else {
            ">"
        };
        assert_eq!(
            e.value(py).to_string(),
            format!("Buffer dtype mismatch, expected '{o}f' but got '{o}d' at offset 8")
        );
    });
}

#[test]
fn writable_views_write_python_memory() {
    Python::attach(|py| {
        let a = eval(py, "array.array('f', [0.0] * 12)");
        let m = eval(
            py,
            "memoryview(array.array('f', [0.0] * 12)).cast('B').cast('f', (3, 4))",
        );
        {
            let mut buf = PythonBuffer::get_mut(&m).unwrap();
            let mut view = buf.typed_view_mut::<f32>().unwrap();
            view.set(&[2, 3], 9.5).unwrap();
        }
        assert_eq!(m.get_item((2, 3)).unwrap().extract::<f32>().unwrap(), 9.5);
        {
            let mut buf = PythonBuffer::get_mut(&a).unwrap();
            buf.view_mut()
                .unwrap()
                .fill_bytes(&2.0f32.to_ne_bytes())
                .unwrap();
        }
        assert_eq!(
            a.call_method0("tolist")
                .unwrap()
                .extract::<Vec<f32>>()
                .unwrap(),
            [2.0; 12]
        );

        let frozen = eval(py, "memoryview(b'abcd')");
        let mut buf = PythonBuffer::get(&frozen).unwrap();
        let e = buf.view_mut().unwrap_err();
        assert!(e.is_instance_of::<PyTypeError>(py));
        assert_eq!(e.value(py).to_string(), "cannot modify read-only memory");
    });
}

#[test]
fn the_buffer_is_released_on_drop() {
    Python::attach(|py| {
        let ba = eval(py, "bytearray(b'abc')");
        let buf = PythonBuffer::get(&ba).unwrap();
        let view = buf.view().unwrap();
        assert_eq!(view.nbytes(), 3);
        // bytearray refuses to resize while exported.
        let e = ba.call_method1("extend", (b"de".as_slice(),)).unwrap_err();
        assert!(e.is_instance_of::<PyBufferError>(py), "{e}");
        drop(view);
        drop(buf);
        ba.call_method1("extend", (b"de".as_slice(),)).unwrap();
        assert_eq!(ba.extract::<Vec<u8>>().unwrap(), b"abcde");
    });
}

#[test]
fn not_a_buffer_and_suboffsets() {
    Python::attach(|py| {
        let e = PythonBuffer::get(&eval(py, "[1, 2]")).unwrap_err();
        assert!(e.is_instance_of::<PyTypeError>(py), "{e}");
        // A PIL-style buffer needs suboffsets: without PyBUF_INDIRECT the exporter refuses.
        let pil = eval(
            py,
            "_testbuffer.ndarray([1, 2, 3, 4], shape=[2, 2], format='i', flags=_testbuffer.ND_PIL)",
        );
        let e = PythonBuffer::get(&pil).unwrap_err();
        assert!(e.is_instance_of::<PyBufferError>(py), "{e}");
        let e = PythonBuffer::request(&pil, pyo3::ffi::PyBUF_FULL_RO).unwrap_err();
        assert_eq!(
            e.value(py).to_string(),
            "buffers with suboffsets are not supported"
        );
    });
}

#[test]
fn round_trip_rust_export_python_import() {
    #[pyclass]
    struct Samples {
        rows: buffer_runtime::python::ExportCell<Vec<Sample>>,
    }
    buffer_runtime::python_buffer!(Samples, |this| &this.rows);

    Python::attach(|py| {
        let rows = vec![
            Sample {
                t: 1.0,
                v: 2.0,
                n: 3
            };
            4
        ];
        let expect_bytes = rows.buffer_bytes().to_vec();
        let expect_ptr = rows.as_ptr().cast::<u8>();
        let rows = buffer_runtime::python::ExportCell::new_readonly(rows);
        let obj = Bound::new(py, Samples { rows }).unwrap();
        let buf = PythonBuffer::get(obj.as_any()).unwrap();
        assert_eq!(buf.format(), <Sample as buffer_runtime::Element>::FORMAT);
        let typed = buf.typed_view::<Sample>().unwrap();
        let view = typed.as_untyped();
        assert_eq!(view.tobytes(Order::C), expect_bytes);
        // No copy: the view reads the Rust `Vec` itself.
        assert_eq!(typed.iter().len(), 4);
        assert_eq!(
            view.underlying_ptr().wrapping_add(view.offset()),
            expect_ptr
        );
        assert_eq!(obj.borrow().rows.exports(), 1);
        drop(typed);
        drop(buf);
        assert_eq!(obj.borrow().rows.exports(), 0);
    });
}

/// The case a `&[u8]` over Python memory made undefined: Rust holds a view, calls into Python,
/// Python writes the buffer, Rust reads again. The shared view sees the new values.
#[test]
fn a_view_held_across_a_python_callback_reads_what_python_wrote() {
    Python::attach(|py| {
        let a = eval(py, "array.array('d', [1.0, 2.0, 3.0])");
        let write = eval(
            py,
            "lambda a: a.__setitem__(slice(None), array.array('d', [10.0, 20.0, 30.0]))",
        );
        let buf = PythonBuffer::get(&a).unwrap();
        let view = buf.typed_view::<f64>().unwrap();
        let strided = view
            .as_untyped()
            .slice(buffer_runtime::view::Slice::FULL.step_by(-2))
            .unwrap();
        assert_eq!(view.iter().sum::<f64>(), 6.0);
        assert_eq!(
            strided.tolist().unwrap(),
            Value::Array(vec![Value::Float(3.0), Value::Float(1.0)])
        );
        write.call1((&a,)).unwrap(); // same length: allowed while exported
        assert_eq!(view.iter().sum::<f64>(), 60.0);
        assert_eq!(view.get(&[1]).unwrap(), 20.0);
        assert_eq!(
            strided.tolist().unwrap(),
            Value::Array(vec![Value::Float(30.0), Value::Float(10.0)])
        );
        assert_eq!(
            buf.to_vec(),
            [10.0f64, 20.0, 30.0].map(f64::to_ne_bytes).concat()
        );
    });
}

/// Another Python thread writes the buffer while Rust holds a view (the GIL released in
/// between, as numpy's loops release it): the view reads the new values.
#[test]
fn a_view_reads_what_another_thread_wrote() {
    Python::attach(|py| {
        let env = PyDict::new(py);
        py.run(
            c"import array, threading
a = array.array('i', [1, 2, 3, 4])
go = threading.Event()
def work():
    go.wait()
    a[0] = 100
    a[3] = -4
t = threading.Thread(target=work)
t.start()",
            Some(&env),
            None,
        )
        .unwrap();
        let get = |k: &str| env.get_item(k).unwrap().unwrap();
        let a = get("a");
        let mut buf = PythonBuffer::get_mut(&a).unwrap();
        let mut view = buf.view_mut().unwrap();
        view.set_as::<i32>(&[1], 20).unwrap();
        assert_eq!(
            view.iter_as::<i32>().unwrap().collect::<Vec<_>>(),
            [1, 20, 3, 4]
        );
        get("go").call_method0("set").unwrap();
        get("t").call_method0("join").unwrap(); // waits with the GIL released
        assert_eq!(
            view.iter_as::<i32>().unwrap().collect::<Vec<_>>(),
            [100, 20, 3, -4]
        );
        assert_eq!(
            view.tobytes(Order::C),
            [100i32, 20, 3, -4].map(i32::to_ne_bytes).concat()
        );
        drop(buf);
        assert_eq!(
            a.call_method0("tolist")
                .unwrap()
                .extract::<Vec<i32>>()
                .unwrap(),
            [100, 20, 3, -4]
        );
    });
}

/// Two buffers of one object, one read and one written from Rust at once: neither is a
/// reference, so each sees the other's writes.
#[test]
fn two_buffers_of_one_object_see_each_others_writes() {
    Python::attach(|py| {
        let ba = eval(py, "bytearray(b'abcd')");
        let reader = PythonBuffer::get(&ba).unwrap();
        let mut writer = PythonBuffer::get_mut(&ba).unwrap();
        let seen = reader.view().unwrap();
        let mut w = writer.view_mut().unwrap();
        w.set_as::<u8>(&[0], b'X').unwrap();
        assert_eq!(seen.tobytes(Order::C), b"Xbcd");
        // Copying a view into an overlapping view of the same memory: through a buffer.
        w.slice_mut(buffer_runtime::view::Slice::from(1..))
            .unwrap()
            .copy_from(&seen.slice(buffer_runtime::view::Slice::from(..3)).unwrap())
            .unwrap();
        assert_eq!(seen.tobytes(Order::C), b"XXbc");
    });
}

/// The `unsafe` slices, used as their contract allows: an immutable `bytes` object, and a
/// bytearray nobody else touches while the slice lives.
#[test]
fn unsafe_slices_under_their_contract() {
    Python::attach(|py| {
        let b = eval(py, "b'xyz'");
        let buf = PythonBuffer::get(&b).unwrap();
        // SAFETY: `bytes` objects are immutable.
        assert_eq!(unsafe { buf.bytes() }, b"xyz");
        let ba = eval(py, "bytearray(b'xyz')");
        let mut buf = PythonBuffer::get_mut(&ba).unwrap();
        // SAFETY: no Python code runs while the slice lives, and no other buffer of `ba` exists.
        unsafe { buf.bytes_mut() }.unwrap()[2] = b'!';
        assert_eq!(buf.to_vec(), b"xy!");
        let mut ro = PythonBuffer::get(&b).unwrap();
        // SAFETY: not used: a read-only buffer gives no slice.
        assert!(unsafe { ro.bytes_mut() }.is_none());
    });
}

/// `PythonBuffer::typed_view` is a typed view of the shared storage: checked once (Cython's
/// messages as `ValueError`), then indexed, iterated and written without another check, on
/// strided and reversed buffers and with the last dimensions read as arrays.
#[test]
fn typed_views_of_python_buffers() {
    Python::attach(|py| {
        let a = eval(
            py,
            "_testbuffer.ndarray(list(range(24)), shape=[4, 6], format='h')[::-2, 1::2]",
        );
        let buf = PythonBuffer::get(&a).unwrap();
        let typed = buf.typed_view::<i16>().unwrap();
        assert_eq!(typed.shape(), &[2, 3]);
        assert_eq!(typed.len(), 6);
        assert_eq!(
            typed.iter().collect::<Vec<_>>(),
            buf.view()
                .unwrap()
                .iter_as::<i16>()
                .unwrap()
                .collect::<Vec<_>>()
        );
        assert_eq!(typed.get(&[1, -1]).unwrap(), 11);
        let e = typed.get(&[2, 0]).unwrap_err();
        assert_eq!(e.to_string(), "index out of bounds on dimension 1");
        // The rows are strided (`1::2`): not readable as one `[i16; 3]` value.
        let e = buf.typed_view::<[i16; 3]>().unwrap_err();
        assert!(e.is_instance_of::<PyBufferError>(py));
        // The same error as the untyped check, as a `ValueError`.
        let e = buf.typed_view::<u16>().unwrap_err();
        assert!(e.is_instance_of::<PyValueError>(py));
        assert_eq!(
            e.value(py).to_string(),
            buf.view()
                .unwrap()
                .check_type::<u16>()
                .unwrap_err()
                .to_string()
        );

        // Rows of a C-contiguous buffer as arrays, written in place.
        let m = eval(py, "memoryview(bytearray(24)).cast('i', (2, 3))");
        {
            let mut buf = PythonBuffer::get_mut(&m).unwrap();
            let mut rows = buf.typed_view_mut::<[i32; 3]>().unwrap();
            assert_eq!(rows.shape(), &[2]);
            rows.set(&[1], [4, 5, 6]).unwrap();
            rows.for_each_mut(|row| row[0] += 1);
            assert_eq!(rows.view().get(&[0]).unwrap(), [1, 0, 0]);
        }
        assert_eq!(
            m.call_method0("tolist")
                .unwrap()
                .extract::<Vec<Vec<i32>>>()
                .unwrap(),
            [[1, 0, 0], [5, 5, 6]]
        );

        // Read-only memory: `typed_view_mut` refuses first, as `view_mut` does.
        let frozen = eval(py, "memoryview(b'abcd')");
        let mut buf = PythonBuffer::get(&frozen).unwrap();
        let e = buf.typed_view_mut::<u8>().unwrap_err();
        assert!(e.is_instance_of::<PyTypeError>(py));
        assert_eq!(e.value(py).to_string(), "cannot modify read-only memory");
    });
}
