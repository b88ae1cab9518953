#!/usr/bin/env python3
"""Prints the table of issue 6 from one run of scripts/bench: criterion's estimates (median
of each benchmark, under $CARGO_TARGET_DIR/criterion), the Python side's JSON, the build
times and the RssAnon record. Every ratio is measured / baseline, both from this run:
below 1 means ours takes less time.

Rows "11" are the Python export rows of issue 11 (scripts/bench_python.py's "export11").

usage: report.py RESULTS_DIR CRITERION_DIR [--markdown] [--only export]
"""

import json
import sys
from pathlib import Path


def load(path):
    try:
        return json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return None


def crit(cdir, group, name):
    """Median time of one criterion benchmark, in seconds (None when it did not run)."""
    est = load(Path(cdir) / group / name / "new" / "estimates.json")
    return est["median"]["point_estimate"] * 1e-9 if est else None


def paired(results, group, name, base):
    """(measured s, baseline s, ratio) from an interleaved measurement, or None."""
    p = load(Path(results) / f"paired_{group}.json")
    if not p or name not in p or base not in p:
        return None
    return p[name]["seconds"], p[base]["seconds"], p[name]["ratio"] / p[base]["ratio"]


def fmt_time(t):
    if t is None:
        return "n/a"
    if isinstance(t, str):
        return t
    for unit, scale in (("s", 1), ("ms", 1e-3), ("us", 1e-6), ("ns", 1e-9)):
        if t >= scale:
            return f"{t / scale:.3g} {unit}"
    return f"{t:.3g} s"


