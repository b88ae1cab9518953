//! `.npy` files (feature `npy`): numpy's array file format, written from any exporter with a
//! `descr` derived from its item type, and opened (read into memory, or over any bytes such as
//! a memory mapping) as a [`MemoryView`], untyped or with the `descr` checked against a type.
//!
//! The format, as `numpy.lib.format` describes it: the magic `\x93NUMPY`, a version byte pair,
//! the header's length (2 little-endian bytes in version 1.0, 4 in 2.0 and 3.0), then the header:
//! a Python dict literal `{'descr': ..., 'fortran_order': ..., 'shape': (...), }` padded with
//! spaces and ending in `\n`, so that the data starts on a 64-byte boundary. Version 1.0 and
//! 2.0 headers are latin-1; 3.0 is UTF-8. [`write()`] picks the version numpy picks: 1.0, 2.0 when
//! the header does not fit 65535 bytes, 3.0 when a field name is not latin-1.
//!
//! ```
//! use buffer_runtime::npy::{self, NpyFile};
//!
//! #[buffer_runtime::export]
//! #[repr(C)]
//! #[derive(Clone, Copy, Debug, PartialEq)]
//! struct Tick {
//!     ts: u64,
//!     qty: u32,
//!     #[buffer(padding)]
//!     _pad: [u8; 4],
//! }
//!
//! let ticks = vec![Tick { ts: 1, qty: 10, _pad: [0; 4] }, Tick { ts: 2, qty: 20, _pad: [0; 4] }];
//! let mut file = Vec::new();
//! npy::write(&mut file, &ticks).unwrap();
//! let le = cfg!(target_endian = "little");
//! assert!(file.starts_with(b"\x93NUMPY\x01\x00"));
//! assert_eq!(file.len(), 128 + 32); // the header pads the data to a multiple of 64
//! let header = std::str::from_utf8(&file[10..128]).unwrap();
//! assert_eq!(header.trim_end(), if le {
//!     "{'descr': [('ts', '<u8'), ('qty', '<u4'), ('', '|V4')], 'fortran_order': False, 'shape': (2,), }"
//! } else {
//!     "{'descr': [('ts', '>u8'), ('qty', '>u4'), ('', '|V4')], 'fortran_order': False, 'shape': (2,), }"
//! });
//!
//! let npy = NpyFile::from_bytes(&file[..]).unwrap();
//! assert_eq!(npy.shape(), &[2]);
//! let ticks = npy.typed_view::<Tick>().unwrap(); // the descr checked against `Tick`, names too
//! assert_eq!(ticks.iter().map(|t| t.qty).sum::<u32>(), 30);
//! assert!(npy.typed_view::<u64>().is_err());
//! ```
//!
//! Memory-mapped (memmap2's `Mmap` is bytes, as any `AsRef<[u8]>` storage is):
//!
//! ```
//! # use buffer_runtime::npy::{self, NpyFile};
//! let path = std::env::temp_dir().join(format!("br-doc-npy-{}.npy", std::process::id()));
//! npy::save(&path, &[[1.0f64, 2.0], [3.0, 4.0]]).unwrap();
//! let file = std::fs::File::open(&path).unwrap();
//! // SAFETY: the file was written above and nothing changes it while it is mapped.
//! let map = unsafe { memmap2::Mmap::map(&file).unwrap() };
//! let npy = NpyFile::from_bytes(map).unwrap();
//! assert_eq!(npy.as_slice::<f64>().unwrap(), &[1.0, 2.0, 3.0, 4.0]); // no copy: the mapping
//! assert_eq!(npy.view().unwrap().shape(), &[2, 2]);
//! # drop(npy); std::fs::remove_file(&path).unwrap();
//! ```
//!
//! What is read: any descr that maps to a PEP 3118 format (booleans, integers, floats of 2, 4
//! and 8 bytes, complex of 8 and 16, `S`/`V` bytes, `U` strings, structured dtypes with
//! padding, sub-arrays and nesting, either byte order), Fortran order (a view with Fortran
//! strides), 0-d and empty arrays. Refused with an error naming the reason: object arrays
//! (numpy pickles them), datetimes, long doubles, malformed headers (with the byte position in
//! the header), a data part shorter than the header says.

