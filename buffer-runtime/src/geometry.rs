//! Facts of buffer geometry shared by the compile-time layouts, the views and both Python
//! halves: the dimension limit, the number of items of a shape, contiguity, C-order strides,
//! and [`measure`], the one check of a layout's sizes and extent that every constructor uses
//! (each mapping a [`GeometryError`] or an [`Outside`] to its own error).

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

/// [`c_strides_into`] into a new vector (inline up to four dimensions), for the run-time
/// layouts of views and unpickled buffers.
#[cfg(feature = "alloc")]
pub(crate) fn c_strides(shape: &[usize], itemsize: usize) -> smallvec::SmallVec<[isize; 4]> {
    let mut strides = smallvec::SmallVec::from_elem(0, shape.len());
    c_strides_into(shape, itemsize, &mut strides);
    strides
}

/// The number of items of `shape` (1 for no dimension, 0 with a zero anywhere, however large
/// the other dimensions), or `None` when it exceeds `isize::MAX`.
pub(crate) fn checked_product(shape: &[usize]) -> Option<usize> {
    if shape.contains(&0) {
        return Some(0);
    }
    shape
        .iter()
        .try_fold(1usize, |p, &n| p.checked_mul(n))
        .filter(|&p| p <= isize::MAX as usize)
}

/// What [`measure`] found of a layout that obeys the size rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Geometry {
    /// `product(shape)`, at most `isize::MAX`.
    pub items: usize,
    /// `product(shape) * itemsize`, at most `isize::MAX`.
    pub nbytes: usize,
    /// With items, the bytes they reach relative to the first item (the one at index
    /// `[0, 0, ...]`): the lowest offset (`<= 0`) and one past the highest byte (`>= itemsize`).
    /// `None` without items.
    pub extent: Option<(i128, i128)>,
}

/// Why a layout breaks the size rules of [`measure`]. Each caller maps it to its own error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum GeometryError {
    /// More than [`MAX_NDIM`] dimensions.
    TooManyDimensions,
    /// The shape and the strides have different lengths.
    StridesCount,
    /// `product(shape) * itemsize` exceeds `isize::MAX`.
    TooManyBytes,
    /// `product(shape)` exceeds `isize::MAX` (only reported for zero-size items: with larger
    /// items the bytes overflow first).
    TooManyItems,
    /// The extent of the items cannot be computed in `i128`: no buffer holds them.
    ExtentOverflow,
}

#[cfg(feature = "alloc")]
/// Where items lie compared with the bytes of a buffer: the result of [`Geometry::inside`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outside {
    /// No items, and the offset is past the end of the bytes.
    OffsetPastEnd,
    /// Some item lies outside the bytes: the items reach absolute bytes `lo..end`.
    Items {
        /// The lowest byte reached (may be negative).
        lo: i128,
        /// One past the highest byte reached.
        end: i128,
    },
}

/// The one geometry check of the crate, used by every view constructor, the exporters'
/// [`BufferLayout`](crate::BufferLayout) constructors and both Python halves: at most [`MAX_NDIM`]
/// dimensions, one stride per dimension, `product(shape) * itemsize <= isize::MAX` and
/// `product(shape) <= isize::MAX` (the true product: a zero anywhere means no items, however
/// large the other dimensions), and the extent of the items, computed in `i128` with checks
/// (64 terms of up to 2^126 could overflow it). Invariants 1 and 3 of
/// [`ViewBase`](crate::view::ViewBase#invariants); [`Geometry::inside`] checks 4 and 5.
pub(crate) fn measure(
    shape: &[usize],
    strides: &[isize],
    itemsize: usize,
) -> Result<Geometry, GeometryError> {
    if shape.len() > MAX_NDIM {
        return Err(GeometryError::TooManyDimensions);
    }
    if shape.len() != strides.len() {
        return Err(GeometryError::StridesCount);
    }
    let items = checked_product(shape).ok_or(if itemsize == 0 {
        GeometryError::TooManyItems
    } else {
        GeometryError::TooManyBytes
    })?;
    let nbytes = items
        .checked_mul(itemsize)
        .filter(|&n| n <= isize::MAX as usize)
        .ok_or(GeometryError::TooManyBytes)?;
    let extent = if items == 0 {
        None
    } else {
        Some(extent(shape, strides, itemsize).ok_or(GeometryError::ExtentOverflow)?)
    };
    Ok(Geometry {
        items,
        nbytes,
        extent,
    })
}

