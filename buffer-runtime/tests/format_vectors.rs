//! Replays this crate's tests/vectors/format_vectors.json (inside the package, so the
//! published crate replays it too), made by the repository's tests/python/format_vectors.py
//! from CPython's `struct.calcsize` (flat formats) and numpy's `_dtype_from_pep3118` (`T{}`
//! formats): accept/reject, item size and every field's offset and size must agree, except
//! where the format module's docs say we differ by design; those cases are counted by reason
//! and each reason is checked to be the one that applies.
//!
//!
//! The file's `pack_cases` hold what `struct.pack` (and, for native formats, a memoryview
//! item write) answers for one value written into one item of every integer, float and
//! bool code under every prefix: `format::pack` must give the same bytes, or an error of the
//! same kind with the same message ([`replay_pack_vectors`]).
//!
//! `FORMAT_VECTORS=path` replays another file (e.g. one made with another `--seed`).

#![cfg(feature = "std")]

use std::collections::BTreeMap;

use buffer_runtime::format::{pack, parse, unpack, ItemLayout, Node, Value};
use buffer_runtime::ErrorKind;

// ------------------------------------------------------------------------------------------
// A small JSON reader: enough for the vector file (objects, arrays, strings, integers,
// true/false/null).

#[derive(Debug, Clone, PartialEq)]
enum Json {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

impl Json {
    fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Obj(kv) => kv.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
    fn str(&self) -> &str {
        match self {
            Json::Str(s) => s,
            _ => panic!("expected a string, got {self:?}"),
        }
    }
    fn num(&self) -> usize {
        match self {
            Json::Num(n) => *n as usize,
            _ => panic!("expected a number, got {self:?}"),
        }
    }
    fn arr(&self) -> &[Json] {
        match self {
            Json::Arr(a) => a,
            _ => panic!("expected an array, got {self:?}"),
        }
    }
}

struct Reader<'a> {
    s: &'a [u8],
    i: usize,
}

impl Reader<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }
    fn eat(&mut self, b: u8) {
        self.ws();
        assert_eq!(
            self.s[self.i], b,
            "JSON: expected {} at {}",
            b as char, self.i
        );
        self.i += 1;
    }
    fn value(&mut self) -> Json {
        self.ws();
        match self.s[self.i] {
            b'{' => {
                self.i += 1;
                let mut kv = Vec::new();
                self.ws();
                if self.s[self.i] == b'}' {
                    self.i += 1;
                    return Json::Obj(kv);
                }
                loop {
                    self.ws();
                    let Json::Str(k) = self.value() else {
                        panic!("JSON: key")
                    };
                    self.eat(b':');
                    kv.push((k, self.value()));
                    self.ws();
                    self.i += 1;
                    if self.s[self.i - 1] == b'}' {
                        return Json::Obj(kv);
                    }
                }
            }
            b'[' => {
                self.i += 1;
                let mut a = Vec::new();
                self.ws();
                if self.s[self.i] == b']' {
                    self.i += 1;
                    return Json::Arr(a);
                }
                loop {
                    a.push(self.value());
                    self.ws();
                    self.i += 1;
                    if self.s[self.i - 1] == b']' {
                        return Json::Arr(a);
                    }
                }
            }
            b'"' => {
                self.i += 1;
                let mut out = String::new();
                loop {
                    let c = self.s[self.i];
                    self.i += 1;
                    match c {
                        b'"' => return Json::Str(out),
                        b'\\' => {
                            let e = self.s[self.i];
                            self.i += 1;
                            match e {
                                b'n' => out.push('\n'),
                                b't' => out.push('\t'),
                                b'r' => out.push('\r'),
                                b'b' => out.push('\u{8}'),
                                b'f' => out.push('\u{c}'),
                                b'u' => {
                                    let hex =
                                        std::str::from_utf8(&self.s[self.i..self.i + 4]).unwrap();
                                    self.i += 4;
                                    let mut u = u32::from_str_radix(hex, 16).unwrap();
                                    if (0xd800..0xdc00).contains(&u) {
                                        // a surrogate pair: \uXXXX\uYYYY
                                        let lo =
                                            std::str::from_utf8(&self.s[self.i + 2..self.i + 6])
                                                .unwrap();
                                        self.i += 6;
                                        let lo = u32::from_str_radix(lo, 16).unwrap();
                                        u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
                                    }
                                    out.push(char::from_u32(u).unwrap());
                                }
                                other => out.push(other as char),
                            }
                        }
                        _ => {
                            // Copy one UTF-8 sequence.
                            let start = self.i - 1;
                            let mut end = self.i;
                            while end < self.s.len() && (self.s[end] & 0xc0) == 0x80 {
                                end += 1;
                            }
                            out.push_str(std::str::from_utf8(&self.s[start..end]).unwrap());
                            self.i = end;
                        }
                    }
                }
            }
            b't' => {
                self.i += 4;
                Json::Bool(true)
            }
            b'f' => {
                self.i += 5;
                Json::Bool(false)
            }
            b'n' => {
                self.i += 4;
                Json::Null
            }
            _ => {
                let start = self.i;
                while self.i < self.s.len() && b"+-.eE0123456789".contains(&self.s[self.i]) {
                    self.i += 1;
                }
                let t = std::str::from_utf8(&self.s[start..self.i]).unwrap();
                Json::Num(t.parse().unwrap_or_else(|_| panic!("JSON: number {t:?}")))
            }
        }
    }
}

