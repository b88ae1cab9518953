//! Replays test vectors recorded from CPython's `memoryview` (3.11, 3.12 and 3.13, one file
//! each) against our `MemoryView`.
//!
//! The vectors come from `tests/python/memoryview_vectors.py`, which builds memoryviews over
//! `_testbuffer.ndarray`, bytes, bytearray, array.array and numpy arrays and records every
//! answer CPython gives (a value, or the exception class and its exact message). Each case
//! names a view stored in the same file as raw bytes plus format, shape, strides (bytes),
//! offset and readonly flag; this test rebuilds that view from the raw bytes and layout,
//! performs the same operation and compares.
//!
//! The committed vectors are `tests/vectors/memoryview*.json`. To replay a fresh seed as well:
//!
//! ```text
//! python3 tests/python/memoryview_vectors.py --seed 7 --count 2000 --out /tmp/v.json && \
//!     BUFFER_VECTORS=/tmp/v.json cargo test -p buffer-tests --test memoryview_vectors
//! ```
//!
//! (`BUFFER_VECTORS` may list several files separated by the platform's path separator;
//! `BUFFER_VECTORS_SHOW=N` lists the first N mismatches instead of 40.)
//!
//! Our view follows the newest CPython's memoryview: `e` is a format and a `cast` destination,
//! as since 3.12. The 3.12 and 3.13 files hold CPython's own answers for `e`; in the 3.11 file,
//! where 3.11 refuses `e`, the generator recorded 3.12's answer instead (emulated, and the
//! emulation asserted equal to CPython where the generator runs on 3.12 or later).
//!
//! Every case is either checked or counted under one of the reasons in [`DIFFERENCES`], which
//! the test prints with their counts. Where our view deliberately goes beyond CPython 3.11
//! (formats it refuses, `e` as in 3.12), the generator records the answer our view must give
//! (keys `beyond` and `via`), computed with the struct module or numpy, so those cases are
//! checked too. The test prints how many cases ran per operation and per view format, and
//! fails listing the first mismatches with their seed and case id.
//!
//! The replay rebuilds each view with `MemoryView::from_parts` (read-only) or
//! `MemoryViewMut::from_parts` (writable) and derives views with the `into_*` methods, which
//! keep writability, so that `readonly` compares equal to CPython's.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{json, Value as Json};

/// Where we deliberately answer differently from CPython 3.11, and why. A case counted here
/// is still checked, against the answer recorded for our view, where the generator records
/// one (key `beyond`, or `via: "struct"`); otherwise it is only counted.
const DIFFERENCES: &[(&str, &str)] = &[
    (
        "e-format",
        "format 'e' (half float) is read, written and cast to as CPython 3.12 and later do; \
         CPython 3.11 raises NotImplementedError (ValueError for a cast to 'e'). Checked \
         against the struct module's half floats, 3.12's pack_single rules, and for casts the \
         same chain cast to 'H' (2 bytes, not a byte format: the same checks and messages).",
    ),
    (
        "struct-wording",
        "an item write out of range in a format memoryview refuses (byte-order prefixed, \
         struct): our message is the struct module's of CPython 3.11 ('ubyte format requires \
         0 <= number <= 255', 'argument out of range'), which 3.12 reworded (''B' format \
         requires 0 <= number <= 255'). Checked: same error kind, and the same range where \
         the 3.11 message states one; the 3.11 file checks the exact message.",
    ),
    (
        "beyond-format",
        "items of byte-order-prefixed and struct (T{...}) formats are read, written, \
         slice-assigned and compared by value (beyond CPython); CPython raises \
         NotImplementedError, and calls two struct views unequal. Checked against the struct \
         module (values and its error messages) and numpy's field layout.",
    ),
    (
        "int-beyond-64",
        "an item write of a Python int outside -2**63..2**64 (CPython: ValueError) cannot be \
         expressed: format::Value holds 64-bit integers. Counted, not run.",
    ),
];

/// The committed vector files must hold at least this many cases in total.
const MIN_COMMITTED_CASES: usize = 5000;

/// How many mismatches the failure message lists (`BUFFER_VECTORS_SHOW` overrides it).
const SHOW_MISMATCHES: usize = 40;

/// An exception as CPython reports it: class name and message (`None`: only the class is
/// known, e.g. where numpy was the oracle).
#[derive(Debug, Clone, PartialEq)]
struct PyErr {
    kind: String,
    message: Option<String>,
}

/// The error kind by which the adapter says "cannot be expressed, for reason <message>",
/// where the message is a key of [`DIFFERENCES`].
const DIFFERENT: &str = "DeliberatelyDifferent";

/// The result of one operation, in the JSON encoding of the vectors.
type Outcome = Result<Json, PyErr>;

