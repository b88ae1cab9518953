"""Rust exporters seen by CPython, numpy, Pillow, sqlite3, hashlib and zlib."""
import gc
import hashlib
import sqlite3
import sys
import zlib

import numpy as np
import pytest
from PIL import Image as PILImage

import conftest as c

LITTLE = sys.byteorder == "little"


def attrs(m):
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


# --- memoryview attributes match Rust's ---------------------------------------------------


def test_image_memoryview_attributes(bx):
    img = bx.Image(5, 3)
    with memoryview(img) as m:
        assert attrs(m) == dict(
            format="B", itemsize=1, ndim=3, shape=[3, 5, 4], strides=[20, 4, 1], readonly=False, nbytes=60
        )
        assert m.c_contiguous and not m.f_contiguous
        assert m.obj is img
    # Rust importing the export sees the same thing as CPython.
    assert rust_attrs(bx, img) == attrs(memoryview(img))


def test_table_memoryview_attributes(bx):
    t = bx.Table(7)
    rec = bx.Table.record_layout()
    assert rec["itemsize"] == 48
    with memoryview(t) as m:
        assert attrs(m) == dict(
            format=rec["format"], itemsize=48, ndim=1, shape=[7], strides=[48], readonly=True, nbytes=7 * 48
        )
    assert rust_attrs(bx, t) == attrs(memoryview(t))
    order = "<" if LITTLE else ">"
    assert rec["format"].startswith("T{" + order + "Q:id:" + order + "d:price:")
    assert "2x" in rec["format"]


def test_matrix_is_fortran_ordered(bx):
    mat = bx.Matrix(3, 4)
    with memoryview(mat) as m:
        assert (m.shape, m.strides, m.format) == ((3, 4), (8, 24), "d")
        assert m.f_contiguous and not m.c_contiguous
        assert m.tolist() == [[10.0 * i + j for j in range(4)] for i in range(3)]


# --- numpy shares memory -----------------------------------------------------------------


def test_numpy_shares_memory_and_writes_are_visible_both_ways(bx):
    img = bx.Image(4, 2)
    img.set_pixel(1, 0, [9, 8, 7, 6])  # written by Rust before the export
    a = np.asarray(img)
    b = np.asarray(img)  # a second export of the same object shares the loan
    assert a.shape == (2, 4, 4) and a.dtype == np.uint8
    assert a.flags.writeable and a.flags.c_contiguous
    assert np.shares_memory(a, b)
    assert a[0, 1].tolist() == [9, 8, 7, 6]
    a[1, 3] = [1, 2, 3, 4]  # written by numpy
    assert b[1, 3].tolist() == [1, 2, 3, 4]
    assert memoryview(img)[1, 3, 2] == 3
    # Rust writes through any buffer: the module's poke() imports `img` writable.
    bx.poke(img, (1 * 4 + 0) * 4, bytes([50, 51, 52, 53]))
    assert a[1, 0].tolist() == [50, 51, 52, 53]
    del a, b
    gc.collect()
    # Released: Rust reads numpy's write through its own &self.
    assert img.get_pixel(3, 1) == (1, 2, 3, 4)
    assert img.get_pixel(0, 1) == (50, 51, 52, 53)


def test_structured_dtype_matches_rust(bx):
    t = bx.Table(5)
    rec = bx.Table.record_layout()
    a = np.asarray(t)
    assert a.dtype.itemsize == rec["itemsize"] == 48
    assert list(a.dtype.names) == rec["names"]
    assert [a.dtype.fields[n][1] for n in a.dtype.names] == rec["offsets"]
    assert a.dtype["pos"].shape == (3,) and a.dtype["matrix"].shape == (2, 2)
    assert a.dtype["id"] == np.dtype("u8") and a.dtype["ratio"] == np.dtype("f4")
    for i in range(5):
        row = t.get(i)
        assert a["id"][i] == row[0]
        assert a["price"][i] == row[1]
        assert a["qty"][i] == row[2]
        assert a["ratio"][i] == pytest.approx(row[3])
        assert a["pos"][i].tolist() == row[4]
        assert (a["kind"][i], a["level"][i]) == (row[5], row[6])
        assert a["matrix"][i].tolist() == row[7]
        assert a[i].tobytes() == t.row_bytes(i)
    assert not a.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        a["price"][0] = 1.0


