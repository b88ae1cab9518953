"""Python consumers of the example module's exports: Cython 3 typed memoryviews, pandas, pyarrow.

Each consumer reads (and, for writable exports, writes) our buffers in place. Where a consumer
refuses one of our formats, the test asserts the refusal and that numpy's own array of the same
dtype is refused the same way, which places the limitation on the consumer's side.

The Cython module is compiled once per session from the source below (Cython from PyPI, the
machine's gcc) into a temporary directory.
"""
import importlib.util
import shutil
import subprocess
import sys
import sysconfig

import numpy as np
import pytest

# Installed by scripts/python-env and scripts/python-matrix: missing is an error, not a skip.
import pandas as pd
import pyarrow as pa

CYTHON_SOURCE = r"""
# cython: language_level=3, boundscheck=True, wraparound=False

# The example module's `Point` (`T{<Q:id:<d:x:<d:y:<i:count:<f:weight:}`): no padding, so
# the packed struct and Rust's #[repr(C)] layout agree.
cdef packed struct Point:
    unsigned long long id
    double x
    double y
    int count
    float weight

# The example module's `Record` as C can write it: the 2 padding bytes before `matrix` have no
# name in the format, and a C struct can only have them as a field or not at all.
cdef struct Record:
    unsigned long long id
    double price
    int qty
    float ratio
    float pos[3]
    unsigned char kind
    signed char level
    short matrix[2][2]

cdef packed struct PaddedRecord:
    unsigned long long id
    double price
    int qty
    float ratio
    float pos[3]
    unsigned char kind
    signed char level
    char _pad[2]
    short matrix[2][2]

def c_sum_and_double(double[::1] v):
    cdef double total = 0
    cdef Py_ssize_t i
    for i in range(v.shape[0]):
        total += v[i]
        v[i] *= 2
    return total

def const_1d(const double[:] v):
    return [v[i] for i in range(v.shape[0])]

def strided_1d(double[:] v):
    return v.shape[0]

def fortran_read(const double[::1, :] m):
    return [[m[i, j] for j in range(m.shape[1])] for i in range(m.shape[0])]

def fortran_write(double[::1, :] m):
    m[0, 0] = -1

def c_2d_read(const double[:, ::1] m):
    return m.shape[0]

def strided_read(const double[:, :] m):
    return [[m[i, j] for j in range(m.shape[1])] for i in range(m.shape[0])], \
        [m.strides[0], m.strides[1]]

def strided_write(double[:, :] m):
    m[0, 0] = -1

def int_fortran_add(int[::1, :] m, int k):
    cdef Py_ssize_t i, j
    for i in range(m.shape[0]):
        for j in range(m.shape[1]):
            m[i, j] += k

def int_strided_read(int[:, :] m):
    return [[m[i, j] for j in range(m.shape[1])] for i in range(m.shape[0])]

def int_const_strided(const int[:] v):
    return [v[i] for i in range(v.shape[0])]

def int_strided_1d(int[:] v):
    return v.shape[0]

def points_read(const Point[:] p):
    return [(p[i].id, p[i].x, p[i].y, p[i].count, p[i].weight) for i in range(p.shape[0])]

def points_bump(Point[:] p):
    cdef Py_ssize_t i
    for i in range(p.shape[0]):
        p[i].count += 1000
        p[i].x = -p[i].x

def record_prices(const Record[:] r):
    return [r[i].price for i in range(r.shape[0])]

def padded_record_prices(const PaddedRecord[:] r):
    return [r[i].price for i in range(r.shape[0])]
"""


@pytest.fixture(scope="session")
def cy(tmp_path_factory):
    """The Cython module above, compiled with the machine's gcc against this interpreter."""
    import Cython  # noqa: F401  (installed with the test requirements: an error if missing)

    gcc = shutil.which("gcc")
    assert gcc, "gcc is needed to compile the Cython consumer"
    out = tmp_path_factory.mktemp("cython")
    pyx = out / "consumers_cy.pyx"
    pyx.write_text(CYTHON_SOURCE)
    c_file = out / "consumers_cy.c"
    subprocess.run(
        [sys.executable, "-m", "cython", "-3", str(pyx), "-o", str(c_file)], check=True
    )
    so = out / ("consumers_cy" + sysconfig.get_config_var("EXT_SUFFIX"))
    include = sysconfig.get_paths()["include"]
    # -O0: half of -O1's compile time, and the tests measure nothing.
    subprocess.run(
        [gcc, "-shared", "-fPIC", "-O0", "-I", include, str(c_file), "-o", str(so)], check=True
    )
    spec = importlib.util.spec_from_file_location("consumers_cy", so)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def point_values(n):
    return [(100 + i, i / 2, -float(i), 3 * i, i / 4) for i in range(n)]


# --- Cython ---------------------------------------------------------------------------------


