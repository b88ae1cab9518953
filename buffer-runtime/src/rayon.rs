//! rayon interop (feature `rayon`): parallel iteration over the items and the rows (outer
//! dimension) of a view, and over disjoint mutable chunks of rows of a writable view.
//!
//! ```
//! use buffer_runtime::view::{MemoryView, MemoryViewMut};
//! use rayon::prelude::*;
//!
//! let mut grid = vec![[1u32, 2, 3]; 1000];
//! let view = MemoryView::new(&grid).unwrap();
//! let total: u32 = view.typed::<u32>().unwrap().par_iter().sum();
//! assert_eq!(total, 6000);
//! let row_sums: Vec<u32> =
//!     view.par_rows().map(|row| row.iter_as::<u32>().unwrap().sum()).collect();
//! assert_eq!(row_sums.len(), 1000);
//!
//! let mut view = MemoryViewMut::new(&mut grid).unwrap();
//! view.par_row_chunks_mut(64)
//!     .unwrap()
//!     .for_each(|mut chunk| chunk.for_each_mut::<u32>(|x| *x *= 2).unwrap());
//! assert_eq!(grid[999], [2, 4, 6]);
//! ```

use alloc::string::String;
use alloc::vec::Vec;

use rayon::prelude::*;
use zerocopy::FromBytes;

use crate::export::items_disjoint;
use crate::format::MatchNames;
use crate::view::{
    DataRef, DataRefMut, MemoryView, MemoryViewMut, Result, TypedView, ViewBase, ViewError,
};
use crate::FieldType;

impl<S: DataRef + Sync> ViewBase<S> {
    /// Every item in C order, read as `T`, in parallel (an indexed iterator: `collect`,
    /// `zip`, `enumerate` keep the order). Fails, before any work, if `T` does not match the
    /// format: a check every call makes; [`typed`](Self::typed) checks once, then
    /// [`TypedView::par_iter`].
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// use rayon::prelude::*;
    /// let v: Vec<u64> = (0..10_000).collect();
    /// let view = MemoryView::new(&v).unwrap();
    /// let evens: Vec<u64> = view.par_iter_as::<u64>().unwrap().filter(|x| x % 2 == 0).collect();
    /// assert_eq!(evens.len(), 5_000);
    /// assert!(view.par_iter_as::<i8>().is_err());
    /// ```
    pub fn par_iter_as<T: FieldType + FromBytes + Send>(
        &self,
    ) -> Result<impl IndexedParallelIterator<Item = T> + '_> {
        let lead = self.typed_ndim::<T>(MatchNames::Ignore)?;
        // SAFETY: `lead` is what `typed_ndim::<T>` just returned for this view.
        Ok(unsafe { self.par_values_unchecked::<T>(lead) })
    }

    /// The values of `T` over the first `lead` dimensions, in parallel.
    ///
    /// # Safety
    ///
    /// `lead` is the `Ok` value of `self.typed_ndim::<T>(_)`: every value is read without a
    /// bounds check.
    unsafe fn par_values_unchecked<T: FieldType + FromBytes + Send>(
        &self,
        lead: usize,
    ) -> impl IndexedParallelIterator<Item = T> + '_ {
        let k = lead;
        let bytes = self.underlying_bytes();
        let (shape, strides, offset) =
            (&self.shape()[..k], &self.byte_strides()[..k], self.offset());
        let size = core::mem::size_of::<T>();
        // With a 0 anywhere the product is 0, but a partial product before it may overflow.
        let count = if shape.contains(&0) {
            0
        } else {
            shape.iter().product()
        };
        (0..count).into_par_iter().map(move |flat| {
            // The C-order index of item `flat`, and its byte offset.
            let mut rest = flat;
            let mut off = offset as isize;
            for (&n, &s) in shape.iter().zip(strides).rev() {
                off += (rest % n) as isize * s;
                rest /= n;
            }
            let off = off as usize;
            debug_assert!(off + size <= bytes.len());
            // `flat < count = product(shape)`, so the digits computed above are a
            // valid index of the leading dimensions (each `< shape[k]`), and `off` is that
            // value's offset: `lead` is an `Ok` of `typed_ndim` (this function's contract), so
            // (with the view's invariant 4) `off + size_of::<T>() <= bytes.len()`; the read is
            // in bounds of `bytes`, which the view borrows shared for `'_`, and nothing writes
            // it meanwhile (a `MemoryViewMut` is borrowed by `&self` here). `read_unaligned`
            // needs no alignment; `T: FromBytes` accepts any bits.
            // SAFETY: `off + size_of::<T>() <= bytes.len()` (above); `T: FromBytes`.
            unsafe { core::ptr::read_unaligned(bytes.as_ptr().add(off).cast::<T>()) }
        })
    }

    /// The rows of the outer dimension, as (N-1)-d read-only views, in parallel (a 1-d view's
    /// rows are 0-d views of one item). Typed access inside each row: `iter_as`, `get_as`,
    /// `as_slice`.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// use rayon::prelude::*;
    /// let image = vec![[10u8, 20, 30, 40]; 480];
    /// let view = MemoryView::new(&image).unwrap();
    /// assert!(view.par_rows().all(|row| row.shape() == [4]));
    /// ```
    pub fn par_rows(&self) -> impl IndexedParallelIterator<Item = MemoryView<'_>> + '_ {
        let rows = self.shape().first().copied().unwrap_or(0);
        (0..rows).into_par_iter().map(move |i| {
            // `i < shape[0]`, so indexing the outer dimension cannot fail (it fails only for
            // an out-of-range index or a 0-d view, which has no rows: `rows` is 0 then).
            self.ref_view()
                .into_index(i as isize)
                .expect("a row index below shape[0] is always valid")
        })
    }
}