def test_numpy_over_a_fortran_export(bx):
    a = np.asarray(bx.Matrix(3, 2))
    assert a.flags.f_contiguous and not a.flags.c_contiguous
    assert a.tolist() == [[0.0, 1.0], [10.0, 11.0], [20.0, 21.0]]


# --- Pillow ------------------------------------------------------------------------------


def test_pillow_frombuffer_shows_rust_pixels_without_a_copy(bx):
    w, h = 6, 4
    img = bx.Image(w, h)
    img.fill([0, 0, 0, 255])
    img.set_pixel(2, 1, [255, 0, 0, 255])  # by Rust, before Pillow looks
    im = PILImage.frombuffer("RGBA", (w, h), img, "raw", "RGBA", 0, 1)
    assert im.getpixel((2, 1)) == (255, 0, 0, 255)
    assert im.getpixel((0, 0)) == (0, 0, 0, 255)
    # Pillow holds the buffer now; Rust writes through it and Pillow sees the pixel: no copy.
    bx.poke(img, (3 * w + 5) * 4, bytes([1, 2, 3, 4]))
    assert im.getpixel((5, 3)) == (1, 2, 3, 4)
    # And a write from numpy is visible to Pillow as well.
    np.asarray(img)[0, 4] = [7, 7, 7, 7]
    assert im.getpixel((4, 0)) == (7, 7, 7, 7)
    # While Pillow holds the buffer, Rust writes pixels in place and Pillow sees them...
    img.set_pixel(0, 0, [1, 1, 1, 1])
    assert im.getpixel((0, 0)) == (1, 1, 1, 1)
    assert img.width == w and len(img) == h
    # ...but cannot resize (reallocate) the pixels under Pillow.
    with pytest.raises(BufferError, match="Existing exports of data: object cannot be re-sized"):
        img.resize(1, 1)
    del im
    gc.collect()
    img.resize(1, 1)
    assert (img.width, img.height) == (1, 1)


# --- sqlite3, hashlib, zlib, bytes ---------------------------------------------------------


def test_sqlite_stores_rows_as_blobs(bx):
    t = bx.Table(4)
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE rows (i INTEGER, data BLOB)")
    m = memoryview(t)
    for i in range(4):
        db.execute("INSERT INTO rows VALUES (?, ?)", (i, m[i : i + 1]))
    db.execute("INSERT INTO rows VALUES (?, ?)", (-1, t))  # the whole table, exported directly
    for i, data in db.execute("SELECT i, data FROM rows WHERE i >= 0 ORDER BY i"):
        assert data == t.row_bytes(i)
    (whole,) = db.execute("SELECT data FROM rows WHERE i = -1").fetchone()
    assert whole == b"".join(t.row_bytes(i) for i in range(4))
    m.release()
    db.close()


def test_hashlib_zlib_and_bytes_consume_exports(bx):
    t = bx.Table(3)
    img = bx.Image(3, 3)
    img.set_pixel(2, 2, [1, 2, 3, 4])
    raw_t = b"".join(t.row_bytes(i) for i in range(3))
    assert bytes(t) == raw_t
    assert hashlib.sha256(t).digest() == hashlib.sha256(raw_t).digest()
    assert hashlib.md5(img).hexdigest() == hashlib.md5(bytes(img)).hexdigest()
    assert zlib.crc32(t) == zlib.crc32(raw_t)
    assert zlib.decompress(zlib.compress(img)) == bytes(img)
    assert bytes(img)[-4:] == bytes([1, 2, 3, 4])
    assert bytearray(t) == raw_t


