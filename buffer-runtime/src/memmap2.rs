//! Memory-mapped files (feature `memmap2`): [`memmap2::Mmap`] and [`memmap2::MmapMut`] export
//! their bytes (format `B`, shape `(len,)`), and [`MappedRecords`] exports them as records of a
//! derived type after checking the mapping's length and alignment against the type.
//!
//! Mapping a file is `unsafe` in memmap2 (another process may change or truncate the file while
//! it is mapped); that contract stays with the caller who maps it. Everything after the mapping
//! exists is safe and checked here.
//!
//! ```
//! use buffer_runtime::memmap2::MappedRecords;
//! use buffer_runtime::view::MemoryView;
//! use std::io::Write;
//!
//! #[buffer_runtime::export]
//! #[repr(C)]
//! #[derive(Clone, Copy)]
//! struct Tick {
//!     price: f64,
//!     qty: u32,
//!     #[buffer(padding)]
//!     _pad: [u8; 4],
//! }
//!
//! let path = std::env::temp_dir().join(format!("br-doc-mmap-{}.bin", std::process::id()));
//! let ticks = [Tick { price: 1.5, qty: 2, _pad: [0; 4] }, Tick { price: 2.5, qty: 3, _pad: [0; 4] }];
//! std::fs::File::create(&path)?.write_all(zerocopy::IntoBytes::as_bytes(&ticks[..]))?;
//!
//! let file = std::fs::File::open(&path)?;
//! // SAFETY: the file was written above and nothing else changes it while it is mapped.
//! let map = unsafe { memmap2::Mmap::map(&file)? };
//! assert_eq!(MemoryView::new(&map).unwrap().shape(), &[32]); // the bytes
//!
//! let records = MappedRecords::<Tick>::new(map).unwrap(); // 32 bytes: two 16-byte records
//! assert_eq!(records.as_slice().iter().map(|t| t.qty).sum::<u32>(), 5);
//! let view = MemoryView::new(&records).unwrap();
//! assert_eq!((view.shape(), view.itemsize()), (&[2usize][..], 16));
//! assert_eq!(view.iter_as::<Tick>().unwrap().map(|t| t.price).sum::<f64>(), 4.0);
//! # drop(records); std::fs::remove_file(&path)?;
//! # Ok::<(), std::io::Error>(())
//! ```

use core::marker::PhantomData;

use ::memmap2::{Mmap, MmapMut};
use zerocopy::FromBytes;

use crate::export::{BufferExport, BufferExportMut, BufferLayout};
use crate::StaticBufferLayout;

impl BufferExport for Mmap {
    type Item = u8;
    fn buffer_layout(&self) -> BufferLayout {
        BufferLayout::of_slice::<u8>(self.len())
    }
    fn buffer_bytes(&self) -> &[u8] {
        self
    }
}

impl BufferExport for MmapMut {
    type Item = u8;
    fn buffer_layout(&self) -> BufferLayout {
        BufferLayout::of_slice::<u8>(self.len())
    }
    fn buffer_bytes(&self) -> &[u8] {
        self
    }
}

impl BufferExportMut for MmapMut {
    fn buffer_bytes_mut(&mut self) -> &mut [u8] {
        self
    }
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for memmap2::Mmap {}
    impl Sealed for memmap2::MmapMut {}
}

/// A memory mapping whose bytes stay at one address for as long as it lives: [`Mmap`] and
/// [`MmapMut`] (sealed: [`MappedRecords`] checks alignment once, at construction, and relies on
/// the address never changing afterwards).
pub trait Mapping: sealed::Sealed + core::ops::Deref<Target = [u8]> {}
impl Mapping for Mmap {}
impl Mapping for MmapMut {}

/// Why a mapping cannot be viewed as records of a type.
///
/// ```
/// use buffer_runtime::memmap2::{MappedRecords, RecordsError};
///
/// let map = memmap2::MmapMut::map_anon(10).unwrap();
/// let err = MappedRecords::<u32, _>::new(map).unwrap_err();
/// assert_eq!(err, RecordsError::Length { bytes: 10, itemsize: 4 });
/// assert_eq!(
///     err.to_string(),
///     "the mapping's 10 bytes are not a whole number of 4-byte records: the file is truncated \
///      or holds another type"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecordsError {
    /// The bytes from the offset to the end are not a multiple of the record size.
    Length {
        /// The bytes after the offset.
        bytes: usize,
        /// The size of one record.
        itemsize: usize,
    },
    /// The first record's address is not a multiple of the type's alignment.
    Misaligned {
        /// The byte offset of the first record in the mapping.
        offset: usize,
        /// The alignment the type needs.
        align: usize,
    },
    /// The offset lies beyond the end of the mapping.
    OffsetBeyond {
        /// The offset asked for.
        offset: usize,
        /// The mapping's length.
        len: usize,
    },
    /// The type has size 0: a mapping holds no number of such records.
    ZeroSized,
}

impl core::fmt::Display for RecordsError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            RecordsError::Length { bytes, itemsize } => write!(
                f,
                "the mapping's {bytes} bytes are not a whole number of {itemsize}-byte records: \
                 the file is truncated or holds another type"
            ),
            RecordsError::Misaligned { offset, align } => write!(
                f,
                "the records at byte offset {offset} of the mapping are not aligned to {align} \
                 bytes: read them with a view's `iter_as` (which copies) instead"
            ),
            RecordsError::OffsetBeyond { offset, len } => write!(
                f,
                "offset {offset} lies beyond the end of the {len}-byte mapping"
            ),
            RecordsError::ZeroSized => f.write_str("zero-sized records cannot be mapped"),
        }
    }
}

impl std::error::Error for RecordsError {}

