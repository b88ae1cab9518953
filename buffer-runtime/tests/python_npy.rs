//! `.npy` files both ways with numpy, in an embedded CPython: numpy's `np.load(...,
//! mmap_mode='r')` opens what we write (the same dtype, shape, order and values), and we open
//! what numpy writes (`np.save`, `np.lib.format.write_array` with each version), typed and
//! untyped, read and memory-mapped. numpy is required: these tests fail without it.
#![cfg(all(feature = "pyo3", feature = "npy", feature = "memmap2"))]

use std::path::{Path, PathBuf};

use buffer_runtime::format::Value;
use buffer_runtime::npy::{self, NpyError, NpyFile};
use buffer_runtime::view::{MemoryView, Order};
use buffer_runtime::BufferExport;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use zerocopy::byteorder::{BigEndian, U32};

#[buffer_runtime::export]
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
struct Tick {
    ts: u64,
    price: f64,
    qty: u32,
    #[buffer(padding)]
    _pad: [u8; 4],
}

#[buffer_runtime::export]
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
struct Point {
    x: f32,
    y: f32,
}

#[buffer_runtime::export]
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
struct Shape {
    tag: u8,
    #[buffer(padding)]
    _pad: [u8; 3],
    corners: [Point; 2],
    m: [[i16; 3]; 2],
    be: U32<BigEndian>,
}

/// numpy's `align=True` layout of `[('a', 'u1'), ('b', '<i4')]`: 3 padding bytes after `a`.
#[buffer_runtime::export]
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
struct Aligned {
    a: u8,
    #[buffer(padding)]
    _pad: [u8; 3],
    b: i32,
}

fn tmp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("br-npy-{}-{name}.npy", std::process::id()))
}

/// The directory holding the numpy of `python3` (the interpreter `scripts/test` installs
/// `requirements-test.txt` into): the embedded libpython may be another installation of the
/// same version, without numpy on its path (as `scripts/bench` does for the import bench).
fn numpy_site() -> &'static str {
    static SITE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SITE.get_or_init(|| {
        let out = std::process::Command::new("python3")
            .args([
                "-c",
                "import numpy, os; print(os.path.dirname(os.path.dirname(numpy.__file__)))",
            ])
            .output()
            .expect("python3 runs");
        assert!(
            out.status.success(),
            "these tests need numpy in python3 (pip install -r requirements-test.txt): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    })
}

/// Runs `code` with `path` bound (as a str) and numpy as `np`; returns its globals.
fn run<'py>(py: Python<'py>, path: &Path, code: &str) -> Bound<'py, PyDict> {
    let env = PyDict::new(py);
    env.set_item("path", path.to_str().unwrap()).unwrap();
    env.set_item("site", numpy_site()).unwrap();
    let code = format!(
        "import sys\nif site not in sys.path: sys.path.append(site)\nimport numpy as np\n{code}"
    );
    if let Err(e) = py.run(&std::ffi::CString::new(code).unwrap(), Some(&env), None) {
        panic!("python failed: {e}");
    }
    env
}