def test_bytes_of_a_non_contiguous_export_fails_cleanly(bx):
    mat = bx.Matrix(2, 3)
    # hashlib and zlib ask for plain bytes (PyBUF_SIMPLE): refused, a Fortran layout is not that.
    with pytest.raises(BufferError, match="^Matrix: underlying buffer is not C-contiguous$"):
        hashlib.sha256(mat)
    with pytest.raises(BufferError, match="^Matrix: underlying buffer is not C-contiguous$"):
        zlib.crc32(mat)
    # bytes() and memoryview ask for strides and copy in C order themselves.
    c_order = np.asarray(mat).tobytes(order="C")
    assert bytes(mat) == memoryview(mat).tobytes() == c_order


# --- read-only exports ---------------------------------------------------------------------


def test_writes_to_read_only_exports_fail(bx):
    t = bx.Table(2)
    before = bytes(t)
    m = memoryview(t)
    with pytest.raises(TypeError, match="cannot modify read-only memory"):
        m.cast("B")[0] = 1
    with pytest.raises(BufferError, match="Table: underlying buffer is not writable"):
        bx.poke(t, 0, b"x")
    import ctypes

    with pytest.raises((TypeError, BufferError)):
        (ctypes.c_char * 48).from_buffer(t)
    m.release()
    assert bytes(t) == before


# --- request flags through the C API (ctypes PyObject_GetBuffer) ------------------------------


def test_simple_and_nd_requests(bx, request_buffer):
    img = bx.Image(2, 2)
    with request_buffer(img, c.PyBUF_SIMPLE) as r:
        assert (r.format, r.shape, r.strides, r.view.ndim, r.view.len) == (None, None, None, 1, 16)
    with request_buffer(img, c.PyBUF_ND) as r:
        assert (r.format, r.shape, r.strides) == (None, (2, 2, 4), None)
    with request_buffer(img, c.PyBUF_FULL) as r:
        assert (r.format, r.shape, r.strides, r.view.readonly) == ("B", (2, 2, 4), (8, 4, 1), 0)
        assert not r.view.suboffsets
    with pytest.raises(BufferError, match="cannot cast to unsigned bytes if the format flag is present"):
        with request_buffer(img, c.PyBUF_FORMAT):
            pass


def test_writable_request_on_read_only_export(bx, request_buffer):
    t = bx.Table(1)
    for flags in (c.PyBUF_WRITABLE, c.PyBUF_CONTIG, c.PyBUF_STRIDED, c.PyBUF_RECORDS, c.PyBUF_FULL):
        with pytest.raises(BufferError, match="^Table: underlying buffer is not writable$"):
            with request_buffer(t, flags):
                pass
    with request_buffer(t, c.PyBUF_RECORDS_RO) as r:
        assert r.view.readonly == 1


def test_contiguity_requests(bx, request_buffer):
    mat = bx.Matrix(3, 2)
    for flags in (c.PyBUF_F_CONTIGUOUS, c.PyBUF_ANY_CONTIGUOUS, c.PyBUF_STRIDED_RO, c.PyBUF_FULL_RO):
        with request_buffer(mat, flags) as r:
            assert r.strides == (8, 24)
    for flags, msg in [
        (c.PyBUF_C_CONTIGUOUS, "not C-contiguous"),
        (c.PyBUF_ND, "not C-contiguous"),
        (c.PyBUF_SIMPLE, "not C-contiguous"),
    ]:
        with pytest.raises(BufferError, match="^Matrix: underlying buffer is " + msg):
            with request_buffer(mat, flags):
                pass
    img = bx.Image(3, 2)
    with pytest.raises(BufferError, match="^Image: underlying buffer is not Fortran contiguous$"):
        with request_buffer(img, c.PyBUF_F_CONTIGUOUS):
            pass
    with request_buffer(img, c.PyBUF_C_CONTIGUOUS | c.PyBUF_FORMAT) as r:
        assert r.format == "B"