use alloc::string::String;
use alloc::vec::Vec;
use std::io::{Read, Write};

use zerocopy::{FromBytes, IntoBytes};

use crate::format::ItemLayout;
use crate::format::MatchNames;
use crate::view::{MemoryView, Order, TypedView, ViewError};
use crate::{BufferExport, Element, FieldType};

mod descr;
mod literal;

pub use descr::{Descr, DescrField};
use literal::{repr_str, Lit, Parser};

/// The magic string every `.npy` file starts with.
pub const MAGIC: &[u8; 6] = b"\x93NUMPY";

/// The data starts at a multiple of this many bytes from the start of the file (numpy's
/// `ARRAY_ALIGN`).
pub const ALIGN: usize = 64;

/// Why a `.npy` file cannot be written or read.
///
/// ```
/// use buffer_runtime::npy::{NpyError, NpyFile};
/// let err = NpyFile::from_bytes(&b"\x93NUMPY\x01\x00\x06\x00{'a':}"[..]).unwrap_err();
/// assert!(matches!(err, NpyError::Header { position: Some(5), .. }));
/// assert_eq!(err.to_string(), "malformed .npy header, at byte 5 of the header text: unexpected character '}'");
/// ```
#[derive(Debug)]
pub enum NpyError {
    /// Reading or writing failed.
    Io(std::io::Error),
    /// The bytes do not start with `\x93NUMPY`.
    Magic,
    /// A format version this reader does not know (1.0, 2.0 and 3.0 are known).
    Version {
        /// The major version byte.
        major: u8,
        /// The minor version byte.
        minor: u8,
    },
    /// The file ends before the header or the data that the header describes.
    Truncated {
        /// What is missing ("the header", "the data").
        what: &'static str,
        /// The bytes needed.
        needed: u64,
        /// The bytes there are.
        found: u64,
    },
    /// The header is not the dict numpy writes.
    Header {
        /// The byte offset in the header text (after the length field), when there is one.
        position: Option<usize>,
        /// What is wrong.
        message: String,
    },
    /// The `descr` has no PEP 3118 format, or a format has no numpy dtype.
    Descr(String),
    /// A format string derived from the file (or given) is invalid.
    Format(String),
    /// The view of the data failed, or the data does not hold the type asked for.
    View(ViewError),
}

impl core::fmt::Display for NpyError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            NpyError::Io(e) => write!(f, "{e}"),
            NpyError::Magic => f.write_str("not a .npy file: it does not start with \\x93NUMPY"),
            NpyError::Version { major, minor } => write!(
                f,
                "unsupported .npy format version {major}.{minor} (1.0, 2.0 and 3.0 are supported)"
            ),
            NpyError::Truncated {
                what,
                needed,
                found,
            } => write!(
                f,
                "truncated .npy file: {what} needs {needed} bytes but only {found} are there"
            ),
            NpyError::Header {
                position: Some(p),
                message,
            } => write!(
                f,
                "malformed .npy header, at byte {p} of the header text: {message}"
            ),
            NpyError::Header {
                position: None,
                message,
            } => write!(f, "malformed .npy header: {message}"),
            NpyError::Descr(m) | NpyError::Format(m) => f.write_str(m),
            NpyError::View(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for NpyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            NpyError::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl From<std::io::Error> for NpyError {
    fn from(e: std::io::Error) -> Self {
        NpyError::Io(e)
    }
}

impl From<ViewError> for NpyError {
    fn from(e: ViewError) -> Self {
        NpyError::View(e)
    }
}

fn header_err(message: impl Into<String>) -> NpyError {
    NpyError::Header {
        position: None,
        message: message.into(),
    }
}

/// A `.npy` header: the dtype, the order and the shape of the array.
///
/// ```
/// use buffer_runtime::npy::{Descr, Header};
///
/// let h = Header::for_type::<u16>(&[2, 3]).unwrap();
/// let bytes = h.to_bytes();
/// assert_eq!(bytes.len(), 128);
/// let (parsed, data_offset) = Header::parse(&bytes).unwrap();
/// assert_eq!((parsed, data_offset), (h, 128));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// The dtype.
    pub descr: Descr,
    /// Whether the data is in Fortran (column-major) order.
    pub fortran_order: bool,
    /// The array's shape (empty for a 0-d array).
    pub shape: Vec<usize>,
}

