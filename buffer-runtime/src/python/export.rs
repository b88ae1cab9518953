//! The exporting half's core: everything a `Py_buffer` needs, computed once per stored
//! exporter ([`Export`]), and the per-request code that checks the request flags and fills the
//! `Py_buffer` ([`fill_view`]). [`ExportCell`](super::ExportCell) and
//! [`OwnedBuffer`](super::OwnedBuffer) are built on it.
//!
//! # Cost of one export
//!
//! An [`Export`] is computed when the exporter is stored (and again after each mutation), so a
//! request only checks its flags against it and copies pointers into the `Py_buffer`: no
//! allocation, no lock, no table, whatever the layout and however many other objects are
//! exported.

use core::ffi::{c_int, c_void, CStr};
use core::mem::size_of;
use core::ptr;
use std::boxed::Box;
use std::format;
use std::string::{String, ToString};
use std::sync::OnceLock;
use std::vec::Vec;

use pyo3::exceptions::PyBufferError;
use pyo3::ffi;
use pyo3::prelude::*;

use crate::export::Dims;
use crate::view::ItemFormat;
use crate::{BufferExport, BufferExportMut, BufferLayout, Element};

use crate::geometry::{self, GeometryError, Outside, MAX_NDIM};

/// An item format: an item type's compile-time string, or one an unpickled buffer arrived with.
pub(crate) enum Format {
    Static(&'static CStr),
    Owned(Box<CStr>),
}

impl Format {
    fn as_cstr(&self) -> &CStr {
        match self {
            Format::Static(s) => s,
            Format::Owned(s) => s,
        }
    }
}

/// Everything a `Py_buffer` of one stored exporter needs, checked once.
///
/// The pointers point into the exporter's bytes (`buf`), into `'static` data (a compile-time
/// layout's shape and strides, the format) or into `dims`. The owner of an `Export` keeps the
/// exporter's bytes where they are, unmoved and unfreed, for as long as any `Py_buffer` filled
/// from it is unreleased.
pub(crate) struct Export {
    /// The start of the exporter's bytes.
    pub(crate) base: *mut u8,
    /// The length of the exporter's bytes.
    pub(crate) span: usize,
    /// The byte offset of the first item (index `[0, 0, ...]`) in the bytes.
    pub(crate) offset: usize,
    len: isize,
    itemsize: isize,
    readonly: bool,
    format: Format,
    /// The alignment the items want (`align_of` of the item type, or what a pickle said):
    /// an unpickled buffer at an address that is not a multiple of it is copied, not viewed.
    pub(crate) align: usize,
    ndim: usize,
    /// `ndim` values, in `'static` memory or in `dims`.
    shape: *const isize,
    /// `ndim` values, in `'static` memory or in `dims`.
    strides: *const isize,
    c_contiguous: bool,
    f_contiguous: bool,
    /// The parsed item format, for Rust's own views of the bytes: parsed at the first view,
    /// so that exporting (and handing values to Python) never parses a format.
    item: OnceLock<ItemFormat>,
    /// Parses the item format (`ItemFormat::of_element` of the item type).
    parse_item: fn() -> crate::view::Result<ItemFormat>,
    /// Storage for a shape and strides computed at run time: `[shape.., strides..]`.
    _dims: Option<Box<[isize]>>,
}

// An `Export` is plain data: its raw pointers are only read (to fill a `Py_buffer`,
// or to build a view whose own safety rests on the owner's guarantee that the bytes stay put),
// never dereferenced by the `Export` itself, and `_dims` is an owned `Box`. Sharing or sending
// it between threads therefore cannot race on anything it owns.
// SAFETY: plain data, its pointers never dereferenced by itself (above).
unsafe impl Send for Export {}
// SAFETY: as for `Send`: `&Export` only gives read access to immutable fields.
unsafe impl Sync for Export {}

impl Export {
    /// The shape, as the `usize`s the layout gave (every value was checked to fit an `isize`).
    pub(crate) fn shape(&self) -> &[usize] {
        if self.ndim == 0 {
            return &[];
        }
        // SAFETY: `shape` points at `ndim` initialised values that live as long as `self`
        // (`'static` or in `_dims`), each checked by `describe` to be a non-negative `isize`,
        // and `usize` has the size and alignment of `isize`.
        unsafe { core::slice::from_raw_parts(self.shape.cast::<usize>(), self.ndim) }
    }

    /// The strides in bytes.
    pub(crate) fn byte_strides(&self) -> &[isize] {
        if self.ndim == 0 {
            return &[];
        }
        // SAFETY: `strides` points at `ndim` initialised values that live as long as `self`.
        unsafe { core::slice::from_raw_parts(self.strides, self.ndim) }
    }