/// What happened to one case.
enum Verdict {
    Pass,
    /// Counted under a reason of [`DIFFERENCES`], and checked against our own expectation.
    Different(&'static str, Result<(), String>),
    Fail(String),
}

struct Tally {
    ran: BTreeMap<String, [usize; 3]>, // op -> [passed, different, failed]
    by_format: BTreeMap<String, usize>,
    differences: BTreeMap<&'static str, usize>,
    mismatches: Vec<String>,
    total: usize,
}

fn vector_files() -> (Vec<PathBuf>, Vec<PathBuf>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors");
    let mut committed: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.starts_with("memoryview") && name.ends_with(".json")
        })
        .collect();
    committed.sort();
    let extra = std::env::var_os("BUFFER_VECTORS")
        .map(|v| {
            std::env::split_paths(&v)
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        })
        .unwrap_or_default();
    (committed, extra)
}

#[test]
fn memoryview_vectors() {
    let (committed, extra) = vector_files();
    assert!(
        !committed.is_empty(),
        "no committed tests/vectors/memoryview*.json"
    );
    let mut tally = Tally {
        ran: BTreeMap::new(),
        by_format: BTreeMap::new(),
        differences: BTreeMap::new(),
        mismatches: Vec::new(),
        total: 0,
    };
    let mut committed_cases = 0;
    let mut coverage = Coverage::default();
    for (path, is_committed) in committed
        .iter()
        .map(|p| (p, true))
        .chain(extra.iter().map(|p| (p, false)))
    {
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let doc: Json = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{} is not valid JSON: {e}", path.display()));
        let n = replay_file(&doc, path, &mut tally);
        println!("{}: {n} cases", path.display());
        if is_committed {
            committed_cases += n;
            coverage.add(&doc);
        }
    }

    println!("\ncases per operation (passed / deliberately different / FAILED):");
    for (op, [p, d, f]) in &tally.ran {
        println!("  {op:<9} {:>5}  ({p} / {d} / {f})", p + d + f);
    }
    println!("cases per view format:");
    let mut line = String::from("  ");
    for (fmt, n) in &tally.by_format {
        let _ = write!(line, "{fmt}={n} ");
    }
    println!("{line}");
    println!("deliberate differences from CPython's memoryview:");
    for (key, reason) in DIFFERENCES {
        println!(
            "  [{key}] {} cases: {reason}",
            tally.differences.get(key).unwrap_or(&0)
        );
    }
    println!(
        "total: {} cases, {} mismatches",
        tally.total,
        tally.mismatches.len()
    );

    assert!(
        committed_cases >= MIN_COMMITTED_CASES,
        "only {committed_cases} committed cases; at least {MIN_COMMITTED_CASES} are required"
    );
    let missing = coverage.missing();
    assert!(
        missing.is_empty(),
        "the committed vectors do not cover what they must: {missing:?}"
    );
    if !tally.mismatches.is_empty() {
        let show = std::env::var("BUFFER_VECTORS_SHOW")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(SHOW_MISMATCHES);
        let shown: Vec<&str> = tally
            .mismatches
            .iter()
            .take(show)
            .map(String::as_str)
            .collect();
        panic!(
            "{} of {} cases differ from CPython (first {}):\n{}",
            tally.mismatches.len(),
            tally.total,
            shown.len(),
            shown.join("\n")
        );
    }
}

/// What the committed vectors must cover, so that regenerating them with an
/// unlucky seed or a broken generator cannot quietly drop a feature.
#[derive(Default)]
struct Coverage {
    seen: std::collections::BTreeSet<String>,
}

impl Coverage {
    fn add(&mut self, doc: &Json) {
        let views = doc["views"].as_array().expect("views");
        for case in doc["cases"].as_array().expect("cases") {
            let op = case["op"].as_str().unwrap_or("");
            let v = &views[case["v"].as_u64().expect("v") as usize];
            let format = v["format"].as_str().unwrap_or("");
            let strides: Vec<i64> = v["strides"]
                .as_array()
                .map(|a| a.iter().filter_map(Json::as_i64).collect())
                .unwrap_or_default();
            let ok = if case.get("ok").is_some() {
                "ok"
            } else {
                "err"
            };
            let mut seen = vec![
                format!("op {op}"),
                format!("op {op} {ok}"),
                format!("format {format}"),
                format!("ndim {}", strides.len()),
            ];
            if strides.contains(&0) {
                seen.push("zero stride".into());
            }
            if strides.iter().any(|&s| s < 0) {
                seen.push("negative stride".into());
            }
            if v["offset"].as_u64().unwrap_or(0) > 0 {
                seen.push("offset".into());
            }
            match op {
                "tobytes" => seen.push(format!("order {}", case["order"].as_str().unwrap_or(""))),
                "hex" if case["bps"].as_i64().unwrap_or(0) < 0 => seen.push("hex bps<0".into()),
                "slice" if case["slice"][2].as_i64().unwrap_or(1) < 0 => {
                    seen.push("slice step<0".into())
                }
                "index"
                    if case["index"]
                        .as_array()
                        .is_some_and(|a| a.iter().any(|i| i.as_i64().unwrap_or(0) < 0)) =>
                {
                    seen.push("index<0".into())
                }
                "eq" => {
                    let other = &views[case["other"].as_u64().expect("other") as usize];
                    if other["format"] != v["format"] && case.get("ok") == Some(&json!(true)) {
                        seen.push("eq across formats".into());
                    }
                    if other["shape"] != v["shape"] {
                        seen.push("eq different shapes".into());
                    }
                }
                _ => {}
            }
            self.seen.extend(seen);
        }
    }

