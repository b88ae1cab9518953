"""Generates random `#[derive(BufferExport)]` struct layouts as Rust source.

Used through `layout_oracle.py generate`. Deterministic: the same seed gives the same bytes of
Rust source on every machine and Python version (the random numbers come from a SplitMix64
generator written here, not from the `random` module, whose algorithms may change).

Every generated struct is `#[repr(C)]`, `#[repr(C, align(N))]` or `#[repr(C, packed(N))]`
(N = 1, 2 or 4) with explicit `#[buffer(padding)]` fields wherever the representation would
pad (between fields and at the end; none for `packed`). Field types are drawn from the primitives, zerocopy's byte-order types (alignment 1),
arrays of up to three dimensions, and earlier generated structs (nested, and arrays of them).
The layout arithmetic below assumes a 64-bit target; the Rust compiler re-checks all of it
(the derive rejects implicit padding), and the oracle compares against Rust's own numbers.
"""

MASK64 = (1 << 64) - 1


class Rng:
    """SplitMix64: tiny, fast, and stable forever."""

    def __init__(self, seed):
        self.state = seed & MASK64

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def below(self, n):
        return self.next() % n

    def percent(self, p):
        return self.below(100) < p

    def choice(self, seq):
        return seq[self.below(len(seq))]


# Rust primitive: (size, align, kind). Sizes and alignments of x86_64 / aarch64.
NATIVE = {
    "u8": (1, 1, "uint"),
    "i8": (1, 1, "int"),
    "u16": (2, 2, "uint"),
    "i16": (2, 2, "int"),
    "u32": (4, 4, "uint"),
    "i32": (4, 4, "int"),
    "u64": (8, 8, "uint"),
    "i64": (8, 8, "int"),
    "usize": (8, 8, "uint"),
    "isize": (8, 8, "int"),
    "f32": (4, 4, "float"),
    "f64": (8, 8, "float"),
    "bool": (1, 1, "bool"),
    "char": (4, 4, "char"),
}
# zerocopy byte-order types: (size, primitive they hold). Alignment is always 1.
BYTEORDER = {
    "U16": (2, "u16"),
    "I16": (2, "i16"),
    "U32": (4, "u32"),
    "I32": (4, "i32"),
    "U64": (8, "u64"),
    "I64": (8, "i64"),
    "F32": (4, "f32"),
    "F64": (8, "f64"),
}
ORDER_PARAM = {"big": "BigEndian", "little": "LittleEndian"}
NAMES = ["x", "y", "id", "count", "price", "flags", "rgb", "t", "value", "data", "level", "kind"]
CHARS = [0x41, 0x7A, 0xE9, 0x20AC, 0x1F600, 0x0, 0x10FFFF]
MAX_STRUCT_SIZE = 512


