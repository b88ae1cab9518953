#!/usr/bin/env python3
"""Differential test vectors for MemoryView, recorded from real CPython (3.11, 3.12, 3.13).

Drives CPython's memoryview over `_testbuffer.ndarray` (arbitrary shapes, zero and negative
strides, offsets, every native format with and without '@', some byte-order-prefixed ones),
bytes / bytearray / array.array (with casts and slices), and numpy arrays (any byte offset
and byte stride, so unaligned items; struct dtypes), and writes what CPython answers as JSON.
The Rust test tests/tests/memoryview_vectors.rs replays every case against `MemoryView`.

Where our view deliberately goes further than CPython, the case also records the answer
our view must give, computed without memoryview: key "beyond" (formats CPython refuses: read
with the struct module or from the numpy dtype; struct views compared by value; numpy as the
oracle for sub-views and N-d slicing, ops "subview" / "nd_slice") and, on 3.11 only,
"via": "struct" (format 'e', which 3.11 refuses and 3.12 supports as an item and a cast
destination: the expectation replaces 3.11's error; see E_NATIVE). The
emulations of reads, indexing, item writes and slice assignment are asserted equal to CPython
on the native formats, wherever both answer the same question.

Operations and their arguments: attrs; tolist; toreadonly; tobytes {order}; hex {sep, bps};
index {index: full tuple}; slice {slice: [start, stop, step]} (null = omitted); cast {steps:
[[format, shape|null], ...]}; eq {other: view}; hash; setitem {index, value (tagged, see
mv_values)}; setslice {slice, src: view}; and with numpy as the oracle: subview {index:
partial tuple}; nd_slice {slices}; permute {axes}; field {name}; setstruct {index, value:
{"struct": [tagged field values]}} (answers with the view's tolist after the write).
Derived views (slice, cast, toreadonly) are summarised as their attributes plus "bytes"
(tobytes hex) and "list" (tolist, where CPython gives one); writes answer with the view's
tobytes hex after the write.

Run a fresh seed against the Rust view:

    python3 tests/python/memoryview_vectors.py --seed 7 --count 2000 --out /tmp/v.json && \
        BUFFER_VECTORS=/tmp/v.json cargo test -p buffer-tests --test memoryview_vectors

Regenerate the committed vectors (deterministic for a seed and numpy version), one file per
CPython, each with the numpy that tests/python/requirements-matrix.txt pins for it (the
virtualenvs of scripts/python-matrix, which also checks that the committed files are what
this script writes):

    target/python-matrix/3.11/venv/bin/python tests/python/memoryview_vectors.py --seed 1 \
        --count 6000 --out tests/vectors/memoryview.json
    target/python-matrix/3.12/venv/bin/python tests/python/memoryview_vectors.py --seed 1 \
        --count 6000 --out tests/vectors/memoryview-3.12.json
    target/python-matrix/3.13/venv/bin/python tests/python/memoryview_vectors.py --seed 1 \
        --count 6000 --out tests/vectors/memoryview-3.13.json

File layout: {"seed", "count", "python", "generator", "views": [view...], "cases": [case...]}.
A view (see mv_views.record) holds the raw bytes as hex plus format, itemsize, shape, strides,
offset and readonly. A case is {"id", "op", "v": view index, <arguments>, and either
"ok": <result> or "err": [exception class name, message]}. Item values are encoded as
described in mv_values.
"""

import argparse
import json
import math
import os
import random
import struct
import sys

sys.dont_write_bytecode = True  # keep the source tree clean of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402

from mv_values import (  # noqa: E402
    FLOAT_CHARS,
    INT_CHARS,
    NATIVE_CHARS,
    base_char,
    enc_any,
    enc_item,
    enc_list,
    enc_write_value,
    random_item,
    write_values,
)
from mv_views import (  # noqa: E402
    NON_NATIVE_FORMATS,
    VIEW_FORMATS,
    BytesView,
    iter_indices,
    np_view,
    random_np_view,
    random_tb_view,
    record,
)

GENERATOR_VERSION = 2

# CPython 3.12 made 'e' (half float) a memoryview format: tolist, indexing, item writes, and a
# `cast` destination. Before 3.12 the generator records what 3.12 answers, emulated with the
# struct module (key "via": "struct"); from 3.12 on it records CPython's own answers and
# asserts that the emulation agrees with them, so the emulation is checked where it is used.
E_NATIVE = sys.version_info >= (3, 12)


def run(f):
    """{"ok": f()} or {"err": [exception class, message]}."""
    try:
        return {"ok": f()}
    except Exception as e:  # every exception CPython raises is a recorded outcome
        return {"err": [type(e).__name__, str(e)]}


def unpack_at(rec, pos):
    ch = base_char(rec["format"]) or rec["format"]
    raw = bytes.fromhex(rec["raw"])
    return struct.unpack(ch, raw[pos : pos + rec["itemsize"]])[0]


