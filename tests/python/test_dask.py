"""A Dask cluster on loopback: two worker processes receive a Rust-exported table of one
million records (pickle protocol 5: the rows travel out of band), reduce it with numpy and
with Rust (the example module's typed view), and send results back. The in-band bytes of
each object stay under 4 KiB."""
import contextlib
import pickle
import signal

# Installed by scripts/python-env (requirements-test.txt): a missing module is an error.
import distributed
import numpy as np
import pytest

ROWS = 1_000_000


def numpy_reduce(table):
    a = np.asarray(table)
    return float(a["price"].sum()), int(a["id"].min()), int(a["id"].max())


def rust_reduce(table):
    import buffer_example

    # `unpickled_view`: the worker's table views the frame it received (no copy).
    return (
        buffer_example.total_price(table),
        type(table).__name__,
        len(table),
        table.unpickled_view,
    )


def in_band_bytes(obj):
    """What Dask's serializer keeps in band for `obj` (the rest are out-of-band frames)."""
    from distributed.protocol import serialize

    header, frames = serialize(obj, serializers=("pickle",))
    buffers = []
    inline = pickle.dumps(obj, protocol=5, buffer_callback=buffers.append)
    return header, frames, inline, buffers


@contextlib.contextmanager
def deadline(seconds):
    """Fails the test (TimeoutError in the main thread) if the block runs longer."""

    def expired(signum, frame):
        raise TimeoutError(f"the Dask test took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_local_cluster_reduces_a_rust_table_on_two_workers(bx):
    table = bx.Table(ROWS)
    want_total = 1.25 * ROWS * (ROWS - 1) / 2

    # In band per object: the pickle stream without its buffers; the rows go out of band.
    header, frames, inline, buffers = in_band_bytes(table)
    assert len(inline) < 4096 and len(buffers) == 1
    assert buffers[0].raw().nbytes == ROWS * 48
    assert sum(memoryview(f).nbytes for f in frames) >= ROWS * 48
    # Dask's frames: the small pickle and the rows, as separate frames.
    assert min(memoryview(f).nbytes for f in frames) < 4096

    with deadline(240), distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        worker_dashboard_address=None,
        silence_logs=40,
    ) as cluster, distributed.Client(cluster, timeout=60) as client:
        addresses = list(client.scheduler_info()["workers"])
        assert len(addresses) == 2 and all(a.startswith("tcp://127.0.0.1:") for a in addresses)
        futures = client.scatter([table], broadcast=False, workers=addresses[:1]) + client.scatter(
            [table], broadcast=False, workers=addresses[1:]
        )
        on = client.who_has(futures)
        assert sorted(w for ws in on.values() for w in ws) == sorted(addresses)
        n_futures = client.map(numpy_reduce, futures, pure=False)
        r_futures = client.map(rust_reduce, futures, pure=False)
        distributed.wait(n_futures + r_futures, timeout=120)
        n_results = client.gather(n_futures, errors="raise")
        r_results = client.gather(r_futures, errors="raise")
        # A table back from a worker: pickled out of band on the way too.
        back = client.gather(futures[1])
    for total, lo, hi in n_results:
        assert total == pytest.approx(want_total) and (lo, hi) == (1000, 1000 + ROWS - 1)
    for total, name, n, viewed in r_results:
        assert total == pytest.approx(want_total) and (name, n, viewed) == ("Table", ROWS, True)
    assert type(back) is bx.Table and len(back) == ROWS and back.get(ROWS - 1) == table.get(ROWS - 1)
    assert back.unpickled_view