/// A memory mapping viewed as records of `T` (a derived struct, a number, an array of them),
/// from a byte offset to the end of the mapping, with its length and alignment checked once.
/// It exports the records with shape `(len,) ++ T::SHAPE`, and lends them as a `&[T]`.
///
/// ```
/// use buffer_runtime::memmap2::MappedRecords;
/// let map = memmap2::MmapMut::map_anon(4 + 3 * 8).unwrap();
/// let mut recs = MappedRecords::<[u16; 4], _>::with_offset(map, 4).unwrap();
/// recs.as_mut_slice()[2] = [1, 2, 3, 4];
/// assert_eq!(recs.len(), 3);
/// let view = buffer_runtime::MemoryView::new(&recs).unwrap();
/// assert_eq!(view.shape(), &[3, 4]);
/// assert_eq!(view.get_as::<u16>(&[2, 3]).unwrap(), 4);
/// ```
pub struct MappedRecords<T, M = Mmap> {
    map: M,
    offset: usize,
    len: usize,
    _records: PhantomData<fn() -> T>,
}

impl<T, M> core::fmt::Debug for MappedRecords<T, M> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("MappedRecords")
            .field("type", &core::any::type_name::<T>())
            .field("offset", &self.offset)
            .field("len", &self.len)
            .finish_non_exhaustive()
    }
}

impl<T: StaticBufferLayout, M: Mapping> MappedRecords<T, M> {
    /// Every byte of `map` as records of `T`: see [`with_offset`](Self::with_offset).
    ///
    /// ```
    /// # use buffer_runtime::memmap2::MappedRecords;
    /// let map = memmap2::MmapMut::map_anon(16).unwrap();
    /// assert_eq!(MappedRecords::<u64, _>::new(map).unwrap().len(), 2);
    /// ```
    pub fn new(map: M) -> Result<Self, RecordsError> {
        Self::with_offset(map, 0)
    }

    /// The bytes of `map` from `offset` to its end as records of `T` (a file with a header
    /// before its records). Errors when they are not a whole number of records, when the
    /// first is not aligned for `T` (mappings start on a page boundary: an offset that is a
    /// multiple of the alignment is enough), or when `offset` is beyond the end.
    ///
    /// ```
    /// use buffer_runtime::memmap2::{MappedRecords, RecordsError};
    /// let map = memmap2::MmapMut::map_anon(20).unwrap();
    /// let err = MappedRecords::<u64, _>::with_offset(map, 4).unwrap_err();
    /// assert_eq!(err, RecordsError::Misaligned { offset: 4, align: 8 });
    /// ```
    pub fn with_offset(map: M, offset: usize) -> Result<Self, RecordsError> {
        let size = core::mem::size_of::<T>();
        let align = core::mem::align_of::<T>();
        if size == 0 {
            return Err(RecordsError::ZeroSized);
        }
        let total = map.len();
        let Some(bytes) = total.checked_sub(offset) else {
            return Err(RecordsError::OffsetBeyond { offset, len: total });
        };
        if bytes % size != 0 {
            return Err(RecordsError::Length {
                bytes,
                itemsize: size,
            });
        }
        if (map.as_ptr() as usize).wrapping_add(offset) % align != 0 {
            return Err(RecordsError::Misaligned { offset, align });
        }
        Ok(MappedRecords {
            map,
            offset,
            len: bytes / size,
            _records: PhantomData,
        })
    }

    /// The number of records.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no records.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The byte offset of the first record in the mapping.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The mapping back.
    pub fn into_inner(self) -> M {
        self.map
    }

    fn record_bytes(&self) -> &[u8] {
        &self.map[self.offset..]
    }
}

impl<T: StaticBufferLayout + FromBytes, M: Mapping> MappedRecords<T, M> {
    /// The records, without a copy.
    ///
    /// ```
    /// # use buffer_runtime::memmap2::MappedRecords;
    /// let map = memmap2::MmapMut::map_anon(8).unwrap();
    /// assert_eq!(MappedRecords::<u32, _>::new(map).unwrap().as_slice(), &[0, 0]);
    /// ```
    pub fn as_slice(&self) -> &[T] {
        let bytes = self.record_bytes();
        // SAFETY: `bytes` is `len * size_of::<T>()` initialised bytes aligned for `T` (checked in
        // `with_offset`; a `Mapping` keeps address and length), borrowed through `&self`; any
        // bytes are a valid `T` (`FromBytes`) and `T: Immutable` has no interior mutability.
        unsafe { core::slice::from_raw_parts(bytes.as_ptr().cast::<T>(), self.len) }
    }
}

impl<T: StaticBufferLayout + FromBytes> MappedRecords<T, MmapMut> {
    /// The records, mutably, without a copy.
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        let len = self.len;
        let bytes = &mut self.map[self.offset..];
        crate::element::assert_initialised::<T>();
        // SAFETY: as in `as_slice`, and the bytes are borrowed exclusively through `&mut self`;
        // every `T` written through the `&mut [T]` is fully initialised bytes of the mapping
        // again (`StaticBufferLayout`'s contract, with the item's `FORMAT` evaluated just above).
        unsafe { core::slice::from_raw_parts_mut(bytes.as_mut_ptr().cast::<T>(), len) }
    }
}

impl<T: StaticBufferLayout, M: Mapping> BufferExport for MappedRecords<T, M> {
    type Item = T::Item;
    fn buffer_layout(&self) -> BufferLayout {
        BufferLayout::of_slice::<T>(self.len)
    }
    fn buffer_bytes(&self) -> &[u8] {
        self.record_bytes()
    }
}

impl<T: StaticBufferLayout + FromBytes> BufferExportMut for MappedRecords<T, MmapMut> {
    fn buffer_bytes_mut(&mut self) -> &mut [u8] {
        crate::element::static_bytes_mut(self.as_mut_slice())
    }
}
