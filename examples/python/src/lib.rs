//! `buffer_example`: a CPython extension module built with maturin on `buffer-runtime`.
//!
//! * `Image(width, height)`: an RGBA image whose pixels Python sees as a writable
//!   `(height, width, 4)` array of bytes (numpy, Pillow's `Image.frombuffer`, `memoryview`).
//! * `Table(n)`: `n` records of a derived `#[repr(C)]` struct with integer, float and array
//!   fields, exported read-only as a structured buffer (`T{<Q:id:<d:price:...}`).
//! * `layout(obj)`: the layout of any Python buffer, seen from Rust.
//! * `values(obj)`, `tolist(obj)`, `peek`, `poke`: read and write any Python buffer from Rust.
//! * `Strided(data, shape, strides, offset)` / `ReadOnlyStrided(...)`: `i32`s in any layout
//!   (negative, zero or odd strides, 0-d, empty or 64 dimensions), writable / read-only;
//!   `Scalar(x)`: one `f64` as a 0-d buffer.
//! * `tobytes(obj, order)`, `fill(obj, item)`: copy out of / write into any buffer from Rust.
//! * `total_price(obj)`, `scale_prices(obj, f)`: typed views of `Record`s over any buffer whose
//!   format matches (`Buffer dtype mismatch, ...` otherwise).
//!
//! * `records(n)`, `floats(n, readonly=False)`: a `Vec<Record>` / `Vec<f64>` moved to Python
//!   without a copy (an `OwnedBuffer`), with the vector's address.
//! * `shared_records(name, n, create)`: `Record`s in a `multiprocessing.shared_memory` block,
//!   created or opened by name; `write_records(obj, start, stop)` fills rows from Rust.
//! * `Table` and `Image` pickle (protocol 5 out of band), and so do `OwnedBuffer`s.
//! * `points(n)`: a `Vec<Point>` moved to Python, records without padding that a C struct
//!   (Cython's `cdef packed struct`) describes field for field.
//! * `halves(xs)`, `half_bits(obj)`, `half_samples(pairs)`: `half::f16` items (format `e`) and a
//!   struct with `f16` fields, to Python and back; `complexes(pairs, double)`,
//!   `complex_parts(obj)`: `num_complex::Complex` items (`Zf`/`Zd`) both ways.
//!
//! Objects stay usable while Python holds buffers of them (CPython's semantics): only what
//! would move or free the exported memory (`Image.resize`, `Table.append`) raises
//! `BufferError: Existing exports of data: object cannot be re-sized` until they are released.
//!
//! The whole crate is safe code: `python_buffer!` writes the buffer slots.
#![forbid(unsafe_code)]

use std::mem::{offset_of, size_of};

