"""Random item values per struct format, and their JSON encoding.

Part of the memoryview test-vector generator (see memoryview_vectors.py). Everything here is
deterministic for a given `random.Random`.

JSON encoding of an item is directed by the view's format, so it stays compact:

* `?`            -> JSON true / false
* `c`            -> the byte as two hex digits, e.g. "61"
* integer chars  -> a JSON integer (always within 64 bits)
* `e f d`        -> a JSON number, or "nan" / "inf" / "-inf"
* anything else  -> not encoded (CPython cannot unpack it)

Values to *write* (item assignment) are tagged, because the Python type matters there:
{"int": "123"} (decimal string: may exceed 64 bits), {"float": 1.5 | "inf" | "-inf" | "nan:<the double's 16 hex digits, big-endian>"},
{"bool": true}, {"bytes": "6162"}, {"str": "x"}.
"""

import math
import struct

INT_CHARS = "bBhHiIlLqQnNP"
FLOAT_CHARS = "efd"
NATIVE_CHARS = "?cbBhHiIlLqQnNfdeP"


def base_char(fmt):
    """The single native char of `fmt` ('@' allowed), or None for anything else."""
    f = fmt[1:] if fmt.startswith("@") else fmt
    return f if len(f) == 1 and f in NATIVE_CHARS else None


def int_range(ch):
    size = struct.calcsize(ch)
    if ch in "bhilqn":
        return -(1 << (8 * size - 1)), (1 << (8 * size - 1)) - 1
    return 0, (1 << (8 * size)) - 1


SPECIAL_FLOATS = [0.0, -0.0, 1.0, -1.5, 0.5, 1e-3, 65504.0, float("inf"), float("-inf"), float("nan"), 3.25, -7.0, 2.0 ** -14]


def random_item(rng, ch):
    """A random value that packs and unpacks unchanged with struct format `ch`."""
    if ch == "?":
        return rng.random() < 0.5
    if ch == "c":
        return bytes([rng.randrange(256)])
    if ch in INT_CHARS:
        lo, hi = int_range(ch)
        r = rng.random()
        if r < 0.4:
            v = rng.randint(-5, 100)
        elif r < 0.55:
            v = rng.choice([lo, hi, lo + 1, hi - 1, 0])
        else:
            v = rng.randint(lo, hi)
        return min(max(v, lo), hi)
    if ch in FLOAT_CHARS:
        if rng.random() < 0.4:
            v = rng.choice(SPECIAL_FLOATS)
        elif rng.random() < 0.5:
            v = float(rng.randint(-1000, 1000)) / 4
        else:
            size = struct.calcsize(ch)
            v = struct.unpack(ch, rng.getrandbits(8 * size).to_bytes(size, "little"))[0]
        # Round-trip through the format so the value is exactly representable.
        try:
            return struct.unpack(ch, struct.pack(ch, v))[0]
        except OverflowError:
            return 1.0
    raise ValueError(ch)


def enc_float(v):
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def enc_item(ch, v):
    """JSON form of an unpacked item of native format char `ch`."""
    if ch == "?":
        return bool(v)
    if ch == "c":
        return v.hex()
    if ch in INT_CHARS:
        return int(v)
    if ch in FLOAT_CHARS:
        return enc_float(v)
    raise ValueError(ch)


def enc_list(ch, v):
    """JSON form of a (nested) tolist() result."""
    if isinstance(v, list):
        return [enc_list(ch, x) for x in v]
    return enc_item(ch, v)


def enc_write_value(v):
    """Tagged JSON form of a Python value used as the right-hand side of an item write."""
    if isinstance(v, bool):
        return {"bool": v}
    if isinstance(v, int):
        return {"int": str(v)}
    if isinstance(v, float):
        if math.isnan(v):
            # Sign and payload matter once written: keep the exact double.
            return {"float": "nan:" + struct.pack(">d", v).hex()}
        return {"float": enc_float(v)}
    if isinstance(v, bytes):
        return {"bytes": v.hex()}
    if isinstance(v, str):
        return {"str": v}
    raise TypeError(type(v))


def write_values(rng, ch):
    """Candidate right-hand sides for `m[i] = value` on format `ch`: valid and invalid."""
    out = [random_item(rng, ch)]
    if ch in INT_CHARS:
        lo, hi = int_range(ch)
        out += [rng.choice([lo - 1, hi + 1, hi, lo, -1]), rng.choice([1.0, 2.5, b"a", True, "x"])]
    elif ch in "fde":
        out += [rng.choice([65520.0, 65519.0, 1e300, 1 << 60, -3, True, float("nan"), float("-inf")]), rng.choice([b"a", "x", 1.25])]
    elif ch == "c":
        out += [rng.choice([b"ab", b"", 1, "a", True])]
    elif ch == "?":
        out += [rng.choice([0, 5, -1, 0.0, 2.5, b"", b"x", "", "a"])]
    return out


def enc_any(v):
    """Type-directed JSON form of a value computed outside memoryview (struct, numpy).

    Matches enc_item for the native formats: bool, int, float as above, bytes as hex; a struct
    item or sub-array is a list of its fields / elements in order; a complex number is
    [real, imag]."""
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return enc_float(v)
    if isinstance(v, bytes):
        return v.hex()
    if isinstance(v, complex):
        return [enc_float(v.real), enc_float(v.imag)]
    if isinstance(v, (list, tuple)):
        return [enc_any(x) for x in v]
    raise TypeError(type(v))
