//! Walking items in C order, copying them out (`tobytes`, `hex`, hashing) and in (slice
//! assignment).

use alloc::string::String;
use alloc::vec::Vec;
use core::mem::MaybeUninit;

use smallvec::SmallVec;

use super::error::{ErrorKind, Result, ViewError};
use super::{Data, DataMut, Order, Slice, ViewBase, MAX_NDIM};
use super::{Shape, Strides};

/// The byte offsets of the items of a layout in C order (last index fastest): a tight loop
/// along the last dimension, an odometer over the others.
///
/// Precondition (upheld by [`ViewBase`]'s invariants): every offset produced lies in the
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

/// How [`copy_planes`] walks a row of runs: run by run, each bounds-checked ([`ANY`]: for
/// overlapping runs and short rows), or through the row's whole source span going up
/// ([`UP`]) or down ([`DOWN`]).
type Mode = u8;
const ANY: Mode = 0;
const UP: Mode = 1;
const DOWN: Mode = 2;

/// Rows of at most this many runs are copied run by run: too short for the set-up of a walk
/// to pay.
const SHORT_ROW: usize = 8;

/// Copies the runs of `N` bytes of a layout (`shape`, `strides` in bytes, `offset`: the
/// runs, in C order) from `src` into consecutive chunks of `dst`; returns how many bytes it
/// wrote from the start of `dst` (all of `dst` when the layout has `dst.len() / N` runs,
/// each inside `src`; less, never more, when one is not).
///
/// Every row has the same stride, so the walk is chosen once, here: [`copy_planes`] is
/// compiled for each mode, and for strides of 2, 3 and 4 runs going up (every other item;
/// one field or channel of a 3- or 4-wide record) and 1 run going down (a reversed axis)
/// with the stride as a constant, which lets the compiler vectorise the loop.
fn copy_runs<const N: usize>(
    dst: &mut [MaybeUninit<u8>],
    src: &[u8],
    shape: &[usize],
    strides: &[isize],
    offset: usize,
) -> usize {
    type Planes = fn(&mut [MaybeUninit<u8>], &[u8], &[usize], &[isize], usize) -> usize;
    let (len, stride) = match (shape.last(), strides.last()) {
        (Some(&len), Some(&stride)) => (len, stride),
        _ => (1, 0),
    };
    let step = stride.unsigned_abs();
    let runs = if step % N == 0 { step / N } else { 0 };
    let planes: Planes = if step < N || len <= SHORT_ROW {
        copy_planes::<N, ANY, 0>
    } else if !N.is_power_of_two() {
        // 3, 6, 12 bytes: the compiler does not vectorise these with a constant stride.
        match stride > 0 {
            true => copy_planes::<N, UP, 0>,
            false => copy_planes::<N, DOWN, 0>,
        }
    } else if stride > 0 {
        match runs {
            2 => copy_planes::<N, UP, 2>,
            3 => copy_planes::<N, UP, 3>,
            4 => copy_planes::<N, UP, 4>,
            _ => copy_planes::<N, UP, 0>,
        }
    } else {
        match runs {
            1 => copy_planes::<N, DOWN, 1>,
            _ => copy_planes::<N, DOWN, 0>,
        }
    };
    planes(dst, src, shape, strides, offset)
}

/// [`copy_runs`] with the walk fixed: `MODE`, and the stride `K` runs when `K > 0` (as
/// the layout's, which the caller checked). The last dimension is a row, the one before it
/// a plane of rows one row stride apart (a plain loop), `OffsetIter` steps over the others.
/// Each run is copied as one `[u8; N]` value: one load and one store for N = 1, 2, 4, 8,
/// 16, two for 3, 6, 12 (a byte-by-byte copy makes 4-byte runs 1.4x-2x slower).
fn copy_planes<const N: usize, const MODE: Mode, const K: usize>(
    dst: &mut [MaybeUninit<u8>],
    src: &[u8],
    shape: &[usize],
    strides: &[isize],
    offset: usize,
) -> usize {
    let nd = shape.len().min(strides.len());
    let (len, stride) = match nd {
        0 => (1, 0),
        _ => (shape[nd - 1], strides[nd - 1]),
    };
    let (rows, row_stride, outer) = match nd {
        0 | 1 => (1, 0, 0),
        _ => (shape[nd - 2], strides[nd - 2], nd - 2),
    };
    let step = if K > 0 { K * N } else { stride.unsigned_abs() };
    // A row's runs span (len - 1) steps plus one run.
    let row_bytes = len.checked_mul(N);
    let span = len
        .checked_sub(1)
        .and_then(|k| k.checked_mul(step))
        .and_then(|s| s.checked_add(N));
    let (Some(row_bytes), Some(span)) = (row_bytes, span) else {
        return 0;
    };
    let mut rest = dst;
    let mut written = 0;
    for plane in OffsetIter::new(&shape[..outer], &strides[..outer], offset) {
        let mut first = plane;
        for _ in 0..rows {
            let Some((row, tail)) = rest.split_at_mut_checked(row_bytes) else {
                return written;
            };
            let copied = match MODE {
                // The span starts at the row's first run going up, ends N bytes after it
                // going down.
                UP => match src.get(first..).and_then(|s| s.get(..span)) {
                    Some(span) => copy_row_up::<N>(row, span, step),
                    None => false,
                },
                DOWN => match first
                    .checked_add(N)
                    .and_then(|end| end.checked_sub(span))
                    .and_then(|low| src.get(low..))
                    .and_then(|s| s.get(..span))
                {
                    Some(span) => copy_row_down::<N>(row, span, step),
                    None => false,
                },
                _ => copy_row_any::<N>(row, src, first, stride),
            };
            if !copied {
                return written;
            }
            written += row_bytes;
            rest = tail;
            first = first.wrapping_add_signed(row_stride);
        }
    }
    written
}