use buffer_runtime::python::{value_to_object, ExportCell, OwnedBuffer, PythonBuffer};
use buffer_runtime::view::{MemoryView, Order, SharedView, SharedViewMut, Slice};
use buffer_runtime::{python_buffer, BufferExport, BufferExportMut, BufferLayout, Dims, Element};
use pyo3::exceptions::{PyIndexError, PyMemoryError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

/// An RGBA image with a shape known only at run time: an exporter written by hand.
pub struct RgbaImage {
    width: usize,
    height: usize,
    pixels: Vec<[u8; 4]>,
}

impl RgbaImage {
    fn new(width: usize, height: usize) -> PyResult<Self> {
        let n = width
            .checked_mul(height)
            .filter(|&n| n <= isize::MAX as usize / 4)
            .ok_or_else(|| PyValueError::new_err("image too large"))?;
        Ok(RgbaImage {
            width,
            height,
            pixels: vec![[0; 4]; n],
        })
    }
}

/// Bytes in `(height, width, 4)` C order: what numpy and Pillow expect of an RGBA image.
impl BufferExport for RgbaImage {
    type Item = u8;
    fn buffer_layout(&self) -> BufferLayout {
        let row = (self.width * 4) as isize;
        BufferLayout {
            shape: Dims::Owned([self.height, self.width, 4].into_iter().collect()),
            strides: Dims::Owned([row, 4, 1].into_iter().collect()),
            offset: 0,
        }
    }
    fn buffer_bytes(&self) -> &[u8] {
        self.pixels.as_bytes()
    }
}

impl BufferExportMut for RgbaImage {
    fn buffer_bytes_mut(&mut self) -> &mut [u8] {
        self.pixels.as_mut_bytes()
    }
}

/// An RGBA image: a writable buffer of `(height, width, 4)` bytes. The object stays usable
/// while Python holds views of it (`img.width`, `get_pixel`, `set_pixel`, `fill`); only
/// `resize`, which reallocates the pixels, waits until every view is released.
#[pyclass(name = "Image", module = "buffer_example")]
pub struct PyImage {
    width: usize,
    height: usize,
    image: ExportCell<RgbaImage>,
}

python_buffer! {
    #[pymethods]
    impl PyImage {
        #[new]
        fn new(width: usize, height: usize) -> PyResult<Self> {
            let image = ExportCell::new(RgbaImage::new(width, height)?);
            Ok(PyImage { width, height, image })
        }

        #[getter]
        fn width(&self) -> usize {
            self.width
        }

        #[getter]
        fn height(&self) -> usize {
            self.height
        }

        /// The number of live buffers (numpy arrays, memoryviews, ...) of the pixels.
        #[getter]
        fn exports(&self) -> usize {
            self.image.exports()
        }

        fn __len__(&self) -> usize {
            self.height
        }

        fn __repr__(&self) -> String {
            format!("<Image {}x{}, {} exports>", self.width, self.height, self.image.exports())
        }

        /// Writes one pixel from Rust, in place: works while Python holds views.
        fn set_pixel(&mut self, x: usize, y: usize, rgba: [u8; 4]) -> PyResult<()> {
            let (x, y) = self.check(x, y)?;
            let mut view = self.image.view_mut()?;
            let mut samples = view.typed_mut::<u8>()?; // checked once for the four writes
            for (c, v) in (0..).zip(rgba) {
                samples.set(&[y, x, c], v)?;
            }
            Ok(())
        }

        /// One pixel as a tuple `(r, g, b, a)`, read by Rust.
        fn get_pixel(&self, x: usize, y: usize) -> PyResult<(u8, u8, u8, u8)> {
            let (x, y) = self.check(x, y)?;
            let view = self.image.view()?;
            let samples = view.typed::<u8>()?;
            let c = |c: isize| samples.get(&[y, x, c]);
            Ok((c(0)?, c(1)?, c(2)?, c(3)?))
        }

        /// Fills every pixel, in place.
        fn fill(&mut self, rgba: [u8; 4]) -> PyResult<()> {
            let pixels = self.width * self.height;
            let mut view = self.image.view_mut()?;
            // The pixels are contiguous: one 4-byte item each.
            let mut px = view.cast_mut("I", Some(&[pixels]))?;
            Ok(px.fill_bytes(&rgba)?)
        }

        /// Reallocates the pixels: `BufferError` while Python holds a view of them.
        fn resize(&mut self, width: usize, height: usize) -> PyResult<()> {
            let image = RgbaImage::new(width, height)?;
            *self.image.try_mut()? = image;
            (self.width, self.height) = (width, height);
            Ok(())
        }
    }
    export |this| &this.image;
    // Pickles (protocol 5: the pixels out of band); unpickling views the bytes it is given.
    pickle PyImage::unpickled;
}

impl PyImage {
    /// An image over unpickled pixels, which must be `(height, width, 4)` bytes.
    fn unpickled(image: ExportCell<RgbaImage>) -> PyResult<Self> {
        match *image.shape() {
            [height, width, 4] => Ok(PyImage {
                width,
                height,
                image,
            }),
            ref shape => Err(PyValueError::new_err(format!(
                "Image: pickled pixels of shape {shape:?}, expected (height, width, 4)"
            ))),
        }
    }

    /// `(x, y)` as view indices, if inside the image.
    fn check(&self, x: usize, y: usize) -> PyResult<(isize, isize)> {
        if x >= self.width || y >= self.height {
            return Err(PyIndexError::new_err(format!(
                "pixel ({x}, {y}) outside a {}x{} image",
                self.width, self.height
            )));
        }
        // Both are below a dimension of the image, whose bytes fit in an isize.
        Ok((x as isize, y as isize))
    }
}

/// One row of a `Table`: integer, float and array fields, explicit padding, no gap.
#[derive(
    buffer_runtime::BufferExport,
    IntoBytes,
    FromBytes,
    Immutable,
    KnownLayout,
    Clone,
    Copy,
    Default,
    Debug,
    PartialEq,
)]
#[repr(C)]
pub struct Record {
    pub id: u64,
    pub price: f64,
    pub qty: i32,
    pub ratio: f32,
    pub pos: [f32; 3],
    pub kind: u8,
    pub level: i8,
    #[buffer(padding)]
    pub _pad: [u8; 2],
    pub matrix: [[i16; 2]; 2],
}

/// Field names and offsets as Rust's compiler lays them out (what numpy's dtype must match).
const RECORD_FIELDS: [(&str, usize); 8] = [
    ("id", offset_of!(Record, id)),
    ("price", offset_of!(Record, price)),
    ("qty", offset_of!(Record, qty)),
    ("ratio", offset_of!(Record, ratio)),
    ("pos", offset_of!(Record, pos)),
    ("kind", offset_of!(Record, kind)),
    ("level", offset_of!(Record, level)),
    ("matrix", offset_of!(Record, matrix)),
];