impl Header {
    /// The header of a C-order array of `shape` items of `T`, its descr derived from
    /// `T::FORMAT`.
    ///
    /// ```
    /// use buffer_runtime::npy::Header;
    /// let h = Header::for_type::<f32>(&[]).unwrap();
    /// let o = if cfg!(target_endian = "little") { '<' } else { '>' };
    /// assert_eq!(h.descr.to_string(), format!("'{o}f4'"));
    /// ```
    pub fn for_type<T: Element>(shape: &[usize]) -> Result<Header, NpyError> {
        Ok(Header {
            descr: Descr::from_format(T::FORMAT)?,
            fortran_order: false,
            shape: shape.to_vec(),
        })
    }

    /// The header dict as numpy writes it (without padding).
    ///
    /// ```
    /// use buffer_runtime::npy::{Descr, Header};
    /// let h = Header { descr: Descr::Scalar("|u1".into()), fortran_order: true, shape: vec![2, 1] };
    /// assert_eq!(h.dict(), "{'descr': '|u1', 'fortran_order': True, 'shape': (2, 1), }");
    /// ```
    pub fn dict(&self) -> String {
        let mut s = String::from("{'descr': ");
        self.descr.repr(&mut s);
        s.push_str(", 'fortran_order': ");
        s.push_str(if self.fortran_order { "True" } else { "False" });
        s.push_str(", 'shape': ");
        descr::repr_shape(&self.shape, &mut s);
        s.push_str(", }");
        s
    }

