//! [`Value`], one item as a dynamic value, and [`Fields`], the fields of a struct item.
//! Their Python repr (`Display`) is in `repr.rs`.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;

/// One item (or part of one) as a dynamic value.
///
/// | codes | value |
/// |-------|-------|
/// | `?` | [`Value::Bool`] |
/// | `b h i l q n` | [`Value::Int`] |
/// | `B H I L Q N` | [`Value::UInt`] |
/// | `e f d g` | [`Value::Float`] |
/// | `Zf Zd Zg` | [`Value::Complex`] |
/// | `c`, `s`, `p`, a named `x` | [`Value::Bytes`] (`c` has length 1; `p` holds the string without its length byte; `x` its raw bytes) |
/// | `u` (UTF-16 code units), `w` (code points) | [`Value::Str`] (trailing NULs stripped, as numpy reads `U`) |
/// | `P`, `&` | [`Value::Pointer`] (the address) |
/// | `O` | [`Value::Object`] (the address of the object) |
/// | a sub-array `(2,3)` or a count `4i` | [`Value::Array`], nested one level per dimension |
/// | `T{...}`, or a top level of several items | [`Value::Struct`] |
///
/// Equality is numeric within a kind (`Float(f64::NAN) != Float(f64::NAN)`, as in Python).
///
/// ```
/// use buffer_runtime::format::{Fields, Value};
///
/// let v = Value::Struct(Fields::from(vec![(Some("x".into()), Value::Int(1)), (None, Value::Float(0.5))]));
/// assert_eq!(v.field("x"), Some(&Value::Int(1)));
/// assert_eq!(v.to_string(), "{x: 1, 0.5}");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `?`.
    Bool(bool),
    /// A signed integer.
    Int(i64),
    /// An unsigned integer.
    UInt(u64),
    /// A real floating-point number.
    Float(f64),
    /// A complex number (real, imaginary).
    Complex(f64, f64),
    /// Bytes (`c s p`, named padding).
    Bytes(Vec<u8>),
    /// A UCS-2 or UCS-4 string.
    Str(String),
    /// A raw pointer value (`P`, `&`).
    Pointer(u64),
    /// A raw `PyObject *` value (`O`).
    Object(u64),
    /// Elements of a sub-array.
    Array(Vec<Value>),
    /// Fields of a struct, with their names where the format gives them.
    Struct(Fields),
}

/// The fields of a [`Value::Struct`]: their values in order, each with its name where the
/// format gives one.
///
/// Every item unpacked through one [`ItemLayout`](super::ItemLayout) shares that layout's table of names (a
/// reference count, not a copy of each name per item), so unpacking a million named records
/// allocates one block of values per record and no strings.
///
/// Build one from `(name, value)` pairs ([`From`] a `Vec`, or [`collect`](Iterator::collect))
/// or from values alone ([`Fields::unnamed`]); read it by position ([`values`](Self::values),
/// [`name`](Self::name)), by name ([`get`](Self::get)) or as pairs ([`iter`](Self::iter)).
/// Two `Fields` are equal when they have the same names and equal values, in the same order;
/// `Debug` writes them as the list of pairs.
///
/// ```
/// use buffer_runtime::format::{Fields, Value};
///
/// let f = Fields::from(vec![(Some("qty".into()), Value::UInt(3)), (None, Value::Bool(true))]);
/// assert_eq!((f.len(), f.name(0), f.name(1)), (2, Some("qty"), None));
/// assert_eq!(f.get("qty"), Some(&Value::UInt(3)));
/// assert_eq!(f.values(), [Value::UInt(3), Value::Bool(true)]);
/// let pairs: Vec<(Option<&str>, &Value)> = f.iter().collect();
/// assert_eq!(pairs, [(Some("qty"), &Value::UInt(3)), (None, &Value::Bool(true))]);
/// assert_eq!(format!("{f:?}"), r#"[(Some("qty"), UInt(3)), (None, Bool(true))]"#);
/// assert_ne!(f, Fields::unnamed(vec![Value::UInt(3), Value::Bool(true)]));
/// ```
#[derive(Clone, Default)]
pub struct Fields {
    /// `None` when no field has a name; otherwise one entry per value.
    pub(super) names: Option<Arc<Names>>,
    pub(super) values: Box<[Value]>,
}

