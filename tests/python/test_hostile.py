"""Hostile Python input (issue 7): every outcome is a Python exception or a correct result,
never a crash, never wrong data.

1. Every subset of the request flag bits on every export of `buffer_example`, checked against
   an independent model of the C API's rules (written here, not read from our code).
2. Rust importing hostile buffers (numpy, `_testbuffer`, raw `Py_buffer`s made with
   `PyMemoryView_FromBuffer`): zero, negative and odd strides, 0-d and 64-d shapes, empty
   dimensions, misaligned items, malformed formats, suboffsets, read-only buffers.
3. Many exports of one object released in every order.
4. Exporters deleted while views of them live, also at interpreter shutdown.
"""
import array
import ctypes
import gc
import itertools
import struct
import sys

import numpy as np
import pytest

import conftest as c

# --- helpers ----------------------------------------------------------------------------------

ITEM_INT = array.array("i").itemsize  # the C int behind `i`: 4 on every platform we run on


# CPython's message (bytearray's) for what would move or free exported memory.
EXPORTS_EXIST = "Existing exports of data: object cannot be re-sized"

def c_order(shape):
    """Every index of `shape`, last dimension fastest (one empty index for 0-d)."""
    return itertools.product(*(range(n) for n in shape))


def prod(xs):
    p = 1
    for x in xs:
        p *= x
    return p


def is_contiguous(shape, strides, itemsize, order):
    """PyBuffer_IsContiguous: no items is contiguous; dimensions of length 1 do not count."""
    if 0 in shape:
        return True
    dims = list(zip(shape, strides))
    if order == "C":
        dims.reverse()
    expect = itemsize
    for n, s in dims:
        if n > 1 and s != expect:
            return False
        expect *= n
    return True


# --- 1. every request flag on every export ------------------------------------------------------

FLAG_BITS = [0x1, 0x4, 0x8, 0x10, 0x20, 0x40, 0x80, 0x100]
# PyMemoryView_FromMemory's flags (Include/pybuffer.h); 0x100 is also PyBUF_INDIRECT's own bit.
PyBUF_READ, PyBUF_WRITE = 0x100, 0x200
ALL_FLAGS = [sum(bits) for k in range(len(FLAG_BITS) + 1) for bits in itertools.combinations(FLAG_BITS, k)]
assert len(set(ALL_FLAGS)) == 256


def req(flags, what):
    """CPython's REQ_* macros: a compound flag is requested only when all its bits are set."""
    return flags & what == what


class Export:
    """What an export must look like: an independent description of the exporter's items."""

    def __init__(self, make, shape, strides, itemsize, fmt, readonly, item, mutate, valid=True):
        self.make, self.shape, self.strides = make, tuple(shape), tuple(strides)
        self.itemsize, self.format, self.readonly = itemsize, fmt, readonly
        self.item, self.mutate, self.valid = item, mutate, valid

    def refusal(self, flags):
        """The C API's answer to `flags`: None when the request can be met, else the reason
        (CPython's memoryview wording, checked in memoryview's order)."""
        if req(flags, c.PyBUF_WRITABLE) and self.readonly:
            return "underlying buffer is not writable"
        if not self.valid:
            return "(invalid layout|number of dimensions must not exceed 64)"
        cc = is_contiguous(self.shape, self.strides, self.itemsize, "C")
        fc = is_contiguous(self.shape, self.strides, self.itemsize, "F")
        if req(flags, c.PyBUF_C_CONTIGUOUS) and not cc:
            return "underlying buffer is not C-contiguous"
        if req(flags, c.PyBUF_F_CONTIGUOUS) and not fc:
            return "underlying buffer is not Fortran contiguous"
        if req(flags, c.PyBUF_ANY_CONTIGUOUS) and not (cc or fc):
            return "underlying buffer is not contiguous"
        # A consumer that asks for no strides assumes C order.
        if not req(flags, c.PyBUF_STRIDES) and not cc:
            return "underlying buffer is not C-contiguous"
        # PyBUF_FORMAT "can be |'d to any of the flags except PyBUF_SIMPLE" (C API docs): such
        # a request is refused, as CPython's memoryview refuses it.
        if not req(flags, c.PyBUF_ND) and req(flags, c.PyBUF_FORMAT):
            return "cannot cast to unsigned bytes if the format flag is present"
        return None


def image(w, h):
    def pattern(y, x, ch):
        return (31 * y + 7 * x + ch + 1) % 256

    def make(bx):
        img = bx.Image(w, h)
        for y in range(h):
            for x in range(w):
                img.set_pixel(x, y, [pattern(y, x, ch) for ch in range(4)])
        return img

    return Export(
        make,
        (h, w, 4),
        (4 * w, 4, 1),
        1,
        "B",
        False,
        lambda obj, idx: bytes([pattern(*idx)]),
        lambda obj: obj.resize(w, h),
    )


def table(n):
    rows = {}

    def make(bx):
        t = bx.Table(n)
        # Rust's own bytes of each row, read before any export.
        rows[id(t)] = [t.row_bytes(i) for i in range(n)]
        return t

    def fmt():
        import buffer_example

        return buffer_example.Table.record_layout()["format"]

    return Export(
        make, (n,), (48,), 48, fmt, True, lambda obj, idx: rows[id(obj)][idx[0]], lambda obj: obj.append(1, 2.0)
    )


def matrix(rows, cols):
    return Export(
        lambda bx: bx.Matrix(rows, cols),
        (rows, cols),
        (8, 8 * rows),
        8,
        "d",
        True,
        lambda obj, idx: struct.pack("=d", 10 * idx[0] + idx[1]),
        set_first_element,
    )


def set_first_element(m):
    """Needs exclusive access: BufferError while exported, then IndexError if the matrix is empty."""
    try:
        m.set(0, 0, 0.0)
    except IndexError:
        pass


def scalar(v):
    return Export(
        lambda bx: bx.Scalar(v), (), (), 8, "d", True, lambda obj, idx: struct.pack("=d", v), lambda obj: obj.set(v)
    )


def strided(data, shape, strides, offset, readonly=False):
    raw = array.array("i", data).tobytes()
    n = ITEM_INT
    empty = 0 in shape
    lo = offset + sum(min(0, (k - 1) * s) for k, s in zip(shape, strides))
    hi = offset + n + sum(max(0, (k - 1) * s) for k, s in zip(shape, strides))
    valid = len(shape) <= 64 and offset <= len(raw) and (empty or (lo >= 0 and hi <= len(raw)))

    def item(obj, idx):
        at = offset + sum(i * s for i, s in zip(idx, strides))
        return raw[at : at + n]

    cls = "ReadOnlyStrided" if readonly else "Strided"
    export = Export(
        lambda bx: getattr(bx, cls)(data, shape, strides, offset),
        shape,
        strides,
        n,
        "i",
        readonly,
        item,
        lambda obj: obj.set(0, data[0]),
        valid,
    )
    export.offset = offset
    return export