def test_testbuffer_reexports_with_chosen_flags(bx):
    _testbuffer = pytest.importorskip("_testbuffer")
    t = bx.Table(3)
    nd = _testbuffer.ndarray(t, getbuf=_testbuffer.PyBUF_FULL_RO)
    assert nd.format == bx.Table.record_layout()["format"]
    assert (nd.shape, nd.strides, nd.readonly) == ((3,), (48,), 1)
    with pytest.raises(BufferError):
        _testbuffer.ndarray(t, getbuf=_testbuffer.PyBUF_FULL)
    with pytest.raises(BufferError):
        _testbuffer.ndarray(bx.Matrix(2, 2), getbuf=_testbuffer.PyBUF_C_CONTIGUOUS)


# --- CPython's export semantics: usable while exported, only resizing waits -----------------


def test_rust_cannot_resize_while_exported(bx):
    t = bx.Table(2)
    m = memoryview(t)
    with pytest.raises(BufferError, match="Existing exports of data: object cannot be re-sized"):
        t.append(1, 2.0)
    assert len(t) == 2 and t.get(1)[0] == 1001  # reading still works
    m.release()
    t.append(1, 2.0)
    assert len(t) == 3


def test_a_writable_export_leaves_the_object_usable(bx):
    img = bx.Image(2, 2)
    m = memoryview(img)
    a = np.asarray(img)
    # Getters, len, repr, reads and in-place writes from Rust all work while exported.
    assert (img.width, img.height, len(img), img.exports) == (2, 2, 2, 2)
    assert "2 exports" in repr(img)
    img.fill([1, 2, 3, 4])
    assert m[1, 1, 3] == 4 and a[0, 0].tolist() == [1, 2, 3, 4]
    m[0, 0, 0] = 200  # Python writes, Rust reads
    assert img.get_pixel(0, 0) == (200, 2, 3, 4)
    img.set_pixel(1, 0, [9, 9, 9, 9])  # Rust writes, Python reads
    assert a[0, 1].tolist() == [9, 9, 9, 9]
    bytes(img)  # a temporary export in between changes nothing
    with pytest.raises(BufferError, match="Existing exports of data: object cannot be re-sized"):
        img.resize(3, 3)
    m.release()
    with pytest.raises(BufferError, match="Existing exports of data: object cannot be re-sized"):
        img.resize(3, 3)  # numpy's view still lives
    del a
    gc.collect()
    assert img.exports == 0
    img.resize(3, 3)
    assert (img.width, img.height) == (3, 3) and np.asarray(img).shape == (3, 3, 4)


def test_read_only_requests_take_no_more_than_they_need(bx):
    img = bx.Image(2, 1)
    ro = memoryview(img).toreadonly()
    assert img.width == 2  # no exclusive borrow
    img.set_pixel(0, 0, [5, 5, 5, 5])
    assert ro[0, 0, 0] == 5
    ro.release()


def test_concurrent_exports_writes_and_resizes(bx):
    """8 threads export and read while one writes pixels in place through Rust and one tries to
    resize: every resize during exports is refused with CPython's error, no export fails, and
    after the threads end the object is unexported and resizable."""
    import threading

    img = bx.Image(16, 16)
    stop = threading.Event()
    errors, refused, resized = [], [0], [0]

    def exporter():
        try:
            while not stop.is_set():
                a = np.asarray(img)
                with memoryview(img) as m:
                    assert m.shape[2] == 4 and a.shape[2] == 4
                    m[0, 0, 0]  # reads through the export
                del a
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    def writer():
        try:
            for i in range(2000):
                img.set_pixel(i % img.width, 0, [i % 256] * 4) if img.width > 0 else None
        except IndexError:
            pass  # the image was resized smaller meanwhile
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    def resizer():
        for _ in range(2000):
            try:
                img.resize(16, 16)
                resized[0] += 1
            except BufferError as e:
                assert "Existing exports of data: object cannot be re-sized" in str(e)
                refused[0] += 1

    threads = [threading.Thread(target=exporter) for _ in range(8)]
    threads += [threading.Thread(target=writer), threading.Thread(target=resizer)]
    for t in threads:
        t.start()
    threads[-1].join(timeout=120)
    threads[-2].join(timeout=120)
    stop.set()
    for t in threads[:8]:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    assert errors == []
    assert refused[0] > 0, "no resize ever met a live export"
    gc.collect()
    assert img.exports == 0
    img.resize(4, 4)


