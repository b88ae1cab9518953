//! Exporters: values that hand out their memory as a buffer of [`Element`]s.

use core::ops::Deref;

use smallvec::SmallVec;
use zerocopy::FromBytes;

#[cfg(feature = "alloc")]
use alloc::{boxed::Box, vec::Vec};

use crate::__private::product;
use crate::element::{static_bytes, static_bytes_mut, Element, StaticBufferLayout};
use crate::geometry::{self, GeometryError, MAX_NDIM};

/// A list of dimensions (a shape, or strides): a `'static` slice for compile-time layouts, so
/// that exporting them allocates nothing, or up to four inline values for runtime shapes.
#[derive(Clone, Debug)]
pub enum Dims<T: 'static> {
    /// Dimensions known at compile time.
    Static(&'static [T]),
    /// Dimensions computed at run time (inline up to four, on the heap beyond).
    Owned(SmallVec<[T; 4]>),
}

impl<T> Deref for Dims<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        match self {
            Dims::Static(s) => s,
            Dims::Owned(v) => v,
        }
    }
}

impl<T: PartialEq> PartialEq for Dims<T> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}
impl<T: Eq> Eq for Dims<T> {}

/// Where an exporter's items lie in its bytes: PEP 3118's shape, strides (in bytes) and the
/// byte offset of the first item (the item at index `[0, 0, ...]`).
///
/// The crate names each layout after what it places: `BufferLayout` the items in a buffer,
/// [`StaticBufferLayout`](crate::StaticBufferLayout) the same known at compile time,
/// [`format::ItemLayout`](crate::format::ItemLayout) the fields and scalars in one item, and
/// [`format::FieldLayout`](crate::format::FieldLayout) one field in it.
///
/// ```
/// use buffer_runtime::{BufferExport, BufferLayout};
///
/// let rows = vec![[1u16, 2, 3], [4, 5, 6]];
/// let layout: BufferLayout = rows.buffer_layout();
/// assert_eq!(&*layout.shape, &[2, 3]);
/// assert_eq!(&*layout.strides, &[6, 2]);
/// assert_eq!(layout.offset, 0);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BufferLayout {
    /// The number of items along each dimension.
    pub shape: Dims<usize>,
    /// The distance in bytes between consecutive items along each dimension.
    pub strides: Dims<isize>,
    /// The byte offset of the first item in [`BufferExport::buffer_bytes`].
    pub offset: usize,
}

impl BufferLayout {
    /// The layout of a compile-time shaped type: its static shape and C strides, offset 0.
    /// Allocates nothing.
    ///
    /// ```
    /// use buffer_runtime::BufferLayout;
    /// let l = BufferLayout::of_static::<[[u8; 4]; 3]>();
    /// assert_eq!((&*l.shape, &*l.strides), (&[3usize, 4][..], &[4isize, 1][..]));
    /// ```
    pub const fn of_static<T: StaticBufferLayout>() -> BufferLayout {
        BufferLayout {
            shape: Dims::Static(T::SHAPE),
            strides: Dims::Static(T::STRIDES),
            offset: 0,
        }
    }

    /// The layout of `len` values of a compile-time shaped `T` in a row: shape
    /// `[len] ++ T::SHAPE`, C strides.
    ///
    /// ```
    /// use buffer_runtime::BufferLayout;
    /// let l = BufferLayout::of_slice::<[f32; 3]>(10);
    /// assert_eq!((&*l.shape, &*l.strides), (&[10usize, 3][..], &[12isize, 4][..]));
    /// ```
    pub fn of_slice<T: StaticBufferLayout>(len: usize) -> BufferLayout {
        let mut shape = SmallVec::with_capacity(T::SHAPE.len() + 1);
        shape.push(len);
        shape.extend_from_slice(T::SHAPE);
        let mut strides = SmallVec::with_capacity(T::SHAPE.len() + 1);
        strides.push((core::mem::size_of::<T::Item>() * product(T::SHAPE)) as isize);
        strides.extend_from_slice(T::STRIDES);
        BufferLayout {
            shape: Dims::Owned(shape),
            strides: Dims::Owned(strides),
            offset: 0,
        }
    }