EXPORTS = {
    "image-3x2": image(3, 2),
    "image-1x1": image(1, 1),
    "image-0x2": image(0, 2),
    "table-3": table(3),
    "table-0": table(0),
    "matrix-3x2": matrix(3, 2),
    "matrix-1x4": matrix(1, 4),
    "matrix-0x3": matrix(0, 3),
    "scalar": scalar(-2.5),
    "strided-f": strided(range(6), [3, 2], [4, 12], 0),
    "strided-reversed": strided(range(6), [6], [-4], 20),
    "strided-zero-stride": strided([7, -8], [4, 2], [0, 4], 0),
    "strided-odd-negative-2d": strided(range(-4, 4), [2, 3], [-13, 3], 14),
    "strided-0d": strided(range(4), [], [], 8),
    "strided-empty-first": strided(range(3), [0, 3], [1000, -7], 4),
    "strided-64d-ones": strided([42], [1] * 64, [3 * i - 50 for i in range(64)], 0),
    "strided-64d-f": strided(range(6), [2] + [1] * 62 + [3], [4] + [99] * 62 + [8], 0),
    "strided-len1-odd-stride": strided([5, 6], [1], [-12345], 4),
    "strided-invalid-out-of-bounds": strided(range(3), [3], [4], 4),
    "strided-invalid-65d": strided([1], [1] * 65, [4] * 65, 0),
    "ro-strided-neither-order": strided(range(8), [2, 2], [16, 4], 0, readonly=True),
    "ro-strided-empty": strided([1], [2, 0, 2], [-4, 4, 4], 0, readonly=True),
    "ro-strided-invalid": strided(range(2), [2], [-4], 0, readonly=True),
}


def read_through(view, exp):
    """The items as a consumer reads them through what the exporter reported, in C order."""
    if not view.shape:
        if view.ndim == 0:
            return [ctypes.string_at(view.buf, view.itemsize)]
        # PyBUF_SIMPLE: `len` unsigned bytes, to be read as the items in C order.
        return [ctypes.string_at(view.buf, view.len)] if view.len else []
    shape = [view.shape[k] for k in range(view.ndim)]
    if view.strides:
        strides = [view.strides[k] for k in range(view.ndim)]
    else:
        strides, step = [0] * view.ndim, view.itemsize
        for k in reversed(range(view.ndim)):
            strides[k], step = step, step * shape[k]
    return [
        ctypes.string_at(view.buf + sum(i * s for i, s in zip(idx, strides)), exp.itemsize)
        for idx in c_order(shape)
    ]


@pytest.mark.parametrize("flags", ALL_FLAGS, ids=lambda f: f"flags={f:#05x}")
@pytest.mark.parametrize("name", list(EXPORTS))
def test_every_request_flag_on_every_export(bx, name, flags):
    exp = EXPORTS[name]
    obj = exp.make(bx)
    fmt = exp.format() if callable(exp.format) else exp.format
    refs = sys.getrefcount(obj)
    view = c.Py_buffer()
    view.obj = 0x5A5A  # a failed request must set `obj` to NULL
    if sys.version_info >= (3, 13) and flags in (PyBUF_READ, PyBUF_WRITE):
        # CPython 3.13's PyObject_GetBuffer refuses these two values itself (they are
        # PyMemoryView_FromMemory's flags, not requests), before the exporter is called.
        with pytest.raises(SystemError, match="bad argument to internal function"):
            c._get(obj, ctypes.byref(view), flags)
        assert view.obj == 0x5A5A  # untouched: the exporter never ran
        assert sys.getrefcount(obj) == refs
        exp.mutate(obj)
        return
    refusal = exp.refusal(flags)
    if refusal is not None:
        with pytest.raises(BufferError, match=f"^{type(obj).__name__}: {refusal}"):
            c._get(obj, ctypes.byref(view), flags)
        assert view.obj is None
        assert sys.getrefcount(obj) == refs
        exp.mutate(obj)  # no export stays behind
        return
    c._get(obj, ctypes.byref(view), flags)
    try:
        assert view.obj == id(obj)
        assert sys.getrefcount(obj) >= refs + 1  # `obj` owns a reference (the loan may hold one more)
        assert view.itemsize == exp.itemsize  # with or without PyBUF_FORMAT
        assert view.readonly == int(exp.readonly)
        assert view.len == prod(exp.shape) * exp.itemsize
        assert not view.suboffsets
        if req(flags, c.PyBUF_FORMAT):
            assert view.format.decode() == fmt
        else:
            assert view.format is None
        if not req(flags, c.PyBUF_ND):
            assert (view.ndim, bool(view.shape), bool(view.strides)) == (1, False, False)
        elif not exp.shape:
            # A scalar: "shape, strides and suboffsets MUST be NULL".
            assert (view.ndim, bool(view.shape), bool(view.strides)) == (0, False, False)
        else:
            assert view.ndim == len(exp.shape)
            assert tuple(view.shape[k] for k in range(view.ndim)) == exp.shape
            if req(flags, c.PyBUF_STRIDES):
                assert tuple(view.strides[k] for k in range(view.ndim)) == exp.strides
            else:
                assert not view.strides
        expected = [exp.item(obj, idx) for idx in c_order(exp.shape)]
        got = read_through(view, exp)
        if not req(flags, c.PyBUF_ND):
            expected = [b"".join(expected)] if view.len else []
        assert got == expected
        with pytest.raises(BufferError, match=EXPORTS_EXIST):
            exp.mutate(obj)
    finally:
        c._release(ctypes.byref(view))
    assert sys.getrefcount(obj) == refs
    exp.mutate(obj)  # the last release ended the exports


def test_unknown_flag_bits_are_ignored(bx):
    """Bits the C API does not define yet change nothing; all bits set asks for everything."""
    img = EXPORTS["strided-reversed"].make(bx)
    for extra in (0x200, 0x400, 0x1000, 0x40000000):
        view = c.Py_buffer()
        c._get(img, ctypes.byref(view), c.PyBUF_RECORDS | extra)
        assert (view.ndim, view.shape[0], view.strides[0]) == (1, 6, -4)
        assert ctypes.string_at(view.buf, 4) == struct.pack("=i", 5)
        c._release(ctypes.byref(view))
    view = c.Py_buffer()
    with pytest.raises(BufferError, match="not C-contiguous"):
        c._get(img, ctypes.byref(view), -1)
    contiguous = bx.Strided([1, 2], [2], [4], 0)
    c._get(contiguous, ctypes.byref(view), -1)
    assert (view.readonly, view.format, view.shape[0], view.strides[0]) == (0, b"i", 2, 4)
    c._release(ctypes.byref(view))
    contiguous.set(0, 1)


# --- 2. Rust importing hostile buffers ----------------------------------------------------------

BASE_BYTES = bytes((37 * k + 11) % 256 for k in range(256))


