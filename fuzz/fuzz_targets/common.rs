//! Shared input types of the fuzz targets.
#![allow(dead_code)]

use arbitrary::Arbitrary;
use buffer_runtime::format::{ItemLayout, Node, Value};

/// Formats that reach every code path of the parser, layout and codec; `Fmt::Pick` indexes
/// this list, `Fmt::Raw` tries any string (mostly rejected by the parser, which is a test too).
pub const FORMATS: &[&str] = &[
    "B",
    "b",
    "c",
    "?",
    "h",
    "H",
    "i",
    "I",
    "l",
    "L",
    "q",
    "Q",
    "n",
    "N",
    "f",
    "d",
    "e",
    "g",
    "P",
    "O",
    "Zf",
    "Zd",
    "Zg",
    "s",
    "3s",
    "0s",
    "p",
    "5p",
    "x",
    "3x",
    "u",
    "w",
    "<h",
    ">h",
    "!I",
    "=q",
    "@d",
    "^i",
    "<e",
    ">Zd",
    "2h",
    "(2,3)i",
    "(0)i",
    "(2)<e",
    "T{}",
    "T{B:a:}",
    "T{<H:id:<f:price:}",
    "T{B:a:xH:b:}",
    "T{>H:a: (2)<e:b:}",
    "T{i:x:T{B:y:2x}:s:}",
    "T{(2,2)h:m:3s:t:?:f:}",
    "T{B:a:B:b:}",
    "T{d:re:d:im:}",
    "&B",
    "&T{B:a:}",
    "^T{B:a:i:b:}",
    "T{Zf:z:g:l:}",
    "<T{H:a:>H:b:}",
    "(3)T{B:a:}",
    "T{<u:u:>w:w:}",
    "4c",
    "T{4x}",
];

#[derive(Arbitrary, Debug, Clone)]
pub enum Fmt {
    Pick(u8),
    Raw(String),
}

impl Fmt {
    pub fn text(&self) -> &str {
        match self {
            Fmt::Pick(i) => FORMATS[*i as usize % FORMATS.len()],
            Fmt::Raw(s) => s,
        }
    }
}

/// A mirror of [`Value`] that `arbitrary` can build (depth-limited by `arbitrary` itself,
/// which stops recursing when the input runs out).
#[derive(Arbitrary, Debug, Clone)]
pub enum ArbValue {
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Complex(f64, f64),
    Bytes(Vec<u8>),
    Str(String),
    Pointer(u64),
    Object(u64),
    Array(Vec<ArbValue>),
    Struct(Vec<(Option<String>, ArbValue)>),
}

impl ArbValue {
    pub fn value(&self) -> Value {
        match self {
            ArbValue::Bool(b) => Value::Bool(*b),
            ArbValue::Int(n) => Value::Int(*n),
            ArbValue::UInt(n) => Value::UInt(*n),
            ArbValue::Float(x) => Value::Float(*x),
            ArbValue::Complex(r, i) => Value::Complex(*r, *i),
            ArbValue::Bytes(b) => Value::Bytes(b.clone()),
            ArbValue::Str(s) => Value::Str(s.clone()),
            ArbValue::Pointer(p) => Value::Pointer(*p),
            ArbValue::Object(p) => Value::Object(*p),
            ArbValue::Array(xs) => Value::Array(xs.iter().map(ArbValue::value).collect()),
            ArbValue::Struct(fs) => {
                Value::Struct(fs.iter().map(|(n, v)| (n.clone(), v.value())).collect())
            }
        }
    }
}

/// Structural equality in which NaN equals NaN (of any payload): what an unpack of a packed
/// unpacked value must give back.
pub fn same(a: &Value, b: &Value) -> bool {
    use Value::*;
    let f = |x: f64, y: f64| x == y || (x.is_nan() && y.is_nan());
    match (a, b) {
        (Float(x), Float(y)) => f(*x, *y),
        (Complex(r, i), Complex(s, j)) => f(*r, *s) && f(*i, *j),
        (Array(xs), Array(ys)) => {
            xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| same(x, y))
        }
        (Struct(xs), Struct(ys)) => {
            xs.len() == ys.len()
                && xs
                    .iter()
                    .zip(ys)
                    .all(|((n, x), (m, y))| n == m && same(x, y))
        }
        _ => a == b,
    }
}

/// How many values `tolist` builds for `shape` (lists and items), saturating: a huge
/// dimension before a 0 makes a huge list of empty lists in no bytes at all.
pub fn list_nodes(shape: &[usize]) -> usize {
    let mut lists = 1usize;
    let mut nodes = 0usize;
    for &n in shape {
        lists = lists.saturating_mul(n);
        nodes = nodes.saturating_add(lists);
    }
    nodes
}

/// How many values `unpack` builds for one item of `layout` (the item, its fields, and every
/// list and element of its sub-arrays), saturating: a sub-array of zero-size elements such as
/// `(2001,3,600,3,0)@0B` is ten million lists in no bytes at all - slow to build, not wrong.
pub fn value_nodes(layout: &ItemLayout) -> usize {
    match layout.node() {
        Node::Scalar(_) => 1,
        Node::Array { dims, element } => {
            let elements = dims.iter().fold(1usize, |a, &n| a.saturating_mul(n));
            list_nodes(dims)
                .saturating_add(1)
                .saturating_add(elements.saturating_mul(value_nodes(element)))
        }
        Node::Struct(fields) => fields
            .iter()
            .fold(1usize, |a, f| a.saturating_add(value_nodes(&f.layout))),
    }
}