    fn missing(&self) -> Vec<String> {
        let mut want: Vec<String> = Vec::new();
        for c in "?cbBhHiIlLqQnNfdeP".chars() {
            want.push(format!("format {c}"));
            want.push(format!("format @{c}"));
        }
        for n in 0..=4 {
            want.push(format!("ndim {n}"));
        }
        for op in [
            "attrs", "tolist", "tobytes", "hex", "index", "slice", "cast", "eq", "hash",
        ] {
            want.push(format!("op {op} ok"));
        }
        for op in [
            "index", "slice", "cast", "hash", "setitem", "setslice", "hex",
        ] {
            want.push(format!("op {op} err"));
        }
        for op in [
            "setitem",
            "setslice",
            "subview",
            "nd_slice",
            "permute",
            "field",
            "setstruct",
            "toreadonly",
        ] {
            want.push(format!("op {op} ok"));
        }
        for x in [
            "zero stride",
            "negative stride",
            "offset",
            "order C",
            "order F",
            "order A",
            "hex bps<0",
            "slice step<0",
            "index<0",
            "eq across formats",
            "eq different shapes",
        ] {
            want.push(x.into());
        }
        want.into_iter()
            .filter(|w| !self.seen.contains(w))
            .collect()
    }
}

/// The replay must be able to fail: a wrong expectation of every kind (a value, an item, a
/// byte, a float's sign, a NaN, an error message, an error kind) turns a passing case into
/// a mismatch.
#[test]
fn replay_detects_wrong_expectations() {
    let (committed, _) = vector_files();
    let text = std::fs::read_to_string(&committed[0]).expect("committed vectors");
    let doc: Json = serde_json::from_str(&text).expect("JSON");
    let views = doc["views"].as_array().expect("views");
    let mut tried = BTreeMap::new();
    for case in doc["cases"].as_array().expect("cases") {
        if case.get("beyond").is_some() || case.get("via").is_some() {
            continue;
        }
        if !matches!(run_case(case, views), Verdict::Pass) {
            continue; // a pending bug
        }
        let op = case["op"].as_str().expect("op");
        for (what, wrong) in wrong_versions(case) {
            let key = format!("{op}: {what}");
            if tried.contains_key(&key) {
                continue;
            }
            let verdict = run_case(&wrong, views);
            assert!(
                matches!(verdict, Verdict::Fail(_)),
                "case {} with {what} still passes",
                case["id"]
            );
            tried.insert(key, case["id"].clone());
            tried.insert(format!("any: {what}"), case["id"].clone());
        }
    }
    for want in [
        "attrs: value",
        "tolist: value",
        "index: value",
        "index: message",
        "index: kind",
        "any: float sign",
        "any: NaN",
        "tobytes: value",
        "hex: value",
        "slice: value",
        "cast: value",
        "cast: message",
        "eq: value",
        "hash: message",
        "setitem: value",
        "setitem: message",
        "setslice: value",
        "subview: value",
        "field: value",
    ] {
        assert!(tried.contains_key(want), "no case tried for {want}");
    }
}

/// Copies of `case` with one wrong detail in its expectation, named.
fn wrong_versions(case: &Json) -> Vec<(&'static str, Json)> {
    let mut out = Vec::new();
    if let Some(ok) = case.get("ok") {
        if let Some(wrong) = perturb(ok) {
            let mut c = case.clone();
            c["ok"] = wrong;
            out.push(("value", c));
        }
        let mut flip_zero = |x: &Json| x.as_f64().filter(|f| *f == 0.0).map(|f| json!(-f));
        if let Some(wrong) = replace_first(ok, &mut flip_zero) {
            let mut c = case.clone();
            c["ok"] = wrong;
            out.push(("float sign", c));
        }
        let mut unnan = |x: &Json| (x == "nan").then(|| json!(1.5));
        if let Some(wrong) = replace_first(ok, &mut unnan) {
            let mut c = case.clone();
            c["ok"] = wrong;
            out.push(("NaN", c));
        }
    } else {
        let mut c = case.clone();
        c["err"][1] = json!(format!("{}!", c["err"][1].as_str().unwrap_or("")));
        out.push(("message", c));
        let mut c = case.clone();
        c["err"][0] = json!(if c["err"][0] == "TypeError" {
            "ValueError"
        } else {
            "TypeError"
        });
        out.push(("kind", c));
    }
    out
}

