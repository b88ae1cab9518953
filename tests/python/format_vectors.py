#!/usr/bin/env python3
"""Generate format-string test vectors from CPython's struct module and numpy's PEP 3118 parser.

    python3 tests/python/format_vectors.py [--seed N] [--count N] [--out PATH]

Writes (by default to buffer-runtime/tests/vectors/format_vectors.json, inside the crate whose
tests replay it) a JSON object {"platform": {...}, "cases": [...]} where every case is

    {"fmt": "...", "oracle": "struct" | "numpy", "ok": bool,
     "itemsize": int, "fields": [[offset, size, name-or-null], ...], "error": "..."}

* oracle "struct": flat formats (no T{}) given to struct.calcsize. "fields" lists, for every
  top-level item that is not padding, the offset struct gives it (from calcsize of the items
  before it plus a zero-count copy of it, which struct aligns like the item) and its size.
* oracle "numpy": formats with T{} (and some odd ones) given to numpy's _dtype_from_pep3118.
  "fields" lists every field of the dtype, depth first, with absolute offsets and sizes
  (sub-arrays of structs contribute their first element's fields); names numpy invented
  (f0, f1, ...) are recorded as null.

Some generated strings are deliberately malformed or outside one oracle's language, so that
accept/reject is tested too. The Rust test buffer-runtime/tests/format_vectors.rs replays the
file and counts every case where we differ by design.

A second list, "pack_cases", records struct.pack's answer for one value written into one
item: every code of PACK_CODES under every prefix of "@=<>!" (n N only under "@"), with values
at and just beyond every integer range, negative values for unsigned codes, the largest ints
a 64-bit value holds, floats near the limits of e and f, and non-numbers:

    {"fmt": "<h", "value": <encode_value>, "struct": {"ok": hex} | {"err": [exc, msg]},
     "memoryview": {...}}

"exc" is "struct.error", "OverflowError", "TypeError" or "ValueError". "memoryview" (native
"@" formats other than 'e', which 3.11's memoryview refuses) is `m[0] = value` on a one-item
memoryview cast to the code. The Rust replay checks format::pack against both.

The output is deterministic for a given seed, count, numpy version and platform.
"""

import argparse
import json
import random
import re
import struct
import sys
import warnings

try:
    import numpy as np

    try:
        from numpy._core._internal import _dtype_from_pep3118
    except ImportError:  # numpy < 2
        from numpy.core._internal import _dtype_from_pep3118
except ImportError:  # pragma: no cover - numpy is in requirements-test.txt
    np = None

STRUCT_CODES = "xcbB?hHiIlLqQnNefdspP"
NUMPY_CODES = ["?", "c", "b", "B", "h", "H", "i", "I", "l", "L", "q", "Q", "e", "f", "d",
               "g", "s", "w", "x", "Zf", "Zd", "Zg"]
PREFIXES = "@=<>!^"
LENGTH_CODES = "sxw"  # a count is a length, not a repeat (numpy's reading)


def struct_case(fmt):
    try:
        size = struct.calcsize(fmt)
    except struct.error as e:
        return {"fmt": fmt, "oracle": "struct", "ok": False, "error": str(e)}
    return {"fmt": fmt, "oracle": "struct", "ok": True, "itemsize": size}


def gen_flat(rng):
    """A flat struct-module format, sometimes with one deliberate defect."""
    # '^' is PEP 3118's, not struct's: a few cases check that we accept what struct rejects.
    prefix = "^" if rng.random() < 0.03 else rng.choice(["", "", "@", "=", "<", ">", "!"])
    items = []
    native = prefix in ("", "@", "^")
    for _ in range(rng.randint(0, 6)):
        code = rng.choice(STRUCT_CODES if native else STRUCT_CODES.translate({ord(c): None for c in "nNP"}))
        count = "" if rng.random() < 0.65 else str(rng.randint(0, 5))
        ws = " " if rng.random() < 0.1 else ""
        items.append((ws, count, code))
    defect = None
    if rng.random() < 0.15:
        defect = rng.choice(["trailing_count", "space_in_count", "mid_prefix", "bad_char",
                             "native_only"])
    fmt = prefix + "".join(w + c + k for w, c, k in items)
    if defect == "trailing_count":
        fmt += str(rng.randint(0, 9))
    elif defect == "space_in_count":
        fmt += "3 i"
    elif defect == "mid_prefix":
        fmt += rng.choice(PREFIXES) + rng.choice("bhiq")
    elif defect == "bad_char":
        fmt += rng.choice("yjkmrvzAV{}(),:&")
    elif defect == "native_only":
        fmt = rng.choice("=<>!") + fmt.lstrip(PREFIXES) + rng.choice("nNP")
    case = struct_case(fmt)
    if case["ok"] and defect is None:
        # Offsets: calcsize of everything before the item plus a zero-count copy of it
        # ('c0i' aligns the i), then the item's own size.
        fields = []
        for k, (_, count, code) in enumerate(items):
            if code == "x":
                continue
            before = prefix + "".join(w + c + kk for w, c, kk in items[:k])
            off = struct.calcsize(before + "0" + code)
            size = struct.calcsize(before + count + code) - off
            fields.append([off, size, None])
        case["fields"] = fields
        if case["itemsize"] <= 256:
            # Values: struct.unpack of random bytes, flattened as struct returns them.
            data = bytes(rng.getrandbits(8) for _ in range(case["itemsize"]))
            try:
                values = struct.unpack(fmt, data)
            except SystemError:
                values = None  # CPython 3.11 fails on '0p' ("Negative size passed")
            if values is not None:
                case["bytes"] = data.hex()
                case["values"] = [encode_value(v) for v in values]
                # Packing them again gives canonical bytes: zeroed padding, '?' as 0/1, ...
                case["packed"] = struct.pack(fmt, *values).hex()
    return case