    /// The magic, version, length and padded header: everything before the data. Version 1.0
    /// when the header is latin-1 and fits 65535 bytes, 2.0 when it is latin-1 and larger, 3.0
    /// when it is not latin-1 (a field name in another script).
    ///
    /// ```
    /// use buffer_runtime::npy::{Descr, DescrField, Header};
    /// let field = |name: &str| DescrField { name: name.into(), descr: Descr::Scalar("|u1".into()), shape: vec![] };
    /// let latin = Header { descr: Descr::Record(vec![field("café")]), fortran_order: false, shape: vec![] };
    /// assert_eq!(&latin.to_bytes()[6..8], &[1, 0]);
    /// let greek = Header { descr: Descr::Record(vec![field("λ")]), ..latin };
    /// assert_eq!(&greek.to_bytes()[6..8], &[3, 0]);
    /// ```
    pub fn to_bytes(&self) -> Vec<u8> {
        let dict = self.dict();
        let latin1 = dict.chars().all(|c| (c as u32) < 0x100);
        let text: Vec<u8> = if latin1 {
            dict.chars().map(|c| c as u8).collect()
        } else {
            dict.into_bytes()
        };
        let padded = |prefix: usize| (prefix + text.len() + 1).div_ceil(ALIGN) * ALIGN - prefix;
        let (major, prefix) = if !latin1 {
            (3u8, 12)
        } else if padded(10) <= usize::from(u16::MAX) {
            (1, 10)
        } else {
            (2, 12)
        };
        let header_len = padded(prefix);
        let mut out = Vec::with_capacity(prefix + header_len);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&[major, 0]);
        if major == 1 {
            out.extend_from_slice(&(header_len as u16).to_le_bytes());
        } else {
            out.extend_from_slice(&(header_len as u32).to_le_bytes());
        }
        out.extend_from_slice(&text);
        out.resize(prefix + header_len - 1, b' ');
        out.push(b'\n');
        out
    }

    /// Parses the header at the start of `bytes` (a whole file, or at least its header):
    /// returns it and the offset of the data.
    ///
    /// ```
    /// use buffer_runtime::npy::{Header, NpyError};
    /// let mut bytes = b"\x93NUMPY\x01\x00\x38\x00{'descr': '<i4', 'fortran_order': False, 'shape': (3,)}".to_vec();
    /// bytes.push(b'\n'); // a header numpy's reader takes: not padded to 64 bytes
    /// let (h, offset) = Header::parse(&bytes).unwrap();
    /// assert_eq!((h.shape.as_slice(), offset), (&[3usize][..], 66));
    /// assert!(matches!(Header::parse(b"\x93NUMPY\x04\x00"), Err(NpyError::Version { major: 4, minor: 0 })));
    /// ```
    pub fn parse(bytes: &[u8]) -> Result<(Header, usize), NpyError> {
        let (major, prefix) = Self::parse_prefix(bytes)?;
        if bytes.len() < prefix {
            return Err(NpyError::Truncated {
                what: "the header length",
                needed: prefix as u64,
                found: bytes.len() as u64,
            });
        }
        let len_bytes = &bytes[8..prefix];
        let header_len = if major == 1 {
            u64::from(u16::from_le_bytes([len_bytes[0], len_bytes[1]]))
        } else {
            u64::from(u32::from_le_bytes([
                len_bytes[0],
                len_bytes[1],
                len_bytes[2],
                len_bytes[3],
            ]))
        };
        let end = (prefix as u64) + header_len;
        if (bytes.len() as u64) < end {
            return Err(NpyError::Truncated {
                what: "the header",
                needed: end,
                found: bytes.len() as u64,
            });
        }
        let end = end as usize;
        let header = Self::parse_text(major, &bytes[prefix..end])?;
        Ok((header, end))
    }

    /// The version's major number and the length of the prefix (magic, version, length), from
    /// the first 8 bytes.
    fn parse_prefix(bytes: &[u8]) -> Result<(u8, usize), NpyError> {
        if bytes.len() < 6 || &bytes[..6] != MAGIC {
            return Err(if MAGIC.starts_with(bytes) {
                NpyError::Truncated {
                    what: "the magic string",
                    needed: 6,
                    found: bytes.len() as u64,
                }
            } else {
                NpyError::Magic
            });
        }
        if bytes.len() < 8 {
            return Err(NpyError::Truncated {
                what: "the version",
                needed: 8,
                found: bytes.len() as u64,
            });
        }
        let (major, minor) = (bytes[6], bytes[7]);
        let prefix = match (major, minor) {
            (1, 0) => 10,
            (2, 0) | (3, 0) => 12,
            _ => return Err(NpyError::Version { major, minor }),
        };
        Ok((major, prefix))
    }

    /// The header text of a file of version `major`: latin-1 for 1 and 2, UTF-8 for 3.
    fn parse_text(major: u8, raw: &[u8]) -> Result<Header, NpyError> {
        let text: String = if major == 3 {
            String::from(core::str::from_utf8(raw).map_err(|e| NpyError::Header {
                position: Some(e.valid_up_to()),
                message: String::from("a version 3.0 header is UTF-8, and this is not"),
            })?)
        } else {
            raw.iter().map(|&b| char::from(b)).collect()
        };
        let lit = Parser::new(&text).parse_all()?;
        Self::from_lit(lit)
    }

    fn from_lit(lit: Lit) -> Result<Header, NpyError> {
        let Lit::Dict(entries) = lit else {
            return Err(header_err(alloc::format!(
                "the header is a dict, not {}",
                lit.kind()
            )));
        };
        let (mut descr, mut fortran, mut shape) = (None, None, None);
        for (key, value) in entries {
            let Lit::Str(key) = key else {
                return Err(header_err(alloc::format!(
                    "the header's keys are strings, not {}",
                    key.kind()
                )));
            };
            let slot = match key.as_str() {
                "descr" => &mut descr,
                "fortran_order" => &mut fortran,
                "shape" => &mut shape,
                _ => {
                    let mut k = String::new();
                    repr_str(&key, &mut k);
                    return Err(header_err(alloc::format!(
                        "unexpected key {k}: the header has exactly 'descr', 'fortran_order' \
                         and 'shape'"
                    )));
                }
            };
            if slot.replace(value).is_some() {
                return Err(header_err(alloc::format!("the key '{key}' appears twice")));
            }
        }
        let missing = |k: &str| {
            header_err(alloc::format!(
                "the key '{k}' is missing: the header has exactly 'descr', 'fortran_order' \
                 and 'shape'"
            ))
        };
        let descr = Descr::from_lit(&descr.ok_or_else(|| missing("descr"))?, 0)?;
        let fortran_order = match fortran.ok_or_else(|| missing("fortran_order"))? {
            Lit::Bool(b) => b,
            other => {
                return Err(header_err(alloc::format!(
                    "'fortran_order' is True or False, not {}",
                    other.kind()
                )))
            }
        };
        let shape = match shape.ok_or_else(|| missing("shape"))? {
            Lit::Tuple(dims) => dims
                .into_iter()
                .map(|d| match d {
                    Lit::Int(n) => usize::try_from(n).map_err(|_| {
                        header_err(alloc::format!("dimension {n} does not fit usize"))
                    }),
                    other => Err(header_err(alloc::format!(
                        "'shape' is a tuple of non-negative integers, and holds {}",
                        other.kind()
                    ))),
                })
                .collect::<Result<Vec<_>, _>>()?,
            other => {
                return Err(header_err(alloc::format!(
                    "'shape' is a tuple of non-negative integers, not {}",
                    other.kind()
                )))
            }
        };
        Ok(Header {
            descr,
            fortran_order,
            shape,
        })
    }

    /// The PEP 3118 format of the items (see [`Descr::to_format`]).
    pub fn format(&self) -> Result<String, NpyError> {
        self.descr.to_format()
    }
}

