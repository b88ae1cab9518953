use buffer_runtime::{BufferExport, Element, StaticBufferLayout};
use zerocopy::{FromBytes, Immutable, IntoBytes};

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

#[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
#[repr(C, packed(2))]
struct Record {
    a: u16,
    b: u32,
}

const _: () = assert!(<Record as StaticBufferLayout>::ITEMSIZE == 6 && <Record as StaticBufferLayout>::ALIGN == 2);
const _: () = assert!(eq(<Record as Element>::FORMAT, host("T{<H:a:<I:b:}", "T{>H:a:>I:b:}")));

fn main() {}