def rows(results, cdir):
    py = load(results / "python.json") or {}
    bt = load(results / "buildtime.json")
    rss = load(results / "mmap_rss.json")
    tb, tl, ps, ex = (py.get(k, {}) for k in ("tobytes", "tolist", "parse", "export"))
    c = lambda g, n: crit(cdir, g, n)  # noqa: E731

    # (row, what, measured s, baseline name, baseline s, target ratio, "max"|"min")
    out = []

    def rust_pair(row, what, group, name, base, label, target):
        """A Rust-vs-Rust row: the interleaved measurement when there is one (marked *),
        criterion's medians otherwise."""
        p = paired(results, group, name, base)
        if p:
            out.append((row, what + " *", p[0], label, p[1], target, p[2]))
        else:
            out.append((row, what, c(group, name), label, c(group, base), target))

    rust_pair("1", "iter_as, strided 2-D records", "iterate", "view_iter_as",
              "raw_pointer_loop", "raw pointer loop", 1.05)
    rust_pair("1", "iter_as, strided 2-D records", "iterate", "view_iter_as",
              "ndarray_iter", "ndarray ArrayView iter", None)
    rust_pair("1", "ndarray ArrayView iter", "iterate", "ndarray_iter",
              "raw_pointer_loop", "raw pointer loop", None)
    # 0.8x memcpy's speed = at most 1.25x its time.
    rust_pair("2", "tobytes 64 MiB, 256 B runs", "tobytes", "view_runs_256B",
              "memcpy_64MiB", "memcpy 64 MiB (to_vec)", 1.25)
    rust_pair("2", "tobytes 64 MiB, 4 B runs", "tobytes", "view_runs_4B",
              "memcpy_64MiB", "memcpy 64 MiB (to_vec)", None)
    m = c("tobytes", "memcpy_64MiB")
    v256, v4 = c("tobytes", "view_runs_256B"), c("tobytes", "view_runs_4B")
    # 0.8x memcpy's speed = at most 1.25x its time.
    # numpy puts arrays of 4 MiB and more on transparent huge pages (madvise), a Vec does
    # not: each side's source is measured on both page sizes, and compared like with like.
    pairs = (
        ("4 KiB pages", load(results / "paired_tobytes.json"), tb.get("paired_small_pages")),
        ("huge pages", load(results / "paired_tobytes_hugepage_src.json"), tb.get("paired")),
    )
    for runs, v in (("256B", v256), ("4B", v4)):
        for who, label, target in (("numpy", "numpy tobytes()", 1.0),
                                   ("memoryview", "memoryview.tobytes()", None)):
            key = f"{who}_runs_{runs}"
            out.append(("2", f"tobytes 64 MiB, {runs[:-1]} B runs", v, label,
                        tb.get(key), target))
            for pages, rp, pp in pairs:
                if not (rp and pp and f"view_runs_{runs}" in rp and key in pp):
                    continue
                # Each side against its own memcpy of 64 MiB, measured interleaved with it:
                # robust to the load changing between the Rust and the Python runs.
                ours = rp[f"view_runs_{runs}"]["ratio"]
                theirs = pp[key]["ratio"]
                out.append(("2", f"tobytes {runs[:-1]} B, src {pages}, per memcpy **",
                            f"{ours:.2f}x memcpy", label, f"{theirs:.2f}x memcpy", target,
                            ours / theirs))
    alt = tl.get("alternated")
    if alt:
        out.append(("3", "tolist, 1M struct items ***", alt["rust"]["tolist_named"],
                    "numpy tolist()", alt["python"]["numpy_tolist"], 1.0,
                    alt["ratio"]["tolist_named/numpy_tolist"]))
        out.append(("3", "tolist, 1M items, unnamed ***", alt["rust"]["tolist_unnamed"],
                    "numpy tolist()", alt["python"]["numpy_tolist"], None,
                    alt["ratio"]["tolist_unnamed/numpy_tolist"]))
    out.append(("3", "tolist, 1M struct items", c("tolist", "view_tolist_1M_structs"),
                "numpy tolist()", tl.get("numpy_tolist_1M_structs"), 1.0))
    out.append(("3", "tolist, 1M items, fields unnamed", c("tolist", "view_tolist_1M_unnamed"),
                "numpy tolist()", tl.get("numpy_tolist_1M_structs"), None))
    n_all, n_flat = ps.get("count_all", "?"), ps.get("count_flat", "?")
    out.append(("4", f"parse {n_all} format strings", c("parse", "parse_10000_all"),
                "numpy PEP 3118 -> dtype", ps.get("numpy_pep3118_all"), 1.0))
    alt = ps.get("alternated")
    if alt:
        for key, what in (("parse_all", f"parse {n_all} format strings ***"),
                          ("parse_flat", f"parse the {n_flat} flat ones ***")):
            for name, label in (("numpy_pep3118_all", "numpy PEP 3118 -> dtype"),
                                ("struct_calcsize_flat", "struct.calcsize"),
                                ("struct_calcsize_flat_uncached", "calcsize, cache cleared")):
                if (key == "parse_all") != (name == "numpy_pep3118_all"):
                    continue
                out.append(("4", what, alt["rust"][key], label, alt["python"][name], 1.0,
                            alt["ratio"][f"{key}/{name}"]))
    flat = c("parse", "parse_flat_subset")
    out.append(("4", f"parse the {n_flat} flat ones", flat, "struct.calcsize",
                ps.get("struct_calcsize_flat"), 1.0))
    out.append(("4", f"parse the {n_flat} flat ones", flat, "calcsize, cache cleared",
                ps.get("struct_calcsize_flat_uncached"), 1.0))
    xp = ex.get("paired") if ex else None
    if xp:
        # Alternated round by round (*): the ratio is the median of per-round ratios.
        def xrow(name, base, label, target):
            if name in xp and base in xp:
                call = name.removeprefix("image_")
                out.append(("5", f"{call}(Image) per call *",
                            xp[name]["seconds"], label, xp[base]["seconds"], target,
                            xp[name]["ratio"] / xp[base]["ratio"]))
        xrow("image_memoryview", "numpy_memoryview", "memoryview(numpy array)", 1.1)
        xrow("image_asarray", "numpy_asarray", "asarray(numpy array)", 1.1)
        xrow("image_asarray", "numpy_memoryview_asarray", "asarray(memoryview(numpy array))",
             None)
        xrow("image_asarray", "testbuffer_asarray", "asarray(_testbuffer.ndarray)", None)
    elif ex:
        for call in ("memoryview", "asarray"):
            out.append(("5", f"{call}(Image) per call", ex.get(f"image_{call}"),
                        f"{call}(numpy array)", ex.get(f"numpy_{call}"), 1.1))
        out.append(("5", "asarray(Image) per call", ex.get("image_asarray"),
                    "asarray(memoryview(numpy array))", ex.get("numpy_memoryview_asarray"),
                    None))
    else:
        out.append(("5", "memoryview/asarray(Image)", None, "numpy array", None, 1.1))
    if bt and "ratios" in bt:
        # Ratios are medians of per-round ratios (the rounds interleave both sides).
        for n, target in (("1", 1.25), ("200", 1.4)):
            d, p = bt[f"derived-{n}"], bt[f"plain-{n}"]
            out.append(("6", f"build, {n} exported struct(s), from clean *", d["full"],
                        "zerocopy IntoBytes+FromBytes only", p["full"], target,
                        bt["ratios"][n]["full"]))
            out.append(("6", f"build, {n} exported struct(s), crate only *", d["crate"],
                        "zerocopy IntoBytes+FromBytes only", p["crate"], None,
                        bt["ratios"][n]["crate"]))
    else:
        out.append(("6", "build, 1 and 200 exported structs", None, "zerocopy only", None, 1.25))
    rust_pair("7", "sum a field, mmap file via MemoryView", "mmap", "mmap_view_sum",
              "vec_slice_sum", "same loop over a Vec", 1.2)
    rust_pair("7", "sum a field, mmap file as a slice", "mmap", "mmap_slice_sum",
              "vec_slice_sum", "same loop over a Vec", None)
    out.extend(rows11(py.get("export11")))
    return out, rss


