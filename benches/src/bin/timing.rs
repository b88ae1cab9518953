//! A small timing binary that `scripts/bench_python.py` calls between its own measurements,
//! so that the Rust and Python figures of rows 3 and 4 alternate within one run (a shared
//! machine's load then hits both sides alike). Prints one JSON object of median seconds.
//!
//! `timing parse FILE REPS`: `format::parse` of every line of FILE, and of its flat lines.
//! `timing tolist REPS`: `tolist` of 1M `Trade`s, with and without field names.
//! `timing tolist-pair ROUNDS`: the same two, alternating in one process; adds their ratio.
use std::hint::black_box;
use std::time::Instant;

use buffer_benches::{interleaved, is_flat, trades};
use buffer_runtime::format::parse;
use buffer_runtime::MemoryView;
use zerocopy::IntoBytes;

fn median_secs(reps: usize, mut f: impl FnMut()) -> f64 {
    let mut t: Vec<f64> = (0..reps.max(1))
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64()
        })
        .collect();
    t.sort_by(f64::total_cmp);
    t[t.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let reps = |i: usize| args.get(i).and_then(|a| a.parse().ok()).unwrap_or(5);
    match args.get(1).map(String::as_str) {
        Some("parse") => {
            let text = std::fs::read_to_string(&args[2]).expect("a file of format strings");
            let all: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
            let flat: Vec<&str> = all.iter().copied().filter(|s| is_flat(s)).collect();
            let run = |list: &[&str]| {
                for s in list {
                    black_box(parse(black_box(s)).expect("the generated formats parse"));
                }
            };
            run(&all); // warm-up
            let a = median_secs(reps(3), || run(&all));
            let f = median_secs(reps(3), || run(&flat));
            println!("{{\"parse_all\": {a:e}, \"parse_flat\": {f:e}}}");
        }
        Some("tolist") => {
            let data = trades(1 << 20);
            let named = MemoryView::new(&data).unwrap();
            let unnamed =
                MemoryView::from_parts(data.as_bytes(), "T{dIi}", &[1 << 20], None, 0).unwrap();
            black_box(named.tolist().unwrap()); // warm-up
            let n = median_secs(reps(2), || drop(black_box(named.tolist().unwrap())));
            let u = median_secs(reps(2), || drop(black_box(unnamed.tolist().unwrap())));
            println!("{{\"tolist_named\": {n:e}, \"tolist_unnamed\": {u:e}}}");
        }
        Some("tolist-pair") => {
            // Named against unnamed in one process, alternating round by round: whether the
            // names still cost anything, free of a load change between the two.
            let data = trades(1 << 20);
            let named = MemoryView::new(&data).unwrap();
            let unnamed =
                MemoryView::from_parts(data.as_bytes(), "T{dIi}", &[1 << 20], None, 0).unwrap();
            black_box(named.tolist().unwrap()); // warm-up
            let r = interleaved(
                reps(2),
                1,
                &mut [
                    ("named", &mut || drop(black_box(named.tolist().unwrap()))),
                    ("unnamed", &mut || {
                        drop(black_box(unnamed.tolist().unwrap()))
                    }),
                ],
            );
            println!(
                "{{\"tolist_named\": {:e}, \"tolist_unnamed\": {:e}, \"unnamed_per_named\": {:.3}}}",
                r[0].seconds, r[1].seconds, r[1].ratio
            );
        }
        _ => {
            eprintln!(
                "usage: timing parse FILE [REPS] | timing tolist [REPS] | timing tolist-pair [ROUNDS]"
            );
            std::process::exit(2);
        }
    }
}
