use buffer_runtime::{BufferExport, Element};
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
#[repr(C)]
struct Pair(u16, i16);

const _: () = assert!(eq(<Pair as Element>::FORMAT, host("T{<H:f0:<h:f1:}", "T{>H:f0:>h:f1:}")));

fn main() {}
