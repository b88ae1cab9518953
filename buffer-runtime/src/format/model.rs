//! The format model: [`Format`], [`Item`], [`Kind`], and the [`Prefix`] and [`Endian`] that
//! give an item its byte order, sizes and alignment.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use super::Code;

/// A byte-order, size and alignment prefix (see the [module docs](super#prefixes)).
///
/// ```
/// use buffer_runtime::format::Prefix;
///
/// assert_eq!(Prefix::from_char('!'), Some(Prefix::Big));
/// assert_eq!(Prefix::Little.as_char(), '<');
/// assert!(Prefix::Native.aligns() && !Prefix::NativeUnaligned.aligns());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Prefix {
    /// `@`: native byte order, native sizes, native alignment. In force at the start.
    Native,
    /// `^`: native byte order and sizes, no alignment.
    NativeUnaligned,
    /// `=`: native byte order, standard sizes, no alignment.
    Standard,
    /// `<`: little-endian, standard sizes, no alignment.
    Little,
    /// `>` or `!`: big-endian, standard sizes, no alignment.
    Big,
}

impl Prefix {
    /// The prefix of a character (`!` is [`Prefix::Big`]), or `None`.
    ///
    /// ```
    /// # use buffer_runtime::format::Prefix;
    /// assert_eq!(Prefix::from_char('^'), Some(Prefix::NativeUnaligned));
    /// assert_eq!(Prefix::from_char('i'), None);
    /// ```
    pub const fn from_char(c: char) -> Option<Prefix> {
        match c {
            '@' => Some(Prefix::Native),
            '^' => Some(Prefix::NativeUnaligned),
            '=' => Some(Prefix::Standard),
            '<' => Some(Prefix::Little),
            '>' | '!' => Some(Prefix::Big),
            _ => None,
        }
    }

    /// The character that writes this prefix (`>` for [`Prefix::Big`]).
    ///
    /// ```
    /// # use buffer_runtime::format::Prefix;
    /// assert_eq!(Prefix::Standard.as_char(), '=');
    /// ```
    pub const fn as_char(self) -> char {
        match self {
            Prefix::Native => '@',
            Prefix::NativeUnaligned => '^',
            Prefix::Standard => '=',
            Prefix::Little => '<',
            Prefix::Big => '>',
        }
    }

    /// Whether sizes are native (`@ ^`) rather than standard (`= < > !`).
    ///
    /// ```
    /// # use buffer_runtime::format::Prefix;
    /// assert!(Prefix::NativeUnaligned.native_sizes() && !Prefix::Standard.native_sizes());
    /// ```
    pub const fn native_sizes(self) -> bool {
        matches!(self, Prefix::Native | Prefix::NativeUnaligned)
    }

    /// Whether fields are aligned (only `@`).
    ///
    /// ```
    /// # use buffer_runtime::format::Prefix;
    /// assert!(Prefix::Native.aligns() && !Prefix::Little.aligns());
    /// ```
    pub const fn aligns(self) -> bool {
        matches!(self, Prefix::Native)
    }

    /// The byte order this prefix selects on this target.
    ///
    /// ```
    /// # use buffer_runtime::format::{Endian, Prefix};
    /// assert_eq!(Prefix::Big.endian(), Endian::Big);
    /// assert_eq!(Prefix::Standard.endian(), Endian::NATIVE);
    /// ```
    pub const fn endian(self) -> Endian {
        match self {
            Prefix::Little => Endian::Little,
            Prefix::Big => Endian::Big,
            _ => Endian::NATIVE,
        }
    }
}

/// A resolved byte order.
///
/// ```
/// use buffer_runtime::format::Endian;
///
/// assert_eq!(Endian::NATIVE, if cfg!(target_endian = "little") { Endian::Little } else { Endian::Big });
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Endian {
    /// Least significant byte first.
    Little,
    /// Most significant byte first.
    Big,
}

impl Endian {
    /// The byte order of this target.
    #[cfg(target_endian = "little")]
    pub const NATIVE: Endian = Endian::Little;
    /// The byte order of this target.
    #[cfg(target_endian = "big")]
    pub const NATIVE: Endian = Endian::Big;
}

/// A parsed format: the sequence of items at its top level.
///
/// Build one with [`parse`](super::parse); `to_string()` writes it back (`parse(&f.to_string()) == Ok(f)`).
///
/// ```
/// use buffer_runtime::format::{parse, Code, Format, Item, Kind, Prefix};
///
/// let f = parse("<2h").unwrap();
/// assert_eq!(
///     f,
///     Format { items: vec![Item { prefix: Prefix::Little, count: 2, ..Item::code(Code::Short) }] }
/// );
/// assert_eq!(f.to_string(), "<2h");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct Format {
    /// The items, in order.
    pub items: Vec<Item>,
}

/// One item of a format: `(2,3)<4i:name:`.
///
/// Invariants that [`parse`](super::parse) guarantees and that `Display` relies on to round-trip: names are
/// non-empty, contain no `:`, are unique within one struct (or the top level), and a pointer's
/// target has none; `n N P g Zg` appear only under `@` or `^`.
///
/// ```
/// use buffer_runtime::format::{Code, Item, Kind, Prefix};
///
/// let item = Item { shape: vec![2, 3], name: Some("m".into()), ..Item::code(Code::Float) };
/// assert_eq!(item.kind, Kind::Code(Code::Float));
/// assert_eq!(item.prefix, Prefix::Native);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Item {
    /// The sub-array shape written `(2,3)`; empty when there is none.
    pub shape: Vec<usize>,
    /// The prefix in force for this item (explicit or inherited). For a struct, the prefix
    /// in force at its `T{`.
    pub prefix: Prefix,
    /// The count written before the kind; 1 when there is none (`1i` and `i` are equal).
    pub count: usize,
    /// What the item is.
    pub kind: Kind,
    /// The field name written `:name:`.
    pub name: Option<String>,
}

impl Item {
    /// An unnamed, unrepeated item of `code` under `@`.
    ///
    /// ```
    /// # use buffer_runtime::format::{Code, Item};
    /// assert_eq!(Item::code(Code::Int).count, 1);
    /// ```
    pub fn code(code: Code) -> Item {
        Item {
            shape: Vec::new(),
            prefix: Prefix::Native,
            count: 1,
            kind: Kind::Code(code),
            name: None,
        }
    }
}

/// The kind of an [`Item`].
///
/// ```
/// use buffer_runtime::format::{parse, Code, Kind};
///
/// let f = parse("&T{i}").unwrap();
/// let Kind::Pointer(target) = &f.items[0].kind else { panic!() };
/// let Kind::Struct(fields) = &target.kind else { panic!() };
/// assert_eq!(fields[0].kind, Kind::Code(Code::Int));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A format code. Never [`Code::Ref`]: pointers are [`Kind::Pointer`].
    Code(Code),
    /// `T{...}`: a struct of these items.
    Struct(Vec<Item>),
    /// `&target`: a pointer to an item.
    Pointer(Box<Item>),
}