/// Writes one run: `*dst = src[..N]` as one `[u8; N]` value. False if `src` is shorter.
#[inline(always)]
fn put_run<const N: usize>(dst: &mut [MaybeUninit<u8>], src: &[u8]) -> bool {
    match (
        <&mut [MaybeUninit<u8>; N]>::try_from(dst),
        src.first_chunk::<N>(),
    ) {
        (Ok(d), Some(s)) => {
            *d = s.map(MaybeUninit::new);
            true
        }
        _ => false,
    }
}

/// [`put_run`] from the last `N` bytes of `src`.
#[inline(always)]
fn put_run_last<const N: usize>(dst: &mut [MaybeUninit<u8>], src: &[u8]) -> bool {
    match src.len().checked_sub(N) {
        Some(start) => put_run::<N>(dst, &src[start..]),
        None => false,
    }
}

/// One row with a positive stride `step >= N`: run k of `dst` (chunks of `N`) is
/// `span[k * step..][..N]`; `span` holds exactly the runs (its length is `(k - 1) * step + N`
/// for `k` runs). False (with a prefix of `dst` written) if `span` is too short.
#[inline(always)]
fn copy_row_up<const N: usize>(dst: &mut [MaybeUninit<u8>], span: &[u8], step: usize) -> bool {
    let mut runs = dst.chunks_exact_mut(N);
    let mut items = span.chunks_exact(step);
    // Every run but the last starts a whole step of `span`; `items` goes first in the zip,
    // so a run is taken only when its step is there.
    for (s, d) in items.by_ref().zip(runs.by_ref()) {
        if !put_run::<N>(d, s) {
            return false;
        }
    }
    // The last run: the remainder, N bytes (none left when step == N).
    match runs.next() {
        Some(d) => put_run::<N>(d, items.remainder()),
        None => true,
    }
}

/// [`copy_row_up`] for a negative stride of `-step`: run k of `dst` is the k-th run counted
/// down from the top of `span` (the first one ends `span`).
#[inline(always)]
fn copy_row_down<const N: usize>(dst: &mut [MaybeUninit<u8>], span: &[u8], step: usize) -> bool {
    let mut runs = dst.chunks_exact_mut(N);
    let mut items = span.rchunks_exact(step);
    // Each step, counted from the top, ends with its run.
    for (s, d) in items.by_ref().zip(runs.by_ref()) {
        if !put_run_last::<N>(d, s) {
            return false;
        }
    }
    match runs.next() {
        Some(d) => put_run_last::<N>(d, items.remainder()),
        None => true,
    }
}

/// One row of runs that may overlap (`|stride| < N`, including 0): each run's bounds checked
/// on its own. False (with a prefix of `dst` written) if a run is outside `src`.
#[inline(always)]
fn copy_row_any<const N: usize>(
    dst: &mut [MaybeUninit<u8>],
    src: &[u8],
    first: usize,
    stride: isize,
) -> bool {
    let mut off = first;
    for d in dst.chunks_exact_mut(N) {
        match src.get(off..) {
            Some(s) if put_run::<N>(d, s) => {}
            _ => return false,
        }
        off = off.wrapping_add_signed(stride);
    }
    true
}

