//! Pickling exporters in an embedded CPython: the one-line opt-in of `python_buffer!`, the
//! out-of-band protocol 5 path, views versus copies on unpickling, and hostile states.
#![cfg(feature = "pyo3")]

use buffer_runtime::python::{ExportCell, OwnedBuffer};
use buffer_runtime::python_buffer;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyModule};

/// Writable `f32` samples that pickle (the short form of the macro).
#[pyclass(module = "pickle_ext")]
struct Samples {
    data: ExportCell<Vec<f32>>,
}
python_buffer!(
    Samples,
    |this| &this.data,
    pickle | data | Ok(Samples { data })
);

/// Read-only `u64` pairs that pickle (the block form), with a method reading through a view.
#[pyclass(module = "pickle_ext")]
struct Pairs {
    pairs: ExportCell<Vec<[u64; 2]>>,
}
python_buffer! {
    #[pymethods]
    impl Pairs {
        fn total(&self) -> PyResult<u64> {
            Ok(self.pairs.view()?.iter_as::<u64>()?.sum())
        }
        fn unpickled(&self) -> (bool, bool) {
            (self.pairs.unpickled(), self.pairs.unpickled_copy())
        }
    }
    export |this| &this.pairs;
    pickle |pairs| Ok(Pairs { pairs });
}

/// Registers `pickle_ext` (the classes and `OwnedBuffer`) so that pickles can name them, and
/// runs `code` with `Samples`, `Pairs`, `owned` (an `OwnedBuffer` of `[1.0, 2.0, 3.0]`) and
/// `pickle` in scope.
fn run(code: &std::ffi::CStr) {
    Python::attach(|py| {
        let m = PyModule::new(py, "pickle_ext")?;
        m.add_class::<Samples>()?;
        m.add_class::<Pairs>()?;
        OwnedBuffer::add_to_module(&m)?;
        py.import("sys")?
            .getattr("modules")?
            .set_item("pickle_ext", &m)?;
        let g = PyDict::new(py);
        g.set_item("Samples", py.get_type::<Samples>())?;
        g.set_item("Pairs", py.get_type::<Pairs>())?;
        g.set_item("owned", OwnedBuffer::new(py, vec![1.0f64, 2.0, 3.0])?)?;
        g.set_item("pickle", py.import("pickle")?)?;
        g.set_item(
            "samples",
            Py::new(
                py,
                Samples {
                    data: ExportCell::new(vec![0.5, 1.5, 2.5]),
                },
            )?,
        )?;
        g.set_item(
            "pairs",
            Py::new(
                py,
                Pairs {
                    pairs: ExportCell::new_readonly(vec![[1, 2], [3, 4]]),
                },
            )?,
        )?;
        py.run(code, Some(&g), None)
    })
    .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn protocol_5_sends_the_items_out_of_band_and_views_them_back() {
    run(c"
bufs = []
data = pickle.dumps(samples, protocol=5, buffer_callback=bufs.append)
assert len(bufs) == 1 and bufs[0].raw().nbytes == 12 and len(data) < 200, (bufs, len(data))
back = pickle.loads(data, buffers=bufs)
assert type(back) is Samples and memoryview(back).tolist() == [0.5, 1.5, 2.5]
# Writable and aligned: the same memory, so a write through one shows in the other.
memoryview(back)[0] = 9.0
assert memoryview(samples)[0] == 9.0
del back, bufs
");
}

#[test]
fn protocols_2_to_4_carry_the_items_in_band() {
    run(c"
for p in (2, 3, 4):
    back = pickle.loads(pickle.dumps(pairs, protocol=p))
    assert type(back) is Pairs and back.total() == 10
    assert memoryview(back).readonly and memoryview(back).tolist() == [[1, 2], [3, 4]]
    # A bytes object is immutable: a read-only cell views it.
    assert back.unpickled() == (True, False), back.unpickled()
    s = pickle.loads(pickle.dumps(samples, protocol=p))
    assert memoryview(s).tolist() == [0.5, 1.5, 2.5] and not memoryview(s).readonly
");
}

#[test]
fn read_only_or_misaligned_data_is_copied_once() {
    run(c"
data = pickle.dumps(pairs, protocol=5, buffer_callback=(bufs := []).append)
raw = bytes(bufs[0].raw())
odd = memoryview(bytearray(1) + raw)[1:]
back = pickle.loads(data, buffers=[odd])
assert back.unpickled() == (True, True) and back.total() == 10
# A writable class given read-only bytes copies them into writable memory.
data = pickle.dumps(samples, protocol=5, buffer_callback=(bufs := []).append)
back = pickle.loads(data, buffers=[bytes(bufs[0].raw())])
memoryview(back)[1] = 4.0
assert memoryview(back).tolist() == [0.5, 4.0, 2.5] and memoryview(samples)[1] == 1.5
");
}

#[test]
fn owned_buffers_pickle_once_their_type_is_in_a_module() {
    run(c"
assert type(owned).__module__ == 'pickle_ext'
data = pickle.dumps(owned, protocol=5, buffer_callback=(bufs := []).append)
back = pickle.loads(data, buffers=bufs)
assert memoryview(back).tolist() == [1.0, 2.0, 3.0] and memoryview(back).format == 'd'
for p in (2, 4, 5):
    assert memoryview(pickle.loads(pickle.dumps(owned, protocol=p))).tolist() == [1.0, 2.0, 3.0]
");
}

#[test]
fn hostile_states_are_refused_before_any_view() {
    run(c"
rebuild, (state,) = pairs.__reduce_ex__(4)
assert state[:5] == (1, 'Q', [2, 2], True, 8), state[:5]
def refused(st, what):
    try:
        rebuild(st)
    except (ValueError, TypeError) as e:
        assert what in str(e), (what, str(e))
    else:
        raise AssertionError(f'accepted {st!r}')
refused(state[:2] + ([3, 2],) + state[3:], 'holds 32 bytes but the format and shape describe 48')
refused(state[:2] + ([-2],) + state[3:], 'dimension -2')
refused(state[:2] + ([2**40, 2**40],) + state[3:], 'isize::MAX')
refused(state[:1] + ('d',) + state[2:], 'does not match')
refused(state[:1] + ('T{Q',) + state[2:], 'invalid format')
refused(state[:4] + (0,) + state[5:], 'alignment 0')
refused(state[:5] + (None,), 'must be a buffer')
refused((1, 2, 3), '3 fields')
");
}
