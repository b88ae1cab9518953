//! Typed iteration over imported numpy arrays (issue 11): the `SharedView` that
//! `PythonBuffer::view` returns, which reads by copies, against a `MemoryView` over the same
//! buffer (what `view` returned before: a `&[u8]` of Python's memory), in the same run,
//! interleaved. Needs numpy in the embedded interpreter.
use std::hint::black_box;
use std::time::Duration;

use buffer_benches::Trade;
use buffer_runtime::python::PythonBuffer;
use buffer_runtime::view::{Data, MemoryView, SharedView, ViewBase};
use criterion::{criterion_group, criterion_main, Criterion};
use pyo3::prelude::*;

const N: usize = 1 << 20;

fn sum_f64<S: Data>(v: &ViewBase<S>) -> f64 {
    v.iter_as::<f64>().unwrap().sum()
}

fn sum_price<S: Data>(v: &ViewBase<S>) -> f64 {
    v.iter_as::<Trade>().unwrap().map(|t| t.price).sum()
}

/// The `MemoryView` `PythonBuffer::view` used to return, over the same memory.
fn memory_view<'b>(buf: &'b PythonBuffer<'_>) -> MemoryView<'b> {
    // SAFETY: nothing writes the arrays while the benchmark runs (no Python code runs
    // between the view's creation and its last use, and no other thread has the arrays).
    let bytes = unsafe { buf.bytes() };
    MemoryView::from_parts(
        bytes,
        buf.format(),
        buf.shape(),
        Some(buf.byte_strides()),
        buf.offset(),
    )
    .unwrap()
}

fn import(c: &mut Criterion) {
    Python::attach(|py| {
        let np = py.import("numpy").expect("the import bench needs numpy");
        let locals = pyo3::types::PyDict::new(py);
        locals.set_item("np", &np).unwrap();
        locals.set_item("n", N).unwrap();
        py.run(
            c"a = np.arange(n, dtype=np.float64) * 0.5
strided = a[::-3]
trades = np.zeros(n, dtype=[('price', 'f8'), ('qty', 'u4'), ('id', 'i4')])
trades['price'] = np.arange(n) * 0.25",
            None,
            Some(&locals),
        )
        .unwrap();
        let get = |k: &str| locals.get_item(k).unwrap().unwrap();
        let (a, strided, trades) = (get("a"), get("strided"), get("trades"));
        let (ba, bs, bt) = (
            PythonBuffer::get(&a).unwrap(),
            PythonBuffer::get(&strided).unwrap(),
            PythonBuffer::get(&trades).unwrap(),
        );
        let (sa, ss, st) = (ba.view().unwrap(), bs.view().unwrap(), bt.view().unwrap());
        let (ma, ms, mt) = (memory_view(&ba), memory_view(&bs), memory_view(&bt));
        // Both paths read the same items: the same sums, which numpy computes too.
        let np_sum =
            |o: &Bound<'_, PyAny>| o.call_method0("sum").unwrap().extract::<f64>().unwrap();
        assert_eq!(sum_f64(&sa), sum_f64(&ma));
        assert_eq!(sum_f64(&sa), np_sum(&a));
        assert_eq!(sum_f64(&ss), sum_f64(&ms));
        assert_eq!(sum_f64(&ss), np_sum(&strided));
        assert_eq!(sum_price(&st), sum_price(&mt));
        assert_eq!(sum_price(&st), np_sum(&trades.get_item("price").unwrap()));

        for (group, m, s, records) in [
            ("import_f64", &ma, &sa, false),
            ("import_f64_strided", &ms, &ss, false),
            ("import_record_field", &mt, &st, true),
        ] {
            let by_memory = |v: &MemoryView<'_>| if records { sum_price(v) } else { sum_f64(v) };
            let by_shared = |v: &SharedView<'_>| if records { sum_price(v) } else { sum_f64(v) };
            let paired = buffer_benches::interleaved(
                101,
                10,
                &mut [
                    ("memory_view", &mut || {
                        black_box(by_memory(black_box(m)));
                    }),
                    ("shared_view", &mut || {
                        black_box(by_shared(black_box(s)));
                    }),
                ],
            );
            buffer_benches::report_paired(group, &paired);
            let mut cg = c.benchmark_group(group);
            cg.bench_function("memory_view", |b| b.iter(|| by_memory(black_box(m))));
            cg.bench_function("shared_view", |b| b.iter(|| by_shared(black_box(s))));
            cg.finish();
        }
    });
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(30)
}

criterion_group! { name = benches; config = config(); targets = import }
criterion_main!(benches);