    /// The layout of `len` values of `T` in a row viewed with a runtime `shape` (and optional
    /// byte `strides`, one per dimension of `shape`): shape `shape ++ T::SHAPE`, strides
    /// `strides ++ T::STRIDES` (C strides of `shape` when `strides` is `None`). What a
    /// `#[buffer(container)]` exports; usable by hand-written exporters too.
    ///
    /// Without strides the product of `shape` must be `len`; with strides every item described
    /// must lie inside the `len` values (negative strides are allowed: `offset` then points at
    /// the first item, not at the lowest address). Anything else is a [`BufferLayoutError`].
    ///
    /// ```
    /// use buffer_runtime::{BufferLayout, BufferLayoutError};
    /// // A 2 x 3 image of RGBA pixels whose rows are padded to 4 pixels (a pitch of 16 bytes).
    /// let l = BufferLayout::for_items::<[u8; 4]>(8, &[2, 3], Some(&[16, 4])).unwrap();
    /// assert_eq!((&*l.shape, &*l.strides), (&[2usize, 3, 4][..], &[16isize, 4, 1][..]));
    /// // Horizontally flipped: the first item is the last pixel of the first row.
    /// let l = BufferLayout::for_items::<[u8; 4]>(8, &[2, 3], Some(&[16, -4])).unwrap();
    /// assert_eq!(l.offset, 8);
    /// // A third row would end beyond the data.
    /// assert!(matches!(
    ///     BufferLayout::for_items::<[u8; 4]>(8, &[3, 3], Some(&[16, 4])),
    ///     Err(BufferLayoutError::OutOfBounds { needed_bytes: 44, data_bytes: 32 })
    /// ));
    /// ```
    pub fn for_items<T: StaticBufferLayout>(
        len: usize,
        shape: &[usize],
        strides: Option<&[isize]>,
    ) -> Result<BufferLayout, BufferLayoutError> {
        let size = core::mem::size_of::<T>();
        let data_bytes = len.checked_mul(size).ok_or(BufferLayoutError::Overflow)?;
        let mut full_shape: SmallVec<[usize; 4]> = SmallVec::with_capacity(shape.len() + T::NDIM);
        full_shape.extend_from_slice(shape);
        full_shape.extend_from_slice(T::SHAPE);
        let mut full_strides: SmallVec<[isize; 4]> = SmallVec::with_capacity(shape.len() + T::NDIM);
        match strides {
            None => {
                let items = geometry::checked_product(shape).ok_or(BufferLayoutError::Overflow)?;
                if items != len {
                    return Err(BufferLayoutError::LengthMismatch {
                        shape_items: items,
                        data_items: len,
                    });
                }
                // C strides: the last dimension steps by one `T`. The bytes fit an isize
                // (`data_bytes` is the length of a slice), as `c_strides_into` requires.
                full_strides.resize(shape.len(), 0);
                geometry::c_strides_into(shape, size, &mut full_strides);
            }
            Some(strides) => {
                if strides.len() != shape.len() {
                    return Err(BufferLayoutError::StridesCount {
                        shape: shape.len(),
                        strides: strides.len(),
                    });
                }
                full_strides.extend_from_slice(strides);
            }
        }
        full_strides.extend_from_slice(T::STRIDES);
        // The one geometry check: the item of the checks is `T::Item`, whose inner dimensions
        // (`T::SHAPE`, C strides) span exactly one `T` from each outer index.
        let measured =
            geometry::measure(&full_shape, &full_strides, core::mem::size_of::<T::Item>())
                .map_err(|e| match e {
                    GeometryError::TooManyDimensions => BufferLayoutError::TooManyDimensions {
                        ndim: full_shape.len(),
                    },
                    GeometryError::StridesCount
                    | GeometryError::TooManyBytes
                    | GeometryError::TooManyItems
                    | GeometryError::ExtentOverflow => BufferLayoutError::Overflow,
                })?;
        // Relative to the first item: with negative strides the first item is not the lowest.
        let offset = match measured.extent {
            None => 0,
            Some((lo, end)) => {
                let needed = usize::try_from(end - lo).map_err(|_| BufferLayoutError::Overflow)?;
                if needed > data_bytes {
                    return Err(BufferLayoutError::OutOfBounds {
                        needed_bytes: needed,
                        data_bytes,
                    });
                }
                lo.unsigned_abs() as usize
            }
        };
        Ok(BufferLayout {
            shape: Dims::Owned(full_shape),
            strides: Dims::Owned(full_strides),
            offset,
        })
    }