class Gen:
    def __init__(self, seed, count):
        self.rng = Rng(seed)
        self.seed = seed
        self.count = count
        self.structs = []  # dicts: name, tuple, packed, fields [(name, ty, pad, rename)], size, align
        self.newtypes = []  # dicts: name, inner

    # Types are tuples: ("scalar", rust), ("bo", rust, order), ("array", len, elem),
    # ("struct", index).
    def size_align(self, ty):
        tag = ty[0]
        if tag == "scalar":
            size, align, _ = NATIVE[ty[1]]
            return size, align
        if tag == "bo":
            return BYTEORDER[ty[1]][0], 1
        if tag == "array":
            size, align = self.size_align(ty[2])
            return size * ty[1], align
        if tag == "newtype":
            return self.size_align(self.newtypes[ty[1]]["inner"])
        s = self.structs[ty[1]]
        return s["size"], s["align"]

    def has_align_attr(self, ty):
        tag = ty[0]
        if tag == "array":
            return self.has_align_attr(ty[2])
        if tag == "newtype":
            return self.has_align_attr(self.newtypes[ty[1]]["inner"])
        if tag == "struct":
            s = self.structs[ty[1]]
            return bool(s["align_attr"]) or any(self.has_align_attr(f[1]) for f in s["fields"])
        return False

    def rust_type(self, ty):
        tag = ty[0]
        if tag == "scalar":
            return ty[1]
        if tag == "bo":
            return f"{ty[1]}<{ORDER_PARAM[ty[2]]}>"
        if tag == "array":
            return f"[{self.rust_type(ty[2])}; {ty[1]}]"
        if tag == "newtype":
            return self.newtypes[ty[1]]["name"]
        return self.structs[ty[1]]["name"]

    def random_scalar(self):
        r = self.rng
        if r.percent(22):
            return ("bo", r.choice(sorted(BYTEORDER)), r.choice(["big", "big", "little"]))
        return ("scalar", r.choice(list(NATIVE)))

    def random_type(self):
        r = self.rng
        roll = r.below(100)
        have_structs = bool(self.structs)
        if roll < 58 or (roll >= 80 and not have_structs):
            return self.random_scalar()
        if roll < 80:
            elem = self.random_scalar()
            for _ in range(1 + r.below(3)):
                elem = ("array", 1 + r.below(4), elem)
            return elem
        nested = ("struct", r.below(len(self.structs)))
        if roll >= 95 and self.newtypes:
            return ("newtype", r.below(len(self.newtypes)))
        if roll < 92:
            return nested
        return ("array", 1 + r.below(3), nested)

    def make_struct(self, index):
        r = self.rng
        roll = r.below(100)
        pack = align_attr = None
        if roll < 14:
            pack = 1  # repr(C, packed)
        elif roll < 22:
            pack = r.choice([2, 4])  # repr(C, packed(N)): fields aligned to min(align, N)
        elif roll < 30:
            align_attr = r.choice([8, 16, 32])  # repr(C, align(N))
        nfields = 1 + r.below(7)
        fields = []
        offset = 0
        max_align = 1
        npad = 0
        for i in range(nfields):
            ty = self.random_type()
            size, align = self.size_align(ty)
            if offset + size > MAX_STRUCT_SIZE or (pack and self.has_align_attr(ty)):
                # (A packed struct may not hold a repr(align) one, error E0588.)
                ty = self.random_scalar()
                size, align = self.size_align(ty)
            if pack:
                align = min(align, pack)
            gap = (-offset) % align
            if gap:
                fields.append((f"_pad{npad}", ("array", gap, ("scalar", "u8")), True))
                npad += 1
                offset += gap
            fields.append((f"{NAMES[r.below(len(NAMES))]}{i}", ty, False))
            offset += size
            max_align = max(max_align, align)
        if align_attr:
            max_align = max(max_align, align_attr)
        tail = (-offset) % max_align
        if tail:
            fields.append((f"_pad{npad}", ("array", tail, ("scalar", "u8")), True))
            offset += tail
        tuple_ = r.percent(12)
        if tuple_:
            fields = [(str(i), ty, pad, None) for i, (_, ty, pad) in enumerate(fields)]
        else:
            # Now and then a `#[buffer(rename = "...")]`.
            fields = [(n, ty, pad, f"r_{n}" if not pad and r.percent(6) else None) for n, ty, pad in fields]
        return {
            "name": f"G{index:03}",
            "tuple": tuple_,
            "pack": pack,
            "align_attr": align_attr,
            "fields": fields,
            "size": offset,
            "align": max_align,
        }

    # Sample values: Rust expressions, some at the extremes of their type.
    def int_literal(self, rust):
        r = self.rng
        size, _, kind = NATIVE[rust]
        bits = 8 * size
        roll = r.below(6)
        if roll == 0:
            return f"{rust}::MAX"
        if roll == 1:
            return f"{rust}::MIN"
        if roll == 2:
            return f"0{rust}"
        v = r.next() & ((1 << bits) - 1)
        if kind == "int" and v >= 1 << (bits - 1):
            return f"{v - (1 << bits)}{rust}"
        return f"{v}{rust}"

    def float_literal(self, rust):
        r = self.rng
        v = (r.below(20001) - 10000) / 8  # exact in f32 and f64
        return f"{v!r}{rust}"

    def value(self, ty):
        r = self.rng
        tag = ty[0]
        if tag == "scalar":
            rust = ty[1]
            kind = NATIVE[rust][2]
            if kind == "float":
                return self.float_literal(rust)
            if kind == "bool":
                return r.choice(["true", "false"])
            if kind == "char":
                return f"'\\u{{{r.choice(CHARS):x}}}'"
            return self.int_literal(rust)
        if tag == "bo":
            prim = BYTEORDER[ty[1]][1]
            inner = self.value(("scalar", prim))
            return f"{ty[1]}::<{ORDER_PARAM[ty[2]]}>::new({inner})"
        if tag == "array":
            return "[" + ", ".join(self.value(ty[2]) for _ in range(ty[1])) + "]"
        if tag == "newtype":
            nt = self.newtypes[ty[1]]
            return f"{nt['name']}({self.value(nt['inner'])})"
        return f"{self.structs[ty[1]]['name']}_SAMPLE"

    def make_newtype(self, index):
        """A `#[repr(transparent)]` newtype over an array of the struct just made, or of a
        scalar; later structs may hold it as a field."""
        r = self.rng
        elem = ("struct", index) if r.percent(50) else self.random_scalar()
        inner = elem
        for _ in range(r.below(3)):
            inner = ("array", 1 + r.below(3), inner)
        if inner == elem and elem[0] == "struct":
            inner = ("array", 2, elem)
        return {"name": f"W{index:03}", "inner": inner}

    def generate(self):
        out = []
        w = out.append
        w("// @generated by tests/python/layout_oracle.py: do not edit.\n")
        w(f"// Regenerate: python3 tests/python/layout_oracle.py generate --seed {self.seed} "
          f"--count {self.count} --out tests/tests/layouts_python/generated_layouts.rs\n")
        w(f"//! {self.count} random struct layouts (seed {self.seed}) for the Python layout oracle.\n")
        w("//!\n")
        w("//! After every eighth struct comes a `#[repr(transparent)]` newtype over an array (of that\n")
        w("//! struct or of a scalar), which later structs may hold as a field.\n")
        w("//!\n")
        w("//! Each struct derives `BufferExport`, is listed field by field with\n")
        w("//! [`describe!`](buffer_tests::describe) so the oracle knows its Rust types, and has a sample value.\n")
        w("#![allow(clippy::all, clippy::pedantic)]\n\n")
        w("use buffer_runtime::BufferExport;\n")
        w("use zerocopy::byteorder::{BigEndian, LittleEndian, F32, F64, I16, I32, I64, U16, U32, U64};\n")
        w("use zerocopy::{Immutable, IntoBytes};\n\n")
        w("use buffer_tests::{describe, describe_transparent};\n")
        w("use buffer_tests::layout_mirror::{struct_case, transparent_case, Case};\n")
        for index in range(self.count):
            s = self.make_struct(index)
            self.structs.append(s)
            name = s["name"]
            if s["pack"] == 1:
                kind = "packed"
            elif s["pack"]:
                kind = f"packed({s['pack']})"
            elif s["align_attr"]:
                kind = f"align({s['align_attr']})"
            else:
                kind = "C"
            repr_ = "C" if kind == "C" else f"C, {kind}"
            w(f"\n/// Generated layout {index}: size {s['size']}, align {s['align']}.\n")
            w("#[derive(BufferExport, IntoBytes, Immutable, Clone, Copy)]\n")
            w(f"#[repr({repr_})]\n")
            if s["tuple"]:
                w(f"pub struct {name}(\n")
            else:
                w(f"pub struct {name} {{\n")
            for fname, ty, pad, rename in s["fields"]:
                if pad:
                    w("    #[buffer(padding)]\n")
                if rename:
                    w(f'    #[buffer(rename = "{rename}")]\n')
                field = "" if s["tuple"] else f"{fname}: "
                w(f"    pub {field}{self.rust_type(ty)},\n")
            w(");\n" if s["tuple"] else "}\n")
            w(f"describe!({name}, {kind}, {{\n")
            for fname, ty, pad, rename in s["fields"]:
                suffix = f' => "{rename}"' if rename else ""
                w(f"    {'pad' if pad else 'field'} {fname}: {self.rust_type(ty)}{suffix},\n")
            w("});\n")
            w(f"/// A sample value of [`{name}`].\n")
            open_, close = ("(", ")") if s["tuple"] else (" {", "}")
            w(f"pub const {name}_SAMPLE: {name} = {name}{open_}\n")
            for fname, ty, pad, _ in s["fields"]:
                val = f"[0; {ty[1]}]" if pad else self.value(ty)
                w(f"    {val},\n" if s["tuple"] else f"    {fname}: {val},\n")
            w(f"{close};\n")
            if index % 8 == 7:
                nt = self.make_newtype(index)
                inner = self.rust_type(nt["inner"])
                w(f"\n/// A transparent newtype over `{inner}`.\n")
                w("#[derive(BufferExport, IntoBytes, Immutable, Clone, Copy)]\n")
                w("#[repr(transparent)]\n")
                w(f"pub struct {nt['name']}(pub {inner});\n")
                w(f"describe_transparent!({nt['name']}, 0: {inner});\n")
                w(f"/// A sample value of [`{nt['name']}`].\n")
                w(f"pub const {nt['name']}_SAMPLE: {nt['name']} = {nt['name']}({self.value(nt['inner'])});\n")
                self.newtypes.append(nt)
        w("\n/// The case of every generated struct layout, in order.\n")
        w("pub fn cases() -> Vec<Case> {\n    vec![\n")
        for s in self.structs:
            w(f"        struct_case(&{s['name']}_SAMPLE),\n")
        w("    ]\n}\n")
        w("\n/// The case of every generated transparent newtype, in order.\n")
        w("pub fn newtype_cases() -> Vec<Case> {\n    vec![\n")
        for nt in self.newtypes:
            w(f'        transparent_case("{nt["name"]}", &{nt["name"]}_SAMPLE),\n')
        w("    ]\n}\n")
        return "".join(out)


def generate(seed, count):
    """The Rust source for `count` layouts from `seed`."""
    return Gen(seed, count).generate()