/// Row `i` of a `Table`: values derived from `i`.
/// (Integers wrap for rows beyond their range: `Table(100_000)` is valid.)
fn record(i: usize) -> Record {
    let f = i as f32;
    Record {
        id: 1000 + i as u64,
        price: 1.25 * i as f64,
        qty: (i as i32).wrapping_neg(),
        ratio: f / 4.0,
        pos: [f, f + 0.5, -f],
        kind: (i % 256) as u8,
        level: -((i % 128) as i8),
        _pad: [0; 2],
        matrix: [[i as i16, 1], [2, (i as i16).wrapping_neg()]],
    }
}

/// A table of `Record`s, exported read-only as a 1-d buffer of structs.
#[pyclass(name = "Table", module = "buffer_example")]
pub struct PyTable {
    rows: ExportCell<Vec<Record>>,
}

type RecordTuple = (u64, f64, i32, f32, [f32; 3], u8, i8, [[i16; 2]; 2]);

python_buffer! {
    #[pymethods]
    impl PyTable {
        /// `n` records, row `i` filled with values derived from `i`.
        #[new]
        fn new(n: usize) -> Self {
            let rows = (0..n).map(record).collect();
            PyTable { rows: ExportCell::new_readonly(rows) }
        }

        fn __len__(&self) -> usize {
            self.rows.shape().first().copied().unwrap_or(0)
        }

        /// Row `i` as a tuple, read by Rust.
        fn get(&self, i: usize) -> PyResult<RecordTuple> {
            let r = self.row(i)?;
            Ok((r.id, r.price, r.qty, r.ratio, r.pos, r.kind, r.level, r.matrix))
        }

        /// Row `i`'s bytes, as Rust holds them.
        fn row_bytes<'py>(&self, py: Python<'py>, i: usize) -> PyResult<Bound<'py, PyBytes>> {
            Ok(PyBytes::new(py, self.row(i)?.as_bytes()))
        }

        /// Whether the rows are the bytes this table was unpickled from, viewed in place.
        #[getter]
        fn unpickled_view(&self) -> bool {
            self.rows.unpickled() && !self.rows.unpickled_copy()
        }

        /// Appends a row (resizes the vector: `BufferError` while Python holds a buffer).
        fn append(&mut self, id: u64, price: f64) -> PyResult<()> {
            self.rows.try_mut()?.push(Record { id, price, ..Record::default() });
            Ok(())
        }

        /// The record's format, item size and field offsets, from Rust.
        #[staticmethod]
        fn record_layout(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
            let d = PyDict::new(py);
            d.set_item("format", <Record as Element>::FORMAT)?;
            d.set_item("itemsize", size_of::<Record>())?;
            d.set_item("names", RECORD_FIELDS.map(|(n, _)| n))?;
            d.set_item("offsets", RECORD_FIELDS.map(|(_, o)| o))?;
            Ok(d)
        }
    }
    export |this| &this.rows;
    // Pickles (protocol 5: the rows out of band); unpickling views the bytes it is given.
    pickle PyTable::unpickled;
}

impl PyTable {
    /// A table over unpickled rows, which must be one dimension of records.
    fn unpickled(rows: ExportCell<Vec<Record>>) -> PyResult<Self> {
        if rows.shape().len() != 1 {
            return Err(PyValueError::new_err(format!(
                "Table: pickled rows of shape {:?}, expected one dimension",
                rows.shape()
            )));
        }
        Ok(PyTable { rows })
    }

    /// Row `i`, copied out of the rows (which an unpickled table views in place: Rust reads
    /// them through a view, as it would Python's memory).
    fn row(&self, i: usize) -> PyResult<Record> {
        let i = isize::try_from(i)
            .ok()
            .filter(|&i| (i as usize) < self.__len__())
            .ok_or_else(|| PyIndexError::new_err("row index out of range"))?;
        Ok(self.rows.view()?.get_as::<Record>(&[i])?)
    }
}

/// A matrix stored column by column (Fortran order): a buffer that is not C-contiguous.
pub struct ColumnMajor {
    rows: usize,
    cols: usize,
    data: Vec<f64>,
}

impl BufferExport for ColumnMajor {
    type Item = f64;
    fn buffer_layout(&self) -> BufferLayout {
        BufferLayout {
            shape: Dims::Owned([self.rows, self.cols].into_iter().collect()),
            strides: Dims::Owned([8, 8 * self.rows as isize].into_iter().collect()),
            offset: 0,
        }
    }
    fn buffer_bytes(&self) -> &[u8] {
        self.data.as_bytes()
    }
}