def rows11(e):
    """The rows of issue 11, all measured interleaved (*): ratios are medians of per-round
    ratios."""
    if not e:
        return [("11", "Python export rows (issue 11)", None, "-", None, None)]
    out = []
    er = e["export_release"]
    sec, ratio = er["seconds"], er["ratio"]
    label = {"handwritten": "hand-written __getbuffer__", "bytearray": "bytearray",
             "handwritten_cstring": "hand-written, CString format",
             "handwritten_release": "hand-written + empty __releasebuffer__"}
    for c in (0, 1000, 100_000):
        for base, target in (("handwritten", 1.2), ("bytearray", None),
                             ("handwritten_release", None), ("handwritten_cstring", None)):
            out.append(("11", f"memoryview+release, {c:,} others *", sec[f"ours@{c}"],
                        f"{label[base]}, same count", sec[f"{base}@{c}"], target,
                        ratio[f"ours@{c}/{base}@{c}"]))
    for k, target in (("ours", 1.2), ("handwritten", None), ("bytearray", None)):
        what = "ours" if k == "ours" else label[k]
        out.append(("11", f"{what}, 100,000 others *", sec[f"{k}@100000"],
                    f"{what}, 0 others", sec[f"{k}@0"], target, ratio[f"{k}@100000/{k}@0"]))
    ap = e["asarray"]["paired"]
    shape = "x".join(map(str, e["asarray"]["shape"]))
    if "testbuffer" in ap:
        for k, what, target in (("ours", "asarray(ours)", 1.1),
                                ("handwritten", "asarray(hand-written)", None),
                                ("handwritten_release", "asarray(hand-written + release)",
                                 None)):
            out.append(("11", f"{what} {shape} B per call *", ap[k]["seconds"],
                        "asarray(_testbuffer.ndarray)", ap["testbuffer"]["seconds"], target,
                        ap[k]["ratio"]))
    h = e["handoff"]
    n = f"{h['items'] // 1_000_000}M f64"
    parts = (("end to end", h["end_to_end"]),
             ("handoff alone, cold", h["handoff_only"]["cold"]),
             ("handoff alone, warm", h["handoff_only"]["warm"]))
    for what, p in parts:
        out.append(("11", f"{n} to numpy, {what}: OwnedBuffer+asarray *",
                    p["ours_asarray"]["seconds"], "rust-numpy PyArray1::from_vec",
                    p["numpy_from_vec"]["seconds"], 1.1, p["ours_asarray"]["ratio"]))
        out.append(("11", f"{n}, {what}: OwnedBuffer::new *", p["ours"]["seconds"],
                    "rust-numpy PyArray1::from_vec", p["numpy_from_vec"]["seconds"], 1.1,
                    p["ours"]["ratio"]))
    le = e["live_exports"]
    count = f"{le['count']:,}"
    for w, what in (("objects_and_views", f"create {count} objects+memoryviews"),
                    ("views_only", f"{count} memoryviews of made objects")):
        for k in ("ours", "handwritten"):
            out.append(("11", f"{what}, {'ours' if k == 'ours' else 'hand-written'} *",
                        le["seconds"][f"{k}_{w}"], "the same with bytearray(64)",
                        le["seconds"][f"bytearray_{w}"], None,
                        le["ratio"][f"{k}_{w}/bytearray_{w}"]))
    return out


