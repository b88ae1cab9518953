//! `cargo run --release --example mmap -- [BYTES]` (or `MMAP_BYTES=2G`): writes a file of
//! records (default 1.5 GiB), maps it, sums a field through a view without copying, and fails
//! if the process's anonymous memory grew by 16 MiB or more across the scan.
use buffer_examples::mmap;

fn main() -> Result<(), buffer_examples::Error> {
    let arg = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("MMAP_BYTES").ok());
    let bytes = match arg {
        Some(text) => mmap::parse_size(&text)
            .ok_or_else(|| format!("not a size: {text:?} (try 2G, 512M, 4096)"))?,
        None => mmap::DEFAULT_BYTES,
    };
    let figures = mmap::run(bytes, &mmap::default_path(), &mut std::io::stdout())?;
    if figures.sum != figures.expected_sum || !figures.zero_copy {
        eprintln!("error: the scan read wrong values or copied");
        std::process::exit(1);
    }
    if figures.rss_anon_growth() >= mmap::RSS_ANON_LIMIT {
        eprintln!(
            "error: RssAnon grew by {} KiB across the scan (limit {} KiB)",
            figures.rss_anon_growth() >> 10,
            mmap::RSS_ANON_LIMIT >> 10
        );
        std::process::exit(1);
    }
    Ok(())
}