def over(shape, dtype, offset, strides=None, writable=True):
    """A numpy array with exactly this layout over a fresh 256-byte base (returned with it)."""
    base = np.frombuffer(bytearray(BASE_BYTES), np.uint8)
    a = np.ndarray(shape, dtype, buffer=base, offset=offset, strides=strides)
    a.flags.writeable = writable
    return base, a


NUMPY_CASES = {
    "zero-strides-broadcast": lambda: (None, np.broadcast_to(np.arange(3, dtype=np.int32), (4, 3))),
    "zero-strides-writable": lambda: over((3, 4), "<i4", 8, (0, 4)),
    "zero-strides-everywhere": lambda: over((2, 3, 2), "<f8", 16, (0, 0, 0)),
    "negative-strides": lambda: over((4, 3), "<i2", 100, (-24, -6)),
    "negative-inner-positive-outer": lambda: over((3, 5), "<u4", 60, (40, -8)),
    "odd-strides": lambda: over((5,), "<i4", 1, (5,)),
    "odd-negative-2d": lambda: over((3, 4), "<i2", 40, (-11, 3)),
    "odd-strides-f8": lambda: over((3, 2), "<f8", 3, (19, 9)),
    "0-d": lambda: over((), "<f8", 0),
    "0-d-misaligned": lambda: over((), "<f8", 3),
    "0-d-numpy-scalar": lambda: (None, np.float32(-1.5)),
    "64-d": lambda: over((1,) * 62 + (2, 3), "<i2", 20, (7,) * 62 + (10, -2)),
    "64-d-ones": lambda: over((1,) * 64, "<i8", 5, tuple(range(-32, 32))),
    "64-d-zero-size": lambda: over((1,) * 63 + (0,), "<i8", 5),
    "empty-first": lambda: over((0, 3), "<f4", 0, (1000, -7)),
    "empty-middle": lambda: over((3, 0, 2), "<i2", 5, (-9, 1000, 3)),
    "empty-last": lambda: over((2, 3, 0), "<u1", 0),
    "empty-1d-odd-stride": lambda: over((0,), "<i4", 7, (3,)),
    "misaligned-i2": lambda: over((7,), "<i2", 1),
    "misaligned-i4": lambda: over((5,), "<i4", 3),
    "misaligned-i8": lambda: over((3,), "<i8", 5),
    "misaligned-u8-reversed": lambda: over((4,), "<u8", 33, (-8,)),
    "misaligned-f4": lambda: over((6,), "<f4", 2),
    "misaligned-f8": lambda: over((2, 2), "<f8", 7),
    "misaligned-c16": lambda: over((3,), "<c16", 1),
    "misaligned-f2": lambda: over((5,), "<f2", 1),
    "big-endian-i4": lambda: over((4,), ">i4", 2),
    "big-endian-f8-reversed": lambda: over((3,), ">f8", 48, (-16,)),
    "bool": lambda: (None, np.array([[True, False, True], [False, True, False]])[:, ::-1]),
    "bytes-S3": lambda: over((4,), "S3", 1),
    "unicode-U2": lambda: filled(over((3,), "<U2", 30, (-12,)), ["ab", "", "\U0001f600\u00e9"]),
    "struct-misaligned": lambda: over((3,), np.dtype([("a", "<i4"), ("b", "<f8"), ("c", "u1", (2,))]), 1),
    "struct-reversed-odd": lambda: over((3,), np.dtype([("a", "<i2"), ("b", "<f4")]), 40, (-13,)),
    "struct-nested": lambda: over((2,), np.dtype([("p", [("x", "<f4"), ("y", "<i2")]), ("q", ">u2", (2, 2))]), 3),
    "record-misaligned": lambda: None,  # filled in below: Table's dtype at an odd offset
}


def filled(base_and_array, values):
    base, a = base_and_array
    a[...] = values
    return base, a


def record_case(bx):
    dt = np.asarray(bx.Table(1)).dtype
    base, a = over((3,), dt, 101, (-50,))
    a["price"] = [1.5, -2.25, 8.0]
    return base, a


def leaves(x):
    """The scalars of a nested result, in order, as comparable text (NaN equals NaN, -0.0 is not 0.0)."""
    if isinstance(x, (list, tuple)):
        return [leaf for y in x for leaf in leaves(y)]
    if isinstance(x, np.ndarray):
        return leaves(x.tolist())
    if isinstance(x, np.generic):
        x = x.item()
    return [repr(x)]


def outline(x, ndim):
    """The nesting of the outer `ndim` list levels (the array's shape, as nested lengths)."""
    if ndim == 0:
        return None
    return [outline(y, ndim - 1) for y in x]


def reference_tolist(a):
    # memoryview cannot unpack numpy's 'U' ('w'): numpy's own reading (trailing NULs
    # stripped) is the reference there.
    try:
        with memoryview(a) as m:
            return m.tolist()
    except NotImplementedError:
        return np.asarray(a).tolist()


def span_of(a):
    """The bytes from the lowest to past the highest byte any item reaches (independently)."""
    if a.size == 0:
        return 0, b""
    lo = sum(min(0, (n - 1) * s) for n, s in zip(a.shape, a.strides))
    hi = a.itemsize + sum(max(0, (n - 1) * s) for n, s in zip(a.shape, a.strides))
    addr = a.__array_interface__["data"][0]
    return -lo, ctypes.string_at(addr + lo, hi - lo)


@pytest.mark.parametrize("name", list(NUMPY_CASES))
def test_rust_reads_hostile_numpy_arrays(bx, name):
    base, a = record_case(bx) if name == "record-misaligned" else NUMPY_CASES[name]()
    before = None if base is None else base.tobytes()
    with memoryview(a) as m:
        attrs = dict(
            format=m.format, itemsize=m.itemsize, ndim=m.ndim, shape=list(m.shape), strides=list(m.strides),
            readonly=m.readonly, nbytes=m.nbytes, c_contiguous=m.c_contiguous, f_contiguous=m.f_contiguous,
            contiguous=m.contiguous,
        )
        ref_bytes = {order: m.tobytes(order) for order in "CFA"}
    lay = bx.layout(a)
    assert {k: lay[k] for k in attrs} == attrs
    offset, span = span_of(a)
    assert (lay["offset"], lay["span"]) == (offset, len(span))
    assert bx.peek(a, 0, len(span)) == span
    with pytest.raises(IndexError):
        bx.peek(a, 0, len(span) + 1)
    for order in "CFA":
        assert bx.tobytes(a, order) == ref_bytes[order], order
    got, ref = bx.tolist(a), reference_tolist(a)
    assert outline(got, a.ndim) == outline(ref, a.ndim)
    assert leaves(got) == leaves(ref)
    native_numbers = a.dtype.kind in "iuf" and a.dtype.byteorder != ">" and a.dtype != np.float16
    if native_numbers and a.dtype.itemsize in (1, 2, 4, 8):
        assert bx.values(a) == [float(x) for x in a.ravel()]
    if name == "record-misaligned":
        assert bx.total_price(a) == 1.5 - 2.25 + 8.0
    if base is not None:
        assert base.tobytes() == before  # nothing was written


