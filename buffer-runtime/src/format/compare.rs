//! Layout comparison for typed access: do two formats describe the same bytes?

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use super::layout::{ItemLayout, Leaf, Leaves, Node, Scalar};
use super::{Code, Endian};

/// Whether [`compare`] also requires field names to agree.
///
/// ```
/// use buffer_runtime::format::{compare, parse, MatchNames};
///
/// let a = parse("T{i:x:}").unwrap().layout().unwrap();
/// let b = parse("T{i:y:}").unwrap().layout().unwrap();
/// assert!(compare(&a, &b, MatchNames::Ignore).is_ok());
/// assert!(compare(&a, &b, MatchNames::Require).is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MatchNames {
    /// Names are ignored (Cython's rule).
    Ignore,
    /// Every named field must have the same name, at the same offset, on both sides.
    Require,
}

/// What kind of difference [`compare`] found.
///
/// ```
/// # use buffer_runtime::format::{compare, parse, MatchNames, MismatchKind};
/// let a = parse("i").unwrap().layout().unwrap();
/// let b = parse("ix").unwrap().layout().unwrap();
/// assert_eq!(compare(&a, &b, MatchNames::Ignore).unwrap_err().kind, MismatchKind::ItemSize);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MismatchKind {
    /// A scalar differs in type, size or byte order, lies at another offset, or is missing.
    Field,
    /// Every scalar agrees but the item sizes differ.
    ItemSize,
    /// A field name differs (only with [`MatchNames::Require`]).
    Name,
}

/// Why two layouts differ, worded like Cython's buffer check:
/// `Buffer dtype mismatch, expected 'd' but got 'f' at offset 8`.
///
/// ```
/// use buffer_runtime::format::{compare, parse, MatchNames};
///
/// let want = parse("T{<i:a:4x<d:b:}").unwrap().layout().unwrap();
/// let got = parse("T{<i:a:4x<f:b:}").unwrap().layout().unwrap();
/// let e = compare(&want, &got, MatchNames::Ignore).unwrap_err();
/// assert_eq!(e.to_string(), "Buffer dtype mismatch, expected '<d' but got '<f' at offset 8");
/// assert_eq!((e.expected.as_str(), e.found.as_str(), e.offset), ("<d", "<f", 8));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeMismatch {
    /// What kind of difference.
    pub kind: MismatchKind,
    /// The expected scalar's format (`"d"`, `"<i"`), `"end of item"`, the expected item size,
    /// or the expected field name.
    pub expected: String,
    /// What the buffer has there, in the same terms.
    pub found: String,
    /// The offset of the expected scalar or field (the expected item size for
    /// [`MismatchKind::ItemSize`]).
    pub offset: usize,
    /// The offset of what was found instead (differs from `offset` when a field moved).
    pub found_offset: usize,
}

impl fmt::Display for TypeMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            MismatchKind::ItemSize => write!(
                f,
                "Item size of buffer ({} bytes) does not match the expected item size ({} bytes)",
                self.found, self.expected
            ),
            MismatchKind::Name if self.expected != END && self.found != END => {
                if self.offset == self.found_offset {
                    write!(
                        f,
                        "Buffer dtype mismatch, expected field '{}' but got '{}' at offset {}",
                        self.expected, self.found, self.offset
                    )
                } else {
                    write!(
                        f,
                        "Buffer dtype mismatch, expected field '{}' at offset {} but got '{}' at offset {}",
                        self.expected, self.offset, self.found, self.found_offset
                    )
                }
            }
            // One side has a named field the other lacks: name the field where it is (the
            // other side's offset is only its item size).
            MismatchKind::Name => {
                if self.expected == END {
                    write!(
                        f,
                        "Buffer dtype mismatch, expected no more named fields but got field '{}' at offset {}",
                        self.found, self.found_offset
                    )
                } else {
                    write!(
                        f,
                        "Buffer dtype mismatch, expected field '{}' at offset {} but got no more named fields",
                        self.expected, self.offset
                    )
                }
            }
            MismatchKind::Field => {
                let q = |s: &str| {
                    if s == END {
                        String::from(END)
                    } else {
                        format!("'{s}'")
                    }
                };
                if self.offset == self.found_offset {
                    write!(
                        f,
                        "Buffer dtype mismatch, expected {} but got {} at offset {}",
                        q(&self.expected),
                        q(&self.found),
                        self.offset
                    )
                } else {
                    write!(
                        f,
                        "Buffer dtype mismatch, expected {} at offset {} but got {} at offset {}",
                        q(&self.expected),
                        self.offset,
                        q(&self.found),
                        self.found_offset
                    )
                }
            }
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for TypeMismatch {}

