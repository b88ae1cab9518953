//! The guided tour (`cargo run --example tour`): derive a record, look at its format, export a
//! `Vec` of them, and view it as Python's `memoryview` would, then beyond.

use std::io::Write;

use buffer_runtime::view::{MemoryView, Order, Slice};
use buffer_runtime::{index, BufferExport, Element, StaticBufferLayout};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

/// One sensor reading: 16 bytes, no padding.
#[derive(BufferExport, IntoBytes, FromBytes, Immutable, KnownLayout, Clone, Copy, Debug)]
#[repr(C)]
pub struct Reading {
    /// Seconds since the start.
    pub time: f64,
    /// Which sensor.
    pub sensor: u16,
    /// A signed level.
    pub level: i16,
    /// The measured value.
    pub value: f32,
}

/// What the tour printed, for the tests.
#[derive(Debug)]
pub struct Tour {
    /// `Reading::FORMAT`.
    pub format: &'static str,
    /// The sum of `value` read through the view.
    pub value_sum: f32,
    /// A typed reference from the view points into the `Vec`.
    pub zero_copy: bool,
}

/// The readings the tour exports.
pub fn readings() -> Vec<Reading> {
    (0..6)
        .map(|i| Reading {
            time: i as f64 * 0.5,
            sensor: 100 + i as u16 % 2,
            level: i as i16 - 3,
            value: i as f32 * 1.25,
        })
        .collect()
}

/// Runs the tour, printing to `out`.
///
/// ```
/// let tour = buffer_examples::tour::run(&mut std::io::sink()).unwrap();
/// assert_eq!(tour.value_sum, 18.75);
/// ```
pub fn run(out: &mut dyn Write) -> Result<Tour, crate::Error> {
    writeln!(out, "== 1. A derived record ==")?;
    writeln!(out, "Reading::FORMAT   = {:?}", Reading::FORMAT)?;
    writeln!(
        out,
        "itemsize          = {}",
        <Reading as StaticBufferLayout>::ITEMSIZE
    )?;
    write!(out, "{}", crate::layout_table(Reading::FORMAT)?)?;

    writeln!(out, "\n== 2. Export a Vec<Reading> ==")?;
    let data = readings();
    let layout = data.buffer_layout();
    writeln!(
        out,
        "shape {:?}, strides {:?}, offset {}",
        &*layout.shape, &*layout.strides, layout.offset
    )?;

    writeln!(out, "\n== 3. View it (memoryview(data)) ==")?;
    let view = MemoryView::new(&data)?;
    writeln!(
        out,
        "format {:?}  itemsize {}  ndim {}  shape {:?}  nbytes {}  readonly {}",
        view.format(),
        view.itemsize(),
        view.ndim(),
        view.shape(),
        view.nbytes(),
        view.readonly()
    )?;
    writeln!(out, "m[2]                  = {}", view.get(&[2])?)?;
    let every_other = view.slice(Slice::new(Some(1), Some(5), 2))?;
    writeln!(
        out,
        "m[1:5:2]              -> shape {:?}, strides {:?}",
        every_other.shape(),
        every_other.byte_strides()
    )?;
    writeln!(
        out,
        "m[1:5:2].field('level').tolist() = {}",
        every_other.field("level")?.tolist()?
    )?;
    let first = view.slice(Slice::new(Some(0), Some(1), 1))?;
    writeln!(out, "m[:1].hex(' ', 4)     = {}", first.hex(Some(" "), 4)?)?;
    writeln!(
        out,
        "m[:1].tobytes()       = {} bytes",
        first.tobytes(Order::C).len()
    )?;
    let values = view.field("value")?;
    writeln!(
        out,
        "m.field('value')      -> format {:?}, strides {:?}",
        values.format(),
        values.byte_strides()
    )?;
    writeln!(out, "  .tolist()           = {}", values.tolist()?)?;

    writeln!(out, "\n== 4. Cast and a second dimension ==")?;
    let grid: Vec<[u16; 3]> = vec![[1, 2, 3], [4, 5, 6]];
    let g = MemoryView::new(&grid)?;
    writeln!(
        out,
        "grid: format {:?}, shape {:?}, tolist {}",
        g.format(),
        g.shape(),
        g.tolist()?
    )?;
    let bytes = g.cast("B", None)?;
    writeln!(out, "cast('B')             -> shape {:?}", bytes.shape())?;
    let reshaped = g.cast("B", None)?.into_cast("H", Some(&[3, 2]))?;
    writeln!(
        out,
        "cast('B').cast('H', [3, 2]).tolist() = {}",
        reshaped.tolist()?
    )?;
    let column = g.sub(&index![.., 1])?;
    writeln!(
        out,
        "grid[:, 1] (a column) = {}  strides {:?}",
        column.tolist()?,
        column.byte_strides()
    )?;
    writeln!(out, "grid.T.tolist()       = {}", g.t().tolist()?)?;

    writeln!(out, "\n== 5. Typed access, no copy ==")?;
    let readings = view.typed::<Reading>()?; // the format checked once, here
    let value_sum: f32 = readings.iter().map(|r| r.value).sum();
    writeln!(
        out,
        "sum of value via typed::<Reading>()?.iter() = {value_sum}"
    )?;
    let third: &Reading = readings.get_ref(&[2])?;
    let zero_copy = std::ptr::eq(third, &data[2]);
    writeln!(out, "get_ref(&[2]) = {third:?}")?;
    writeln!(out, "  is &data[2] (same address, no copy): {zero_copy}")?;
    let levels: Vec<i16> = view.field("level")?.iter_as::<i16>()?.collect();
    writeln!(
        out,
        "levels via field('level').iter_as::<i16>() = {levels:?}"
    )?;
    let wrong = view
        .iter_as::<f64>()
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    writeln!(out, "iter_as::<f64>() is refused: {wrong}")?;
    Ok(Tour {
        format: Reading::FORMAT,
        value_sum,
        zero_copy,
    })
}
