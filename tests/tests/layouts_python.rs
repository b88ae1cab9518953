//! The derive's layouts checked against real CPython and numpy.
//!
//! For every derived type of the suite and 200 generated ones (tests/src/generated_layouts.rs,
//! written by `tests/python/layout_oracle.py generate` from a fixed seed), Rust's `size_of`,
//! `align_of`, `offset_of!` of every field and a sample value's bytes go to
//! `layout_oracle.py check` as JSON. It reads them with CPython's struct module, numpy's
//! PEP 3118 parser (directly and through a real buffer export), a ctypes mirror and ctypes' own
//! export, prints one summary line per checker (agreed, differs by design with the reasons),
//! and fails on any unexplained disagreement.
//!
//! python3 with numpy is required (scripts/test installs numpy from requirements-test.txt):
//! the tests fail when it is missing, unless `BUFFER_SKIP_PYTHON=1`, when they say "skipped".

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use buffer_tests::generated_layouts;
use buffer_tests::layout_mirror::{cases_json, Case};
use buffer_tests::layout_suite;

const SEED: &str = "20261126";
const COUNT: usize = 200;

/// Writes past libtest's output capture, so the summary shows in a plain `cargo test`.
fn say(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{text}");
}

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("python/layout_oracle.py")
}

/// The python interpreter to use, or `None` (after saying so) when `BUFFER_SKIP_PYTHON=1`.
/// Panics with the fix when python3 or numpy is missing.
fn python(test: &str) -> Option<String> {
    if std::env::var("BUFFER_SKIP_PYTHON").as_deref() == Ok("1") {
        say(&format!(
            "skipped: {test} (BUFFER_SKIP_PYTHON=1; python3 with numpy not used)"
        ));
        return None;
    }
    let exe = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    let probe = Command::new(&exe)
        .args(["-c", "import numpy, ctypes, struct"])
        .output();
    match probe {
        Err(e) => panic!(
            "{test}: cannot run `{exe}` ({e}). Install python3 and numpy \
             (`python3 -m pip install -r requirements-test.txt`), or set BUFFER_SKIP_PYTHON=1"
        ),
        Ok(out) if !out.status.success() => panic!(
            "{test}: `{exe}` cannot import numpy: {}. Install it with \
             `python3 -m pip install -r requirements-test.txt`, or set BUFFER_SKIP_PYTHON=1",
            String::from_utf8_lossy(&out.stderr).trim()
        ),
        Ok(_) => Some(exe),
    }
}

/// Runs `layout_oracle.py check` on `json`; returns (success, stdout + stderr).
fn run_check(exe: &str, json: &str) -> (bool, String) {
    let mut child = Command::new(exe)
        .arg(script())
        .arg("check")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn python");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(json.as_bytes())
        .expect("write the cases to python");
    let out = child.wait_with_output().expect("wait for python");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn all_cases() -> Vec<Case> {
    let mut cases = layout_suite::cases();
    cases.extend(generated_layouts::cases());
    cases.extend(generated_layouts::newtype_cases());
    cases
}

/// `N` from the summary line `"<checker>: checked N, agreed M, ..."`.
fn count(summary: &str, checker: &str, what: &str) -> usize {
    let line = summary
        .lines()
        .find(|l| l.starts_with(&format!("{checker}: checked")))
        .unwrap_or_else(|| panic!("no summary line for {checker} in:\n{summary}"));
    let at = line
        .find(&format!("{what} "))
        .unwrap_or_else(|| panic!("no `{what}` in {line}"));
    line[at + what.len() + 1..]
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn python_agrees_with_rust_layouts() {
    let Some(exe) = python("python_agrees_with_rust_layouts") else {
        return;
    };
    assert_eq!(generated_layouts::cases().len(), COUNT);
    let cases = all_cases();
    let json = cases_json(&cases);
    if let Ok(path) = std::env::var("BUFFER_ORACLE_JSON") {
        // For debugging the oracle: `python3 tests/python/layout_oracle.py check < $path`.
        std::fs::write(&path, &json).expect("write BUFFER_ORACLE_JSON");
    }
    let (ok, summary) = run_check(&exe, &json);
    say(&summary);
    assert!(ok, "the layout oracle found disagreements:\n{summary}");
    for checker in ["struct", "numpy", "ctypes", "ctypes-export"] {
        assert_eq!(
            count(&summary, checker, "checked"),
            cases.len(),
            "{checker}"
        );
    }
    // Explanations must not swallow the point: the struct module, numpy and the ctypes mirror
    // read every type (their notes say where they needed a translation), and ctypes' own
    // export is comparable for a good share of them (CPython 3.11 cannot export the rest).
    for checker in ["struct", "numpy", "ctypes"] {
        assert_eq!(
            count(&summary, checker, "agreed"),
            cases.len(),
            "{checker}:\n{summary}"
        );
    }
    assert!(
        count(&summary, "ctypes-export", "agreed") >= 50,
        "{summary}"
    );
}

/// The oracle is not a rubber stamp: each kind of wrong layout report is caught and named.
#[test]
fn oracle_rejects_wrong_layouts() {
    let Some(exe) = python("oracle_rejects_wrong_layouts") else {
        return;
    };
    let cases = all_cases();
    let pick = |pred: &dyn Fn(&Case) -> bool| -> Case {
        cases
            .iter()
            .find(|c| pred(c))
            .expect("a case to corrupt")
            .clone()
    };

    let mut wrong_offset = pick(&|c| c.kind == "struct" && c.fields.len() > 1);
    wrong_offset.fields[1].offset += 1;

    let mut wrong_order = pick(&|c| c.kind == "struct" && c.format.contains("<I:"));
    wrong_order.format = Box::leak(
        wrong_order
            .format
            .replacen("<I:", ">I:", 1)
            .into_boxed_str(),
    );

    let mut wrong_size = pick(&|c| c.kind == "struct" && c.repr == "C" && c.align > 1);
    wrong_size.size += wrong_size.align;

    let mut wrong_value = pick(&|c| c.kind == "struct" && c.bytes.len() > 4);
    let last = wrong_value.bytes.len() - 1;
    wrong_value.bytes[last / 2] ^= 0x5a;
    wrong_value.bytes[last] ^= 0x5a;

    let mut wrong_name = pick(&|c| c.kind == "struct" && !c.fields[0].pad);
    wrong_name.fields[0].format_name.push_str("_renamed");

    let mut wrong_shape = pick(&|c| c.kind == "transparent" && c.shape.len() == 2);
    let swapped: Vec<usize> = wrong_shape.shape.iter().rev().copied().collect();
    wrong_shape.shape = Box::leak(swapped.into_boxed_slice());

    for (what, case) in [
        ("field name", wrong_name),
        ("shape", wrong_shape),
        ("offset", wrong_offset),
        ("byte order", wrong_order),
        ("size", wrong_size),
        ("value", wrong_value),
    ] {
        let name = case.name;
        let (ok, summary) = run_check(&exe, &cases_json(&[case]));
        assert!(!ok, "a wrong {what} in {name} went unnoticed:\n{summary}");
        assert!(
            summary.contains(&format!("] {name}: ")),
            "the failure does not name {name}:\n{summary}"
        );
    }
}

/// tests/src/generated_layouts.rs is exactly what the script writes for the committed seed.
#[test]
fn generated_layouts_are_up_to_date() {
    let Some(exe) = python("generated_layouts_are_up_to_date") else {
        return;
    };
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/generated_layouts.rs");
    let out = Command::new(exe)
        .arg(script())
        .args(["generate", "--seed", SEED, "--count", &COUNT.to_string()])
        .arg("--check")
        .arg(&file)
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
