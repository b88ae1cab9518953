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
#[repr(C, packed)]
struct Header {
    tag: u8,
    len: u32,
    crc: u16,
}

const _: () = assert!(eq(<Header as Element>::FORMAT, host("T{<B:tag:<I:len:<H:crc:}", "T{>B:tag:>I:len:>H:crc:}")));
const _: () = assert!(<Header as StaticBufferLayout>::ITEMSIZE == 7 && <Header as StaticBufferLayout>::ALIGN == 1);

fn main() {}