def test_numpy_raises_a_failed_export_instead_of_wrapping_the_object(bx):
    bad = bx.Strided([1, 2, 3], [3], [4], 4)  # the layout reaches past the data
    with pytest.raises(BufferError, match="invalid layout"):
        memoryview(bad)
    with pytest.raises(BufferError, match="invalid layout"):
        np.asarray(bad)  # numpy would otherwise return a 0-d dtype=object array
    with pytest.raises(BufferError, match="invalid layout"):
        np.array(bad, copy=True)
    good = bx.Image(2, 1)
    assert np.asarray(good).dtype == np.uint8
    assert np.asarray(good.__array__()).shape == (1, 2, 4)


def test_deleting_the_object_keeps_views_valid(bx):
    m = memoryview(bx.Image(2, 1))
    a = np.asarray(bx.Table(3))
    gc.collect()
    assert m.tobytes() == bytes(8)
    assert a["id"].tolist() == [1000, 1001, 1002]
    m[0, 0, 0] = 5
    assert m[0, 0, 0] == 5
    m.release()


def test_many_exports_and_releases(bx):
    img = bx.Image(8, 8)
    for _ in range(2000):
        with memoryview(img) as m:
            m[0, 0, 0] = (m[0, 0, 0] + 1) % 256
    assert img.get_pixel(0, 0)[0] == 2000 % 256


# --- more consumers ------------------------------------------------------------------------


def test_struct_ctypes_io_array_and_casts_consume_exports(bx):
    import array
    import ctypes
    import io
    import struct

    t = bx.Table(3)
    rec = bx.Table.record_layout()
    # struct reads a row by its own (flat) format at Rust's offsets.
    row = struct.unpack_from("<Qd", t, rec["itemsize"] * 2)
    assert row == t.get(2)[:2]
    assert io.BytesIO(t).read() == bytes(t)

    img = bx.Image(2, 2)
    pixels = (ctypes.c_uint8 * 16).from_buffer(img)  # a writable export kept by ctypes
    pixels[5] = 77
    assert np.frombuffer(img, dtype=np.uint8)[5] == 77  # a second export shares the loan
    as_words = memoryview(img).cast("B").cast("I")
    assert as_words.shape == (4,) and as_words[1] == int.from_bytes(bytes([0, 77, 0, 0]), sys.byteorder)
    copy = array.array("B")
    copy.frombytes(img)
    assert copy.tolist()[5] == 77
    del pixels, as_words
    gc.collect()
    assert img.get_pixel(1, 0) == (0, 77, 0, 0)


def test_exports_from_many_threads(bx):
    import threading

    img = bx.Image(16, 16)
    table = bx.Table(8)
    errors = []

    def work(k):
        try:
            for i in range(300):
                with memoryview(img) as m, memoryview(table) as t:
                    m[k, i % 16, 0] = k
                    assert t.nbytes == 8 * 48
                    a = np.asarray(img)
                    assert a[k, i % 16, 0] == k
                    del a
        except Exception as e:  # collected and reported by the main thread
            errors.append(e)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    gc.collect()
    assert errors == []
    # Every loan ended: Rust can borrow mutably again.
    img.fill([0, 0, 0, 0])
    table.append(1, 1.0)
