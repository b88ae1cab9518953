//! Shared pieces of the benchmarks of issue 6: the record types, the inputs every benchmark
//! builds, the generator of the format strings that Rust and Python both parse, and small
//! measuring helpers. Run everything with `scripts/bench` (see BENCHMARKS.md).
//!
//! ```
//! use buffer_benches::{format_strings, Particle};
//! use buffer_runtime::Element;
//! assert_eq!(std::mem::size_of::<Particle>(), 16);
//! assert!(Particle::FORMAT.starts_with("T{"));
//! let f = format_strings(100);
//! assert_eq!(f.len(), 100);
//! assert!(f.iter().all(|s| buffer_runtime::format::parse(s).is_ok()));
//! ```

use std::io::Write;
use std::path::{Path, PathBuf};

use buffer_runtime::BufferExport;
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

/// A 16-byte record: the item of the strided 2-D iteration benchmark (row 1).
#[derive(BufferExport, IntoBytes, Immutable, FromBytes, KnownLayout, Clone, Copy, Debug)]
#[repr(C)]
pub struct Particle {
    /// Position.
    pub x: f32,
    /// Position.
    pub y: f32,
    /// Position.
    pub z: f32,
    /// The field the benchmark sums.
    pub mass: f32,
}

/// A 16-byte record of mixed fields: the item of the `tolist` benchmark (row 3).
#[derive(BufferExport, IntoBytes, Immutable, FromBytes, KnownLayout, Clone, Copy, Debug)]
#[repr(C)]
pub struct Trade {
    /// Price.
    pub price: f64,
    /// Quantity.
    pub qty: u32,
    /// Identifier.
    pub id: i32,
}

/// A 32-byte record: the item of the memory-mapped file benchmark (row 7).
#[derive(BufferExport, IntoBytes, Immutable, FromBytes, KnownLayout, Clone, Copy, Debug)]
#[repr(C)]
pub struct Tick {
    /// Time stamp.
    pub ts: u64,
    /// Price.
    pub price: f64,
    /// The field the benchmark sums.
    pub qty: u32,
    /// Flags.
    pub flags: u32,
    /// Sequence number.
    pub seq: u64,
}

/// A row-major `rows x cols` grid of particles whose `mass` is a function of the position,
/// so every sum checks a different value.
///
/// ```
/// let g = buffer_benches::particle_grid::<4>(3);
/// assert_eq!(g.len(), 3);
/// assert_eq!(g[2][1].mass, (2 * 4 + 1) as f32 % 7.0);
/// ```
pub fn particle_grid<const C: usize>(rows: usize) -> Vec<[Particle; C]> {
    (0..rows)
        .map(|r| {
            core::array::from_fn(|c| {
                let i = (r * C + c) as f32;
                Particle {
                    x: i,
                    y: -i,
                    z: 0.5,
                    mass: i % 7.0,
                }
            })
        })
        .collect()
}

/// `n` trades with varied values.
///
/// ```
/// let t = buffer_benches::trades(5);
/// assert_eq!(t[3].qty, 3);
/// ```
pub fn trades(n: usize) -> Vec<Trade> {
    (0..n)
        .map(|i| Trade {
            price: i as f64 * 0.25,
            qty: i as u32,
            id: -(i as i32),
        })
        .collect()
}

/// The tick at index `i` of the record file.
///
/// ```
/// assert_eq!(buffer_benches::tick(9).qty, 9 % 1000);
/// ```
pub fn tick(i: u64) -> Tick {
    Tick {
        ts: i,
        price: i as f64,
        qty: (i % 1000) as u32,
        flags: 0,
        seq: i,
    }
}

/// The sum of `qty` over the first `n` ticks, computed without reading any memory.
///
/// ```
/// assert_eq!(buffer_benches::expected_qty_sum(2001), 2 * 499_500);
/// ```
pub fn expected_qty_sum(n: u64) -> u64 {
    let full = n / 1000;
    let rest = n % 1000;
    full * 499_500 + rest * (rest.saturating_sub(1)) / 2
}