const END: &str = "end of item";

/// The type of one scalar as Cython compares it: group, size, and byte order where it
/// matters.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Key {
    group: u8,
    size: usize,
    endian: Option<Endian>,
}

fn key(s: &Scalar, unit: usize) -> Key {
    let group = match s.code {
        Code::Bool => 0,
        Code::SChar | Code::Short | Code::Int | Code::Long | Code::LongLong | Code::SSize => 1,
        Code::UChar | Code::UShort | Code::UInt | Code::ULong | Code::ULongLong | Code::Size => 2,
        Code::Half | Code::Float | Code::Double | Code::LongDouble => 3,
        Code::ComplexFloat | Code::ComplexDouble | Code::ComplexLongDouble => 4,
        Code::Char => 5,
        Code::Bytes => 6,
        Code::Pascal => 7,
        Code::Ucs2 => 8,
        Code::Ucs4 => 9,
        Code::VoidPtr | Code::Ref => 10,
        Code::Object => 11,
        Code::Bit => 12,
        Code::Pad => 13,
    };
    // Byte order matters for multi-byte units; a complex's halves are what get swapped.
    let swap_unit = match s.code {
        Code::ComplexFloat | Code::ComplexDouble | Code::ComplexLongDouble => unit / 2,
        _ => unit,
    };
    Key {
        group,
        size: if s.code == Code::Bit { s.len } else { unit },
        endian: (swap_unit > 1 && s.code != Code::Bit).then_some(s.endian),
    }
}

/// A run split into comparable units: strings become runs of characters, so `4s` equals
/// `ssss` and `(2)2s`.
#[derive(Clone, Copy)]
struct Run {
    leaf: Leaf,
    key: Key,
    offset: usize,
    count: usize,
    stride: usize,
}

fn run(leaf: Leaf) -> Run {
    let s = leaf.scalar;
    let per_char = matches!(s.code, Code::Bytes | Code::Ucs2 | Code::Ucs4);
    if per_char && s.len > 0 && leaf.stride == s.size {
        let unit = s.size / s.len;
        Run {
            leaf,
            key: key(&s, unit),
            offset: leaf.offset,
            count: leaf.count * s.len,
            stride: unit,
        }
    } else {
        Run {
            leaf,
            key: key(&s, s.size),
            offset: leaf.offset,
            count: leaf.count,
            stride: leaf.stride,
        }
    }
}

struct Cursor<'a> {
    leaves: Leaves<'a>,
    cur: Option<Run>,
    done: usize,
}

impl Cursor<'_> {
    fn new(l: &ItemLayout) -> Cursor<'_> {
        let mut c = Cursor {
            leaves: l.leaves(),
            cur: None,
            done: 0,
        };
        c.fill();
        c
    }

    /// Moves to the next non-empty run when the current one is used up.
    fn fill(&mut self) {
        while self.cur.is_none_or(|r| self.done >= r.count) {
            self.done = 0;
            match self.leaves.next() {
                Some(l) => self.cur = Some(run(l)),
                None => {
                    self.cur = None;
                    return;
                }
            }
        }
    }

    fn offset(&self) -> usize {
        self.cur.map_or(0, |r| r.offset + self.done * r.stride)
    }

    fn advance(&mut self, n: usize) {
        self.done += n;
        self.fill();
    }
}

fn describe(r: &Run) -> String {
    r.leaf.scalar.format()
}