/// Writes `data` as a `.npy` file: a header whose descr is derived from the exporter's item
/// type ([`Element::FORMAT`]), then the items. See [`write_view`].
///
/// ```
/// let mut out = Vec::new();
/// buffer_runtime::npy::write(&mut out, &[1u8, 2, 3]).unwrap();
/// assert_eq!(&out[128..], &[1, 2, 3]);
/// ```
pub fn write<E: BufferExport + ?Sized, W: Write>(out: W, data: &E) -> Result<(), NpyError> {
    write_view(out, &MemoryView::new(data)?)
}

/// [`write()`] to a new file at `path` (replacing one that is there).
pub fn save<E: BufferExport + ?Sized>(
    path: impl AsRef<std::path::Path>,
    data: &E,
) -> Result<(), NpyError> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    write(&mut out, data)?;
    out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    Ok(())
}

/// Writes the items of a view as a `.npy` file, its descr derived from the view's format: a
/// C-contiguous view as it is, an F-contiguous one as it is with `fortran_order` set, any
/// other in C order (copied).
///
/// ```
/// use buffer_runtime::npy::{self, NpyFile};
/// use buffer_runtime::view::MemoryView;
///
/// let grid = [[1i16, 2, 3], [4, 5, 6]];
/// let view = MemoryView::new(&grid).unwrap();
/// let mut out = Vec::new();
/// npy::write_view(&mut out, &view.t()).unwrap(); // the transpose: F-contiguous
/// let back = NpyFile::from_bytes(&out[..]).unwrap();
/// assert!(back.fortran_order());
/// assert_eq!(back.shape(), &[3, 2]);
/// assert_eq!(back.view().unwrap().get_as::<i16>(&[2, 0]).unwrap(), 3);
/// ```
pub fn write_view<W: Write>(mut out: W, view: &MemoryView<'_>) -> Result<(), NpyError> {
    let descr = Descr::from_format(view.format())?;
    // A 1-d or 0-d view is both C- and F-contiguous: numpy writes those `fortran_order: False`.
    let fortran = !view.c_contiguous() && view.f_contiguous();
    let header = Header {
        descr,
        fortran_order: fortran,
        shape: view.shape().to_vec(),
    };
    out.write_all(&header.to_bytes())?;
    if view.c_contiguous() || view.f_contiguous() {
        let start = view.offset();
        let bytes = if view.item_count() == 0 {
            &[][..]
        } else {
            &view.underlying_bytes()[start..start + view.nbytes()]
        };
        out.write_all(bytes)?;
    } else {
        out.write_all(&view.tobytes(Order::C))?;
    }
    out.flush()?;
    Ok(())
}