def emulated_list(rec, index=None):
    """tolist() (or one item) computed from raw bytes + layout with the struct module.

    Used for format 'e', which CPython 3.11's memoryview refuses to unpack but 3.12 and our
    view do; and as a cross-check of the layout records for every other native format."""
    shape, strides = rec["shape"], rec["strides"]

    def walk(dim, pos):
        if dim == len(shape):
            return unpack_at(rec, pos)
        return [walk(dim + 1, pos + i * strides[dim]) for i in range(shape[dim])]

    if index is not None:
        return unpack_at(rec, rec["offset"] + sum(i * s for i, s in zip(index, strides)))
    return walk(0, rec["offset"])


def np_unpack(dt, raw, pos):
    """One item of numpy dtype `dt` at byte `pos`, as struct would read it (no NUL stripping)."""
    if dt.names:
        return [np_unpack(dt.fields[n][0], raw, pos + dt.fields[n][1]) for n in dt.names]
    if dt.subdtype is not None:
        base, shape = dt.subdtype
        count = math.prod(shape)
        flat = [np_unpack(base, raw, pos + k * base.itemsize) for k in range(count)]
        for n in reversed(shape[1:]):
            flat = [flat[k : k + n] for k in range(0, len(flat), n)]
        return flat
    order = dt.byteorder if dt.byteorder in "<>" else "="
    if dt.kind == "S":
        return raw[pos : pos + dt.itemsize]
    if dt.kind == "c":
        half = dt.itemsize // 2
        ch = "f" if half == 4 else "d"
        re, im = struct.unpack(order + ch + ch, raw[pos : pos + dt.itemsize])
        return complex(re, im)
    return np.frombuffer(raw, dtype=dt, count=1, offset=pos)[0].item()


def beyond_value(rec, dtype, index=None):
    """What our view returns where CPython's memoryview refuses to unpack a format: items read
    with the struct module (byte-order prefixed formats) or from the numpy dtype (structs)."""
    raw = bytes.fromhex(rec["raw"])
    shape, strides = rec["shape"], rec["strides"]

    def one(pos):
        if dtype is not None:
            return np_unpack(dtype, raw, pos)
        return struct.unpack(rec["format"], raw[pos : pos + rec["itemsize"]])[0]

    def walk(dim, pos):
        if dim == len(shape):
            return one(pos)
        return [walk(dim + 1, pos + i * strides[dim]) for i in range(shape[dim])]

    if index is not None:
        return one(rec["offset"] + sum(i * s for i, s in zip(index, strides)))
    return walk(0, rec["offset"])


def meaningful_strides(a):
    """numpy's strides, with None for dimensions of length 1: no two items are that stride
    apart, and numpy exports another value for them than it keeps (the replay treats None
    as "any")."""
    return [None if n == 1 else st for n, st in zip(a.shape, a.strides)]


def same_value(a, b):
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b and type(a) == type(b)


def summary(mv):
    """What a derived view (slice, cast) looks like from Python."""
    s = {
        "format": mv.format,
        "itemsize": mv.itemsize,
        "ndim": mv.ndim,
        "shape": list(mv.shape),
        "strides": list(mv.strides),
        "nbytes": mv.nbytes,
        "readonly": mv.readonly,
        "c_contiguous": mv.c_contiguous,
        "f_contiguous": mv.f_contiguous,
        "contiguous": mv.contiguous,
        "bytes": mv.tobytes().hex(),
    }
    ch = base_char(mv.format)
    if ch is not None and (ch != "e" or E_NATIVE):
        lst = mv.tolist()
        # A bool read of a byte other than 0/1 is undefined in C: leave such lists out.
        if not (ch == "?" and any(b > 1 for b in mv.tobytes())):
            s["list"] = enc_list(ch, lst)
    return s


def attrs(mv):
    return {
        "format": mv.format,
        "itemsize": mv.itemsize,
        "ndim": mv.ndim,
        "shape": list(mv.shape),
        "strides": list(mv.strides),
        "suboffsets": list(mv.suboffsets),
        "nbytes": mv.nbytes,
        "readonly": mv.readonly,
        "c_contiguous": mv.c_contiguous,
        "f_contiguous": mv.f_contiguous,
        "contiguous": mv.contiguous,
    }


