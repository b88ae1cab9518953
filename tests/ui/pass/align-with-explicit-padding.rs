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
#[repr(C, align(16))]
struct Slot {
    value: u64,
    #[buffer(padding)]
    _pad: [u8; 8],
}

const _: () = assert!(<Slot as StaticBufferLayout>::ITEMSIZE == 16 && <Slot as StaticBufferLayout>::ALIGN == 16);
const _: () = assert!(eq(<Slot as Element>::FORMAT, host("T{<Q:value:8x}", "T{>Q:value:8x}")));

fn main() {}