    /// The item format.
    pub(crate) fn format(&self) -> &str {
        // Formats come from `Element::FORMAT_CSTR`, which is the UTF-8 `Element::FORMAT`, or
        // from a Rust `&str` (`describe_dynamic`).
        self.format.as_cstr().to_str().unwrap_or("B")
    }

    /// The parsed item format (shared by every view: parsed once).
    pub(crate) fn item(&self) -> crate::view::Result<ItemFormat> {
        if let Some(item) = self.item.get() {
            return Ok(item.clone());
        }
        let item = (self.parse_item)()?;
        Ok(self.item.get_or_init(|| item).clone())
    }

    /// Whether the items are C-contiguous.
    pub(crate) fn c_contiguous(&self) -> bool {
        self.c_contiguous
    }

    /// Whether Python may write the items.
    pub(crate) fn readonly(&self) -> bool {
        self.readonly
    }
}

/// Checks `exporter`'s layout against its bytes and computes its [`Export`]: read-only.
/// Python never writes through the pointer (`readonly` is 1 and writable requests are refused),
/// so it may come from a shared borrow.
pub(crate) fn describe_readonly<T: BufferExport + ?Sized>(exporter: &T) -> Result<Export, String> {
    let layout = exporter.try_buffer_layout().map_err(|e| e.to_string())?;
    let bytes = exporter.buffer_bytes();
    describe::<T::Item>(layout, bytes.as_ptr().cast_mut(), bytes.len(), true)
}

/// As [`describe_readonly`], writable: the pointer comes from `&mut [u8]`, so writes through it
/// are allowed for as long as the owner keeps every Rust reference to the bytes away.
pub(crate) fn describe_writable<T>(exporter: &mut T) -> Result<Export, String>
where
    T: BufferExportMut + ?Sized,
    T::Item: zerocopy::FromBytes,
{
    let layout = exporter.try_buffer_layout().map_err(|e| e.to_string())?;
    let bytes = exporter.buffer_bytes_mut();
    describe::<T::Item>(layout, bytes.as_mut_ptr(), bytes.len(), false)
}

/// Checks `layout` against `span` bytes at `base` and the item type, and computes everything a
/// `Py_buffer` needs.
pub(crate) fn describe<I: Element>(
    layout: BufferLayout,
    base: *mut u8,
    span: usize,
    readonly: bool,
) -> Result<Export, String> {
    let mut export = describe_items(layout, base, span, readonly, size_of::<I>())?;
    export.format = Format::Static(I::FORMAT_CSTR);
    export.align = core::mem::align_of::<I>();
    export.parse_item = ItemFormat::of_element::<I>;
    Ok(export)
}

/// As [`describe`], for items known only by their parsed format (an unpickled
/// [`OwnedBuffer`](super::OwnedBuffer)), wanting alignment `align`.
pub(crate) fn describe_dynamic(
    item: ItemFormat,
    align: usize,
    layout: BufferLayout,
    base: *mut u8,
    span: usize,
    readonly: bool,
) -> Result<Export, String> {
    let text = std::ffi::CString::new(item.text())
        .map_err(|_| String::from("invalid format: a NUL character"))?;
    let mut export = describe_items(layout, base, span, readonly, item.itemsize())?;
    export.format = Format::Owned(text.into_boxed_c_str());
    export.align = align;
    // Set here, so `parse_item` (which knows no item type) is never called.
    let _ = export.item.set(item);
    Ok(export)
}

/// The format `B`: the item parser of an [`Export`] until its maker sets its own.
fn bytes_item() -> crate::view::Result<ItemFormat> {
    ItemFormat::parse("B")
}

/// The checks and fields of [`describe`] for items of `itemsize` bytes (format `B` until the
/// caller sets it).
fn describe_items(
    layout: BufferLayout,
    base: *mut u8,
    span: usize,
    readonly: bool,
    itemsize: usize,
) -> Result<Export, String> {
    let ndim = layout.shape.len();
    if itemsize == 0 || itemsize > isize::MAX as usize {
        return Err(format!("cannot export items of {itemsize} bytes"));
    }
    // Py_ssize_t holds the shape: no dimension may exceed isize::MAX, even beside a 0.
    let dimension_too_large = || {
        layout
            .shape
            .iter()
            .any(|&n| n > isize::MAX as usize)
            .then(|| String::from("invalid layout: a dimension exceeds isize::MAX"))
    };
    // The one geometry check: sizes fit an isize (Py_ssize_t), every item inside the bytes.
    let measured =
        geometry::measure(&layout.shape, &layout.strides, itemsize).map_err(|e| match e {
            GeometryError::StridesCount => format!(
                "invalid layout: {ndim} dimensions in the shape but {} strides",
                layout.strides.len()
            ),
            GeometryError::TooManyDimensions => {
                format!("number of dimensions must not exceed {MAX_NDIM}")
            }
            GeometryError::TooManyBytes | GeometryError::TooManyItems => dimension_too_large()
                .unwrap_or_else(|| {
                    String::from("invalid layout: the buffer is larger than isize::MAX bytes")
                }),
            GeometryError::ExtentOverflow => {
                String::from("invalid layout: the items' extent overflows")
            }
        })?;
    if let Some(e) = dimension_too_large() {
        return Err(e);
    }
    // `nbytes` is at most isize::MAX.
    let len = measured.nbytes as isize;
    measured.inside(layout.offset, span).map_err(|e| match e {
        Outside::Items { lo, end } if layout.offset <= span => {
            format!("invalid layout: items reach bytes {lo}..{end} of a buffer of {span} bytes")
        }
        Outside::Items { .. } | Outside::OffsetPastEnd => format!(
            "invalid layout: offset {} beyond {span} bytes",
            layout.offset
        ),
    })?;
    let (c_contiguous, f_contiguous) =
        geometry::contiguity(&layout.shape, &layout.strides, itemsize);
    let (shape, strides, dims) = match (&layout.shape, &layout.strides) {
        (Dims::Static(shape), Dims::Static(strides)) => {
            // `usize` and `isize` have the same size and alignment, and every value was checked
            // above to be at most isize::MAX, so the shape reads back unchanged as Py_ssize_t.
            (shape.as_ptr().cast::<isize>(), strides.as_ptr(), None)
        }
        (shape, strides) => {
            let mut block: Vec<isize> = Vec::with_capacity(2 * ndim);
            block.extend(shape.iter().map(|&n| n as isize));
            block.extend_from_slice(strides);
            let block = block.into_boxed_slice();
            let p = block.as_ptr();
            // `p + ndim` is within (or one past the end of) the 2 * ndim allocation.
            (p, p.wrapping_add(ndim), Some(block))
        }
    };
    Ok(Export {
        base,
        span,
        offset: layout.offset,
        len,
        itemsize: itemsize as isize,
        readonly,
        format: Format::Static(c"B"),
        align: 1,
        ndim,
        shape,
        strides,
        c_contiguous,
        f_contiguous,
        item: OnceLock::new(),
        parse_item: bytes_item,
        _dims: dims,
    })
}

/// `PyBUF_*` request flags, named after CPython's `REQ_*` macros.
struct Request(c_int);

impl Request {
    fn has(&self, bits: c_int) -> bool {
        self.0 & bits == bits
    }
    fn writable(&self) -> bool {
        self.has(ffi::PyBUF_WRITABLE)
    }
    fn format(&self) -> bool {
        self.has(ffi::PyBUF_FORMAT)
    }
    fn shape(&self) -> bool {
        self.has(ffi::PyBUF_ND)
    }
    fn strides(&self) -> bool {
        self.has(ffi::PyBUF_STRIDES)
    }
    fn c_contiguous(&self) -> bool {
        self.has(ffi::PyBUF_C_CONTIGUOUS)
    }
    fn f_contiguous(&self) -> bool {
        self.has(ffi::PyBUF_F_CONTIGUOUS)
    }
    fn any_contiguous(&self) -> bool {
        self.has(ffi::PyBUF_ANY_CONTIGUOUS)
    }
}

/// A `BufferError` whose message starts with the Python type name of `obj`, as CPython's
/// `memoryview: ...` messages start with the exporter's name.
pub(crate) fn buffer_error(obj: &Bound<'_, PyAny>, what: &str) -> PyErr {
    let name = obj
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| String::from("object"));
    PyBufferError::new_err(format!("{name}: {what}"))
}