/// A `rows x cols` matrix of `f64` with element `(i, j) = 10 * i + j`, in Fortran order.
#[pyclass(name = "Matrix", module = "buffer_example")]
pub struct PyMatrix {
    matrix: ExportCell<ColumnMajor>,
}

python_buffer! {
    #[pymethods]
    impl PyMatrix {
        #[new]
        fn new(rows: usize, cols: usize) -> PyResult<Self> {
            let n = rows.checked_mul(cols).filter(|&n| n <= isize::MAX as usize / 8);
            n.ok_or_else(|| PyValueError::new_err("matrix too large"))?;
            let data = (0..cols).flat_map(|j| (0..rows).map(move |i| (10 * i + j) as f64)).collect();
            Ok(PyMatrix { matrix: ExportCell::new_readonly(ColumnMajor { rows, cols, data }) })
        }

        /// Element `(i, j)`, read by Rust.
        fn get(&self, i: usize, j: usize) -> PyResult<f64> {
            let m = self.matrix.get()?;
            if i >= m.rows || j >= m.cols {
                return Err(PyIndexError::new_err("matrix index out of range"));
            }
            Ok(m.data[j * m.rows + i])
        }

        /// Writes element `(i, j)`: the export is read-only, so Python's views may rely on
        /// the values not changing; `BufferError` while they live.
        fn set(&mut self, i: usize, j: usize, v: f64) -> PyResult<()> {
            let mut guard = self.matrix.try_mut()?;
            let m = &mut *guard;
            if i >= m.rows || j >= m.cols {
                return Err(PyIndexError::new_err("matrix index out of range"));
            }
            m.data[j * m.rows + i] = v;
            Ok(())
        }
    }
    export |this| &this.matrix;
}

/// `i32`s laid out as the caller says: any shape, strides (in bytes, negative or zero, not
/// necessarily multiples of 4) and first-item offset over the bytes of `data`. A layout that
/// reaches outside those bytes is refused at export time with `BufferError`.
pub struct StridedInts {
    data: Vec<i32>,
    shape: Vec<usize>,
    strides: Vec<isize>,
    offset: usize,
}

impl BufferExport for StridedInts {
    type Item = i32;
    fn buffer_layout(&self) -> BufferLayout {
        BufferLayout {
            shape: Dims::Owned(self.shape.iter().copied().collect()),
            strides: Dims::Owned(self.strides.iter().copied().collect()),
            offset: self.offset,
        }
    }
    fn buffer_bytes(&self) -> &[u8] {
        self.data.as_bytes()
    }
}

impl BufferExportMut for StridedInts {
    fn buffer_bytes_mut(&mut self) -> &mut [u8] {
        self.data.as_mut_bytes()
    }
}

/// A writable export with any layout: negative, zero and odd strides, 0-d, up to 64
/// dimensions, empty dimensions (and invalid layouts, which exports refuse).
#[pyclass(name = "Strided", module = "buffer_example")]
pub struct PyStrided {
    inner: ExportCell<StridedInts>,
}

python_buffer! {
    #[pymethods]
    impl PyStrided {
        #[new]
        fn new(data: Vec<i32>, shape: Vec<usize>, strides: Vec<isize>, offset: usize) -> Self {
            PyStrided { inner: ExportCell::new(StridedInts { data, shape, strides, offset }) }
        }

        /// The `i`-th `i32` of the data (not of the layout), read by Rust while exports live.
        fn get(&self, i: usize) -> PyResult<i32> {
            let ints = self.inner.bytes_view()?.into_cast("i", None)?;
            let i = isize::try_from(i).map_err(|_| PyIndexError::new_err("index out of range"))?;
            Ok(ints.get_as::<i32>(&[i])?)
        }

        /// Writes the `i`-th `i32` of the data (not of the layout: bytes outside it too), so it
        /// needs the value itself: `BufferError` while exported.
        fn set(&mut self, i: usize, v: i32) -> PyResult<()> {
            set_raw(&mut self.inner, i, v)
        }
    }
    export |this| &this.inner;
}

/// Writes the `i`-th `i32` of a `StridedInts`' data through exclusive access.
fn set_raw(cell: &mut ExportCell<StridedInts>, i: usize, v: i32) -> PyResult<()> {
    let mut inner = cell.try_mut()?;
    let slot = inner
        .data
        .get_mut(i)
        .ok_or_else(|| PyIndexError::new_err("index out of range"))?;
    *slot = v;
    Ok(())
}

