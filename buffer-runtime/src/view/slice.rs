//! Python slices (`[start:stop:step]`) and per-axis indices for sub-views.

use core::ops::{Range, RangeFrom, RangeFull, RangeInclusive, RangeTo, RangeToInclusive};

use super::error::{Result, ViewError};

/// A Python slice `[start:stop:step]` on one dimension, with Python's semantics: negative
/// `start`/`stop` count from the end, out-of-range bounds are clamped, `None` means "from
/// the beginning/end in the direction of `step`", and `step` may be negative (but not 0).
///
/// | Python     | Rust                                   |
/// |------------|----------------------------------------|
/// | `[:]`      | `Slice::FULL` or `Slice::from(..)`     |
/// | `[a:b]`    | `Slice::new(Some(a), Some(b), 1)` or `Slice::from(a..b)` |
/// | `[a:]`     | `Slice::from(a..)`                     |
/// | `[:b]`     | `Slice::from(..b)`                     |
/// | `[::-1]`   | `Slice::new(None, None, -1)` or `Slice::FULL.step_by(-1)` |
/// | `[a::-1]`  | `Slice::new(Some(a), None, -1)`        |
/// | `[a:b:2]`  | `Slice::from(a..b).step_by(2)`         |
///
/// ```
/// use buffer_runtime::view::Slice;
///
/// // [5:1:-2] on 6 items picks 5, 3.
/// assert_eq!(Slice::new(Some(5), Some(1), -2).indices(6).unwrap(), (5, 1, -2, 2));
/// // [-100:100:3] is clamped.
/// assert_eq!(Slice::new(Some(-100), Some(100), 3).indices(6).unwrap(), (0, 6, 3, 2));
/// assert_eq!(Slice::FULL.step_by(0).indices(6).unwrap_err().to_string(), "slice step cannot be zero");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Slice {
    /// The first index (`None`: the start in the direction of `step`).
    pub start: Option<isize>,
    /// The index one past the last, exclusive (`None`: past the end in the direction of `step`).
    pub stop: Option<isize>,
    /// The distance between picked indices; negative walks backwards; 0 is an error.
    pub step: isize,
}

impl Slice {
    /// `[:]`: everything.
    ///
    /// ```
    /// use buffer_runtime::view::Slice;
    /// assert_eq!(Slice::FULL.indices(3).unwrap(), (0, 3, 1, 3));
    /// ```
    pub const FULL: Slice = Slice {
        start: None,
        stop: None,
        step: 1,
    };

    /// `[start:stop:step]`.
    ///
    /// ```
    /// use buffer_runtime::view::Slice;
    /// let s = Slice::new(Some(1), None, 2); // [1::2]
    /// assert_eq!(s.indices(6).unwrap(), (1, 6, 2, 3));
    /// ```
    pub const fn new(start: Option<isize>, stop: Option<isize>, step: isize) -> Self {
        Slice { start, stop, step }
    }

    /// The same bounds with another step.
    ///
    /// ```
    /// use buffer_runtime::view::Slice;
    /// assert_eq!(Slice::FULL.step_by(-1), Slice::new(None, None, -1));
    /// ```
    pub const fn step_by(self, step: isize) -> Self {
        Slice { step, ..self }
    }

