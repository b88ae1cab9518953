"""Shared fixtures for the pytest suite of the `buffer_example` extension module.

The module is built and installed by scripts/python-tests (maturin develop into a virtualenv).
"""
import ctypes
import gc

import pytest



def _import_module():
    # A missing module is an error, not a skip: the suite exists to test it.
    import buffer_example as module

    return module


@pytest.fixture(scope="session")
def bx():
    return _import_module()


class Py_buffer(ctypes.Structure):
    """CPython's Py_buffer, to request exports with explicit flags through ctypes."""

    _fields_ = [
        ("buf", ctypes.c_void_p),
        ("obj", ctypes.c_void_p),
        ("len", ctypes.c_ssize_t),
        ("itemsize", ctypes.c_ssize_t),
        ("readonly", ctypes.c_int),
        ("ndim", ctypes.c_int),
        ("format", ctypes.c_char_p),
        ("shape", ctypes.POINTER(ctypes.c_ssize_t)),
        ("strides", ctypes.POINTER(ctypes.c_ssize_t)),
        ("suboffsets", ctypes.POINTER(ctypes.c_ssize_t)),
        ("internal", ctypes.c_void_p),
    ]


_get = ctypes.pythonapi.PyObject_GetBuffer
_get.argtypes = [ctypes.py_object, ctypes.POINTER(Py_buffer), ctypes.c_int]
_get.restype = ctypes.c_int
_release = ctypes.pythonapi.PyBuffer_Release
_release.argtypes = [ctypes.POINTER(Py_buffer)]
_release.restype = None


class Request:
    """`with Request(obj, flags) as view:` calls PyObject_GetBuffer / PyBuffer_Release."""

    def __init__(self, obj, flags):
        self.obj, self.flags = obj, flags
        self.view = Py_buffer()

    def __enter__(self):
        # ctypes raises the Python exception set by a failed PyObject_GetBuffer.
        _get(self.obj, ctypes.byref(self.view), self.flags)
        return self

    def __exit__(self, *exc):
        _release(ctypes.byref(self.view))
        gc.collect()

    @property
    def format(self):
        f = self.view.format
        return None if f is None else f.decode()

    def _dims(self, p):
        return None if not p else tuple(p[i] for i in range(self.view.ndim))

    @property
    def shape(self):
        return self._dims(self.view.shape)

    @property
    def strides(self):
        return self._dims(self.view.strides)


@pytest.fixture
def request_buffer():
    return Request


# The C API's request flags (Include/pybuffer.h).
PyBUF_SIMPLE = 0
PyBUF_WRITABLE = 0x0001
PyBUF_FORMAT = 0x0004
PyBUF_ND = 0x0008
PyBUF_STRIDES = 0x0010 | PyBUF_ND
PyBUF_C_CONTIGUOUS = 0x0020 | PyBUF_STRIDES
PyBUF_F_CONTIGUOUS = 0x0040 | PyBUF_STRIDES
PyBUF_ANY_CONTIGUOUS = 0x0080 | PyBUF_STRIDES
PyBUF_INDIRECT = 0x0100 | PyBUF_STRIDES
PyBUF_CONTIG = PyBUF_ND | PyBUF_WRITABLE
PyBUF_CONTIG_RO = PyBUF_ND
PyBUF_STRIDED = PyBUF_STRIDES | PyBUF_WRITABLE
PyBUF_STRIDED_RO = PyBUF_STRIDES
PyBUF_RECORDS = PyBUF_STRIDES | PyBUF_WRITABLE | PyBUF_FORMAT
PyBUF_RECORDS_RO = PyBUF_STRIDES | PyBUF_FORMAT
PyBUF_FULL = PyBUF_INDIRECT | PyBUF_WRITABLE | PyBUF_FORMAT
PyBUF_FULL_RO = PyBUF_INDIRECT | PyBUF_FORMAT