impl<T: FieldType + FromBytes + Send, S: DataRef + Sync> TypedView<T, S> {
    /// Every value in C order, in parallel (an indexed iterator: `collect`, `zip`,
    /// `enumerate` keep the order); no type check, the typed view was checked when made.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// use rayon::prelude::*;
    /// let v: Vec<u64> = (0..10_000).collect();
    /// let view = MemoryView::new(&v).unwrap();
    /// let typed = view.typed::<u64>().unwrap();
    /// assert_eq!(typed.par_iter().filter(|x| x % 2 == 0).count(), 5_000);
    /// assert_eq!(typed.par_iter().sum::<u64>(), typed.iter().sum::<u64>());
    /// ```
    pub fn par_iter(&self) -> impl IndexedParallelIterator<Item = T> + '_ {
        let (view, lead) = self.parts();
        // SAFETY: `lead` is what `typed_ndim::<T>` returned for `view`'s layout (the typed
        // view's invariant).
        unsafe { view.par_values_unchecked::<T>(lead) }
    }
}

impl<S: DataRefMut> ViewBase<S> {
    /// Splits the view into chunks of `rows_per_chunk` rows of the outer dimension (the last
    /// chunk may be shorter), each a writable view of its own bytes, for parallel writing.
    ///
    /// Refused (`BufferError`) when two items of the view share bytes (zero or overlapping
    /// strides: two chunks could then write the same bytes) or when the rows' byte ranges
    /// interleave (a transposed view: its rows are columns of the memory), since each chunk
    /// must own a separate byte range; `ValueError` for `rows_per_chunk == 0` or a 0-d view.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryViewMut;
    /// use rayon::prelude::*;
    /// let mut rows = vec![[0u16; 8]; 100];
    /// let mut view = MemoryViewMut::new(&mut rows).unwrap();
    /// let chunks = view.par_row_chunks_mut(30).unwrap();
    /// assert_eq!(chunks.len(), 4);
    /// chunks.enumerate().for_each(|(c, mut chunk)| chunk.fill_bytes(&[c as u8, 0]).unwrap());
    /// assert_eq!(rows[99], [3; 8]);
    /// // A transposed view's rows interleave in memory: refused.
    /// let mut view = MemoryViewMut::new(&mut rows).unwrap();
    /// assert!(view.t_mut().par_row_chunks_mut(1).is_err());
    /// ```
    pub fn par_row_chunks_mut(
        &mut self,
        rows_per_chunk: usize,
    ) -> Result<rayon::vec::IntoIter<MemoryViewMut<'_>>> {
        let chunks = self.row_chunks_mut(rows_per_chunk)?;
        Ok(chunks.into_par_iter())
    }

    /// The chunks of [`par_row_chunks_mut`](Self::par_row_chunks_mut), as a `Vec`.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryViewMut;
    /// let mut v = [1u8, 2, 3, 4, 5];
    /// let mut view = MemoryViewMut::new(&mut v).unwrap();
    /// let chunks = view.row_chunks_mut(2).unwrap();
    /// assert_eq!(chunks.iter().map(|c| c.shape()[0]).collect::<Vec<_>>(), [2, 2, 1]);
    /// ```
    pub fn row_chunks_mut(&mut self, rows_per_chunk: usize) -> Result<Vec<MemoryViewMut<'_>>> {
        if rows_per_chunk == 0 {
            return Err(ViewError::value_error("rows_per_chunk must be at least 1"));
        }
        if self.ndim() == 0 {
            return Err(ViewError::value_error("a 0-d view has no rows to split"));
        }
        let itemsize = self.itemsize();
        if !items_disjoint(self.shape(), self.byte_strides(), itemsize) {
            return Err(ViewError::buffer_error(
                "two items of this view share bytes (zero or overlapping strides): it cannot be \
                 split into chunks written in parallel",
            ));
        }
        let format = String::from(self.format());
        let shape: Vec<usize> = self.shape().to_vec();
        let strides: Vec<isize> = self.byte_strides().to_vec();
        let offset = self.offset() as isize;
        let (rows, s0) = (shape[0], strides[0]);
        // The byte extent of one row, relative to its first item: [low, high).
        let empty_rows = shape[1..].contains(&0);
        let (mut low, mut high) = (0isize, itemsize as isize);
        for (&n, &s) in shape[1..].iter().zip(&strides[1..]) {
            let reach = (n as isize - 1) * s;
            if reach < 0 {
                low += reach;
            } else {
                high += reach;
            }
        }
        if !empty_rows && rows > 1 && s0.unsigned_abs() < (high - low) as usize {
            return Err(ViewError::buffer_error(
                "the rows of this view interleave in memory (a transposed or permuted view): \
                 each chunk must own a separate byte range",
            ));
        }
        // Each chunk's byte range and first-item offset, in chunk order.
        let mut ranges: Vec<(usize, usize, usize, usize)> = Vec::new(); // (start, end, first, rows)
        let mut r0 = 0;
        while r0 < rows {
            let r1 = (r0 + rows_per_chunk).min(rows);
            let first = offset + r0 as isize * s0;
            let last = offset + (r1 - 1) as isize * s0;
            let (start, end) = if empty_rows {
                (first.min(last) as usize, first.min(last) as usize)
            } else {
                (
                    (first.min(last) + low) as usize,
                    (first.max(last) + high) as usize,
                )
            };
            ranges.push((start, end, first as usize, r1 - r0));
            r0 = r1;
        }
        // Hand out the ranges in address order with `split_at_mut`, which the borrow checker
        // proves disjoint: no `unsafe` is needed. A range that begins before the previous one
        // ended would be a bug in the checks above; it is reported, never split.
        let mut order: Vec<usize> = (0..ranges.len()).collect();
        order.sort_by_key(|&i| ranges[i].0);
        let mut slots: Vec<Option<MemoryViewMut<'_>>> = (0..ranges.len()).map(|_| None).collect();
        let mut rest: &mut [u8] = self.writable_bytes();
        let mut consumed = 0usize;
        for i in order {
            let (start, end, first, n) = ranges[i];
            if start < consumed {
                return Err(ViewError::buffer_error("row chunks would overlap"));
            }
            let tail = core::mem::take(&mut rest);
            let (_, tail) = tail.split_at_mut(start - consumed);
            let (mine, tail) = tail.split_at_mut(end - start);
            rest = tail;
            consumed = end;
            let mut chunk_shape = shape.clone();
            chunk_shape[0] = n;
            slots[i] = Some(MemoryViewMut::from_parts(
                mine,
                &format,
                &chunk_shape,
                Some(&strides),
                first - start,
            )?);
        }
        Ok(slots.into_iter().flatten().collect())
    }
}
