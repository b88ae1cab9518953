//! The operations that copy items: out (`tobytes`, `write_bytes`, `hex`, hashing) and in
//! (`copy_from`, slice assignment, `fill_bytes`). The walk is in `iter.rs`, the kernels in
//! `kernels.rs`.

use alloc::string::String;
use alloc::vec::Vec;

use super::error::{ErrorKind, Result, ViewError};
use super::{Axis, Data, DataMut, Order, Slice, ViewBase, MAX_NDIM};
use super::{Shape, Strides};

use super::iter::{c_run, coalesce};
// Named here by `typed.rs` and `values.rs`.
use super::iter::OffsetIter;
use super::kernels::write_c_order;

impl<S: Data> ViewBase<S> {
    /// The item offsets in C order.
    pub(crate) fn offsets(&self) -> OffsetIter<'_> {
        OffsetIter::new(&self.shape, &self.strides, self.offset)
    }

    /// The bytes of the items in `order` (CPython's `tobytes`): C order, Fortran order, or
    /// with [`Order::A`] the physical memory of a C- or Fortran-contiguous view (C order
    /// otherwise). Strided views are copied one contiguous run at a time.
    ///
    /// ```
    /// use buffer_runtime::view::{MemoryView, Order};
    /// let grid = [[0u8, 1, 2], [3, 4, 5]];
    /// let view = MemoryView::new(&grid).unwrap();
    /// assert_eq!(view.tobytes(Order::C), [0, 1, 2, 3, 4, 5]);
    /// assert_eq!(view.tobytes(Order::F), [0, 3, 1, 4, 2, 5]);
    /// assert_eq!(view.t().tobytes(Order::A), [0, 1, 2, 3, 4, 5]);
    /// ```
    ///
    /// The result is allocated like any `Vec`: if memory runs out the process aborts. A view
    /// whose layout comes from outside (Python, a file) can describe far more bytes than it
    /// borrows - zero strides repeat one item any number of times - so use
    /// [`try_tobytes`](Self::try_tobytes) there.
    pub fn tobytes(&self, order: Order) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.nbytes());
        self.write_bytes(order, &mut out);
        out
    }

    /// [`tobytes`](Self::tobytes), with a `MemoryError` (as CPython raises) instead of an
    /// abort when the bytes do not fit in memory.
    ///
    /// ```
    /// use buffer_runtime::view::{ErrorKind, MemoryView, Order};
    /// let one = [7u8];
    /// // 2**60 items, all the same byte: a valid view, but no machine holds its bytes.
    /// let huge = MemoryView::from_parts(&one, "B", &[1 << 60], Some(&[0]), 0).unwrap();
    /// assert_eq!(huge.try_tobytes(Order::C).unwrap_err().kind(), ErrorKind::MemoryError);
    /// let small = MemoryView::from_parts(&one, "B", &[3], Some(&[0]), 0).unwrap();
    /// assert_eq!(small.try_tobytes(Order::C).unwrap(), [7, 7, 7]);
    /// ```
    pub fn try_tobytes(&self, order: Order) -> Result<Vec<u8>> {
        let n = self.nbytes();
        let mut out = Vec::new();
        out.try_reserve_exact(n).map_err(|_| {
            ViewError::new(
                ErrorKind::MemoryError,
                alloc::format!("memoryview: {n} bytes do not fit in memory"),
            )
        })?;
        self.write_bytes(order, &mut out);
        Ok(out)
    }

    /// [`tobytes`](Self::tobytes) appending to `out` (reuses its allocation).
    ///
    /// ```
    /// use buffer_runtime::view::{MemoryView, Order};
    /// let mut out = vec![9];
    /// MemoryView::from_bytes(b"ab").write_bytes(Order::C, &mut out);
    /// assert_eq!(out, [9, b'a', b'b']);
    /// ```
    pub fn write_bytes(&self, order: Order, out: &mut Vec<u8>) {
        let n = self.nbytes();
        let (c, f) = crate::geometry::contiguity(&self.shape, &self.strides, self.itemsize());
        let physical = match order {
            Order::C => c,
            Order::F => f,
            Order::A => c || f,
        };
        if physical {
            if n > 0 {
                // A contiguous non-empty view starts at its lowest item (every stride of a
                // dimension longer than 1 is positive), so its items are these n bytes.
                match self.data.as_slice() {
                    Some(bytes) => out.extend_from_slice(&bytes[self.offset..self.offset + n]),
                    None => self.append_raw(self.offset, n, out),
                }
            }
            return;
        }
        if order == Order::F {
            let t = self.view().into_t();
            t.write_c_order(out);
        } else {
            self.write_c_order(out);
        }
    }

    fn write_c_order(&self, out: &mut Vec<u8>) {
        if self.item_count() == 0 {
            return;
        }
        match self.data.as_slice() {
            Some(bytes) => write_c_order(
                bytes,
                &self.shape,
                &self.strides,
                self.offset,
                self.itemsize(),
                out,
            ),
            None => self.write_c_order_raw(out),
        }
    }

    /// Appends the `n` bytes at byte `off` of the region to `out`, copied by pointer.
    fn append_raw(&self, off: usize, n: usize, out: &mut Vec<u8>) {
        out.reserve(n);
        let start = out.len();
        let spare = &mut out.spare_capacity_mut()[..n];
        // SAFETY: `MaybeUninit<u8>` has the layout of `u8`, and `read_into` only writes the
        // slice (it never reads it), so viewing the spare capacity as `&mut [u8]` for the copy
        // and then counting it as initialised is sound: every one of its `n` bytes is written.
        let dst = unsafe { core::slice::from_raw_parts_mut(spare.as_mut_ptr().cast::<u8>(), n) };
        self.read_into(off, dst);
        // SAFETY: `reserve(n)` made room for `n` more bytes, all written just above.
        unsafe { out.set_len(start + n) };
    }

    /// [`write_c_order`] for a storage that gives no slice (the shared kinds): the same runs,
    /// each copied from the region by pointer (fixed-size copies for runs of 1 to 16 bytes).
    fn write_c_order_raw(&self, out: &mut Vec<u8>) {
        let (outer, run) = c_run(&self.shape, &self.strides, self.itemsize());
        let (shape, strides) = coalesce(&self.shape[..outer], &self.strides[..outer]);
        let offsets = OffsetIter::new(&shape, &strides, self.offset);
        match run {
            1 => self.append_runs::<1>(offsets, out),
            2 => self.append_runs::<2>(offsets, out),
            4 => self.append_runs::<4>(offsets, out),
            8 => self.append_runs::<8>(offsets, out),
            16 => self.append_runs::<16>(offsets, out),
            _ => {
                out.reserve(run * offsets.len());
                for off in offsets {
                    self.append_raw(off, run, out);
                }
            }
        }
    }

    /// Appends a run of `N` bytes at each offset, each read as one `[u8; N]` value.
    fn append_runs<const N: usize>(&self, offsets: OffsetIter<'_>, out: &mut Vec<u8>) {
        out.reserve(N * offsets.len());
        for off in offsets {
            out.extend_from_slice(&self.read_at::<[u8; N]>(off));
        }
    }

    /// CPython's `hex(sep, bytes_per_sep)`: the bytes in C order as lowercase hex digits,
    /// with `sep` (one ASCII character) between groups of `bytes_per_sep` bytes counted from
    /// the right (from the left when negative); no separator when `sep` is `None` or
    /// `bytes_per_sep` is 0.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// let view = MemoryView::from_bytes(&[1, 2, 3, 4, 5, 6]);
    /// assert_eq!(view.hex(None, 1).unwrap(), "010203040506");
    /// assert_eq!(view.hex(Some(":"), 2).unwrap(), "0102:0304:0506");
    /// assert_eq!(view.hex(Some(":"), 4).unwrap(), "0102:03040506");
    /// assert_eq!(view.hex(Some(":"), -4).unwrap(), "01020304:0506");
    /// assert_eq!(view.hex(Some("::"), 1).unwrap_err().to_string(), "sep must be length 1.");
    /// // CPython takes `bytes_per_sep` as a C int.
    /// let err = view.hex(Some(":"), 1 << 31).unwrap_err();
    /// assert_eq!(err.kind(), buffer_runtime::view::ErrorKind::OverflowError);
    /// ```
    pub fn hex(&self, sep: Option<&str>, bytes_per_sep: isize) -> Result<String> {
        // Checked before `sep`, as CPython's argument parsing converts it first.
        if i32::try_from(bytes_per_sep).is_err() {
            return Err(ViewError::new(
                ErrorKind::OverflowError,
                "Python int too large to convert to C int",
            ));
        }
        let sep = match sep {
            None => None,
            Some(s) => {
                let mut chars = s.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) if c.is_ascii() => Some(c),
                    (Some(_), None) => {
                        return Err(ViewError::value_error("sep must be ASCII."));
                    }
                    _ => return Err(ViewError::value_error("sep must be length 1.")),
                }
            }
        };
        let bytes = self.tobytes(Order::C);
        Ok(hex_with_sep(&bytes, sep, bytes_per_sep))
    }

    /// CPython's hash of a read-only view of a byte format (`B`, `b` or `c`): fed to `state`
    /// exactly as `<[u8] as Hash>::hash` feeds the view's bytes in C order, so it equals the
    /// Rust hash of `view.tobytes(Order::C)` (a `Vec<u8>` or `&[u8]`). CPython uses its own
    /// bytes hash instead; the errors are CPython's.
    ///
    /// ```
    /// use std::hash::{BuildHasher, Hash, Hasher};
    /// use std::collections::hash_map::RandomState;
    /// use buffer_runtime::view::{MemoryView, MemoryViewMut, Order};
    ///
    /// let rs = RandomState::new();
    /// let view = MemoryView::from_bytes(b"abc");
    /// let mut h = rs.build_hasher();
    /// view.try_hash(&mut h).unwrap();
    /// assert_eq!(h.finish(), rs.hash_one(&b"abc"[..]));
    ///
    /// let err = MemoryViewMut::from_bytes(&mut [0u8]).try_hash(&mut rs.build_hasher()).unwrap_err();
    /// assert_eq!(err.to_string(), "cannot hash writable memoryview object");
    /// ```
    pub fn try_hash<H: core::hash::Hasher>(&self, state: &mut H) -> Result<()> {
        use core::hash::Hash;
        if S::WRITABLE {
            return Err(ViewError::value_error(
                "cannot hash writable memoryview object",
            ));
        }
        if !self.item.is_byte_format() {
            return Err(ViewError::value_error(
                "memoryview: hashing is restricted to formats 'B', 'b' or 'c'",
            ));
        }
        let contiguous = self.c_contiguous() && self.item_count() != 0;
        if let (true, Some(bytes)) = (contiguous, self.data.as_slice()) {
            let n = self.nbytes();
            bytes[self.offset..self.offset + n].hash(state);
        } else {
            self.tobytes(Order::C).hash(state);
        }
        Ok(())
    }

    /// [`try_hash`](Self::try_hash) with std's `DefaultHasher` (SipHash with fixed keys,
    /// deterministic within one Rust release).
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// let a = MemoryView::from_bytes(b"abc");
    /// let b = MemoryView::from_parts(b"xabc", "B", &[3], None, 1).unwrap();
    /// assert_eq!(a.hash_value().unwrap(), b.hash_value().unwrap());
    /// ```
    #[cfg(feature = "std")]
    pub fn hash_value(&self) -> Result<u64> {
        use core::hash::Hasher;
        #[allow(deprecated)]
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.try_hash(&mut h)?;
        Ok(h.finish())
    }

    /// CPython's structure test for slice assignment: same format (ignoring a leading `@`),
    /// same item size, same shape up to the first zero.
    pub(crate) fn same_structure<T: Data>(&self, other: &ViewBase<T>) -> bool {
        let strip = |s: &str| s.strip_prefix('@').map(String::from).unwrap_or(s.into());
        if strip(self.format()) != strip(other.format()) || self.itemsize() != other.itemsize() {
            return false;
        }
        equiv_shape(&self.shape, &other.shape)
    }

    /// Copies every item of `src` into this view; both must have the same structure (format,
    /// item size, shape), else CPython's `ValueError: memoryview assignment: lvalue and rvalue
    /// have different structures`. Works on any number of dimensions; combine with
    /// [`sub_mut`](Self::sub_mut) to assign any sub-view.
    ///
    /// ```
    /// use buffer_runtime::{index, view::{MemoryView, MemoryViewMut}};
    /// let mut grid = [[0u8; 3]; 2];
    /// let col = [7u8, 8];
    /// let mut view = MemoryViewMut::new(&mut grid).unwrap();
    /// view.sub_mut(&index![.., 1]).unwrap().copy_from(&MemoryView::new(&col).unwrap()).unwrap();
    /// drop(view);
    /// assert_eq!(grid, [[0, 7, 0], [0, 8, 0]]);
    /// ```
    pub fn copy_from<T: Data>(&mut self, src: &ViewBase<T>) -> Result<()> {
        self.check_writable()?;
        if !self.same_structure(src) {
            return Err(ViewError::value_error(
                "memoryview assignment: lvalue and rvalue have different structures",
            ));
        }
        let (shape, strides) = (self.shape.clone(), self.strides.clone());
        self.copy_into(self.offset, &shape, &strides, src)
    }

    /// Copies the items of `src` into the items of the layout (`offset`, `shape`, `strides`;
    /// items of this view, with `src`'s structure, both checked by the caller).
    fn copy_into<T: Data>(
        &mut self,
        offset: usize,
        shape: &Shape,
        strides: &Strides,
        src: &ViewBase<T>,
    ) -> Result<()> {
        if shape.contains(&0) {
            return Ok(());
        }
        // The source may overlap the destination (the same exporter seen twice: a Python
        // buffer requested twice, or views of one region) - copy through a C-order buffer,
        // one run at a time, which is also the fast path for strided sources.
        let tmp = src.tobytes(Order::C);
        let (outer, run) = c_run(shape, strides, self.itemsize());
        let mut chunks = tmp.chunks_exact(run.max(1));
        for off in OffsetIter::new(&shape[..outer], &strides[..outer], offset) {
            if let Some(chunk) = chunks.next() {
                self.write_from(off, chunk)?;
            }
        }
        Ok(())
    }

    /// CPython's 1-d slice assignment `view[slice] = src`: this view must be 1-d (else
    /// CPython's `NotImplementedError`), `src` of the same structure as the slice.
    ///
    /// ```
    /// use buffer_runtime::view::{MemoryView, MemoryViewMut, Slice};
    /// let mut b = *b"abcdef";
    /// let mut view = MemoryViewMut::from_bytes(&mut b);
    /// view.assign_slice(Slice::FULL.step_by(2), &MemoryView::from_bytes(b"XYZ")).unwrap();
    /// let err = view.assign_slice(Slice::from(0..1), &MemoryView::from_bytes(b"XY")).unwrap_err();
    /// assert_eq!(err.to_string(), "memoryview assignment: lvalue and rvalue have different structures");
    /// drop(view);
    /// assert_eq!(&b, b"XbYdZf");
    /// ```
    pub fn assign_slice<T: Data>(&mut self, slice: Slice, src: &ViewBase<T>) -> Result<()> {
        self.check_writable()?;
        match self.ndim() {
            0 => Err(ViewError::type_error("invalid indexing of 0-dim memory")),
            1 => self.assign_slice_axis(Axis(0), slice, src),
            _ => Err(ViewError::not_implemented(
                "memoryview slice assignments are currently restricted to ndim = 1",
            )),
        }
    }

    /// Assigns `src` to the slice `slice` of dimension `axis` (beyond CPython: any dimension,
    /// any number of dimensions).
    ///
    /// ```
    /// use buffer_runtime::view::{Axis, MemoryView, MemoryViewMut, Slice};
    /// let mut grid = [[0u8; 2]; 2];
    /// let ones = [[1u8], [1]];
    /// let mut view = MemoryViewMut::new(&mut grid).unwrap();
    /// let src = MemoryView::new(&ones).unwrap();
    /// view.assign_slice_axis(Axis(1), Slice::from(1..), &src).unwrap();
    /// drop(view);
    /// assert_eq!(grid, [[0, 1], [0, 1]]);
    /// ```
    pub fn assign_slice_axis<T: Data>(
        &mut self,
        axis: Axis,
        slice: Slice,
        src: &ViewBase<T>,
    ) -> Result<()> {
        self.check_writable()?;
        // The destination's layout, found through a read-only view of the same items.
        let (offset, shape, strides) = {
            let dst = self.view().into_slice_axis(axis, slice)?;
            if !dst.same_structure(src) {
                return Err(ViewError::value_error(
                    "memoryview assignment: lvalue and rvalue have different structures",
                ));
            }
            (dst.offset, dst.shape.clone(), dst.strides.clone())
        };
        self.copy_into(offset, &shape, &strides, src)
    }
}

