#!/usr/bin/env python3
"""Python side of the benchmarks of issue 6 (run by scripts/bench; see BENCHMARKS.md).

timeit-style: every figure is the median over many repetitions of the time of one call
(seconds), written as JSON to --out. The layouts are the ones the Rust benches build:

  tobytes   128 MiB of uint32; a[::2] (4-byte runs) and a.reshape(-1, 128)[:, :64]
            (256-byte runs), 64 MiB out each: numpy's tobytes() and CPython's
            memoryview(...).tobytes() (a memoryview of the numpy slice: CPython's own copy loop);
            numpy's array is on transparent huge pages (numpy madvises arrays >= 4 MiB), and
            numpy is measured again with an array on 4 KiB pages ("paired_small_pages")
  tolist    1M items of the structured dtype of buffer_benches::Trade (d, I, i): tolist()
  parse     the format strings in --formats (from `gen-formats`): numpy's PEP 3118 reader
            (what np.asarray(memoryview) uses to build an np.dtype) on all of them, and
            struct.calcsize on the flat ones
  --timing  runs the Rust `timing` binary between Python measurements of tolist and parse,
            round after round, and records per-round ratios (robust to a changing load)
  export    (when --export-module names an importable module with an Image type)
            memoryview(obj) and np.asarray(obj) per call, against a numpy array of the same
            shape, and np.asarray of a memoryview of that array (the buffer-protocol path)
  export11  (when --ext-module names the baseline module of benches/python-ext, issue 11)
            memoryview(obj) + release() per call with 0, 1,000 and 100,000 other live exports
            (bytearray, hand-written PyO3 __getbuffer__, ExportCell + python_buffer!);
            np.asarray(obj) against np.asarray(_testbuffer.ndarray) of the same shape and
            format; OwnedBuffer::new against rust-numpy's PyArray1::from_vec for 10M f64
            (end to end, and the handoff alone timed inside Rust); creating 100,000 live
            exports. `--only export` runs these rows alone.
  pickle    (issue 15; when --export-module is given, or `--only pickle`) a 256 MiB Table
            (`buffer_example.Table`, 48-byte records) and a numpy structured array of the same
            bytes: pickle.dumps + pickle.loads round trips, protocol 5 with buffer_callback
            (out of band; per call, windows of many calls) and protocol 4 (in band);
            and (when `distributed` is importable) the same table and array moved to a
            LocalCluster worker process on 127.0.0.1 and back (scatter + gather)
"""

import argparse
import gc
import importlib
import json
import pickle
import statistics
import struct
import subprocess
import sys
import time
import timeit

import numpy as np

try:  # numpy >= 2
    from numpy._core._internal import _dtype_from_pep3118
except ImportError:  # numpy 1.x
    from numpy.core._internal import _dtype_from_pep3118

try:  # numpy >= 2; used by row 2 to also measure numpy's source without huge pages
    from numpy._core import multiarray as np_multiarray
except ImportError:  # numpy 1.x
    from numpy.core import multiarray as np_multiarray


def median_time(fn, repeat, number=1):
    """Median over `repeat` runs of the time of one call of `fn` (each run calls it `number`
    times)."""
    times = timeit.Timer(fn).repeat(repeat=repeat, number=number)
    return statistics.median(t / number for t in times)


def interleaved(rounds, fns):
    """Times `fns` (name -> callable) in turn, `rounds` times; returns, per name, the median
    time of one call and the median of its per-round ratio to the first one (the same
    scheme as buffer_benches::interleaved, robust to a shared machine's changing load)."""
    names = list(fns)
    times = {n: [] for n in names}
    for _ in range(rounds):
        for n in names:
            start = time.perf_counter()
            fns[n]()
            times[n].append(time.perf_counter() - start)
    base = times[names[0]]
    return {
        n: {
            "seconds": statistics.median(times[n]),
            "ratio": statistics.median(t / b for t, b in zip(times[n], base)),
        }
        for n in names
    }


def is_flat(s):
    # Same rule as buffer_benches::is_flat.
    return not any(c in s for c in "T:(")


