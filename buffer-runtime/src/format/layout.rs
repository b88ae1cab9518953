//! Layout: where every field of an item lies, under `struct`'s rules at the top level and
//! numpy's inside `T{}` (see the [module docs](super#layout-struct-semantics-numpy-semantics)).

use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;
use core::fmt;

use crate::geometry::product;

use super::code::{native_size_align, standard_size};
use super::value::Names;
use super::{Code, Endian, Format, FormatError, Item, Kind, Prefix};

/// One scalar of a layout: a code with its resolved size and byte order.
///
/// ```
/// use buffer_runtime::format::{parse, Code, Endian};
///
/// let l = parse(">4s").unwrap().layout().unwrap();
/// let s = l.scalar().unwrap();
/// assert_eq!((s.code, s.size, s.len, s.endian), (Code::Bytes, 4, 4, Endian::Big));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Scalar {
    /// The code (`Code::Ref` for a `&` pointer).
    pub code: Code,
    /// The prefix it was written under.
    pub prefix: Prefix,
    /// Its byte order on this target.
    pub endian: Endian,
    /// Its size in bytes (a `4s` is one 4-byte scalar; `Zd` is 16 bytes).
    pub size: usize,
    /// The length for `s p u w` (characters), `x` (bytes) and `t` (bits); 1 otherwise.
    pub len: usize,
}

impl Scalar {
    /// The scalar as a standalone format string (`"<d"`, `"4s"`, `"^i"`).
    ///
    /// ```
    /// # use buffer_runtime::format::parse;
    /// let l = parse("=Zf").unwrap().layout().unwrap();
    /// assert_eq!(l.scalar().unwrap().format(), "=Zf");
    /// ```
    pub fn format(&self) -> String {
        let p = if self.prefix == Prefix::Native {
            String::new()
        } else {
            String::from(self.prefix.as_char())
        };
        if self.code.count_is_length() && self.len != 1 {
            format!("{p}{}{}", self.len, self.code.as_str())
        } else {
            format!("{p}{}", self.code.as_str())
        }
    }
}

/// The shape of an item or field in a layout.
///
/// ```
/// use buffer_runtime::format::{parse, Node};
///
/// let l = parse("(2,3)h").unwrap().layout().unwrap();
/// let Node::Array { dims, element } = l.node() else { panic!() };
/// assert_eq!((dims.as_slice(), element.size()), (&[2, 3][..], 2));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    /// One scalar at offset 0.
    Scalar(Scalar),
    /// A C-ordered sub-array: `dims` elements of `element.size()` bytes each.
    Array {
        /// The sub-array shape (a count is its last dimension: `(2)3i` has dims `[2, 3]`).
        dims: Vec<usize>,
        /// One element.
        element: Box<ItemLayout>,
    },
    /// Fields at offsets (unnamed `x` padding is not a field).
    Struct(Vec<FieldLayout>),
}

/// The layout of one item: its size, alignment, and the tree of its fields.
///
/// ```
/// use buffer_runtime::format::parse;
///
/// let l = parse("T{b:tag: d:val:}").unwrap().layout().unwrap();
/// assert_eq!((l.size(), l.align()), (16, 8));
/// assert_eq!(l.field("val").unwrap().offset, 8);
/// assert_eq!(parse("ic").unwrap().layout().unwrap().size(), 5); // struct.calcsize
/// assert_eq!(parse("T{ic}").unwrap().layout().unwrap().size(), 8); // numpy
/// ```
#[derive(Clone)]
pub struct ItemLayout {
    size: usize,
    align: usize,
    node: Node,
    /// Whether any data-carrying scalar lies in the item (see [`ItemLayout::leaves`]): lets
    /// the leaves skip a huge sub-array of padding-only structs at once.
    data: bool,
    /// The names of the fields of a `Node::Struct` (`None` for other nodes and for structs
    /// without names), made once here and shared by every value [`unpack`](super::unpack)
    /// gives. Derived from `node`, so left out of equality and `Debug`.
    names: Option<Arc<Names>>,
}

