"""Records in a `multiprocessing.shared_memory` block, created and opened by name from Rust
(`OwnedBuffer::create_shared` / `open_shared`), written and read by several processes."""
import multiprocessing
import uuid

import numpy as np
import pytest

ROWS = 3 * 4096


def _writer(name, worker, workers, barrier, result):
    import buffer_example as bx

    try:
        rows, shm = bx.shared_records(name)
        n = len(rows)
        per = n // workers
        mine = range(worker * per, (worker + 1) * per)
        if worker == 0:
            # numpy: a structured array over the very same shared bytes.
            a = np.asarray(rows)
            ids = np.arange(mine.start, mine.stop)
            a["id"][mine.start : mine.stop] = 1000 + ids
            a["price"][mine.start : mine.stop] = 1.25 * ids
        else:
            bx.write_records(rows, mine.start, mine.stop)
        barrier.wait(60)
        # Everyone's rows, read back in this process: ids and prices of every worker.
        a = np.asarray(rows)
        ok = bool(
            (a["id"] == 1000 + np.arange(n)).all() and (a["price"] == 1.25 * np.arange(n)).all()
        )
        # Rust reads the rows the other processes wrote, through a typed view.
        total = bx.total_price(rows)
        del a
        result.put((worker, ok, total))
        del rows
        shm.close()
    except BaseException as e:  # reported to the parent, which fails the test
        result.put((worker, repr(e), None))
        barrier.abort()


def test_processes_write_disjoint_rows_and_read_each_others(bx):
    name = f"bx-{uuid.uuid4().hex[:12]}"
    rows, shm = bx.shared_records(name, ROWS, create=True)
    try:
        assert len(rows) == ROWS and memoryview(rows).format == memoryview(bx.Table(1)).format
        assert not memoryview(rows).readonly and bytes(rows) == bytes(ROWS * 48)
        workers = 3
        ctx = multiprocessing.get_context("spawn")
        barrier, result = ctx.Barrier(workers), ctx.Queue()
        procs = [
            ctx.Process(target=_writer, args=(name, w, workers, barrier, result))
            for w in range(workers)
        ]
        for p in procs:
            p.start()
        got = sorted(result.get(timeout=120) for _ in procs)
        for p in procs:
            p.join(60)
        want = 1.25 * ROWS * (ROWS - 1) / 2
        assert [(w, ok) for w, ok, _ in got] == [(w, True) for w in range(workers)], got
        assert all(t == pytest.approx(want) for _, _, t in got)
        assert [p.exitcode for p in procs] == [0] * workers
        # The creating process sees every row, as Rust wrote them for workers 1 and 2.
        assert rows.__len__() == ROWS and bx.total_price(rows) == pytest.approx(want)
        per = ROWS // workers
        t = bx.Table(ROWS)
        assert bytes(memoryview(rows)[per:]) == bytes(memoryview(t)[per:])
        # While an export of the block lives, Python cannot close the mapping under it.
        m = memoryview(rows)
        with pytest.raises(BufferError):
            shm.close()
        m.release()
    finally:
        del rows
        shm.close()
        shm.unlink()


def test_opening_a_missing_block_raises(bx):
    with pytest.raises(FileNotFoundError):
        bx.shared_records(f"bx-missing-{uuid.uuid4().hex[:12]}")