def bench_tobytes(repeat):
    out = 64 << 20
    a = np.arange(2 * out // 4, dtype=np.uint32)
    runs4 = a[::2]
    runs256 = a.reshape(-1, 128)[:, :64]
    assert runs4.nbytes == out and runs256.nbytes == out
    assert not runs4.flags.c_contiguous and not runs256.flags.c_contiguous
    mv4, mv256 = memoryview(runs4), memoryview(runs256)
    assert mv4.tobytes() == runs4.tobytes()
    assert mv256.tobytes()[:512] == runs256.tobytes()[:512]
    contiguous = a[: out // 4]
    paired = interleaved(repeat, {
        "memcpy_64MiB": contiguous.tobytes,
        "numpy_runs_256B": runs256.tobytes,
        "numpy_runs_4B": runs4.tobytes,
        "memoryview_runs_256B": mv256.tobytes,
        "memoryview_runs_4B": mv4.tobytes,
    })
    # numpy backs arrays of 4 MiB and more with transparent huge pages (madvise); the same
    # layouts over 4 KiB pages, as a Rust Vec has them (the Rust bench measures both kinds).
    paired_small_pages = None
    set_hugepage = getattr(np_multiarray, "_set_madvise_hugepage", None)
    if set_hugepage is not None:
        was = set_hugepage(False)
        try:
            b = np.arange(2 * out // 4, dtype=np.uint32)
        finally:
            set_hugepage(was)
        paired_small_pages = interleaved(repeat, {
            "memcpy_64MiB": b[: out // 4].tobytes,
            "numpy_runs_256B": b.reshape(-1, 128)[:, :64].tobytes,
            "numpy_runs_4B": b[::2].tobytes,
        })
        del b
    return {
        "paired": paired,
        "paired_small_pages": paired_small_pages,
        "numpy_runs_4B": median_time(runs4.tobytes, repeat),
        "numpy_runs_256B": median_time(runs256.tobytes, repeat),
        "memoryview_runs_4B": median_time(mv4.tobytes, repeat),
        "memoryview_runs_256B": median_time(mv256.tobytes, repeat),
        "numpy_contiguous_64MiB": median_time(contiguous.tobytes, repeat),
    }


def rust_timing(binary, *args):
    """Runs the Rust `timing` binary (benches/src/bin/timing.rs): a dict of median seconds."""
    out = subprocess.run([binary, *map(str, args)], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def alternate(rounds, rust, python):
    """`rounds` rounds of the Rust measurement (`rust()` -> dict of seconds) then the Python
    ones (`python` name -> callable, timed once each); per pair (rust key, python name), the
    median over rounds of the per-round ratio rust / python, and each side's median."""
    rs, ps = [], {n: [] for n in python}
    for _ in range(rounds):
        rs.append(rust())
        for n, f in python.items():
            start = time.perf_counter()
            f()
            ps[n].append(time.perf_counter() - start)
    out = {"rust": {k: statistics.median(r[k] for r in rs) for k in rs[0]},
           "python": {n: statistics.median(t) for n, t in ps.items()}, "ratio": {}}
    for k in rs[0]:
        for n in python:
            out["ratio"][f"{k}/{n}"] = statistics.median(
                r[k] / t for r, t in zip(rs, ps[n]))
    return out


def bench_tolist(repeat, timing=None):
    n = 1 << 20
    dt = np.dtype([("price", "=f8"), ("qty", "=u4"), ("id", "=i4")])
    arr = np.zeros(n, dtype=dt)
    i = np.arange(n)
    arr["price"], arr["qty"], arr["id"] = i * 0.25, i, -i
    assert arr.tolist()[7] == (1.75, 7, -7)
    result = {"numpy_tolist_1M_structs": median_time(arr.tolist, repeat)}
    if timing:
        result["alternated"] = alternate(
            repeat, lambda: rust_timing(timing, "tolist", 1), {"numpy_tolist": arr.tolist})
    return result


def bench_parse(formats, repeat, timing=None, formats_file=None):
    flat = [s for s in formats if is_flat(s)]

    def numpy_all():
        for s in formats:
            _dtype_from_pep3118(s)

    def calcsize_flat():
        for s in flat:
            struct.calcsize(s)

    def calcsize_flat_uncached():
        # struct keeps a small cache of compiled formats: clear it so every string is parsed
        # (the Rust side caches nothing).
        struct._clearcache()
        for s in flat:
            struct.calcsize(s)
            struct._clearcache()

    alternated = None
    if timing:
        alternated = alternate(
            max(3, repeat // 2),
            lambda: rust_timing(timing, "parse", formats_file, 3),
            {"numpy_pep3118_all": numpy_all, "struct_calcsize_flat": calcsize_flat,
             "struct_calcsize_flat_uncached": calcsize_flat_uncached})
    return {
        "alternated": alternated,
        "count_all": len(formats),
        "count_flat": len(flat),
        "numpy_pep3118_all": median_time(numpy_all, max(3, repeat // 4)),
        "struct_calcsize_flat": median_time(calcsize_flat, repeat),
        "struct_calcsize_flat_uncached": median_time(calcsize_flat_uncached, repeat),
    }


def bench_export(module_name, repeat):
    mod = importlib.import_module(module_name)
    img = mod.Image(480, 640)
    mv = memoryview(img)
    ref = np.zeros(mv.shape, dtype=np.asarray(img).dtype)
    ref_mv = memoryview(ref)
    number = 2000
    return {
        "shape": list(mv.shape),
        "format": mv.format,
        "image_memoryview": median_time(lambda: memoryview(img), repeat, number),
        "numpy_memoryview": median_time(lambda: memoryview(ref), repeat, number),
        "image_asarray": median_time(lambda: np.asarray(img), repeat, number),
        "numpy_asarray": median_time(lambda: np.asarray(ref), repeat, number),
        # np.asarray of an ndarray returns it unchanged; a memoryview of the same array is
        # the baseline that, like the Image, goes through the buffer protocol.
        "numpy_memoryview_asarray": median_time(lambda: np.asarray(ref_mv), repeat, number),
        "paired": bench_export_paired(img, ref, ref_mv, repeat, number),
    }


def bench_export_paired(img, ref, ref_mv, repeat, number):
    """The export calls alternating round after round (per-call seconds, ratios to the
    first), with two more baselines that, like the Image, are not ndarrays: numpy must build
    a new array from their buffer. `_testbuffer.ndarray` is CPython's C test exporter."""
    def per_call(fn):
        def run():
            for _ in range(number):
                fn()
        return run

    fns = {
        "numpy_memoryview": per_call(lambda: memoryview(ref)),
        "image_memoryview": per_call(lambda: memoryview(img)),
        "numpy_asarray": per_call(lambda: np.asarray(ref)),
        "image_asarray": per_call(lambda: np.asarray(img)),
        "numpy_memoryview_asarray": per_call(lambda: np.asarray(ref_mv)),
    }
    try:
        import _testbuffer

        tb = _testbuffer.ndarray(ref.ravel().tolist(), shape=list(ref.shape), format=ref_mv.format)
        fns["testbuffer_asarray"] = per_call(lambda: np.asarray(tb))
    except ImportError:
        print("export: _testbuffer is missing; its baseline is skipped", file=sys.stderr)
    out = interleaved(max(repeat, 15), fns)
    for v in out.values():
        v["seconds"] /= number
    return out


def interleaved_rotated(rounds, fns):
    """`interleaved`, with the order of `fns` rotating from round to round: on a machine
    shared by more processes than cores, the scheduler's time slice makes the window at a fixed
    position in a round more likely to be cut than the others (seen: one exporter measured
    2-3x slower than in any other order)."""
    names = list(fns)
    times = {n: [] for n in names}
    for r in range(rounds):
        for n in names[r % len(names):] + names[:r % len(names)]:
            start = time.perf_counter()
            fns[n]()
            times[n].append(time.perf_counter() - start)
    return {
        n: {
            "seconds": statistics.median(times[n]),
            "ratio": per_round_ratio(times, n, names[0]),
            "quartiles": statistics.quantiles(times[n], n=4),
        }
        for n in names
    }


def per_round_ratio(times, name, base):
    """Median over rounds of times[name][r] / times[base][r] (both measured in round r)."""
    return statistics.median(t / b for t, b in zip(times[name], times[base]))


def export_release_loop(obj, number):
    """`number` times `m = memoryview(obj); m.release()`."""
    calls = range(number)

    def run():
        for _ in calls:
            m = memoryview(obj)
            m.release()
    return run


EXPORT_COUNTS = (0, 1000, 100_000)


def bench_export_release(ext, rounds, subrounds, number):
    """Row "export + release" of issue 11: the per-call cost of `memoryview(obj)` and its
    `release()`, while 0, 1,000 or 100,000 *other* objects of the same kind each hold a live
    memoryview. Every round builds each crowd anew (so 0 means none) and times every kind
    against it `subrounds` times, `number` calls each, in an order that rotates; short
    windows, many of them, so that most are not cut by another process on a shared machine.
    Ratios are medians of per-window ratios: kind against kind in the same sub-round, count
    against count in the same sub-round of the same round (seconds apart)."""
    kinds = {
        "bytearray": lambda: bytearray(64),
        "handwritten": lambda: ext.HandWritten(16),
        "handwritten_release": lambda: ext.HandWrittenRelease(16),
        "handwritten_cstring": lambda: ext.HandWrittenCString(16),
        "ours": lambda: ext.Ours(16),
    }
    for make in kinds.values():
        m = memoryview(make())
        assert m.nbytes == 64, m.nbytes
    names = list(kinds)
    times = {f"{k}@{c}": [] for c in EXPORT_COUNTS for k in kinds}
    was_enabled = gc.isenabled()
    gc.disable()  # as timeit does; 500,000 live memoryviews would make every pass long
    try:
        for _ in range(rounds):
            for count in EXPORT_COUNTS:
                crowds = {k: [memoryview(make()) for _ in range(count)]
                          for k, make in kinds.items()}
                loops = {k: export_release_loop(make(), number) for k, make in kinds.items()}
                for s in range(subrounds):
                    for k in names[s % len(names):] + names[:s % len(names)]:
                        start = time.perf_counter()
                        loops[k]()
                        times[f"{k}@{count}"].append((time.perf_counter() - start) / number)
                del crowds, loops
    finally:
        if was_enabled:
            gc.enable()
    out = {"rounds": rounds, "subrounds": subrounds, "calls_per_window": number,
           "seconds": {n: statistics.median(t) for n, t in times.items()},
           "quartiles": {n: statistics.quantiles(t, n=4) for n, t in times.items()},
           "ratio": {}}
    for c in EXPORT_COUNTS:
        for k, base in (("ours", "handwritten"), ("ours", "bytearray"),
                        ("ours", "handwritten_release"), ("ours", "handwritten_cstring"),
                        ("handwritten", "bytearray"), ("handwritten_release", "handwritten")):
            out["ratio"][f"{k}@{c}/{base}@{c}"] = per_round_ratio(times, f"{k}@{c}", f"{base}@{c}")
        for k in kinds:
            out["ratio"][f"{k}@{c}/{k}@0"] = per_round_ratio(times, f"{k}@{c}", f"{k}@0")
    return out


def bench_asarray11(ext, rounds, number):
    """Row "numpy.asarray" of issue 11: `np.asarray(obj)` per call of a (4096, 4) `B` buffer
    (64 x 64 RGBA pixels) against CPython's C test exporter with the same shape and format."""
    n = 64 * 64
    ours, hand, hand_release = ext.Ours(n), ext.HandWritten(n), ext.HandWrittenRelease(n)
    fns = {}
    try:
        import _testbuffer

        items = [i % 256 for i in range(4 * n)]
        tb = _testbuffer.ndarray(items, shape=[n, 4], format="B", flags=_testbuffer.ND_WRITABLE)
        fns["testbuffer"] = lambda: np.asarray(tb)
    except ImportError:
        print("export11: _testbuffer is missing; its baseline is skipped", file=sys.stderr)
    fns["ours"] = lambda: np.asarray(ours)
    fns["handwritten"] = lambda: np.asarray(hand)
    fns["handwritten_release"] = lambda: np.asarray(hand_release)
    for f in fns.values():
        a = f()
        assert a.shape == (n, 4) and a.dtype == np.uint8, (a.shape, a.dtype)

    def per_call(fn):
        calls = range(number)

        def run():
            for _ in calls:
                fn()
        return run

    out = interleaved_rotated(rounds, {k: per_call(f) for k, f in fns.items()})
    for v in out.values():
        v["seconds"] /= number
        v["quartiles"] = [q / number for q in v["quartiles"]]
    return {"shape": [n, 4], "format": "B", "rounds": rounds, "calls_per_window": number,
            "paired": out}


HANDOFF_ITEMS = 10_000_000


def bench_handoff(ext, rounds):
    """Row "owned handoff" of issue 11: a `Vec<f64>` of 10 million moved to Python by
    `OwnedBuffer::new` against rust-numpy's `PyArray1::from_vec`. End to end (build the
    vector, hand it over, drop the result: one call from Python) and the handoff alone (the
    vector built before Rust's timer starts): "cold" right after filling the 80 MB, which
    evicts the caches, and "warm" after the same handoff of a short vector (untimed)."""
    n = HANDOFF_ITEMS
    a, o = ext.from_vec_numpy(n), ext.from_vec_ours(n)
    assert np.array_equal(a[-3:], np.asarray(o)[-3:]) and a.shape == (n,)
    del a, o
    end_to_end = interleaved_rotated(rounds, {
        "numpy_from_vec": lambda: ext.from_vec_numpy(n),
        "ours": lambda: ext.from_vec_ours(n),
        "ours_asarray": lambda: np.asarray(ext.from_vec_ours(n)),
    })
    handoff = {}
    for warm in (False, True):
        calls = {"numpy_from_vec": lambda: ext.handoff_numpy(n, warm),
                 "ours": lambda: ext.handoff_ours(n, False, warm),
                 "ours_asarray": lambda: ext.handoff_ours(n, True, warm)}
        names = list(calls)
        times = {k: [] for k in names}
        for r in range(rounds):
            for k in names[r % 3:] + names[:r % 3]:
                times[k].append(calls[k]())
        handoff["warm" if warm else "cold"] = {
            k: {"seconds": statistics.median(t),
                "ratio": per_round_ratio(times, k, "numpy_from_vec")}
            for k, t in times.items()}
    return {"items": n, "end_to_end": end_to_end, "handoff_only": handoff}


def bench_live_exports(ext, rounds, count=100_000):
    """For the notes of issue 11: creating `count` live exports, a list of `count` objects
    each with a memoryview; and the memoryviews alone of `count` objects made beforehand.
    gc disabled while timing, as timeit does."""
    kinds = {
        "bytearray": lambda: bytearray(64),
        "handwritten": lambda: ext.HandWritten(16),
        "ours": lambda: ext.Ours(16),
    }
    times = {f"{k}_{w}": [] for k in kinds for w in ("objects_and_views", "views_only")}
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        names = list(kinds)
        for r in range(rounds):
            for k in names[r % 3:] + names[:r % 3]:
                make = kinds[k]
                start = time.perf_counter()
                views = [memoryview(make()) for _ in range(count)]
                times[f"{k}_objects_and_views"].append(time.perf_counter() - start)
                del views
                objs = [make() for _ in range(count)]
                start = time.perf_counter()
                views = [memoryview(o) for o in objs]
                times[f"{k}_views_only"].append(time.perf_counter() - start)
                del views, objs
    finally:
        if was_enabled:
            gc.enable()
    out = {"count": count, "rounds": rounds,
           "seconds": {n: statistics.median(t) for n, t in times.items()}, "ratio": {}}
    for w in ("objects_and_views", "views_only"):
        for k in ("ours", "handwritten"):
            out["ratio"][f"{k}_{w}/bytearray_{w}"] = per_round_ratio(
                times, f"{k}_{w}", f"bytearray_{w}")
    return out


PICKLE_BYTES = 256 << 20


def bench_pickle(module_name, repeat):
    """Issue 15's pickle row: round trips of a 256 MiB table against a numpy structured array
    of the same bytes (np.array(table): numpy's dtype from our PEP 3118 format), interleaved
    with rotating order. Out of band (protocol 5 + buffer_callback, buffers passed straight to
    loads, as multiprocessing.shared_memory-free transports hand them over) is timed per call
    over windows of `number` calls; in band (protocol 4, and protocol 5 without a callback)
    one call per window."""
    bx = importlib.import_module(module_name)
    n = PICKLE_BYTES // 48
    table = bx.Table(n)
    array = np.array(table)
    assert array.nbytes == memoryview(table).nbytes == n * 48
    assert array.tobytes() == bytes(table)

    def oob(obj):
        buffers = []
        data = pickle.dumps(obj, protocol=5, buffer_callback=buffers.append)
        return pickle.loads(data, buffers=buffers)

    back = oob(table)
    assert np.asarray(back).ctypes.data == np.asarray(table).ctypes.data
    del back
    number = 200

    def window(obj):
        return lambda: [oob(obj) for _ in range(number)]

    out_of_band = interleaved_rotated(2 * repeat + 1, {
        "numpy_p5_oob": window(array),
        "ours_p5_oob": window(table),
    })
    for v in out_of_band.values():
        v["seconds"] /= number
        v["quartiles"] = [q / number for q in v["quartiles"]]
    rounds = max(3, repeat // 2)
    in_band = interleaved_rotated(rounds, {
        "numpy_p4": lambda: pickle.loads(pickle.dumps(array, protocol=4)),
        "ours_p4": lambda: pickle.loads(pickle.dumps(table, protocol=4)),
        "numpy_p5_inband": lambda: pickle.loads(pickle.dumps(array, protocol=5)),
        "ours_p5_inband": lambda: pickle.loads(pickle.dumps(table, protocol=5)),
        "ours_p5_oob": lambda: oob(table),
    })
    in_band_bytes = len(pickle.dumps(table, protocol=5, buffer_callback=lambda b: None))
    return {"bytes": n * 48, "rows": n, "calls_per_window": number,
            "in_band_bytes_p5_oob": in_band_bytes,
            "out_of_band": out_of_band, "in_band": in_band}


def bench_dask(module_name, rounds):
    """Issue 15's Dask row: `client.gather(client.scatter(obj))` of the 256 MiB table and of
    the numpy array of the same bytes, to one worker process on loopback and back,
    interleaved with rotating order. `direct=True` both ways (client <-> worker, not through
    the scheduler). Each scatter is a new key (`hash=False`), released after the round.
    Also a read-only numpy array, and the writable `OwnedBuffer` of `buffer_example.records`
    (the same bytes): distributed copies every frame whose writability differs from the
    buffer it was received into, so read-only objects (`Table`) pay one copy per direction."""
    import distributed

    bx = importlib.import_module(module_name)
    n = PICKLE_BYTES // 48
    table = bx.Table(n)
    array = np.array(table)
    frozen = np.array(table)
    frozen.flags.writeable = False
    records, _ = bx.records(n)
    assert bytes(records) == bytes(table)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None,
                                  silence_logs=40) as cluster, \
            distributed.Client(cluster) as client:

        def move(obj):
            def run():
                fut = client.scatter(obj, direct=True, hash=False)
                back = client.gather(fut, direct=True)
                assert memoryview(back).nbytes == n * 48
                fut.release()
            return run

        fns = {"numpy": move(array), "numpy_readonly": move(frozen),
               "ours_table_readonly": move(table), "ours_owned_writable": move(records)}
        for f in fns.values():
            f()
        out = interleaved_rotated(rounds, fns)
    return {"bytes": n * 48, "rounds": rounds, "paired": out}


def bench_export11(module_name, repeat):
    ext = importlib.import_module(module_name)
    rounds = 2 * repeat + 1
    return {
        "export_release": bench_export_release(ext, rounds, 20, 500),
        "asarray": bench_asarray11(ext, 20 * rounds, 200),
        "handoff": bench_handoff(ext, rounds),
        "live_exports": bench_live_exports(ext, max(5, repeat // 2)),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--formats", help="file of format strings, one a line (for parse)")
    ap.add_argument("--out", required=True, help="JSON file to write")
    ap.add_argument("--repeat", type=int, default=15, help="repetitions per figure")
    ap.add_argument("--export-module", help="Python module with an exported Image type")
    ap.add_argument("--timing", help="the Rust `timing` binary, run alternately with the "
                    "Python measurements of tolist and parse")
    ap.add_argument("--ext-module", help="the baseline module of benches/python-ext "
                    "(buffer_bench_ext), for the rows of issue 11")
    ap.add_argument("--only", choices=["export", "pickle"],
                    help="export: only the rows of issue 11 (needs --ext-module); "
                    "pickle: only the pickle rows of issue 15 (needs --export-module)")
    args = ap.parse_args()
    if args.only == "export" and not args.ext_module:
        ap.error("--only export needs --ext-module")
    if args.only == "pickle" and not args.export_module:
        ap.error("--only pickle needs --export-module")
    if not args.only and not args.formats:
        ap.error("--formats is required (unless --only export)")
    results = {"python": sys.version.split()[0], "numpy": np.__version__}
    if not args.only:
        with open(args.formats) as f:
            formats = [line for line in f.read().split("\n") if line]
        results["tobytes"] = bench_tobytes(args.repeat)
        results["tolist"] = bench_tolist(max(3, args.repeat // 3), args.timing)
        results["parse"] = bench_parse(formats, args.repeat, args.timing, args.formats)
        if args.export_module:
            results["export"] = bench_export(args.export_module, args.repeat)
    if args.ext_module and args.only != "pickle":
        results["export11"] = bench_export11(args.ext_module, args.repeat)
    if args.export_module and args.only in (None, "pickle"):
        results["pickle"] = bench_pickle(args.export_module, args.repeat)
        try:
            import distributed  # noqa: F401
        except ImportError:
            pass
        else:
            results["dask"] = bench_dask(args.export_module, max(5, args.repeat // 2))
    with open(args.out, "w") as f:
        json.dump(results, f, indent=1)
    json.dump(results, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