/// [`PyStrided`], exported read-only.
#[pyclass(name = "ReadOnlyStrided", module = "buffer_example")]
pub struct PyReadOnlyStrided {
    inner: ExportCell<StridedInts>,
}

python_buffer! {
    #[pymethods]
    impl PyReadOnlyStrided {
        #[new]
        fn new(data: Vec<i32>, shape: Vec<usize>, strides: Vec<isize>, offset: usize) -> Self {
            PyReadOnlyStrided { inner: ExportCell::new_readonly(StridedInts { data, shape, strides, offset }) }
        }

        /// Writes the `i`-th `i32` of the data: `BufferError` while exported.
        fn set(&mut self, i: usize, v: i32) -> PyResult<()> {
            set_raw(&mut self.inner, i, v)
        }
    }
    export |this| &this.inner;
}

/// One `f64`, exported read-only as a 0-d buffer (a compile-time layout: no shape, no strides).
#[pyclass(name = "Scalar", module = "buffer_example")]
pub struct PyScalar {
    value: ExportCell<f64>,
}

python_buffer! {
    #[pymethods]
    impl PyScalar {
        #[new]
        fn new(value: f64) -> Self {
            PyScalar { value: ExportCell::new_readonly(value) }
        }

        #[getter]
        fn value(&self) -> PyResult<f64> {
            Ok(*self.value.get()?)
        }

        /// Changes the value: `BufferError` while exported (the export is read-only).
        fn set(&mut self, value: f64) -> PyResult<()> {
            *self.value.try_mut()? = value;
            Ok(())
        }
    }
    export |this| &this.value;
}

/// Moves a new `Vec<Record>` of `n` rows (as `Table(n)` fills them) to Python without a copy:
/// an `OwnedBuffer`, no class written for it. `address` is the vector's data pointer, for the
/// tests to compare with numpy's.
#[pyfunction]
fn records(py: Python<'_>, n: usize) -> PyResult<(Bound<'_, OwnedBuffer>, usize)> {
    let rows: Vec<Record> = (0..n).map(record).collect();
    let address = rows.as_ptr() as usize;
    Ok((OwnedBuffer::new(py, rows)?, address))
}

/// `n` `f64`s `0.0, 1.0, ...` moved to Python without a copy (what rust-numpy's
/// `PyArray1::from_vec` does for scalars), and the vector's data pointer; exported read-only
/// with `readonly=True`.
#[pyfunction]
#[pyo3(signature = (n, readonly = false))]
fn floats(py: Python<'_>, n: usize, readonly: bool) -> PyResult<(Bound<'_, OwnedBuffer>, usize)> {
    let v: Vec<f64> = (0..n).map(|i| i as f64).collect();
    let address = v.as_ptr() as usize;
    let obj = if readonly {
        OwnedBuffer::new_readonly(py, v)?
    } else {
        OwnedBuffer::new(py, v)?
    };
    Ok((obj, address))
}

/// A record with no padding anywhere (`T{<Q:id:<d:x:<d:y:<i:count:<f:weight:}`): a C struct
/// of the same fields, packed or not, has the same layout, so C consumers such as Cython's
/// struct memoryviews accept the format (they cannot name `Record`'s padding bytes).
#[derive(buffer_runtime::BufferExport, IntoBytes, FromBytes, Immutable, KnownLayout)]
#[repr(C)]
pub struct Point {
    pub id: u64,
    pub x: f64,
    pub y: f64,
    pub count: i32,
    pub weight: f32,
}

/// `n` writable `Point`s, point `i` = `(100 + i, i / 2, -i, 3 * i, i / 4)`, moved to Python.
#[pyfunction]
fn points(py: Python<'_>, n: usize) -> PyResult<Bound<'_, OwnedBuffer>> {
    let rows: Vec<Point> = (0..n)
        .map(|i| Point {
            id: 100 + i as u64,
            x: i as f64 / 2.0,
            y: -(i as f64),
            count: (i as i32).wrapping_mul(3),
            weight: i as f32 / 4.0,
        })
        .collect();
    OwnedBuffer::new(py, rows)
}

/// `n` `Record`s in the `multiprocessing.shared_memory` block `name`, created (zero-filled)
/// when `create`, opened otherwise (`n` is then ignored: the block's size decides): the
/// records as an `OwnedBuffer` viewing the block, and the `SharedMemory` object.
#[pyfunction]
#[pyo3(signature = (name, n = 0, create = false))]
fn shared_records<'py>(
    py: Python<'py>,
    name: &str,
    n: usize,
    create: bool,
) -> PyResult<(Bound<'py, OwnedBuffer>, Bound<'py, PyAny>)> {
    if create {
        OwnedBuffer::create_shared::<Record>(py, Some(name), n)
    } else {
        OwnedBuffer::open_shared::<Record>(py, name)
    }
}