impl PartialEq for ItemLayout {
    fn eq(&self, other: &ItemLayout) -> bool {
        (self.size, self.align, &self.node, self.data)
            == (other.size, other.align, &other.node, other.data)
    }
}

impl Eq for ItemLayout {}

impl fmt::Debug for ItemLayout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ItemLayout")
            .field("size", &self.size)
            .field("align", &self.align)
            .field("node", &self.node)
            .field("data", &self.data)
            .finish()
    }
}

/// A field of a struct layout.
///
/// ```
/// use buffer_runtime::format::parse;
///
/// let l = parse("T{c:a: (2)>h:b:}").unwrap().layout().unwrap();
/// let b = l.field("b").unwrap();
/// assert_eq!((b.offset, b.layout.size()), (1, 4));
/// assert_eq!(b.format.to_string(), "(2)>h");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldLayout {
    /// Its name, if the format gave one.
    pub name: Option<String>,
    /// Its offset from the start of the enclosing item.
    pub offset: usize,
    /// Its own layout (offsets inside are relative to the field).
    pub layout: ItemLayout,
    /// The field alone as a format (no name), e.g. for a view of this field.
    pub format: Format,
}

impl ItemLayout {
    fn new(size: usize, align: usize, node: Node) -> ItemLayout {
        let data = match &node {
            Node::Scalar(s) => s.code != Code::Pad && s.size > 0,
            Node::Array { dims, element } => element.data && product(dims) > 0,
            Node::Struct(fields) => fields.iter().any(|f| f.layout.data),
        };
        let names = match &node {
            Node::Struct(fields) => Names::new(fields.iter().map(|f| f.name.as_deref())),
            _ => None,
        };
        ItemLayout {
            size,
            align,
            node,
            data,
            names,
        }
    }

    /// The shared table of the field names of a struct node (see [`Fields`](super::Fields)).
    pub(crate) fn names(&self) -> Option<&Arc<Names>> {
        self.names.as_ref()
    }

    /// The item size in bytes.
    ///
    /// ```
    /// # use buffer_runtime::format::parse;
    /// assert_eq!(parse("ci").unwrap().layout().unwrap().size(), 8);
    /// ```
    pub fn size(&self) -> usize {
        self.size
    }

    /// The alignment in bytes: the least common multiple of the alignments of the fields under
    /// `@`; 1 when no field is under `@`.
    ///
    /// ```
    /// # use buffer_runtime::format::parse;
    /// assert_eq!(parse("<q").unwrap().layout().unwrap().align(), 1);
    /// assert_eq!(parse("q").unwrap().layout().unwrap().align(), core::mem::align_of::<i64>());
    /// ```
    pub fn align(&self) -> usize {
        self.align
    }

    /// The tree of the item.
    ///
    /// ```
    /// # use buffer_runtime::format::{parse, Node};
    /// assert!(matches!(parse("i:x:").unwrap().layout().unwrap().node(), Node::Struct(_)));
    /// ```
    pub fn node(&self) -> &Node {
        &self.node
    }

