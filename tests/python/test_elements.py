"""Element types of other crates (features `half`, `num-complex`): `half::f16` (format `e`) and
`num_complex::Complex<f32>`/`Complex<f64>` (`Zf`/`Zd`), exported by Rust and read back by Rust,
checked against numpy's float16/complex64/complex128 and CPython's memoryview and struct."""
import math
import struct
import sys

import numpy as np
import pytest

LITTLE = sys.byteorder == "little"
O = "<" if LITTLE else ">"

# Exact, rounded (0.1, 1/3), overflowing (65520 rounds to inf), subnormal (2**-24), underflowing
# (1e-8 rounds to 0), signed zero, infinities and NaN.
HALF_VALUES = [0.0, -0.0, 1.5, -2.0, 65504.0, 2.0**-24, 2.0**-14, 0.1, 1 / 3, 65520.0, 1e-8,
               math.inf, -math.inf, math.nan]


def numpy_halves(xs):
    with np.errstate(over="ignore"):  # 65520 rounds to inf, as intended
        return np.array(xs, dtype=np.float16)


def same_floats(a, b):
    assert len(a) == len(b)
    for x, y in zip(a, b):
        if math.isnan(x):
            assert math.isnan(y), (a, b)
        else:
            assert x == y and math.copysign(1, x) == math.copysign(1, y), (a, b)


def test_f16_export_agrees_with_numpy_memoryview_and_struct(bx):
    obj = bx.halves(HALF_VALUES)
    n = len(HALF_VALUES)
    with memoryview(obj) as m:
        assert (m.format, m.itemsize, m.shape, m.readonly) == ("e", 2, (n,), False)
        ours = m.tobytes()
        # Rust's rounding (the half crate) and numpy's give the same bits for every value.
        assert ours == numpy_halves(HALF_VALUES).tobytes()
        if sys.version_info >= (3, 12):
            # memoryview unpacks `e` since CPython 3.12: its values are struct's.
            same_floats(m.tolist(), list(struct.unpack(f"{n}e", ours)))
            same_floats([m[i] for i in range(n)], m.tolist())
        else:
            with pytest.raises(NotImplementedError, match="format e not supported"):
                m.tolist()
    a = np.asarray(obj)
    assert a.dtype == np.float16 and a.shape == (n,)
    same_floats(a.astype(np.float64).tolist(), list(struct.unpack(f"{n}e", ours)))
    # Writable: numpy writes into Rust's vector, and Rust reads the write back.
    a[2] = 3.0
    assert bx.half_bits(obj)[2] == 0x4200


def test_numpy_float16_read_by_rust(bx):
    a = numpy_halves(HALF_VALUES)
    assert bx.half_bits(a) == a.view(np.uint16).tolist()
    rev = a[::-3]  # strided and reversed: Rust reads items where numpy's strides put them
    assert bx.half_bits(rev) == rev.copy().view(np.uint16).tolist()
    # Another byte order is another format: refused, not read with swapped bytes.
    with pytest.raises(ValueError):
        bx.half_bits(a.astype(">f2" if LITTLE else "<f2"))
    with pytest.raises(ValueError):
        bx.half_bits(np.zeros(3, dtype=np.uint16))  # `H` is not `e`


def test_struct_with_f16_fields_is_a_numpy_structured_array(bx):
    obj = bx.half_samples([(1.5, -0.25), (65504.0, 2.0**-24)])
    with memoryview(obj) as m:
        assert m.format == f"T{{{O}e:level:{O}e:gain:}}"
        assert m.itemsize == 4
    a = np.asarray(obj)
    assert a.dtype == np.dtype([("level", O + "f2"), ("gain", O + "f2")])
    assert a["level"].tolist() == [1.5, 65504.0]
    assert a["gain"].tolist() == [-0.25, 2.0**-24]


COMPLEX_PAIRS = [(1.0, -2.0), (0.5, 0.0), (-0.0, 1e-30), (3.25, math.inf), (math.nan, 1.0)]


@pytest.mark.parametrize("double, fmt, dtype", [(False, "Zf", np.complex64), (True, "Zd", np.complex128)])
def test_complex_export_agrees_with_numpy_and_memoryview(bx, double, fmt, dtype):
    obj = bx.complexes(COMPLEX_PAIRS, double)
    n = len(COMPLEX_PAIRS)
    expected = np.array([complex(r, i) for r, i in COMPLEX_PAIRS], dtype=dtype)
    with memoryview(obj) as m:
        assert (m.format, m.itemsize, m.shape) == (fmt, expected.itemsize, (n,))
        assert m.tobytes() == expected.tobytes()
        # CPython's memoryview has no complex codes: it describes the buffer but cannot unpack it.
        with pytest.raises(NotImplementedError, match="unsupported format"):
            m.tolist()
    a = np.asarray(obj)
    assert a.dtype == dtype and a.tobytes() == expected.tobytes()
    # Writable: numpy writes, Rust reads the write back.
    a[0] = 4 - 5j
    assert bx.complex_parts(obj)[0] == (4.0, -5.0)


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
def test_numpy_complex_read_by_rust(bx, dtype):
    a = np.array([complex(r, i) for r, i in COMPLEX_PAIRS], dtype=dtype)
    for arr in (a, a[::-2]):
        got = bx.complex_parts(arr)
        want = [(float(z.real), float(z.imag)) for z in arr]
        assert len(got) == len(want)
        for g, w in zip(got, want):
            same_floats(list(g), list(w))
    with pytest.raises(ValueError):
        bx.complex_parts(np.zeros(2, dtype=np.float64))  # `d` is neither `Zf` nor `Zd`
