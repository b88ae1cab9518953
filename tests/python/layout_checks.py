"""The checkers of `layout_oracle.py check`. Each compares what it reads with what Rust says
(`size_of`, `align_of`, `offset_of!` and `size_of` of every field, `StaticLayout`'s constants,
and the values Rust reads from a sample's bytes):

- struct: the derive's FORMAT flattened to what CPython's struct module reads (no `T{}`, names
  or sub-array shapes; one struct format per run of one byte order; 'w' read as 'I'). calcsize
  of every top-level entry gives its offset and size; unpack of the sample gives its values.
- numpy: `_dtype_from_pep3118(FORMAT)` must equal the dtype Rust's field types call for (names,
  offsets, itemsize, byte orders, sub-array shapes, nested records) and read the sample's values;
  then a real export (a `Py_buffer` handed to `PyMemoryView_FromBuffer`, as a C extension would)
  goes through numpy's C consumer (`np.asarray`, warnings as errors), which also checks the
  format's item size against the export's.
- ctypes: a `ctypes.Structure` built from Rust's field types, not from the format: sizeof,
  alignment, every field's offset and size, and the values it reads from the sample.
- ctypes-export: ctypes' own PEP 3118 export of such a mirror, read by numpy: itemsize,
  offsets and values, and whether its text equals the derive's FORMAT.

Every result is one of: agreed (possibly with a note naming a translation it needed); by design
(the checker cannot express the type, for the reason given, counted); FAIL (an unexplained
disagreement: the oracle exits non-zero).
"""

import ctypes
import re
import struct
import warnings
from collections import Counter

import numpy as np

try:  # numpy >= 2
    from numpy._core._internal import _dtype_from_pep3118
except ImportError:  # numpy 1.x
    from numpy.core._internal import _dtype_from_pep3118


class Outcome:
    """The tally of one checker."""

    def __init__(self, name, what):
        self.name = name
        self.what = what
        self.checked = 0
        self.agreed = 0
        self.by_design = Counter()  # reason -> number of cases
        self.notes = Counter()  # translations applied while agreeing
        self.failures = []  # (case name, message)

    def summary(self):
        """`name: checked N, agreed N, differs by design N, FAILED N`, then one indented line
        per translation note and per by-design reason, with its count."""
        lines = [f"{self.name}: checked {self.checked}, agreed {self.agreed}, differs by design "
                 f"{sum(self.by_design.values())}, FAILED {len(self.failures)}  ({self.what})"]
        for reason, n in sorted(self.by_design.items()):
            lines.append(f"    by design, {n} types: {reason}")
        for note, n in sorted(self.notes.items()):
            lines.append(f"    agreed with a note, {n} types: {note}")
        return "\n".join(lines)


class ByDesign(Exception):
    """The checker cannot express this case, for the reason given."""


class Mismatch(Exception):
    """An unexplained disagreement."""


def expect(cond, msg):
    if not cond:
        raise Mismatch(msg)


# ---------------------------------------------------------------------------------------------
# Facts about Rust types, independent of the format under test.

# Rust primitive -> (struct-module standard code, numpy kind+size, ctypes type)
SCALARS = {
    "u8": ("B", "u1", ctypes.c_uint8),
    "i8": ("b", "i1", ctypes.c_int8),
    "u16": ("H", "u2", ctypes.c_uint16),
    "i16": ("h", "i2", ctypes.c_int16),
    "u32": ("I", "u4", ctypes.c_uint32),
    "i32": ("i", "i4", ctypes.c_int32),
    "u64": ("Q", "u8", ctypes.c_uint64),
    "i64": ("q", "i8", ctypes.c_int64),
    "usize": ("Q" if ctypes.sizeof(ctypes.c_size_t) == 8 else "I", f"u{ctypes.sizeof(ctypes.c_size_t)}", ctypes.c_size_t),
    "isize": ("q" if ctypes.sizeof(ctypes.c_ssize_t) == 8 else "i", f"i{ctypes.sizeof(ctypes.c_ssize_t)}", ctypes.c_ssize_t),
    "f32": ("f", "f4", ctypes.c_float),
    "f64": ("d", "f8", ctypes.c_double),
    "bool": ("?", "b1", ctypes.c_bool),
    # numpy's 'U1' is one UCS-4 code point, like Rust's char; ctypes' c_wchar is wchar_t.
    "char": ("w", "U1", ctypes.c_wchar),
}
# zerocopy byte-order type -> the primitive it holds
BYTEORDER = {"U16": "u16", "I16": "i16", "U32": "u32", "I32": "i32", "U64": "u64", "I64": "i64",
             "F32": "f32", "F64": "f64"}


def prim_of(ty):
    rust = ty["scalar"]
    return BYTEORDER.get(rust, rust)