fn read_json(text: &str) -> Json {
    Reader {
        s: text.as_bytes(),
        i: 0,
    }
    .value()
}

#[test]
fn json_reader_reads_what_python_writes() {
    let j = read_json(r#"{"a":[1,-2.5,true,false,null],"b":"x\"\u00e9\ud83d\ude00y","c":{}}"#);
    assert_eq!(j.get("a").unwrap().arr().len(), 5);
    assert_eq!(j.get("b").unwrap().str(), "x\"é😀y");
    assert_eq!(j.get("c"), Some(&Json::Obj(vec![])));
}

// ------------------------------------------------------------------------------------------

/// (offset, size, name) of every field, depth first, as the generator records numpy's.
fn all_fields(l: &ItemLayout) -> Vec<(usize, usize, Option<String>)> {
    fn walk(node: &Node, base: usize, out: &mut Vec<(usize, usize, Option<String>)>) {
        match node {
            Node::Scalar(_) => {}
            Node::Array { element, .. } => walk(element.node(), base, out),
            Node::Struct(fields) => {
                for f in fields {
                    out.push((base + f.offset, f.layout.size(), f.name.clone()));
                    walk(f.layout.node(), base + f.offset, out);
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(l.node(), 0, &mut out);
    out
}

/// (offset, size) of every top-level item that is not padding, as struct gives them.
fn top_fields(l: &ItemLayout) -> Vec<(usize, usize)> {
    match l.node() {
        Node::Struct(fields) => fields.iter().map(|f| (f.offset, f.layout.size())).collect(),
        _ => vec![(0, l.size())],
    }
}

/// The format without its `:names:`, to look for codes.
fn strip_names(fmt: &str) -> String {
    let mut out = String::new();
    let mut in_name = false;
    for c in fmt.chars() {
        if c == ':' {
            in_name = !in_name;
        } else if !in_name {
            out.push(c);
        }
    }
    out
}

fn platform_matches(doc: &Json) -> bool {
    let p = doc.get("platform").unwrap();
    let sizes = p.get("sizes").unwrap();
    let le = p.get("byteorder").unwrap().str() == "little";
    le == cfg!(target_endian = "little")
        && sizes.get("l").unwrap().num() == std::mem::size_of::<std::ffi::c_long>()
        && sizes.get("P").unwrap().num() == std::mem::size_of::<usize>()
        && p.get("long_double").unwrap().num()
            == buffer_runtime::format::Code::LongDouble.native_size()
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn f64_hex(s: &str) -> f64 {
    f64::from_le_bytes(hex(s).try_into().unwrap())
}

fn flatten(v: &Value, out: &mut Vec<Value>) {
    match v {
        Value::Struct(fields) => fields.values().iter().for_each(|v| flatten(v, out)),
        Value::Array(items) => items.iter().for_each(|v| flatten(v, out)),
        other => out.push(other.clone()),
    }
}

fn same_float(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

/// Whether our value equals what Python recorded (see encode_value in the generator).
fn value_matches(ours: &Value, theirs: &Json) -> bool {
    let t = theirs.arr();
    match (t[0].str(), ours) {
        ("?", Value::Bool(b)) => t[1] == Json::Bool(*b),
        ("i", Value::Int(n)) => t[1].str() == n.to_string(),
        ("i", Value::UInt(n) | Value::Pointer(n)) => t[1].str() == n.to_string(),
        ("f", Value::Float(x)) => same_float(*x, f64_hex(t[1].str())),
        ("z", Value::Complex(r, i)) => {
            same_float(*r, f64_hex(t[1].str())) && same_float(*i, f64_hex(t[2].str()))
        }
        ("b", Value::Bytes(b)) => *b == hex(t[1].str()),
        // numpy strips trailing NULs from strings; we keep them.
        ("s", Value::Str(s)) => s.trim_end_matches('\0') == t[1].str(),
        _ => false,
    }
}

/// The vector file and its path, or `None` if it was made on another platform.
fn load_vectors() -> Option<(String, Json)> {
    let path = std::env::var("FORMAT_VECTORS").unwrap_or_else(|_| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/vectors/format_vectors.json"
        )
        .to_string()
    });
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let doc = read_json(&text);
    if !platform_matches(&doc) {
        eprintln!("{path} was made on another platform (native sizes differ); not replayed");
        return None;
    }
    Some((path, doc))
}

#[test]
fn replay_format_vectors() {
    let Some((path, doc)) = load_vectors() else {
        return;
    };
    let cases = doc.get("cases").unwrap().arr();
    assert!(cases.len() >= 2000, "expected a few thousand cases");
    let mut agree = 0usize;
    let mut values_checked = 0usize;
    let mut packs_checked = 0usize;
    let mut by_design: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for case in cases {
        let fmt = case.get("fmt").unwrap().str();
        let oracle = case.get("oracle").unwrap().str();
        let oracle_ok = case.get("ok") == Some(&Json::Bool(true));
        let ours = parse(fmt).and_then(|f| f.layout());
        let bare = strip_names(fmt);
        if let (Some(bytes), Some(values), Ok(l)) = (case.get("bytes"), case.get("values"), &ours) {
            match unpack(l, &hex(bytes.str())) {
                Ok(v) => {
                    let mut flat = Vec::new();
                    flatten(&v, &mut flat);
                    let want = values.arr();
                    if flat.len() != want.len()
                        || flat.iter().zip(want).any(|(a, b)| !value_matches(a, b))
                    {
                        failures.push(format!("{fmt:?}: unpacked {v}, {oracle} says {want:?}"));
                    }
                    values_checked += 1;
                    if let Some(packed) = case.get("packed") {
                        let mut out = vec![0xa5u8; l.size()];
                        match pack(l, &v, &mut out) {
                            Ok(()) if out == hex(packed.str()) => packs_checked += 1,
                            Ok(()) => failures.push(format!(
                                "{fmt:?}: packed {v} as {out:02x?}, struct.pack gives {}",
                                packed.str()
                            )),
                            Err(e) => failures.push(format!("{fmt:?}: pack failed: {e}")),
                        }
                    }
                }
                Err(e) => failures.push(format!("{fmt:?}: unpack failed: {e}")),
            }
        }
        let reason: Option<&'static str> = match (oracle, oracle_ok, &ours) {
            (_, false, Err(_)) => None,
            ("struct", false, Ok(_)) => {
                if bare.contains(|c| "ZguwO&tT{}()".contains(c)) || fmt.contains(':') {
                    Some("struct: PEP 3118 codes that struct lacks")
                } else if bare.contains('^') {
                    Some("struct: '^' is PEP 3118's prefix, not struct's")
                } else if bare
                    .char_indices()
                    .any(|(i, c)| i > 0 && "@=<>!".contains(c))
                {
                    Some("struct: a prefix after the first character (PEP 3118 allows it)")
                } else {
                    failures.push(format!(
                        "{fmt:?}: struct rejects ({:?}), we accept",
                        case.get("error")
                    ));
                    continue;
                }
            }
            ("numpy", false, Ok(_)) => {
                let error = case.get("error").map_or("", Json::str);
                if error.contains("invalid itemsize in generic type tuple") {
                    Some("numpy: cannot make a sub-array of zero-size items ('(2)0i')")
                } else if bare.contains(char::is_whitespace) {
                    Some("numpy: whitespace between tokens (struct allows it)")
                } else if ["<(", ">(", "=(", "^(", "@(", "!("]
                    .iter()
                    .any(|p| bare.contains(p))
                {
                    Some("numpy: a prefix before a shape")
                } else if let Some(c) = "&utnNpP".chars().find(|&c| bare.contains(c)) {
                    Some(match c {
                        '&' => "numpy: '&' pointers",
                        'u' => "numpy: 'u' UCS-2",
                        't' => "numpy: 't' bits",
                        'p' => "numpy: 'p' Pascal strings",
                        _ => "numpy: 'n' 'N' 'P' native sizes",
                    })
                } else {
                    failures.push(format!(
                        "{fmt:?}: numpy rejects ({:?}), we accept",
                        case.get("error")
                    ));
                    continue;
                }
            }
            ("numpy", true, Err(e)) => {
                let opens = fmt.matches('{').count();
                let closes = fmt.matches('}').count();
                if opens != closes {
                    Some("numpy: accepts an unclosed 'T{' or a stray '}'")
                } else if fmt.contains("::") {
                    Some("numpy: accepts an empty field name")
                } else {
                    failures.push(format!("{fmt:?}: numpy accepts, we reject: {e}"));
                    continue;
                }
            }
            (_, true, Err(e)) => {
                failures.push(format!("{fmt:?}: {oracle} accepts, we reject: {e}"));
                continue;
            }
            (_, true, Ok(l)) => {
                let size = case.get("itemsize").unwrap().num();
                let Some(fields) = case.get("fields") else {
                    if size != l.size() {
                        failures.push(format!(
                            "{fmt:?}: itemsize {} but {oracle} says {size}",
                            l.size()
                        ));
                    }
                    agree += 1;
                    continue;
                };
                let expected: Vec<(usize, usize, Option<String>)> = fields
                    .arr()
                    .iter()
                    .map(|f| {
                        let f = f.arr();
                        let name = match &f[2] {
                            Json::Str(s) => Some(s.clone()),
                            _ => None,
                        };
                        (f[0].num(), f[1].num(), name)
                    })
                    .collect();
                if oracle == "struct" {
                    let want: Vec<(usize, usize)> = expected.iter().map(|f| (f.0, f.1)).collect();
                    if size != l.size() || want != top_fields(l) {
                        failures.push(format!(
                            "{fmt:?}: ours {} {:?}, struct {size} {want:?}",
                            l.size(),
                            top_fields(l)
                        ));
                    }
                    agree += 1;
                    continue;
                }
                let got = all_fields(l);
                if got != expected {
                    failures.push(format!("{fmt:?}: fields {got:?}, numpy {expected:?}"));
                    continue;
                }
                if size == l.size() {
                    None
                } else if matches!(l.node(), Node::Struct(_))
                    && size > l.size()
                    && size - l.size() < l.align()
                {
                    Some("numpy: pads a flat '@' top level at the end (struct does not)")
                } else {
                    failures.push(format!(
                        "{fmt:?}: itemsize {} but numpy says {size}",
                        l.size()
                    ));
                    continue;
                }
            }
            _ => unreachable!("oracle {oracle}"),
        };
        match reason {
            None => agree += 1,
            Some(r) => *by_design.entry(r).or_default() += 1,
        }
    }
    eprintln!(
        "{path}: {} cases, {agree} agree; {values_checked} items unpacked and {packs_checked} \
         packed like their oracle",
        cases.len()
    );
    for (r, n) in &by_design {
        eprintln!("  differ by design ({n}): {r}");
    }
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        agree * 100 >= cases.len() * 85,
        "too few agreeing cases: {agree}"
    );
}

// ------------------------------------------------------------------------------------------
// pack_cases: one value written into one item.

/// A value as the generator's encode_value writes it.
fn decode_value(v: &Json) -> Value {
    let t = v.arr();
    match t[0].str() {
        "?" => Value::Bool(t[1] == Json::Bool(true)),
        "i" => {
            let s = t[1].str();
            match s.parse::<i64>() {
                Ok(n) => Value::Int(n),
                Err(_) => Value::UInt(s.parse().unwrap_or_else(|_| panic!("int {s}"))),
            }
        }
        "f" => Value::Float(f64_hex(t[1].str())),
        "z" => Value::Complex(f64_hex(t[1].str()), f64_hex(t[2].str())),
        "b" => Value::Bytes(hex(t[1].str())),
        "s" => Value::Str(t[1].str().to_string()),
        other => panic!("value tag {other}"),
    }
}

/// The codec's kind for a Python exception: `struct.error` is a TypeError for a value of the
/// wrong type ("required argument is not ...") and a ValueError otherwise (a range).
fn kind_of(exc: &str, message: &str) -> ErrorKind {
    match exc {
        "struct.error" if message.starts_with("required argument is not") => ErrorKind::TypeError,
        "struct.error" | "ValueError" => ErrorKind::ValueError,
        "TypeError" => ErrorKind::TypeError,
        "OverflowError" => ErrorKind::OverflowError,
        other => panic!("exception {other}"),
    }
}

/// Packs `value` as one item of `fmt` and compares with Python's outcome; `Err` describes
/// the difference.
fn check_pack(fmt: &str, value: &Value, want: &Json) -> Result<(), String> {
    let layout = parse(fmt)
        .and_then(|f| f.layout())
        .map_err(|e| format!("{fmt:?} does not parse: {e}"))?;
    let mut out = vec![0xa5u8; layout.size()];
    let got = pack(&layout, value, &mut out);
    match (want.get("ok"), want.get("err"), got) {
        (Some(bytes), _, Ok(())) if out == hex(bytes.str()) => Ok(()),
        (Some(bytes), _, Ok(())) => Err(format!("packed {out:02x?}, Python {}", bytes.str())),
        (Some(bytes), _, Err(e)) => {
            Err(format!("{:?}: {e}, Python packs {}", e.kind(), bytes.str()))
        }
        (None, Some(err), got) => {
            let err = err.arr();
            let (exc, msg) = (err[0].str(), err[1].str());
            match got {
                Err(e) if e.kind() == kind_of(exc, msg) && e.message() == msg => Ok(()),
                Err(e) => Err(format!("{:?}: {e}, Python {exc}: {msg}", e.kind())),
                Ok(()) => Err(format!("packed {out:02x?}, Python {exc}: {msg}")),
            }
        }
        _ => panic!("outcome without ok or err: {want:?}"),
    }
}

/// Every pack case against struct.pack's answer: the format inside `T{...}` (struct's
/// messages whatever the prefix) and, under `= < > !`, the bare format, which the codec also
/// gives struct's messages; a bare native format gets memoryview's, checked against the
/// memoryview answer.
#[test]
fn replay_pack_vectors() {
    let Some((path, doc)) = load_vectors() else {
        return;
    };
    let cases = doc.get("pack_cases").expect("pack_cases").arr();
    assert!(cases.len() >= 3000, "expected every code, prefix and value");
    let mut checked: BTreeMap<&str, usize> = BTreeMap::new();
    let mut errors = 0usize;
    let mut failures = Vec::new();
    for case in cases {
        let fmt = case.get("fmt").unwrap().str();
        let value = decode_value(case.get("value").unwrap());
        let oracle = case.get("struct").unwrap();
        errors += usize::from(oracle.get("err").is_some());
        let mut run =
            |what: &'static str, f: &str, v: &Value, want: &Json| match check_pack(f, v, want) {
                Ok(()) => *checked.entry(what).or_default() += 1,
                Err(e) => failures.push(format!("{what} {f:?} <- {v}: {e}")),
            };
        run(
            "struct, as T{...}",
            &format!("T{{{fmt}}}"),
            &Value::Array(vec![value.clone()]),
            oracle,
        );
        if !fmt.starts_with('@') {
            run("struct, bare", fmt, &value, oracle);
        }
        if let Some(mv) = case.get("memoryview") {
            run("memoryview, bare native", fmt, &value, mv);
        }
    }
    eprintln!(
        "{path}: {} pack cases ({errors} struct errors)",
        cases.len()
    );
    for (what, n) in &checked {
        eprintln!("  {what}: {n} agree");
    }
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(checked.get("struct, as T{...}"), Some(&cases.len()));
}