#[cfg(feature = "alloc")]
impl Geometry {
    /// Whether every item, the first one at byte `offset`, lies inside `len` bytes (and,
    /// without items, whether `offset <= len`): invariants 4 and 5 of
    /// [`ViewBase`](crate::view::ViewBase#invariants).
    pub(crate) fn inside(&self, offset: usize, len: usize) -> Result<(), Outside> {
        match self.extent {
            None if offset > len => Err(Outside::OffsetPastEnd),
            None => Ok(()),
            Some((lo, end)) => {
                let (lo, end) = (lo + offset as i128, end + offset as i128);
                if lo < 0 || end > len as i128 {
                    Err(Outside::Items { lo, end })
                } else {
                    Ok(())
                }
            }
        }
    }
}

/// The bytes the items of a non-empty layout reach, relative to the first item: the lowest
/// offset and one past the highest byte, or `None` when that cannot be computed in `i128`
/// (no such layout fits any buffer).
fn extent(shape: &[usize], strides: &[isize], itemsize: usize) -> Option<(i128, i128)> {
    let (mut lo, mut hi) = (0i128, 0i128);
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
    use super::{checked_product, contiguity, extent, measure, product, GeometryError, Outside};

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
        assert_eq!(extent(&[3], &[-4], 4), Some((-8, 4)));
        assert_eq!(extent(&[2, 2], &[8, 4], 4), Some((0, 16)));
        let huge = [isize::MAX as usize; 64];
        assert_eq!(extent(&huge, &[isize::MAX; 64], 1), None);
    }

    #[test]
    fn measure_checks_sizes_and_inside_checks_bounds() {
        let g = measure(&[3], &[-4], 4).unwrap();
        assert_eq!((g.items, g.nbytes), (3, 12));
        assert_eq!(g.inside(8, 12), Ok(()));
        assert_eq!(g.inside(8, 11), Err(Outside::Items { lo: 0, end: 12 }));
        assert_eq!(g.inside(4, 12), Err(Outside::Items { lo: -4, end: 8 }));
        let empty = measure(&[1 << 62, 1 << 62, 0], &[1, 1, 1], 1).unwrap();
        assert_eq!((empty.items, empty.extent), (0, None));
        assert_eq!(empty.inside(4, 4), Ok(()));
        assert_eq!(empty.inside(5, 4), Err(Outside::OffsetPastEnd));
        assert_eq!(
            measure(&[1; 65], &[1; 65], 1),
            Err(GeometryError::TooManyDimensions)
        );
        assert_eq!(measure(&[1, 2], &[1], 1), Err(GeometryError::StridesCount));
        assert_eq!(
            measure(&[1 << 62], &[8], 8),
            Err(GeometryError::TooManyBytes)
        );
        assert_eq!(
            measure(&[1 << 62, 4], &[0, 0], 0),
            Err(GeometryError::TooManyItems)
        );
        assert_eq!(measure(&[isize::MAX as usize], &[0], 0).unwrap().nbytes, 0);
        assert_eq!(checked_product(&[isize::MAX as usize, 2]), None);
    }

    #[test]
    fn product_saturates_and_a_zero_wins() {
        assert_eq!(product(&[]), 1);
        assert_eq!(product(&[3, 4]), 12);
        assert_eq!(product(&[1 << 40, 1 << 40]), usize::MAX);
        assert_eq!(product(&[1 << 40, 1 << 40, 0]), 0);
    }
}
