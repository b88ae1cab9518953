//! Walking the items of a layout in C order: their byte offsets, and the layout reshaped into
//! fewer, longer runs.

use smallvec::SmallVec;

#[cfg(doc)]
use super::ViewBase;

/// The byte offsets of the items of a layout in C order (last index fastest): a tight loop
/// along the last dimension, an odometer over the others.
///
/// Precondition (upheld by [`ViewBase`]'s [invariants](ViewBase#invariants)): every offset produced lies in the
/// view's bytes. The arithmetic wraps instead of panicking: the true value of every offset
/// produced is in range, so wrapping gives exactly that value.
#[derive(Clone)]
pub(crate) struct OffsetIter<'s> {
    /// The outer dimensions (all but the last).
    outer_shape: &'s [usize],
    outer_strides: &'s [isize],
    index: SmallVec<[usize; 4]>,
    /// The offset of the current row's first item.
    row: isize,
    /// The offset of the next item in the current row.
    cur: isize,
    inner_len: usize,
    inner_stride: isize,
    left_in_row: usize,
    rows_left: usize,
    started: bool,
}

impl<'s> OffsetIter<'s> {
    pub(crate) fn new(shape: &'s [usize], strides: &'s [isize], offset: usize) -> Self {
        let (outer_shape, outer_strides, inner_len, inner_stride) = match shape.len() {
            0 => (shape, strides, 1, 0),
            n => (
                &shape[..n - 1],
                &strides[..n - 1],
                shape[n - 1],
                strides[n - 1],
            ),
        };
        // A 0 anywhere means no rows; a partial product before it may overflow. Without a 0,
        // the view's invariants bound the product by isize::MAX.
        let rows: usize = if shape.contains(&0) {
            0
        } else {
            outer_shape.iter().product()
        };
        OffsetIter {
            outer_shape,
            outer_strides,
            index: SmallVec::from_elem(0, outer_shape.len()),
            row: offset as isize,
            cur: offset as isize,
            inner_len,
            inner_stride,
            left_in_row: 0,
            rows_left: if inner_len == 0 { 0 } else { rows },
            started: false,
        }
    }

    /// Moves to the next row; false when there is none.
    #[inline]
    fn next_row(&mut self) -> bool {
        if self.rows_left == 0 {
            return false;
        }
        self.rows_left -= 1;
        if self.started {
            let mut k = self.outer_shape.len();
            while k > 0 {
                k -= 1;
                self.index[k] += 1;
                self.row = self.row.wrapping_add(self.outer_strides[k]);
                if self.index[k] < self.outer_shape[k] {
                    break;
                }
                let back = self.outer_strides[k].wrapping_mul(self.outer_shape[k] as isize);
                self.row = self.row.wrapping_sub(back);
                self.index[k] = 0;
            }
        }
        self.started = true;
        self.cur = self.row;
        self.left_in_row = self.inner_len;
        true
    }
}

impl OffsetIter<'_> {
    /// The rest of the current row (or the next row) at once: (offset of its next item,
    /// number of items, stride). Consumes those items.
    #[inline]
    pub(crate) fn take_row(&mut self) -> Option<(usize, usize, isize)> {
        if self.left_in_row == 0 && !self.next_row() {
            return None;
        }
        let row = (self.cur as usize, self.left_in_row, self.inner_stride);
        self.left_in_row = 0;
        Some(row)
    }
}

impl Iterator for OffsetIter<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        if self.left_in_row == 0 && !self.next_row() {
            return None;
        }
        let out = self.cur as usize;
        self.cur = self.cur.wrapping_add(self.inner_stride);
        self.left_in_row -= 1;
        Some(out)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.left_in_row + self.rows_left * self.inner_len;
        (n, Some(n))
    }
}

impl ExactSizeIterator for OffsetIter<'_> {}

/// The dimensions of a layout merged where one steps exactly over the whole of the next
/// (`strides[k] == shape[k + 1] * strides[k + 1]`, as in `x[::2, :]` of a C-contiguous
/// array: one dimension of stride 2 items), dimensions of length 1 dropped. The merged
/// layout has the same item offsets in the same C order, with fewer and longer rows.
pub(super) fn coalesce(
    shape: &[usize],
    strides: &[isize],
) -> (SmallVec<[usize; 4]>, SmallVec<[isize; 4]>) {
    let mut out_shape: SmallVec<[usize; 4]> = SmallVec::new();
    let mut out_strides: SmallVec<[isize; 4]> = SmallVec::new();
    for (&n, &s) in shape.iter().zip(strides) {
        if n == 1 {
            continue;
        }
        if let (Some(last_n), Some(last_s)) = (out_shape.last_mut(), out_strides.last_mut()) {
            let whole = (n as isize).checked_mul(s);
            let merged = last_n.checked_mul(n);
            if let (Some(whole), Some(merged)) = (whole, merged) {
                if *last_s == whole {
                    *last_n = merged;
                    *last_s = s;
                    continue;
                }
            }
        }
        out_shape.push(n);
        out_strides.push(s);
    }
    (out_shape, out_strides)
}

/// Splits a layout into outer dimensions and one contiguous inner run: the trailing
/// dimensions whose items follow each other without gap. Returns (outer ndim, run bytes).
pub(super) fn c_run(shape: &[usize], strides: &[isize], itemsize: usize) -> (usize, usize) {
    let mut run = itemsize;
    let mut k = shape.len();
    while k > 0 {
        let n = shape[k - 1];
        if n != 1 && strides[k - 1] != run as isize {
            break;
        }
        run *= n;
        k -= 1;
    }
    (k, run)
}
