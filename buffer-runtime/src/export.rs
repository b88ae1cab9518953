//! Exporters: values that hand out their memory as a buffer of [`Element`]s.

use core::ops::Deref;

use smallvec::SmallVec;
use zerocopy::{FromBytes, IntoBytes};

#[cfg(feature = "alloc")]
use alloc::{boxed::Box, vec::Vec};

use crate::__private::product;
use crate::element::{Element, StaticLayout};

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
/// ```
/// use buffer_runtime::{BufferExport, Layout};
///
/// let rows = vec![[1u16, 2, 3], [4, 5, 6]];
/// let layout: Layout = rows.buffer_layout();
/// assert_eq!(&*layout.shape, &[2, 3]);
/// assert_eq!(&*layout.strides, &[6, 2]);
/// assert_eq!(layout.offset, 0);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    /// The number of items along each dimension.
    pub shape: Dims<usize>,
    /// The distance in bytes between consecutive items along each dimension.
    pub strides: Dims<isize>,
    /// The byte offset of the first item in [`BufferExport::buffer_bytes`].
    pub offset: usize,
}

impl Layout {
    /// The layout of a compile-time shaped type: its static shape and C strides, offset 0.
    /// Allocates nothing.
    ///
    /// ```
    /// use buffer_runtime::Layout;
    /// let l = Layout::of_static::<[[u8; 4]; 3]>();
    /// assert_eq!((&*l.shape, &*l.strides), (&[3usize, 4][..], &[4isize, 1][..]));
    /// ```
    pub const fn of_static<T: StaticLayout>() -> Layout {
        Layout {
            shape: Dims::Static(T::SHAPE),
            strides: Dims::Static(T::STRIDES),
            offset: 0,
        }
    }

    /// The layout of `len` values of a compile-time shaped `T` in a row: shape
    /// `[len] ++ T::SHAPE`, C strides.
    ///
    /// ```
    /// use buffer_runtime::Layout;
    /// let l = Layout::of_slice::<[f32; 3]>(10);
    /// assert_eq!((&*l.shape, &*l.strides), (&[10usize, 3][..], &[12isize, 4][..]));
    /// ```
    pub fn of_slice<T: StaticLayout>(len: usize) -> Layout {
        let mut shape = SmallVec::with_capacity(T::SHAPE.len() + 1);
        shape.push(len);
        shape.extend_from_slice(T::SHAPE);
        let mut strides = SmallVec::with_capacity(T::SHAPE.len() + 1);
        strides.push((core::mem::size_of::<T::Item>() * product(T::SHAPE)) as isize);
        strides.extend_from_slice(T::STRIDES);
        Layout {
            shape: Dims::Owned(shape),
            strides: Dims::Owned(strides),
            offset: 0,
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

/// A value that exports its memory as a buffer of [`Self::Item`]s: PEP 3118's
/// `__getbuffer__`, as a safe Rust trait.
///
/// `#[derive(BufferExport)]` implements it for structs (a 0-d buffer of one item) and for
/// `repr(transparent)` newtypes over arrays (the array's shape). It is also implemented for
/// every [`Element`], arrays, slices, `Vec` and `Box<[T]>`.
///
/// The trait is safe to implement: a consumer (such as a memory view) checks that every item
/// the layout describes lies inside [`Self::buffer_bytes`] before reading it, and reads items as
/// bytes, which are always initialised because `Item: Element` is zerocopy's `IntoBytes`.
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
    fn buffer_layout(&self) -> Layout;

    /// The bytes that hold the items.
    fn buffer_bytes(&self) -> &[u8];

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
impl<T: StaticLayout + BufferExport + FromBytes> BufferExportMut for T {
    fn buffer_bytes_mut(&mut self) -> &mut [u8] {
        self.as_mut_bytes()
    }
}

impl<T: StaticLayout> BufferExport for [T] {
    type Item = T::Item;
    fn buffer_layout(&self) -> Layout {
        Layout::of_slice::<T>(self.len())
    }
    fn buffer_bytes(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl<T: StaticLayout + FromBytes> BufferExportMut for [T] {
    fn buffer_bytes_mut(&mut self) -> &mut [u8] {
        self.as_mut_bytes()
    }
}

/// Implements the exporter traits for an owning or borrowing wrapper of `[T]` by delegation.
macro_rules! delegate_to_slice {
    ($($ty:ty),* $(,)?) => {$(
        impl<T: StaticLayout> BufferExport for $ty {
            type Item = T::Item;
            fn buffer_layout(&self) -> Layout {
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
impl<T: StaticLayout + FromBytes> BufferExportMut for Vec<T> {
    fn buffer_bytes_mut(&mut self) -> &mut [u8] {
        self.as_mut_slice().as_mut_bytes()
    }
}

#[cfg(feature = "alloc")]
impl<T: StaticLayout + FromBytes> BufferExportMut for Box<[T]> {
    fn buffer_bytes_mut(&mut self) -> &mut [u8] {
        (**self).as_mut_bytes()
    }
}

impl<T: StaticLayout + FromBytes> BufferExportMut for &mut [T] {
    fn buffer_bytes_mut(&mut self) -> &mut [u8] {
        (**self).as_mut_bytes()
    }
}