def encode_value(v):
    """A value as JSON without loss: ints as decimal strings, floats as their f64 bits."""
    if np is not None and isinstance(v, np.floating):
        v = float(v)  # long double: rounded to the nearest double, as we read it
    elif np is not None and isinstance(v, np.complexfloating):
        v = complex(v)
    if isinstance(v, bool):
        return ["?", v]
    if isinstance(v, int):
        return ["i", str(v)]
    if isinstance(v, float):
        return ["f", struct.pack("<d", v).hex()]
    if isinstance(v, complex):
        return ["z", struct.pack("<d", v.real).hex(), struct.pack("<d", v.imag).hex()]
    if isinstance(v, bytes):
        return ["b", v.hex()]
    if isinstance(v, str):
        return ["s", v]
    raise TypeError(v)


def flatten(v, out):
    if np is not None and isinstance(v, np.ndarray):
        v = list(v.flat)
    if isinstance(v, (tuple, list)):
        for x in v:
            flatten(x, out)
    else:
        out.append(v)
    return out


def numpy_value_case(rng, fmt):
    """numpy's reading of random bytes for the codes struct lacks (Z, g, w)."""
    case = numpy_case(fmt)
    if not case["ok"]:
        return case
    dt = _dtype_from_pep3118(fmt)
    data = bytearray(rng.getrandbits(8) for _ in range(dt.itemsize))
    # x87 long doubles: set the integer bit so that no unnormal (an invalid operand) appears.
    ld = np.dtype(np.longdouble)
    if ld.itemsize in (12, 16) and sys.byteorder == "little":
        for off, code in long_double_offsets(fmt, dt):
            data[off + 7] |= 0x80
            # An exponent inside double's range, so the value survives the rounding to f64.
            exp = 16383 + rng.randint(-1000, 1000)
            data[off + 8: off + 10] = (exp | (rng.getrandbits(1) << 15)).to_bytes(2, "little")
    # UCS-4 characters: keep them valid code points below the surrogates.
    for off, n in ucs4_offsets(dt, 0):
        for k in range(n):
            cp = rng.randint(0x20, 0xD7FF)
            data[off + 4 * k: off + 4 * k + 4] = cp.to_bytes(4, dt_byteorder(dt, off))
    data = bytes(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # overflow of a long double to inf
        value = np.frombuffer(data, dtype=dt)[0]
    value = value.item() if hasattr(value, "item") else value
    case["bytes"] = data.hex()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        case["values"] = [encode_value(x) for x in flatten(value, [])]
    return case


def leaf_dtypes(dt, base):
    """(offset, dtype) of every scalar in a dtype, sub-arrays expanded."""
    if dt.fields is not None:
        for n in dt.names:
            sub, off = dt.fields[n][:2]
            yield from leaf_dtypes(sub, base + off)
    elif dt.subdtype is not None:
        sub, shape = dt.subdtype
        count = 1
        for d in shape:
            count *= d
        for k in range(count):
            yield from leaf_dtypes(sub, base + k * sub.itemsize)
    else:
        yield base, dt


def long_double_offsets(fmt, dt):
    out = []
    for off, d in leaf_dtypes(dt, 0):
        if d.kind == "f" and d.itemsize in (12, 16):
            out.append((off, "g"))
        if d.kind == "c" and d.itemsize in (24, 32):
            out.append((off, "Zg"))
            out.append((off + d.itemsize // 2, "Zg"))
    return out


def ucs4_offsets(dt, base):
    return [(off, d.itemsize // 4) for off, d in leaf_dtypes(dt, base) if d.kind == "U"]


def dt_byteorder(dt, off):
    for o, d in leaf_dtypes(dt, 0):
        if o == off:
            return "big" if d.byteorder == ">" else ("little" if d.byteorder == "<" else sys.byteorder)
    return sys.byteorder


class Names:
    def __init__(self, rng):
        self.rng = rng

    def fresh(self, used):
        while True:
            n = self.rng.choice("abcdeghjkmnpqrstuvwxyz") + str(self.rng.randint(0, 99))
            if n not in used:
                used.add(n)
                return n


def gen_item(rng, names, depth, used, allow_struct=True):
    shape = ""
    if rng.random() < 0.15:
        shape = "(" + ",".join(str(rng.randint(0, 3)) for _ in range(rng.randint(1, 2))) + ")"
    prefix = rng.choice(PREFIXES) if rng.random() < 0.3 else ""
    count = str(rng.randint(0, 4)) if rng.random() < 0.2 else ""
    if allow_struct and depth < 3 and rng.random() < 0.18:
        body = gen_struct(rng, names, depth + 1)
    else:
        body = rng.choice(NUMPY_CODES)
    name = ":" + names.fresh(used) + ":" if rng.random() < 0.6 else ""
    return shape + prefix + count + body + name


def gen_struct(rng, names, depth):
    used = set()
    return "T{" + "".join(gen_item(rng, names, depth, used) for _ in range(rng.randint(0, 5))) + "}"


def gen_numpy(rng):
    names = Names(rng)
    r = rng.random()
    if r < 0.75:
        lead = rng.choice(["", "", "", "@", "<", ">", "=", "^", "(2)", "3"])
        fmt = lead + gen_struct(rng, names, 0)
    else:
        used = set()
        fmt = "".join(gen_item(rng, names, 0, used) for _ in range(rng.randint(1, 4)))
    if rng.random() < 0.12:
        # Things numpy rejects or misreads and we define: see the module docs of format.
        odd = rng.choice(["ws", "prefix_before_shape", "pointer", "ucs2", "bits", "ssize",
                          "pascal", "voidptr", "empty_name", "unclosed", "stray_brace"])
        if odd == "ws":
            fmt = fmt.replace("}", " }", 1) if "}" in fmt else fmt + " "
        elif odd == "prefix_before_shape":
            fmt = f"T{{{rng.choice('<>=^')}({rng.randint(1, 4)}){rng.choice('bhiqd')}:a:}}"
        elif odd == "pointer":
            fmt = f"T{{&{rng.choice('bhiqd')}:p:{rng.choice('bhiqd')}:a:}}"
        elif odd == "ucs2":
            fmt = f"T{{{rng.randint(0, 9)}u:a:{rng.choice('bhiqd')}:b:}}"
        elif odd == "bits":
            fmt = f"T{{{rng.randint(1, 20)}t:a:}}"
        elif odd == "ssize":
            fmt = f"T{{{rng.choice('bhiqd')}:a:{rng.choice('nN')}:b:}}"
        elif odd == "pascal":
            fmt = f"T{{{rng.randint(0, 9)}p:a:{rng.choice('bhiqd')}:b:}}"
        elif odd == "voidptr":
            fmt = f"T{{{rng.choice('bhiqd')}:a:P:b:}}"
        elif odd == "empty_name":
            fmt = "T{i::}"
        elif odd == "unclosed":
            fmt = fmt.rstrip("}") if fmt.endswith("}") else "T{i"
        elif odd == "stray_brace":
            fmt = fmt + "}"
    return numpy_case(fmt)


def dtype_fields(dt, base, out):
    if dt.fields is not None:
        for n in dt.names:
            sub, off = dt.fields[n][:2]
            out.append([base + off, sub.itemsize, None if re.fullmatch(r"f\d+", n) else n])
            dtype_fields(sub, base + off, out)
    elif dt.subdtype is not None:
        dtype_fields(dt.subdtype[0], base, out)
    return out


def numpy_case(fmt):
    case = {"fmt": fmt, "oracle": "numpy"}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            dt = _dtype_from_pep3118(fmt)
    except Exception as e:  # numpy raises ValueError, NotImplementedError, RuntimeError, ...
        case.update(ok=False, error=f"{type(e).__name__}: {e}")
        return case
    case.update(ok=True, itemsize=dt.itemsize, fields=dtype_fields(dt, 0, []))
    return case


PACK_CODES = "bBhHiIlLqQnNefd?"


def pack_values():
    """Values to write: every integer boundary that format::Value's 64 bits hold (ints from
    -2**63 to 2**64 - 1), floats around the limits of e, f and d, and non-numbers."""
    ints = {0, 1, -1, 65519, 65520, -65520, 70000}
    for bits in (8, 16, 32, 64):
        lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
        ints |= {lo - 1, lo, hi, hi + 1, (1 << bits) - 1, 1 << bits}
    ints = sorted(n for n in ints if -(1 << 63) <= n < (1 << 64))
    f32_max = struct.unpack("<f", bytes.fromhex("ffff7f7f"))[0]
    floats = [0.0, -0.0, 1.5, -2.5, 65504.0, 65519.0, 65520.0, -65520.0, 70000.0, f32_max,
              3.4028235677973366e38, 1e39, -1e39, 1e300, float("inf"), float("-inf"),
              float("nan"), 5e-324, 1e-8]
    return [True, False] + ints + floats + [b"a", b"", "x", 1 + 2j]


def outcome(fn):
    try:
        return {"ok": fn().hex()}
    except struct.error as e:
        return {"err": ["struct.error", str(e)]}
    except (OverflowError, TypeError, ValueError) as e:
        return {"err": [type(e).__name__, str(e)]}


def memoryview_set(code, value):
    m = memoryview(bytearray(struct.calcsize(code))).cast(code)
    m[0] = value
    return m.tobytes()


def pack_cases():
    cases = []
    values = pack_values()
    for prefix in "@=<>!":
        for code in PACK_CODES:
            if prefix != "@" and code in "nN":
                continue  # native-only codes: a layout error, covered by the flat cases
            fmt = prefix + code
            for v in values:
                case = {"fmt": fmt, "value": encode_value(v),
                        "struct": outcome(lambda: struct.pack(fmt, v))}
                if prefix == "@" and code != "e":
                    case["memoryview"] = outcome(lambda: memoryview_set(code, v))
                cases.append(case)
    return cases


FIXED_STRUCT = ["", "@", "x", "ic", "ci", "c0i", "0s", "4s", "4p", "bq", "<l", "l", "n", "N",
                "P", "<P", "e", "?", "^ic", "3 i", "i i", " i ", "4", "<", "<i<i", "=Zf", "qc",
                "hhb", "^qb", "!H", "2x2i"]
FIXED_NUMPY = ["T{}", "T{ic}", "T{ci}", "T{i<c}", "cT{i<c}", "T{T{}}", "3T{}", "2T{ic}",
               "T{b:a:(2)T{b:x:i:y:}:n:}", "T{(2,3)<d:m:?:ok:}", "T{ci}<i", "@T{<i}i",
               "T{x:p:}", "T{4x:p:i:q:}", "T{g:a:}", "T{<g:a:}", "T{Zg:z:}", "T{4w:s:}",
               "T{i:a:i:a:}", "ic", "<T{@i}c", "T{=i@c}"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=3118)
    ap.add_argument("--count", type=int, default=3000,
                    help="random layout cases (half per oracle); 200 numpy value cases follow")
    ap.add_argument("--out", default="buffer-runtime/tests/vectors/format_vectors.json")
    args = ap.parse_args()
    if np is None:
        sys.exit("numpy is required")
    rng = random.Random(args.seed)
    cases = []
    seen = set()
    for f in FIXED_STRUCT:
        c = struct_case(f)
        cases.append(c)
        seen.add(("struct", f))
    for f in FIXED_NUMPY:
        cases.append(numpy_case(f))
        seen.add(("numpy", f))
    while len(cases) < args.count + len(FIXED_STRUCT) + len(FIXED_NUMPY):
        c = gen_flat(rng) if len(cases) % 2 == 0 else gen_numpy(rng)
        key = (c["oracle"], c["fmt"])
        if key in seen:
            continue
        seen.add(key)
        cases.append(c)
    value_formats = ["Zf", "<Zf", ">Zf", "Zd", "=Zd", ">Zd", "g", "Zg", "w", "3w", "<2w", ">4w",
                     "T{<Zf:a:>Zd:b:}", "T{b:a:g:b:}", "T{(2)>Zf:z:3w:s:}", "T{e:h:Zd:z:}"]
    for k in range(200):
        cases.append(numpy_value_case(rng, value_formats[k % len(value_formats)]))
    doc = {
        "seed": args.seed,
        "platform": {
            "byteorder": sys.byteorder,
            "sizes": {c: struct.calcsize(c) for c in "lLnNPgq" if c != "g"},
            "long_double": np.dtype(np.longdouble).itemsize,
            "numpy": np.__version__,
            "python": sys.version.split()[0],
        },
        "cases": cases,
        "pack_cases": pack_cases(),
    }
    with open(args.out, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    ok = sum(c["ok"] for c in cases)
    print(f"{len(cases)} cases ({ok} accepted by their oracle), {len(doc['pack_cases'])} "
          f"pack cases -> {args.out}")


if __name__ == "__main__":
    main()