def test_cython_c_contiguous_writes_reach_rust(cy, bx):
    obj, address = bx.floats(5)
    assert cy.c_sum_and_double(obj) == 10.0
    # Rust reads the doubled values through its own view of the same memory.
    assert bx.values(obj) == [0.0, 2.0, 4.0, 6.0, 8.0]
    arr = np.asarray(obj)
    assert arr.ctypes.data == address
    assert arr.tolist() == [0.0, 2.0, 4.0, 6.0, 8.0]


def test_cython_const_views_of_read_only_exports(cy, bx):
    m = bx.Matrix(2, 3)
    expected = [[10.0 * i + j for j in range(3)] for i in range(2)]
    assert cy.fortran_read(m) == expected
    values, strides = cy.strided_read(m)
    assert values == expected
    assert strides == [8, 16]
    ro = bx.ReadOnlyStrided([1, 2, 3, 4, 5, 6], [3], [8], 0)
    assert cy.int_const_strided(ro) == [1, 3, 5]
    obj, address = bx.floats(3, readonly=True)
    assert cy.const_1d(obj) == [0.0, 1.0, 2.0]
    assert np.asarray(obj).ctypes.data == address
    # A const view takes a writable export too.
    writable, _ = bx.floats(3)
    assert cy.const_1d(writable) == [0.0, 1.0, 2.0]


def test_cython_non_const_views_of_read_only_exports_are_refused(cy, bx):
    # Cython asks for a writable buffer; our export refuses it, naming the class.
    m = bx.Matrix(2, 3)
    with pytest.raises(BufferError, match="^Matrix: underlying buffer is not writable$"):
        cy.fortran_write(m)
    with pytest.raises(BufferError, match="^Matrix: underlying buffer is not writable$"):
        cy.strided_write(m)
    ro = bx.ReadOnlyStrided([1, 2, 3, 4], [2], [8], 0)
    with pytest.raises(BufferError, match="^ReadOnlyStrided: underlying buffer is not writable$"):
        cy.int_strided_1d(ro)
    obj, _ = bx.floats(3, readonly=True)
    with pytest.raises(BufferError, match="^OwnedBuffer: underlying buffer is not writable$"):
        cy.strided_1d(obj)
    # Nothing was written.
    assert m.get(0, 0) == 0.0
    assert bx.values(obj) == [0.0, 1.0, 2.0]


def test_cython_contiguity_is_checked(cy, bx):
    # Cython asks a `[:, ::1]` view's exporter for a C-contiguous buffer: the Fortran-ordered
    # matrix refuses with PEP 3118's BufferError; numpy refuses its own Fortran array with a
    # ValueError of its own.
    with pytest.raises(BufferError, match="^Matrix: underlying buffer is not C-contiguous$"):
        cy.c_2d_read(bx.Matrix(2, 3))
    with pytest.raises(ValueError, match="ndarray is not C-contiguous"):
        cy.c_2d_read(np.asfortranarray(np.zeros((2, 3))))
    # A 1-column matrix is both C- and F-contiguous.
    assert cy.c_2d_read(bx.Matrix(4, 1)) == 4


def test_cython_writable_fortran_and_strided_int_views(cy, bx):
    # A 2 x 3 Fortran-ordered i32 layout over 6 values: element (i, j) is data[i + 2 j].
    s = bx.Strided(list(range(6)), [2, 3], [4, 8], 0)
    cy.int_fortran_add(s, 100)
    assert [s.get(k) for k in range(6)] == [100 + k for k in range(6)]
    # Negative and non-unit strides: rows reversed, every other column.
    t = bx.Strided(list(range(12)), [2, 3], [-24, 8], 24)
    assert cy.int_strided_read(t) == [[6, 8, 10], [0, 2, 4]]
    with pytest.raises(BufferError, match="^Strided: underlying buffer is not Fortran contiguous$"):
        cy.int_fortran_add(t, 1)
    assert [t.get(k) for k in range(12)] == list(range(12))


def test_cython_struct_memoryview_of_points(cy, bx):
    obj = bx.points(4)
    assert memoryview(obj).format == "T{<Q:id:<d:x:<d:y:<i:count:<f:weight:}"
    assert cy.points_read(obj) == point_values(4)
    cy.points_bump(obj)
    bumped = [(i, -x, y, c + 1000, w) for (i, x, y, c, w) in point_values(4)]
    # Rust (tolist decodes the records in place) and numpy see Cython's writes.
    assert bx.tolist(obj) == bumped
    arr = np.asarray(obj)
    assert arr["count"].tolist() == [1000, 1003, 1006, 1009]