/// `v` with the first item (depth first) that `f` maps to a replacement replaced, or `None`.
fn replace_first(v: &Json, f: &mut impl FnMut(&Json) -> Option<Json>) -> Option<Json> {
    if let Some(new) = f(v) {
        return Some(new);
    }
    let items = v.as_array()?;
    for (i, x) in items.iter().enumerate() {
        if let Some(new) = replace_first(x, f) {
            let mut items = items.clone();
            items[i] = new;
            return Some(Json::Array(items));
        }
    }
    None
}

/// The expectation with one detail changed, or `None` where nothing can be changed.
fn perturb(v: &Json) -> Option<Json> {
    Some(match v {
        Json::Bool(b) => json!(!b),
        Json::Number(n) if n.is_i64() => json!(n.as_i64()? ^ 1),
        Json::Number(n) if n.is_u64() => json!(n.as_u64()? ^ 1),
        Json::Number(n) => json!(n.as_f64()? + 1.0),
        Json::String(s) if s.len() >= 2 => {
            let flipped = if s.ends_with('0') { '1' } else { '0' };
            json!(format!("{}{flipped}", &s[..s.len() - 1]))
        }
        Json::Array(a) if !a.is_empty() => {
            let mut a = a.clone();
            a[0] = perturb(&a[0])?;
            Json::Array(a)
        }
        Json::Object(o) => {
            let mut o = o.clone();
            let key = ["list", "bytes", "shape", "readonly"]
                .into_iter()
                .find(|k| o.get(*k).is_some_and(|x| perturb(x).is_some()))?;
            let changed = perturb(&o[key])?;
            o.insert(key.into(), changed);
            Json::Object(o)
        }
        _ => return None,
    })
}

fn replay_file(doc: &Json, path: &Path, tally: &mut Tally) -> usize {
    let seed = &doc["seed"];
    let views = doc["views"].as_array().expect("views");
    let cases = doc["cases"].as_array().expect("cases");
    for case in cases {
        let op = case["op"].as_str().expect("op").to_string();
        let view = &views[case["v"].as_u64().expect("v") as usize];
        *tally
            .by_format
            .entry(view["format"].as_str().unwrap_or("?").to_string())
            .or_default() += 1;
        let verdict = run_case(case, views);
        let slot = tally.ran.entry(op.clone()).or_default();
        let failure = match verdict {
            Verdict::Pass => {
                slot[0] += 1;
                None
            }
            Verdict::Different(key, checked) => {
                assert!(
                    DIFFERENCES.iter().any(|(k, _)| *k == key),
                    "unknown reason {key}"
                );
                *tally.differences.entry(key).or_default() += 1;
                match checked {
                    Ok(()) => {
                        slot[1] += 1;
                        None
                    }
                    Err(e) => {
                        slot[2] += 1;
                        Some(format!("[{key}] {e}"))
                    }
                }
            }
            Verdict::Fail(e) => {
                slot[2] += 1;
                Some(e)
            }
        };
        if let Some(why) = failure {
            tally.mismatches.push(format!(
                "{} seed {seed} case {} ({op}; view {}): {why}",
                path.file_name().and_then(|n| n.to_str()).unwrap_or("?"),
                case["id"],
                describe_view(view),
            ));
        }
        tally.total += 1;
    }
    cases.len()
}

fn describe_view(v: &Json) -> String {
    format!(
        "format {} shape {} strides {} offset {} readonly {} raw {} bytes",
        v["format"],
        v["shape"],
        v["strides"],
        v["offset"],
        v["readonly"],
        v["raw"].as_str().map_or(0, |s| s.len() / 2)
    )
}

/// The expected outcome recorded in `obj` (a case, or its `beyond` object).
fn expected_from(obj: &Json) -> Outcome {
    if let Some(ok) = obj.get("ok") {
        return Ok(ok.clone());
    }
    let err = obj["err"].as_array().expect("case has neither ok nor err");
    Err(PyErr {
        kind: err[0].as_str().expect("error kind").to_string(),
        message: err[1].as_str().map(str::to_string),
    })
}