/// Appends the items of a non-empty layout over `bytes` (which upholds [`ViewBase`]'s
/// invariants) to `out` in C order, one contiguous run at a time. Not generic over the
/// view's storage, so compiled once, here, not in every crate that calls `tobytes`.
fn write_c_order(
    bytes: &[u8],
    shape: &[usize],
    strides: &[isize],
    offset: usize,
    itemsize: usize,
    out: &mut Vec<u8>,
) {
    let (outer, run) = c_run(shape, strides, itemsize);
    // The runs' offsets, over as few dimensions as give the same sequence.
    let (shape, strides) = coalesce(&shape[..outer], &strides[..outer]);
    let offsets = OffsetIter::new(&shape, &strides, offset);
    // `run` bytes per run, as many runs as offsets: at most isize::MAX bytes (invariant 3).
    let n = run * offsets.len();
    if run > 16 {
        // Long runs: append each (no zero-filling first).
        out.reserve(n);
        for off in offsets {
            out.extend_from_slice(&bytes[off..off + run]);
        }
        return;
    }
    // Every run lies inside `bytes` (invariant 4). Fixed-size copies for the common run
    // sizes (1-16 byte numbers; 3, 6 and 12 for RGB pixels of u8 and u16, and xyz points of
    // f32) let the compiler emit a few loads and stores per run, no call.
    type Copy = fn(&mut [MaybeUninit<u8>], &[u8], &[usize], &[isize], usize) -> usize;
    let copy: Copy = match run {
        1 => copy_runs::<1>,
        2 => copy_runs::<2>,
        3 => copy_runs::<3>,
        4 => copy_runs::<4>,
        6 => copy_runs::<6>,
        8 => copy_runs::<8>,
        12 => copy_runs::<12>,
        16 => copy_runs::<16>,
        _ => {
            let start = out.len();
            out.resize(start + n, 0);
            for (chunk, off) in out[start..].chunks_exact_mut(run.max(1)).zip(offsets) {
                chunk.copy_from_slice(&bytes[off..off + run]);
            }
            return;
        }
    };
    out.reserve(n);
    let written = copy(
        &mut out.spare_capacity_mut()[..n],
        bytes,
        &shape,
        &strides,
        offset,
    );
    if written == n {
        // SAFETY: `reserve(n)` made room for `n` more bytes and `copy` initialised the
        // first `written == n` of them (it writes its output front to back, one run after
        // another, and counts only what it wrote), so the first `len + n` bytes of the
        // buffer are initialised.
        unsafe { out.set_len(out.len() + n) };
    }
}

/// The dimensions of a layout merged where one steps exactly over the whole of the next
/// (`strides[k] == shape[k + 1] * strides[k + 1]`, as in `x[::2, :]` of a C-contiguous
/// array: one dimension of stride 2 items), dimensions of length 1 dropped. The merged
/// layout has the same item offsets in the same C order, with fewer and longer rows.
fn coalesce(shape: &[usize], strides: &[isize]) -> (SmallVec<[usize; 4]>, SmallVec<[isize; 4]>) {
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
fn c_run(shape: &[usize], strides: &[isize], itemsize: usize) -> (usize, usize) {
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
            let t = self.view().reversed_axes();
            t.write_c_order(out);
        } else {
            self.write_c_order(out);
        }
    }

    fn write_c_order(&self, out: &mut Vec<u8>) {
        if self.is_empty() {
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
        let contiguous = self.c_contiguous() && !self.is_empty();
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
    /// use buffer_runtime::{s, view::{MemoryView, MemoryViewMut}};
    /// let mut grid = [[0u8; 3]; 2];
    /// let col = [7u8, 8];
    /// let mut view = MemoryViewMut::new(&mut grid).unwrap();
    /// view.sub_mut(&s![.., 1]).unwrap().copy_from(&MemoryView::new(&col).unwrap()).unwrap();
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
            1 => self.assign_slice_axis(0, slice, src),
            _ => Err(ViewError::not_implemented(
                "memoryview slice assignments are currently restricted to ndim = 1",
            )),
        }
    }

    /// Assigns `src` to the slice `slice` of dimension `axis` (beyond CPython: any dimension,
    /// any number of dimensions).
    ///
    /// ```
    /// use buffer_runtime::view::{MemoryView, MemoryViewMut, Slice};
    /// let mut grid = [[0u8; 2]; 2];
    /// let ones = [[1u8], [1]];
    /// let mut view = MemoryViewMut::new(&mut grid).unwrap();
    /// view.assign_slice_axis(1, Slice::from(1..), &MemoryView::new(&ones).unwrap()).unwrap();
    /// drop(view);
    /// assert_eq!(grid, [[0, 1], [0, 1]]);
    /// ```
    pub fn assign_slice_axis<T: Data>(
        &mut self,
        axis: usize,
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