WRITABLE_CASES = [n for n in NUMPY_CASES if n not in ("zero-strides-broadcast", "0-d-numpy-scalar", "bool")]


@pytest.mark.parametrize("name", WRITABLE_CASES)
def test_rust_writes_hostile_numpy_arrays_like_numpy(bx, name):
    """fill() from Rust and the same assignment by numpy leave identical bytes, gaps included."""
    make = (lambda: record_case(bx)) if name == "record-misaligned" else NUMPY_CASES[name]
    base, a = make()
    ref_base, ref = make()
    item = bytes(range(200, 200 + a.itemsize))
    bx.fill(a, item)
    # numpy writes the same whole items (as opaque bytes, padding included).
    ref.view(np.dtype((np.void, ref.itemsize)))[...] = np.void(item)
    assert base.tobytes() == ref_base.tobytes()
    assert bx.tobytes(a) == item * a.size
    if name == "record-misaligned":
        bx.scale_prices(a, 2.0)
        ref["price"] *= 2.0
        assert base.tobytes() == ref_base.tobytes()


def test_invalid_code_points_raise(bx):
    a = np.frombuffer(b"\x00\x00\x11\x00" + b"\x00\xd8\x00\x00", "<U1")  # 0x110000, a surrogate
    for item in (a[:1], a[1:]):
        with pytest.raises(NotImplementedError, match="not a Unicode code point"):
            bx.tolist(item)
        assert bx.tobytes(item) == item.tobytes()


WRITABLE_EXPORTS = [n for n, e in EXPORTS.items() if n.startswith("strided") and e.valid]


@pytest.mark.parametrize("name", WRITABLE_EXPORTS)
def test_rust_fills_its_own_hostile_exports(bx, name):
    """fill() imports a Rust export (zero, negative, odd strides, 0-d, 64-d, empty) and writes
    every item; Rust's own reading of its data afterwards shows exactly those bytes changed."""
    exp = EXPORTS[name]
    obj = exp.make(bx)
    item = b"\xa5\x5a\xc3\x3c"
    want = bytearray(strided_data(obj))
    for idx in c_order(exp.shape):
        at = exp.offset + sum(i * s for i, s in zip(idx, exp.strides))
        want[at : at + ITEM_INT] = item
    bx.fill(obj, item)
    assert strided_data(obj) == bytes(want)


def strided_data(obj):
    """All of a Strided's data, read by Rust (`get`), as bytes."""
    values = []
    while True:
        try:
            values.append(obj.get(len(values)))
        except IndexError:
            return array.array("i", values).tobytes()


OBJECT_BUFFERS = {
    "numpy-object": lambda: np.array([object(), "two", 3], dtype=object),
    "numpy-object-reversed-2d": lambda: np.array([[1, "a"], [None, 2.5]], dtype=object)[::-1],
    "numpy-struct-with-object": lambda: np.array([(1, "x"), (2, "y")], dtype=[("n", "<i8"), ("o", "O")]),
    # numpy describes this packed layout as 'T{i:n:O:o:}' (native alignment: 16 bytes) with
    # itemsize 12; Rust refuses to view it (BufferError), and never writes it.
    "numpy-struct-unaligned-object": lambda: np.array([(1, "x")], dtype=[("n", "<i4"), ("o", "O")]),
    "numpy-object-subarray": lambda: np.array([((1, 2),)], dtype=[("pair", "O", (2,))]),
    "ctypes-py_object": lambda: (ctypes.py_object * 2)("a", 7),
}


@pytest.mark.parametrize("name", list(OBJECT_BUFFERS))
def test_rust_never_writes_python_object_references(bx, name):
    """Bytes written over `PyObject *` items crash the interpreter later (a segfault before this
    was fixed): Rust refuses to write them, and the objects stay as they were."""
    obj = OBJECT_BUFFERS[name]()
    before = [repr(x) for x in (obj.tolist() if hasattr(obj, "tolist") else list(obj))]
    itemsize = memoryview(obj).itemsize
    with pytest.raises(TypeError, match="Python object references"):
        bx.poke(obj, 0, b"\x10")
    with pytest.raises(TypeError, match="Python object references"):
        bx.fill(obj, b"\x10" * itemsize)
    with pytest.raises((TypeError, ValueError)):
        bx.scale_prices(obj, 2.0)
    # Reading is harmless: Rust shows the references' addresses and never dereferences them.
    if name == "numpy-struct-unaligned-object":
        with pytest.raises(BufferError, match="do not lie inside"):
            bx.layout(obj)
    else:
        assert bx.tobytes(obj) == memoryview(obj).tobytes()
    gc.collect()
    assert [repr(x) for x in (obj.tolist() if hasattr(obj, "tolist") else list(obj))] == before


READ_ONLY = {
    "bytes": lambda: b"abcdefgh",
    "numpy-read-only": lambda: over((4,), "<i2", 1, writable=False)[1],
    "numpy-broadcast": lambda: np.broadcast_to(np.arange(4, dtype=np.int16), (3, 4)),
    "memoryview-toreadonly": lambda: memoryview(bytearray(8)).toreadonly(),
    "table": None,
    "matrix": None,
    "scalar": None,
    "read-only-strided": None,
}


@pytest.mark.parametrize("name", list(READ_ONLY))
@pytest.mark.parametrize("func", ["poke", "fill", "scale_prices"])
def test_read_only_buffers_refuse_writes(bx, name, func):
    made = {
        "table": lambda: bx.Table(2),
        "matrix": lambda: bx.Matrix(2, 2),
        "scalar": lambda: bx.Scalar(1.0),
        "read-only-strided": lambda: bx.ReadOnlyStrided([1, 2, 3], [3], [-4], 8),
    }
    obj = (READ_ONLY[name] or made[name])()
    before = bytes(memoryview(obj).tobytes())
    call = {
        "poke": lambda: bx.poke(obj, 0, b"\x01"),
        "fill": lambda: bx.fill(obj, b"\x01" * memoryview(obj).itemsize),
        "scale_prices": lambda: bx.scale_prices(obj, 2.0),
    }[func]
    # numpy refuses a writable request on a read-only array with ValueError; the others with
    # BufferError (or TypeError for a read-only memoryview).
    with pytest.raises((BufferError, ValueError, TypeError), match="(?i)(read-only|not writable|readonly)"):
        call()
    assert memoryview(obj).tobytes() == before


try:
    import _testbuffer
except ImportError:  # some distributions leave CPython's test modules out
    _testbuffer = None
needs_testbuffer = pytest.mark.skipif(_testbuffer is None, reason="CPython's _testbuffer module is not installed")


