//! The examples' facts: each example's `run` is called and what it returned and printed is
//! checked; the example binaries themselves (built by `cargo test` beside this test) are run
//! too, the mmap one with a small size.

use std::path::PathBuf;
use std::process::Command;

use buffer_examples::{image, mmap, table, tour};

fn printed<T>(f: impl FnOnce(&mut Vec<u8>) -> Result<T, buffer_examples::Error>) -> (T, String) {
    let mut out = Vec::new();
    let facts = f(&mut out).unwrap();
    (facts, String::from_utf8(out).unwrap())
}

#[test]
fn tour_prints_format_layout_and_typed_access() {
    let (facts, text) = printed(|o| tour::run(o));
    let le = cfg!(target_endian = "little");
    if le {
        assert_eq!(facts.format, "T{<d:time:<H:sensor:<h:level:<f:value:}");
    }
    assert!(text.contains("itemsize          = 16"), "{text}");
    assert!(text.contains("    12     4  value   "), "{text}");
    assert!(
        text.contains("m[1:5:2]              -> shape [2], strides [32]"),
        "{text}"
    );
    assert!(
        text.contains("m[1:5:2].field('level').tolist() = [-2, 0]"),
        "{text}"
    );
    assert!(
        text.contains("grid[:, 1] (a column) = [2, 5]  strides [6]"),
        "{text}"
    );
    assert!(
        text.contains("cast('B').cast('H', [3, 2]).tolist() = [[1, 2], [3, 4], [5, 6]]"),
        "{text}"
    );
    let expected: f32 = tour::readings().iter().map(|r| r.value).sum();
    assert_eq!(facts.value_sum, expected);
    assert!(facts.zero_copy);
    assert!(text.lines().count() < 60, "the tour stays short");
}

#[test]
fn image_views_share_the_pixels() {
    let (facts, text) = printed(|o| image::run(o));
    assert_eq!(facts.crop, (vec![2, 3], vec![24, 4]));
    assert!(facts.crop_shares_memory && facts.flip_shares_memory);
    assert_eq!(facts.channel_strides, [24, 4]);
    assert_eq!(facts.green_column, [0, 10, 20, 30]);
    assert_eq!(facts.flip_strides, [24, -4]);
    assert_eq!(facts.flipped_red_row, [50, 40, 30, 20, 10, 0]);
    assert!(text.contains("== &pixels[1][2]: true"), "{text}");
    assert!(text.contains("== &pixels[0][5]: true"), "{text}");
}

#[test]
fn table_layout_column_and_filter() {
    let (facts, text) = printed(|o| table::run(50, o));
    let rows: Vec<&str> = facts.layout.lines().collect();
    assert_eq!(
        rows[2..7],
        [
            "     0     8  time       <Q",
            "     8     8  price      <d",
            "    16     4  qty        <I",
            "    20     1  side       <B",
            "    21     3  (padding)  3x",
        ]
    );
    assert_eq!(facts.price_strides, [24]);
    let t = table::sample(50);
    assert_eq!(
        facts.prices,
        t.rows.iter().map(|r| r.price).collect::<Vec<_>>()
    );
    let expected: Vec<usize> = (0..50)
        .filter(|&i| t.rows[i].side == 1 && t.rows[i].qty > 100)
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(facts.big_sells, expected);
    assert!(
        text.contains("column 'price': format \"<d\", strides [24], offset 8"),
        "{text}"
    );
}

#[test]
fn mmap_scans_without_copying() {
    let path = std::env::temp_dir().join(format!("buffer-mmap-test-{}.bin", std::process::id()));
    let (f, text) = printed(|o| mmap::run(8 << 20, &path, o));
    assert_eq!(f.records, (8 << 20) / 32);
    assert_eq!(f.sum, f.expected_sum);
    assert!(f.zero_copy);
    assert!(f.rss_anon_growth() < mmap::RSS_ANON_LIMIT, "{text}");
    assert!(!path.exists(), "the file is removed");
    assert!(text.contains("RssAnon:"), "{text}");
}

/// Where cargo put the example binaries: `target/<profile>/examples`, beside `deps/` which
/// holds this test.
fn example_binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().unwrap().parent().unwrap().join("examples");
    dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

#[test]
fn example_binaries_run_and_print() {
    for (name, needle) in [
        ("tour", "== 5. Typed access, no copy =="),
        ("image", "no pixel was copied"),
        ("table", "sells of more than 100 units"),
    ] {
        let bin = example_binary(name);
        assert!(bin.exists(), "{} was not built", bin.display());
        let out = Command::new(&bin).output().unwrap();
        assert!(out.status.success(), "{name} failed: {out:?}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains(needle),
            "{name}"
        );
    }
    let path = std::env::temp_dir().join(format!("buffer-mmap-bin-{}.bin", std::process::id()));
    let out = Command::new(example_binary("mmap"))
        .arg("4M")
        .env("MMAP_PATH", &path)
        .output()
        .unwrap();
    assert!(out.status.success(), "mmap failed: {out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("writing 131072 records"), "{text}");
    // A size that is not one is refused with an error, not a panic.
    let out = Command::new(example_binary("mmap"))
        .arg("lots")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a size"));
}