class Host:
    def __init__(self, doc):
        self.endian = doc["endian"]
        self.cases = {c["name"]: c for c in doc["cases"]}

    def order_char(self, ty):
        order = ty["order"]
        if order == "native":
            order = self.endian
        return "<" if order == "little" else ">"

    def struct_fields(self, name):
        return self.cases[name]["fields"]

    def leaves(self, ty, value, with_pad=False):
        """The scalar values of `value` (of type `ty`) in memory order, padding fields
        left out unless `with_pad`."""
        if "scalar" in ty:
            return [value]
        if "array" in ty:
            out = []
            for v in value:
                out.extend(self.leaves(ty["elem"], v, with_pad))
            return out
        out = []
        for f, v in zip(self.struct_fields(ty["struct"]), value):
            if f["pad"] and not with_pad:
                continue
            out.extend(self.leaves(f["ty"], v, with_pad))
        return out


def first_diff(a, b, path="", nul_as_empty=False):
    """Where Python's reading `a` first differs from Rust's `b` (exact; bools and ints kept
    apart): None, or (path, a, b). `nul_as_empty`: numpy's 'U' strips trailing NULs, so it
    reads the char U+0000 as ''."""
    if isinstance(b, bool):
        ok = isinstance(a, (bool, np.bool_)) and bool(a) == b
    elif isinstance(b, float):
        ok = isinstance(a, (float, np.floating)) and float(a) == b
    elif isinstance(b, int):
        ok = isinstance(a, (int, np.integer)) and not isinstance(a, (bool, np.bool_)) and int(a) == b
    elif isinstance(b, str):
        ok = a == b or (nul_as_empty and b == "\0" and a == "")
    elif isinstance(b, list):
        if not isinstance(a, (list, tuple)) or len(a) != len(b):
            return (path or "value", a, b)
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_diff(x, y, f"{path}[{i}]", nul_as_empty)
            if d:
                return d
        return None
    else:
        ok = False
    return None if ok else (path or "value", a, b)


def expect_same(a, b, who, nul_as_empty=False):
    d = first_diff(a, b, "", nul_as_empty)
    if d:
        path, x, y = d
        raise Mismatch(f"{who} reads {x!r} at {path}, Rust reads {y!r}")


def has_nul_char(value):
    if isinstance(value, list):
        return any(has_nul_char(v) for v in value)
    return value == "\0"


# ---------------------------------------------------------------------------------------------
# A flattener for the derive's PEP 3118 strings, for the struct module, which reads flat
# formats only (no `T{}`, `:name:` or `(2,3)` sub-array shapes).

TOKEN = re.compile(r"\s*(?:(?P<order>[@=<>!^])|(?P<shape>\(\s*\d+(?:\s*,\s*\d+)*\s*\))|(?P<count>\d+)"
                   r"|(?P<struct>T\{)|(?P<end>\})|(?P<name>:[^:]*:)|(?P<code>Z[fdg]|[xcbB?hHiIlLqQnNefdgsSpPuwOt&]))")


def parse_pep3118(fmt):
    """Parses the subset of PEP 3118 the derive emits into a tree:
    ("struct", [entry]) with entries ("pad", n) or ("field", name, shape, item) where item is
    ("scalar", order, code) or a nested ("struct", ...). Raises Mismatch on anything else."""
    pos = 0
    order = "@"

    def tok():
        nonlocal pos
        m = TOKEN.match(fmt, pos)
        expect(m is not None, f"cannot tokenize {fmt!r} at byte {pos}")
        pos = m.end()
        return m

    def parse_struct():
        nonlocal order
        entries = []
        while True:
            m = tok()
            shape = ()
            count = None
            while m.lastgroup in ("order", "shape", "count"):
                if m.lastgroup == "order":
                    order = m.group("order")
                elif m.lastgroup == "shape":
                    shape = tuple(int(d) for d in m.group("shape").strip("() ").split(","))
                else:
                    count = int(m.group("count"))
                m = tok()
            if m.lastgroup == "end":
                return ("struct", entries)
            if m.lastgroup == "code" and m.group("code") == "x":
                expect(not shape, f"a sub-array shape before 'x' in {fmt!r}")
                entries.append(("pad", 1 if count is None else count))
                continue
            if m.lastgroup == "struct":
                item = parse_struct()
            else:
                expect(m.lastgroup == "code", f"expected a type code in {fmt!r} at byte {m.start()}")
                item = ("scalar", order, m.group("code"))
            if count is not None:
                shape = (count,) + shape  # a repeat count is one more dimension
            nm = tok()
            expect(nm.lastgroup == "name", f"a field without :name: in {fmt!r} at byte {nm.start()}")
            entries.append(("field", nm.group("name")[1:-1], shape, item))

    m = tok()
    expect(m.lastgroup == "struct", f"{fmt!r} does not start with T{{")
    tree = parse_struct()
    expect(pos == len(fmt), f"text after the closing brace in {fmt!r}")
    return tree