fn run_case(case: &Json, views: &[Json]) -> Verdict {
    let got = adapter::perform(case, views);
    // The adapter could not express the operation in Rust, for a listed reason.
    if let Err(PyErr {
        kind,
        message: Some(key),
    }) = &got
    {
        if kind == DIFFERENT {
            let key = DIFFERENCES
                .iter()
                .map(|(k, _)| *k)
                .find(|k| k == key)
                .unwrap_or_else(|| panic!("unlisted difference {key}"));
            return Verdict::Different(key, Ok(()));
        }
    }
    // Where CPython 3.11 refuses a format our view reads, the generator recorded what our
    // view must return instead.
    if let Some(beyond) = case.get("beyond") {
        let want = expected_from(beyond);
        return match compare(&want, &got) {
            Err(_) if reworded_range_error(&want, &got) => {
                Verdict::Different("struct-wording", Ok(()))
            }
            checked => Verdict::Different("beyond-format", checked),
        };
    }
    if case.get("via").and_then(Json::as_str) == Some("struct") {
        return Verdict::Different("e-format", compare(&expected_from(case), &got));
    }
    match compare(&expected_from(case), &got) {
        Ok(()) => Verdict::Pass,
        Err(e) => Verdict::Fail(e),
    }
}

/// Whether `want` is CPython 3.12's struct wording of an integer range error ("'B' format
/// requires 0 <= number <= 255") and `got` the 3.11 wording of the same error: "argument out
/// of range", or a message stating the same range ("ubyte format requires 0 <= number <= 255").
fn reworded_range_error(want: &Outcome, got: &Outcome) -> bool {
    const REQUIRES: &str = " format requires ";
    let (Err(w), Err(g)) = (want, got) else {
        return false;
    };
    let (Some(wm), Some(gm)) = (&w.message, &g.message) else {
        return false;
    };
    let Some(range) = wm
        .strip_prefix('\'')
        .and_then(|m| m.get(2..))
        .filter(|m| m.starts_with(REQUIRES))
    else {
        return false;
    };
    w.kind == g.kind
        && wm.as_bytes().get(1).is_some_and(u8::is_ascii_alphabetic)
        && (gm == "argument out of range" || gm.find(REQUIRES).is_some_and(|i| &gm[i..] == range))
}

#[test]
fn reworded_range_errors_must_state_the_same_range() {
    let err = |kind: &str, m: &str| -> Outcome {
        Err(PyErr {
            kind: kind.into(),
            message: Some(m.into()),
        })
    };
    let want = err("ValueError", "'B' format requires 0 <= number <= 255");
    for (got, same) in [
        (
            err("ValueError", "ubyte format requires 0 <= number <= 255"),
            true,
        ),
        (err("ValueError", "argument out of range"), true),
        (
            err("ValueError", "ubyte format requires 0 <= number <= 127"),
            false,
        ),
        (
            err("TypeError", "ubyte format requires 0 <= number <= 255"),
            false,
        ),
        (
            err("ValueError", "memoryview: invalid value for format 'B'"),
            false,
        ),
        (Ok(json!("00")), false),
    ] {
        assert_eq!(reworded_range_error(&want, &got), same, "{got:?}");
    }
    let other = err("ValueError", "argument out of range");
    assert!(!reworded_range_error(
        &other,
        &err("ValueError", "argument out of range")
    ));
}

fn compare(want: &Outcome, got: &Outcome) -> Result<(), String> {
    match (want, got) {
        (Ok(w), Ok(g)) if same_json(w, g) => Ok(()),
        (Err(w), Err(g)) if w.kind == g.kind && (w.message.is_none() || w.message == g.message) => {
            Ok(())
        }
        _ => Err(format!("expected {}, got {}", show(want), show(got))),
    }
}

fn show(o: &Outcome) -> String {
    match o {
        Ok(v) => {
            let s = v.to_string();
            if s.len() > 300 {
                format!("{}...", &s[..300])
            } else {
                s
            }
        }
        Err(e) => format!(
            "{}: {}",
            e.kind,
            e.message.as_deref().unwrap_or("<any message>")
        ),
    }
}

/// JSON equality where numbers compare by exact value: integers exactly, floats bit for bit
/// (so 0.0 and -0.0 differ), an object on the expected side only has to match the keys it
/// holds (e.g. "list" is left out where CPython's answer would be undefined), and an
/// expected `null` matches anything (numpy's stride of a dimension of length 1).
fn same_json(want: &Json, got: &Json) -> bool {
    match (want, got) {
        (Json::Null, _) => true,
        (Json::Number(a), Json::Number(b)) => {
            if let (Some(x), Some(y)) = (a.as_i64(), b.as_i64()) {
                x == y
            } else if let (Some(x), Some(y)) = (a.as_u64(), b.as_u64()) {
                x == y
            } else if a.is_f64() && b.is_f64() {
                a.as_f64().map(f64::to_bits) == b.as_f64().map(f64::to_bits)
            } else {
                false
            }
        }
        (Json::Array(a), Json::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_json(x, y))
        }
        (Json::Object(a), Json::Object(b)) => a
            .iter()
            .all(|(k, v)| b.get(k).is_some_and(|g| same_json(v, g))),
        _ => want == got,
    }
}