/// Answers one `bf_getbuffer` request from `export` (of an exporter that is `readonly` or not,
/// also when it cannot describe its items): checks the flags in CPython's order and
/// with its messages, then fills `view`, storing `internal` in `view.internal`. On error
/// `view.obj` is set to NULL (as the C API asks) and nothing else is written; the caller still
/// owns whatever `internal` stands for.
///
/// # Safety
/// `view` is NULL or valid for writes of a `Py_buffer`; `obj` is the exporting object; the
/// bytes, shape, strides and format `export` points at stay valid and unmoved until the
/// consumer releases `view` (the caller's guarantee: for instance a reference counted owner
/// passed in `internal`, or `obj` itself owning the bytes).
pub(crate) unsafe fn fill_view(
    obj: &Bound<'_, PyAny>,
    readonly: bool,
    export: Result<&Export, &str>,
    view: *mut ffi::Py_buffer,
    flags: c_int,
    internal: *mut c_void,
) -> PyResult<()> {
    if view.is_null() {
        return Err(PyBufferError::new_err(
            "getbuffer: view==NULL argument is obsolete",
        ));
    }
    // SAFETY: `view` is non-NULL and valid for writes (caller).
    let result = unsafe { fill_checked(obj, readonly, export, view, flags, internal) };
    if result.is_err() {
        // SAFETY: as above; the C API asks exporters to set `obj` to NULL on failure.
        unsafe { (*view).obj = ptr::null_mut() };
    }
    result
}

