//! Row 3: `tolist` (dynamic unpack into `Value`s, named struct fields) of 1M struct items,
//! against numpy's `tolist()` on the same structured array (`scripts/bench_python.py`).
use std::hint::black_box;
use std::time::Duration;

use buffer_benches::trades;
use buffer_runtime::format::Value;
use buffer_runtime::MemoryView;
use criterion::{criterion_group, criterion_main, Criterion};
use zerocopy::IntoBytes;

const N: usize = 1 << 20;

fn tolist(c: &mut Criterion) {
    let data = trades(N);
    let view = MemoryView::new(&data).unwrap();
    match view.tolist().unwrap() {
        Value::Array(items) => {
            assert_eq!(items.len(), N);
            assert_eq!(items[7].field("qty"), Some(&Value::UInt(7)));
        }
        other => panic!("tolist gave {other:?}"),
    }
    // The same bytes as a struct without field names: what the names cost (`Value::Struct`
    // shares the layout's table of names, so about nothing).
    let unnamed = MemoryView::from_parts(data.as_bytes(), "T{dIi}", &[N], None, 0).unwrap();
    assert_eq!(unnamed.itemsize(), 16);
    let mut g = c.benchmark_group("tolist");
    g.bench_function("view_tolist_1M_structs", |b| {
        b.iter(|| black_box(&view).tolist().unwrap())
    });
    g.bench_function("view_tolist_1M_unnamed", |b| {
        b.iter(|| black_box(&unnamed).tolist().unwrap())
    });
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .sample_size(10)
}

criterion_group! { name = benches; config = config(); targets = tolist }
criterion_main!(benches);