/// JSON encoding of a float, as the generator writes it.
fn enc_float(x: f64) -> Json {
    if x.is_nan() {
        json!("nan")
    } else if x.is_infinite() {
        json!(if x > 0.0 { "inf" } else { "-inf" })
    } else {
        json!(x)
    }
}

/// Performs a case's operation on our view, answering in the JSON encoding of the vectors.
/// Everything that depends on the `MemoryView` API lives here.
mod adapter {
    use std::hash::{Hash, Hasher};

    use buffer_runtime::format::{Fields, Value};
    use buffer_runtime::view::{
        AxisIndex, Data, MemoryView, MemoryViewMut, Order, Slice, ViewBase, ViewError,
    };
    use serde_json::{json, Value as Json};

    use super::{Outcome, PyErr};

    impl From<ViewError> for PyErr {
        fn from(e: ViewError) -> Self {
            PyErr {
                kind: e.kind().name().to_string(),
                message: Some(e.message().to_string()),
            }
        }
    }

    /// An operation this replay cannot perform yet; the case fails (never passes silently).
    fn pending(what: &str) -> PyErr {
        PyErr {
            kind: "Pending".into(),
            message: Some(format!("pending: {what}")),
        }
    }

    /// A layout the view refused to build: the case fails with this reason.
    fn unbuildable(e: ViewError) -> PyErr {
        PyErr {
            kind: "CannotBuild".into(),
            message: Some(format!("view refused the recorded layout: {e}")),
        }
    }

    pub(crate) struct BufferLayout {
        pub raw: Vec<u8>,
        pub format: String,
        pub shape: Vec<usize>,
        pub strides: Vec<isize>,
        pub offset: usize,
        pub readonly: bool,
    }

    pub(crate) fn layout(v: &Json) -> BufferLayout {
        let hex = v["raw"].as_str().expect("raw");
        let raw = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
            .collect();
        BufferLayout {
            raw,
            format: v["format"].as_str().expect("format").to_string(),
            shape: ints(&v["shape"]).into_iter().map(|n| n as usize).collect(),
            strides: ints(&v["strides"])
                .into_iter()
                .map(|n| n as isize)
                .collect(),
            offset: v["offset"].as_u64().expect("offset") as usize,
            readonly: v["readonly"].as_bool().expect("readonly"),
        }
    }

    fn ints(v: &Json) -> Vec<i64> {
        v.as_array()
            .expect("array")
            .iter()
            .map(|x| x.as_i64().expect("integer"))
            .collect()
    }

    fn opt_int(v: &Json) -> Option<isize> {
        v.as_i64().map(|n| n as isize)
    }

