"""Building memoryviews from raw bytes plus a layout, and recording them.

Part of the memoryview test-vector generator (see memoryview_vectors.py).

A view record is what the Rust replay needs to build the same view:
{"raw": hex of the whole underlying buffer, "format", "itemsize", "shape", "strides" (bytes),
 "offset" (bytes from the start of raw to item [0,...,0]), "readonly", "src"}.
"""

import array
import struct

import numpy as np
from _testbuffer import ND_WRITABLE, ndarray

from mv_values import base_char, random_item

# Formats the generator puts into views. Bare and '@'-prefixed native chars, plus a few
# non-native struct formats (CPython's memoryview reports their attributes and bytes but
# refuses to unpack them).
NATIVE_FORMATS = list("?cbBhHiIlLqQnNfdeP")
VIEW_FORMATS = NATIVE_FORMATS + ["@" + c for c in NATIVE_FORMATS]
NON_NATIVE_FORMATS = ["<i", ">h", "=q", "!I", "<d", ">f", "<?", "=B"]


def c_strides(shape, itemsize):
    strides = [0] * len(shape)
    acc = itemsize
    for k in range(len(shape) - 1, -1, -1):
        strides[k] = acc
        acc *= max(shape[k], 1)
    return strides


def f_strides(shape, itemsize):
    strides = [0] * len(shape)
    acc = itemsize
    for k in range(len(shape)):
        strides[k] = acc
        acc *= max(shape[k], 1)
    return strides


def random_shape(rng, ndim):
    shape = []
    for _ in range(ndim):
        r = rng.random()
        shape.append(0 if r < 0.06 else rng.choice([1, 2, 2, 3, 3, 4]) if ndim > 2 else rng.randint(1, 6))
    return shape


def random_strides_items(rng, shape, aliasing=True):
    """Strides in units of items: C, F, or random (zero and negative when `aliasing`)."""
    ndim = len(shape)
    r = rng.random()
    if r < 0.3:
        return c_strides(shape, 1)
    if r < 0.42:
        return f_strides(shape, 1)
    if not aliasing or r < 0.62:
        # A permuted, possibly gapped and reversed, non-aliasing layout.
        order = list(range(ndim))
        rng.shuffle(order)
        strides = [0] * ndim
        acc = rng.choice([1, 1, 2])
        for k in order:
            strides[k] = acc * rng.choice([1, -1])
            acc *= max(shape[k], 1) * rng.choice([1, 1, 2])
        return strides
    return [rng.choice([-3, -2, -1, 0, 0, 1, 2, 3]) for _ in range(ndim)]


def extent(shape, strides):
    """(lowest, highest) item position touched, relative to item [0,...,0]."""
    lo = hi = 0
    if any(s == 0 for s in shape):
        return 0, 0
    for s, st in zip(shape, strides):
        span = (s - 1) * st
        lo += min(0, span)
        hi += max(0, span)
    return lo, hi


def record(raw, fmt, itemsize, shape, strides, offset, readonly, src):
    return {
        "raw": raw.hex(),
        "format": fmt,
        "itemsize": itemsize,
        "shape": list(shape),
        "strides": list(strides),
        "offset": offset,
        "readonly": readonly,
        "src": src,
    }


class TBView:
    """A `_testbuffer.ndarray` built from items + layout, re-creatable for mutating cases."""

    def __init__(self, fmt, items, shape, strides_items, offset_items, readonly):
        self.fmt = fmt
        self.items = items
        self.itemsize = struct.calcsize(fmt)
        self.shape = shape
        self.strides = [s * self.itemsize for s in strides_items]
        self.offset = offset_items * self.itemsize
        self.readonly = readonly
        self.raw = b"".join(struct.pack(fmt, x) for x in items)
        mv = self.make()
        # The packed base must be exactly what _testbuffer holds.
        full = memoryview(ndarray(items, shape=[len(items)], format=fmt)).tobytes()
        assert full == self.raw, (fmt, items)
        assert list(mv.shape) == shape and list(mv.strides) == self.strides, (mv.shape, mv.strides)
        assert mv.format == fmt and mv.readonly == readonly

    def make(self):
        flags = 0 if self.readonly else ND_WRITABLE
        nd = ndarray(self.items, shape=self.shape, strides=self.strides, offset=self.offset, format=self.fmt, flags=flags)
        return memoryview(nd)

    def record(self, src="testbuffer"):
        return record(self.raw, self.fmt, self.itemsize, self.shape, self.strides, self.offset, self.readonly, src)


