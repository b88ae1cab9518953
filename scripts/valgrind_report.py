"""Classifies a valgrind memcheck XML report (--xml=yes --xml-file=...) and decides pass/fail.

    python3 scripts/valgrind_report.py REPORT.xml [--ours REGEX]... [--src DIR]... [--expect WHAT]...

Failure criteria (printed with the summary):

* every memcheck error that is not a leak (invalid read/write/free, mismatched free,
  uninitialised value or condition, syscall parameter, overlap, ...) fails, wherever it is:
  what is known to be harmless in CPython, numpy or glibc is removed by a suppression in
  scripts/valgrind-python.supp before it reaches this report, except the uninitialised values
  of KNOWN_UNINIT_ORIGINS below (CPython 3.11's PyLong digit, numpy's long double padding), recognised by where valgrind says the value was created
  (--track-origins=yes), which a suppression cannot match;
* a leak (definitely, indirectly or possibly lost) fails when any frame of its allocation
  stack is in our code: an object file matching an --ours pattern (the extension module) or
  a source file under a --src directory (our crates). Leaks with no frame of ours belong to
  CPython, numpy or the loader and are only counted. "Still reachable" is never reported.

Prints errors by kind, leaks by kind with bytes and blocks, and how many of each are ours; for
each failure, its stack (innermost frames first). Exits 0 when nothing fails, 1 otherwise, 2 when
the report is missing or valgrind did not finish.

--expect WHAT inverts the verdict for a self-test: exit 0 only when, for every WHAT, some
failure matches (WHAT is the start of an error kind such as InvalidRead or Uninit, or
`leak-ours`), 1 otherwise.
"""
import argparse
import collections
import os
import re
import sys
import xml.etree.ElementTree as ET

LEAK_KINDS = {
    "Leak_DefinitelyLost": "definitely lost",
    "Leak_IndirectlyLost": "indirectly lost",
    "Leak_PossiblyLost": "possibly lost",
    "Leak_StillReachable": "still reachable",
}


# Uninitialised-value errors that are known behaviours of CPython or numpy, by how the value was
# created (a heap or stack allocation) and the function that made it (the first frame after
# malloc & co. in the origin stack, --track-origins=yes). They are counted as "known", not
# failed; an uninitialised value created anywhere else fails.
KNOWN_UNINIT_ORIGINS = {
    # CPython 3.11: _PyLong_New leaves ob_digit[0] unset for the integer 0, and
    # maybe_small_long / medium_value read it (multiplied by a zero size); every later use of the
    # small int it selects is then tainted too (Py_INCREF, GC visits). Fixed in 3.12
    # (python/cpython#102509, #106914, #119022). Only integers' own digits have this origin.
    ("heap", "_PyLong_New"): "CPython 3.11 uninitialised PyLong digit (python/cpython#119022)",
    # numpy packs a Python scalar into an item through a temporary on PyArray_Pack's stack and
    # copies the whole item: for an x87 long double (10 bytes of value in 16) the 6 padding
    # bytes are never set, so comparing the bytes of a longdouble array (test_hostile.py's
    # long-double format) branches on them. Types without padding never have this origin.
    ("stack", "PyArray_Pack"): "numpy: unset padding bytes of an x87 long double item",
}
UNINIT_KINDS = {"UninitValue", "UninitCondition", "SyscallParam"}
ALLOCATORS = {"malloc", "calloc", "realloc", "memalign", "posix_memalign", "aligned_alloc"}


def known_uninit(kind, labels, stacks):
    """The KNOWN_UNINIT_ORIGINS reason when this error's uninitialised value was created by one
    of those allocations, else None."""
    if kind not in UNINIT_KINDS:
        return None
    for label, stack in zip(labels, stacks):
        for how in ("heap", "stack"):
            if f"created by a {how} allocation" in (label or ""):
                creator = next((f["fn"] for f in stack if f["fn"] not in ALLOCATORS), None)
                return KNOWN_UNINIT_ORIGINS.get((how, creator))
    return None


def frames(stack):
    out = []
    for f in stack.findall("frame"):
        out.append({k: (f.findtext(k) or "") for k in ("ip", "obj", "fn", "dir", "file", "line")})
    return out


def read_report(path):
    """The report's error records, occurrence counts, suppression counts and states, read
    incrementally (a full run's report is large)."""
    records, counts, suppressed, states = [], {}, collections.Counter(), []
    for _, el in ET.iterparse(path, events=("end",)):
        if el.tag == "error":
            xw = el.find("xwhat")
            records.append({
                "unique": el.findtext("unique"),
                "kind": el.findtext("kind"),
                "what": el.findtext("what") or (xw.findtext("text") if xw is not None else ""),
                "bytes": int(xw.findtext("leakedbytes") or 0) if xw is not None else 0,
                "blocks": int(xw.findtext("leakedblocks") or 0) if xw is not None else 0,
                "aux": [a.text or "" for a in el.findall("auxwhat")],
                "stacks": [frames(s) for s in el.findall("stack")],
                # The text before each stack: `what` for the first, then each `auxwhat`.
                "labels": stack_labels(el),
            })
            el.clear()
        elif el.tag == "errorcounts":
            for pair in el.findall("pair"):
                counts[pair.findtext("unique")] = int(pair.findtext("count"))
            el.clear()
        elif el.tag == "suppcounts":
            for pair in el.findall("pair"):
                suppressed[pair.findtext("name")] += int(pair.findtext("count"))
            el.clear()
        elif el.tag == "status":
            states.append(el.findtext("state"))
    return records, counts, suppressed, states


