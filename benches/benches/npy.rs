//! Row 8: open a 2 GiB `.npy` of records (`BENCH_MMAP_BYTES`, path `BENCH_NPY_FILE`) and sum
//! a field through the typed view, against the same loop over a `Vec` already in memory and
//! against the `npyz` crate reading the same file. The file is written once and then read
//! from the page cache ("once cached"), mapped once: each timed call of ours checks the
//! descr against `Tick` and sums through `typed_view(..).iter()`; each of npyz's parses the
//! header and sums over its record reader, from the same mapping (its fastest input: a
//! `&[u8]`, no system calls). `npy_open_view_sum` also maps and parses the file in every call. Before the baseline `Vec` is
//! allocated, one open and pass records how much `VmRSS`, `RssAnon` and `RssFile` grew.
//! The file is deleted at the end (`BENCH_NPY_KEEP=1` keeps it).
use std::hint::black_box;
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use buffer_benches::{expected_qty_sum, results_dir, status_kib, tick, Tick};
use buffer_runtime::npy::{Header, NpyFile};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use zerocopy::{FromZeros, IntoBytes};

/// `Tick` as npyz reads it (its derive matches the dtype's fields by name).
#[derive(npyz::Deserialize, Debug, Clone, Copy)]
#[allow(dead_code)] // npyz reads every field; the sum uses one
struct NpyzTick {
    ts: u64,
    price: f64,
    qty: u32,
    flags: u32,
    seq: u64,
}

/// Writes `n` ticks as a `.npy` (header from `Tick`'s derived descr) unless a file of that
/// size is there; streamed in chunks, never held in memory.
fn ensure_npy(path: &Path, n: u64) -> std::io::Result<()> {
    let header = Header::for_type::<Tick>(&[n as usize]).unwrap().to_bytes();
    let size = header.len() as u64 + n * std::mem::size_of::<Tick>() as u64;
    if std::fs::metadata(path).is_ok_and(|m| m.len() == size) {
        return Ok(());
    }
    let tmp = path.with_extension("partial");
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&tmp)?);
    out.write_all(&header)?;
    let mut chunk = Vec::with_capacity(1 << 15);
    let mut i = 0;
    while i < n {
        chunk.clear();
        let end = (i + (1 << 15)).min(n);
        chunk.extend((i..end).map(tick));
        out.write_all(chunk.as_bytes())?;
        i = end;
    }
    out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    std::fs::rename(&tmp, path)
}

fn map(path: &Path) -> memmap2::Mmap {
    map_with(path, memmap2::MmapOptions::new())
}

/// `options` mapping the file at `path`.
fn map_with(path: &Path, options: memmap2::MmapOptions) -> memmap2::Mmap {
    let file = std::fs::File::open(path).unwrap();
    // SAFETY: the file is private to this benchmark (written above, under a name nothing else
    // uses) and nobody truncates or writes it while it is mapped.
    unsafe { options.map(&file) }.unwrap()
}

/// Check the descr against `Tick`, sum `qty` through the typed view.
fn view_sum<S: AsRef<[u8]>>(npy: &NpyFile<S>) -> u64 {
    let view = npy.typed_view::<Tick>().unwrap();
    view.iter().map(|t| t.qty as u64).sum()
}

/// Open (map, parse the header), then [`view_sum`].
fn open_view_sum(path: &Path) -> u64 {
    view_sum(&NpyFile::from_bytes(map(path)).unwrap())
}

/// npyz over the bytes of an opened file: parse its header, sum `qty` over its records.
fn npyz_sum(bytes: &[u8]) -> u64 {
    let file = npyz::NpyFile::new(bytes).unwrap();
    file.data::<NpyzTick>()
        .unwrap()
        .map(|t| t.unwrap().qty as u64)
        .sum()
}