def flatten(item, out):
    """Appends the flat items of a parsed item: ("x", n) for padding, (order, code, n)."""
    if item[0] == "scalar":
        out.append((item[1], item[2], 1))
        return
    for e in item[1]:
        if e[0] == "pad":
            out.append(("", "x", e[1]))
        else:
            n = 1
            for d in e[2]:
                n *= d
            for _ in range(n):
                flatten(e[3], out)


def runs(flat):
    """Groups flat items into struct-module formats, one per run of one byte order (a struct
    format names its byte order once, first). Padding joins any run."""
    groups = []
    for order, code, n in flat:
        if code != "x" and (not groups or groups[-1][0] not in ("", order)):
            groups.append([order, []])
        if not groups:
            groups.append(["", []])
        if code != "x" and groups[-1][0] == "":
            groups[-1][0] = order
        groups[-1][1].append((code, n))
    return [((order or "<"), items) for order, items in groups]


W_NOTE = "struct has no 'w' (UCS-4): read as 'I' and compared with ord(char)"


def struct_format(order, items, notes):
    parts = []
    for code, n in items:
        if code == "w":
            # The struct module has no UCS-4 code: read the same 4 bytes as an unsigned int.
            notes.add(W_NOTE)
            code = "I"
        parts.append(f"{n}{code}" if n != 1 else code)
    return order + "".join(parts)


def check_struct(host, case, out):
    notes = set()
    raw = bytes.fromhex(case["bytes"])
    if case["kind"] == "scalar":
        fmt, field_fmt, value = case["format"], case["field_format"], case["value"]
        if "w" in fmt:
            notes.add(W_NOTE)
            fmt, field_fmt, value = fmt.replace("w", "I"), field_fmt.replace("w", "I"), ord(value)
        expect(struct.calcsize(fmt) == case["size"], f"calcsize({fmt!r}) = {struct.calcsize(fmt)}, Rust size_of = {case['size']}")
        expect(struct.calcsize(field_fmt) == case["size"], f"calcsize({field_fmt!r}) != {case['size']}")
        if fmt[0] not in "<>=!":
            # A bare native code: '@' alignment rules, so calcsize('c' + fmt) shows the alignment.
            align = struct.calcsize("c" + fmt) - struct.calcsize(fmt)
            expect(align == case["align"], f"native alignment of {fmt!r} is {align}, align_of {case['align']}")
        (v,) = struct.unpack(fmt, raw)
        expect_same(v, value, f"unpack({fmt!r})")
        (v,) = struct.unpack(field_fmt, raw)
        expect_same(v, value, f"unpack({field_fmt!r})")
        return notes
    if case["kind"] == "transparent":
        return check_transparent_struct(host, case, raw, notes)
    tree = parse_pep3118(case["format"])
    # Top level: each entry's offset is calcsize of the flattened prefix.
    offset = 0
    rust_fields = case["fields"]
    expect(len(tree[1]) == len(rust_fields), f"{len(tree[1])} entries in the format, {len(rust_fields)} Rust fields")
    for entry, rf in zip(tree[1], rust_fields):
        flat = []
        flatten(("struct", [entry]), flat)
        size = sum(struct.calcsize(struct_format(o, items, notes)) for o, items in runs(flat))
        what = f"field {rf['name']!r}"
        expect(offset == rf["offset"], f"{what}: struct offset {offset}, Rust offset_of {rf['offset']}")
        expect(size == rf["size"], f"{what}: struct size {size}, Rust size_of {rf['size']}")
        expect((entry[0] == "pad") == rf["pad"], f"{what}: padding in one, not in the other")
        offset += size
    flat = []
    flatten(tree, flat)
    unpack_flat(host, case, flat, raw, notes)
    return notes


def unpack_flat(host, case, flat, raw, notes):
    """Unpacks `raw` with the flat items `flat` (one struct format per run of one byte order)
    and compares the values with the leaves of Rust's value."""
    groups = runs(flat)
    if len({o for o, _ in groups}) > 1:
        notes.add("mixed byte orders: one struct format per run of one order")
    total = 0
    values = []
    for order, items in groups:
        fmt = struct_format(order, items, notes)
        values.extend(struct.unpack_from(fmt, raw, total))
        total += struct.calcsize(fmt)
    expect(total == case["size"], f"calcsize of the flattened format {total}, Rust size_of {case['size']}")
    expected = host.leaves(case["ty"], case["value"])
    if "w" in [code for _, code, _ in flat]:
        codes = [code for _, code, n in flat if code != "x" for _ in range(n)]
        expected = [ord(e) if c == "w" else e for e, c in zip(expected, codes)]
    expect_same(list(values), expected, "struct")