/// The body of [`fill_view`], once `view` is known to be non-NULL.
///
/// # Safety
/// As [`fill_view`], with `view` non-NULL.
unsafe fn fill_checked(
    obj: &Bound<'_, PyAny>,
    readonly: bool,
    export: Result<&Export, &str>,
    view: *mut ffi::Py_buffer,
    flags: c_int,
    internal: *mut c_void,
) -> PyResult<()> {
    let request = Request(flags);
    // A writable request to a read-only exporter fails first, whatever its layout.
    if request.writable() && readonly {
        return Err(buffer_error(obj, "underlying buffer is not writable"));
    }
    let info = export.map_err(|why| buffer_error(obj, why))?;
    // The order of the checks, and their messages, follow CPython's memoryview.
    if request.writable() && info.readonly {
        return Err(buffer_error(obj, "underlying buffer is not writable"));
    }
    if request.c_contiguous() && !info.c_contiguous {
        return Err(buffer_error(obj, "underlying buffer is not C-contiguous"));
    }
    if request.f_contiguous() && !info.f_contiguous {
        return Err(buffer_error(
            obj,
            "underlying buffer is not Fortran contiguous",
        ));
    }
    if request.any_contiguous() && !info.c_contiguous && !info.f_contiguous {
        return Err(buffer_error(obj, "underlying buffer is not contiguous"));
    }
    if !request.strides() && !info.c_contiguous {
        return Err(buffer_error(obj, "underlying buffer is not C-contiguous"));
    }
    if !request.shape() && request.format() {
        return Err(buffer_error(
            obj,
            "cannot cast to unsigned bytes if the format flag is present",
        ));
    }
    let (ndim, shape, strides) = if !request.shape() {
        // PyBUF_SIMPLE / PyBUF_WRITABLE: one dimension of unsigned bytes, no shape.
        (1, ptr::null(), ptr::null())
    } else if info.ndim == 0 {
        // A scalar: the C API requires NULL shape and strides.
        (0, ptr::null(), ptr::null())
    } else if request.strides() {
        (info.ndim, info.shape, info.strides)
    } else {
        (info.ndim, info.shape, ptr::null())
    };
    let format = if request.format() {
        info.format.as_cstr().as_ptr()
    } else {
        ptr::null()
    };
    // `offset <= span` (checked by `describe`), so this stays inside or one past the bytes.
    let buf = info.base.wrapping_add(info.offset);
    let raw = obj.clone().into_ptr();
    // `view` is valid for writes (caller). `raw` is a new strong reference, which
    // `Py_buffer.obj` owns and `PyBuffer_Release` gives back. `buf` and `len` were checked by
    // `describe` to cover only items inside the exporter's bytes, which the caller keeps valid
    // and unmoved until this view's release; `shape`, `strides` and `format` are `'static` or
    // owned by the `Export`, which lives as long (the caller's guarantee). CPython never
    // writes through `format`, `shape` or `strides` (they are read-only for consumers), so
    // pointing them at immutable memory is sound. Each field is written once, in place,
    // through the raw pointer: no reference to the `Py_buffer` is formed.
    // SAFETY: `view` is writable (caller) and every pointer stays valid until release (above).
    unsafe {
        (*view).buf = buf.cast::<c_void>();
        (*view).obj = raw;
        (*view).len = info.len;
        (*view).itemsize = info.itemsize;
        (*view).readonly = c_int::from(info.readonly);
        (*view).ndim = ndim as c_int;
        (*view).format = format.cast_mut();
        (*view).shape = shape.cast_mut();
        (*view).strides = strides.cast_mut();
        (*view).suboffsets = ptr::null_mut();
        (*view).internal = internal;
    }
    Ok(())
}
