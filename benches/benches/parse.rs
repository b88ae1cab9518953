//! Row 4: parsing 10,000 varied format strings (`buffer_benches::format_strings`, the list
//! `scripts/bench_python.py` gives numpy's PEP 3118 reader and `struct.calcsize`). `parse`
//! builds the syntax tree and checks the layout (sizes, offsets), like `np.dtype` and
//! `calcsize` compute sizes.
use std::hint::black_box;
use std::time::Duration;

use buffer_benches::{format_strings, is_flat};
use buffer_runtime::format::parse;
use criterion::{criterion_group, criterion_main, Criterion};

fn parse_all(c: &mut Criterion) {
    let all = format_strings(10_000);
    let flat: Vec<String> = all.iter().filter(|s| is_flat(s)).cloned().collect();
    assert!(all.iter().all(|s| parse(s).is_ok()));
    let mut g = c.benchmark_group("parse");
    g.bench_function("parse_10000_all", |b| {
        b.iter(|| {
            for s in black_box(&all) {
                black_box(parse(s).unwrap());
            }
        })
    });
    g.bench_function("parse_flat_subset", |b| {
        b.iter(|| {
            for s in black_box(&flat) {
                black_box(parse(s).unwrap());
            }
        })
    });
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(20)
}

criterion_group! { name = benches; config = config(); targets = parse_all }
criterion_main!(benches);