    /// Python's `slice.indices(len)` followed by the slice length: `(start, stop, step,
    /// length)`, with start and stop clamped so that `start + k * step` for `k < length`
    /// are the picked indices. Fails with CPython's `ValueError` on a zero step.
    ///
    /// A step of `isize::MIN` is read as `-isize::MAX`, as CPython's `PySlice_Unpack` does for
    /// memoryview (and list, bytes) slicing: `-isize::MIN` does not exist, and both steps pick
    /// the same single index. So the view's stride is the one CPython's memoryview gives
    /// (`memoryview(b'abcdef')[::-sys.maxsize-1]` has strides `(-sys.maxsize,)`);
    /// Python's `slice.indices` alone keeps `-sys.maxsize-1`.
    ///
    /// ```
    /// use buffer_runtime::view::Slice;
    /// assert_eq!(Slice::new(None, None, -1).indices(4).unwrap(), (3, -1, -1, 4));
    /// assert_eq!(Slice::new(Some(2), Some(2), 1).indices(4).unwrap(), (2, 2, 1, 0));
    /// assert_eq!(
    ///     Slice::new(None, None, isize::MIN).indices(6).unwrap(),
    ///     (5, -1, -isize::MAX, 1)
    /// );
    /// ```
    pub fn indices(&self, len: usize) -> Result<(isize, isize, isize, usize)> {
        if self.step == 0 {
            return Err(ViewError::value_error("slice step cannot be zero"));
        }
        // A view never holds more than isize::MAX items along one axis (its bytes fit).
        let len = len.min(isize::MAX as usize) as isize;
        // Negated below: isize::MIN has no negation (PySlice_Unpack's clamp).
        let step = self.step.max(-isize::MAX);
        let (lower, upper) = if step < 0 { (-1, len - 1) } else { (0, len) };
        let clamp = |bound: Option<isize>, default: isize| -> isize {
            match bound {
                None => default,
                Some(b) if b < 0 => {
                    let b = b.saturating_add(len);
                    if b < lower {
                        lower
                    } else {
                        b
                    }
                }
                Some(b) => b.min(upper),
            }
        };
        let start = clamp(self.start, if step < 0 { upper } else { lower });
        let stop = clamp(self.stop, if step < 0 { lower } else { upper });
        let length = if step < 0 {
            if stop < start {
                (start - stop - 1) / (-step) + 1
            } else {
                0
            }
        } else if start < stop {
            (stop - start - 1) / step + 1
        } else {
            0
        };
        Ok((start, stop, step, length as usize))
    }
}

impl Default for Slice {
    fn default() -> Self {
        Slice::FULL
    }
}

impl From<RangeFull> for Slice {
    fn from(_: RangeFull) -> Self {
        Slice::FULL
    }
}

impl From<Range<isize>> for Slice {
    fn from(r: Range<isize>) -> Self {
        Slice::new(Some(r.start), Some(r.end), 1)
    }
}

impl From<RangeFrom<isize>> for Slice {
    fn from(r: RangeFrom<isize>) -> Self {
        Slice::new(Some(r.start), None, 1)
    }
}

impl From<RangeTo<isize>> for Slice {
    fn from(r: RangeTo<isize>) -> Self {
        Slice::new(None, Some(r.end), 1)
    }
}

impl From<RangeInclusive<isize>> for Slice {
    /// `a..=b` is `[a:b+1]` (and `[a:]` when `b` is -1, since `[a:0]` would be empty).
    fn from(r: RangeInclusive<isize>) -> Self {
        let end = *r.end();
        let stop = if end == -1 { None } else { end.checked_add(1) };
        Slice::new(Some(*r.start()), stop, 1)
    }
}

impl From<RangeToInclusive<isize>> for Slice {
    fn from(r: RangeToInclusive<isize>) -> Self {
        let stop = if r.end == -1 {
            None
        } else {
            r.end.checked_add(1)
        };
        Slice::new(None, stop, 1)
    }
}

/// A dimension of a view, numbered from 0: what the `*_axis` methods take
/// ([`index_axis`](super::ViewBase::index_axis), [`slice_axis`](super::ViewBase::slice_axis),
/// [`assign_slice_axis`](super::ViewBase::assign_slice_axis), ...), so that an axis is never
/// confused with an index (ndarray's `Axis`).
///
/// ```
/// use buffer_runtime::view::{Axis, MemoryView};
/// let grid = [[1u8, 2, 3], [4, 5, 6]];
/// let view = MemoryView::new(&grid).unwrap();
/// // The column at index 0: dimension 1 removed.
/// let col = view.index_axis(Axis(1), 0).unwrap();
/// assert_eq!((col.shape(), Axis(1).index()), (&[2usize][..], 1));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Axis(pub usize);

impl Axis {
    /// The axis number.
    ///
    /// ```
    /// assert_eq!(buffer_runtime::view::Axis(2).index(), 2);
    /// ```
    pub fn index(self) -> usize {
        self.0
    }
}