def c_strides(shape, itemsize):
    strides = []
    step = itemsize
    for d in reversed(shape):
        strides.append(step)
        step *= d
    return list(reversed(strides))


def product(shape):
    n = 1
    for d in shape:
        n *= d
    return n


def check_transparent_struct(host, case, raw, notes):
    """A transparent newtype: `product(SHAPE)` items of FORMAT in C order."""
    fmt = case["format"]
    shape = case["shape"]
    expect(case["strides"] == c_strides(shape, case["itemsize"]),
           f"STRIDES {case['strides']}, C strides of {shape} x {case['itemsize']} are {c_strides(shape, case['itemsize'])}")
    if fmt.startswith("T{"):
        item = []
        flatten(parse_pep3118(fmt), item)
    else:
        m = re.fullmatch(r"([@=<>!]?)([A-Za-z?])", fmt)
        expect(m is not None, f"unexpected item format {fmt!r}")
        item = [(m.group(1) or "@", m.group(2), 1)]
    size = sum(struct.calcsize(struct_format(o, items, notes)) for o, items in runs(item))
    expect(size == case["itemsize"], f"struct item size {size} for {fmt!r}, Rust ITEMSIZE {case['itemsize']}")
    unpack_flat(host, case, item * product(shape), raw, notes)
    return notes


# ---------------------------------------------------------------------------------------------
# numpy: its PEP 3118 parser, directly and through a real buffer export.

def expected_dtype(host, ty):
    """The numpy dtype a correct format gives a field of Rust type `ty` (from Rust facts)."""
    if "scalar" in ty:
        prim = prim_of(ty)
        kind = SCALARS[prim][1]
        if prim == "bool" or kind.endswith("1") and kind[0] in "ui":
            return np.dtype(kind)
        return np.dtype(host.order_char(ty) + kind)
    if "array" in ty:
        shape = []
        while "array" in ty:
            shape.append(ty["array"])
            ty = ty["elem"]
        return np.dtype((expected_dtype(host, ty), tuple(shape)))
    case = host.cases[ty["struct"]]
    names, formats, offsets = [], [], []
    for f in case["fields"]:
        if not f["pad"]:
            names.append(f["name"])
            formats.append(expected_dtype(host, f["ty"]))
            offsets.append(f["offset"])
    return np.dtype({"names": names, "formats": formats, "offsets": offsets, "itemsize": case["size"]})


def to_py(x):
    """A numpy reading as plain Python values (lists for sub-arrays and records)."""
    if isinstance(x, np.ndarray):
        return [to_py(v) for v in x]
    if isinstance(x, np.void) and x.dtype.names is not None:
        return [to_py(x[n]) for n in x.dtype.names]
    if isinstance(x, np.void):  # a sub-array of records
        return to_py(np.asarray(x))
    if isinstance(x, np.generic):
        return x.item()
    return x


class PyBuffer(ctypes.Structure):
    """CPython's `Py_buffer` (Include/pybuffer.h)."""

    _fields_ = [("buf", ctypes.c_void_p), ("obj", ctypes.c_void_p), ("len", ctypes.c_ssize_t),
                ("itemsize", ctypes.c_ssize_t), ("readonly", ctypes.c_int), ("ndim", ctypes.c_int),
                ("format", ctypes.c_char_p), ("shape", ctypes.POINTER(ctypes.c_ssize_t)),
                ("strides", ctypes.POINTER(ctypes.c_ssize_t)),
                ("suboffsets", ctypes.POINTER(ctypes.c_ssize_t)), ("internal", ctypes.c_void_p)]


_from_buffer = ctypes.pythonapi.PyMemoryView_FromBuffer
_from_buffer.argtypes = [ctypes.POINTER(PyBuffer)]
_from_buffer.restype = ctypes.py_object


def export(fmt, itemsize, raw, shape):
    """A real PEP 3118 export of `raw` as a C-contiguous array of `shape` with format `fmt`, as
    a C extension would make it: a memoryview over a `Py_buffer` we fill in. Returns the view
    and what must outlive it."""
    ndim = len(shape)
    data = ctypes.create_string_buffer(raw, len(raw))
    fmt_c = ctypes.create_string_buffer(fmt.encode("ascii"))
    c_shape = (ctypes.c_ssize_t * max(ndim, 1))(*shape)
    c_strides_ = (ctypes.c_ssize_t * max(ndim, 1))(*c_strides(shape, itemsize))
    info = PyBuffer(ctypes.cast(data, ctypes.c_void_p), None, len(raw), itemsize, 1, ndim,
                    ctypes.cast(fmt_c, ctypes.c_char_p),
                    c_shape if ndim else None, c_strides_ if ndim else None, None, None)
    view = _from_buffer(ctypes.byref(info))
    return view, (data, fmt_c, c_shape, c_strides_, info)