    /// The scalar, when the whole item is one scalar at offset 0 (`"d"`, `"<H"`, `"4s"`).
    ///
    /// ```
    /// # use buffer_runtime::format::{parse, Code};
    /// assert_eq!(parse("@H").unwrap().layout().unwrap().scalar().unwrap().code, Code::UShort);
    /// assert!(parse("2H").unwrap().layout().unwrap().scalar().is_none());
    /// ```
    pub fn scalar(&self) -> Option<&Scalar> {
        match &self.node {
            Node::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The fields of a struct item (empty for a scalar or an array).
    ///
    /// ```
    /// # use buffer_runtime::format::parse;
    /// let l = parse("hxh").unwrap().layout().unwrap();
    /// let offsets: Vec<usize> = l.fields().iter().map(|f| f.offset).collect();
    /// assert_eq!(offsets, [0, 4]);
    /// ```
    pub fn fields(&self) -> &[FieldLayout] {
        match &self.node {
            Node::Struct(f) => f,
            _ => &[],
        }
    }

    /// The field called `name`, if any.
    ///
    /// ```
    /// # use buffer_runtime::format::parse;
    /// let l = parse("T{i:a:}").unwrap().layout().unwrap();
    /// assert!(l.field("a").is_some() && l.field("b").is_none());
    /// ```
    pub fn field(&self, name: &str) -> Option<&FieldLayout> {
        self.fields()
            .iter()
            .find(|f| f.name.as_deref() == Some(name))
    }

    /// Every data-carrying scalar in offset order, as runs of equal scalars (padding and
    /// zero-size scalars such as `0s` are skipped): a flat list to loop over, computed lazily
    /// so a huge sub-array of scalars is one run. What [`compare`](super::compare) walks.
    pub(crate) fn leaves(&self) -> Leaves<'_> {
        Leaves {
            stack: vec![Frame::Node(&self.node, 0)],
        }
    }
}

/// A run of scalars in a layout: `count` scalars, `stride` bytes apart, from `offset`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Leaf {
    /// The offset of the first scalar from the start of the item.
    pub offset: usize,
    /// The scalar.
    pub scalar: Scalar,
    /// How many scalars (0 for an empty sub-array).
    pub count: usize,
    /// The distance in bytes between consecutive scalars.
    pub stride: usize,
}

enum Frame<'a> {
    Node(&'a Node, usize),
    Fields(&'a [FieldLayout], usize),
    Repeat {
        element: &'a ItemLayout,
        base: usize,
        next: usize,
        n: usize,
    },
}

/// The iterator of [`ItemLayout::leaves`].
pub(crate) struct Leaves<'a> {
    stack: Vec<Frame<'a>>,
}

impl<'a> Iterator for Leaves<'a> {
    type Item = Leaf;

    fn next(&mut self) -> Option<Leaf> {
        while let Some(frame) = self.stack.pop() {
            match frame {
                Frame::Node(Node::Scalar(s), base) => {
                    if s.code != Code::Pad && s.size > 0 {
                        return Some(Leaf {
                            offset: base,
                            scalar: *s,
                            count: 1,
                            stride: s.size,
                        });
                    }
                }
                Frame::Node(Node::Array { dims, element }, base) => {
                    let n = product(dims);
                    match &element.node {
                        Node::Scalar(s) => {
                            if s.code != Code::Pad && s.size > 0 && n > 0 {
                                return Some(Leaf {
                                    offset: base,
                                    scalar: *s,
                                    count: n,
                                    stride: element.size,
                                });
                            }
                        }
                        // Elements without data (zero-size, or only padding) hold no
                        // scalars: skip them however many.
                        _ if !element.data => {}
                        _ => self.stack.push(Frame::Repeat {
                            element,
                            base,
                            next: 0,
                            n,
                        }),
                    }
                }
                Frame::Node(Node::Struct(fields), base) => {
                    self.stack.push(Frame::Fields(fields, base));
                }
                Frame::Fields(fields, base) => {
                    if let Some((first, rest)) = fields.split_first() {
                        self.stack.push(Frame::Fields(rest, base));
                        self.stack
                            .push(Frame::Node(&first.layout.node, base + first.offset));
                    }
                }
                Frame::Repeat {
                    element,
                    base,
                    next,
                    n,
                } => {
                    if next < n {
                        self.stack.push(Frame::Repeat {
                            element,
                            base,
                            next: next + 1,
                            n,
                        });
                        self.stack
                            .push(Frame::Node(&element.node, base + next * element.size));
                    }
                }
            }
        }
        None
    }
}