def test_cython_cannot_express_record_padding(cy, bx):
    # `Record` has 2 padding bytes (`2x`) before `matrix`. Cython's format check skips them
    # but then needs the struct's next field at offset 40: without a padding field it is at
    # 38; with one, the padding field is matched against `matrix`. numpy's own export of the
    # same dtype is refused with the same errors, so the limitation is Cython's, not our format.
    table = bx.Table(3)
    numpy_own = np.zeros(3, dtype=np.asarray(table).dtype)
    assert memoryview(numpy_own).format != memoryview(table).format  # numpy writes `xx`, native
    for obj in (table, bx.records(3)[0], numpy_own):
        with pytest.raises(ValueError, match="next field is at offset 40 but 38 expected"):
            cy.record_prices(obj)
        with pytest.raises(ValueError, match=r"Expected 1 dimension\(s\), got 2"):
            cy.padded_record_prices(obj)


# --- pandas ---------------------------------------------------------------------------------


def test_pandas_dataframe_of_points(bx):
    df = pd.DataFrame(np.asarray(bx.points(3)))
    assert list(df.columns) == ["id", "x", "y", "count", "weight"]
    assert [str(t) for t in df.dtypes] == ["uint64", "float64", "float64", "int32", "float32"]
    assert [tuple(r) for r in df.itertuples(index=False)] == point_values(3)


def test_pandas_dataframe_of_table(bx):
    table = bx.Table(4)
    arr = np.asarray(table)
    # pandas builds columns from 1-d fields only: `pos` (3,) and `matrix` (2, 2) are refused,
    # and so they are in numpy's own array of that dtype: pandas' limitation.
    numpy_own = np.zeros(4, dtype=arr.dtype)
    for obj in (arr, numpy_own):
        with pytest.raises(ValueError, match="Data must be 1-dimensional"):
            pd.DataFrame(obj)
    scalars = ["id", "price", "qty", "ratio", "kind", "level"]
    df = pd.DataFrame(arr[scalars])
    assert list(df.columns) == scalars
    assert [str(t) for t in df.dtypes] == ["uint64", "float64", "int32", "float32", "uint8", "int8"]
    for i in range(4):
        row = table.get(i)
        assert tuple(df.iloc[i]) == pytest.approx(row[:4] + row[5:7])
    assert df["id"].tolist() == [1000, 1001, 1002, 1003]
    assert df["level"].tolist() == [0, -1, -2, -3]


# --- pyarrow --------------------------------------------------------------------------------


def test_pyarrow_py_buffer_shares_memory(bx):
    obj, address = bx.floats(6)
    buf = pa.py_buffer(obj)
    assert buf.address == address
    assert buf.size == 48
    assert buf.is_mutable
    table = bx.Table(3)
    tbuf = pa.py_buffer(table)
    assert tbuf.address == np.asarray(table).ctypes.data
    assert tbuf.size == 3 * 48
    assert not tbuf.is_mutable
    assert tbuf.to_pybytes()[:48] == table.row_bytes(0)
    # A Fortran-contiguous export is contiguous too; a strided one is refused by our export
    # (pyarrow does not ask for strides).
    assert pa.py_buffer(bx.Matrix(2, 3)).size == 48
    with pytest.raises(BufferError, match="^Strided: underlying buffer is not contiguous$"):
        pa.py_buffer(bx.Strided([1, 2, 3, 4], [2], [8], 0))


def test_pyarrow_array_from_buffers_zero_copy(bx):
    obj, address = bx.floats(5)
    arr = pa.Array.from_buffers(pa.float64(), 5, [None, pa.py_buffer(obj)])
    assert arr.to_pylist() == [0.0, 1.0, 2.0, 3.0, 4.0]
    out = arr.to_numpy(zero_copy_only=True)
    assert out.ctypes.data == address
    # Writes from Rust show through the Arrow array.
    bx.poke(obj, 8, np.float64(-7.5).tobytes())
    assert arr.to_pylist()[1] == -7.5
    assert out[1] == -7.5
    # An offset into our buffer: elements 2.. only, still in place.
    tail = pa.Array.from_buffers(pa.float64(), 3, [None, pa.py_buffer(obj)], offset=2)
    assert tail.to_pylist() == [2.0, 3.0, 4.0]
    assert tail.to_numpy(zero_copy_only=True).ctypes.data == address + 16


def test_pyarrow_refuses_complex_and_structured_like_numpy(bx):
    # pa.array has no conversion for complex or structured numpy dtypes, whoever exported the
    # memory: refused for our buffers and numpy's own alike (pyarrow's limitation).
    z = bx.complexes([(1.0, 2.0)], True)
    table = bx.Table(2)
    for ours, numpy_own in (
        (np.asarray(z), np.array([1 + 2j])),
        (np.asarray(table), np.zeros(2, dtype=np.asarray(table).dtype)),
    ):
        assert ours.dtype == numpy_own.dtype
        for obj in (ours, numpy_own):
            with pytest.raises(pa.ArrowNotImplementedError, match="Unsupported numpy type"):
                pa.array(obj)
    # float16 (format `e`) converts, from our export as from numpy's.
    halves = pa.array(np.asarray(bx.halves([1.0, 2.5])))
    assert halves.type == pa.float16()
    assert halves.to_pylist() == [1.0, 2.5]