def tb_cases():
    from _testbuffer import ND_FORTRAN, ND_WRITABLE, ndarray

    return {
        "zero-strides": lambda: ndarray(list(range(6)), shape=[3, 2], strides=[0, 8], format="q"),
        "negative-strides-offset": lambda: ndarray(list(range(6)), shape=[3], strides=[-16], offset=40, format="q"),
        "negative-2d": lambda: ndarray(list(range(12)), shape=[3, 2], strides=[-8, -2], offset=22, format="h"),
        "fortran": lambda: ndarray(list(range(6)), shape=[2, 3], format="i", flags=ND_FORTRAN),
        "0-d": lambda: ndarray(7, shape=[], format="q"),
        "64-d": lambda: ndarray(list(range(6)), shape=[1] * 62 + [2, 3], format="b"),
        "empty": lambda: ndarray([1.0], shape=[0, 4], format="d"),
        "empty-middle": lambda: ndarray([1], shape=[2, 0, 3], format="i"),
        "pad-then-int": lambda: ndarray([1, -2], shape=[2], format="xi"),
        "int-then-pad": lambda: ndarray([1, -2], shape=[2], format="ix"),
        "half": lambda: ndarray([1.5, -2.0, 65504.0], shape=[3], format="e"),
        "bool": lambda: ndarray([True, False], shape=[2], format="?"),
        "pointer": lambda: ndarray([1, 2 ** 40], shape=[2], format="P"),
        "two-ints": lambda: ndarray([(1, 2), (3, -4)], shape=[2], format="ii"),
        "short-and-u64": lambda: ndarray([(1, 2 ** 63), (-3, 4)], shape=[2], format="hQ"),
        "little-q": lambda: ndarray([1, -2], shape=[2], format="<q"),
        "big-q": lambda: ndarray([1, -2], shape=[2], format=">q"),
        "network-h": lambda: ndarray([1, -2, 3], shape=[3], format="!h"),
        "bytes-3s": lambda: ndarray([b"abc", b"de"], shape=[2], format="3s"),
        "repeat-3i": lambda: ndarray([(1, 2, 3), (4, 5, 6)], shape=[2], format="@3i"),
        "standard-l": lambda: ndarray([1, -2], shape=[2], format="=l"),
        "char": lambda: ndarray([b"a", b"\xff"], shape=[2], format="c"),
        "size_t": lambda: ndarray([1, 2 ** 64 - 1], shape=[2], format="N"),
        "ssize_t": lambda: ndarray([-1, 2], shape=[2], format="n"),
        "nan-and-inf": lambda: ndarray([float("nan"), float("-inf"), -0.0], shape=[3], format="d"),
        "long-format": lambda: ndarray([tuple(k % 100 - 50 for k in range(300))], shape=[1], format="b" * 300),
        "writable-reversed": lambda: ndarray(
            list(range(8)), shape=[4], strides=[-4], offset=14, format="H", flags=ND_WRITABLE
        ),
    }


TB_NAMES = list(tb_cases()) if _testbuffer is not None else ["missing"]


@needs_testbuffer
@pytest.mark.parametrize("name", TB_NAMES)
def test_rust_reads_testbuffer_arrays(bx, name):
    nd = tb_cases()[name]()
    lay = bx.layout(nd)
    with memoryview(nd) as m:
        assert (lay["format"], lay["itemsize"], lay["shape"], lay["strides"], lay["readonly"]) == (
            m.format, m.itemsize, list(m.shape), list(m.strides), m.readonly,
        )
        for order in "CFA":
            assert bx.tobytes(nd, order) == m.tobytes(order)
    got, ref = bx.tolist(nd), nd.tolist()  # _testbuffer unpacks every struct format
    assert outline(got, nd.ndim) == outline(ref, nd.ndim)
    assert leaves(got) == leaves(ref)


@needs_testbuffer
def test_testbuffer_refusals_are_python_exceptions(bx):
    from _testbuffer import ND_GETBUF_FAIL, ND_PIL, ndarray

    # Suboffsets (PIL-style arrays of pointers): refused by the exporter, since Rust never asks
    # for PyBUF_INDIRECT.
    pil = ndarray(list(range(12)), shape=[3, 4], format="i", flags=ND_PIL)
    for func in (bx.layout, bx.tolist, bx.tobytes, bx.values):
        with pytest.raises(BufferError, match="suboffsets"):
            func(pil)
    # More dimensions than PEP 3118 allows: _testbuffer exports up to 128.
    for ndim in (65, _testbuffer.ND_MAX_NDIM):
        with pytest.raises(BufferError, match=f"ndim {ndim} exceeds 64"):
            bx.tolist(ndarray([1], shape=[1] * ndim, format="b"))
    with pytest.raises(BufferError, match="forced test exception"):
        bx.layout(ndarray([1, 2], shape=[2], flags=ND_GETBUF_FAIL))
    # Read-only by default: writes from Rust are refused, the data stays.
    ro = ndarray(list(range(4)), shape=[4], format="i")
    with pytest.raises(BufferError):
        bx.fill(ro, b"\x00" * 4)
    assert ro.tolist() == [0, 1, 2, 3]


@needs_testbuffer
def test_rust_writes_a_reversed_testbuffer_array(bx):
    nd = tb_cases()["writable-reversed"]()
    bx.fill(nd, struct.pack("=H", 0xBEEF))
    assert nd.tolist() == [0xBEEF] * 4


# Raw Py_buffers: any format string, shape and strides, exported by a memoryview that
# PyMemoryView_FromBuffer built over memory owned here (what a careless C extension may export).

_from_buffer = ctypes.pythonapi.PyMemoryView_FromBuffer
_from_buffer.argtypes = [ctypes.POINTER(c.Py_buffer)]
_from_buffer.restype = ctypes.py_object
_KEEP = []  # the memory and format strings of raw views, alive for the whole session


def raw_view(data, fmt, itemsize, shape, strides, offset=0, readonly=True, suboffsets=None):
    mem = ctypes.create_string_buffer(bytes(data), max(len(data), 1))
    _KEEP.extend([mem, fmt])
    ndim = len(shape)
    v = c.Py_buffer()
    v.buf = ctypes.addressof(mem) + offset
    v.len = (itemsize * prod(shape)) % 2 ** 63  # a broken exporter's len may be anything
    v.itemsize, v.readonly, v.ndim = itemsize, int(readonly), ndim
    v.format = fmt
    if ndim:
        sh, st = (ctypes.c_ssize_t * ndim)(*shape), (ctypes.c_ssize_t * ndim)(*strides)
        v.shape = ctypes.cast(sh, ctypes.POINTER(ctypes.c_ssize_t))
        v.strides = ctypes.cast(st, ctypes.POINTER(ctypes.c_ssize_t))
    if suboffsets is not None:
        so = (ctypes.c_ssize_t * ndim)(*suboffsets)
        _KEEP.append(so)
        v.suboffsets = ctypes.cast(so, ctypes.POINTER(ctypes.c_ssize_t))
    return _from_buffer(ctypes.byref(v)), mem