impl<S: DataMut> ViewBase<S> {
    /// Fills every item with the bytes of `item` (which must be exactly `itemsize` long).
    ///
    /// ```
    /// use buffer_runtime::view::{MemoryViewMut, Slice};
    /// let mut b = [0u8; 4];
    /// let mut view = MemoryViewMut::from_bytes(&mut b);
    /// view.slice_mut(Slice::FULL.step_by(2)).unwrap().fill_bytes(&[9]).unwrap();
    /// drop(view);
    /// assert_eq!(b, [9, 0, 9, 0]);
    /// ```
    pub fn fill_bytes(&mut self, item: &[u8]) -> Result<()> {
        let itemsize = self.itemsize();
        if item.len() != itemsize {
            return Err(ViewError::value_error(alloc::format!(
                "fill: {} bytes given for items of {itemsize} bytes",
                item.len()
            )));
        }
        let (shape, strides, offset) = (self.shape.clone(), self.strides.clone(), self.offset);
        for off in OffsetIter::new(&shape, &strides, offset) {
            self.write_from(off, item)?;
        }
        Ok(())
    }
}

/// CPython's `equiv_shape`: equal ndim and shape, comparing up to (and including) the first 0.
pub(crate) fn equiv_shape(a: &[usize], b: &[usize]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    for (x, y) in a.iter().zip(b) {
        if x != y {
            return false;
        }
        if *x == 0 {
            break;
        }
    }
    true
}