/// Bytes read from a `.npy` file's data part, 8-byte aligned (for typed access to 8-byte
/// items through [`NpyFile::as_slice`]).
pub struct AlignedBytes {
    words: Vec<u64>,
    len: usize,
}

impl AsRef<[u8]> for AlignedBytes {
    fn as_ref(&self) -> &[u8] {
        &self.words.as_bytes()[..self.len]
    }
}

/// An opened `.npy` file: its header, and its data in storage `S` (any bytes: a `Vec<u8>`, a
/// `&[u8]`, memmap2's `Mmap`; [`AlignedBytes`] when [read](NpyFile::read)).
///
/// ```
/// use buffer_runtime::npy::{self, NpyFile};
/// let mut bytes = Vec::new();
/// npy::write(&mut bytes, &[[1u32, 2, 3], [4, 5, 6]]).unwrap();
/// let npy = NpyFile::read(&bytes[..]).unwrap();
/// assert_eq!(npy.format(), "I");
/// assert_eq!(npy.as_slice::<u32>().unwrap(), &[1, 2, 3, 4, 5, 6]);
/// ```
pub struct NpyFile<S = AlignedBytes> {
    storage: S,
    header: Header,
    format: String,
    layout: ItemLayout,
    /// The data: `data_len` bytes at `data_offset` of the storage.
    data_offset: usize,
    data_len: usize,
}

impl<S> core::fmt::Debug for NpyFile<S> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("NpyFile")
            .field("header", &self.header)
            .field("format", &self.format)
            .field("data_len", &self.data_len)
            .finish_non_exhaustive()
    }
}

/// The item format, its layout and the data's length of `header`.
fn plan(header: &Header) -> Result<(String, ItemLayout, u64), NpyError> {
    let format = header.format()?;
    let layout = crate::format::parse(&format)
        .and_then(|f| f.layout())
        .map_err(|e| NpyError::Format(alloc::format!("the descr's format {format:?}: {e}")))?;
    let items = header
        .shape
        .iter()
        .try_fold(1u64, |p, &n| p.checked_mul(n as u64));
    let bytes = items
        .and_then(|n| n.checked_mul(layout.size() as u64))
        .filter(|&b| b <= isize::MAX as u64)
        .ok_or_else(|| header_err("the shape describes more bytes than memory can hold"))?;
    Ok((format, layout, bytes))
}

impl<S: AsRef<[u8]>> NpyFile<S> {
    /// A `.npy` file held in `storage` (the whole file): parses the header and checks that
    /// the data the header describes is there (extra bytes after it are ignored, as numpy
    /// ignores them).
    ///
    /// ```
    /// use buffer_runtime::npy::{self, NpyError, NpyFile};
    /// let mut bytes = Vec::new();
    /// npy::write(&mut bytes, &[1u64, 2]).unwrap();
    /// assert!(NpyFile::from_bytes(&bytes[..]).is_ok());
    /// let err = NpyFile::from_bytes(&bytes[..134]).unwrap_err();
    /// assert_eq!(err.to_string(), "truncated .npy file: the data needs 16 bytes but only 6 are there");
    /// ```
    pub fn from_bytes(storage: S) -> Result<Self, NpyError> {
        let bytes = storage.as_ref();
        let (header, data_offset) = Header::parse(bytes)?;
        let (format, layout, data_len) = plan(&header)?;
        let found = (bytes.len() - data_offset) as u64;
        if found < data_len {
            return Err(NpyError::Truncated {
                what: "the data",
                needed: data_len,
                found,
            });
        }
        Ok(NpyFile {
            storage,
            header,
            format,
            layout,
            data_offset,
            data_len: data_len as usize,
        })
    }

