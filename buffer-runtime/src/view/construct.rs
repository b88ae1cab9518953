//! Constructors: from an exporter, from bytes and a described layout, and the layout check
//! every derived view runs again.

use alloc::string::ToString;

use smallvec::SmallVec;
use zerocopy::FromBytes;

use super::data::Data;
use super::error::{Result, ViewError};
use super::item::ItemFormat;
use super::{MemoryView, MemoryViewMut, Shape, Strides, ViewBase};
use crate::export::{BufferExport, BufferExportMut, BufferLayout};
use crate::geometry;

/// An exporter's layout and item format, as both `new`s read them (a layout the exporter
/// cannot describe is a `BufferError`).
fn export_parts<T: BufferExport + ?Sized>(exporter: &T) -> Result<(BufferLayout, ItemFormat)> {
    let layout = exporter
        .try_buffer_layout()
        .map_err(|e| ViewError::buffer_error(e.to_string()))?;
    Ok((layout, ItemFormat::of_element::<T::Item>()?))
}

/// Checks invariants 1 and 3 to 5 of [`ViewBase`] for a layout over `len` bytes
/// ([`geometry::measure`] and [`geometry::Geometry::inside`], with the views' messages).
fn check_layout(
    len: usize,
    offset: usize,
    shape: &[usize],
    strides: &[isize],
    itemsize: usize,
) -> Result<()> {
    use geometry::{GeometryError, Outside};
    let outside = || {
        ViewError::buffer_error(alloc::format!(
            "buffer layout: items of shape {shape:?}, strides {strides:?}, itemsize {itemsize} \
             at offset {offset} do not lie inside {len} bytes"
        ))
    };
    let measured = geometry::measure(shape, strides, itemsize).map_err(|e| match e {
        GeometryError::TooManyDimensions => {
            ViewError::value_error("memoryview: number of dimensions must not exceed 64")
        }
        GeometryError::StridesCount => ViewError::buffer_error(alloc::format!(
            "buffer layout: shape has {} dimensions but strides has {}",
            shape.len(),
            strides.len()
        )),
        GeometryError::TooManyBytes => {
            ViewError::buffer_error("buffer layout: product(shape) * itemsize exceeds isize::MAX")
        }
        GeometryError::TooManyItems => {
            ViewError::buffer_error("buffer layout: product(shape) exceeds isize::MAX")
        }
        GeometryError::ExtentOverflow => outside(),
    })?;
    measured.inside(offset, len).map_err(|e| match e {
        Outside::OffsetPastEnd => ViewError::buffer_error(alloc::format!(
            "buffer layout: offset {offset} is past the end of {len} bytes"
        )),
        Outside::Items { .. } => outside(),
    })
}

impl<'a> MemoryView<'a> {
    /// A read-only view of an exporter, borrowing it for `'a`.
    ///
    /// Fails with `BufferError` when the exporter reports a bad layout
    /// ([`BufferExport::try_buffer_layout`], e.g. a container whose shape disagrees with its
    /// data) or its layout does not fit its bytes (the exporter traits are safe to implement,
    /// so the view checks).
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// let rows = vec![[1u8, 2], [3, 4], [5, 6]];
    /// let view = MemoryView::new(&rows).unwrap();
    /// assert_eq!(view.shape(), &[3, 2]);
    /// assert_eq!(view.tobytes(buffer_runtime::view::Order::C), [1, 2, 3, 4, 5, 6]);
    /// ```
    pub fn new<T: BufferExport + ?Sized>(exporter: &'a T) -> Result<Self> {
        let (layout, item) = export_parts(exporter)?;
        ViewBase::from_layout(exporter.buffer_bytes(), item, &layout)
    }

    /// A 1-d view of bytes with format `B`, as `memoryview(b"...")`.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// let view = MemoryView::from_bytes(b"abc");
    /// assert_eq!((view.format(), view.shape()), ("B", &[3usize][..]));
    /// ```
    pub fn from_bytes(bytes: &'a [u8]) -> Self {
        ViewBase::bytes_view(bytes)
    }