NATIVE_SIZE_NOTE = "numpy's Python-level PEP 3118 parser lacks 'n'/'N'; its C fast path for one native char (the real export) reads them"


def check_numpy_transparent(host, case, raw, notes):
    fmt = case["format"]
    shape = tuple(case["shape"])
    item_ty = case["item_ty"]
    want = expected_dtype(host, item_ty)
    if fmt in ("n", "N"):
        notes.add(NATIVE_SIZE_NOTE)
        dt = want
    else:
        dt = _dtype_from_pep3118(fmt)
    expect(dt == want, f"numpy reads item format {fmt!r} as {dt}, Rust item type gives {want}")
    expect(dt.itemsize == case["itemsize"], f"numpy itemsize {dt.itemsize}, Rust ITEMSIZE {case['itemsize']}")
    expect(dt.itemsize * product(shape) == case["size"], f"{shape} x {dt.itemsize} bytes != size_of {case['size']}")
    view, keep = export(fmt, case["itemsize"], raw, shape)
    expect(view.shape == shape and view.strides == tuple(case["strides"]), f"memoryview shape {view.shape} strides {view.strides}")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        arr = np.asarray(view)
    expect(arr.shape == shape and arr.dtype == dt, f"np.asarray(export) gives {arr.dtype} {arr.shape}")
    got = to_py(arr) if shape else to_py(arr[()])
    want_v = strip_pads(host, case["ty"], case["value"])
    expect_same(got, want_v, "np.asarray(export)", nul_as_empty=True)
    del arr, view, keep
    return notes


def check_numpy(host, case, out):
    notes = set()
    raw = bytes.fromhex(case["bytes"])
    fmt = case["format"]
    if case["kind"] == "transparent":
        return check_numpy_transparent(host, case, raw, notes)
    if case["kind"] == "scalar":
        fdt = _dtype_from_pep3118(case["field_format"])
        expect(fdt == expected_dtype(host, case["ty"]), f"numpy reads FIELD_FORMAT {case['field_format']!r} as {fdt}")
    if fmt in ("n", "N"):
        # The real export below still goes through numpy's C code, which reads them.
        notes.add(NATIVE_SIZE_NOTE)
        dt = expected_dtype(host, case["ty"])
    else:
        dt = _dtype_from_pep3118(fmt)
    want = expected_dtype(host, case["ty"])
    expect(dt.itemsize == case["size"], f"numpy itemsize {dt.itemsize} for {fmt!r}, Rust size_of {case['size']}")
    if case["kind"] == "struct":
        got = [(n, dt.fields[n][1]) for n in (dt.names or ())]
        rust = [(f["name"], f["offset"]) for f in case["fields"] if not f["pad"]]
        expect(got == rust, f"numpy fields (name, offset) {got}, Rust {rust}")
        for f in case["fields"]:
            if not f["pad"]:
                expect(dt.fields[f["name"]][0].itemsize == f["size"], f"field {f['name']!r}: numpy size {dt.fields[f['name']][0].itemsize}, Rust size_of {f['size']}")
        if case["align"] > 1:
            notes.add("align_of > 1 is not in the format (explicit standard sizes mean no alignment); numpy's dtype has alignment 1")
    expect(dt == want, f"numpy dtype {dt} for {fmt!r}, Rust types give {want}")
    got = to_py(np.frombuffer(raw, dtype=dt)[0])
    want_v = strip_pads(host, case["ty"], case["value"])
    expect_same(got, want_v, "numpy", nul_as_empty=True)
    if has_nul_char(want_v):
        notes.add("numpy's 'U1' strips trailing NULs: reads char U+0000 as ''")

    # Through the buffer protocol: CPython's memoryview holds the format, numpy's C code
    # consumes the export (and checks the format's item size against the export's).
    view, keep = export(fmt, case["size"], raw * 3, (3,))
    expect(view.format == fmt and view.itemsize == case["size"] and view.shape == (3,),
           f"memoryview reports format {view.format!r} itemsize {view.itemsize}")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        arr = np.asarray(view)
    expect(arr.dtype == dt and arr.shape == (3,), f"np.asarray(export) gives {arr.dtype} {arr.shape}")
    expect_same(to_py(arr[2]), want_v, "np.asarray(export)[2]", nul_as_empty=True)
    if case["kind"] == "struct":
        try:
            view[0]
        except NotImplementedError:
            notes.add("CPython's memoryview cannot index T{...} items (NotImplementedError), as documented")
        else:
            raise Mismatch("CPython's memoryview indexed a T{} item")
    elif len(fmt) == 1 and fmt in "?cbBhHiIlLqQnNfdeP":
        expect_same(view[1], case["value"], "CPython memoryview[1]")
    else:
        try:
            view[1]
        except NotImplementedError:
            notes.add("CPython's memoryview indexes only native single-char formats (not 'w' or '>I')")
        else:
            raise Mismatch(f"CPython's memoryview indexed format {fmt!r}")
    del arr, view, keep
    return notes