/// The field names of one struct layout, shared by the [`Fields`] unpacked through it.
#[derive(PartialEq, Eq)]
pub(crate) struct Names(Box<[Option<Box<str>>]>);

impl Names {
    /// The table for these names, or `None` when none is given (then nothing is allocated).
    pub(crate) fn new<'a>(
        names: impl ExactSizeIterator<Item = Option<&'a str>> + Clone,
    ) -> Option<Arc<Names>> {
        if names.clone().all(|n| n.is_none()) {
            return None;
        }
        Some(Arc::new(Names(names.map(|n| n.map(Box::from)).collect())))
    }
}

impl Fields {
    /// Fields without names.
    ///
    /// ```
    /// # use buffer_runtime::format::{Fields, Value};
    /// let f = Fields::unnamed(vec![Value::Int(1), Value::Int(2)]);
    /// assert_eq!(Value::Struct(f).to_string(), "{1, 2}");
    /// ```
    pub fn unnamed(values: Vec<Value>) -> Fields {
        Fields {
            names: None,
            values: values.into_boxed_slice(),
        }
    }

    /// The number of fields.
    ///
    /// ```
    /// # use buffer_runtime::format::{Fields, Value};
    /// assert_eq!(Fields::unnamed(vec![Value::Int(1)]).len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether there are no fields (`T{}`).
    ///
    /// ```
    /// # use buffer_runtime::format::Fields;
    /// assert!(Fields::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The values, in field order.
    ///
    /// ```
    /// # use buffer_runtime::format::{Fields, Value};
    /// let f = Fields::from(vec![(Some("a".into()), Value::Int(1))]);
    /// assert_eq!(f.values(), [Value::Int(1)]);
    /// ```
    pub fn values(&self) -> &[Value] {
        &self.values
    }

    /// The values, to change them in place (the names stay).
    ///
    /// ```
    /// # use buffer_runtime::format::{Fields, Value};
    /// let mut f = Fields::from(vec![(Some("a".into()), Value::Int(1))]);
    /// f.values_mut()[0] = Value::Int(2);
    /// assert_eq!(f.get("a"), Some(&Value::Int(2)));
    /// ```
    pub fn values_mut(&mut self) -> &mut [Value] {
        &mut self.values
    }

    /// The values, without their names.
    ///
    /// ```
    /// # use buffer_runtime::format::{Fields, Value};
    /// let f = Fields::from(vec![(Some("a".into()), Value::Int(1))]);
    /// assert_eq!(f.into_values(), vec![Value::Int(1)]);
    /// ```
    pub fn into_values(self) -> Vec<Value> {
        self.values.into_vec()
    }

    /// The name of field `i`; `None` when it has none or there is no such field.
    ///
    /// ```
    /// # use buffer_runtime::format::{Fields, Value};
    /// let f = Fields::from(vec![(None, Value::Int(1)), (Some("b".into()), Value::Int(2))]);
    /// assert_eq!((f.name(0), f.name(1), f.name(2)), (None, Some("b"), None));
    /// ```
    pub fn name(&self, i: usize) -> Option<&str> {
        self.names.as_ref()?.0.get(i)?.as_deref()
    }

    /// The value of the field called `name`.
    ///
    /// ```
    /// # use buffer_runtime::format::{Fields, Value};
    /// let f = Fields::from(vec![(Some("a".into()), Value::Int(1))]);
    /// assert_eq!((f.get("a"), f.get("b")), (Some(&Value::Int(1)), None));
    /// ```
    pub fn get(&self, name: &str) -> Option<&Value> {
        let names = self.names.as_ref()?;
        let i = names.0.iter().position(|n| n.as_deref() == Some(name))?;
        self.values.get(i)
    }

    /// The fields as `(name, value)` pairs, in order (also `for (name, value) in &fields`).
    ///
    /// ```
    /// # use buffer_runtime::format::{Fields, Value};
    /// let f = Fields::from(vec![(Some("a".into()), Value::Int(1)), (None, Value::Int(2))]);
    /// let names: Vec<Option<&str>> = f.iter().map(|(n, _)| n).collect();
    /// assert_eq!(names, [Some("a"), None]);
    /// ```
    pub fn iter(&self) -> FieldsIter<'_> {
        FieldsIter {
            fields: self,
            front: 0,
            back: self.values.len(),
        }
    }
}