fn npy(c: &mut Criterion) {
    let bytes: u64 = std::env::var("BENCH_MMAP_BYTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2 << 30);
    let path = std::env::var_os("BENCH_NPY_FILE")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("buffer-benches-ticks.npy"));
    let n = bytes / std::mem::size_of::<Tick>() as u64;
    ensure_npy(&path, n).unwrap();
    let expected = expected_qty_sum(n);

    // Memory across one open and full pass, measured while the file is still mapped (before
    // anything else of this size exists): file pages touched through the mapping count as
    // `RssFile` (page cache, shared and reclaimable), allocations as `RssAnon`.
    let fields = ["VmRSS", "RssAnon", "RssFile"];
    let before: Vec<_> = fields.iter().map(|f| status_kib(f)).collect();
    let npy = NpyFile::from_bytes(map(&path)).unwrap();
    let sum: u64 = npy
        .typed_view::<Tick>()
        .unwrap()
        .iter()
        .map(|t| t.qty as u64)
        .sum();
    assert_eq!(sum, expected);
    let after: Vec<_> = fields.iter().map(|f| status_kib(f)).collect();
    drop(npy);
    let mut json = format!("{{\"file_bytes\": {bytes}");
    for ((f, b), a) in fields.iter().zip(&before).zip(&after) {
        if let (Some(b), Some(a)) = (b, a) {
            let growth = a.saturating_sub(*b);
            eprintln!("npy: {f} {b} KiB -> {a} KiB (growth {growth} KiB) over {bytes} bytes");
            json.push_str(&format!(", \"{f}_growth_kib\": {growth}"));
        }
    }
    json.push_str("}\n");
    if let Some(dir) = results_dir() {
        std::fs::write(dir.join("npy_rss.json"), json).unwrap();
    }
    // The file opened once ("once cached"): our typed view and npyz read the same mapping.
    // Mapped with `populate` (page tables filled by the `mmap` call, as for a file one
    // scans repeatedly); a mapping per call (`npy_open_view_sum`) is not: populating 2 GiB in
    // every call made it slower here (1.59x-1.86x the Vec loop against 1.39x).
    let mut options = memmap2::MmapOptions::new();
    options.populate();
    let whole = map_with(&path, options);
    let opened = NpyFile::from_bytes(&whole[..]).unwrap();
    assert_eq!(npyz_sum(&whole), expected);
    assert_eq!(view_sum(&opened), expected);
    assert_eq!(open_view_sum(&path), expected);

    // The baseline: the same records in a Vec (read from the file, not mapped).
    let mut vec = vec![Tick::new_zeroed(); n as usize];
    let mut f = std::fs::File::open(&path).unwrap();
    let header_len = Header::parse(&map(&path)).unwrap().1;
    f.seek(std::io::SeekFrom::Start(header_len as u64)).unwrap();
    f.read_exact(vec.as_mut_slice().as_mut_bytes()).unwrap();
    let sum_vec = |v: &[Tick]| -> u64 { v.iter().map(|t| t.qty as u64).sum() };
    assert_eq!(sum_vec(&vec), expected);

    let paired = buffer_benches::interleaved_rotated(
        11,
        1,
        &mut [
            ("vec_slice_sum", &mut || {
                black_box(sum_vec(black_box(&vec)));
            }),
            ("npy_view_sum", &mut || {
                black_box(view_sum(black_box(&opened)));
            }),
            ("npyz_sum", &mut || {
                black_box(npyz_sum(black_box(&whole)));
            }),
            ("npy_open_view_sum", &mut || {
                black_box(open_view_sum(black_box(&path)));
            }),
        ],
    );
    buffer_benches::report_paired("npy", &paired);

    let mut g = c.benchmark_group("npy");
    g.throughput(Throughput::Bytes(bytes));
    g.bench_function("npy_view_sum", |b| b.iter(|| view_sum(black_box(&opened))));
    g.bench_function("vec_slice_sum", |b| b.iter(|| sum_vec(black_box(&vec))));
    g.bench_function("npyz_sum", |b| b.iter(|| npyz_sum(black_box(&whole))));
    g.finish();
    drop(opened);
    drop((vec, whole));
    if std::env::var_os("BENCH_NPY_KEEP").is_none() {
        let _ = std::fs::remove_file(&path);
    }
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .sample_size(10)
}

criterion_group! { name = benches; config = config(); targets = npy }
criterion_main!(benches);