    /// The header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The array's shape.
    pub fn shape(&self) -> &[usize] {
        &self.header.shape
    }

    /// Whether the data is in Fortran order.
    pub fn fortran_order(&self) -> bool {
        self.header.fortran_order
    }

    /// The items' PEP 3118 format, derived from the descr (see [`Descr::to_format`]).
    pub fn format(&self) -> &str {
        &self.format
    }

    /// The size of one item in bytes.
    pub fn itemsize(&self) -> usize {
        self.layout.size()
    }

    /// The data bytes (after the header), exactly as long as the header says.
    pub fn data(&self) -> &[u8] {
        &self.storage.as_ref()[self.data_offset..self.data_offset + self.data_len]
    }

    /// The storage back.
    pub fn into_inner(self) -> S {
        self.storage
    }

    /// The array as an untyped view: the header's shape, C or Fortran strides, the descr's
    /// format.
    ///
    /// ```
    /// use buffer_runtime::npy::{self, NpyFile};
    /// use buffer_runtime::format::Value;
    /// let mut bytes = Vec::new();
    /// npy::write(&mut bytes, &7.5f32).unwrap(); // a 0-d array
    /// let npy = NpyFile::from_bytes(&bytes[..]).unwrap();
    /// let view = npy.view().unwrap();
    /// assert_eq!(view.ndim(), 0);
    /// assert_eq!(view.tolist().unwrap(), Value::Float(7.5));
    /// ```
    pub fn view(&self) -> Result<MemoryView<'_>, NpyError> {
        let strides = self.strides()?;
        Ok(MemoryView::from_parts(
            self.data(),
            &self.format,
            &self.header.shape,
            Some(&strides),
            0,
        )?)
    }

    /// [`view`](Self::view) as a [`TypedView`] of `T`, checked once here: the descr must
    /// describe `T` with the same size, and the type, byte order, offset and name of every
    /// field (padding may be written as unnamed void fields or not at all: only data fields
    /// are compared).
    ///
    /// ```
    /// use buffer_runtime::npy::{self, NpyFile};
    /// let mut bytes = Vec::new();
    /// npy::write(&mut bytes, &[[1u16, 2], [3, 4]]).unwrap();
    /// let npy = NpyFile::from_bytes(&bytes[..]).unwrap();
    /// let rows = npy.typed_view::<[u16; 2]>().unwrap();
    /// assert_eq!(rows.iter().collect::<Vec<_>>(), [[1, 2], [3, 4]]);
    /// assert!(npy.typed_view::<i16>().is_err());
    /// ```
    pub fn typed_view<T: FieldType>(&self) -> Result<TypedView<T, &[u8]>, NpyError> {
        Ok(self.view()?.into_typed_with::<T>(MatchNames::Require)?)
    }

    /// The items as a slice of `T`, without a copy: the descr must describe `T`
    /// ([`typed_view`](Self::typed_view)), the data must be in C order (any array of at most one
    /// dimension of length above 1 is) and aligned for `T`.
    pub fn as_slice<T: Element + FromBytes>(&self) -> Result<&[T], NpyError> {
        let typed = self.typed_view::<T>()?;
        if !typed.as_untyped().c_contiguous() {
            return Err(NpyError::View(ViewError::buffer_error(
                "the .npy data is in Fortran order: view it with `typed_view` instead of as a slice",
            )));
        }
        <[T]>::ref_from_bytes(self.data()).map_err(|_| {
            NpyError::View(ViewError::buffer_error(alloc::format!(
                "the .npy data is not aligned to {} bytes for `{}`: read it with \
                 `typed_view(..)?.iter()` (which copies) instead",
                core::mem::align_of::<T>(),
                core::any::type_name::<T>()
            )))
        })
    }

    fn strides(&self) -> Result<Vec<isize>, NpyError> {
        let shape = &self.header.shape;
        let mut strides = alloc::vec![0isize; shape.len()];
        // `plan` bounded the whole extent by isize::MAX, so no product below overflows unless
        // a dimension is 0 (then the running product may exceed the extent): saturate there.
        let mut step = self.layout.size() as isize;
        let mut assign = |k: usize| {
            strides[k] = step;
            step = step.saturating_mul(shape[k] as isize);
        };
        if self.header.fortran_order {
            (0..shape.len()).for_each(&mut assign);
        } else {
            (0..shape.len()).rev().for_each(&mut assign);
        }
        Ok(strides)
    }
}