/// Writes rows `start..stop` of any writable buffer of `Record`s with the values `Table`
/// derives from the row number, from Rust through a typed view.
#[pyfunction]
fn write_records(obj: &Bound<'_, PyAny>, start: usize, stop: usize) -> PyResult<()> {
    let mut buf = PythonBuffer::get_mut(obj)?;
    let mut view = buf.typed_view_mut::<Record>()?;
    for i in start..stop {
        let at = isize::try_from(i).map_err(|_| PyIndexError::new_err("row out of range"))?;
        view.set(&[at], record(i))?;
    }
    Ok(())
}

/// The layout of any Python buffer, as Rust sees it: a dict with memoryview's attribute names.
#[pyfunction]
fn layout<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyDict>> {
    let buf = PythonBuffer::get(obj)?;
    let d = PyDict::new(obj.py());
    d.set_item("format", buf.format())?;
    d.set_item("itemsize", buf.itemsize())?;
    d.set_item("ndim", buf.ndim())?;
    d.set_item("shape", buf.shape().to_vec())?;
    d.set_item("strides", buf.byte_strides().to_vec())?;
    d.set_item("readonly", buf.readonly())?;
    d.set_item("nbytes", buf.nbytes())?;
    d.set_item("offset", buf.offset())?;
    d.set_item("span", buf.shared_bytes().len())?;
    let view = buf.view()?;
    d.set_item("c_contiguous", view.c_contiguous())?;
    d.set_item("f_contiguous", view.f_contiguous())?;
    d.set_item("contiguous", view.contiguous())?;
    Ok(d)
}

/// `memoryview(obj).tolist()`, computed by Rust's MemoryView (which also unpacks structs,
/// as tuples, and every other format CPython's memoryview refuses).
#[pyfunction]
fn tolist<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let buf = PythonBuffer::get(obj)?;
    let items = buf.view()?.tolist()?;
    value_to_object(obj.py(), &items)
}

/// The sum of the `price` field of any buffer of `Record`s (a `Table`, a numpy structured
/// array with the same layout): a typed view, checked against `Record`'s format.
#[pyfunction]
fn total_price(obj: &Bound<'_, PyAny>) -> PyResult<f64> {
    let buf = PythonBuffer::get(obj)?;
    let view = buf.typed_view::<Record>()?;
    Ok(view.iter().map(|r| r.price).sum())
}

/// Scales every `price` of a writable buffer of `Record`s in place, from Rust.
#[pyfunction]
fn scale_prices(obj: &Bound<'_, PyAny>, factor: f64) -> PyResult<()> {
    let mut buf = PythonBuffer::get_mut(obj)?;
    let mut view = buf.typed_view_mut::<Record>()?;
    view.for_each_mut(|r| r.price *= factor);
    Ok(())
}

/// Decodes one native item of a numeric format.
fn decode(format: &str, b: &[u8]) -> Option<f64> {
    let code = format.strip_prefix('@').unwrap_or(format);
    let code = if cfg!(target_endian = "little") {
        code.strip_prefix(['<', '=']).unwrap_or(code)
    } else {
        code
    };
    Some(match code {
        "b" => i8::from_ne_bytes(b.try_into().ok()?) as f64,
        "B" => u8::from_ne_bytes(b.try_into().ok()?) as f64,
        "h" => i16::from_ne_bytes(b.try_into().ok()?) as f64,
        "H" => u16::from_ne_bytes(b.try_into().ok()?) as f64,
        "i" => i32::from_ne_bytes(b.try_into().ok()?) as f64,
        "I" => u32::from_ne_bytes(b.try_into().ok()?) as f64,
        "l" | "q" => i64::from_ne_bytes(b.try_into().ok()?) as f64,
        "L" | "Q" => u64::from_ne_bytes(b.try_into().ok()?) as f64,
        "f" => f32::from_ne_bytes(b.try_into().ok()?) as f64,
        "d" => f64::from_ne_bytes(b.try_into().ok()?),
        _ => return None,
    })
}