def stack_labels(el):
    labels, last = [], None
    for child in el:
        if child.tag in ("what", "auxwhat"):
            last = child.text or ""
        elif child.tag == "xwhat":
            last = child.findtext("text") or ""
        elif child.tag == "stack":
            labels.append(last or "")
            last = None
    return labels


def frame_text(f):
    where = f["fn"] or f["ip"]
    if f["file"]:
        where += f"  ({f['file']}:{f['line']})"
    elif f["obj"]:
        where += f"  (in {os.path.basename(f['obj'])})"
    return where


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("xml")
    ap.add_argument("--ours", action="append", default=[], help="regex on a frame's object file")
    ap.add_argument("--src", action="append", default=[], help="a directory of our sources")
    ap.add_argument("--expect", action="append", default=[])
    ap.add_argument("--frames", type=int, default=12, help="frames shown per failure")
    args = ap.parse_args()

    try:
        records, counts, suppressed, states = read_report(args.xml)
    except (OSError, ET.ParseError) as e:
        print(f"valgrind report: cannot read {args.xml}: {e}")
        return 2
    if "FINISHED" not in states:
        print(f"valgrind report: valgrind did not finish ({states})")
        return 2

    ours_obj = [re.compile(p) for p in args.ours]
    src_dirs = [os.path.realpath(d) + os.sep for d in args.src]

    def is_ours(f):
        if any(p.search(os.path.basename(f["obj"])) for p in ours_obj):
            return True
        if f["dir"]:
            d = os.path.realpath(f["dir"]) + os.sep
            return any(d.startswith(s) for s in src_dirs)
        return False

    errors = collections.Counter()  # kind -> occurrences
    errors_ours = collections.Counter()
    known = collections.Counter()  # reason -> occurrences
    leaks = collections.defaultdict(lambda: [0, 0, 0, 0, 0])  # kind -> records, bytes, blocks, ours records, ours bytes
    failures = []
    for err in records:
        kind = err["kind"]
        stacks = err["stacks"]
        ours = any(is_ours(f) for s in stacks for f in s)
        if kind in LEAK_KINDS:
            nbytes, nblocks = err["bytes"], err["blocks"]
            rec = leaks[kind]
            rec[0] += 1
            rec[1] += nbytes
            rec[2] += nblocks
            if ours:
                rec[3] += 1
                rec[4] += nbytes
                if kind != "Leak_StillReachable":
                    failures.append(("leak-ours", err["what"], stacks, []))
        else:
            n = counts.get(err["unique"], 1)
            reason = known_uninit(kind, err["labels"], stacks)
            if reason:
                known[reason] += n
                continue
            errors[kind] += n
            if ours:
                errors_ours[kind] += n
            failures.append((kind, f"{err['what']} (x{n} occurrences)", stacks, err["labels"]))

    print("== valgrind memcheck summary")
    print(f"errors (each fails): {sum(errors.values())} occurrences", end="")
    print("" if not errors else ": " + ", ".join(
        f"{k} {n} ({errors_ours[k]} with a frame in our code)" for k, n in sorted(errors.items())))
    for reason, n in known.most_common():
        print(f"known, not failed: {n} occurrences of {reason}")
    print("leaks (fail when a frame of the allocation stack is ours):")
    for kind, label in LEAK_KINDS.items():
        if kind == "Leak_StillReachable":
            continue
        r = leaks.get(kind, [0, 0, 0, 0, 0])
        print(f"  {label:16} {r[0]:5} records {r[1]:10} bytes in {r[2]:6} blocks;"
              f" ours: {r[3]} records, {r[4]} bytes")
    print(f"suppressed: {sum(suppressed.values())} occurrences by {len(suppressed)} suppressions"
          + "".join(f"\n  {n:6}  {name}" for name, n in suppressed.most_common()))

    for what, text, stacks, labels in failures:
        print(f"-- FAIL {what}: {text}")
        for i, s in enumerate(stacks):
            if i:
                print(f"   {labels[i] if i < len(labels) else ''}")
            for f in s[: args.frames]:
                print(f"   {'*' if is_ours(f) else ' '} {frame_text(f)}")
            if len(s) > args.frames:
                print(f"     ... {len(s) - args.frames} more frames")

    if args.expect:
        kinds = {f[0] for f in failures}
        missing = [e for e in args.expect if not any(k.startswith(e) for k in kinds)]
        if missing:
            print(f"valgrind report: self-test NOT caught: {', '.join(missing)}")
            return 1
        print(f"valgrind report: self-test caught every planted defect: {', '.join(args.expect)}")
        return 0
    if failures:
        print(f"valgrind report: FAILED ({len(failures)} findings above; '*' marks our frames)")
        return 1
    print("valgrind report: clean (no memory error; no leak with a frame in our code)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