/// Checks that `found` (a buffer's item layout) describes the same bytes as `expected` (e.g.
/// a Rust element's): the same scalars — by kind (signed, unsigned, float, ...), size and
/// byte order — at the same offsets, and the same item size. Formats are not compared as
/// strings: `<i`, `=i` and `i` agree on a little-endian host, `l` and `q` on LP64, `2i` and
/// `ii`, `4s` and `ssss`; padding is only counted in the item size.
///
/// Cost: the walk stops at the first difference or at the end of the shorter side; runs of
/// one scalar with the same stride on both sides are stepped over at once, but a sub-array of
/// structs is walked element by element. Comparing a Rust type's layout (as typed access
/// does) is therefore bounded by that type's own scalar count; comparing two arbitrary
/// layouts with huge repeated structs (`(1000000000)T{h:a:b:b:}` on both sides) takes time
/// proportional to the repeat count.
///
/// ```
/// use buffer_runtime::format::{compare, parse, MatchNames};
///
/// let l = |s| parse(s).unwrap().layout().unwrap();
/// assert!(compare(&l("<i"), &l("=i"), MatchNames::Ignore).is_ok() == cfg!(target_endian = "little"));
/// assert!(compare(&l("T{q:a:2h:b:4x}"), &l("T{<q:x:h:y:h:z:4x}"), MatchNames::Ignore).is_ok() == cfg!(target_endian = "little"));
/// let e = compare(&l("<h"), &l(">h"), MatchNames::Ignore).unwrap_err();
/// assert_eq!(e.to_string(), "Buffer dtype mismatch, expected '<h' but got '>h' at offset 0");
/// ```
pub fn compare(
    expected: &ItemLayout,
    found: &ItemLayout,
    names: MatchNames,
) -> Result<(), TypeMismatch> {
    let mut a = Cursor::new(expected);
    let mut b = Cursor::new(found);
    loop {
        match (a.cur, b.cur) {
            (None, None) => break,
            (ra, rb) => {
                let (oa, ob) = (a.offset(), b.offset());
                let same = matches!((ra, rb), (Some(x), Some(y)) if x.key == y.key && oa == ob);
                if !same {
                    return Err(TypeMismatch {
                        kind: MismatchKind::Field,
                        expected: ra.as_ref().map_or(String::from(END), describe),
                        found: rb.as_ref().map_or(String::from(END), describe),
                        offset: if ra.is_some() { oa } else { expected.size() },
                        found_offset: if rb.is_some() { ob } else { found.size() },
                    });
                }
                let (x, y) = (ra.expect("checked"), rb.expect("checked"));
                let n = if x.stride == y.stride {
                    (x.count - a.done).min(y.count - b.done)
                } else {
                    1
                };
                a.advance(n);
                b.advance(n);
            }
        }
    }
    if expected.size() != found.size() {
        return Err(TypeMismatch {
            kind: MismatchKind::ItemSize,
            expected: format!("{}", expected.size()),
            found: format!("{}", found.size()),
            offset: expected.size(),
            found_offset: found.size(),
        });
    }
    if names == MatchNames::Require {
        let (na, nb) = (named(expected), named(found));
        for i in 0..na.len().max(nb.len()) {
            let (x, y) = (na.get(i), nb.get(i));
            if x != y {
                return Err(TypeMismatch {
                    kind: MismatchKind::Name,
                    expected: x.map_or(String::from(END), |f| f.1.clone()),
                    found: y.map_or(String::from(END), |f| f.1.clone()),
                    offset: x.map_or(expected.size(), |f| f.0),
                    found_offset: y.map_or(found.size(), |f| f.0),
                });
            }
        }
    }
    Ok(())
}