DEEP = 100
MALFORMED = {
    "unclosed-brace": (b"Q{", 8),
    "unclosed-struct": (b"T{i", 4),
    "count-only": (b"3", 1),
    "unknown-code": (b"@y", 4),
    "shape-only": (b"(2,3)", 6),
    "unclosed-shape": (b"(2,3b", 6),
    "braces-only": (b"{}", 1),
    "duplicate-field": (b"T{i:a:i:a:}", 8),
    "unterminated-name": (b"i:name", 4),
    "function-pointer": (b"X{}", 8),
    "count-overflow": (b"99999999999999999999b", 8),
    "huge-count": (b"1000000000000b", 8),
    "huge-subarray": (b"T{(1000000000,1000000000)b:a:}", 8),
    "format-bigger-than-itemsize": (b"i", 2),
    "very-long-format-vs-itemsize": (b"b" * 20000, 20),
    "nested-too-deep": (b"T{" * DEEP + b"b" + b"}" * DEEP, 1),
    "nested-far-too-deep": (b"T{" * 100000 + b"b" + b"}" * 100000, 1),
    "sub-arrays-far-too-deep": (b"(1)" * 50000 + b"b", 1),
    "not-utf8": (b"\xff\xfe", 1),
}


@pytest.mark.parametrize("name", list(MALFORMED))
def test_malformed_formats_raise(bx, name):
    fmt, itemsize = MALFORMED[name]
    m, mem = raw_view(bytes(range(64)), fmt, itemsize, [2], [itemsize])
    for func in (bx.layout, bx.tolist, bx.tobytes, bx.values, bx.total_price):
        # Never a panic (PanicException is no Exception), never a hang.
        with pytest.raises((ValueError, TypeError, BufferError, NotImplementedError)):
            func(m)
    assert mem.raw[:64] == bytes(range(64))


UNUSUAL = {
    # name: (format, itemsize, the expected items of bytes(range(64)) as [2] items)
    "long-double": (b"g", 16, None),
    "complex-float": (b"Zf", 8, lambda b: [complex(*struct.unpack_from("=ff", b, 8 * i)) for i in range(2)]),
    "ucs2": (b"u", 2, lambda b: [chr(struct.unpack_from("=H", b, 2 * i)[0]) for i in range(2)]),
    "pointer-to-int": (b"&i", 8, lambda b: [struct.unpack_from("=Q", b, 8 * i)[0] for i in range(2)]),
    # Object references are never dereferenced: Rust shows their addresses.
    "object": (b"O", 8, lambda b: [struct.unpack_from("=Q", b, 8 * i)[0] for i in range(2)]),
    "named-scalar": (b"i:name:", 4, lambda b: [(struct.unpack_from("=i", b, 4 * i)[0],) for i in range(2)]),
    "pad-byte": (b"x", 1, lambda b: [(), ()]),
    "nested-deep-ok": (b"T{" * 64 + b"b" + b"}" * 64, 1, lambda b: [b[0], b[1]]),
    "struct-odd": (
        b"T{<h:a:>I:b:3x}",
        9,
        lambda b: [struct.unpack_from("<h", b, 9 * i) + struct.unpack_from(">I", b, 9 * i + 2) for i in range(2)],
    ),
    "long-struct": (
        b"T{" + b"".join(b"B:f%d:" % k for k in range(30)) + b"}",
        30,
        lambda b: [tuple(b[30 * i : 30 * i + 30]) for i in range(2)],
    ),
    "no-format": (None, 1, lambda b: [0, 1]),
    # A byte-order mark that applies to nothing (PEP 3118 allows order changes mid-string).
    "trailing-order": (b"i<", 4, lambda b: [struct.unpack_from("=i", b, 4 * i)[0] for i in range(2)]),
}


@pytest.mark.parametrize("name", list(UNUSUAL))
def test_unusual_formats_read_correctly(bx, name):
    fmt, itemsize, expect = UNUSUAL[name]
    data = bytes(range(64))
    if name == "long-double":
        values = np.array([1.5, -3.25], dtype=np.longdouble)
        if values.itemsize != 16:
            pytest.skip("long double is not 16 bytes on this platform")
        data = values.tobytes() + bytes(64 - 32)
        expect = lambda b: [1.5, -3.25]
    m, mem = raw_view(data, fmt, itemsize, [2], [itemsize])
    assert bx.tobytes(m) == m.tobytes() == data[: 2 * itemsize]
    got = bx.tolist(m)
    assert leaves(got) == leaves(expect(data))
    assert len(got) == 2


def test_huge_zero_stride_buffers_raise_memory_error(bx):
    """2**60 bytes described by one byte and a zero stride: every copy is a MemoryError (an
    abort of the process before this was fixed), views and single reads work."""
    a = np.broadcast_to(np.array([9], np.uint8), (2 ** 60,))
    assert bx.layout(a)["nbytes"] == 2 ** 60 and bx.layout(a)["span"] == 1
    assert bx.peek(a, 0, 1) == b"\x09"
    for func in (bx.tobytes, bx.values, bx.tolist):
        with pytest.raises(MemoryError):
            func(a)
    s = bx.Strided([7], [2 ** 60], [0], 0)  # the same from a Rust export
    assert memoryview(s).nbytes == 2 ** 62
    assert np.asarray(s)[2 ** 59] == 7
    for func in (bx.tobytes, bx.values, bx.tolist):
        with pytest.raises(MemoryError):
            func(s)
    s.set(0, 7)  # every export released


def test_raw_shapes_beyond_isize_are_refused(bx):
    for fmt, itemsize, shape in [(b"d", 8, [2 ** 62]), (b"B", 1, [2 ** 40, 2 ** 40]), (b"i", 4, [2 ** 31, 2 ** 31])]:
        m, _ = raw_view(b"\x01" * 8, fmt, itemsize, shape, [0] * len(shape))
        for func in (bx.layout, bx.tobytes, bx.tolist):
            with pytest.raises(BufferError, match="more than isize::MAX bytes"):
                func(m)
    # A 0 anywhere means no items, however large the other dimensions.
    m, _ = raw_view(b"", b"B", 1, [0, 2 ** 62, 2 ** 62], [0, 0, 0])
    assert (bx.tobytes(m), bx.tolist(m), bx.layout(m)["span"]) == (b"", [], 0)


def test_raw_buffers_with_suboffsets_are_refused(bx):
    m, mem = raw_view(bytes(64), b"B", 1, [2, 2], [8, 1], suboffsets=[0, -1])
    with pytest.raises(BufferError, match="suboffsets"):
        bx.layout(m)