def strip_pads(host, ty, value):
    """`value` with padding fields removed (as numpy presents records)."""
    if "scalar" in ty:
        return value
    if "array" in ty:
        return [strip_pads(host, ty["elem"], v) for v in value]
    return [strip_pads(host, f["ty"], v) for f, v in zip(host.struct_fields(ty["struct"]), value) if not f["pad"]]


# ---------------------------------------------------------------------------------------------
# ctypes: a mirror Structure built from the Rust field types.

def pack_of(repr_):
    """The `_pack_` of a repr: `packed` -> 1, `packed(N)` -> N, else None."""
    if repr_ == "packed":
        return 1
    m = re.fullmatch(r"packed\((\d+)\)", repr_)
    return int(m.group(1)) if m else None


def contains_align_attr(host, case):
    """Whether a struct is, or holds (in any field, at any depth), a repr(align(N)) struct."""
    def walk(ty):
        if "array" in ty:
            return walk(ty["elem"])
        if "struct" in ty:
            return contains_align_attr(host, host.cases[ty["struct"]])
        return False
    if align_attr(case.get("repr", "")):
        return True
    if case["kind"] == "transparent":
        return walk(case["ty"])
    return any(walk(f["ty"]) for f in case["fields"])


def align_attr(repr_):
    m = re.fullmatch(r"align\((\d+)\)", repr_)
    return int(m.group(1)) if m else None


class Mirrors:
    """ctypes mirrors of Rust types. `natural`: byte-order fields as ctypes' swapped types
    themselves, which keep their natural alignment (right only where Rust's offsets happen to
    be aligned); otherwise wrapped in an alignment-1 `_pack_` structure like zerocopy's."""

    def __init__(self, host, natural=False):
        self.host = host
        self.natural = natural
        self.made = {}
        self.wrappers = {}

    def scalar(self, ty, notes):
        prim = prim_of(ty)
        base = SCALARS[prim][2]
        if prim == "char" and self.natural:
            # ctypes exports c_wchar as 'u' (UCS-2 in PEP 3118, which numpy rejects): for the
            # export check, a char is its code point in a c_uint32.
            notes.add("char mirrored as c_uint32: ctypes exports c_wchar as 'u' (UCS-2), which numpy rejects")
            return ctypes.c_uint32
        if prim == "char" and ctypes.sizeof(ctypes.c_wchar) != 4:
            raise ByDesign("c_wchar is not 4 bytes on this platform")
        if ty["scalar"] in BYTEORDER:
            order = self.host.order_char(ty)
            key = (ty["scalar"], order)
            swapped = base.__ctype_be__ if order == ">" else base.__ctype_le__
            if self.natural:
                return swapped
            if key not in self.wrappers:

                # ctypes' byte-swapped types keep their natural alignment; zerocopy's have
                # alignment 1. A one-field `_pack_ = 1` structure has alignment 1.
                class Wrapper(ctypes.Structure):
                    _pack_ = 1
                    _layout_ = "ms"
                    _fields_ = [("v", swapped)]

                Wrapper.__name__ = f"{ty['scalar']}{order}"
                Wrapper._byteorder_wrapper_ = True
                self.wrappers[key] = Wrapper
            notes.add("zerocopy byte-order fields (align 1) mirrored as a packed one-field ctypes.Structure")
            return self.wrappers[key]
        return base

    def of(self, ty, notes):
        if "scalar" in ty:
            return self.scalar(ty, notes)
        if "array" in ty:
            return self.of(ty["elem"], notes) * ty["array"]
        return self.struct(ty["struct"], notes)

    def struct(self, name, notes):
        if name not in self.made:
            case = self.host.cases[name]
            fields = [(f["name"], self.of(f["ty"], notes)) for f in case["fields"]]
            attrs = {"_fields_": fields}
            pack = pack_of(case["repr"])
            if pack:
                attrs["_pack_"] = pack
                attrs["_layout_"] = "ms"  # what _pack_ means; Python 3.14 asks to say so
            self.made[name] = type(name, (ctypes.Structure,), attrs)
        return self.made[name]


def read_ctypes(x):
    """The value of a ctypes object as plain Python values."""
    if isinstance(x, ctypes.Array):
        return [read_ctypes(v) for v in x]
    if isinstance(x, ctypes.Structure):
        if getattr(type(x), "_byteorder_wrapper_", False):
            return read_ctypes(x.v)
        out = []
        for name, ftype in x._fields_:
            if issubclass(ftype, ctypes.Array):
                # Reading the attribute would turn a c_wchar array into a NUL-terminated str:
                # view the field as the array it is instead.
                out.append(read_ctypes(ftype.from_buffer(x, getattr(type(x), name).offset)))
            else:
                out.append(read_ctypes(getattr(x, name)))
        return out
    if isinstance(x, ctypes._SimpleCData):
        return x.value
    return x


