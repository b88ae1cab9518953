"""Pickle (PEP 574): `Table`, `Image` (opted in with python_buffer!'s `pickle` form) and
`OwnedBuffer` travel out of band under protocol 5 and in band under 2-4; unpickling views the
buffers it is given when it can, copies once otherwise, and refuses hostile states."""
import multiprocessing
import pickle

import numpy as np
import pytest


def address(obj):
    return np.asarray(obj).ctypes.data


def dumps_oob(obj):
    buffers = []
    data = pickle.dumps(obj, protocol=5, buffer_callback=buffers.append)
    return data, buffers


@pytest.mark.parametrize("protocol", [2, 3, 4, 5])
def test_table_round_trips_in_band(bx, protocol):
    t = bx.Table(1000)
    data = pickle.dumps(t, protocol=protocol)
    # In band: the rows are in the stream.
    assert len(data) > 1000 * 48
    back = pickle.loads(data)
    assert type(back) is bx.Table and len(back) == 1000
    assert bytes(back) == bytes(t)
    assert back.get(999) == t.get(999)
    m = memoryview(back)
    assert (m.format, m.shape, m.readonly) == (memoryview(t).format, (1000,), True)
    a = np.asarray(back)
    assert a["id"][7] == 1007 and a["price"][4] == 5.0


def test_table_protocol_5_sends_one_buffer_out_of_band(bx):
    t = bx.Table(10_000)
    data, buffers = dumps_oob(t)
    assert len(buffers) == 1
    assert all(isinstance(b, pickle.PickleBuffer) for b in buffers)
    assert buffers[0].raw().nbytes == 10_000 * 48
    # The in-band part is the class, format, shape and flags only.
    assert len(data) < 400
    # The PickleBuffer is the table's own memory, not a copy.
    assert np.shares_memory(np.asarray(buffers[0]), np.asarray(t))
    back = pickle.loads(data, buffers=buffers)
    # Read-only rows: the rebuilt table views the given buffer in place.
    assert back.unpickled_view
    assert address(back) == address(t)
    assert bytes(back) == bytes(t) and back.get(123) == t.get(123)


def test_out_of_band_buffers_from_a_foreign_owner_are_viewed(bx):
    t = bx.Table(100)
    data, buffers = dumps_oob(t)
    # What a network layer hands over: a fresh bytearray holding the frame.
    frame = bytearray(buffers[0].raw())
    back = pickle.loads(data, buffers=[frame])
    assert back.unpickled_view and address(back) == np.frombuffer(frame, np.uint8).ctypes.data
    # The table holds a buffer of the frame: the frame cannot be resized under it.
    with pytest.raises(BufferError):
        frame.extend(b"x")
    del back
    frame.extend(b"x")


def misaligned(raw):
    """`raw` at an odd address: a view one byte into a larger buffer."""
    holder = bytearray(len(raw) + 1)
    holder[1:] = raw
    return holder, memoryview(holder)[1:]


def test_misaligned_native_items_are_copied_once(bx):
    obj, _ = bx.floats(64)
    data, buffers = dumps_oob(obj)
    raw = bytes(buffers[0].raw())
    holder, view = misaligned(raw)
    # Format `d` (native) promises aligned doubles: a copy, aligned, independent of the source.
    back = pickle.loads(data, buffers=[view])
    assert address(back) % 8 == 0
    assert not np.shares_memory(np.asarray(back), np.frombuffer(holder, np.uint8))
    assert bytes(back) == raw
    holder[1:9] = b"\xff" * 8
    assert np.asarray(back)[0] == 0.0
    # Aligned and writable: viewed.
    aligned = bytearray(raw)
    back = pickle.loads(data, buffers=[aligned])
    assert address(back) == np.frombuffer(aligned, np.uint8).ctypes.data


def test_standard_size_records_are_viewed_at_any_address(bx):
    # The derived record format has standard sizes (`T{<Q:id:...}`), which promise no
    # alignment: viewed where they are, as Dask hands frames over at any offset.
    t = bx.Table(64)
    data, buffers = dumps_oob(t)
    raw = bytes(buffers[0].raw())
    holder, view = misaligned(raw)
    back = pickle.loads(data, buffers=[view])
    assert back.unpickled_view
    assert address(back) == np.frombuffer(holder, np.uint8).ctypes.data + 1
    assert bytes(back) == raw and back.get(63) == t.get(63)
    assert bx.total_price(back) == bx.total_price(t)


