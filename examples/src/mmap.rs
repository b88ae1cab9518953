//! A file of records larger than memory, mapped and viewed without copying (`cargo run
//! --release --example mmap -- [BYTES]`, or `MMAP_BYTES=...`; default 1.5 GiB).
//!
//! The example writes the file, maps it with memmap2, views the mapping as records with
//! [`MemoryView::from_parts`], sums one field through a field projection, and measures the
//! growth of the process's anonymous memory (`RssAnon` in `/proc/self/status`) across the scan:
//! mapped file pages are counted as `RssFile`, so a scan that copies nothing leaves `RssAnon`
//! flat. The example fails (exits non-zero) if it grew by [`RSS_ANON_LIMIT`] or more.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use buffer_runtime::view::MemoryView;
use buffer_runtime::{BufferExport, Element, StaticBufferLayout};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

/// The default size of the file: 1.5 GiB, more than 1 GiB.
pub const DEFAULT_BYTES: u64 = 3 << 29;

/// The most `RssAnon` may grow across the scan: 16 MiB.
pub const RSS_ANON_LIMIT: u64 = 16 << 20;

/// One record of the file: 32 bytes.
#[derive(
    BufferExport, IntoBytes, FromBytes, Immutable, KnownLayout, Clone, Copy, Debug, PartialEq,
)]
#[repr(C)]
pub struct Sample {
    /// The record's number.
    pub id: u64,
    /// Seconds.
    pub time: f64,
    /// The value summed by the scan: `id % 1000`.
    pub value: f64,
    /// Which sensor.
    pub sensor: u32,
    #[buffer(padding)]
    _pad: [u8; 4],
}

impl Sample {
    /// Record number `id`.
    pub fn new(id: u64) -> Sample {
        Sample {
            id,
            time: id as f64 * 1e-3,
            value: (id % 1000) as f64,
            sensor: (id % 16) as u32,
            _pad: [0; 4],
        }
    }
}

/// What the example measured.
#[derive(Debug)]
pub struct Figures {
    /// Records in the file.
    pub records: u64,
    /// Bytes of the file.
    pub bytes: u64,
    /// Time to write the file.
    pub write_time: Duration,
    /// Time to scan the mapped records.
    pub scan_time: Duration,
    /// The sum of `value` over the view.
    pub sum: f64,
    /// The sum computed from the record numbers, without the file.
    pub expected_sum: f64,
    /// Whether the typed slice of the view starts at the mapping (no copy).
    pub zero_copy: bool,
    /// `RssAnon` before and after the scan, in bytes.
    pub rss_anon: (u64, u64),
}

impl Figures {
    /// Growth of `RssAnon` across the scan, in bytes (0 if it shrank).
    pub fn rss_anon_growth(&self) -> u64 {
        self.rss_anon.1.saturating_sub(self.rss_anon.0)
    }
}

/// `RssAnon` of this process in bytes, from `/proc/self/status` (`None` where there is none).
///
/// ```
/// if cfg!(target_os = "linux") {
///     assert!(buffer_examples::mmap::rss_anon().unwrap() > 0);
/// }
/// ```
pub fn rss_anon() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("RssAnon:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// The size to use: the first argument, else `MMAP_BYTES`, else [`DEFAULT_BYTES`]; a number of
/// bytes, with an optional `K`, `M` or `G` suffix (powers of 1024).
///
/// ```
/// use buffer_examples::mmap::parse_size;
/// assert_eq!(parse_size("2G"), Some(2 << 30));
/// assert_eq!(parse_size("4096"), Some(4096));
/// assert_eq!(parse_size("lots"), None);
/// ```
pub fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let (digits, unit) = match text.char_indices().last()? {
        (i, 'K' | 'k') => (&text[..i], 1u64 << 10),
        (i, 'M' | 'm') => (&text[..i], 1 << 20),
        (i, 'G' | 'g') => (&text[..i], 1 << 30),
        _ => (text, 1),
    };
    digits.parse::<u64>().ok()?.checked_mul(unit)
}

/// Writes `records` records to `path`, in 1 MiB chunks.
fn write_file(path: &Path, records: u64) -> std::io::Result<()> {
    let mut w = BufWriter::with_capacity(1 << 20, File::create(path)?);
    for id in 0..records {
        w.write_all(Sample::new(id).as_bytes())?;
    }
    w.into_inner()?.sync_all()
}

