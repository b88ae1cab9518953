//! Prints the benchmark's format strings, one a line (`gen-formats [N]`, default 10000), for
//! `scripts/bench_python.py` to parse with numpy and the struct module.
fn main() {
    let n = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    for s in buffer_benches::format_strings(n) {
        println!("{s}");
    }
}