    fn slice_of(v: &Json) -> Slice {
        let a = v.as_array().expect("slice");
        Slice::new(opt_int(&a[0]), opt_int(&a[1]), opt_int(&a[2]).unwrap_or(1))
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    pub(crate) fn perform(case: &Json, views: &[Json]) -> Outcome {
        let op = case["op"].as_str().expect("op");
        let mut lay = layout(&views[case["v"].as_u64().expect("v") as usize]);
        let (format, shape, strides, offset) = (
            lay.format.clone(),
            lay.shape.clone(),
            lay.strides.clone(),
            lay.offset,
        );
        if lay.readonly {
            let view = MemoryView::from_parts(&lay.raw, &format, &shape, Some(&strides), offset)
                .map_err(unbuildable)?;
            match op {
                "setitem" | "setstruct" => set_item(case, view),
                "setslice" => set_slice(case, view, views),
                _ => read_op(case, view, views),
            }
        } else {
            let view =
                MemoryViewMut::from_parts(&mut lay.raw, &format, &shape, Some(&strides), offset)
                    .map_err(unbuildable)?;
            match op {
                "setitem" | "setstruct" => set_item(case, view),
                "setslice" => set_slice(case, view, views),
                _ => read_op(case, view, views),
            }
        }
    }

    fn attrs<S: Data>(v: &ViewBase<S>) -> Json {
        json!({
            "format": v.format(),
            "itemsize": v.itemsize(),
            "ndim": v.ndim(),
            "shape": v.shape(),
            "strides": v.byte_strides(),
            "suboffsets": v.suboffsets(),
            "nbytes": v.nbytes(),
            "readonly": v.readonly(),
            "c_contiguous": v.c_contiguous(),
            "f_contiguous": v.f_contiguous(),
            "contiguous": v.contiguous(),
        })
    }

    /// What the generator records of a derived view (slice, cast).
    fn summary<S: Data>(v: &ViewBase<S>) -> Outcome {
        let mut s = attrs(v);
        let obj = s.as_object_mut().expect("object");
        obj.remove("suboffsets");
        obj.insert("bytes".into(), json!(hex(&v.tobytes(Order::C))));
        if let Some(list) = tolist_for_summary(v) {
            obj.insert("list".into(), list?);
        }
        Ok(s)
    }

    fn read_op<S: Data>(case: &Json, view: ViewBase<S>, views: &[Json]) -> Outcome {
        match case["op"].as_str().expect("op") {
            "attrs" => Ok(attrs(&view)),
            "toreadonly" => summary(&view.view()),
            "permute" => {
                let axes: Vec<usize> = ints(&case["axes"]).iter().map(|&a| a as usize).collect();
                np_summary(&view.into_permute_axes(&axes)?)
            }
            "field" => {
                let f = view.into_field(case["name"].as_str().expect("name"))?;
                Ok(json!({
                    "shape": f.shape(),
                    "strides": f.byte_strides(),
                    "itemsize": f.itemsize(),
                    "bytes": hex(&f.tobytes(Order::C)),
                    "list": value_json(&f.tolist()?),
                }))
            }
            "tobytes" => {
                let order: Order = case["order"].as_str().expect("order").parse()?;
                Ok(json!(hex(&view.tobytes(order))))
            }
            "hex" => {
                let bps = case["bps"].as_i64().expect("bps") as isize;
                Ok(json!(view.hex(case["sep"].as_str(), bps)?))
            }
            "slice" => {
                let s = view.into_slice(slice_of(&case["slice"]))?;
                summary(&s)
            }
            "cast" => {
                let mut v = view;
                for step in case["steps"].as_array().expect("steps") {
                    let fmt = step[0].as_str().expect("cast format");
                    let shape: Option<Vec<usize>> = step[1].as_array().map(|a| {
                        // CPython's "elements of shape must be integers > 0" covers negative
                        // entries, which a usize cannot hold: pass 0, which CPython rejects
                        // with the same message.
                        a.iter()
                            .map(|x| x.as_i64().expect("dim").max(0) as usize)
                            .collect()
                    });
                    v = v.into_cast(fmt, shape.as_deref())?;
                }
                summary(&v)
            }
            "hash" => {
                // CPython's hash values are its own; ours must at least be the hash of the
                // view's bytes, as CPython's is the hash of tobytes().
                let got = view.hash_value()?;
                #[allow(deprecated)]
                let mut h = std::collections::hash_map::DefaultHasher::new();
                view.tobytes(Order::C).as_slice().hash(&mut h);
                Ok(json!(if got == h.finish() {
                    "hashable"
                } else {
                    "hash differs from the hash of tobytes()"
                }))
            }
            "subview" => {
                let index: Vec<AxisIndex> = ints(&case["index"])
                    .into_iter()
                    .map(|i| AxisIndex::Index(i as isize))
                    .collect();
                np_summary(&view.into_sub(&index)?)
            }
            "nd_slice" => {
                let index: Vec<AxisIndex> = case["slices"]
                    .as_array()
                    .expect("slices")
                    .iter()
                    .map(|s| AxisIndex::Slice(slice_of(s)))
                    .collect();
                np_summary(&view.into_sub(&index)?)
            }
            "tolist" => tolist(&view),
            "index" => get_item(&view, &ints(&case["index"])),
            "eq" => {
                let lay = layout(&views[case["other"].as_u64().expect("other") as usize]);
                let other = MemoryView::from_parts(
                    &lay.raw,
                    &lay.format,
                    &lay.shape,
                    Some(&lay.strides),
                    lay.offset,
                )
                .map_err(unbuildable)?;
                equal(&view, &other)
            }
            op => Err(pending(&format!("unknown operation {op}"))),
        }
    }

    fn np_summary<S: Data>(v: &ViewBase<S>) -> Outcome {
        Ok(json!({
            "shape": v.shape(),
            "strides": v.byte_strides(),
            "bytes": hex(&v.tobytes(Order::C)),
        }))
    }

    fn set_slice<S: Data>(case: &Json, mut view: ViewBase<S>, views: &[Json]) -> Outcome {
        let lay = layout(&views[case["src"].as_u64().expect("src") as usize]);
        let src = MemoryView::from_parts(
            &lay.raw,
            &lay.format,
            &lay.shape,
            Some(&lay.strides),
            lay.offset,
        )
        .map_err(unbuildable)?;
        view.assign_slice(slice_of(&case["slice"]), &src)?;
        Ok(json!(hex(&view.tobytes(Order::C))))
    }

    // ---- item values --------------------------------------------------------------------

    /// The JSON encoding of an unpacked item (see tests/python/mv_values.py): bool, integer,
    /// float (or "nan" / "inf" / "-inf"), bytes as hex, and a list for a struct (its fields
    /// in order) or a sub-array; a complex number is [real, imag].
    pub(crate) fn value_json(v: &Value) -> Json {
        match v {
            Value::Bool(b) => json!(b),
            Value::Int(n) => json!(n),
            Value::UInt(n) | Value::Pointer(n) | Value::Object(n) => json!(n),
            Value::Float(x) => super::enc_float(*x),
            Value::Complex(re, im) => json!([super::enc_float(*re), super::enc_float(*im)]),
            Value::Bytes(b) => json!(hex(b)),
            Value::Str(s) => json!(s),
            Value::Array(items) => Json::Array(items.iter().map(value_json).collect()),
            Value::Struct(fields) => Json::Array(fields.values().iter().map(value_json).collect()),
        }
    }

    /// The Rust value for a tagged right-hand side of an item write, or why there is none.
    pub(crate) fn write_value(v: &Json) -> Result<Value, &'static str> {
        let (tag, x) = v
            .as_object()
            .and_then(|o| o.iter().next())
            .expect("tagged value");
        Ok(match tag.as_str() {
            "bool" => Value::Bool(x.as_bool().expect("bool")),
            "int" => {
                let n: i128 = x
                    .as_str()
                    .and_then(|s| s.parse().ok())
                    .ok_or("int-beyond-64")?;
                if let Ok(n) = i64::try_from(n) {
                    Value::Int(n)
                } else if let Ok(n) = u64::try_from(n) {
                    Value::UInt(n)
                } else {
                    return Err("int-beyond-64");
                }
            }
            "float" => Value::Float(match x {
                Json::String(s) if s.starts_with("nan:") => {
                    f64::from_bits(u64::from_str_radix(&s[4..], 16).expect("nan bits"))
                }
                Json::String(s) if s == "inf" => f64::INFINITY,
                Json::String(s) if s == "-inf" => f64::NEG_INFINITY,
                _ => x.as_f64().expect("float"),
            }),
            "bytes" => Value::Bytes(
                (0..x.as_str().expect("hex").len())
                    .step_by(2)
                    .map(|i| u8::from_str_radix(&x.as_str().unwrap()[i..i + 2], 16).unwrap())
                    .collect(),
            ),
            "str" => Value::Str(x.as_str().expect("str").to_string()),
            "struct" => Value::Struct(
                x.as_array()
                    .expect("fields")
                    .iter()
                    .map(write_value)
                    .collect::<Result<_, _>>()
                    .map(Fields::unnamed)?,
            ),
            "array" => Value::Array(
                x.as_array()
                    .expect("items")
                    .iter()
                    .map(write_value)
                    .collect::<Result<_, _>>()?,
            ),
            "complex" => Value::Complex(x[0].as_f64().expect("real"), x[1].as_f64().expect("imag")),
            t => panic!("unknown value tag {t}"),
        })
    }