    /// A layout that describes no valid buffer: its first item lies beyond any bytes, so every
    /// consumer that checks the layout against the bytes (as [`MemoryView`] does) refuses it.
    /// What a container's infallible [`BufferExport::buffer_layout`] returns when its shape is
    /// wrong; [`BufferExport::try_buffer_layout`] says why.
    ///
    /// [`MemoryView`]: crate::view::MemoryView
    ///
    /// ```
    /// use buffer_runtime::{view::MemoryView, BufferLayout};
    /// let l = BufferLayout::invalid();
    /// let bytes = [0u8; 4];
    /// assert!(MemoryView::from_parts(&bytes, "B", &l.shape, Some(&l.strides), l.offset).is_err());
    /// ```
    pub fn invalid() -> BufferLayout {
        BufferLayout {
            shape: Dims::Static(&[1]),
            strides: Dims::Static(&[1]),
            offset: usize::MAX,
        }
    }

    /// The number of dimensions.
    pub fn ndim(&self) -> usize {
        self.shape.len()
    }

    /// The number of items.
    pub fn len(&self) -> usize {
        product(&self.shape)
    }

    /// Whether there are no items.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Why a runtime-shaped exporter (a `#[buffer(container)]`) cannot describe its items.
///
/// ```
/// use buffer_runtime::{BufferLayout, BufferLayoutError};
/// let err = BufferLayout::for_items::<u32>(5, &[2, 3], None).unwrap_err();
/// assert_eq!(err, BufferLayoutError::LengthMismatch { shape_items: 6, data_items: 5 });
/// assert_eq!(
///     err.to_string(),
///     "the shape describes 6 items but the data holds 5: fix the shape fields or the data's length"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BufferLayoutError {
    /// C-order strides (no explicit strides): the product of the shape must equal the number of
    /// items in the data.
    LengthMismatch {
        /// The product of the shape.
        shape_items: usize,
        /// The number of items in the data.
        data_items: usize,
    },
    /// Explicit strides: the farthest item described ends beyond the data.
    OutOfBounds {
        /// The bytes the shape and strides reach, from the lowest to the highest item.
        needed_bytes: usize,
        /// The bytes of the data.
        data_bytes: usize,
    },
    /// The shape and strides do not have the same number of dimensions.
    StridesCount {
        /// Dimensions of the shape.
        shape: usize,
        /// Dimensions of the strides.
        strides: usize,
    },
    /// More dimensions than [`MAX_NDIM`](crate::view::MAX_NDIM) (counting the item type's own).
    TooManyDimensions {
        /// The dimensions of the layout.
        ndim: usize,
    },
    /// The items are not contiguous in memory (a sliced ndarray view): the bytes between them
    /// may belong to other borrows, so they cannot be exported as one `&[u8]`.
    NotContiguous,
    /// A shape or stride value is negative where it must not be, or does not fit `usize` /
    /// `isize`, or the extent overflows `isize`.
    Overflow,
}

