//! Items as dynamic [`Value`]s: `view[i, j]`, `view[i, j] = v`, `tolist()`, equality by value,
//! and field projection.

use alloc::borrow::Cow;
use alloc::string::ToString;
use alloc::vec::Vec;

use crate::format::{self, CodecError, Kind, Node, Value};

use super::error::{Cause, ErrorKind, Result, ViewError};
use super::item::ItemFormat;
use super::{Data, DataMut, ViewBase};

/// A packing error as CPython's memoryview reports it: for a native single-character format,
/// an `OverflowError` (a float too large for `e`) becomes `ValueError: memoryview: invalid
/// value for format 'e'`, as CPython's `pack_single` converts it.
fn pack_error(item: &ItemFormat, e: CodecError) -> ViewError {
    if e.kind() == ErrorKind::OverflowError {
        if let Some(code) = format::simple_native(item.text()) {
            return ViewError::invalid_value(code.as_str()).with_cause(Cause::Codec(e));
        }
    }
    ViewError::from(e)
}

impl<S: Data> ViewBase<S> {
    /// Unpacks the item at `off` (an item offset of this view).
    #[inline]
    fn unpack_at(&self, off: usize) -> Result<Value> {
        self.with_item(off, |b| format::unpack(self.item.layout(), b))
            .map_err(ViewError::from)
    }

    /// Calls `f` with the bytes of the item at `off` (an item offset of this view): borrowed
    /// for the reference kinds, copied out first for the shared kinds.
    #[inline]
    fn with_item<R>(&self, off: usize, f: impl FnOnce(&[u8]) -> R) -> R {
        let size = self.itemsize();
        match self.data.as_slice() {
            Some(bytes) => f(&bytes[off..off + size]),
            None => {
                let mut item: smallvec::SmallVec<[u8; 64]> = smallvec::smallvec![0; size];
                self.read_into(off, &mut item);
                f(&item)
            }
        }
    }

    /// CPython's `view[i, j, ...]` with a full tuple of indices (`&[]` for a 0-d view;
    /// negative indices count from the end): the item, unpacked into a [`Value`]. Every
    /// format the [`format`] module parses is unpacked (CPython only does
    /// native single characters). Errors are CPython's: `IndexError: index out of bounds on
    /// dimension N`, `TypeError: cannot index N-dimension view with M-element tuple`, and
    /// `NotImplementedError: sub-views are not implemented` for fewer indices than
    /// dimensions (use [`sub`](Self::sub) or [`index`](Self::index) for sub-views).
    ///
    /// ```
    /// use buffer_runtime::format::Value;
    /// use buffer_runtime::view::MemoryView;
    ///
    /// let grid = [[1i16, -2], [3, 4]];
    /// let view = MemoryView::new(&grid).unwrap();
    /// assert_eq!(view.get(&[0, -1]).unwrap(), Value::Int(-2));
    /// assert_eq!(view.get(&[2, 0]).unwrap_err().to_string(), "index out of bounds on dimension 1");
    ///
    /// let raw = [1u8, 0, 0, 0, 0, 0, 0xf8, 0x3f];
    /// let rec = MemoryView::from_parts(&raw, "T{<H:id:2x<f:x:}", &[], None, 0).unwrap();
    /// assert_eq!(rec.get(&[]).unwrap().field("x"), Some(&Value::Float(1.9375)));
    /// ```
    pub fn get(&self, index: &[isize]) -> Result<Value> {
        let off = self.offset_of(index)?;
        self.unpack_at(off)
    }

    /// CPython's `tolist()`: the items as nested [`Value::Array`]s, one level per dimension
    /// (the item itself for a 0-d view).
    ///
    /// ```
    /// use buffer_runtime::format::Value;
    /// use buffer_runtime::view::MemoryView;
    ///
    /// let grid = [[1u8, 2], [3, 4]];
    /// let view = MemoryView::new(&grid).unwrap();
    /// let u = |n| Value::UInt(n);
    /// assert_eq!(
    ///     view.t().tolist().unwrap(),
    ///     Value::Array(vec![Value::Array(vec![u(1), u(3)]), Value::Array(vec![u(2), u(4)])])
    /// );
    /// ```
    pub fn tolist(&self) -> Result<Value> {
        if self.ndim() == 0 {
            return self.unpack_at(self.offset);
        }
        self.tolist_rec(0, self.offset as isize)
    }