    fn tolist_for_summary<S: Data>(v: &ViewBase<S>) -> Option<Outcome> {
        // The generator leaves the list out where CPython cannot unpack the format ('e' in
        // 3.11, non-native formats); comparing only keys it recorded, an extra one is harmless.
        Some(tolist(v))
    }

    fn tolist<S: Data>(v: &ViewBase<S>) -> Outcome {
        Ok(value_json(&v.tolist()?))
    }

    fn get_item<S: Data>(v: &ViewBase<S>, index: &[i64]) -> Outcome {
        let index: Vec<isize> = index.iter().map(|&i| i as isize).collect();
        Ok(value_json(&v.get(&index)?))
    }

    fn equal<S: Data, T: Data>(a: &ViewBase<S>, b: &ViewBase<T>) -> Outcome {
        Ok(json!(a.equals(b)))
    }

    fn set_item<S: Data>(case: &Json, mut view: ViewBase<S>) -> Outcome {
        let value = write_value(&case["value"]).map_err(|key| PyErr {
            kind: super::DIFFERENT.into(),
            message: Some(key.into()),
        })?;
        let index: Vec<isize> = ints(&case["index"])
            .into_iter()
            .map(|i| i as isize)
            .collect();
        view.set(&index, &value)?;
        if case["op"] == "setstruct" {
            // Padding bytes are numpy's to keep and ours to zero: compare the values.
            return Ok(value_json(&view.tolist()?));
        }
        Ok(json!(hex(&view.tobytes(Order::C))))
    }
}