/// Writes a file of about `bytes` bytes of records at `path`, maps it, scans it through a
/// view, and removes it; prints what it measures to `out`.
///
/// ```
/// let path = std::env::temp_dir().join(format!("buffer-mmap-doc-{}", std::process::id()));
/// let f = buffer_examples::mmap::run(1 << 16, &path, &mut std::io::sink()).unwrap();
/// assert_eq!((f.records, f.sum), (2048, f.expected_sum));
/// ```
pub fn run(bytes: u64, path: &Path, out: &mut dyn Write) -> Result<Figures, crate::Error> {
    let itemsize = <Sample as StaticBufferLayout>::ITEMSIZE as u64;
    let records = bytes / itemsize;
    let bytes = records * itemsize;
    writeln!(
        out,
        "record format {:?}, itemsize {itemsize}",
        Sample::FORMAT
    )?;
    writeln!(
        out,
        "writing {records} records ({:.2} GiB) to {}",
        bytes as f64 / (1u64 << 30) as f64,
        path.display()
    )?;
    let start = Instant::now();
    write_file(path, records)?;
    let write_time = start.elapsed();
    writeln!(out, "  written in {:.2?}", write_time)?;

    let result = scan(path, records, out);
    let _ = std::fs::remove_file(path);
    let (sum, zero_copy, rss_anon, scan_time) = result?;
    let expected_sum = (0..records).map(|id| (id % 1000) as f64).sum::<f64>();
    let figures = Figures {
        records,
        bytes,
        write_time,
        scan_time,
        sum,
        expected_sum,
        zero_copy,
        rss_anon,
    };
    writeln!(out, "sum of value = {sum} (expected {expected_sum})")?;
    writeln!(
        out,
        "scan: {:.2?}, {:.0} MiB/s",
        scan_time,
        bytes as f64 / (1 << 20) as f64 / scan_time.as_secs_f64().max(1e-9)
    )?;
    writeln!(
        out,
        "RssAnon: {} KiB before, {} KiB after, growth {} KiB (limit {} KiB)",
        rss_anon.0 >> 10,
        rss_anon.1 >> 10,
        figures.rss_anon_growth() >> 10,
        RSS_ANON_LIMIT >> 10
    )?;
    Ok(figures)
}

type Scan = (f64, bool, (u64, u64), Duration);

fn scan(path: &Path, records: u64, out: &mut dyn Write) -> Result<Scan, crate::Error> {
    let file = File::open(path)?;
    // `Mmap::map` is unsafe because the mapped bytes change if the file is modified
    // while mapped (by this or another process), which would break the `&[u8]` the mapping
    // derefs to. This process created the file just above, in a path named after its process
    // id, and neither writes nor truncates it while `map` lives; the example documents that
    // the file is its own. Reading it through a `MemoryView` never creates a reference to a
    // typed item that another writer could invalidate beyond what `&[u8]` already assumes.
    // SAFETY: this process owns the file and neither writes nor truncates it while mapped.
    let map = unsafe { memmap2::Mmap::map(&file)? };
    #[cfg(unix)]
    let _ = map.advise(memmap2::Advice::Sequential);
    let before = rss_anon().unwrap_or(0);
    let start = Instant::now();
    let n = usize::try_from(records)?;
    let view = MemoryView::from_parts(&map[..], Sample::FORMAT, &[n], None, 0)?;
    // Typed and zero-copy: the view's items are the mapping's bytes.
    let zero_copy = view.as_slice::<Sample>()?.as_ptr().cast::<u8>() == map.as_ptr();
    let sum: f64 = view.field("value")?.iter_as::<f64>()?.sum();
    let scan_time = start.elapsed();
    let after = rss_anon().unwrap_or(0);
    writeln!(out, "mapped {} bytes; view: shape {:?}, strides {:?}; as_slice::<Sample>() starts at the mapping: {zero_copy}",
        map.len(), view.shape(), view.byte_strides())?;
    Ok((sum, zero_copy, (before, after), scan_time))
}

/// The path of the example's file: `MMAP_PATH`, else a file in the temporary directory named
/// after the process.
pub fn default_path() -> PathBuf {
    std::env::var_os("MMAP_PATH")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::env::temp_dir().join(format!("buffer-mmap-{}.bin", std::process::id()))
        })
}