impl PartialEq for Fields {
    /// Same names (or none) and equal values, field by field.
    fn eq(&self, other: &Fields) -> bool {
        let same_names = match (&self.names, &other.names) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b) || a == b,
            (None, None) => true,
            // A table is only made when some name is given.
            _ => false,
        };
        same_names && self.values == other.values
    }
}

impl fmt::Debug for Fields {
    /// The list of `(name, value)` pairs: `[(Some("x"), Int(1)), (None, Float(0.5))]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl From<Vec<(Option<String>, Value)>> for Fields {
    /// Fields from `(name, value)` pairs.
    fn from(pairs: Vec<(Option<String>, Value)>) -> Fields {
        let names = Names::new(pairs.iter().map(|(n, _)| n.as_deref()));
        let values = pairs.into_iter().map(|(_, v)| v).collect();
        Fields { names, values }
    }
}

impl FromIterator<(Option<String>, Value)> for Fields {
    /// Fields from `(name, value)` pairs.
    ///
    /// ```
    /// # use buffer_runtime::format::{Fields, Value};
    /// let f: Fields = ["a", "b"].iter().map(|n| (Some(n.to_string()), Value::Int(0))).collect();
    /// assert_eq!(f.name(1), Some("b"));
    /// ```
    fn from_iter<I: IntoIterator<Item = (Option<String>, Value)>>(pairs: I) -> Fields {
        Fields::from(pairs.into_iter().collect::<Vec<_>>())
    }
}

impl<'a> IntoIterator for &'a Fields {
    type Item = (Option<&'a str>, &'a Value);
    type IntoIter = FieldsIter<'a>;

    fn into_iter(self) -> FieldsIter<'a> {
        self.iter()
    }
}

/// The `(name, value)` pairs of [`Fields`], from [`Fields::iter`].
///
/// ```
/// # use buffer_runtime::format::{Fields, Value};
/// let f = Fields::from(vec![(Some("a".into()), Value::Int(1)), (None, Value::Int(2))]);
/// let mut it = f.iter();
/// assert_eq!(it.len(), 2);
/// assert_eq!(it.next_back(), Some((None, &Value::Int(2))));
/// ```
#[derive(Clone, Debug)]
pub struct FieldsIter<'a> {
    fields: &'a Fields,
    front: usize,
    back: usize,
}

impl<'a> Iterator for FieldsIter<'a> {
    type Item = (Option<&'a str>, &'a Value);

    fn next(&mut self) -> Option<Self::Item> {
        if self.front == self.back {
            return None;
        }
        let i = self.front;
        self.front += 1;
        Some((self.fields.name(i), &self.fields.values[i]))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.back - self.front;
        (n, Some(n))
    }
}

impl DoubleEndedIterator for FieldsIter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.front == self.back {
            return None;
        }
        self.back -= 1;
        Some((self.fields.name(self.back), &self.fields.values[self.back]))
    }
}

impl ExactSizeIterator for FieldsIter<'_> {}

impl Value {
    /// The value of the struct field called `name`.
    ///
    /// ```
    /// # use buffer_runtime::format::Value;
    /// let v = Value::Struct(vec![(Some("a".into()), Value::Bool(true))].into());
    /// assert_eq!(v.field("a"), Some(&Value::Bool(true)));
    /// assert_eq!(Value::Int(1).field("a"), None);
    /// ```
    pub fn field(&self, name: &str) -> Option<&Value> {
        match self {
            Value::Struct(fields) => fields.get(name),
            _ => None,
        }
    }

    /// Python's truth value (`bool(x)`), used to pack `?`.
    ///
    /// ```
    /// # use buffer_runtime::format::Value;
    /// assert!(Value::Float(f64::NAN).truthy() && !Value::Bytes(vec![]).truthy());
    /// ```
    pub fn truthy(&self) -> bool {
        match self {
            Value::Bool(b) => *b,
            Value::Int(n) => *n != 0,
            Value::UInt(n) | Value::Pointer(n) | Value::Object(n) => *n != 0,
            Value::Float(x) => *x != 0.0,
            Value::Complex(r, i) => *r != 0.0 || *i != 0.0,
            Value::Bytes(b) => !b.is_empty(),
            Value::Str(s) => !s.is_empty(),
            Value::Array(a) => !a.is_empty(),
            Value::Struct(f) => !f.is_empty(),
        }
    }
}