/// What to take along one axis in [`sub`](super::ViewBase::sub): one index (the axis
/// disappears, as numpy's `a[i]`) or a [`Slice`] (the axis stays).
///
/// ```
/// use buffer_runtime::view::{AxisIndex, Slice};
/// assert_eq!(AxisIndex::from(3), AxisIndex::Index(3));
/// assert_eq!(AxisIndex::from(3usize), AxisIndex::Index(3));
/// assert_eq!(AxisIndex::from(1..3), AxisIndex::Slice(Slice::new(Some(1), Some(3), 1)));
/// assert_eq!(AxisIndex::from(..), AxisIndex::Slice(Slice::FULL));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AxisIndex {
    /// One index (negative counts from the end); removes the axis.
    Index(isize),
    /// A slice; keeps the axis.
    Slice(Slice),
}

impl From<isize> for AxisIndex {
    fn from(i: isize) -> Self {
        AxisIndex::Index(i)
    }
}

impl From<usize> for AxisIndex {
    /// An index beyond `isize::MAX` becomes `isize::MAX`: out of bounds on any dimension.
    fn from(i: usize) -> Self {
        AxisIndex::Index(isize::try_from(i).unwrap_or(isize::MAX))
    }
}

impl From<i32> for AxisIndex {
    fn from(i: i32) -> Self {
        AxisIndex::Index(i as isize)
    }
}

impl From<Slice> for AxisIndex {
    fn from(s: Slice) -> Self {
        AxisIndex::Slice(s)
    }
}

macro_rules! axis_from_range {
    ($($r:ty),*) => {$(
        impl From<$r> for AxisIndex {
            fn from(r: $r) -> Self {
                AxisIndex::Slice(Slice::from(r))
            }
        }
    )*};
}
axis_from_range!(
    RangeFull,
    Range<isize>,
    RangeFrom<isize>,
    RangeTo<isize>,
    RangeInclusive<isize>,
    RangeToInclusive<isize>
);

/// Builds a `[AxisIndex; N]` for [`sub`](super::ViewBase::sub) with numpy-like spelling:
/// an expression is an index, a range a slice, and `range; step` a slice with a step.
/// Named `index!` rather than `s!` so that it can be imported beside `ndarray::s!`.
///
/// ```
/// use buffer_runtime::index;
/// use buffer_runtime::view::{AxisIndex, Slice};
///
/// // Python's [1, ::-1, 2:5:2]
/// let spec = index![1, ..;-1, 2..5;2];
/// assert_eq!(spec, [
///     AxisIndex::Index(1),
///     AxisIndex::Slice(Slice::new(None, None, -1)),
///     AxisIndex::Slice(Slice::new(Some(2), Some(5), 2)),
/// ]);
/// ```
///
/// Beside ndarray's `s!`:
///
/// ```
/// # #[cfg(feature = "ndarray")] {
/// use buffer_runtime::{index, view::MemoryView};
/// use ndarray::s;
/// let a = ndarray::array![[1u8, 2], [3, 4]];
/// let view = MemoryView::new(&[[1u8, 2], [3, 4]]).unwrap();
/// let col = view.sub(&index![.., 1]).unwrap();
/// assert_eq!(col.tobytes(buffer_runtime::view::Order::C), a.slice(s![.., 1]).to_vec());
/// # }
/// ```
#[macro_export]
macro_rules! index {
    (@one $r:expr ; $step:expr) => {
        $crate::view::AxisIndex::Slice($crate::view::Slice::from($r).step_by($step))
    };
    (@one $e:expr) => {
        $crate::view::AxisIndex::from($e)
    };
    ($($e:expr $(; $step:expr)?),* $(,)?) => {
        [$($crate::index!(@one $e $(; $step)?)),*]
    };
    ($($t:tt)*) => {
        ::core::compile_error!(
            "index![...] takes comma-separated indices (`1`, `-1`) and ranges (`..`, `2..5`), \
             each range optionally followed by `; step` (`..;-1` is Python's `[::-1]`)"
        )
    };
}
