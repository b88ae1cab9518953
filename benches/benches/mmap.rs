//! Row 7: summing a field over a memory-mapped record file through a `MemoryView`, against
//! the same loop over a `Vec` already in memory. The file (2 GiB by default:
//! `BENCH_MMAP_BYTES`, path `BENCH_MMAP_FILE`) is written once and then read from the page
//! cache ("once cached"). Before anything else allocates, one pass over the mapping records
//! how much `RssAnon` grew: mapped file pages count as `RssFile`, so it should barely move.
use std::hint::black_box;
use std::io::Read;
use std::path::PathBuf;
use std::time::Duration;

use buffer_benches::{ensure_tick_file, expected_qty_sum, results_dir, rss_anon_kib, Tick};
use buffer_runtime::{Element, MemoryView};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use zerocopy::{FromBytes, FromZeros, IntoBytes};

fn sum_view(view: &MemoryView<'_>) -> u64 {
    view.iter_as::<Tick>().unwrap().map(|t| t.qty as u64).sum()
}

fn mmap(c: &mut Criterion) {
    let bytes: u64 = std::env::var("BENCH_MMAP_BYTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2 << 30);
    let path = std::env::var_os("BENCH_MMAP_FILE")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("buffer-benches-ticks.bin"));
    let n = bytes / std::mem::size_of::<Tick>() as u64;
    ensure_tick_file(&path, n).unwrap();
    let file = std::fs::File::open(&path).unwrap();

    // RssAnon across mapping the file, viewing it and one full pass over it.
    let before = rss_anon_kib();
    // SAFETY: the file is private to this benchmark (written above, under a name nothing
    // else uses) and nobody truncates or writes it while it is mapped, so the mapped bytes
    // stay valid and unchanging for the mapping's lifetime.
    let map = unsafe { memmap2::Mmap::map(&file) }.unwrap();
    let view = MemoryView::from_parts(&map, Tick::FORMAT, &[n as usize], None, 0).unwrap();
    assert_eq!(sum_view(&view), expected_qty_sum(n));
    let after = rss_anon_kib();
    if let (Some(b), Some(a)) = (before, after) {
        let growth = a.saturating_sub(b);
        eprintln!("mmap: RssAnon {b} KiB -> {a} KiB (growth {growth} KiB) over {bytes} bytes");
        if let Some(dir) = results_dir() {
            let json = format!(
                "{{\"file_bytes\": {bytes}, \"rss_anon_before_kib\": {b}, \
                 \"rss_anon_after_kib\": {a}, \"rss_anon_growth_kib\": {growth}}}\n"
            );
            std::fs::write(dir.join("mmap_rss.json"), json).unwrap();
        }
    }

    // The baseline: the same records in a Vec (read from the file, not mapped).
    let mut vec = vec![Tick::new_zeroed(); n as usize];
    std::fs::File::open(&path)
        .unwrap()
        .read_exact(vec.as_mut_slice().as_mut_bytes())
        .unwrap();
    let sum_vec = |v: &[Tick]| -> u64 { v.iter().map(|t| t.qty as u64).sum() };
    assert_eq!(sum_vec(&vec), expected_qty_sum(n));

    // The mapped records as a plain slice (no MemoryView): separates what the mapping costs
    // from what the view costs.
    let mapped = <[Tick]>::ref_from_bytes(&map).unwrap();
    // 31 rounds in rotated order (each variant leads a third of the rounds), after a warm-up
    // round: with 15 rounds in a fixed order the ratio moved from 0.98x to 1.39x between runs.
    let paired = buffer_benches::interleaved_rotated(
        31,
        1,
        &mut [
            ("vec_slice_sum", &mut || {
                black_box(sum_vec(black_box(&vec)));
            }),
            ("mmap_view_sum", &mut || {
                black_box(sum_view(black_box(&view)));
            }),
            ("mmap_slice_sum", &mut || {
                black_box(sum_vec(black_box(mapped)));
            }),
        ],
    );
    buffer_benches::report_paired("mmap", &paired);

    let mut g = c.benchmark_group("mmap");
    g.throughput(Throughput::Bytes(bytes));
    g.bench_function("mmap_view_sum", |b| b.iter(|| sum_view(black_box(&view))));
    g.bench_function("vec_slice_sum", |b| b.iter(|| sum_vec(black_box(&vec))));
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .sample_size(10)
}

criterion_group! { name = benches; config = config(); targets = mmap }
criterion_main!(benches);
