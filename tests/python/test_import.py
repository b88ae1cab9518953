"""Python buffers viewed from Rust: bytes, bytearray, array.array, mmap, numpy (contiguous,
strided, negative strides, structured dtypes)."""
import array
import mmap

import numpy as np
import pytest


def mv_attrs(obj):
    with memoryview(obj) as m:
        return dict(
            format=m.format,
            itemsize=m.itemsize,
            ndim=m.ndim,
            shape=list(m.shape),
            strides=list(m.strides),
            readonly=m.readonly,
            nbytes=m.nbytes,
        )


def rust_attrs(bx, obj):
    d = bx.layout(obj)
    return {k: d[k] for k in ("format", "itemsize", "ndim", "shape", "strides", "readonly", "nbytes")}


BASE = np.arange(60, dtype=np.float64).reshape(5, 12)

STRIDED = {
    "every other row, every third column": lambda a: a[::2, ::3],
    "reversed rows": lambda a: a[::-1],
    "reversed both": lambda a: a[::-2, ::-5],
    "transposed": lambda a: a.T,
    "one column": lambda a: a[:, 7],
    "3-d reshaped then sliced": lambda a: a.reshape(5, 3, 4)[1:, ::-1, 1::2],
    "empty": lambda a: a[3:3, ::2],
    "zero-d": lambda a: a[2:3, 5:6].reshape(()),
}


@pytest.mark.parametrize("name", sorted(STRIDED))
@pytest.mark.parametrize("dtype", ["f8", "f4", "i2", "u1", "i8"])
def test_numpy_non_contiguous_values_read_from_rust(bx, name, dtype):
    a = STRIDED[name](BASE.astype(dtype))
    assert bx.values(a) == pytest.approx([float(v) for v in a.ravel(order="C")])
    assert rust_attrs(bx, a) == mv_attrs(a)


def test_negative_strides_offset_points_at_the_first_item(bx):
    a = np.arange(10, dtype=np.int32)[::-1]
    d = bx.layout(a)
    assert d["strides"] == [-4]
    assert d["offset"] == 36 and d["span"] == 40
    assert bx.values(a) == list(range(9, -1, -1))


@pytest.mark.parametrize(
    "make",
    [
        lambda: b"hello",
        lambda: bytearray(b"\x00\x01\x02\xff"),
        lambda: array.array("h", [1, -2, 300]),
        lambda: array.array("d", [0.5, -1.5]),
        lambda: memoryview(b"abcdef")[::2],
        lambda: memoryview(array.array("i", range(12))).cast("B").cast("i", (3, 4)),
    ],
    ids=["bytes", "bytearray", "array-h", "array-d", "memoryview-step", "memoryview-2d"],
)
def test_builtin_buffers(bx, make):
    obj = make()
    assert rust_attrs(bx, obj) == mv_attrs(obj)
    with memoryview(obj) as m:
        assert bx.values(obj) == pytest.approx([float(x) for x in np.asarray(m).ravel()])


def test_mmap(bx, tmp_path):
    p = tmp_path / "data.bin"
    p.write_bytes(bytes(range(32)))
    with open(p, "r+b") as f, mmap.mmap(f.fileno(), 0) as mm:
        assert rust_attrs(bx, mm) == mv_attrs(mm)
        assert bx.peek(mm, 30, 2) == bytes([30, 31])
        bx.poke(mm, 0, b"\xaa\xbb")
        mm.flush()
    assert p.read_bytes()[:3] == b"\xaa\xbb\x02"


def test_structured_numpy_dtype(bx):
    dt = np.dtype([("a", "<i4"), ("b", "<f8"), ("c", "u1", (3,))], align=False)
    arr = np.zeros(4, dtype=dt)
    d = bx.layout(arr)
    assert d["itemsize"] == dt.itemsize == 15
    assert d["format"] == memoryview(arr).format
    assert "a" in d["format"] and "(3)B" in d["format"]
    # A strided field projection is a non-contiguous buffer of plain numbers.
    arr["b"] = [1.5, 2.5, 3.5, 4.5]
    assert bx.values(arr["b"]) == [1.5, 2.5, 3.5, 4.5]
    assert bx.layout(arr["b"])["strides"] == [15]


def test_rust_writes_into_python_buffers(bx):
    ba = bytearray(8)
    bx.poke(ba, 2, b"xy")
    assert ba == b"\x00\x00xy\x00\x00\x00\x00"
    a = np.zeros((2, 3), dtype=np.uint8)
    bx.poke(a, 4, b"\x09")
    assert a[1, 1] == 9
    with pytest.raises(BufferError):
        bx.poke(b"immutable", 0, b"x")
    # numpy refuses a writable request on a read-only array with ValueError.
    with pytest.raises(ValueError, match="read-only"):
        bx.poke(np.frombuffer(b"ro", np.uint8), 0, b"x")


def test_not_a_buffer(bx):
    with pytest.raises(TypeError, match="a bytes-like object is required"):
        bx.layout(3.5)
    with pytest.raises(TypeError, match="unsupported format"):
        bx.values(np.zeros(2, dtype=np.complex128))


def test_buffer_is_released_when_rust_is_done(bx):
    ba = bytearray(b"abc")
    bx.layout(ba)
    bx.values(ba)
    ba.extend(b"def")  # would raise BufferError if an export were still held
    assert ba == b"abcdef"


