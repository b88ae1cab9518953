"""Owned handoff: a Rust `Vec` moved into a Python object (`OwnedBuffer`) without a copy."""
import gc
import pickle
import sys

import numpy as np
import pytest


def rss_bytes():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS in /proc/self/status")


def test_ten_million_records_reach_numpy_without_a_copy(bx):
    n = 10_000_000
    gc.collect()
    before = rss_bytes()
    obj, address = bx.records(n)
    a = np.asarray(obj)
    # The very memory the Vec allocated: no copy on the way.
    assert a.ctypes.data == address
    assert a.shape == (n,) and a.dtype.itemsize == 48
    assert a.dtype.names == ("id", "price", "qty", "ratio", "pos", "kind", "level", "matrix")
    assert a["id"][n - 1] == 1000 + n - 1 and a["price"][2] == 2.5
    assert a["pos"][3].tolist() == [3.0, 3.5, -3.0]
    grown = rss_bytes() - before
    assert grown >= n * 48 * 0.9, grown  # the records are resident once...
    assert grown < n * 48 * 1.5, grown  # ...and only once
    # Python may write them (the Vec's items accept any bit pattern).
    a["qty"][0] = 77
    assert memoryview(obj)[0:1].tobytes()[16:20] == (77).to_bytes(4, sys.byteorder, signed=True)
    # The memory is freed when the last reference and the last view are gone.
    del obj
    assert a["id"][0] == 1000  # numpy's view keeps it alive
    del a
    gc.collect()
    assert rss_bytes() - before < 16 << 20


def test_floats_like_rust_numpys_from_vec(bx):
    obj, address = bx.floats(1000)
    a = np.asarray(obj)
    assert (a.dtype, a.shape, a.ctypes.data) == (np.float64, (1000,), address)
    assert a.sum() == sum(range(1000))
    assert repr(obj) == "OwnedBuffer(format='d', shape=(1000,), readonly=False)"
    assert len(obj) == 1000
    a[:] = 1.5
    assert memoryview(obj)[999] == 1.5


def test_owned_buffers_follow_every_consumer(bx):
    obj, _ = bx.floats(4)
    m = memoryview(obj)
    assert (m.format, m.shape, m.readonly, m.obj) == ("d", (4,), False, obj)
    assert bytes(obj) == np.arange(4.0).tobytes()
    ro = memoryview(obj).toreadonly()
    with pytest.raises(TypeError):
        ro[0] = 1.0
    m[0] = 9.0
    assert ro[0] == 9.0
    # The extension module adds the type (OwnedBuffer::add_to_module), so pickles name it.
    module = sys.modules[type(obj).__module__]
    assert module.__name__.startswith("buffer_example") and module.OwnedBuffer is type(obj)
    assert bytes(pickle.loads(pickle.dumps(obj))) == bytes(obj)


def test_many_owned_buffers_are_independent(bx):
    objs = [bx.floats(i)[0] for i in range(50)]
    arrays = [np.asarray(o) for o in objs]
    for i, a in enumerate(arrays):
        assert a.shape == (i,) and a.sum() == sum(range(i))
    del objs
    gc.collect()
    assert [a.shape[0] for a in arrays] == list(range(50))