    fn tolist_rec(&self, dim: usize, base: isize) -> Result<Value> {
        let n = self.shape[dim];
        let s = self.strides[dim];
        // `n` items are in the view, but a list of them may not fit in memory (zero strides or
        // zero-size items put any number of items in few bytes): an error, not an abort.
        let mut out = Vec::new();
        out.try_reserve_exact(n).map_err(|_| {
            ViewError::new(
                ErrorKind::MemoryError,
                alloc::format!("memoryview: a list of {n} items does not fit in memory"),
            )
        })?;
        if dim + 1 == self.ndim() {
            // `extend` of an exact-size iterator writes each item straight into its slot (see
            // `format::unpack_element`); an error stops the unpacking and is returned.
            let layout = self.item.layout();
            let mut err = None;
            out.extend((0..n).map(|i| {
                let off = (base + i as isize * s) as usize;
                self.with_item(off, |b| format::unpack_element(layout, b, &mut err))
            }));
            return match err {
                Some(e) => Err(ViewError::from(e)),
                None => Ok(Value::Array(out)),
            };
        }
        for i in 0..n {
            // Wrapping: with a 0 further in the shape, these bases are never read and may lie
            // anywhere (strides of an empty view are unchecked); otherwise they are in bounds.
            let next = base.wrapping_add((i as isize).wrapping_mul(s));
            out.push(self.tolist_rec(dim + 1, next)?);
        }
        Ok(Value::Array(out))
    }

