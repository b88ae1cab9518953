//! A table of derived records as a `#[buffer(container)]`: its layout printed for a person to
//! check, a column view of one field, a filter that reads rows through the view (`cargo run
//! --example table`).

use std::io::Write;

use buffer_runtime::view::MemoryView;
use buffer_runtime::{BufferExport, Element};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

/// One trade: 24 bytes, with explicit padding at the end.
#[derive(
    BufferExport, IntoBytes, FromBytes, Immutable, KnownLayout, Clone, Copy, Debug, PartialEq,
)]
#[repr(C)]
pub struct Trade {
    /// Milliseconds since the open.
    pub time: u64,
    /// Price per unit.
    pub price: f64,
    /// Units traded.
    pub qty: u32,
    /// 0 for a buy, 1 for a sell.
    pub side: u8,
    #[buffer(padding)]
    _pad: [u8; 3],
}

/// The rows, exported as a (n,) view of trades.
#[derive(BufferExport)]
#[buffer(container)]
pub struct Table {
    /// One trade per row.
    #[buffer(data)]
    pub rows: Vec<Trade>,
}

/// A deterministic table of `n` trades.
pub fn sample(n: usize) -> Table {
    let rows = (0..n)
        .map(|i| Trade {
            time: 1_000 * i as u64,
            price: 100.0 + (i % 7) as f64 * 0.25,
            qty: (i as u32 * 37) % 250,
            side: (i % 3 == 0) as u8,
            _pad: [0; 3],
        })
        .collect();
    Table { rows }
}

/// What the example showed, for the tests.
#[derive(Debug)]
pub struct Shown {
    /// The layout table printed.
    pub layout: String,
    /// Byte strides of the `price` column view.
    pub price_strides: Vec<isize>,
    /// The prices read through the column view.
    pub prices: Vec<f64>,
    /// Rows (index) the filter kept: sells of more than 100 units.
    pub big_sells: Vec<usize>,
}

/// Runs the example over a table of `n` trades, printing to `out`.
///
/// ```
/// let shown = buffer_examples::table::run(8, &mut std::io::sink()).unwrap();
/// assert_eq!(shown.prices.len(), 8);
/// ```
pub fn run(n: usize, out: &mut dyn Write) -> Result<Shown, crate::Error> {
    let table = sample(n);
    writeln!(out, "Trade::FORMAT = {:?}", Trade::FORMAT)?;
    let layout = crate::layout_table(Trade::FORMAT)?;
    write!(out, "{layout}")?;

    let view = MemoryView::new(&table)?;
    writeln!(
        out,
        "\ntable: shape {:?}, strides {:?}, nbytes {}",
        view.shape(),
        view.byte_strides(),
        view.nbytes()
    )?;

    let price = view.field("price")?;
    let prices: Vec<f64> = price.iter_as::<f64>()?.collect();
    writeln!(
        out,
        "column 'price': format {:?}, strides {:?}, offset {}",
        price.format(),
        price.byte_strides(),
        price.offset()
    )?;
    writeln!(out, "  {prices:?}")?;
    let qty_total: u64 = view.field("qty")?.iter_as::<u32>()?.map(u64::from).sum();
    writeln!(out, "column 'qty': total {qty_total}")?;

    writeln!(
        out,
        "\nsells of more than 100 units (rows read through the view):"
    )?;
    writeln!(
        out,
        "{:>4}  {:>8}  {:>8}  {:>4}",
        "row", "time", "price", "qty"
    )?;
    let mut big_sells = Vec::new();
    for (i, t) in view.iter_as::<Trade>()?.enumerate() {
        if t.side == 1 && t.qty > 100 {
            writeln!(out, "{i:>4}  {:>8}  {:>8.2}  {:>4}", t.time, t.price, t.qty)?;
            big_sells.push(i);
        }
    }
    Ok(Shown {
        layout,
        price_strides: price.byte_strides().to_vec(),
        prices,
        big_sells,
    })
}