def test_raw_buffers_with_odd_layouts(bx):
    data = bytes(range(64))
    # A 2-d view of int16 with negative, odd strides, and one with a zero stride.
    m, _ = raw_view(data, b"h", 2, [3, 2], [-7, 3], offset=20)
    assert bx.tobytes(m) == m.tobytes()
    assert bx.tolist(m) == m.tolist()
    m, _ = raw_view(data, b"=i", 4, [4, 2], [0, 5], offset=1)
    assert bx.tobytes(m, "F") == m.tobytes("F")
    assert bx.tolist(m) == [[struct.unpack_from("=i", data, 1 + 5 * j)[0] for j in range(2)]] * 4
    # Negative dimensions or itemsize from a broken exporter: refused, not read.
    m, _ = raw_view(data, b"B", 0, [4], [1])
    with pytest.raises(BufferError, match="invalid itemsize 0"):
        bx.layout(m)
    m, _ = raw_view(data, b"B", 1, [-4], [1])
    with pytest.raises(BufferError, match="negative"):
        bx.layout(m)


# --- 3. views released out of order -------------------------------------------------------------


class Loan:
    """One export of `obj`, held by a consumer of some kind, with a way to read and release it."""

    def __init__(self, kind, obj):
        self.kind = kind
        if kind == "memoryview":
            self.holder = memoryview(obj)
        elif kind == "memoryview-slice":
            base = memoryview(obj)
            self.holder = base[0:] if base.ndim else base[...]
        elif kind == "numpy":
            self.holder = np.asarray(obj)
        elif kind == "testbuffer":
            self.holder = _testbuffer.ndarray(obj, getbuf=_testbuffer.PyBUF_FULL_RO)
        elif kind == "getbuffer":
            self.holder = c.Py_buffer()
            c._get(obj, ctypes.byref(self.holder), c.PyBUF_FULL_RO)
        else:
            raise AssertionError(kind)

    def tobytes(self):
        """The items in C order, read through this loan."""
        h = self.holder
        if self.kind == "getbuffer":
            shape = [h.shape[k] for k in range(h.ndim)]
            strides = [h.strides[k] for k in range(h.ndim)]
            return b"".join(
                ctypes.string_at(h.buf + sum(i * s for i, s in zip(idx, strides)), h.itemsize)
                for idx in c_order(shape)
            )
        if self.kind == "numpy":
            return h.tobytes(order="C")
        return memoryview(h).tobytes() if self.kind == "testbuffer" else h.tobytes()

    def release(self):
        if self.kind == "getbuffer":
            c._release(ctypes.byref(self.holder))
        elif self.kind.startswith("memoryview"):
            self.holder.release()
        self.holder = None  # numpy and _testbuffer release when their last reference goes


LOAN_KINDS = ["memoryview", "memoryview-slice", "numpy", "getbuffer"] + (["testbuffer"] if _testbuffer else [])
ORDER_EXPORTS = ["image-3x2", "table-3", "matrix-3x2", "strided-odd-negative-2d", "scalar"]


def expected_bytes(exp, obj):
    return b"".join(exp.item(obj, idx) for idx in c_order(exp.shape))


def check_loans(exp, obj, loans, want):
    for loan in loans:
        assert loan.tobytes() == want, loan.kind
    if loans:
        with pytest.raises(BufferError, match=EXPORTS_EXIST):
            exp.mutate(obj)


@pytest.mark.parametrize("order", list(itertools.permutations(range(4))), ids=lambda p: "".join(map(str, p)))
@pytest.mark.parametrize("name", ORDER_EXPORTS)
def test_exports_released_in_every_order(bx, name, order):
    exp = EXPORTS[name]
    obj = exp.make(bx)
    want = expected_bytes(exp, obj)
    refs = sys.getrefcount(obj)
    loans = [Loan(kind, obj) for kind in LOAN_KINDS[:4]]
    check_loans(exp, obj, loans, want)
    for k in order:
        loans[k].release()  # no reference cycles: every release happens right here
        live = [loan for loan in loans if loan.holder is not None]
        check_loans(exp, obj, live, want)
    exp.mutate(obj)  # the last release ended the exports
    assert sys.getrefcount(obj) == refs  # and gave back every reference


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("name", ORDER_EXPORTS)
def test_exports_opened_and_released_at_random(bx, name, seed):
    """Up to 40 loans of every kind opened and released in a random interleaving: the object is
    refused resizing exactly while at least one lives, and every live loan reads the right items."""
    import random

    rng = random.Random(seed)
    exp = EXPORTS[name]
    obj = exp.make(bx)
    want = expected_bytes(exp, obj)
    refs = sys.getrefcount(obj)
    live = []
    for step in range(120):
        if live and (len(live) >= 40 or rng.random() < 0.45):
            live.pop(rng.randrange(len(live))).release()
        else:
            live.append(Loan(rng.choice(LOAN_KINDS), obj))
        if step % 10 == 0:
            check_loans(exp, obj, live, want)
            if not live:
                exp.mutate(obj)
    rng.shuffle(live)
    for loan in live:
        loan.release()
    exp.mutate(obj)
    assert sys.getrefcount(obj) == refs


def test_writes_through_one_loan_are_seen_by_the_others(bx):
    img = bx.Image(2, 2)
    loans = [Loan(kind, img) for kind in LOAN_KINDS]
    ctype_view = (ctypes.c_uint8 * 16).from_buffer(img)
    for i, writer in enumerate([loans[0].holder, loans[1].holder]):
        writer[1, 1, 2] = 50 + i
        for loan in loans:
            assert loan.tobytes()[(1 * 2 + 1) * 4 + 2] == 50 + i
        assert ctype_view[(1 * 2 + 1) * 4 + 2] == 50 + i
    loans[2].holder[0, 0] = [1, 2, 3, 4]  # numpy
    assert bytes(ctype_view[:4]) == bytes([1, 2, 3, 4])
    for loan in reversed(loans):
        loan.release()
    with pytest.raises(BufferError, match=EXPORTS_EXIST):
        img.resize(2, 2)  # ctypes still holds one
    img.fill([0, 0, 0, 9])  # in place: allowed, and seen through ctypes
    assert ctype_view[3] == 9
    del ctype_view
    gc.collect()
    assert img.get_pixel(1, 1) == (0, 0, 0, 9)
    img.resize(2, 2)


# --- 4. exporters deleted while views live ------------------------------------------------------


def holders(kind, obj):
    """A consumer of `obj` that keeps its export; returns (holder, read-bytes function)."""
    if kind == "memoryview":
        m = memoryview(obj)
        return m, lambda: m.tobytes()
    if kind == "memoryview-slice":
        m = memoryview(obj)[1:]
        return m, lambda: m.tobytes()
    if kind == "memoryview-cast":
        m = memoryview(obj).cast("B")
        return m, lambda: m.tobytes()
    # numpy copies a structured array field by field and leaves its padding bytes unset
    # (valgrind saw them uninitialised): read the items as opaque bytes, padding included.
    if kind == "numpy":
        a = np.asarray(obj)
        return a, lambda: opaque(a).tobytes()
    if kind == "numpy-reversed":
        a = np.asarray(obj)[::-1]
        return a, lambda: opaque(a).tobytes()
    if kind == "ctypes-from-buffer":
        n = memoryview(obj).nbytes
        a = (ctypes.c_char * n).from_buffer(obj)
        return a, lambda: bytes(a)
    if kind == "testbuffer":
        nd = _testbuffer.ndarray(obj, getbuf=_testbuffer.PyBUF_FULL_RO)
        return nd, lambda: memoryview(nd).tobytes()
    if kind == "rust-view-of-memoryview":
        m = memoryview(obj)
        import buffer_example

        return m, lambda: buffer_example.tobytes(m)
    raise AssertionError(kind)