    /// A read-only view of `bytes` holding items of `format` at `offset + index . strides`
    /// (C-order strides when `strides` is `None`), with every item checked to lie inside
    /// `bytes`: a bad combination is an error, never undefined behaviour.
    ///
    /// ```
    /// use buffer_runtime::view::{ErrorKind, MemoryView};
    /// let bytes = [0u8, 1, 0, 2, 0, 3, 0, 4];
    /// // Every other big-endian u16, starting at byte 2: 0x0002, 0x0004.
    /// let view = MemoryView::from_parts(&bytes, ">H", &[2], Some(&[4]), 2).unwrap();
    /// assert_eq!(view.tobytes(buffer_runtime::view::Order::C), [0, 2, 0, 4]);
    /// // One more item would read past the end.
    /// let err = MemoryView::from_parts(&bytes, ">H", &[3], Some(&[4]), 2).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::BufferError);
    /// ```
    pub fn from_parts(
        bytes: &'a [u8],
        format: &str,
        shape: &[usize],
        strides: Option<&[isize]>,
        offset: usize,
    ) -> Result<Self> {
        let item = ItemFormat::parse(format)?;
        ViewBase::from_checked(bytes, item, shape, strides, offset)
    }
}

impl<'a> MemoryViewMut<'a> {
    /// A writable view of an exporter, borrowing it exclusively for `'a`. The items must
    /// accept every bit pattern (`FromBytes`), since the view can write any bytes.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryViewMut;
    /// let mut px = [[0u8; 3]; 2];
    /// let mut view = MemoryViewMut::new(&mut px).unwrap();
    /// view.set_as::<u8>(&[1, 0], 255).unwrap();
    /// drop(view);
    /// assert_eq!(px, [[0, 0, 0], [255, 0, 0]]);
    /// ```
    pub fn new<T>(exporter: &'a mut T) -> Result<Self>
    where
        T: BufferExportMut + ?Sized,
        T::Item: FromBytes,
    {
        let (layout, item) = export_parts(&*exporter)?;
        ViewBase::from_layout(exporter.buffer_bytes_mut(), item, &layout)
    }

    /// A writable 1-d view of bytes with format `B`, as `memoryview(bytearray(...))`.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryViewMut;
    /// let mut b = *b"abc";
    /// let view = MemoryViewMut::from_bytes(&mut b);
    /// assert!(!view.readonly());
    /// ```
    pub fn from_bytes(bytes: &'a mut [u8]) -> Self {
        ViewBase::bytes_view(bytes)
    }

    /// A writable view of `bytes` with items of `format` at `offset + index . strides`: see
    /// [`MemoryView::from_parts`].
    ///
    /// ```
    /// use buffer_runtime::view::{MemoryViewMut, Order};
    /// let mut bytes = [0u8; 6];
    /// let mut view = MemoryViewMut::from_parts(&mut bytes, "B", &[3], Some(&[-2]), 4).unwrap();
    /// view.set_as::<u8>(&[0], 1).unwrap(); // byte 4
    /// view.set_as::<u8>(&[2], 3).unwrap(); // byte 0
    /// assert_eq!(bytes, [3, 0, 0, 0, 1, 0]);
    /// ```
    pub fn from_parts(
        bytes: &'a mut [u8],
        format: &str,
        shape: &[usize],
        strides: Option<&[isize]>,
        offset: usize,
    ) -> Result<Self> {
        let item = ItemFormat::parse(format)?;
        ViewBase::from_checked(bytes, item, shape, strides, offset)
    }
}

impl<S: Data> ViewBase<S> {
    /// A view of `data` holding items of `format` at `offset + index . strides` (C-order
    /// strides when `strides` is `None`), with every item checked to lie inside `data`: a bad
    /// combination is an error, never undefined behaviour. Works for every storage kind
    /// ([`MemoryView::from_parts`] is this for `&[u8]`).
    ///
    /// ```
    /// use buffer_runtime::format::Value;
    /// use buffer_runtime::view::{ErrorKind, Shared, SharedView};
    /// let bytes = [0u8, 1, 0, 2, 0, 3];
    /// let view = SharedView::from_data(Shared::from(&bytes[..]), ">H", &[3], None, 0).unwrap();
    /// assert_eq!(view.get(&[2]).unwrap(), Value::UInt(3));
    /// let err = SharedView::from_data(Shared::from(&bytes[..]), ">H", &[4], None, 0).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::BufferError);
    /// ```
    pub fn from_data(
        data: S,
        format: &str,
        shape: &[usize],
        strides: Option<&[isize]>,
        offset: usize,
    ) -> Result<Self> {
        let item = ItemFormat::parse(format)?;
        ViewBase::from_checked(data, item, shape, strides, offset)
    }

