//! Facts of buffer geometry shared by the compile-time layouts, the views and both Python
//! halves: the dimension limit and the number of items of a shape.

/// The most dimensions a buffer may have (CPython's `PyBUF_MAX_NDIM`): views, exports and
/// imports all refuse more.
///
/// ```
/// # #[cfg(feature = "alloc")] {
/// use buffer_runtime::view::{MemoryView, MAX_NDIM};
/// let one = [0u8];
/// let view = MemoryView::from_bytes(&one);
/// assert!(view.cast("B", Some(&[1; MAX_NDIM])).is_ok());
/// assert!(view.cast("B", Some(&[1; MAX_NDIM + 1])).is_err());
/// # }
/// ```
pub const MAX_NDIM: usize = 64;

/// The number of items of `shape`, saturating at `usize::MAX`: a layout's shape never
/// overflows as a whole (its bytes fit in memory), but a prefix of `(2**32, 2**32, 0)` would,
/// and a zero later on makes the true product 0, which this returns. Usable in `const`
/// context (compile-time shapes).
pub const fn product(shape: &[usize]) -> usize {
    let mut p: usize = 1;
    let mut i = 0;
    while i < shape.len() {
        if shape[i] == 0 {
            return 0;
        }
        p = p.saturating_mul(shape[i]);
        i += 1;
    }
    p
}

#[cfg(feature = "alloc")]
/// CPython's `_IsCContiguous` and `_IsFortranContiguous`, as `(c, f)`: a buffer without items
/// is both; a dimension of length 1 does not constrain its stride.
pub(crate) fn contiguity(shape: &[usize], strides: &[isize], itemsize: usize) -> (bool, bool) {
    if itemsize == 0 || shape.contains(&0) {
        return (true, true);
    }
    let check = |order: &mut dyn Iterator<Item = (&usize, &isize)>| {
        let mut expect = itemsize as isize;
        for (&n, &s) in order {
            if n != 1 && s != expect {
                return false;
            }
            // Wrapping: past the last dimension the value is never compared.
            expect = expect.wrapping_mul(n as isize);
        }
        true
    };
    (
        check(&mut shape.iter().zip(strides).rev()),
        check(&mut shape.iter().zip(strides)),
    )
}

/// The C-order byte strides of `shape` for items of `itemsize` bytes, into `out` (one per
/// dimension). Wrapping: callers pass shapes whose bytes fit an `isize` (the product past the
/// first dimension, never stored, is the only one that may wrap). Usable in `const` context
/// (compile-time shapes of nested arrays).
pub(crate) const fn c_strides_into(shape: &[usize], itemsize: usize, out: &mut [isize]) {
    let mut step = itemsize as isize;
    let mut k = shape.len();
    while k > 0 {
        k -= 1;
        out[k] = step;
        step = step.wrapping_mul(shape[k] as isize);
    }
}

#[cfg(feature = "alloc")]
/// The bytes the items of a non-empty layout reach, relative to the buffer's start: the
/// lowest offset and one past the highest byte, or `None` when that cannot be computed in
/// `i128` (no such layout fits any buffer). Every item lies inside a buffer of `len` bytes
/// exactly when `lo >= 0 && end <= len`.
pub(crate) fn extent(
    offset: usize,
    shape: &[usize],
    strides: &[isize],
    itemsize: usize,
) -> Option<(i128, i128)> {
    let (mut lo, mut hi) = (offset as i128, offset as i128);
    for (&n, &s) in shape.iter().zip(strides) {
        let reach = (n as i128 - 1).checked_mul(s as i128)?;
        if reach < 0 {
            lo = lo.checked_add(reach)?;
        } else {
            hi = hi.checked_add(reach)?;
        }
    }
    Some((lo, hi.checked_add(itemsize as i128)?))
}

#[cfg(all(test, feature = "alloc"))]
mod tests {
    use super::{contiguity, extent, product};

    #[test]
    fn contiguity_follows_cpython() {
        assert_eq!(contiguity(&[2, 3], &[12, 4], 4), (true, false));
        assert_eq!(contiguity(&[2, 3], &[4, 8], 4), (false, true));
        assert_eq!(contiguity(&[1, 3], &[999, 4], 4), (true, true));
        assert_eq!(contiguity(&[0, 3], &[-5, 7], 4), (true, true));
        assert_eq!(contiguity(&[2], &[-4], 4), (false, false));
        assert_eq!(contiguity(&[], &[], 8), (true, true));
    }

    #[test]
    fn extent_of_negative_and_huge_strides() {
        assert_eq!(extent(8, &[3], &[-4], 4), Some((0, 12)));
        assert_eq!(extent(0, &[2, 2], &[8, 4], 4), Some((0, 16)));
        let huge = [isize::MAX as usize; 64];
        assert_eq!(extent(0, &huge, &[isize::MAX; 64], 1), None);
    }

    #[test]
    fn product_saturates_and_a_zero_wins() {
        assert_eq!(product(&[]), 1);
        assert_eq!(product(&[3, 4]), 12);
        assert_eq!(product(&[1 << 40, 1 << 40]), usize::MAX);
        assert_eq!(product(&[1 << 40, 1 << 40, 0]), 0);
    }
}