impl core::fmt::Display for BufferLayoutError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            BufferLayoutError::LengthMismatch {
                shape_items,
                data_items,
            } => write!(
                f,
                "the shape describes {shape_items} items but the data holds {data_items}: fix the \
                 shape fields or the data's length"
            ),
            BufferLayoutError::OutOfBounds {
                needed_bytes,
                data_bytes,
            } => write!(
                f,
                "the shape and strides reach {needed_bytes} bytes but the data has {data_bytes}: \
                 fix the shape or stride fields, or the data's length"
            ),
            BufferLayoutError::StridesCount { shape, strides } => write!(
                f,
                "{strides} strides for a shape of {shape} dimensions: give one stride per dimension"
            ),
            BufferLayoutError::TooManyDimensions { ndim } => write!(
                f,
                "{ndim} dimensions, but buffers have at most {MAX_NDIM}: flatten some of the shape"
            ),
            BufferLayoutError::NotContiguous => f.write_str(
                "the items are not contiguous in memory, so their bytes cannot be exported as one \
                 slice (the gaps may belong to other borrows): export a contiguous copy, such as \
                 ndarray's `as_standard_layout()`",
            ),
            BufferLayoutError::Overflow => f.write_str(
                "a shape or stride value is negative or too large, or the items span more than \
                 isize::MAX bytes",
            ),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for BufferLayoutError {}

/// Whether no two items of this layout share a byte: sorting the dimensions by stride, each
/// stride must reach past everything the smaller ones span (ndarray's own rule for mutable
/// views). Refuses zero strides on dimensions of two or more items.
#[cfg(any(feature = "ndarray", feature = "rayon", feature = "nalgebra"))]
pub(crate) fn items_disjoint(shape: &[usize], byte_strides: &[isize], itemsize: usize) -> bool {
    if shape.contains(&0) {
        return true;
    }
    let mut dims: SmallVec<[(usize, usize); 4]> = shape
        .iter()
        .zip(byte_strides)
        .filter(|(&n, _)| n > 1)
        .map(|(&n, &s)| (s.unsigned_abs(), n))
        .collect();
    dims.sort_unstable();
    let mut extent = itemsize;
    for (stride, n) in dims {
        if stride < extent {
            return false;
        }
        match stride
            .checked_mul(n - 1)
            .and_then(|r| r.checked_add(extent))
        {
            Some(e) => extent = e,
            None => return false,
        }
    }
    true
}

/// A value that exports its memory as a buffer of [`Self::Item`]s: PEP 3118's
/// `__getbuffer__`, as a safe Rust trait.
///
/// `#[derive(BufferExport)]` implements it for structs (a 0-d buffer of one item) and for
/// `repr(transparent)` newtypes over arrays (the array's shape). It is also implemented for
/// every [`Element`], arrays, slices, `Vec` and `Box<[T]>`.
///
/// The trait is safe to implement: a consumer (such as a memory view) checks that every item
/// the layout describes lies inside [`Self::buffer_bytes`] before reading it, and reads items as
/// bytes, which are always initialised by the contract of `Item: Element`.
///
/// ```
/// use buffer_runtime::BufferExport;
///
/// let samples: Vec<i16> = vec![1, -2, 3];
/// assert_eq!(samples.buffer_bytes().len(), 6);
/// assert_eq!(&*samples.buffer_layout().shape, &[3]);
/// assert_eq!(<Vec<i16> as BufferExport>::format(), "h");
/// ```
pub trait BufferExport {
    /// The type of one item.
    type Item: Element;

    /// The shape, strides and first-item offset of the items in [`Self::buffer_bytes`].
    fn buffer_layout(&self) -> BufferLayout;

    /// The bytes that hold the items.
    fn buffer_bytes(&self) -> &[u8];