/// Hex digits with an optional separator every `bytes_per_sep` bytes (counted from the right
/// when positive, from the left when negative), as CPython's `_Py_strhex_with_sep`.
fn hex_with_sep(bytes: &[u8], sep: Option<char>, bytes_per_sep: isize) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let group = bytes_per_sep.unsigned_abs();
    let sep = if group == 0 { None } else { sep };
    let mut out = String::with_capacity(bytes.len() * 3);
    let n = bytes.len();
    for (k, &b) in bytes.iter().enumerate() {
        if let Some(sep) = sep {
            if k > 0 {
                // A separator before byte k when a group boundary falls there.
                let boundary = if bytes_per_sep > 0 {
                    (n - k) % group == 0
                } else {
                    k % group == 0
                };
                if boundary {
                    out.push(sep);
                }
            }
        }
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 15) as usize] as char);
    }
    out
}

const _: () = assert!(MAX_NDIM == 64);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::MemoryView;
    use alloc::vec;
    use proptest::prelude::*;

    /// The bytes of the items in C order, one item at a time through `OffsetIter` (the
    /// model `tobytes` must agree with).
    fn model_c_bytes(v: &MemoryView<'_>) -> Vec<u8> {
        let bytes = crate::view::DataRef::bytes(&v.data);
        let n = v.itemsize();
        v.offsets()
            .flat_map(|off| bytes[off..off + n].iter().copied())
            .collect()
    }

    /// A view of `k`-byte items (format `{k}s`) with the given shape and strides (in items,
    /// plus `extra` bytes each), its offset and buffer sized so that every item is inside.
    /// `None` when the layout is not one `from_parts` accepts.
    fn view_over<'a>(
        buf: &'a mut Vec<u8>,
        k: usize,
        dims: &[(usize, isize, isize)],
    ) -> Option<MemoryView<'a>> {
        let shape: Vec<usize> = dims.iter().map(|d| d.0).collect();
        let strides: Vec<isize> = dims.iter().map(|d| d.1 * k as isize + d.2).collect();
        let (mut low, mut high) = (0isize, 0isize);
        for (&n, &s) in shape.iter().zip(&strides) {
            let reach = s * (n.max(1) as isize - 1);
            if reach < 0 {
                low += reach;
            } else {
                high += reach;
            }
        }
        let offset = (-low) as usize;
        let len = offset + high as usize + k;
        *buf = (0..len).map(|i| (i * 7 + i / 251) as u8).collect();
        let format = alloc::format!("{k}s");
        MemoryView::from_parts(buf, &format, &shape, Some(&strides), offset).ok()
    }

    #[test]
    fn reversed_and_every_other_runs_of_every_fixed_size() {
        for k in [1usize, 2, 3, 4, 5, 6, 8, 12, 16, 17] {
            for dims in [
                vec![(9, -1, 0)],
                vec![(9, 2, 0)],
                vec![(9, -2, 0)],
                vec![(9, 3, 0)],
                vec![(9, 4, 0)],
                vec![(9, 5, 0)],
                vec![(3, 0, 0), (4, 2, 0)],
                vec![(3, 9, 0), (3, -3, 0)],
                vec![(2, 1, 0), (5, 0, 1)],
                // Rows longer than SHORT_ROW, in planes, under an outer dimension.
                vec![(3, 60, 0), (11, 2, 0)],
                vec![(2, -120, 0), (3, 40, 0), (11, -1, 0)],
                vec![(3, 40, 1), (10, 3, 0)],
                vec![(2, 7, 0), (3, 50, 0), (9, 4, 0)],
                vec![(4, -50, 0), (9, 5, 0)],
                // Dimensions that coalesce into one row (4 == 2 * 2; 18 == 9 * 2).
                vec![(3, 4, 0), (2, 2, 0)],
                vec![(2, 18, 0), (9, 2, 0)],
                vec![(2, -18, 0), (9, -2, 0)],
                vec![(3, 1, 0), (1, 5, 0), (2, 7, 0)],
            ] {
                let mut buf = Vec::new();
                let v = view_over(&mut buf, k, &dims).unwrap();
                assert_eq!(
                    v.tobytes(Order::C),
                    model_c_bytes(&v),
                    "k {k} dims {dims:?}"
                );
            }
        }
    }

    proptest! {
        #[test]
        fn tobytes_of_any_layout_is_its_items_in_c_order(
            k in prop_oneof![Just(1usize), Just(2), Just(3), Just(4), Just(6), Just(8), Just(12), Just(16), 1usize..40],
            dims in proptest::collection::vec((0usize..12, -5isize..6, 0isize..3), 0..4),
            prefix in proptest::collection::vec(any::<u8>(), 0..3),
        ) {
            let mut buf = Vec::new();
            if let Some(v) = view_over(&mut buf, k, &dims) {
                let model = model_c_bytes(&v);
                prop_assert_eq!(v.tobytes(Order::C), model.clone());
                // Appending keeps what is there.
                let mut out = prefix.clone();
                v.write_bytes(Order::C, &mut out);
                prop_assert_eq!(&out[..prefix.len()], &prefix[..]);
                prop_assert_eq!(&out[prefix.len()..], &model[..]);
                // F order is the C order of the transpose.
                let t = v.t();
                prop_assert_eq!(v.tobytes(Order::F), model_c_bytes(&t));
            }
        }
    }
}
