//! Row 2: `tobytes` of a non-contiguous view, inner runs of 4 B and of 256 B, 64 MiB out,
//! against a memcpy of the same byte count (`to_vec` of 64 MiB: both allocate their output).
//! The source is 128 MiB of `u32`: `[::2]` gives 4-byte runs, `reshape(-1, 128)[:, :64]`
//! 256-byte runs - the layouts `scripts/bench_python.py` gives numpy and memoryview.
//!
//! The interleaved ratios are measured twice: over a `Vec<u32>` (4 KiB pages), and over a
//! copy in memory advised for transparent huge pages ([`buffer_benches::huge_page_copy`]),
//! which is how numpy backs its 128 MiB source array (group `tobytes_hugepage_src`).
use std::hint::black_box;
use std::time::Duration;

use buffer_runtime::view::Order;
use buffer_runtime::{index, MemoryView};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const OUT: usize = 64 << 20;

fn tobytes(c: &mut Criterion) {
    let src: Vec<u32> = (0..(2 * OUT / 4) as u32).collect();
    let whole = MemoryView::new(&src).unwrap();
    let runs4 = whole.sub(&index![..;2]).unwrap();
    let rows = MemoryView::from_parts(
        zerocopy::IntoBytes::as_bytes(src.as_slice()),
        "I",
        &[src.len() / 128, 128],
        None,
        0,
    )
    .unwrap();
    let runs256 = rows.sub(&index![.., ..64]).unwrap();
    assert!(!runs4.c_contiguous() && !runs256.c_contiguous());
    assert_eq!(runs4.nbytes(), OUT);
    assert_eq!(runs256.nbytes(), OUT);
    let bytes = whole.underlying_bytes();
    // The copies are right (checked once, outside the timing).
    let r4 = runs4.tobytes(Order::C);
    assert!(r4
        .chunks(4)
        .enumerate()
        .all(|(i, x)| x == (2 * i as u32).to_ne_bytes()));
    let r256 = runs256.tobytes(Order::C);
    assert_eq!(&r256[..256], &bytes[..256]);
    assert_eq!(&r256[256..512], &bytes[512..768]);
    drop((r4, r256));

    // The ratios, measured interleaved (robust to the load of a shared machine).
    interleaved_ratios("tobytes", bytes);
    let huge = buffer_benches::huge_page_copy(bytes).unwrap();
    eprintln!(
        "tobytes: source copy on transparent huge pages: {:?}",
        buffer_benches::on_huge_pages(&huge)
    );
    interleaved_ratios("tobytes_hugepage_src", &huge[..bytes.len()]);
    drop(huge);

    let mut g = c.benchmark_group("tobytes");
    g.throughput(Throughput::Bytes(OUT as u64));
    g.bench_function("memcpy_64MiB", |b| {
        b.iter(|| black_box(&bytes[..OUT]).to_vec())
    });
    g.bench_function("view_runs_256B", |b| {
        b.iter(|| black_box(&runs256).tobytes(Order::C))
    });
    g.bench_function("view_runs_4B", |b| {
        b.iter(|| black_box(&runs4).tobytes(Order::C))
    });
    g.finish();
}

/// The row's three layouts over `bytes` (128 MiB of `u32`), each against a 64 MiB memcpy
/// from the same memory, interleaved; reported as group `group`.
fn interleaved_ratios(group: &str, bytes: &[u8]) {
    let runs4 = MemoryView::from_parts(bytes, "I", &[bytes.len() / 8], Some(&[8]), 0).unwrap();
    let runs256 =
        MemoryView::from_parts(bytes, "I", &[bytes.len() / 512, 64], Some(&[512, 4]), 0).unwrap();
    // The layouts of `[::2]` and `reshape(-1, 128)[:, :64]`, as in `tobytes` above.
    assert_eq!((runs4.nbytes(), runs256.nbytes()), (OUT, OUT));
    assert_eq!(
        runs4.tobytes(Order::C)[..8],
        [&bytes[..4], &bytes[8..12]].concat()
    );
    assert_eq!(
        runs256.tobytes(Order::C)[..512],
        [&bytes[..256], &bytes[512..768]].concat()
    );
    let paired = buffer_benches::interleaved(
        15,
        1,
        &mut [
            ("memcpy_64MiB", &mut || {
                black_box(black_box(&bytes[..OUT]).to_vec());
            }),
            ("view_runs_256B", &mut || {
                black_box(black_box(&runs256).tobytes(Order::C));
            }),
            ("view_runs_4B", &mut || {
                black_box(black_box(&runs4).tobytes(Order::C));
            }),
        ],
    );
    buffer_benches::report_paired(group, &paired);
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .sample_size(10)
}

criterion_group! { name = benches; config = config(); targets = tobytes }
criterion_main!(benches);