    /// The items in C order, unpacked one at a time (any number of dimensions).
    ///
    /// ```
    /// use buffer_runtime::format::Value;
    /// use buffer_runtime::view::MemoryView;
    /// let view = MemoryView::from_bytes(b"ab");
    /// let items: Vec<Value> = view.values().collect::<Result<_, _>>().unwrap();
    /// assert_eq!(items, [Value::UInt(97), Value::UInt(98)]);
    /// ```
    pub fn values(&self) -> impl Iterator<Item = Result<Value>> + '_ {
        self.offsets().map(move |off| self.unpack_at(off))
    }

    /// CPython's `view[i, j, ...] = value`: packs `value` with the format's range checks into
    /// the item at a full index. Errors are CPython's: `TypeError: cannot modify read-only
    /// memory` on a read-only view, then the indexing errors of [`get`](Self::get), then
    /// `ValueError: memoryview: invalid value for format 'h'` (out of range) or
    /// `TypeError: memoryview: invalid type for format 'h'` (wrong kind of value). Nothing is
    /// written on error.
    ///
    /// ```
    /// use buffer_runtime::format::Value;
    /// use buffer_runtime::view::MemoryViewMut;
    ///
    /// let mut v = [0i16; 2];
    /// let mut view = MemoryViewMut::new(&mut v).unwrap();
    /// view.set(&[1], &Value::Int(-5)).unwrap();
    /// let e = view.set(&[0], &Value::Int(1 << 20)).unwrap_err();
    /// assert_eq!(e.to_string(), "memoryview: invalid value for format 'h'");
    /// let e = view.set(&[0], &Value::Float(1.5)).unwrap_err();
    /// assert_eq!(e.to_string(), "memoryview: invalid type for format 'h'");
    /// drop(view);
    /// assert_eq!(v, [0, -5]);
    /// ```
    pub fn set(&mut self, index: &[isize], value: &Value) -> Result<()> {
        self.check_writable()?;
        let off = self.offset_of(index)?;
        // Packed into Rust-owned bytes first, then copied in: nothing is written on error.
        let mut packed: smallvec::SmallVec<[u8; 64]> = smallvec::smallvec![0; self.itemsize()];
        format::pack(self.item.layout(), value, &mut packed)
            .map_err(|e| pack_error(&self.item, e))?;
        self.write_from(off, &packed)
    }

    /// Packs `value` into every item (numpy's `a[...] = v`), after checking it once.
    ///
    /// ```
    /// use buffer_runtime::format::Value;
    /// use buffer_runtime::{index, view::MemoryViewMut};
    /// let mut grid = [[0u8; 3]; 2];
    /// let mut view = MemoryViewMut::new(&mut grid).unwrap();
    /// view.sub_mut(&index![.., 1]).unwrap().fill(&Value::UInt(7)).unwrap();
    /// drop(view);
    /// assert_eq!(grid, [[0, 7, 0], [0, 7, 0]]);
    /// ```
    pub fn fill(&mut self, value: &Value) -> Result<()> {
        self.check_writable()?;
        let mut item = alloc::vec![0u8; self.itemsize()];
        format::pack(self.item.layout(), value, &mut item)
            .map_err(|e| pack_error(&self.item, e))?;
        let (shape, strides, offset) = (self.shape.clone(), self.strides.clone(), self.offset);
        for off in super::iter::OffsetIter::new(&shape, &strides, offset) {
            self.write_from(off, &item)?;
        }
        Ok(())
    }

    /// CPython's `==` between memoryviews: equal shapes (compared up to the first zero, as
    /// CPython does), then every pair of items equal by value. Values of different formats
    /// compare numerically (`i` and `h` views with the same numbers are equal; `c` items are
    /// bytes, never equal to numbers), NaN is not equal to itself, and structs compare field
    /// by field. Also available as `==` ([`PartialEq`]).
    ///
    /// An item that cannot be unpacked (a bit field) makes the views unequal, as CPython's
    /// struct-module fallback does.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// let a = MemoryView::new(&[1i32, 2]).unwrap();
    /// let b = MemoryView::new(&[1i16, 2]).unwrap();
    /// assert!(a.equals(&b));
    /// let nan = [f64::NAN];
    /// let n = MemoryView::new(&nan).unwrap();
    /// assert!(!n.equals(&n));
    /// ```
    pub fn equals<T: Data>(&self, other: &ViewBase<T>) -> bool {
        if !super::copy::equiv_shape(&self.shape, &other.shape) {
            return false;
        }
        let same_native = self.item.native_char().is_some()
            && self.item.native_char() == other.item.native_char();
        if same_native {
            if let Some(eq) = self.equal_native_bytes(other) {
                return eq;
            }
        }
        let mut a = self.offsets();
        let mut b = other.offsets();
        loop {
            match (a.next(), b.next()) {
                (Some(x), Some(y)) => match (self.unpack_at(x), other.unpack_at(y)) {
                    (Ok(v), Ok(w)) if values_equal(&v, &w) => {}
                    _ => return false,
                },
                (None, None) => return true,
                _ => return false,
            }
        }
    }

    /// Equality of two views with the same native integer, byte or float format: integers by
    /// bytes (equality by value for these codes), floats as floats (NaN unequal, -0.0 == 0.0).
    /// Bools by bytes too, as CPython 3.11 compares two native `?` views (`b'\x02'` and
    /// `b'\x01'` are unequal there, although both read as `True`).
    /// `None` for other codes (halves: compared by value).
    fn equal_native_bytes<T: Data>(&self, other: &ViewBase<T>) -> Option<bool> {
        let size = self.itemsize();
        // The shared kinds compare by value (the same result, item by item).
        let (x, y) = (self.data.as_slice()?, other.data.as_slice()?);
        let pairs = self.offsets().zip(other.offsets());
        Some(match self.item.native_char()? {
            b'c' | b'b' | b'B' | b'h' | b'H' | b'i' | b'I' | b'l' | b'L' | b'q' | b'Q' | b'n'
            | b'N' | b'P' | b'?' => pairs
                .into_iter()
                .all(|(i, j)| x[i..i + size] == y[j..j + size]),
            b'f' => pairs.into_iter().all(|(i, j)| {
                let a = f32::from_ne_bytes([x[i], x[i + 1], x[i + 2], x[i + 3]]);
                let b = f32::from_ne_bytes([y[j], y[j + 1], y[j + 2], y[j + 3]]);
                a == b
            }),
            b'd' => pairs.into_iter().all(|(i, j)| {
                let mut a = [0u8; 8];
                let mut b = [0u8; 8];
                a.copy_from_slice(&x[i..i + 8]);
                b.copy_from_slice(&y[j..j + 8]);
                f64::from_ne_bytes(a) == f64::from_ne_bytes(b)
            }),
            _ => return None,
        })
    }

    /// The view of one named field of a struct view (numpy's `a['price']`): same shape and
    /// strides, the field's byte offset added, the field's format. A sub-array field adds its
    /// dimensions, as numpy's does: field `(2)<f:pos:` of `N` records is an `(N, 2)` view of
    /// `<f`, so its scalars can be read with [`iter_as`](Self::iter_as) and its rows as
    /// arrays (`iter_as::<[f32; 2]>()`). `ValueError` when the format has no field of that
    /// name (or the dimensions would pass [`MAX_NDIM`](super::MAX_NDIM)).
    ///
    /// ```
    /// use buffer_runtime::format::Value;
    /// use buffer_runtime::view::{MemoryView, Order};
    ///
    /// // Two records {id: <H, price: <f}, 6 bytes each.
    /// let raw = [1u8, 0, 0, 0, 0xc0, 0x3f, 2, 0, 0, 0, 0x20, 0x40];
    /// let table = MemoryView::from_parts(&raw, "T{<H:id:<f:price:}", &[2], None, 0).unwrap();
    /// let price = table.field("price").unwrap();
    /// assert_eq!((price.format(), price.itemsize(), price.byte_strides()), ("<f", 4, &[6isize][..]));
    /// assert_eq!(price.tolist().unwrap(), Value::Array(vec![Value::Float(1.5), Value::Float(2.5)]));
    /// assert!(table.field("qty").is_err());
    /// ```
    pub fn field(&self, name: &str) -> Result<ViewBase<S::Ref<'_>>> {
        self.view().into_field(name)
    }

    /// [`field`](Self::field), consuming this view (keeps its lifetime and writability).
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// let raw = [0u8; 8];
    /// let v = MemoryView::from_parts(&raw, "T{<i:a:<i:b:}", &[1], None, 0).unwrap();
    /// assert_eq!(v.into_field("b").unwrap().offset(), 4);
    /// ```
    pub fn into_field(mut self, name: &str) -> Result<Self> {
        let field = self.item.layout().field(name).ok_or_else(|| {
            ViewError::value_error(alloc::format!(
                "memoryview: format '{}' has no field named '{name}'",
                self.format()
            ))
        })?;
        let (mut shape, mut strides) = (self.shape.clone(), self.strides.clone());
        let item = match field.layout.node() {
            Node::Array { dims, element } => {
                if shape.len() + dims.len() > super::MAX_NDIM {
                    return Err(ViewError::value_error(alloc::format!(
                        "memoryview: field '{name}' has {} dimensions, which with the view's {} \
                         pass the limit of {}",
                        dims.len(),
                        shape.len(),
                        super::MAX_NDIM
                    )));
                }
                // The element is the field's single format item without its sub-array shape
                // and repeat count (a count that is a length, as in `3s`, stays).
                let mut element_format = field.format.clone();
                for part in &mut element_format.items {
                    part.shape.clear();
                    if !matches!(part.kind, Kind::Code(c) if c.count_is_length()) {
                        part.count = 1;
                    }
                }
                let element_size = element.size();
                let first = strides.len();
                shape.extend_from_slice(dims);
                strides.extend(dims.iter().map(|_| 0));
                // C order inside the field; the products are bounded by the field's size.
                let mut step = element_size;
                for k in (first..shape.len()).rev() {
                    strides[k] = step as isize;
                    step *= shape[k];
                }
                ItemFormat::from_layout(Cow::Owned(element_format.to_string()), (**element).clone())
            }
            _ => {
                ItemFormat::from_layout(Cow::Owned(field.format.to_string()), field.layout.clone())
            }
        };
        let field_offset = field.offset;
        let offset = if self.item_count() == 0 {
            self.offset
        } else {
            self.offset + field_offset
        };
        self.item = item;
        self.with_layout(offset, shape, strides)
    }
}