/// Every item of a numeric buffer, in C order, read by Rust through the buffer's strides.
#[pyfunction]
fn values(obj: &Bound<'_, PyAny>) -> PyResult<Vec<f64>> {
    let buf = PythonBuffer::get(obj)?;
    let (shape, strides, itemsize) = (buf.shape(), buf.byte_strides(), buf.itemsize());
    if decode(buf.format(), &vec![0; itemsize]).is_none() {
        return Err(PyTypeError::new_err(format!(
            "values: unsupported format '{}'",
            buf.format()
        )));
    }
    let count: usize = shape.iter().product();
    // A zero-stride buffer may describe more items than memory holds: MemoryError, not an abort.
    let mut out = Vec::new();
    out.try_reserve_exact(count).map_err(|_| {
        PyMemoryError::new_err(format!("values: {count} items do not fit in memory"))
    })?;
    let span = buf.to_vec();
    let mut index = vec![0usize; shape.len()];
    for _ in 0..count {
        let at = buf.offset() as isize
            + index
                .iter()
                .zip(strides)
                .map(|(&i, &s)| i as isize * s)
                .sum::<isize>();
        let at = at as usize;
        out.extend(decode(buf.format(), &span[at..at + itemsize]));
        // Odometer increment, last dimension fastest.
        for k in (0..index.len()).rev() {
            index[k] += 1;
            if index[k] < shape[k] {
                break;
            }
            index[k] = 0;
        }
    }
    Ok(out)
}

/// `memoryview(obj).tobytes(order)`, computed by Rust's MemoryView (`order` is `C`, `F` or `A`).
#[pyfunction]
#[pyo3(signature = (obj, order = "C"))]
fn tobytes<'py>(obj: &Bound<'py, PyAny>, order: &str) -> PyResult<Bound<'py, PyBytes>> {
    let order: Order = order.parse()?;
    let buf = PythonBuffer::get(obj)?;
    let view = buf.view()?;
    // A zero-stride view may describe more bytes than memory holds: MemoryError (the
    // ViewError converts to it), not an abort.
    let bytes = view.try_tobytes(order)?;
    Ok(PyBytes::new(obj.py(), &bytes))
}

/// Writes `item` (the bytes of one item) into every item of any writable buffer, from Rust,
/// through the buffer's own shape and strides.
#[pyfunction]
fn fill(obj: &Bound<'_, PyAny>, item: &[u8]) -> PyResult<()> {
    let mut buf = PythonBuffer::get_mut(obj)?;
    buf.view_mut()?.fill_bytes(item)?;
    Ok(())
}

/// Writes `data` into any writable buffer at byte `at` of its contiguous span.
#[pyfunction]
fn poke(obj: &Bound<'_, PyAny>, at: usize, data: &[u8]) -> PyResult<()> {
    let mut buf = PythonBuffer::get_mut(obj)?;
    let bytes = buf.shared_bytes_mut().ok_or_else(|| {
        PyTypeError::new_err("buffer is read-only or holds Python object references")
    })?;
    let end = at.checked_add(data.len()).filter(|&e| e <= bytes.len());
    let end = end.ok_or_else(|| PyIndexError::new_err("poke: outside the buffer"))?;
    let mut span = SharedViewMut::from_data_bytes(bytes);
    let mut dst = span.slice_mut(Slice::from(at as isize..end as isize))?;
    dst.copy_from(&MemoryView::from_bytes(data))?;
    Ok(())
}

/// Reads `n` bytes of any buffer at byte `at` of its span.
#[pyfunction]
fn peek<'py>(obj: &Bound<'py, PyAny>, at: usize, n: usize) -> PyResult<Bound<'py, PyBytes>> {
    let buf = PythonBuffer::get(obj)?;
    let bytes = SharedView::from_data_bytes(buf.shared_bytes());
    let end = at.checked_add(n).filter(|&e| e <= bytes.nbytes());
    let end = end.ok_or_else(|| PyIndexError::new_err("peek: outside the buffer"))?;
    let part = bytes.slice(Slice::from(at as isize..end as isize))?;
    Ok(PyBytes::new(obj.py(), &part.tobytes(Order::C)))
}

/// The sum of a buffer of `f64`s, read by Rust before and after calling `callback()` while
/// Rust holds its view: Python may write the buffer meanwhile, and the second sum sees it.
#[pyfunction]
fn sum_around_callback(
    obj: &Bound<'_, PyAny>,
    callback: &Bound<'_, PyAny>,
) -> PyResult<(f64, f64)> {
    let buf = PythonBuffer::get(obj)?;
    let view = buf.typed_view::<f64>()?;
    let before = view.iter().sum();
    callback.call0()?;
    let after = view.iter().sum();
    Ok((before, after))
}

