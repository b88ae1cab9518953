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

#[cfg(test)]
mod tests {
    use super::product;

    #[test]
    fn product_saturates_and_a_zero_wins() {
        assert_eq!(product(&[]), 1);
        assert_eq!(product(&[3, 4]), 12);
        assert_eq!(product(&[1 << 40, 1 << 40]), usize::MAX);
        assert_eq!(product(&[1 << 40, 1 << 40, 0]), 0);
    }
}