/// Writes `n` ticks to `path` (unless a file of exactly that size is already there) and
/// returns the path. Written in 1 MiB chunks: the writer never holds the file in memory.
pub fn ensure_tick_file(path: &Path, n: u64) -> std::io::Result<PathBuf> {
    let size = n * std::mem::size_of::<Tick>() as u64;
    if std::fs::metadata(path)
        .map(|m| m.len() == size)
        .unwrap_or(false)
    {
        return Ok(path.to_path_buf());
    }
    let tmp = path.with_extension("partial");
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&tmp)?);
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
    std::fs::rename(&tmp, path)?;
    Ok(path.to_path_buf())
}

/// A copy of `bytes` in fresh anonymous memory advised for transparent huge pages (Linux;
/// elsewhere, or where the kernel refuses the advice, plain pages), the way numpy backs the
/// data of every array of 4 MiB or more (`madvise(MADV_HUGEPAGE)` in its allocator). Row 2
/// reads its source from such memory too, so that numpy's and our copies read the same kind
/// of pages: a strided pass over 128 MiB of 4 KiB pages pays about 30,000 TLB misses more.
///
/// ```
/// let m = buffer_benches::huge_page_copy(b"abc").unwrap();
/// assert_eq!(&m[..], b"abc");
/// ```
pub fn huge_page_copy(bytes: &[u8]) -> std::io::Result<memmap2::MmapMut> {
    let mut map = memmap2::MmapOptions::new()
        .len(bytes.len().max(1))
        .map_anon()?;
    #[cfg(target_os = "linux")]
    let _ = map.advise(memmap2::Advice::HugePage);
    map[..bytes.len()].copy_from_slice(bytes);
    Ok(map)
}

/// Whether `memory` is (at least partly) backed by transparent huge pages, from
/// `/proc/self/smaps` (`None` where it cannot be told: off Linux, or no mapping found).
///
/// ```
/// let v = vec![1u8; 4096];
/// if cfg!(target_os = "linux") {
///     // The Vec's memory is found in the map (huge pages or not depends on the system).
///     assert!(buffer_benches::on_huge_pages(&v).is_some());
/// }
/// ```
pub fn on_huge_pages(memory: &[u8]) -> Option<bool> {
    let smaps = std::fs::read_to_string("/proc/self/smaps").ok()?;
    let (lo, hi) = (
        memory.as_ptr() as usize,
        memory.as_ptr() as usize + memory.len(),
    );
    let (mut inside, mut found) = (false, false);
    for line in smaps.lines() {
        let first = line.split_whitespace().next().unwrap_or("");
        if let Some((a, b)) = first.split_once('-') {
            if let (Ok(a), Ok(b)) = (usize::from_str_radix(a, 16), usize::from_str_radix(b, 16)) {
                inside = a < hi && lo < b;
                found |= inside;
                continue;
            }
        }
        if inside {
            if let Some(kb) = line.strip_prefix("AnonHugePages:") {
                let kb: u64 = kb.trim().trim_end_matches("kB").trim().parse().ok()?;
                if kb > 0 {
                    return Some(true);
                }
            }
        }
    }
    found.then_some(false)
}

/// A field of `/proc/self/status` (`"VmRSS"`, `"RssFile"`, ...) in KiB (`None` off Linux).
///
/// ```
/// if cfg!(target_os = "linux") {
///     assert!(buffer_benches::status_kib("VmRSS").unwrap() > 0);
/// }
/// ```
pub fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status
        .lines()
        .find(|l| l.strip_prefix(field).is_some_and(|r| r.starts_with(':')))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// This process's `RssAnon` from `/proc/self/status`, in KiB (`None` where there is no such
