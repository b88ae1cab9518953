use buffer_runtime::{BufferExport, Element};
use zerocopy::{Immutable, IntoBytes};

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

#[derive(BufferExport, IntoBytes, Immutable)]
#[repr(C)]
struct Cell {
    ch: char,
    visible: bool,
    #[buffer(padding)]
    _pad: [u8; 3],
}

const _: () = assert!(eq(<Cell as Element>::FORMAT, host("T{<w:ch:<?:visible:3x}", "T{>w:ch:>?:visible:3x}")));

fn main() {
    let cells = [Cell { ch: 'a', visible: true, _pad: [0; 3] }];
    assert_eq!(cells.buffer_bytes().len(), 8);
}