DELETE_CASES = [
    (exporter, kind)
    for exporter in ("image-3x2", "table-3", "matrix-3x2", "strided-reversed", "scalar")
    for kind in (
        "memoryview", "memoryview-slice", "memoryview-cast", "numpy", "numpy-reversed",
        "ctypes-from-buffer", "testbuffer", "rust-view-of-memoryview",
    )
    # ctypes needs a writable, C-contiguous export; a cast and a slice need C order and a dimension.
    if not (kind == "ctypes-from-buffer" and exporter in ("table-3", "matrix-3x2", "strided-reversed", "scalar"))
    and not (kind == "memoryview-cast" and exporter in ("matrix-3x2", "strided-reversed"))
    and not (kind in ("memoryview-slice", "numpy-reversed") and exporter == "scalar")
    and not (kind == "testbuffer" and _testbuffer is None)
]


def opaque(a):
    """`a` viewed as items of raw bytes (`V<itemsize>`), so that copies keep every byte."""
    return a.view(np.dtype((np.void, a.itemsize)))


def reference_bytes(obj, kind):
    """What the holder should read, computed from a copy made while the exporter lived."""
    a = np.asarray(obj)
    # Copied as opaque items: numpy's copy of a structured array skips the padding bytes.
    a = np.array(opaque(a), copy=True)
    if kind == "memoryview-slice":
        a = a[1:]
    if kind == "numpy-reversed":
        a = a[::-1]
    return a.tobytes()


@pytest.mark.parametrize("exporter,kind", DELETE_CASES, ids=[f"{e}-{k}" for e, k in DELETE_CASES])
def test_deleting_the_exporter_keeps_views_valid(bx, exporter, kind):
    exp = EXPORTS[exporter]
    obj = exp.make(bx)
    want = reference_bytes(obj, kind)
    if kind not in ("memoryview-slice", "numpy-reversed"):
        assert want == expected_bytes(exp, obj)
    holder, read = holders(kind, obj)
    del obj
    gc.collect()
    # Churn the allocator: freed memory would be reused and overwritten now.
    junk = [bytearray(b"\xee" * 64) for _ in range(2000)]
    assert read() == want
    if kind == "ctypes-from-buffer":
        holder[0] = b"\x7f"
        assert read()[:1] == b"\x7f"
    del junk, holder, read  # the last reference: releases the export and frees the object


SHUTDOWN_SCRIPT = r"""
import ctypes, gc, sys, threading
import numpy as np
import buffer_example as bx
try:
    import _testbuffer
except ImportError:
    _testbuffer = None

class Py_buffer(ctypes.Structure):
    _fields_ = [("buf", ctypes.c_void_p), ("obj", ctypes.c_void_p), ("len", ctypes.c_ssize_t),
                ("itemsize", ctypes.c_ssize_t), ("readonly", ctypes.c_int), ("ndim", ctypes.c_int),
                ("format", ctypes.c_char_p), ("shape", ctypes.c_void_p), ("strides", ctypes.c_void_p),
                ("suboffsets", ctypes.c_void_p), ("internal", ctypes.c_void_p)]

img = bx.Image(4, 3)
img.set_pixel(1, 1, [1, 2, 3, 4])
t, m = bx.Table(5), bx.Matrix(3, 2)
s, sc = bx.Strided(list(range(6)), [6], [-4], 20), bx.Scalar(1.5)
held = [memoryview(img), np.asarray(img)[::-1], memoryview(img).cast("B")[3:], (ctypes.c_char * 48).from_buffer(img),
        memoryview(t), np.asarray(t)["price"], memoryview(m)[1:], np.asarray(m).T, memoryview(s)[::2], np.asarray(sc)]
if _testbuffer is not None:
    held.append(_testbuffer.ndarray(t, getbuf=_testbuffer.PyBUF_FULL_RO))
# Reference cycles that hold an exporter and views of it: collected by gc (or at shutdown).
cyc = [bx.Image(2, 2)]; cyc += [memoryview(cyc[0]), np.asarray(cyc[0])]; cyc.append(cyc)
cyc2 = [bx.Table(2)]; cyc2 += [np.asarray(cyc2[0]), memoryview(cyc2[0])[::-1]]; cyc2.append(cyc2)
del img, t, m, s, sc, cyc, cyc2
if MODE != "no-collect":
    gc.collect()
# A loan that is never released.
leaked = Py_buffer()
get = ctypes.pythonapi.PyObject_GetBuffer
get.argtypes = [ctypes.py_object, ctypes.POINTER(Py_buffer), ctypes.c_int]
get(bx.Strided([1, 2, 3], [3], [4], 0), ctypes.byref(leaked), 0x11c)
# A daemon thread still holding a view when the interpreter exits.
gate = threading.Event()
def hold(v=memoryview(bx.Image(1, 1))):
    gate.wait()
threading.Thread(target=hold, daemon=True).start()
assert [held[0][1, 1, k] for k in range(4)] == [1, 2, 3, 4]
assert held[5].tolist() == [1.25 * i for i in range(5)]
assert held[8].tolist() == [5, 3, 1]
print("ok", flush=True)
if MODE == "sys.exit":
    sys.exit(3)
if MODE == "exception":
    raise KeyError("left with every view alive")
"""


@pytest.mark.parametrize("mode", ["exit", "no-collect", "sys.exit", "exception"])
def test_interpreter_shutdown_with_live_views(mode):
    """Exporters deleted while views live, then the interpreter exits with every view (and a
    never-released loan, cycles, a daemon thread's view) still alive: no crash, in dev mode (debug
    memory allocator hooks, faulthandler)."""
    import subprocess

    proc = subprocess.run(
        [sys.executable, "-X", "dev", "-X", "faulthandler", "-c", f"MODE = {mode!r}\n" + SHUTDOWN_SCRIPT],
        capture_output=True, text=True, timeout=120,
    )
    expect_rc = {"sys.exit": 3, "exception": 1}.get(mode, 0)
    assert (proc.returncode, proc.stdout) == (expect_rc, "ok\n"), proc.stderr
    for bad in ("panicked", "Fatal Python error", "Segmentation fault", "PanicException", "Debug memory block"):
        assert bad not in proc.stderr, proc.stderr
    if mode == "exception":
        assert "KeyError: 'left with every view alive'" in proc.stderr