fn get<'py, T: for<'a> FromPyObject<'a, 'py>>(env: &Bound<'py, PyDict>, key: &str) -> T
where
    for<'a> <T as FromPyObject<'a, 'py>>::Error: std::fmt::Debug,
{
    env.get_item(key).unwrap().unwrap().extract::<T>().unwrap()
}

/// Maps the file at `path` and opens it.
fn map(path: &Path) -> NpyFile<memmap2::Mmap> {
    let file = std::fs::File::open(path).unwrap();
    // SAFETY: each test writes its own file (named by test and process) and nothing changes
    // it while it is mapped.
    let map = unsafe { memmap2::Mmap::map(&file) }.unwrap();
    NpyFile::from_bytes(map).unwrap()
}

#[test]
fn numpy_opens_what_we_write() {
    let ticks: Vec<Tick> = (0..5)
        .map(|i| Tick {
            ts: i,
            price: i as f64 * 0.5,
            qty: 10 * i as u32,
            _pad: [0; 4],
        })
        .collect();
    let p = tmp("ticks");
    npy::save(&p, &ticks).unwrap();
    Python::attach(|py| {
        let env = run(
            py,
            &p,
            "a = np.load(path, mmap_mode='r')\n\
             is_memmap = isinstance(a, np.memmap)\n\
             names = list(a.dtype.names)\n\
             offsets = [a.dtype.fields[n][1] for n in names]\n\
             itemsize = a.dtype.itemsize\n\
             shape = a.shape\n\
             qty = a['qty'].tolist()\n\
             price = a['price'].tolist()\n\
             ts = a['ts'].tolist()\n\
             dtypes = [a.dtype.fields[n][0].str for n in names]\n\
             del a",
        );
        assert!(get::<bool>(&env, "is_memmap"));
        assert_eq!(get::<Vec<String>>(&env, "names"), ["ts", "price", "qty"]);
        assert_eq!(get::<Vec<usize>>(&env, "offsets"), [0, 8, 16]);
        assert_eq!(get::<usize>(&env, "itemsize"), 24);
        assert_eq!(get::<Vec<usize>>(&env, "shape"), [5]);
        assert_eq!(get::<Vec<u32>>(&env, "qty"), [0, 10, 20, 30, 40]);
        assert_eq!(get::<Vec<f64>>(&env, "price"), [0.0, 0.5, 1.0, 1.5, 2.0]);
        assert_eq!(get::<Vec<u64>>(&env, "ts"), [0, 1, 2, 3, 4]);
        let o = if cfg!(target_endian = "little") {
            "<"
        } else {
            ">"
        };
        assert_eq!(
            get::<Vec<String>>(&env, "dtypes"),
            [format!("{o}u8"), format!("{o}f8"), format!("{o}u4")]
        );
    });
    std::fs::remove_file(&p).unwrap();
}

#[test]
fn numpy_opens_nested_subarrays_big_endian_fortran_0d_empty() {
    let shapes = vec![
        Shape {
            tag: 7,
            _pad: [0; 3],
            corners: [Point { x: 1.0, y: 2.0 }, Point { x: 3.0, y: 4.0 }],
            m: [[1, 2, 3], [4, 5, -6]],
            be: U32::new(0xdead_beef),
        };
        2
    ];
    let nested = tmp("nested");
    npy::save(&nested, &shapes).unwrap();

    let grid = [[1i16, 2, 3], [4, 5, 6]];
    let fortran = tmp("fortran");
    let mut out = Vec::new();
    npy::write_view(&mut out, &MemoryView::new(&grid).unwrap().t()).unwrap();
    std::fs::write(&fortran, &out).unwrap();

    let scalar = tmp("scalar");
    npy::save(&scalar, &2.5f64).unwrap();
    let empty = tmp("empty");
    npy::save(&empty, &Vec::<[u16; 3]>::new()).unwrap();

    Python::attach(|py| {
        let env = run(
            py,
            &nested,
            "a = np.load(path, mmap_mode='r')\n\
             descr = str(np.lib.format.dtype_to_descr(a.dtype))\n\
             itemsize = a.dtype.itemsize\n\
             tag = int(a['tag'][1])\n\
             y = float(a['corners'][0, 1]['y'])\n\
             m = a['m'][1].tolist()\n\
             be = int(a['be'][0])\n\
             be_order = a.dtype.fields['be'][0].byteorder\n\
             del a",
        );
        let o = if cfg!(target_endian = "little") {
            "<"
        } else {
            ">"
        };
        assert_eq!(
            get::<String>(&env, "descr"),
            format!(
                "[('tag', '|u1'), ('', '|V3'), ('corners', [('x', '{o}f4'), ('y', '{o}f4')], \
                 (2,)), ('m', '{o}i2', (2, 3)), ('be', '>u4')]"
            )
        );
        assert_eq!(get::<usize>(&env, "itemsize"), 36);
        assert_eq!(get::<u8>(&env, "tag"), 7);
        assert_eq!(get::<f64>(&env, "y"), 4.0);
        assert_eq!(get::<Vec<Vec<i16>>>(&env, "m"), [[1, 2, 3], [4, 5, -6]]);
        assert_eq!(get::<u32>(&env, "be"), 0xdead_beef);
        assert_eq!(get::<String>(&env, "be_order"), ">");

        let env = run(
            py,
            &fortran,
            "a = np.load(path, mmap_mode='r')\n\
             f = bool(a.flags.f_contiguous and not a.flags.c_contiguous)\n\
             rows = a.tolist()\n\
             del a",
        );
        assert!(get::<bool>(&env, "f"));
        assert_eq!(get::<Vec<Vec<i16>>>(&env, "rows"), [[1, 4], [2, 5], [3, 6]]);

        let env = run(py, &scalar, "a = np.load(path)\nv = (a.shape, float(a))");
        assert_eq!(get::<(Vec<usize>, f64)>(&env, "v"), (vec![], 2.5));
        let env = run(
            py,
            &empty,
            "a = np.load(path, mmap_mode='r')\nv = (a.shape, a.dtype.str)\ndel a",
        );
        let o = if cfg!(target_endian = "little") {
            "<"
        } else {
            ">"
        };
        assert_eq!(
            get::<(Vec<usize>, String)>(&env, "v"),
            (vec![0, 3], format!("{o}u2"))
        );
    });
    for p in [nested, fortran, scalar, empty] {
        std::fs::remove_file(p).unwrap();
    }
}

#[test]
fn header_versions_two_and_three() {
    // A non-latin-1 field name: version 3.0 (UTF-8 header).
    let raw = [1u8, 0, 0, 0, 2, 0, 0, 0];
    let greek = MemoryView::from_parts(&raw, "T{<i:λ:}", &[2], None, 0).unwrap();
    let v3 = tmp("v3");
    let mut out = Vec::new();
    npy::write_view(&mut out, &greek).unwrap();
    assert_eq!(&out[6..8], &[3, 0]);
    std::fs::write(&v3, &out).unwrap();

    // 3000 fields: a header over 65535 bytes, version 2.0.
    let n = 3000;
    let format: String = std::iter::once("T{".to_string())
        .chain((0..n).map(|i| format!("<H:field_{i:05}:")))
        .chain(std::iter::once("}".to_string()))
        .collect();
    let bytes: Vec<u8> = (0..n as u16).flat_map(|i| i.to_le_bytes()).collect();
    let wide = MemoryView::from_parts(&bytes, &format, &[], None, 0).unwrap();
    let v2 = tmp("v2");
    let mut out = Vec::new();
    npy::write_view(&mut out, &wide).unwrap();
    assert_eq!(&out[6..8], &[2, 0]);
    let header_len = u32::from_le_bytes(out[8..12].try_into().unwrap()) as usize;
    assert!(header_len > 65535 && (12 + header_len) % 64 == 0);
    std::fs::write(&v2, &out).unwrap();

    Python::attach(|py| {
        let env = run(
            py,
            &v3,
            "a = np.load(path, mmap_mode='r')\nv = (a.dtype.names[0], a['λ'].tolist())\n\
             version = np.lib.format.read_magic(open(path, 'rb'))\ndel a",
        );
        assert_eq!(
            get::<(String, Vec<i32>)>(&env, "v"),
            ("λ".into(), vec![1, 2])
        );
        assert_eq!(get::<(u8, u8)>(&env, "version"), (3, 0));
        let env = run(
            py,
            &v2,
            "a = np.load(path, mmap_mode='r', max_header_size=10**6)\n\
             v = (len(a.dtype.names), int(a['field_02999']), int(a['field_00007']))\n\
             version = np.lib.format.read_magic(open(path, 'rb'))\ndel a",
        );
        assert_eq!(get::<(usize, u16, u16)>(&env, "v"), (3000, 2999, 7));
        assert_eq!(get::<(u8, u8)>(&env, "version"), (2, 0));
    });
    // And we read both back.
    let back = map(&v3);
    assert_eq!(back.format(), "T{<i:λ:}");
    let back = map(&v2);
    assert_eq!(back.view().unwrap().tobytes(Order::C), bytes);
    std::fs::remove_file(v3).unwrap();
    std::fs::remove_file(v2).unwrap();
}

#[test]
fn we_open_what_numpy_writes_typed() {
    let p = tmp("aligned");
    Python::attach(|py| {
        run(
            py,
            &p,
            "dt = np.dtype([('a', 'u1'), ('b', '<i4')], align=True)\n\
             a = np.zeros(4, dtype=dt)\n\
             a['a'] = [1, 2, 3, 4]\n\
             a['b'] = [-1, 20, -300, 4000]\n\
             np.save(path, a)",
        );
    });
    if cfg!(target_endian = "little") {
        let npy = map(&p);
        assert_eq!(npy.format(), "T{=B:a:3x<i:b:}");
        let recs = npy.as_slice::<Aligned>().unwrap(); // no copy, from the mapping
        assert_eq!(
            recs.iter().map(|r| (r.a, r.b)).collect::<Vec<_>>(),
            [(1, -1), (2, 20), (3, -300), (4, 4000)]
        );
        // A type with other names, or another layout, is refused with what differs.
        assert!(matches!(npy.typed_view::<Point>(), Err(NpyError::View(_))));
        let read = NpyFile::open(&p).unwrap();
        assert_eq!(read.as_slice::<Aligned>().unwrap(), recs);
    }
    std::fs::remove_file(p).unwrap();

    // The ticks numpy writes are the ticks we derive.
    let p = tmp("ticks-np");
    Python::attach(|py| {
        run(
            py,
            &p,
            // Trailing padding as numpy makes it: an itemsize beyond the last field (a named
            // `('', 'V4')` field would be renamed `f3` by numpy, and is data, not padding).
            "dt = np.dtype({'names': ['ts', 'price', 'qty'], 'formats': ['=u8', '=f8', '=u4'], \
             'offsets': [0, 8, 16], 'itemsize': 24})\n\
             a = np.zeros(3, dtype=dt)\n\
             a['ts'] = [1, 2, 3]\n\
             a['qty'] = [5, 6, 7]\n\
             np.save(path, a)",
        );
    });
    let npy = map(&p);
    let view = npy.typed_view::<Tick>().unwrap();
    assert_eq!(view.iter().map(|t| t.qty).collect::<Vec<_>>(), [5, 6, 7]);
    std::fs::remove_file(p).unwrap();
}

/// Every kind of array numpy writes, opened untyped: our view's bytes in C order equal
/// numpy's `tobytes()`, and its shape numpy's.
#[test]
fn we_open_what_numpy_writes_untyped() {
    let cases = [
        (
            "fortran",
            "np.asfortranarray(np.arange(12, dtype='<i8').reshape(3, 4))",
            "q",
            "(2, 1)",
        ),
        (
            "big",
            "np.arange(6, dtype='>i4').reshape(2, 3)",
            ">i",
            "(0, 1)",
        ),
        ("scalar", "np.array(3.25, dtype='<f8')", "d", "()"),
        ("empty", "np.zeros((0, 3), dtype='<f4')", "f", "(0, 0)"),
        (
            "strings",
            "np.array([b'ab', b'cde'], dtype='S3')",
            "3s",
            "(1,)",
        ),
        (
            "unicode",
            "np.array(['x', 'yz'], dtype='<U2')",
            "<2w",
            "(1,)",
        ),
        (
            "complex",
            "np.array([1+2j, -3j], dtype='<c16')",
            "Zd",
            "(1,)",
        ),
        ("bool", "np.array([True, False, True])", "?", "(2,)"),
        ("half", "np.array([0.5, -2], dtype='<f2')", "e", "(0,)"),
        (
            "nested",
            "np.zeros(2, dtype=[('p', [('x', '<f4'), ('y', '>i2')]), ('m', '<u2', (2, 2))])",
            "T{T{<f:x:>h:y:}:p:(2,2)<H:m:}",
            "(1,)",
        ),
        (
            "padded",
            "np.zeros(3, dtype=np.dtype({'names': ['a', 'b'], 'formats': ['u1', '<u2'], \
             'offsets': [0, 4], 'itemsize': 8}))",
            "T{=B:a:3x<H:b:2x}",
            "(2,)",
        ),
    ];
    for (name, expr, format, index) in cases {
        if !cfg!(target_endian = "little") && format.len() <= 2 {
            continue; // the bare native characters above are little-endian's
        }
        let p = tmp(name);
        let (expected, shape, version) = Python::attach(|py| {
            let env = run(
                py,
                &p,
                &format!(
                    "a = {expr}\n\
                     if a.dtype.names:\n    a = a.copy(); a.view('u1')[...] = np.arange(a.nbytes, dtype='u1').reshape(a.view('u1').shape) % 251\n\
                     np.save(path, a)\n\
                     b = a.tobytes(order='C')\nshape = a.shape\n\
                     version = np.lib.format.read_magic(open(path, 'rb'))"
                ),
            );
            (
                get::<Vec<u8>>(&env, "b"),
                get::<Vec<usize>>(&env, "shape"),
                get::<(u8, u8)>(&env, "version"),
            )
        });
        assert_eq!(version, (1, 0), "{name}");
        for npy in [
            map(&p).view_owned_check(),
            NpyFile::open(&p).unwrap().view_owned_check(),
        ] {
            let (f, s, bytes) = npy;
            assert_eq!(f, format, "{name}");
            assert_eq!(s, shape, "{name}");
            assert_eq!(bytes, expected, "{name}");
        }
        // One item through the view's own values, where the codec reads it.
        let npy = map(&p);
        let view = npy.view().unwrap();
        let idx: Vec<isize> = index
            .trim_matches(|c| c == '(' || c == ')')
            .split(',')
            .filter(|s| !s.trim().is_empty())
            .map(|s| s.trim().parse().unwrap())
            .collect();
        if view.item_count() != 0 {
            let value = view.get(&idx).unwrap();
            if name == "big" {
                assert_eq!(value, Value::Int(1));
            }
            if name == "fortran" {
                assert_eq!(value, Value::Int(9)); // a[2, 1] of arange(12).reshape(3, 4)
            }
        }
        std::fs::remove_file(p).unwrap();
    }
}

trait ViewOwnedCheck {
    fn view_owned_check(&self) -> (String, Vec<usize>, Vec<u8>);
}

impl<S: AsRef<[u8]>> ViewOwnedCheck for NpyFile<S> {
    fn view_owned_check(&self) -> (String, Vec<usize>, Vec<u8>) {
        let v = self.view().unwrap();
        (
            self.format().to_string(),
            v.shape().to_vec(),
            v.tobytes(Order::C),
        )
    }
}

#[test]
fn numpy_versions_written_by_numpy_read_here() {
    for version in ["(1, 0)", "(2, 0)", "(3, 0)"] {
        let p = tmp(&format!("ver{}", &version[1..2]));
        Python::attach(|py| {
            run(
                py,
                &p,
                &format!(
                    "a = np.arange(5, dtype='<u4')\n\
                     with open(path, 'wb') as f:\n    np.lib.format.write_array(f, a, version={version})"
                ),
            );
        });
        let npy = NpyFile::open(&p).unwrap();
        if cfg!(target_endian = "little") {
            assert_eq!(
                npy.as_slice::<u32>().unwrap(),
                &[0, 1, 2, 3, 4],
                "{version}"
            );
        }
        std::fs::remove_file(p).unwrap();
    }
}

#[test]
fn exporters_other_than_vec() {
    // A memory mapping of records, written as .npy and read by numpy.
    let mut anon = memmap2::MmapMut::map_anon(3 * 8).unwrap();
    anon.copy_from_slice(&[1u8; 24]);
    let recs = buffer_runtime::memmap2::MappedRecords::<Point, _>::new(anon).unwrap();
    assert_eq!(recs.buffer_layout().shape.to_vec(), [3]);
    let p = tmp("mapped");
    npy::save(&p, &recs).unwrap();
    Python::attach(|py| {
        let env = run(
            py,
            &p,
            "a = np.load(path)\nv = (a.shape, list(a.dtype.names), a.view('u1').tolist())",
        );
        assert_eq!(
            get::<(Vec<usize>, Vec<String>, Vec<u8>)>(&env, "v"),
            (vec![3], vec!["x".into(), "y".into()], vec![1; 24])
        );
    });
    std::fs::remove_file(p).unwrap();
}