def test_writable_image_views_writable_buffers_and_copies_read_only_ones(bx):
    img = bx.Image(5, 3)
    img.set_pixel(4, 2, [1, 2, 3, 4])
    data, buffers = dumps_oob(img)
    assert len(buffers) == 1 and not buffers[0].raw().readonly
    back = pickle.loads(data, buffers=buffers)
    assert (back.width, back.height, back.get_pixel(4, 2)) == (5, 3, (1, 2, 3, 4))
    # Writable and aligned (bytes need no alignment): viewed, so writes are shared.
    assert np.shares_memory(np.asarray(back), np.asarray(img))
    back.set_pixel(0, 0, [9, 9, 9, 9])
    assert img.get_pixel(0, 0) == (9, 9, 9, 9)
    # A read-only source for a writable image: copied, and the copy is writable.
    ro = pickle.loads(data, buffers=[bytes(buffers[0].raw())])
    assert not memoryview(ro).readonly
    ro.set_pixel(1, 1, [7, 7, 7, 7])
    assert img.get_pixel(1, 1) == (0, 0, 0, 0) and ro.get_pixel(4, 2) == (1, 2, 3, 4)
    # Without buffer_callback, protocol 5 writes the pixels in band (as a bytearray).
    inband = pickle.loads(pickle.dumps(img, protocol=5))
    assert np.array_equal(np.asarray(inband), np.asarray(img))
    assert not np.shares_memory(np.asarray(inband), np.asarray(img))


def test_unpickled_objects_keep_working(bx):
    img = pickle.loads(pickle.dumps(bx.Image(2, 2), protocol=4))
    img.fill([5, 6, 7, 8])
    assert np.asarray(img)[1, 1].tolist() == [5, 6, 7, 8]
    # Their items are not a Rust value: what would reallocate it is refused, with a reason.
    with pytest.raises(BufferError, match="unpickled"):
        img.resize(3, 3)
    t = pickle.loads(pickle.dumps(bx.Table(3)))
    with pytest.raises(BufferError, match="unpickled"):
        t.append(1, 2.0)
    # A pickled unpickled object pickles again.
    assert bytes(pickle.loads(pickle.dumps(t, protocol=5))) == bytes(t)
    assert bx.total_price(t) == 1.25 * 3


@pytest.mark.parametrize("protocol", [2, 4, 5])
def test_owned_buffers_round_trip(bx, protocol):
    obj, _ = bx.records(1000)
    back = pickle.loads(pickle.dumps(obj, protocol=protocol))
    assert type(back) is type(obj)
    assert bytes(back) == bytes(obj)
    assert memoryview(back).format == memoryview(obj).format
    assert not memoryview(back).readonly
    assert np.asarray(back)["price"].sum() == np.asarray(obj)["price"].sum()


def test_owned_buffers_go_out_of_band_and_are_viewed(bx):
    obj, addr = bx.floats(1000)
    data, buffers = dumps_oob(obj)
    assert len(buffers) == 1 and len(data) < 300
    back = pickle.loads(data, buffers=buffers)
    assert address(back) == addr
    assert np.asarray(back).sum() == sum(range(1000))


def test_non_contiguous_exporters_do_not_opt_in_silently(bx):
    # Matrix did not opt in: pickling says so instead of pickling an empty object.
    with pytest.raises(TypeError):
        pickle.dumps(bx.Matrix(2, 3))


def state_of(obj, protocol=4):
    rebuild, (state,) = obj.__reduce_ex__(protocol)
    return rebuild, state


def test_the_state_is_format_shape_flags_and_data(bx):
    rebuild, state = state_of(bx.Table(2))
    version, fmt, shape, readonly, align, data = state
    assert (version, fmt, shape, readonly, align) == (
        1,
        bx.Table.record_layout()["format"],
        [2],
        True,
        8,
    )
    assert rebuild == bx.Table._buffer_runtime_unpickle and isinstance(data, bytes)