fn overflow() -> FormatError {
    FormatError::layout("the item size overflows isize::MAX")
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

fn lcm(a: usize, b: usize) -> Result<usize, FormatError> {
    if a.is_power_of_two() && b.is_power_of_two() {
        // Every native alignment is a power of two: no division needed.
        return Ok(a.max(b));
    }
    (a / gcd(a, b)).checked_mul(b).ok_or_else(overflow)
}

/// The bytes to add to `n` to reach a multiple of `a` (`a > 0`), without a division for the
/// usual power-of-two `a`.
fn pad_to(n: usize, a: usize) -> usize {
    if a.is_power_of_two() {
        n.wrapping_neg() & (a - 1)
    } else {
        (a - n % a) % a
    }
}

fn add(a: usize, b: usize) -> Result<usize, FormatError> {
    a.checked_add(b)
        .filter(|&n| n <= isize::MAX as usize)
        .ok_or_else(overflow)
}

fn mul(a: usize, b: usize) -> Result<usize, FormatError> {
    a.checked_mul(b)
        .filter(|&n| n <= isize::MAX as usize)
        .ok_or_else(overflow)
}

/// The prefix in force after `item` (its last prefix in string order).
fn last_prefix(item: &Item) -> Prefix {
    match &item.kind {
        Kind::Code(_) => item.prefix,
        Kind::Struct(items) => items.last().map_or(item.prefix, last_prefix),
        Kind::Pointer(t) => last_prefix(t),
    }
}

/// The layout of one unit of `item` (before its count and shape repeat it), and whether
/// it is padding.
/// With `build` false only sizes and alignments are computed (see [`sequence`]).
fn unit(item: &Item, build: bool) -> Result<(ItemLayout, bool), FormatError> {
    match &item.kind {
        Kind::Struct(items) => {
            let close = last_prefix(item);
            let (size, align, node) = sequence(items, close.aligns(), build)?;
            Ok((ItemLayout::new(size, align, node), false))
        }
        Kind::Pointer(_) | Kind::Code(_) => {
            let code = match &item.kind {
                Kind::Code(c) => *c,
                _ => Code::Ref,
            };
            let (native, native_align) = native_size_align(code);
            let one = if item.prefix.native_sizes() {
                native
            } else {
                standard_size(code).ok_or_else(|| {
                    FormatError::layout(format!(
                        "'{}' has no standard size: expected '@' or '^' in force, found '{}'",
                        code.as_str(),
                        item.prefix.as_char()
                    ))
                })?
            };
            let align = if item.prefix.aligns() {
                native_align
            } else {
                1
            };
            let (size, len) = match code {
                Code::Bit => (item.count.div_ceil(8), item.count),
                c if c.count_is_length() => (mul(one, item.count)?, item.count),
                _ => (one, 1),
            };
            let scalar = Scalar {
                code,
                prefix: item.prefix,
                endian: item.prefix.endian(),
                size,
                len,
            };
            Ok((
                ItemLayout::new(size, align, Node::Scalar(scalar)),
                code == Code::Pad,
            ))
        }
    }
}

/// Lays out a sequence of items: a struct's (`pad_end`: numpy's trailing padding when `@` is
/// in force at its `}`) or the top level's (no trailing padding, as `struct`).
///
/// With `build` false, the same arithmetic (so the same size, alignment and errors) without
/// the tree: no fields, no sub-array nodes, nothing allocated ([`Format::check_layout`]).
fn sequence(
    items: &[Item],
    pad_end: bool,
    build: bool,
) -> Result<(usize, usize, Node), FormatError> {
    let mut offset = 0usize;
    let mut common = 1usize;
    let mut fields = Vec::new();
    for item in items {
        let (mut element, padding) = unit(item, build)?;
        let repeats = !matches!(item.kind, Kind::Code(c) if c.count_is_length());
        let count = if repeats && item.count != 1 {
            Some(item.count)
        } else {
            None
        };
        let mut n = 1usize;
        for &d in item.shape.iter().chain(count.as_ref()) {
            n = mul(n, d)?;
        }
        let has_dims = !item.shape.is_empty() || count.is_some();
        // numpy aligns an item when `@` is in force after it (for a struct: at its `}`).
        let aligned = match &item.kind {
            Kind::Struct(_) => last_prefix(item).aligns(),
            _ => item.prefix.aligns(),
        };
        let mut extra = 0;
        if aligned {
            let a = element.align;
            offset = add(offset, pad_to(offset, a))?;
            let intra = pad_to(element.size, a);
            if intra != 0 {
                // numpy pads the element itself when it repeats (a count or a shape of more
                // than one), and otherwise only the space after it. (Every native size is a
                // multiple of its alignment and every `@` struct is padded at its end, so
                // `intra` is 0 in practice; this keeps the rule exact all the same.)
                let shape_n = item.shape.iter().try_fold(1usize, |a, &d| a.checked_mul(d));
                let count_n = if repeats { item.count } else { 1 };
                if count_n > 1 || shape_n.is_none_or(|p| p > 1) {
                    element.size = add(element.size, intra)?;
                } else {
                    extra = intra;
                }
            }
            common = lcm(common, a)?;
        }
        let layout = if !has_dims {
            element
        } else if !build {
            ItemLayout::new(mul(element.size, n)?, element.align, element.node)
        } else {
            let mut dims = item.shape.clone();
            dims.extend(count);
            ItemLayout::new(
                mul(element.size, n)?,
                element.align,
                Node::Array {
                    dims,
                    element: Box::new(element),
                },
            )
        };
        let size = layout.size;
        if build && !(padding && item.name.is_none()) {
            let mut alone = item.clone();
            alone.name = None;
            fields.push(FieldLayout {
                name: item.name.clone(),
                offset,
                layout,
                format: Format { items: vec![alone] },
            });
        }
        offset = add(add(offset, size)?, extra)?;
    }
    if pad_end {
        offset = add(offset, pad_to(offset, common))?;
    }
    Ok((offset, common, Node::Struct(fields)))
}

impl Format {
    /// The item size and alignment of [`layout`](Self::layout), with the same errors, without
    /// building the tree of fields (what [`parse`](super::parse) needs to reject a format).
    ///
    /// ```
    /// use buffer_runtime::format::parse;
    ///
    /// let f = parse("T{b:tag: (2)d:val:}").unwrap();
    /// let l = f.layout().unwrap();
    /// assert_eq!(f.check_layout().unwrap(), (l.size(), l.align()));
    /// ```
    pub fn check_layout(&self) -> Result<(usize, usize), FormatError> {
        let (size, align, _) = sequence(&self.items, false, false)?;
        Ok((size, align))
    }

    /// Computes the item size, alignment and every field's offset (see the
    /// [module docs](super#layout-struct-semantics-numpy-semantics) for the rules).
    ///
    /// A format that is one unnamed item at offset 0 filling the whole item (`"d"`, `"4s"`,
    /// `"(2,3)h"`, `"T{...}"`) has that item's node as its root; anything else is a
    /// [`Node::Struct`] of its top-level items.
    ///
    /// ```
    /// use buffer_runtime::format::{parse, Node};
    ///
    /// let l = parse("<hq").unwrap().layout().unwrap();
    /// assert_eq!(l.size(), 10);
    /// let offsets: Vec<usize> = l.fields().iter().map(|f| f.offset).collect();
    /// assert_eq!(offsets, [0, 2]);
    /// assert!(matches!(parse("d").unwrap().layout().unwrap().node(), Node::Scalar(_)));
    /// ```
    pub fn layout(&self) -> Result<ItemLayout, FormatError> {
        let (size, align, node) = sequence(&self.items, false, true)?;
        Ok(match node {
            Node::Struct(mut fields)
                if fields.len() == 1
                    && fields[0].name.is_none()
                    && fields[0].offset == 0
                    && fields[0].layout.size == size =>
            {
                match fields.pop() {
                    // The field's node and its table of names, if a struct.
                    Some(only) => ItemLayout {
                        size,
                        align,
                        ..only.layout
                    },
                    None => ItemLayout::new(size, align, Node::Struct(fields)),
                }
            }
            node => ItemLayout::new(size, align, node),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::parse;
    use alloc::string::ToString;
    use core::ffi::{c_long, c_longlong};
    use core::mem::{align_of, size_of};

    fn size(s: &str) -> usize {
        parse(s).unwrap().layout().unwrap().size()
    }

    fn offsets(s: &str) -> Vec<usize> {
        parse(s)
            .unwrap()
            .layout()
            .unwrap()
            .fields()
            .iter()
            .map(|f| f.offset)
            .collect()
    }

    #[test]
    fn struct_module_sizes() {
        assert_eq!(size("ic"), 5);
        assert_eq!(size("ci"), 8);
        assert_eq!(size("c0i"), 4);
        assert_eq!(size("<ci"), 5);
        assert_eq!(size("^ci"), 5);
        assert_eq!(size(""), 0);
        assert_eq!(size("4s"), 4);
        assert_eq!(size("4x"), 4);
        assert_eq!(size("<l"), 4);
        assert_eq!(size("l"), size_of::<c_long>());
        assert_eq!(size("=e?Zd"), 19);
        assert_eq!(size("4w"), 16);
        assert_eq!(size("3u"), 6);
        assert_eq!(size("9t"), 2);
        assert_eq!(size("<O"), size_of::<usize>());
        assert_eq!(size("bq"), 8 + align_of::<c_longlong>());
    }

    #[test]
    fn numpy_struct_semantics() {
        assert_eq!(size("T{ic}"), 8);
        assert_eq!(size("T{ci}"), 8);
        assert_eq!(size("T{i<c}"), 5); // `<` in force at `}`: no trailing padding
        assert_eq!(size("cT{i<c}"), 6); // ... nor alignment of the struct itself
        assert_eq!(size("cT{ic}"), 12);
        assert_eq!(size("T{}"), 0);
        assert_eq!(size("2T{ic}"), 16);
        // A single unnamed struct is the root: its fields are the item's fields.
        assert_eq!(offsets("T{c:a:i:b:}"), [0, 4]);
        assert_eq!(offsets("T{c:a:i:b:}:s:"), [0]);
        assert_eq!(offsets("cxi"), [0, 4]);
        assert_eq!(offsets("cx:pad:i"), [0, 1, 4]);
    }

    #[test]
    fn arrays() {
        let l = parse("(2,3)4h").unwrap().layout().unwrap();
        assert_eq!(l.size(), 48);
        let Node::Array { dims, element } = l.node() else {
            panic!()
        };
        assert_eq!(dims, &[2, 3, 4]);
        assert_eq!(element.size(), 2);
        assert_eq!(size("(0)i"), 0);
        assert!(parse("(4294967296,4294967296)Q").is_err());
    }

    #[test]
    fn leaves_are_runs_of_data_scalars() {
        let l = parse("T{(3)h:a: x d:b:}").unwrap().layout().unwrap();
        let runs: Vec<_> = l
            .leaves()
            .map(|r| (r.offset, r.scalar.code, r.count, r.stride))
            .collect();
        assert_eq!(runs, [(0, Code::Short, 3, 2), (8, Code::Double, 1, 8)]);
        let l = parse("(2)T{b:a:>H:b:}").unwrap().layout().unwrap();
        let offsets: Vec<usize> = l.leaves().map(|r| r.offset).collect();
        assert_eq!(offsets, [0, 1, 3, 4]);
        let run = parse("4f")
            .unwrap()
            .layout()
            .unwrap()
            .leaves()
            .next()
            .unwrap();
        assert_eq!(
            (run.offset, run.count, run.stride, run.scalar.size),
            (0, 4, 4, 4)
        );
    }

    /// format_roundtrip (timeout): the leaves of `222222222220T{x:a:}` - 222 billion one-byte
    /// structs holding only padding - were walked element by element (hours). Elements without
    /// data are now skipped at once, so the scalar after them is found immediately.
    #[test]
    fn leaves_skip_huge_padding_only_sub_arrays() {
        let text = "B\nL!5T{}LT{}BOBB222222222220T{x:a:}\r";
        let layout = parse(text).unwrap().layout().unwrap();
        let runs: Vec<(usize, Code)> = layout
            .leaves()
            .take(4096)
            .map(|r| (r.offset, r.scalar.code))
            .collect();
        let codes: Vec<Code> = runs.iter().map(|r| r.1).collect();
        // `!5T{}` and `T{}` are empty, the padding structs hold nothing: B L L B O B B remain.
        assert_eq!(
            codes,
            [
                Code::UChar,
                Code::ULong,
                Code::ULong,
                Code::UChar,
                Code::Object,
                Code::UChar,
                Code::UChar
            ]
        );
        assert_eq!(layout.size(), runs[6].0 + 1 + 222_222_222_220);
    }

    #[test]
    fn leaves_expand_struct_arrays() {
        let l = parse("(2)T{h:a:xb:b:}").unwrap().layout().unwrap();
        let runs: Vec<(usize, Code)> = l.leaves().map(|r| (r.offset, r.scalar.code)).collect();
        assert_eq!(
            runs,
            [
                (0, Code::Short),
                (3, Code::SChar),
                (4, Code::Short),
                (7, Code::SChar)
            ]
        );
    }

    #[test]
    fn zero_size_elements_cost_nothing() {
        let l = parse("(9223372036854775807)T{}").unwrap().layout().unwrap();
        assert_eq!(l.size(), 0);
        assert_eq!(l.leaves().count(), 0);
        let l = parse("(1000000000)T{0s}B").unwrap().layout().unwrap();
        let runs: Vec<usize> = l.leaves().map(|r| r.offset).collect();
        assert_eq!(runs, [0]);
    }

    #[test]
    fn padding_only_elements_cost_nothing() {
        // Found by fuzzing (format_roundtrip): 222 billion one-byte structs of padding were
        // walked one by one.
        let l = parse("222222222220T{x:a:}B").unwrap().layout().unwrap();
        let runs: Vec<(usize, Code)> = l.leaves().map(|r| (r.offset, r.scalar.code)).collect();
        assert_eq!(runs, [(222222222220, Code::UChar)]);
        let l = parse("(3)T{x(1000000000)T{2x}(0)T{i}h:a:}")
            .unwrap()
            .layout()
            .unwrap();
        let offsets: Vec<usize> = l.leaves().map(|r| r.offset).collect();
        // Inside T{} numpy's alignment applies: `(0)T{i}` moves `h` to a multiple of 4.
        let (at, size) = (2_000_000_004, l.size() / 3);
        assert_eq!(offsets, [at, size + at, 2 * size + at]);
    }

    #[test]
    fn check_layout_agrees_with_layout() {
        for s in [
            "",
            "ic",
            "ci",
            "<ci",
            "T{ic}",
            "cT{i<c}",
            "2T{ic}",
            "(2,3)4h",
            "(0)i",
            "4s",
            "9t",
            "T{c:a:(2)>h:b:}",
            "(2)T{h:a:xb:b:}",
            "T{T{q:a:5Q:b:}:c:6x(3,1)B:d:}",
            "&T{i}",
            "=e?Zd",
            "(1000000000)T{0s}B",
            "(9223372036854775807)T{}",
        ] {
            let f = parse(s).unwrap();
            let l = f.layout().unwrap();
            assert_eq!(f.check_layout().unwrap(), (l.size(), l.align()), "{s}");
        }
        // The same overflow error from both (`parse` itself rejects these, so build the
        // formats by hand).
        let big = Item {
            shape: vec![usize::MAX / 2, 4],
            ..Item::code(Code::Int)
        };
        let f = Format { items: vec![big] };
        assert_eq!(
            f.check_layout().unwrap_err().to_string(),
            f.layout().unwrap_err().to_string()
        );
    }
}