impl<S: DataMut> ViewBase<S> {
    /// [`field`](Self::field), writable.
    ///
    /// ```
    /// use buffer_runtime::format::Value;
    /// use buffer_runtime::view::MemoryViewMut;
    /// let mut raw = [0u8; 4];
    /// let mut v = MemoryViewMut::from_parts(&mut raw, "T{B:a:B:b:}", &[2], None, 0).unwrap();
    /// v.field_mut("b").unwrap().fill(&Value::UInt(9)).unwrap();
    /// drop(v);
    /// assert_eq!(raw, [0, 9, 0, 9]);
    /// ```
    pub fn field_mut(&mut self, name: &str) -> Result<ViewBase<S::Mut<'_>>> {
        self.view_mut().into_field(name)
    }
}

impl<S: Data, T: Data> PartialEq<ViewBase<T>> for ViewBase<S> {
    /// See [`ViewBase::equals`].
    fn eq(&self, other: &ViewBase<T>) -> bool {
        self.equals(other)
    }
}

/// Python's `==` between unpacked items: numbers compare across kinds (`True == 1 == 1.0`,
/// a complex with zero imaginary part equals its real part, a `P` pointer is an integer as
/// in CPython), sequences (sub-arrays, structs) element by element, bytes and strings by
/// content.
///
/// ```
/// use buffer_runtime::view::{values_equal, Value};
/// assert!(values_equal(&Value::Pointer(16), &Value::Int(16)));
/// assert!(!values_equal(&Value::Float(f64::NAN), &Value::Float(f64::NAN)));
/// ```
pub fn values_equal(a: &Value, b: &Value) -> bool {
    use Value::*;
    match (a, b) {
        (Bytes(x), Bytes(y)) => x == y,
        (Str(x), Str(y)) => x == y,
        (Object(x), Object(y)) => x == y,
        (Array(_) | Struct(_), Array(_) | Struct(_)) => {
            let xs = sequence(a);
            let ys = sequence(b);
            xs.len() == ys.len() && xs.iter().zip(&ys).all(|(x, y)| values_equal(x, y))
        }
        _ => match (number(a), number(b)) {
            (Some(x), Some(y)) => x.eq(&y),
            _ => false,
        },
    }
}