HOSTILE = [
    # (change to the state, message)
    (lambda s: s[:5], "5 fields, expected 6"),
    (lambda s: "junk", "not a tuple"),
    (lambda s: (2,) + s[1:], "version 2"),
    (lambda s: s[:1] + ("T{<Q:id:",) + s[2:], "invalid format"),
    (lambda s: s[:1] + ("<q",) + s[2:], "does not match"),
    (lambda s: s[:2] + ([-1],) + s[3:], "dimension -1"),
    (lambda s: s[:2] + ([2**62, 2**62],) + s[3:], "isize::MAX"),
    (lambda s: s[:2] + ([2**70],) + s[3:], "dimension"),
    (lambda s: s[:2] + ([1] * 65,) + s[3:], "65 dimensions"),
    (lambda s: s[:2] + ([3],) + s[3:], "holds 96 bytes but the format and shape describe 144"),
    (lambda s: s[:2] + ([1],) + s[3:], "holds 96 bytes but the format and shape describe 48"),
    (lambda s: s[:4] + (3,) + s[5:], "alignment 3"),
    (lambda s: s[:5] + (b"x" * 95,), "holds 95 bytes"),
    (lambda s: s[:5] + (12345,), "must be a buffer"),
    (lambda s: s[:2] + ("nope",) + s[3:], "shape"),
]


@pytest.mark.parametrize("change,message", HOSTILE)
def test_hostile_states_raise_clear_errors(bx, change, message):
    rebuild, state = state_of(bx.Table(2))
    with pytest.raises((ValueError, TypeError), match=message.replace("(", r"\(")):
        rebuild(change(state))


def test_hostile_states_of_owned_buffers(bx):
    rebuild, state = state_of(bx.floats(4)[0])
    assert rebuild(state) is not None
    for bad, message in [
        (state[:1] + ("T{<d:x:",) + state[2:], "invalid format"),
        (state[:2] + ([5],) + state[3:], "holds 32 bytes"),
        (state[:2] + ([2**61, 4],) + state[3:], "isize::MAX"),
        (state[:4] + (8192,) + state[5:], "alignment 8192"),
    ]:
        with pytest.raises(ValueError, match=message):
            rebuild(bad)


def test_a_zero_beside_huge_dimensions_is_an_empty_buffer(bx):
    # The one geometry rule of views and exports: a 0 anywhere means no items, however large
    # the other dimensions (whose partial product alone would exceed isize::MAX).
    rebuild, state = state_of(bx.floats(4)[0])
    obj = rebuild(state[:2] + ([2**62, 4, 0],) + state[3:5] + (b"",))
    m = memoryview(obj)
    assert (m.shape, m.nbytes, m.format) == ((2**62, 4, 0), 0, memoryview(bx.floats(4)[0]).format)


def test_a_truncated_pickle_raises(bx):
    data = pickle.dumps(bx.Table(50), protocol=4)
    with pytest.raises((pickle.UnpicklingError, EOFError, ValueError)):
        pickle.loads(data[: len(data) // 2])
    data, buffers = dumps_oob(bx.Table(50))
    with pytest.raises(ValueError, match="holds"):
        pickle.loads(data, buffers=[bytes(buffers[0].raw())[:-1]])
    with pytest.raises(pickle.UnpicklingError):
        pickle.loads(data)  # out-of-band data was not given


def _worker(conn):
    import buffer_example

    table = conn.recv()
    img = conn.recv()
    img.set_pixel(0, 0, [1, 2, 3, 4])
    conn.send((type(table).__name__, len(table), table.get(41), buffer_example.total_price(table)))
    conn.send(img)
    conn.close()


def test_multiprocessing_round_trip(bx):
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe()
    p = ctx.Process(target=_worker, args=(child,))
    p.start()
    try:
        t = bx.Table(5000)
        parent.send(t)
        parent.send(bx.Image(4, 4))
        assert parent.poll(60)
        name, n, row, total = parent.recv()
        assert (name, n, row) == ("Table", 5000, t.get(41))
        assert total == pytest.approx(bx.total_price(t))
        img = parent.recv()
        assert img.get_pixel(0, 0) == (1, 2, 3, 4)
    finally:
        p.join(60)
        if p.is_alive():
            p.kill()
    assert p.exitcode == 0