def check_ctypes(host, case, out, mirrors):
    notes = set()
    raw = bytes.fromhex(case["bytes"])
    if case["kind"] == "transparent":
        expect(case["itemsize"] * product(case["shape"]) == case["size"] and case["layout_align"] == case["align"],
               f"StaticLayout ITEMSIZE {case['itemsize']} x SHAPE {case['shape']} / ALIGN {case['layout_align']} vs size_of {case['size']} / align_of {case['align']}")
        cls = mirrors.of(case["ty"], notes)
    elif case["kind"] == "scalar":
        cls = mirrors.scalar(case["ty"], notes)
    else:
        cls = mirrors.struct(case["name"], notes)
    if case["kind"] != "transparent":
        expect(case["shape"] == [] and case["strides"] == [], f"a single item with SHAPE {case['shape']}")
        # StaticLayout's constants of a single item are its size_of and align_of.
        expect((case["itemsize"], case["layout_align"]) == (case["size"], case["align"]),
               f"StaticLayout ITEMSIZE/ALIGN {(case['itemsize'], case['layout_align'])}, size_of/align_of {(case['size'], case['align'])}")
    expect(ctypes.sizeof(cls) == case["size"], f"ctypes sizeof {ctypes.sizeof(cls)}, Rust size_of {case['size']}")
    if contains_align_attr(host, case) and ctypes.alignment(cls) < case["align"]:
        # ctypes gained `_align_` only in Python 3.13.
        notes.add("repr(align(N)), here or in a field, has no ctypes equivalent before 3.13: alignment not compared")
    else:
        expect(ctypes.alignment(cls) == case["align"], f"ctypes alignment {ctypes.alignment(cls)}, Rust align_of {case['align']}")
    for f in case["fields"]:
        d = getattr(cls, f["name"])
        expect((d.offset, d.size) == (f["offset"], f["size"]),
               f"field {f['name']!r}: ctypes offset/size {(d.offset, d.size)}, Rust {(f['offset'], f['size'])}")
    inst = cls.from_buffer_copy(raw)
    got = read_ctypes(inst)
    expect_same(got, case["value"], "ctypes")
    expect(bytes(inst) == raw, "ctypes bytes differ")
    return notes


def mirrors_pack(host, ty):
    """Whether the natural ctypes mirror of `ty` is or holds a `_pack_` structure."""
    if "scalar" in ty:
        return False
    if "array" in ty:
        return mirrors_pack(host, ty["elem"])
    case = host.cases[ty["struct"]]
    return pack_of(case["repr"]) is not None or any(mirrors_pack(host, f["ty"]) for f in case["fields"])


def has_byteorder(host, ty):
    if "scalar" in ty:
        return ty["scalar"] in BYTEORDER
    if "array" in ty:
        return has_byteorder(host, ty["elem"])
    return any(has_byteorder(host, f["ty"]) for f in host.cases[ty["struct"]]["fields"])


def code_points(value):
    """`value` with every char replaced by its code point (as a c_uint32 mirror reads it)."""
    if isinstance(value, list):
        return [code_points(v) for v in value]
    return ord(value) if isinstance(value, str) else value


def check_ctypes_export(host, case, out):
    """ctypes' own PEP 3118 export of the mirror, read by numpy: offsets as Rust's?"""
    notes = set()
    natural = out["natural_mirrors"]
    if case["kind"] == "struct":
        cls = natural.struct(case["name"], notes)
    else:
        cls = natural.of(case["ty"], notes)
    rust = [(f["name"], f["offset"]) for f in case["fields"]]
    same = ctypes.sizeof(cls) == case["size"]
    if case["kind"] == "struct":
        same = same and [(n, getattr(cls, n).offset) for n, _ in cls._fields_] == rust
    if not same:
        expect(has_byteorder(host, case["ty"]), "the ctypes mirror without _pack_ wrappers differs from Rust, yet has no byte-order field")
        # ctypes' swapped types are naturally aligned, zerocopy's are not: only a layout
        # whose byte-order fields all sit at aligned offsets can be mirrored without _pack_.
        raise ByDesign("a byte-order field at an offset that ctypes' naturally aligned swapped type cannot take")
    inst = cls.from_buffer_copy(bytes.fromhex(case["bytes"]))
    view = memoryview(inst)
    fmt = view.format
    if not mirrors_pack(host, case["ty"]):
        return check_ctypes_view(host, case, inst, view, notes)
    try:
        check_ctypes_view(host, case, inst, view, notes)
    except (Mismatch, ValueError) as e:
        # CPython 3.11's ctypes gives up on the format of a `_pack_` structure and exports it
        # as 'B' with the structure's size as itemsize (numpy then warns and guesses). Only
        # that failure is explained.
        if fmt == "B" or re.search(r"(^|[{:)])B:", fmt):
            raise ByDesign("ctypes exports a _pack_ structure, or one holding one, with format 'B' (CPython 3.11)")
        raise Mismatch(f"ctypes export {fmt!r} of a _pack_ structure: {e}")
    notes.add("ctypes exported a _pack_ structure with its fields")
    return notes


