"""Planted defects for `bash scripts/sanitize pytest-selftest`: proves the valgrind check fails.

Never part of the normal suite (it lives outside tests/python and is passed to pytest only by the
self-test mode). The tests pass as Python code; what they leave behind must be caught by valgrind
and scripts/valgrind_report.py:

* an invalid read: bytes read from a block after `free` (an error outside our code, which the
  report fails wherever it is);
* a use of uninitialised memory: bytes copied from a fresh malloc'd block and compared (created
  by malloc under libffi, so not CPython's known uninitialised PyLong digit, which the report
  recognises by its origin in _PyLong_New);
* a leak through our module: a `buffer_example.Image` whose reference count is incremented once
  too often, then dropped. The image object and its pixel `Vec`, both allocated by code in
  buffer_example*.so, are lost: the report must attribute them to our module.
"""
import ctypes
import gc

import buffer_example

libc = ctypes.CDLL(None)
libc.malloc.restype = ctypes.c_void_p
libc.malloc.argtypes = [ctypes.c_size_t]
libc.free.restype = None
libc.free.argtypes = [ctypes.c_void_p]


def test_planted_use_after_free():
    p = libc.malloc(64)
    ctypes.memset(p, 0x5A, 64)
    libc.free(p)
    # Reads freed memory (valgrind keeps freed blocks out of reuse for a while, so this is
    # reported, not a crash).
    stale = ctypes.string_at(p, 64)
    assert len(stale) == 64


def test_planted_uninitialised_read():
    p = libc.malloc(64)
    stale = ctypes.string_at(p, 64)  # never written: valgrind tracks these bytes as undefined
    libc.free(p)
    # Branching on them (int comparison in the interpreter) is reported.
    assert (stale[0] == 0) in (True, False)


def test_planted_leaked_reference():
    # One reference too many, as a refcounting bug in an extension would leave: the image is
    # never deallocated, and once Python drops its names for it no pointer to it remains.
    image = buffer_example.Image(300, 200)  # 240000 bytes of pixels, easy to spot
    ctypes.pythonapi.Py_IncRef(ctypes.py_object(image))
    del image
    gc.collect()