def main():
    results, cdir = Path(sys.argv[1]), Path(sys.argv[2])
    markdown = "--markdown" in sys.argv
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
    table, rss = rows(results, cdir)
    if only == "export":
        table, rss = [r for r in table if r[0] == "11"], None
    head = ["row", "measured", "time", "baseline", "time", "ratio", "target", "met?"]
    lines = []
    for row, what, t, base, bt, target, *pair_ratio in table:
        ratio = pair_ratio[0] if pair_ratio else (t / bt if t is not None and bt else None)
        met = "n/a" if ratio is None or target is None else ("yes" if ratio <= target else "NO")
        lines.append([row, what, fmt_time(t), base, fmt_time(bt),
                      f"{ratio:.2f}x" if ratio is not None else "n/a",
                      f"<= {target}x" if target else "-", met])
    if only:
        pass
    elif rss:
        growth = rss["rss_anon_growth_kib"]
        lines.append(["7", f"RssAnon growth, {rss['file_bytes'] >> 20} MiB mapped",
                      f"{growth} KiB", "-", "-", "-", "< 16384 KiB",
                      "yes" if growth < 16384 else "NO"])
    else:
        lines.append(["7", "RssAnon growth", "n/a", "-", "-", "-", "< 16384 KiB", "n/a"])
    if markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for l in lines:
            print("| " + " | ".join(l) + " |")
        return
    widths = [max(len(str(r[i])) for r in [head] + lines) for i in range(len(head))]
    for r in [head] + lines:
        print("  ".join(str(x).ljust(w) for x, w in zip(r, widths)).rstrip())
    print("\nratio = measured time / baseline time, both from this run (below 1: ours is "
          "faster). Row 2's 'at least 0.8x memcpy' is '<= 1.25x its time'.\n"
          "* = measured interleaved (both sides alternate, median of per-round ratios; "
          "times are medians per call); other Rust times are criterion medians, Python "
          "times timeit medians.\n"
          "** = each side's time as a multiple of its own 64 MiB memcpy (to_vec / numpy "
          "tobytes of a contiguous array) measured interleaved with it; the ratio compares "
          "those multiples, so a load change between the Rust and Python runs cancels out.\n"
          "*** = the Rust `timing` binary and the Python calls alternate round after round "
          "(median of per-round ratios); the unmarked rows below them are criterion's and "
          "timeit's medians taken minutes apart.")


if __name__ == "__main__":
    main()
