//! The copy kernels behind `tobytes`: runs of bytes gathered from a strided layout into a
//! contiguous buffer, with fixed-size copies the compiler can vectorise.

use alloc::vec::Vec;
use core::mem::MaybeUninit;

use super::iter::{c_run, coalesce, OffsetIter};
#[cfg(doc)]
use super::ViewBase;

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
pub(super) fn write_c_order(
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
    // `run` bytes per run, as many runs as offsets: at most isize::MAX bytes (invariant 3 of
    // `ViewBase`, view/base.rs).
    let n = run * offsets.len();
    if run > 16 {
        // Long runs: append each (no zero-filling first).
        out.reserve(n);
        for off in offsets {
            out.extend_from_slice(&bytes[off..off + run]);
        }
        return;
    }
    // Every run lies inside `bytes` (invariant 4 of `ViewBase`, view/base.rs). Fixed-size copies for the common run
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
        // `reserve(n)` made room for `n` more bytes and `copy` initialised the
        // first `written == n` of them (it writes its output front to back, one run after
        // another, and counts only what it wrote), so the first `len + n` bytes of the
        // buffer are initialised.
        // SAFETY: room reserved and the `n` new bytes initialised by `copy` (above).
        unsafe { out.set_len(out.len() + n) };
    }
}
