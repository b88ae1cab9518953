use buffer_runtime::{BufferExport, Element, StaticBufferLayout};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

/// `text` with `<` replaced by this host's byte-order character.
const fn host(le: &'static str, be: &'static str) -> &'static str {
    if cfg!(target_endian = "little") { le } else { be }
}

const fn eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

#[derive(BufferExport, IntoBytes, FromBytes, Immutable, KnownLayout)]
#[repr(C)]
struct Trade {
    price: f64,
    qty: u32,
    side: i32,
}

// Checked at compile time.
const _: () = assert!(eq(<Trade as Element>::FORMAT, host("T{<d:price:<I:qty:<i:side:}", "T{>d:price:>I:qty:>i:side:}")));
const _: () = assert!(<Trade as StaticBufferLayout>::ITEMSIZE == 16 && <Trade as StaticBufferLayout>::NDIM == 0);

fn main() {
    let mut t = Trade { price: 1.0, qty: 2, side: -1 };
    assert_eq!(t.buffer_bytes().len(), 16);
    use buffer_runtime::BufferExportMut;
    t.buffer_bytes_mut()[8] = 7;
    assert_eq!(t.qty, if cfg!(target_endian = "little") { 7 } else { 0x0700_0000 | 2 });
}