/// `xs` rounded to `f16` by the `half` crate (round to nearest, ties to even), moved to Python
/// as a `Vec<f16>`: format `e`.
#[pyfunction]
fn halves(py: Python<'_>, xs: Vec<f64>) -> PyResult<Bound<'_, OwnedBuffer>> {
    OwnedBuffer::new(
        py,
        xs.into_iter().map(half::f16::from_f64).collect::<Vec<_>>(),
    )
}

/// The bits of the `f16` items of any buffer of format `e` (numpy's `float16`), read by a typed
/// view.
#[pyfunction]
fn half_bits(obj: &Bound<'_, PyAny>) -> PyResult<Vec<u16>> {
    let buf = PythonBuffer::get(obj)?;
    let view = buf.typed_view::<half::f16>()?;
    Ok(view.iter().map(half::f16::to_bits).collect())
}

/// A record with `f16` fields (`T{<e:level:<e:gain:}`).
#[buffer_runtime::export]
#[repr(C)]
struct HalfSample {
    level: half::f16,
    gain: half::f16,
}

/// `(level, gain)` pairs as a `Vec<HalfSample>` moved to Python.
#[pyfunction]
fn half_samples(py: Python<'_>, pairs: Vec<(f64, f64)>) -> PyResult<Bound<'_, OwnedBuffer>> {
    let rows: Vec<HalfSample> = pairs
        .into_iter()
        .map(|(l, g)| HalfSample {
            level: half::f16::from_f64(l),
            gain: half::f16::from_f64(g),
        })
        .collect();
    OwnedBuffer::new(py, rows)
}

/// `(re, im)` pairs as a `Vec<Complex<f64>>` (format `Zd`) or, with `double=False`, a
/// `Vec<Complex<f32>>` (`Zf`), moved to Python.
#[pyfunction]
fn complexes(
    py: Python<'_>,
    pairs: Vec<(f64, f64)>,
    double: bool,
) -> PyResult<Bound<'_, OwnedBuffer>> {
    use num_complex::Complex;
    if double {
        let z: Vec<Complex<f64>> = pairs.into_iter().map(|(r, i)| Complex::new(r, i)).collect();
        OwnedBuffer::new(py, z)
    } else {
        let z: Vec<Complex<f32>> = pairs
            .into_iter()
            .map(|(r, i)| Complex::new(r as f32, i as f32))
            .collect();
        OwnedBuffer::new(py, z)
    }
}

/// The `(re, im)` parts of any buffer of `Zf` or `Zd` items (numpy's `complex64`/`complex128`),
/// read as `num_complex::Complex` through the typed item views.
#[pyfunction]
fn complex_parts(obj: &Bound<'_, PyAny>) -> PyResult<Vec<(f64, f64)>> {
    use buffer_runtime::num_complex::{Zd, Zf};
    use num_complex::Complex;
    let buf = PythonBuffer::get(obj)?;
    let view = buf.view()?;
    if let Ok(zf) = view.typed::<Zf>() {
        let z = zf.iter().map(Complex::<f32>::from);
        Ok(z.map(|z| (f64::from(z.re), f64::from(z.im))).collect())
    } else {
        let zd = view.typed::<Zd>()?;
        Ok(zd
            .iter()
            .map(Complex::<f64>::from)
            .map(|z| (z.re, z.im))
            .collect())
    }
}

#[pymodule]
fn buffer_example(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyImage>()?;
    OwnedBuffer::add_to_module(m)?;
    m.add_class::<PyTable>()?;
    m.add_class::<PyMatrix>()?;
    m.add_class::<PyStrided>()?;
    m.add_class::<PyReadOnlyStrided>()?;
    m.add_class::<PyScalar>()?;
    m.add_function(wrap_pyfunction!(layout, m)?)?;
    m.add_function(wrap_pyfunction!(values, m)?)?;
    m.add_function(wrap_pyfunction!(tolist, m)?)?;
    m.add_function(wrap_pyfunction!(total_price, m)?)?;
    m.add_function(wrap_pyfunction!(scale_prices, m)?)?;
    m.add_function(wrap_pyfunction!(poke, m)?)?;
    m.add_function(wrap_pyfunction!(peek, m)?)?;
    m.add_function(wrap_pyfunction!(sum_around_callback, m)?)?;
    m.add_function(wrap_pyfunction!(tobytes, m)?)?;
    m.add_function(wrap_pyfunction!(fill, m)?)?;
    m.add_function(wrap_pyfunction!(records, m)?)?;
    m.add_function(wrap_pyfunction!(floats, m)?)?;
    m.add_function(wrap_pyfunction!(points, m)?)?;
    m.add_function(wrap_pyfunction!(shared_records, m)?)?;
    m.add_function(wrap_pyfunction!(write_records, m)?)?;
    m.add_function(wrap_pyfunction!(halves, m)?)?;
    m.add_function(wrap_pyfunction!(half_bits, m)?)?;
    m.add_function(wrap_pyfunction!(half_samples, m)?)?;
    m.add_function(wrap_pyfunction!(complexes, m)?)?;
    m.add_function(wrap_pyfunction!(complex_parts, m)?)?;
    Ok(())
}