    /// A 1-d view of the bytes of `data` with format `B`, as `memoryview(b"...")`
    /// ([`MemoryView::from_bytes`] for every storage kind).
    ///
    /// ```
    /// use buffer_runtime::view::{Order, Shared, SharedView};
    /// let view = SharedView::from_data_bytes(Shared::from(&b"abc"[..]));
    /// assert_eq!((view.format(), view.shape()), ("B", &[3usize][..]));
    /// assert_eq!(view.tobytes(Order::C), b"abc");
    /// ```
    pub fn from_data_bytes(data: S) -> Self {
        ViewBase::bytes_view(data)
    }

    /// [`from_data`](Self::from_data) with a format parsed already (one parse for many views
    /// of the same items).
    ///
    /// ```
    /// use buffer_runtime::view::{ItemFormat, Shared, SharedView};
    /// let item = ItemFormat::parse("<i").unwrap();
    /// let bytes = [1u8, 0, 0, 0, 2, 0, 0, 0];
    /// let view = SharedView::from_data_item(Shared::from(&bytes[..]), item, &[2], None, 0).unwrap();
    /// assert_eq!(view.format(), "<i");
    /// ```
    pub fn from_data_item(
        data: S,
        item: ItemFormat,
        shape: &[usize],
        strides: Option<&[isize]>,
        offset: usize,
    ) -> Result<Self> {
        ViewBase::from_checked(data, item, shape, strides, offset)
    }

    /// [`from_checked`](Self::from_checked) with an exporter's layout.
    fn from_layout(data: S, item: ItemFormat, layout: &BufferLayout) -> Result<Self> {
        let strides = Some(&layout.strides[..]);
        ViewBase::from_checked(data, item, &layout.shape, strides, layout.offset)
    }

    fn from_checked(
        data: S,
        item: ItemFormat,
        shape: &[usize],
        strides: Option<&[isize]>,
        offset: usize,
    ) -> Result<Self> {
        let strides: Strides = match strides {
            Some(s) => SmallVec::from_slice(s),
            None => geometry::c_strides(shape, item.itemsize()),
        };
        check_layout(data.len(), offset, shape, &strides, item.itemsize())?;
        Ok(ViewBase {
            data,
            offset,
            shape: SmallVec::from_slice(shape),
            strides,
            item,
        })
    }

    fn bytes_view(data: S) -> Self {
        let n = data.len();
        // Invariants: 1-d, itemsize 1, stride 1: byte k is item k, all inside.
        ViewBase {
            data,
            offset: 0,
            shape: smallvec::smallvec![n],
            strides: smallvec::smallvec![1],
            item: ItemFormat::bytes(),
        }
    }

    /// Replaces the layout, checking the invariants again (used by every derived view).
    pub(super) fn with_layout(
        mut self,
        offset: usize,
        shape: Shape,
        strides: Strides,
    ) -> Result<Self> {
        check_layout(
            self.data.len(),
            offset,
            &shape,
            &strides,
            self.item.itemsize(),
        )?;
        self.offset = offset;
        self.shape = shape;
        self.strides = strides;
        Ok(self)
    }
}