def random_tb_view(rng, fmt, ndim=None, readonly=None, shape=None, aliasing=True, items_for=None):
    """A random `_testbuffer` view of format `fmt`.

    `items_for`: optional list of logical items in C order to place into the view (then the
    layout never aliases)."""
    ch = base_char(fmt) or fmt[-1]
    if shape is not None:
        ndim = len(shape)
    elif ndim is None:
        ndim = rng.choices([0, 1, 2, 3, 4], weights=[6, 34, 30, 18, 12])[0]
    if shape is None:
        shape = random_shape(rng, ndim)
    if items_for is not None:
        aliasing = False
    st = random_strides_items(rng, shape, aliasing)
    lo, hi = extent(shape, st)
    if ndim == 0:
        off, n = 0, 1  # _testbuffer takes exactly one item for a 0-d array
    else:
        off = -lo + rng.choice([0, 0, 1, 2])
        n = off + hi + 1 + rng.choice([0, 0, 1, 3])
    items = [random_item(rng, ch) for _ in range(n)]
    if items_for is not None:
        for flat, idx in enumerate(iter_indices(shape)):
            items[off + sum(i * s for i, s in zip(idx, st))] = items_for[flat]
    if readonly is None:
        readonly = rng.random() < 0.4
    return TBView(fmt, items, shape, st, off, readonly)


def iter_indices(shape):
    if not shape:
        yield ()
        return
    if any(s == 0 for s in shape):
        return
    idx = [0] * len(shape)
    while True:
        yield tuple(idx)
        k = len(shape) - 1
        while k >= 0:
            idx[k] += 1
            if idx[k] < shape[k]:
                break
            idx[k] = 0
            k -= 1
        if k < 0:
            return


class BytesView:
    """memoryview over bytes / bytearray / array.array, optionally cast and sliced."""

    def __init__(self, kind, raw, typecode=None, cast=None, sl=None):
        self.kind, self.raw, self.typecode, self.cast, self.sl = kind, raw, typecode, cast, sl
        mv = self.make()
        # Layout of the result: from a contiguous base, a dim-0 slice only moves the offset.
        itemsize = mv.itemsize
        offset = 0
        if sl is not None:
            start, _, _ = sl.indices(self.pre_len)
            n = len(range(*sl.indices(self.pre_len)))
            offset = start * self.pre_stride0 if n > 0 else 0
        self.rec = record(raw, mv.format, itemsize, mv.shape, mv.strides, offset, mv.readonly, kind)
        self.mv = mv

    def make(self):
        if self.kind == "bytes":
            m = memoryview(bytes(self.raw))
        elif self.kind == "bytearray":
            m = memoryview(bytearray(self.raw))
        else:
            m = memoryview(array.array(self.typecode, self.raw))
        if self.cast is not None:
            m = m.cast(*self.cast)
        self.pre_len = len(m) if m.ndim else 0
        self.pre_stride0 = m.strides[0] if m.ndim else 0
        if self.sl is not None:
            m = m[self.sl]
        return m


def np_view(raw, dtype, shape, strides, offset, readonly):
    """A numpy array over `raw` with an explicit layout, and its memoryview."""
    buf = bytes(raw) if readonly else bytearray(raw)
    a = np.ndarray(shape, dtype=dtype, buffer=buf, offset=offset, strides=strides)
    return a, memoryview(a)


class NPView:
    """A numpy array over raw bytes with any byte offset and byte strides (unaligned items,
    strides that are not multiples of the item size), re-creatable for mutating cases."""

    def __init__(self, raw, dtype, shape, strides, offset, readonly):
        self.raw, self.dtype, self.shape = bytes(raw), np.dtype(dtype), list(shape)
        self.strides, self.offset, self.readonly = list(strides), offset, readonly
        mv = self.make()
        self.fmt, self.itemsize = mv.format, mv.itemsize
        assert list(mv.shape) == self.shape
        # numpy exports other strides for dimensions of length 1 (and for empty arrays): they
        # address the same items, so record what CPython sees.
        self.exported_strides = list(mv.strides)

    def make(self):
        return np_view(self.raw, self.dtype, self.shape, self.strides, self.offset, self.readonly)[1]

    def record(self):
        return record(self.raw, self.fmt, self.itemsize, self.shape, self.exported_strides, self.offset, self.readonly, "numpy")


def random_np_view(rng, char):
    """A numpy view of native `char` with a random byte-level layout."""
    itemsize = np.dtype(char).itemsize
    ndim = rng.choices([0, 1, 2, 3], weights=[10, 40, 35, 15])[0]
    shape = random_shape(rng, ndim)
    st = [s * itemsize + rng.choice([0, 0, 1, 3]) * (1 if s >= 0 else -1) for s in random_strides_items(rng, shape)]
    lo, hi = extent(shape, st)
    offset = -lo + rng.choice([0, 1, 2, 3])
    n = offset + hi + itemsize + rng.choice([0, 1, 5])
    raw = bytes(rng.randrange(2) if char == "?" else rng.randrange(256) for _ in range(n))
    return NPView(raw, char, shape, st, offset, rng.random() < 0.4)