/// file, e.g. off Linux).
///
/// ```
/// if cfg!(target_os = "linux") {
///     assert!(buffer_benches::rss_anon_kib().unwrap() > 0);
/// }
/// ```
pub fn rss_anon_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("RssAnon:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The directory where benchmarks leave results that are not timings (`BENCH_RESULTS_DIR`,
/// set by `scripts/bench`), created on demand; `None` when unset.
pub fn results_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os("BENCH_RESULTS_DIR")?);
    std::fs::create_dir_all(&dir).ok()?;
    Some(dir)
}

/// A small deterministic generator (xorshift64*), so Rust and Python see the same strings
/// without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

/// Codes that the struct module, numpy's PEP 3118 reader and our parser all accept.
const CODES: &[&str] = &[
    "b", "B", "h", "H", "i", "I", "l", "L", "q", "Q", "e", "f", "d", "?",
];
const PREFIXES: &[&str] = &["", "@", "=", "<", ">", "!"];

/// `n` varied PEP 3118 format strings, deterministic: about a third flat struct-module
/// strings (`<2hId`, which `struct.calcsize` also reads), the rest `T{...}` structs with field
/// names, sub-arrays, padding, nested structs and complex numbers (what numpy reads).
///
/// ```
/// let f = buffer_benches::format_strings(30);
/// assert!(f.iter().any(|s| buffer_benches::is_flat(s)));
/// assert!(f.iter().any(|s| s.contains("T{")));
/// assert_eq!(f, buffer_benches::format_strings(30));
/// ```
pub fn format_strings(n: usize) -> Vec<String> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    (0..n)
        .map(|k| {
            if k % 3 == 0 {
                flat(&mut rng)
            } else {
                let prefix = rng.pick(&["", "<", ">", "="]);
                format!("{prefix}{}", record(&mut rng, 0))
            }
        })
        .collect()
}

/// Whether a generated format string is a flat struct-module one (no `T{`, names or shapes).
///
/// ```
/// assert!(buffer_benches::is_flat("<2hI"));
/// assert!(!buffer_benches::is_flat("T{i:a:}"));
/// ```
pub fn is_flat(s: &str) -> bool {
    !s.contains(['T', ':', '('])
}

fn flat(rng: &mut Rng) -> String {
    let mut s = String::from(rng.pick(PREFIXES));
    for _ in 0..1 + rng.below(8) {
        if rng.below(4) == 0 {
            s.push_str(&(2 + rng.below(9)).to_string());
        }
        s.push_str(rng.pick(CODES));
    }
    s
}

fn record(rng: &mut Rng, depth: usize) -> String {
    let mut s = String::from("T{");
    for f in 0..1 + rng.below(6) {
        match rng.below(10) {
            0 if depth < 2 => s.push_str(&record(rng, depth + 1)),
            1 => s.push_str(&format!("({},{})", 1 + rng.below(4), 1 + rng.below(4))),
            2 => s.push_str(&format!("{}", 2 + rng.below(6))),
            3 => s.push_str(&format!("{}x", 1 + rng.below(7))),
            _ => {}
        }
        if s.ends_with('x') {
            continue;
        }
        if !s.ends_with('}') {
            s.push_str(rng.pick(&[
                "Zf", "Zd", "b", "B", "h", "H", "i", "I", "q", "Q", "f", "d", "?",
            ]));
        }
        s.push_str(&format!(":f{f}_{}:", rng.below(1000)));
    }
    s.push('}');
    s
}

/// Times `variants` interleaved, which keeps their ratios meaningful on a machine whose load
/// changes from second to second (criterion measures one benchmark after another, so a
/// burst of load lands on one side only). Each of `rounds` rounds runs every variant
/// `iters` times in turn; returns, per variant, the median over rounds of the time of one
/// call and the median over rounds of its ratio to the first variant (the baseline) in the
/// same round.
///
/// ```
/// let (mut a, mut b) = (0u64, 0u64);
/// let r = buffer_benches::interleaved(5, 10, &mut [
///     ("one", &mut || a = std::hint::black_box(a + 1)),
///     ("two", &mut || b = std::hint::black_box(b + 2)),
/// ]);
/// assert_eq!(r.len(), 2);
/// assert_eq!(r[0].ratio, 1.0);
/// assert!(r[1].seconds > 0.0);
/// ```
pub fn interleaved(
    rounds: usize,
    iters: usize,
    variants: &mut [(&str, &mut dyn FnMut())],
) -> Vec<Paired> {
    interleaved_impl(rounds, iters, false, variants)
}