def check_ctypes_view(host, case, inst, view, notes):
    fmt = view.format
    rust = [(f["name"], f["offset"]) for f in case["fields"]]
    if case["kind"] == "transparent":
        # A ctypes array exports its item format with the full shape, as our newtype does.
        expect(view.shape == tuple(case["shape"]) and view.itemsize == case["itemsize"],
               f"ctypes export shape {view.shape} itemsize {view.itemsize}, Rust {case['shape']} {case['itemsize']}")
        dt = _dtype_from_pep3118(fmt)
        expect(dt.itemsize == case["itemsize"], f"ctypes item format {fmt!r} parses to itemsize {dt.itemsize}")
        got = to_py(np.asarray(view)) if case["shape"] else to_py(np.asarray(view)[()])
        # ctypes exports padding fields as named byte arrays: numpy reads them too.
        expect_same(got, code_points(case["value"]), "numpy via ctypes' export")
        return notes
    expect(view.itemsize == case["size"], f"ctypes export itemsize {view.itemsize}, Rust {case['size']}")
    if case["kind"] == "scalar":
        dt = _dtype_from_pep3118(fmt)
        expect(dt.itemsize == case["size"], f"ctypes format {fmt!r} parses to itemsize {dt.itemsize}")
        want = np.dtype("<u4") if prim_of(case["ty"]) == "char" else expected_dtype(host, case["ty"])
        expect(dt == want, f"ctypes format {fmt!r} parses to {dt}, expected {want}")
        return notes
    dt = _dtype_from_pep3118(fmt)
    expect(dt.itemsize == case["size"], f"ctypes format {fmt!r} parses to itemsize {dt.itemsize}, Rust {case['size']}")
    got = [(n, dt.fields[n][1]) for n in dt.names]
    expect(got == rust, f"ctypes export fields {got}, Rust {rust}")
    got_v = to_py(np.frombuffer(bytes(inst), dtype=dt)[0])
    expect_same(got_v, code_points(case["value"]), "numpy via ctypes' export")
    # ctypes writes padding as a named byte array where the derive writes `Nx`.
    pads = sorted({f["name"] for c in host.cases.values() for f in c["fields"] if f["pad"]})
    normal = re.sub(r"\((\d+)\)<B:(" + "|".join(map(re.escape, pads)) + r"):", r"\1x", fmt) if pads else fmt
    # ... and our chars as c_uint32.
    if normal == re.sub(r"([<>])w:", r"\1I:", case["format"]):
        notes.add("ctypes' export text equals the derive's FORMAT (padding arrays written as Nx)")
    else:
        notes.add("ctypes' export text differs from the derive's FORMAT, same layout")
    return notes


CHECKERS = [
    ("struct", "CPython struct module: calcsize/unpack of the flattened format, per field", check_struct),
    ("numpy", "numpy PEP 3118 parser: dtype itemsize/names/offsets/values, also via a real buffer export", check_numpy),
    ("ctypes", "ctypes mirror Structure from the Rust field types: sizeof/alignment/offsets/values", None),
    ("ctypes-export", "ctypes' own PEP 3118 export of the mirror, parsed by numpy: itemsize/offsets", check_ctypes_export),
]


def run(doc, verbose=False):
    host = Host(doc)
    mirrors = Mirrors(host)
    natural = Mirrors(host, natural=True)
    outcomes = [Outcome(name, what) for name, what, _ in CHECKERS]
    for case in doc["cases"]:
        out = {"natural_mirrors": natural}
        for outcome, (name, _, fn) in zip(outcomes, CHECKERS):
            outcome.checked += 1
            try:
                if fn is None:
                    notes = check_ctypes(host, case, out, mirrors)
                else:
                    notes = fn(host, case, out)
            except ByDesign as e:
                outcome.by_design[str(e)] += 1
            except Mismatch as e:
                outcome.failures.append((case["name"], str(e)))
            except Exception as e:  # a crash of a checker is a failure too, with its case
                outcome.failures.append((case["name"], f"{type(e).__name__}: {e}"))
            else:
                outcome.agreed += 1
                for n in notes:
                    outcome.notes[n] += 1
    return outcomes
