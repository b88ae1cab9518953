//! Runnable examples of buffer-runtime: see the `examples/` folder. Each example's logic is a
//! `run` function here, writing what it shows to any `Write` and returning the facts it
//! printed, so that `tests/examples.rs` checks them; `cargo run --example NAME` prints them.

use std::fmt::Write as _;

use buffer_runtime::format::{parse, FormatError};

pub mod image;
pub mod mmap;
pub mod table;
pub mod tour;

/// The boxed error every example returns.
pub type Error = Box<dyn std::error::Error>;

/// A format's layout as a table a person can check against the Rust type: one row per field
/// (nested structs indented), with its byte offset, size, name and format.
///
/// ```
/// let t = buffer_examples::layout_table("T{<d:price:<I:qty:4x}").unwrap();
/// let lines: Vec<&str> = t.lines().collect();
/// assert_eq!(lines, [
///     "offset  size  field      format",
///     "------  ----  ---------  ------",
///     "     0     8  price      <d",
///     "     8     4  qty        <I",
///     "    12     4  (padding)  4x",
///     "itemsize 16",
/// ]);
/// ```
pub fn layout_table(format: &str) -> Result<String, FormatError> {
    let parsed = parse(format)?;
    let layout = parsed.layout()?;
    let mut rows: Vec<(usize, usize, String, String)> = Vec::new();
    collect_rows(&layout, 0, "", &mut rows);
    if rows.is_empty() {
        rows.push((0, layout.size(), "(item)".into(), parsed.to_string()));
    }
    let name_w = rows.iter().map(|r| r.2.len()).max().unwrap_or(0).max(5);
    let mut out = String::new();
    let _ = writeln!(out, "offset  size  {:<name_w$}  format", "field");
    let _ = writeln!(out, "------  ----  {:<name_w$}  ------", "-".repeat(name_w));
    for (offset, size, name, fmt) in rows {
        let _ = writeln!(out, "{offset:>6}  {size:>4}  {name:<name_w$}  {fmt}");
    }
    let _ = writeln!(out, "itemsize {}", layout.size());
    Ok(out)
}

/// One row per field, and one per gap between fields (padding, `Nx` in the format).
fn collect_rows(
    layout: &buffer_runtime::format::ItemLayout,
    base: usize,
    indent: &str,
    rows: &mut Vec<(usize, usize, String, String)>,
) {
    let mut end = 0;
    let pad = |from: usize, to: usize, rows: &mut Vec<_>| {
        if to > from {
            rows.push((
                base + from,
                to - from,
                format!("{indent}(padding)"),
                format!("{}x", to - from),
            ));
        }
    };
    for field in layout.fields() {
        pad(end, field.offset, rows);
        let name = match &field.name {
            Some(n) => format!("{indent}{n}"),
            None => format!("{indent}(unnamed)"),
        };
        let offset = base + field.offset;
        if field.layout.fields().is_empty() {
            rows.push((offset, field.layout.size(), name, field.format.to_string()));
        } else {
            rows.push((offset, field.layout.size(), name, "T{...}".into()));
            collect_rows(&field.layout, offset, &format!("{indent}  "), rows);
        }
        end = field.offset + field.layout.size();
    }
    if !layout.fields().is_empty() {
        pad(end, layout.size(), rows);
    }
}