/// [`interleaved`], with the order rotated every round (round `r` starts with variant
/// `r % n`), after one untimed warm-up round: a variant that always runs right after another
/// one inherits its cache and memory-bandwidth state (after a 2 GiB pass, the first pages the
/// next pass touches are the coldest), and a fixed order turns that into a bias of one side.
///
/// ```
/// let (mut a, mut b) = (0u64, 0u64);
/// let r = buffer_benches::interleaved_rotated(4, 10, &mut [
///     ("one", &mut || a = std::hint::black_box(a + 1)),
///     ("two", &mut || b = std::hint::black_box(b + 2)),
/// ]);
/// assert_eq!((r.len(), r[0].ratio), (2, 1.0));
/// assert_eq!(a, 50); // 4 rounds + 1 warm-up, 10 calls each
/// ```
pub fn interleaved_rotated(
    rounds: usize,
    iters: usize,
    variants: &mut [(&str, &mut dyn FnMut())],
) -> Vec<Paired> {
    for (_, f) in variants.iter_mut() {
        for _ in 0..iters {
            f();
        }
    }
    interleaved_impl(rounds, iters, true, variants)
}

fn interleaved_impl(
    rounds: usize,
    iters: usize,
    rotate: bool,
    variants: &mut [(&str, &mut dyn FnMut())],
) -> Vec<Paired> {
    let n = variants.len();
    let mut times = vec![Vec::with_capacity(rounds); n];
    for r in 0..rounds {
        for j in 0..n {
            let k = if rotate { (r + j) % n } else { j };
            let f = &mut variants[k].1;
            let start = std::time::Instant::now();
            for _ in 0..iters {
                f();
            }
            times[k].push(start.elapsed().as_secs_f64() / iters as f64);
        }
    }
    let median = |mut xs: Vec<f64>| -> f64 {
        xs.sort_by(f64::total_cmp);
        let n = xs.len();
        if n == 0 {
            f64::NAN
        } else if n % 2 == 1 {
            xs[n / 2]
        } else {
            (xs[n / 2 - 1] + xs[n / 2]) / 2.0
        }
    };
    variants
        .iter()
        .enumerate()
        .map(|(k, (name, _))| Paired {
            name: name.to_string(),
            seconds: median(times[k].clone()),
            ratio: median(times[k].iter().zip(&times[0]).map(|(t, b)| t / b).collect()),
        })
        .collect()
}

/// One variant's result from [`interleaved`].
#[derive(Clone, Debug)]
pub struct Paired {
    /// The variant's name.
    pub name: String,
    /// The median time of one call, in seconds.
    pub seconds: f64,
    /// The median of its per-round ratio to the first variant.
    pub ratio: f64,
}

/// Prints `results` and writes them as `paired_<group>.json` to [`results_dir`] (when set).
pub fn report_paired(group: &str, results: &[Paired]) {
    let mut json = String::from("{");
    for (i, r) in results.iter().enumerate() {
        eprintln!(
            "{group}/{} (interleaved): {:.4e} s per call, {:.3}x {}",
            r.name, r.seconds, r.ratio, results[0].name
        );
        if i > 0 {
            json.push_str(", ");
        }
        json.push_str(&format!(
            "\"{}\": {{\"seconds\": {:e}, \"ratio\": {}}}",
            r.name, r.seconds, r.ratio
        ));
    }
    json.push_str("}\n");
    if let Some(dir) = results_dir() {
        let _ = std::fs::write(dir.join(format!("paired_{group}.json")), json);
    }
}
