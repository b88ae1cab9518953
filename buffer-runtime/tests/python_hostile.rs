//! Hostile Python buffers imported from Rust in an embedded CPython: buffers of Python
//! object references are never writable from Rust, whichever flags the request used.
//! The pytest suite (tests/python/test_hostile.py) covers the same through the example
//! module, with numpy's `dtype=object` arrays.
#![cfg(feature = "pyo3")]

use buffer_runtime::python::PythonBuffer;
use buffer_runtime::view::SharedViewMut;
use pyo3::exceptions::PyTypeError;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::PyDict;

fn eval<'py>(py: Python<'py>, code: &str) -> Bound<'py, PyAny> {
    let env = PyDict::new(py);
    let src = format!("import array, ctypes, _testbuffer\nresult = {code}");
    py.run(&std::ffi::CString::new(src).unwrap(), Some(&env), None)
        .unwrap();
    env.get_item("result").unwrap().unwrap()
}

/// Every request that can give a writable buffer: with and without the format, shape, strides.
const WRITABLE_REQUESTS: [i32; 6] = [
    ffi::PyBUF_WRITABLE,
    ffi::PyBUF_CONTIG,
    ffi::PyBUF_STRIDED,
    ffi::PyBUF_RECORDS,
    ffi::PyBUF_FULL,
    ffi::PyBUF_WRITABLE | ffi::PyBUF_ND | ffi::PyBUF_FORMAT,
];

#[test]
fn object_references_are_never_writable_from_rust() {
    Python::attach(|py| {
        // ctypes arrays of `py_object` export writable buffers with format `O` (a structure
        // with an object field, `T{...O...}`), whatever flags are asked for.
        let cases = [
            "(ctypes.py_object * 3)(1, 'two', None)",
            "type('S', (ctypes.Structure,), {'_fields_': [('n', ctypes.c_int), ('o', ctypes.py_object)]})(5, 'x')",
        ];
        for code in cases {
            let obj = eval(py, code);
            for flags in WRITABLE_REQUESTS {
                let mut buf = PythonBuffer::request(&obj, flags).unwrap();
                assert!(!buf.readonly(), "{code} {flags:#x}");
                assert!(buf.shared_bytes_mut().is_none(), "{code} {flags:#x}");
                // SAFETY: `None` is checked, no slice is made.
                assert!(unsafe { buf.bytes_mut() }.is_none(), "{code} {flags:#x}");
                let e = buf.view_mut().unwrap_err();
                assert!(e.is_instance_of::<PyTypeError>(py), "{e}");
                assert!(e.to_string().contains("Python object references"), "{e}");
                // Reading stays allowed: the references' addresses, never dereferenced.
                assert!(!buf.shared_bytes().is_empty());
                assert!(!buf.to_vec().is_empty());
            }
        }
    });
}

#[test]
fn plain_writable_buffers_stay_writable_with_every_request() {
    Python::attach(|py| {
        // Field names may contain an `O` ("Open"), which is not an object code.
        let cases = [
            "bytearray(b'abcd')",
            "array.array('i', [1, 2])",
            "type('S', (ctypes.Structure,), {'_fields_': [('Open', ctypes.c_double), ('Other', ctypes.c_double)]})()",
        ];
        for code in cases {
            let obj = eval(py, code);
            for flags in WRITABLE_REQUESTS {
                let mut buf = PythonBuffer::request(&obj, flags).unwrap();
                let bytes = buf
                    .shared_bytes_mut()
                    .unwrap_or_else(|| panic!("{code} {flags:#x}"));
                let mut bytes = SharedViewMut::from_data_bytes(bytes);
                let b0 = bytes.get_as::<u8>(&[0]).unwrap();
                bytes.set_as::<u8>(&[0], b0 ^ 0xff).unwrap();
                bytes.set_as::<u8>(&[0], b0).unwrap();
                buf.view_mut().unwrap();
            }
        }
    });
}
