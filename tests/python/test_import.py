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
