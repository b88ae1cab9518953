//! Row 1: typed iteration over a strided 2-D view of derived records (every other row and
//! column), against a hand-written raw-pointer loop and ndarray's `ArrayView` on the same
//! memory, and through a `TypedView` checked once before the timed calls. Every variant sums
//! the `mass` field of the same 512 x 512 items.
use std::hint::black_box;
use std::time::Duration;

use buffer_benches::{particle_grid, Particle};
use buffer_runtime::view::TypedView;
use buffer_runtime::{index, MemoryView};
use criterion::{criterion_group, criterion_main, Criterion};

const ROWS: usize = 1024;
const COLS: usize = 1024;

fn iterate(c: &mut Criterion) {
    let grid = particle_grid::<COLS>(ROWS);
    let full = MemoryView::new(&grid).unwrap();
    let view = full.sub(&index![..;2, ..;2]).unwrap();
    assert_eq!(view.shape(), &[ROWS / 2, COLS / 2]);

    // Every variant must compute the same sum over the same items.
    let expected: f64 = grid
        .iter()
        .step_by(2)
        .flat_map(|row| row.iter().step_by(2))
        .map(|p| p.mass as f64)
        .sum();

    let by_view = |v: &MemoryView<'_>| -> f64 {
        v.iter_as::<Particle>()
            .unwrap()
            .map(|p| p.mass as f64)
            .sum()
    };
    // The typed view is checked once, outside the timed calls.
    let typed = view.typed::<Particle>().unwrap();
    let by_typed =
        |t: &TypedView<Particle, &[u8]>| -> f64 { t.iter().map(|p| p.mass as f64).sum() };
    let raw = |base: *const Particle| -> f64 {
        let mut acc = 0.0f64;
        for r in (0..ROWS).step_by(2) {
            // SAFETY: r < ROWS and c < COLS, so r * COLS + c < ROWS * COLS, the number of
            // particles `base` points to (the grid's first element); `Particle` is `Copy`.
            unsafe {
                let row = base.add(r * COLS);
                let mut c = 0;
                while c < COLS {
                    acc += (*row.add(c)).mass as f64;
                    c += 2;
                }
            }
        }
        acc
    };
    let flat: &[Particle] = grid.as_flattened();
    let nd = ndarray::ArrayView2::from_shape((ROWS, COLS), flat).unwrap();
    let nd_view = nd.slice(ndarray::s![..;2, ..;2]);
    let by_ndarray =
        |a: &ndarray::ArrayView2<'_, Particle>| -> f64 { a.iter().map(|p| p.mass as f64).sum() };
    assert_eq!(by_view(&view), expected);
    assert_eq!(by_typed(&typed), expected);
    assert_eq!(raw(flat.as_ptr()), expected);
    assert_eq!(by_ndarray(&nd_view), expected);

    // The ratios, measured interleaved (robust to the load of a shared machine).
    let paired = buffer_benches::interleaved(
        101,
        10,
        &mut [
            ("raw_pointer_loop", &mut || {
                black_box(raw(black_box(flat.as_ptr())));
            }),
            ("view_iter_as", &mut || {
                black_box(by_view(black_box(&view)));
            }),
            ("ndarray_iter", &mut || {
                black_box(by_ndarray(black_box(&nd_view)));
            }),
            ("typed_view_iter", &mut || {
                black_box(by_typed(black_box(&typed)));
            }),
        ],
    );
    buffer_benches::report_paired("iterate", &paired);

    let mut g = c.benchmark_group("iterate");
    g.bench_function("view_iter_as", |b| b.iter(|| by_view(black_box(&view))));
    g.bench_function("raw_pointer_loop", |b| {
        b.iter(|| raw(black_box(flat.as_ptr())))
    });
    g.bench_function("ndarray_iter", |b| {
        b.iter(|| by_ndarray(black_box(&nd_view)))
    });
    g.bench_function("typed_view_iter", |b| {
        b.iter(|| by_typed(black_box(&typed)))
    });
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(30)
}

criterion_group! { name = benches; config = config(); targets = iterate }
criterion_main!(benches);