/// Every named field as (offset, dotted path), in order (a sub-array of structs contributes
/// its first element's names).
fn named(l: &ItemLayout) -> Vec<(usize, String)> {
    fn walk(node: &Node, base: usize, path: &str, out: &mut Vec<(usize, String)>) {
        match node {
            Node::Scalar(_) => {}
            Node::Array { element, .. } => walk(element.node(), base, path, out),
            Node::Struct(fields) => {
                for f in fields {
                    let p = match &f.name {
                        Some(n) if path.is_empty() => n.clone(),
                        Some(n) => format!("{path}.{n}"),
                        None => String::from(path),
                    };
                    if f.name.is_some() {
                        out.push((base + f.offset, p.clone()));
                    }
                    walk(f.layout.node(), base + f.offset, &p, out);
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(l.node(), 0, "", &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::parse;
    use alloc::string::ToString;

    fn l(s: &str) -> ItemLayout {
        parse(s).unwrap().layout().unwrap()
    }

    fn same(a: &str, b: &str) -> bool {
        compare(&l(a), &l(b), MatchNames::Ignore).is_ok()
    }

    fn msg(a: &str, b: &str) -> String {
        compare(&l(a), &l(b), MatchNames::Ignore)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn equivalent_spellings() {
        let le = cfg!(target_endian = "little");
        assert_eq!(same("i", "<i"), le);
        assert_eq!(same("i", ">i"), !le);
        assert!(same("i", "=i"));
        assert!(same("i", "^i"));
        assert!(same("!i", ">i"));
        assert!(same("<b", ">b")); // one byte: no byte order
        if core::mem::size_of::<core::ffi::c_long>() == 8 {
            assert!(same("l", "q"));
            assert!(same("L", "N"));
        }
        assert!(same("ii", "2i"));
        assert!(same("(2,2)i", "4i"));
        assert!(same("4s", "ssss"));
        assert!(same("2s2s", "4s"));
        assert!(same("T{i:a:i:b:}", "2i"));
        assert!(same("T{c:a:xi:b:}", "ci")); // explicit padding = alignment
        assert!(same("0i", ""));
        assert!(!same("i", "I"));
        assert!(!same("h", "e"));
        assert!(!same("c", "b"));
        assert!(!same("?", "B"));
        assert!(!same("P", "Q"));
        assert!(!same("4s", "4p"));
    }

    #[test]
    fn messages() {
        assert_eq!(
            msg("T{i:a:4xd:b:}", "T{i:a:4xf:b:4x}"),
            "Buffer dtype mismatch, expected 'd' but got 'f' at offset 8"
        );
        assert_eq!(
            msg("T{c:a:i:b:}", "T{c:a:^i:b:}"),
            "Buffer dtype mismatch, expected 'i' at offset 4 but got '^i' at offset 1"
        );
        assert_eq!(
            msg("ii", "i"),
            "Buffer dtype mismatch, expected 'i' but got end of item at offset 4"
        );
        assert_eq!(
            msg("i", "ii"),
            "Buffer dtype mismatch, expected end of item but got 'i' at offset 4"
        );
        assert_eq!(
            msg("i", "ix"),
            "Item size of buffer (5 bytes) does not match the expected item size (4 bytes)"
        );
        let e = compare(&l("T{i:a:}"), &l("T{i:b:}"), MatchNames::Require).unwrap_err();
        assert_eq!(e.kind, MismatchKind::Name);
        assert_eq!(
            e.to_string(),
            "Buffer dtype mismatch, expected field 'a' but got 'b' at offset 0"
        );
        // A named padding field the expected side lacks (numpy's `("_pad", "V2")`): named
        // where it starts, not at the item size.
        let e = compare(
            &l("T{<d:x:<i:y:<H:z:2x}"),
            &l("T{<d:x:<i:y:<H:z:2x:_pad:}"),
            MatchNames::Require,
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "Buffer dtype mismatch, expected no more named fields but got field '_pad' at offset 14"
        );
        let e = compare(&l("T{i:a:4x:p:}"), &l("T{i:a:4x}"), MatchNames::Require).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Buffer dtype mismatch, expected field 'p' at offset 4 but got no more named fields"
        );
        let e = compare(&l("T{i:a:i:b:}"), &l("T{i:a:i:c:}"), MatchNames::Require).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Buffer dtype mismatch, expected field 'b' but got 'c' at offset 4"
        );
        assert!(compare(
            &l("T{T{i:x:}:p:}"),
            &l("T{T{i:x:}:p:}"),
            MatchNames::Require
        )
        .is_ok());
    }

    #[test]
    fn huge_arrays_compare_in_runs() {
        assert!(same("(1000000000)B", "(1000,1000000)B"));
        assert_eq!(
            msg("(1000000000)B", "(999999999)Bb"),
            "Buffer dtype mismatch, expected 'B' but got 'b' at offset 999999999"
        );
    }
}