    /// [`Self::buffer_layout`], or the reason why the exporter cannot describe its items: a
    /// container whose shape fields disagree with the length of its data (see
    /// [`BufferLayout::for_items`]). Exporters whose layout cannot be wrong keep the default, `Ok`.
    ///
    /// ```
    /// use buffer_runtime::BufferExport;
    /// let v = vec![1u8, 2, 3];
    /// assert_eq!(v.try_buffer_layout().unwrap(), v.buffer_layout());
    /// ```
    fn try_buffer_layout(&self) -> Result<BufferLayout, BufferLayoutError> {
        Ok(self.buffer_layout())
    }

    /// The item format (a shortcut for `<Self::Item as Element>::FORMAT`).
    fn format() -> &'static str
    where
        Self: Sized,
    {
        <Self::Item as Element>::FORMAT
    }
}

/// An exporter whose items may also be written: its bytes can be borrowed mutably.
///
/// Writing through a buffer is only sound when every bit pattern is a valid item, so consumers
/// that write also require `Self::Item:` [`zerocopy::FromBytes`]; that is why `bool`, `char`
/// and fieldless enums, which have invalid bit patterns, are exported read-only.
///
/// ```
/// use buffer_runtime::BufferExportMut;
///
/// let mut px = [[0u8; 4]; 2];
/// px.buffer_bytes_mut()[5] = 9;
/// assert_eq!(px[1][1], 9);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be exported writable",
    label = "its items are not `zerocopy::FromBytes`",
    note = "writing needs every bit pattern to be a valid item: `bool`, `char` and fieldless enums can only be exported read-only; for a struct, add `#[derive(zerocopy::FromBytes)]`"
)]
pub trait BufferExportMut: BufferExport {
    /// The bytes that hold the items, mutably.
    fn buffer_bytes_mut(&mut self) -> &mut [u8];
}

/// Every compile-time shaped type whose items accept any bit pattern is writable: derived
/// structs that also derive zerocopy's `FromBytes`, primitive numbers, arrays of them.
impl<T: StaticBufferLayout + BufferExport + FromBytes> BufferExportMut for T {
    fn buffer_bytes_mut(&mut self) -> &mut [u8] {
        static_bytes_mut(core::slice::from_mut(self))
    }
}

impl<T: StaticBufferLayout> BufferExport for [T] {
    type Item = T::Item;
    fn buffer_layout(&self) -> BufferLayout {
        BufferLayout::of_slice::<T>(self.len())
    }
    fn buffer_bytes(&self) -> &[u8] {
        static_bytes(self)
    }
}

impl<T: StaticBufferLayout + FromBytes> BufferExportMut for [T] {
    fn buffer_bytes_mut(&mut self) -> &mut [u8] {
        static_bytes_mut(self)
    }
}

/// Implements the exporter traits for an owning or borrowing wrapper of `[T]` by delegation.
macro_rules! delegate_to_slice {
    ($($ty:ty),* $(,)?) => {$(
        impl<T: StaticBufferLayout> BufferExport for $ty {
            type Item = T::Item;
            fn buffer_layout(&self) -> BufferLayout {
                <[T]>::buffer_layout(self)
            }
            fn buffer_bytes(&self) -> &[u8] {
                <[T]>::buffer_bytes(self)
            }
        }
    )*};
}

delegate_to_slice!(&[T], &mut [T]);
#[cfg(feature = "alloc")]
delegate_to_slice!(Vec<T>, Box<[T]>);

#[cfg(feature = "alloc")]
impl<T: StaticBufferLayout + FromBytes> BufferExportMut for Vec<T> {
    fn buffer_bytes_mut(&mut self) -> &mut [u8] {
        static_bytes_mut(self.as_mut_slice())
    }
}

#[cfg(feature = "alloc")]
impl<T: StaticBufferLayout + FromBytes> BufferExportMut for Box<[T]> {
    fn buffer_bytes_mut(&mut self) -> &mut [u8] {
        static_bytes_mut(self)
    }
}

impl<T: StaticBufferLayout + FromBytes> BufferExportMut for &mut [T] {
    fn buffer_bytes_mut(&mut self) -> &mut [u8] {
        static_bytes_mut(self)
    }
}