impl NpyFile<AlignedBytes> {
    /// Reads a `.npy` file from `input`: the header, then exactly the data it describes, into
    /// memory aligned to 8 bytes.
    ///
    /// ```
    /// use buffer_runtime::npy::{self, NpyFile};
    /// let mut bytes = Vec::new();
    /// npy::write(&mut bytes, &[0.5f64; 3]).unwrap();
    /// let npy = NpyFile::read(std::io::Cursor::new(bytes)).unwrap();
    /// assert_eq!(npy.as_slice::<f64>().unwrap(), &[0.5; 3]);
    /// ```
    pub fn read<R: Read>(mut input: R) -> Result<Self, NpyError> {
        let mut prefix = [0u8; 12];
        let filled = read_up_to(&mut input, &mut prefix[..8])?;
        // A short prefix gets the magic or truncation error of what there is.
        let (major, prefix_len) = Header::parse_prefix(&prefix[..filled])?;
        let got = read_up_to(&mut input, &mut prefix[8..prefix_len])?;
        if got < prefix_len - 8 {
            return Err(NpyError::Truncated {
                what: "the header length",
                needed: prefix_len as u64,
                found: 8 + got as u64,
            });
        }
        let header_len = if major == 1 {
            u64::from(u16::from_le_bytes([prefix[8], prefix[9]]))
        } else {
            u64::from(u32::from_le_bytes([
                prefix[8], prefix[9], prefix[10], prefix[11],
            ]))
        };
        // Read through `take`, so a header length that lies costs no large allocation.
        let mut text = Vec::new();
        let got = input.by_ref().take(header_len).read_to_end(&mut text)? as u64;
        if got < header_len {
            return Err(NpyError::Truncated {
                what: "the header",
                needed: prefix_len as u64 + header_len,
                found: prefix_len as u64 + got,
            });
        }
        let header = Header::parse_text(major, &text)?;
        let (format, layout, data_len) = plan(&header)?;
        let data_len = data_len as usize;
        let mut words: Vec<u64> = Vec::new();
        words
            .try_reserve_exact(data_len.div_ceil(8))
            .map_err(|_| header_err("the shape describes more bytes than can be allocated"))?;
        words.resize(data_len.div_ceil(8), 0);
        let buf = &mut words.as_mut_bytes()[..data_len];
        let filled = read_up_to(&mut input, buf)?;
        if filled < data_len {
            return Err(NpyError::Truncated {
                what: "the data",
                needed: data_len as u64,
                found: filled as u64,
            });
        }
        Ok(NpyFile {
            storage: AlignedBytes {
                words,
                len: data_len,
            },
            header,
            format,
            layout,
            data_offset: 0,
            data_len,
        })
    }

    /// [`read`](Self::read) from the file at `path`.
    pub fn open(path: impl AsRef<std::path::Path>) -> Result<Self, NpyError> {
        Self::read(std::io::BufReader::new(std::fs::File::open(path)?))
    }
}

/// Reads into `buf` until it is full or the input ends; returns the bytes read.
fn read_up_to<R: Read>(input: &mut R, buf: &mut [u8]) -> Result<usize, NpyError> {
    let mut filled = 0;
    while filled < buf.len() {
        match input.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(filled)
}
