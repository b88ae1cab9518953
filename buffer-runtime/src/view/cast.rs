//! `cast(format, shape)`: CPython's rules and messages.

use smallvec::SmallVec;

use super::error::{Result, ViewError};
use super::item::{native_char, ItemFormat};
use super::{Data, DataMut, Shape, ViewBase, MAX_NDIM};
use crate::geometry::c_strides;

impl<S: Data> ViewBase<S> {
    /// CPython's `cast(format, shape)`: a view of the same bytes with another native
    /// single-character format and/or shape. The rules are CPython's, checked in CPython's
    /// order, with its error kinds and messages:
    ///
    /// - the view must be C-contiguous (`TypeError: memoryview: casts are restricted to
    ///   C-contiguous views`), and have no zero in its shape when a shape is given or it is
    ///   not 1-d;
    /// - at most 64 dimensions; 1-d -> N-d or N-d -> 1-d only;
    /// - the destination format is one native character with an optional `@` (`e` included,
    ///   as since CPython 3.12: see [Which CPython](crate::view#which-cpython)), and one of the two
    ///   formats is a byte format (`B`, `b`, `c`);
    /// - the byte length is a multiple of the new item size, and equals
    ///   `product(shape) * itemsize` when a shape is given (`[]` gives a 0-d view).
    ///
    /// ```
    /// use buffer_runtime::view::{ErrorKind, MemoryView};
    /// let bytes = [1u8, 0, 2, 0, 3, 0, 4, 0];
    /// let view = MemoryView::from_bytes(&bytes);
    /// let h = view.cast("h", Some(&[2, 2])).unwrap();
    /// assert_eq!((h.format(), h.shape(), h.byte_strides()), ("h", &[2usize, 2][..], &[4isize, 2][..]));
    /// let err = h.cast("i", None).unwrap_err();
    /// assert_eq!((err.kind(), err.message()), (ErrorKind::TypeError, "memoryview: cannot cast between two non-byte formats"));
    /// ```
    pub fn cast(&self, format: &str, shape: Option<&[usize]>) -> Result<ViewBase<S::Ref<'_>>> {
        self.view().into_cast(format, shape)
    }

    /// [`cast`](Self::cast), consuming this view (keeps its lifetime and writability).
    ///
    /// ```
    /// use buffer_runtime::view::MemoryViewMut;
    /// let mut words = [0u32; 2];
    /// let mut bytes = MemoryViewMut::new(&mut words).unwrap().into_cast("B", None).unwrap();
    /// bytes.set_as::<u8>(&[4], 1).unwrap();
    /// assert_eq!(words[1], u32::from_ne_bytes([1, 0, 0, 0]));
    /// ```
    pub fn into_cast(self, format: &str, shape: Option<&[usize]>) -> Result<Self> {
        if !self.c_contiguous() {
            return Err(ViewError::type_error(
                "memoryview: casts are restricted to C-contiguous views",
            ));
        }
        if (shape.is_some() || self.ndim() != 1) && self.shape.contains(&0) {
            return Err(ViewError::type_error(
                "memoryview: cannot cast view with zeros in shape or strides",
            ));
        }
        if let Some(shape) = shape {
            if shape.len() > MAX_NDIM {
                return Err(ViewError::value_error(
                    "memoryview: number of dimensions must not exceed 64",
                ));
            }
            if self.ndim() != 1 && shape.len() != 1 {
                return Err(ViewError::type_error(
                    "memoryview: cast must be 1D -> ND or ND -> 1D",
                ));
            }
        }
        // cast_to_1D
        let dest = native_char(format).ok_or_else(|| {
            ViewError::value_error(
                "memoryview: destination format must be a native single character format \
                 prefixed with an optional '@'",
            )
        })?;
        let is_byte = |c: u8| matches!(c, b'B' | b'b' | b'c');
        if !self.item.is_byte_format() && !is_byte(dest) {
            return Err(ViewError::type_error(
                "memoryview: cannot cast between two non-byte formats",
            ));
        }
        let item = ItemFormat::parse(format)?;
        let itemsize = item.itemsize();
        let len = self.nbytes();
        if itemsize == 0 || len % itemsize != 0 {
            return Err(ViewError::type_error(
                "memoryview: length is not a multiple of itemsize",
            ));
        }
        let new_shape: Shape = match shape {
            None => smallvec::smallvec![len / itemsize],
            Some(shape) => {
                let mut total = itemsize;
                for &n in shape {
                    if n == 0 {
                        return Err(ViewError::value_error(
                            "memoryview.cast(): elements of shape must be integers > 0",
                        ));
                    }
                    total = total
                        .checked_mul(n)
                        .filter(|&t| t <= isize::MAX as usize)
                        .ok_or_else(|| {
                            ViewError::value_error("memoryview.cast(): product(shape) > SSIZE_MAX")
                        })?;
                }
                if total != len {
                    return Err(ViewError::type_error(
                        "memoryview: product(shape) * itemsize != buffer size",
                    ));
                }
                SmallVec::from_slice(shape)
            }
        };
        let strides = c_strides(&new_shape, itemsize);
        // A C-contiguous view's items are the `len` bytes from `offset` (lowest address), so
        // the cast view covers the same bytes; `with_layout` re-checks anyway.
        let offset = self.offset;
        let mut out = self;
        out.item = item;
        out.with_layout(offset, new_shape, strides)
    }
}

impl<S: DataMut> ViewBase<S> {
    /// [`cast`](Self::cast), writable.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryViewMut;
    /// let mut b = [0u8; 4];
    /// let mut view = MemoryViewMut::from_bytes(&mut b);
    /// view.cast_mut("H", None).unwrap().set_as::<u16>(&[1], 0x0101).unwrap();
    /// drop(view);
    /// assert_eq!(b, [0, 0, 1, 1]);
    /// ```
    pub fn cast_mut(
        &mut self,
        format: &str,
        shape: Option<&[usize]>,
    ) -> Result<ViewBase<S::Mut<'_>>> {
        self.view_mut().into_cast(format, shape)
    }
}