fn sequence(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(items) => items.iter().collect(),
        Value::Struct(fields) => fields.values().iter().collect(),
        _ => Vec::new(),
    }
}

/// A number as an exact integer or a complex of floats.
#[derive(Clone, Copy)]
enum Num {
    Int(i128),
    Complex(f64, f64),
}

impl Num {
    fn eq(&self, other: &Num) -> bool {
        match (*self, *other) {
            (Num::Int(x), Num::Int(y)) => x == y,
            (Num::Complex(r, i), Num::Complex(s, j)) => r == s && i == j,
            (Num::Int(n), Num::Complex(r, i)) | (Num::Complex(r, i), Num::Int(n)) => {
                // Exact, as Python compares int and float: the float must be integral (the
                // saturating cast round-trips) and equal to the integer. `n` comes from a
                // 64-bit value, so a saturated i128 never equals it.
                let k = r as i128;
                i == 0.0 && k as f64 == r && k == n
            }
        }
    }
}

fn number(v: &Value) -> Option<Num> {
    Some(match v {
        Value::Bool(b) => Num::Int(i128::from(*b)),
        Value::Int(n) => Num::Int(i128::from(*n)),
        // CPython unpacks `P` into a Python int: it equals integers of other formats.
        Value::UInt(n) | Value::Pointer(n) => Num::Int(i128::from(*n)),
        Value::Float(x) => Num::Complex(*x, 0.0),
        Value::Complex(r, i) => Num::Complex(*r, *i),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::MemoryView;
    use alloc::vec;

    #[test]
    fn tolist_reports_an_item_that_cannot_be_unpacked() {
        // Two records {a: B, b: <w}; the second holds 0x110000, not a code point.
        let mut raw = vec![1u8, b'x', 0, 0, 0, 2];
        raw.extend_from_slice(&0x11_0000u32.to_le_bytes());
        let v = MemoryView::from_parts(&raw[..10], "T{B:a:<w:b:}", &[2], None, 0).unwrap();
        let e = v.tolist().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotImplementedError);
        assert_eq!(
            e.message(),
            "format 'w': 0x110000 is not a Unicode code point"
        );
        let first = MemoryView::from_parts(&raw[..5], "T{B:a:<w:b:}", &[1], None, 0).unwrap();
        assert_eq!(first.tolist().unwrap().to_string(), "[{a: 1, b: 'x'}]");
        // In the last of several dimensions, and for a plain scalar list.
        let grid = MemoryView::from_parts(&raw[..10], "T{B:a:<w:b:}", &[2, 1], None, 0).unwrap();
        assert_eq!(
            grid.tolist().unwrap_err().kind(),
            ErrorKind::NotImplementedError
        );
        let words = MemoryView::from_parts(&raw[2..10], "<w", &[2], None, 0).unwrap(); // 0x2000000, 0x110000
        assert_eq!(
            words.tolist().unwrap_err().kind(),
            ErrorKind::NotImplementedError
        );
    }
}