# --- MemoryView over Python buffers: tolist, typed views --------------------------------------


@pytest.mark.parametrize("name", sorted(STRIDED))
@pytest.mark.parametrize("dtype", ["f8", "f4", "i1", "u2", "i4", "u8", "?"])
def test_rust_tolist_matches_memoryview(bx, name, dtype):
    a = STRIDED[name](BASE.astype(dtype))
    assert bx.tolist(a) == memoryview(a).tolist()
    lay = bx.layout(a)
    with memoryview(a) as m:
        assert (lay["c_contiguous"], lay["f_contiguous"], lay["contiguous"]) == (
            m.c_contiguous,
            m.f_contiguous,
            m.contiguous,
        )


def plain(record):
    return tuple(x.tolist() if hasattr(x, "tolist") else x for x in record)


def test_rust_unpacks_structured_items_memoryview_cannot(bx):
    t = bx.Table(4)
    with pytest.raises(NotImplementedError):
        memoryview(t).tolist()
    a = np.asarray(t)
    assert bx.tolist(t) == [plain(r) for r in a]
    # The same from numpy's own export (numpy renders the format its own way), sliced backwards.
    copy = np.array(a)[::-2]
    assert bx.tolist(copy) == [plain(r) for r in copy]
    assert bx.tolist(t)[2] == t.get(2)


def numpy_records(bx, n, price=1.0):
    """A numpy structured array with the dtype numpy reads from a Table."""
    a = np.zeros(n, dtype=np.asarray(bx.Table(1)).dtype)
    a["price"] = np.arange(n) * price
    return a


def test_typed_view_accepts_equivalent_layouts(bx):
    t = bx.Table(5)
    assert bx.total_price(t) == pytest.approx(sum(t.get(i)[1] for i in range(5)))
    a = numpy_records(bx, 6, 0.5)
    assert memoryview(a).format != memoryview(t).format  # numpy spells it differently
    assert bx.total_price(a) == pytest.approx(0.5 * 15)
    assert bx.total_price(a[::-2]) == pytest.approx(0.5 * (5 + 3 + 1))


def test_typed_view_rejects_a_mismatch_like_cython(bx):
    dt = np.asarray(bx.Table(1)).dtype
    names = list(dt.names)
    formats = [dt.fields[n][0] for n in names]
    offsets = [dt.fields[n][1] for n in names]
    formats[names.index("price")] = np.dtype("f4")  # a float where Rust has a double
    bad = np.zeros(2, dtype=np.dtype(dict(names=names, formats=formats, offsets=offsets, itemsize=48)))
    with pytest.raises(ValueError, match=r"^Buffer dtype mismatch, expected '[<>=@]?d' but got 'f' at offset 8$"):
        bx.total_price(bad)
    with pytest.raises(ValueError, match=r"^Buffer dtype mismatch, expected '[<>=@]?Q' but got 'd' at offset 0$"):
        bx.total_price(np.zeros(3))
    # The same bytes without the last field: numpy exports it as padding.
    original = [dt.fields[n][0] for n in names]
    no_matrix = np.dtype(dict(names=names[:-1], formats=original[:-1], offsets=offsets[:-1], itemsize=48))
    with pytest.raises(ValueError, match="^Buffer dtype mismatch, expected .* at offset 40$"):
        bx.total_price(np.zeros(2, dtype=no_matrix))


def test_typed_view_over_records_with_gaps(bx):
    # numpy exports a dtype with trailing padding as the fields alone (48 bytes) with
    # itemsize and strides of 56: every item is still a whole Record, so the typed view reads it.
    dt = np.asarray(bx.Table(1)).dtype
    names = list(dt.names)
    wide = np.dtype(
        dict(names=names, formats=[dt.fields[n][0] for n in names], offsets=[dt.fields[n][1] for n in names], itemsize=56)
    )
    a = np.zeros(3, dtype=wide)
    a["price"] = [1.0, 2.0, 4.0]
    with memoryview(a) as m:
        assert (m.itemsize, m.strides) == (56, (56,))
    assert bx.total_price(a) == 7.0


def test_typed_writable_view_writes_python_memory(bx):
    a = numpy_records(bx, 4, 1.0)
    bx.scale_prices(a, 2.5)
    assert a["price"].tolist() == [0.0, 2.5, 5.0, 7.5]
    bx.scale_prices(a[1::2], 2.0)
    assert a["price"].tolist() == [0.0, 5.0, 5.0, 15.0]
    with pytest.raises(BufferError, match="^Table: underlying buffer is not writable$"):
        bx.scale_prices(bx.Table(2), 2.0)


def test_rust_view_held_across_a_callback_sees_python_writes(bx):
    # Rust holds a view of the numpy array while Python writes the array (the case a `&[u8]`
    # over Python memory made undefined behaviour): the second read sees the new values.
    a = np.arange(1000, dtype=np.float64)

    def write():
        a[:] = 2.0
        a[::7] = -1.0

    before, after = bx.sum_around_callback(a, write)
    assert before == float(sum(range(1000)))
    assert after == a.sum()
    assert after == 2.0 * 1000 - 3.0 * len(range(0, 1000, 7))
    # A strided, reversed numpy view of the same memory, written through the base array.
    b = np.zeros(10)
    v = b[::-3]
    assert bx.sum_around_callback(v, lambda: b.fill(1.5)) == (0.0, 1.5 * len(v))