class Gen:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        # A second stream for operations added later, so that adding one leaves the cases
        # the main stream draws unchanged.
        self.rng2 = random.Random(f"{seed}/2")
        # Casts to 'e', drawn apart from the main stream (so the other cases stay the same).
        self.rng_e = random.Random(f"{seed}/e-cast")
        self.views = []
        self.cases = []

    def add_view(self, rec):
        self.views.append(rec)
        return len(self.views) - 1

    def add(self, op, v, args, outcome, **extra):
        case = {"id": len(self.cases), "op": op, "v": v}
        case.update(args)
        case.update(extra)
        case.update(outcome)
        self.cases.append(case)

    # ---- operations on one view -------------------------------------------------------

    def read_ops(self, v, mv, rec, dtype=None):
        """Every read-only operation on view `v` (`mv` is CPython's view of it).

        `dtype`: the numpy dtype of a struct-format view, to record what our view returns
        where CPython raises NotImplementedError (key "beyond")."""
        rng = self.rng
        ch = base_char(rec["format"])
        self.add("attrs", v, {}, run(lambda: attrs(mv)))
        if rng.random() < 0.1:
            self.add("toreadonly", v, {}, run(lambda: summary(mv.toreadonly())))
        if rng.random() < 0.08:
            # A view against itself: unequal when it holds a NaN (or a struct format).
            self.add("eq", v, {"other": v}, run(lambda: mv == mv), **self.self_eq_beyond(rec, dtype))

        # tolist
        if ch == "e" and not E_NATIVE:
            self.add("tolist", v, {}, {"ok": enc_list(ch, emulated_list(rec))}, via="struct")
        else:
            out = run(mv.tolist)
            extra = {}
            if "ok" in out:
                assert same_value(out["ok"], emulated_list(rec)), rec
                out = {"ok": enc_list(ch, out["ok"])}
            elif out["err"][1].startswith("memoryview: unsupported format"):
                extra = {"beyond": {"ok": enc_any(beyond_value(rec, dtype))}}
            self.add("tolist", v, {}, out, **extra)

        # tobytes
        for order in rng.sample(["C", "F", "A"], rng.choice([1, 1, 2])) + (["X"] if rng.random() < 0.03 else []):
            self.add("tobytes", v, {"order": order}, run(lambda: mv.tobytes(order).hex()))

        # hex
        sep = rng.choice([None, None, ":", " ", "-", "_", ":", "|"] if rng.random() < 0.9 else ["é", "", "ab"])
        bps = rng.choice([0, 1, 1, 2, 3, 4, 5, 8, -1, -2, -3, -4, -7])
        if sep is None:
            self.add("hex", v, {"sep": None, "bps": 0}, run(lambda: mv.hex()))
        else:
            self.add("hex", v, {"sep": sep, "bps": bps}, run(lambda: mv.hex(sep, bps)))

        # full-tuple index
        for _ in range(rng.choice([1, 2, 2, 3])):
            extra = {}
            idx = self.random_index(mv.shape)
            out = run(lambda: mv[tuple(idx)])
            if ch == "e" and "ok" not in out and out["err"][0] == "NotImplementedError":
                # CPython 3.11 checked the index and then refused to unpack 'e'; record
                # what 3.12 (and our view) returns instead.
                out = self.emulated_index(rec, idx, lambda n: enc_item("e", emulated_list(rec, n)))
                extra = {"via": "struct"}
            elif "ok" in out:
                norm = [i + s if i < 0 else i for i, s in zip(idx, rec["shape"])]
                assert same_value(out["ok"], emulated_list(rec, norm)), (rec, idx)
                out = {"ok": enc_item(ch, out["ok"])}
            elif out["err"][1].startswith("memoryview: unsupported format"):
                # CPython refuses the format before it looks at the index.
                extra = {"beyond": self.emulated_index(rec, idx, lambda n: enc_any(beyond_value(rec, dtype, n)))}
            if ch is not None and (ch != "e" or E_NATIVE):
                emu = self.emulated_index(rec, idx, lambda n: enc_item(ch, emulated_list(rec, n)))
                assert emu == out, (rec, idx, emu, out)
            self.add("index", v, {"index": idx}, out, **extra)

        # dim-0 slice
        for _ in range(rng.choice([1, 1, 2])):
            sl = self.random_slice(mv.shape[0] if mv.ndim else 3)
            out = run(lambda: summary(mv[slice(*sl)]))
            self.add("slice", v, {"slice": sl}, out)

        # casts (chains of casts; each step's error counts); CPython only casts C-contiguous
        # views, so cast those more often
        for _ in range(rng.choice([1, 2]) if mv.c_contiguous else int(rng.random() < 0.4)):
            self.cast_case(v, mv, rec)

        # beyond CPython: numpy as the oracle for sub-views and multi-dimensional slicing
        if mv.ndim >= 2 and rng.random() < 0.5:
            self.np_case(v, rec)
        if mv.ndim >= 2 and self.rng2.random() < 0.5:
            self.np_case(v, rec, self.rng2)

    def self_eq_beyond(self, rec, dtype):
        if base_char(rec["format"]) is not None or self.struct_parses(rec["format"]):
            return {}
        vals = beyond_value(rec, dtype)
        return {"beyond": {"ok": vals == beyond_value(rec, dtype)}}

    def emulated_index(self, rec, idx, read):
        """CPython 3.12's outcome of `m[tuple(idx)]`, reading the item with `read(index)`."""
        shape = rec["shape"]
        if len(idx) != len(shape):
            if len(shape) == 0:
                return {"err": ["TypeError", "invalid indexing of 0-dim memory"]}
            if len(idx) > len(shape):
                return {"err": ["TypeError", f"cannot index {len(shape)}-dimension view with {len(idx)}-element tuple"]}
            return {"err": ["NotImplementedError", "sub-views are not implemented"]}
        norm = []
        for dim, (i, s) in enumerate(zip(idx, shape)):
            j = i + s if i < 0 else i
            if not 0 <= j < s:
                return {"err": ["IndexError", f"index out of bounds on dimension {dim + 1}"]}
            norm.append(j)
        return {"ok": read(norm)}

    @staticmethod
    def struct_parses(fmt):
        try:
            struct.calcsize(fmt)
            return True
        except struct.error:
            return False

    def emulated_setitem(self, rec, idx, value):
        """`m[idx] = value` where CPython 3.11 refuses the format: memoryview's checks in
        CPython's order (read-only, index), then packing. Native 'e' gets memoryview's
        messages (as 3.12 does for every float format: a float too large is an invalid value);
        other formats the struct module's, whose `struct.error` is a TypeError for a value of
        the wrong type and a ValueError otherwise."""
        if rec["readonly"]:
            return {"err": ["TypeError", "cannot modify read-only memory"]}
        pos = self.emulated_index(rec, idx, lambda n: n)
        if "err" in pos:
            return pos
        fmt = rec["format"]
        if base_char(fmt) == "e":
            if isinstance(value, (bytes, str)):
                return {"err": ["TypeError", "memoryview: invalid type for format 'e'"]}
            try:
                packed = struct.pack("e", float(value))
            except OverflowError:
                return {"err": ["ValueError", "memoryview: invalid value for format 'e'"]}
        else:
            try:
                packed = struct.pack(fmt, value)
            except struct.error as e:
                kind = "TypeError" if str(e).startswith("required argument is not") else "ValueError"
                return {"err": [kind, str(e)]}
            except OverflowError as e:
                return {"err": ["OverflowError", str(e)]}
        raw = bytearray.fromhex(rec["raw"])
        p = rec["offset"] + sum(i * s for i, s in zip(pos["ok"], rec["strides"]))
        raw[p : p + len(packed)] = packed
        return {"ok": self.emulated_bytes(dict(rec, raw=raw.hex()))}

    def random_index(self, shape):
        rng = self.rng
        ndim = len(shape)
        r = rng.random()
        if r < 0.05:
            return [rng.randint(-2, 2) for _ in range(ndim + 1)]  # too many indices
        if r < 0.08 and ndim >= 2:
            return [rng.randint(0, s - 1) if s else 0 for s in shape[: rng.randint(1, ndim - 1)]]  # sub-view
        out = []
        for s in shape:
            if rng.random() < 0.12:
                out.append(rng.choice([s, s + 1, -s - 1, -s - 3, 1 << 40]))
            elif s > 0:
                i = rng.randrange(s)
                out.append(i - s if rng.random() < 0.3 else i)
            else:
                out.append(0)
        return out

    def random_slice(self, n, rng=None):
        rng = rng or self.rng

        def bound():
            r = rng.random()
            if r < 0.3:
                return None
            return rng.randint(-n - 2, n + 2)

        step = rng.choice([None, None, 1, 2, 3, -1, -1, -2, -3, 0] if rng.random() < 0.97 else [0])
        return [bound(), bound(), step]

    def cast_case(self, v, mv, rec):
        rng = self.rng
        natives = list(NATIVE_CHARS.replace("e", ""))
        steps = []
        if rng.random() < 0.6 and mv.format not in ("B", "b", "c"):
            steps.append([rng.choice(["B", "b", "c", "@B"]), None])
        nbytes = mv.nbytes
        r = rng.random()
        if r < 0.08:
            fmt = rng.choice(["<i", "x", "2i", "T{i}", "Zd", "ii", "", "e", "@", "B "])
        else:
            fmt = rng.choice(natives) if rng.random() < 0.8 else "@" + rng.choice(natives)
        itemsize = struct.calcsize(fmt) if base_char(fmt) else 1
        n = nbytes // itemsize
        r = rng.random()
        if r < 0.35:
            shape = None
        elif r < 0.8 and n > 0:
            shape = self.factor(n)
        else:
            shape = rng.choice([[n + 1], [0], [], [2, -1], [1] * 65, [n, 1, 1], [max(n, 1)]])
        steps.append([fmt, shape])
        if rng.random() < 0.15:
            steps.append(["B", None])

        self.add_cast(v, mv, steps)
        # The same chain with 'e' as the destination, from a stream of its own.
        erng = self.rng_e
        if erng.random() < 0.3:
            n = nbytes // 2
            shape = erng.choice([None, None, [n], [max(n, 1) + 1], [2, n // 2] if n % 2 == 0 else [n, 1]])
            esteps = [list(s) for s in steps]
            esteps[-2 if len(steps) > 1 and steps[-1] == ["B", None] and fmt != "B" else -1] = [erng.choice(["e", "e", "@e"]), shape]
            self.add_cast(v, mv, esteps)

    def add_cast(self, v, mv, steps):
        def chain(steps):
            def go():
                m = mv
                for f, s in steps:
                    m = m.cast(f) if s is None else m.cast(f, s)
                return summary(m)

            return run(go)

        out = chain(steps)
        extra = {}
        if any(base_char(f) == "e" for f, _ in steps):
            emu = self.emulated_e_cast(chain, steps)
            if E_NATIVE:
                assert emu == out, (steps, emu, out)
            else:
                out, extra = emu, {"via": "struct"}
        self.add("cast", v, {"steps": steps}, out, **extra)

    @staticmethod
    def emulated_e_cast(chain, steps):
        """A chain of casts with 'e' destinations as CPython 3.12 answers it: the same chain
        with 'H' (also 2 bytes, also not a byte format, so every check and message of
        `cast` is the same) in place of 'e', the format and values put back."""
        hsteps = [[f.replace("e", "H") if base_char(f) == "e" else f, s] for f, s in steps]
        out = chain(hsteps)
        last = steps[-1][0]
        if "ok" in out and base_char(last) == "e":
            ok = dict(out["ok"], format=last)
            rec = {"raw": ok["bytes"], "format": "e", "itemsize": 2, "shape": ok["shape"], "strides": ok["strides"], "offset": 0}
            ok["list"] = enc_list("e", emulated_list(rec))
            out = {"ok": ok}
        return out

    def factor(self, n):
        rng = self.rng
        dims = []
        ndim = rng.choice([1, 1, 2, 2, 3, 4])
        for _ in range(ndim - 1):
            divs = [d for d in range(1, min(n, 6) + 1) if n % d == 0]
            d = rng.choice(divs)
            dims.append(d)
            n //= d
        dims.append(n)
        rng.shuffle(dims)
        return dims

    def np_case(self, v, rec, rng=None):
        """Sub-view (partial index), per-dimension slicing and axis permutation, with numpy as
        the oracle."""
        rng = rng or self.rng
        raw = bytes.fromhex(rec["raw"])
        a = np.ndarray(rec["shape"], dtype=f"V{rec['itemsize']}", buffer=raw, offset=rec["offset"], strides=rec["strides"])
        shape = rec["shape"]
        if rng.random() < 0.5:
            k = rng.randint(1, len(shape) - 1)
            idx = [rng.randint(-s, s - 1) if s > 0 else 0 for s in shape[:k]]
            if any(s == 0 for s in shape[:k]) or rng.random() < 0.1:
                idx = [shape[0] + 1] + idx[1:]
            out = run(lambda: self.np_summary(a[tuple(idx)], rec))
            if "err" in out:
                out = {"err": ["IndexError", None]}  # numpy's message is not CPython's
            self.add("subview", v, {"index": idx}, out)
        elif rng.random() < 0.4:
            axes = list(range(len(shape)))
            rng.shuffle(axes)
            if rng.random() < 0.1:
                axes[0] = axes[-1]  # not a permutation
                self.add("permute", v, {"axes": axes}, {"err": ["ValueError", None]})
                return
            self.add("permute", v, {"axes": axes}, run(lambda: self.np_summary(a.transpose(axes), rec)))
        else:
            sls = [self.random_slice(s, rng) for s in shape[: rng.randint(1, len(shape))]]
            sls = [[a_, b_, c_ if c_ != 0 else 1] for a_, b_, c_ in sls]
            out = run(lambda: self.np_summary(a[tuple(slice(*s) for s in sls)], rec))
            self.add("nd_slice", v, {"slices": sls}, out)

    def np_summary(self, a, rec):
        out = {"shape": list(a.shape), "bytes": a.tobytes().hex()}
        if a.size > 0:
            # numpy's strides of an empty result are not meaningful (it does not apply the
            # step): compare them only where items exist.
            out["strides"] = meaningful_strides(a)
        return out

    def write_ops(self, tb, v):
        """Item writes and slice assignment, each on a fresh copy of `tb`."""
        rng = self.rng
        ch = base_char(tb.fmt)
        packable = ch is not None or self.struct_parses(tb.fmt)
        for value in rng.sample(write_values(rng, ch or tb.fmt[-1]), 2) if packable else []:
            mv = tb.make()
            idx = self.random_index(mv.shape) if rng.random() < 0.3 else self.valid_index(mv.shape)

            def go():
                mv[tuple(idx)] = value
                return mv.tobytes().hex()

            out = run(go)
            extra = {}
            if "err" in out and out["err"][0] == "NotImplementedError" and "format" in out["err"][1]:
                # CPython 3.11 packs neither 'e' nor non-native formats; 3.12 packs 'e', and
                # our view packs both: record that answer, emulated with the struct module.
                extra = {"via": "struct"} if ch == "e" else {"beyond": None}
                key = "via_expect" if ch == "e" else "beyond"
                extra[key] = self.emulated_setitem(tb.record(), idx, value)
                if ch == "e":
                    out = extra.pop("via_expect")
            elif ch is not None:
                # Where the emulation and CPython answer the same question (read-only, index,
                # a value both accept), they must agree.
                emu = self.emulated_setitem(tb.record(), idx, value)
                structural = "err" in emu and not emu["err"][1].startswith(("memoryview: invalid", "required", "argument")) and emu["err"][0] != "ValueError"
                if structural or ("ok" in emu and "ok" in out):
                    assert emu == out, (tb.record(), idx, value, emu, out)
            self.add("setitem", v, {"index": idx, "value": enc_write_value(value)}, out, **extra)
        # Slice assignment copies bytes, for any format; on N-d views CPython refuses.
        for _ in range(2 if len(tb.shape) == 1 else int(len(tb.shape) > 1 and rng.random() < 0.15)):
            mv = tb.make()
            n0 = tb.shape[0] if tb.shape else 1
            sl = self.random_slice(n0)
            n = len(range(*slice(*sl).indices(n0))) if sl[2] != 0 else 1
            r = rng.random()
            fmt = tb.fmt
            if r < 0.1:
                fmt = rng.choice(["B", "i", "q", tb.fmt.lstrip("@") if tb.fmt.startswith("@") else "@" + tb.fmt])
                if base_char(fmt) is None:
                    fmt = "B"
            elif r < 0.2:
                n = n + rng.choice([-1, 1]) if n > 0 else 1
            src = random_tb_view(rng, fmt, shape=[n], readonly=rng.random() < 0.5)
            w = self.add_view(src.record())
            smv = src.make()

            def go():
                mv[slice(*sl)] = smv
                return mv.tobytes().hex()

            out = run(go)
            extra = {}
            if "err" in out and out["err"][1].startswith("memoryview: unsupported format"):
                extra = {"beyond": self.emulated_setslice(tb.record(), sl, src.record())}
            else:
                # The emulation must agree with CPython wherever CPython answers.
                assert self.emulated_setslice(tb.record(), sl, src.record()) == out, (sl, out)
            self.add("setslice", v, {"slice": sl, "src": w}, out, **extra)

    def emulated_setslice(self, dst, sl, src):
        """`dst[slice] = src` by copying bytes, as CPython does for the formats it can read (and
        our view does for every format). Asserted equal to CPython where CPython answers."""
        if dst["readonly"]:
            return {"err": ["TypeError", "cannot modify read-only memory"]}
        if len(dst["shape"]) != 1:
            return {"err": ["NotImplementedError", "memoryview slice assignments are currently restricted to ndim = 1"]}
        if sl[2] == 0:
            return {"err": ["ValueError", "slice step cannot be zero"]}
        idx = range(*slice(*sl).indices(dst["shape"][0]))
        same = dst["format"].lstrip("@") == src["format"].lstrip("@") and dst["itemsize"] == src["itemsize"]
        if not same or len(idx) != src["shape"][0]:
            return {"err": ["ValueError", "memoryview assignment: lvalue and rvalue have different structures"]}
        raw = bytearray.fromhex(dst["raw"])
        sraw = bytes.fromhex(src["raw"])
        isz = dst["itemsize"]
        for k, i in enumerate(idx):
            p = dst["offset"] + i * dst["strides"][0]
            q = src["offset"] + k * src["strides"][0]
            raw[p : p + isz] = sraw[q : q + isz]
        out = bytearray()
        for i in range(dst["shape"][0]):
            p = dst["offset"] + i * dst["strides"][0]
            out += raw[p : p + isz]
        return {"ok": out.hex()}

    def valid_index(self, shape):
        rng = self.rng
        return [rng.randrange(s) if s > 0 else 0 for s in shape]

    def eq_case(self, v, mv, rec, arr=None):
        """Compare with a view of the same values in another format and layout (or not)."""
        rng = self.rng
        ch = base_char(rec["format"])
        shape = list(rec["shape"])
        if ch is None:
            try:
                struct.calcsize(rec["format"])
            except struct.error:
                return self.np_eq_case(v, mv, rec, arr)
        flat = [emulated_list(rec, idx) for idx in iter_indices(shape)]
        if ch is None:
            candidates = [rec["format"], rec["format"][-1]]
        else:
            candidates = [c for c in NATIVE_CHARS if self.packs(c, flat)]
            candidates += ["@" + c for c in candidates[:3]]
        if not candidates:
            return
        fmt = rng.choice(candidates)
        other_ch = base_char(fmt)
        items = list(flat)
        if other_ch and other_ch in FLOAT_CHARS:
            items = [float(x) for x in items]
        r = rng.random()
        if r < 0.15 and items:
            k = rng.randrange(len(items))
            items[k] = random_item(rng, other_ch or "B")
        elif 0 in shape and r < 0.6:
            # CPython compares shapes only up to the first zero: [0, 3] equals [0, 5].
            k = shape.index(0)
            shape = shape[: k + 1] + [rng.randint(0, 4) for _ in shape[k + 1 :]]
        elif r < 0.25:
            shape = list(reversed(shape)) if len(shape) >= 2 else shape + [1]
            items = (items * 2)[: math.prod(shape)] if shape else items[:1]
            if len(items) < math.prod(shape):
                return
        try:
            other = random_tb_view(rng, fmt, shape=shape, readonly=True, items_for=items)
        except (struct.error, OverflowError, ValueError, TypeError):
            return
        w = self.add_view(other.record())
        omv = other.make()
        self.add("eq", v, {"other": w}, run(lambda: mv == omv))

    def np_eq_case(self, v, mv, rec, arr):
        """A struct-format view against a C-contiguous copy of itself (or a changed copy)."""
        # Byte-level copy: numpy copies struct items field by field, leaving padding undefined.
        raw = bytearray.fromhex(self.emulated_bytes(rec))
        if raw and self.rng.random() < 0.3:
            raw[self.rng.randrange(len(raw))] ^= 1
        other = np.frombuffer(bytes(raw), dtype=arr.dtype).reshape(arr.shape)
        omv = memoryview(other)
        orec = record(bytes(raw), omv.format, omv.itemsize, list(omv.shape), list(omv.strides), 0, True, "numpy")
        w = self.add_view(orec)
        # CPython answers False whenever the struct module cannot parse the format; our view
        # compares the unpacked fields (NaN unequal to itself, as Python's == on floats).
        mine = beyond_value(rec, arr.dtype)
        theirs = beyond_value(orec, arr.dtype)
        self.add("eq", v, {"other": w}, run(lambda: mv == omv), beyond={"ok": mine == theirs})

    @staticmethod
    def packs(c, values):
        if c == "c":
            return all(isinstance(x, bytes) for x in values)
        try:
            for x in values:
                if c in INT_CHARS and not isinstance(x, int):
                    return False
                if c == "?" and x not in (0, 1):
                    return False
                if c in "fd" and isinstance(x, bytes):
                    return False
                if c == "e":
                    return False
                if struct.unpack(c, struct.pack(c, x))[0] != x:
                    return False
            return True
        except (struct.error, OverflowError, TypeError):
            return False

    # ---- view sources -----------------------------------------------------------------

    def tb_round(self):
        rng = self.rng
        fmt = rng.choice(VIEW_FORMATS) if rng.random() < 0.9 else rng.choice(NON_NATIVE_FORMATS)
        tb = random_tb_view(rng, fmt)
        rec = tb.record()
        v = self.add_view(rec)
        mv = tb.make()
        self.read_ops(v, mv, rec)
        if rng.random() < 0.6:
            self.eq_case(v, mv, rec)
        if not tb.readonly or rng.random() < 0.15:
            self.write_ops(tb, v)

    def np_native_round(self):
        """numpy views of native formats at unaligned offsets and odd byte strides."""
        rng = self.rng
        nv = random_np_view(rng, rng.choice("?bBhHiIlLqQefd"))
        rec = nv.record()
        v = self.add_view(rec)
        mv = nv.make()
        assert bytes.fromhex(self.emulated_bytes(rec)) == mv.tobytes(), rec
        self.read_ops(v, mv, rec)
        if rng.random() < 0.5:
            self.eq_case(v, mv, rec)
        if not nv.readonly or rng.random() < 0.15:
            self.write_ops(nv, v)

    def bytes_round(self):
        """bytes / bytearray / array.array sources, casts and slices; hashing."""
        rng = self.rng
        kind = rng.choice(["bytes", "bytes", "bytearray", "array"])
        tc = rng.choice("bBhHiIlLqQfd") if kind == "array" else None
        isz = struct.calcsize(tc) if tc else 1
        n = rng.randint(0, 24) * isz
        raw = bytes(rng.randrange(256) for _ in range(n))
        if tc in ("f", "d"):
            raw = b"".join(struct.pack(tc, random_item(rng, tc)) for _ in range(n // isz))
        cast = None
        if tc is None and rng.random() < 0.4:
            fmt = rng.choice(["B", "b", "c", "@B", "h", "i", "?", "Q"])
            if fmt == "?":
                raw = bytes(b & 1 for b in raw)
            sz = struct.calcsize(fmt)
            if len(raw) % sz == 0 and len(raw) > 0:
                cast = (fmt, self.factor(len(raw) // sz)) if rng.random() < 0.3 else (fmt,)
        sl = None
        bv0 = BytesView(kind, raw, tc, cast)
        if bv0.mv.ndim == 1 and rng.random() < 0.6:
            sl = slice(*[x if x != 0 else 1 for x in self.random_slice(bv0.mv.shape[0])][:2], rng.choice([None, 1, 2, -1, -3]))
        bv = BytesView(kind, raw, tc, cast, sl)
        v = self.add_view(bv.rec)
        # Cross-check the recorded layout against CPython's own bytes.
        assert bytes.fromhex(self.emulated_bytes(bv.rec)) == bv.mv.tobytes(), bv.rec
        self.add("hash", v, {}, run(lambda: (hash(bv.mv), "hashable")[1]))
        self.read_ops(v, bv.mv, bv.rec)

    def emulated_bytes(self, rec):
        raw = bytes.fromhex(rec["raw"])
        out = bytearray()
        for idx in iter_indices(rec["shape"]):
            p = rec["offset"] + sum(i * s for i, s in zip(idx, rec["strides"]))
            out += raw[p : p + rec["itemsize"]]
        return out.hex()

    def numpy_round(self):
        """numpy struct dtypes (formats CPython's memoryview cannot unpack) and strided views."""
        rng = self.rng
        fields = rng.choice(
            [
                [("a", "<i2"), ("b", "<i4")],
                [("x", "u1"), ("y", "<f8")],
                [("p", "<i4"), ("q", "(2,)<i2")],
                [("r", ">u2"), ("g", "i1"), ("b", "<f4")],
                [("c", "S3"), ("n", "<i8")],
                [("re", "<c8")],
            ]
        )
        dt = np.dtype(fields, align=rng.random() < 0.5)
        ndim = rng.choice([1, 1, 2])
        shape = [rng.randint(1, 4) for _ in range(ndim)]
        count = math.prod(shape)
        raw = bytes(rng.randrange(256) for _ in range(count * dt.itemsize))
        strides = []
        acc = dt.itemsize
        for s in reversed(shape):
            strides.insert(0, acc)
            acc *= s
        readonly = rng.random() < 0.5
        a, mv = np_view(raw, dt, shape, strides, 0, readonly)
        if rng.random() < 0.4:
            a = a[::-1] if rng.random() < 0.5 else a[::2]
            mv = memoryview(a)
        offset = self.np_offset(a)
        rec = record(raw, mv.format, mv.itemsize, list(mv.shape), list(mv.strides), offset, mv.readonly, "numpy")
        v = self.add_view(rec)
        assert bytes.fromhex(self.emulated_bytes(rec)) == mv.tobytes(), rec
        self.read_ops(v, mv, rec, dt)
        if rng.random() < 0.5:
            self.eq_case(v, mv, rec, a)
        for _ in range(rng.choice([0, 1, 2])):
            self.field_case(v, a, rec)
        if not mv.readonly:
            for _ in range(self.rng2.choice([0, 1, 2])):
                self.struct_write_case(v, a, rec)

    def struct_write_case(self, v, a, rec):
        """`view[idx] = (field, ...)` on a struct view (CPython cannot; numpy is the oracle):
        the items' values after the write. Values are in range for their fields."""
        rng = self.rng2
        dt = a.dtype
        idx = [rng.randrange(n) for n in a.shape]
        vals = tuple(self.np_random_value(rng, dt.fields[n][0]) for n in dt.names)
        raw = bytearray.fromhex(rec["raw"])
        b = np.ndarray(a.shape, dtype=dt, buffer=raw, offset=rec["offset"], strides=a.strides)
        b[tuple(idx)] = vals
        after = enc_any(beyond_value(dict(rec, raw=bytes(raw).hex()), dt))
        value = {"struct": [self.np_tag(x) for x in vals]}
        self.add("setstruct", v, {"index": idx, "value": value}, {"ok": after})

    @staticmethod
    def np_random_value(rng, fdt):
        if fdt.subdtype is not None:
            base, shape = fdt.subdtype
            return [Gen.np_random_value(rng, base) for _ in range(math.prod(shape))]
        if fdt.kind in "iu":
            info = np.iinfo(fdt)
            return rng.choice([int(info.min), int(info.max), rng.randint(int(info.min), int(info.max)), rng.randint(-3, 3) if fdt.kind == "i" else 7])
        if fdt.kind == "f":
            return float(fdt.type(rng.choice([0.5, -2.25, 1e30, rng.uniform(-1e6, 1e6)])))
        if fdt.kind == "c":
            part = np.float32 if fdt.itemsize == 8 else np.float64
            return complex(float(part(rng.uniform(-9, 9))), float(part(rng.uniform(-9, 9))))
        if fdt.kind == "S":
            return bytes(rng.randrange(1, 256) for _ in range(rng.randint(0, fdt.itemsize)))
        raise ValueError(fdt)

    @staticmethod
    def np_tag(x):
        if isinstance(x, list):
            return {"array": [Gen.np_tag(y) for y in x]}
        if isinstance(x, complex):
            return {"complex": [x.real, x.imag]}
        return enc_write_value(x)

    def field_case(self, v, a, rec):
        """Field projection (numpy's `a['name']`), with numpy as the oracle: the items' bytes
        and values, and the layout (a sub-array field adds its dimensions, in numpy and in
        our view)."""
        rng = self.rng
        dt = a.dtype
        if rng.random() < 0.1:
            self.add("field", v, {"name": "nosuchfield"}, {"err": ["ValueError", None]})
            return
        name = rng.choice(dt.names)
        fdt, foff = dt.fields[name][0], dt.fields[name][1]
        f = a[name]
        out = {"itemsize": f.itemsize, "bytes": f.tobytes().hex()}
        out["list"] = enc_any(beyond_value(dict(rec, offset=rec["offset"] + foff), fdt))
        out["shape"] = list(f.shape)
        if f.size > 0:
            out["strides"] = meaningful_strides(f)
        self.add("field", v, {"name": name}, {"ok": out})

    @staticmethod
    def np_offset(a):
        root = a
        while isinstance(root.base, np.ndarray):
            root = root.base
        start = root.__array_interface__["data"][0]
        return a.__array_interface__["data"][0] - start


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=6000, help="minimum number of cases")
    ap.add_argument("--out", default="-", help="output JSON file ('-' for stdout)")
    args = ap.parse_args()

    g = Gen(args.seed)
    rounds = 0
    while len(g.cases) < args.count:
        r = g.rng.random()
        if r < 0.6:
            g.tb_round()
        elif r < 0.72:
            g.np_native_round()
        elif r < 0.92:
            g.bytes_round()
        else:
            g.numpy_round()
        rounds += 1
    doc = {
        "generator": GENERATOR_VERSION,
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "seed": args.seed,
        "count": len(g.cases),
        "views": g.views,
        "cases": g.cases,
    }
    text = json.dumps(doc, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    if args.out == "-":
        sys.stdout.write(text + "\n")
    else:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    ops = {}
    for c in g.cases:
        ops[c["op"]] = ops.get(c["op"], 0) + 1
    print(f"seed {args.seed}: {len(g.cases)} cases over {len(g.views)} views: {ops}", file=sys.stderr)


if __name__ == "__main__":
    main()
