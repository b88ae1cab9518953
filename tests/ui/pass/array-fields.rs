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

#[derive(BufferExport, IntoBytes, FromBytes, Immutable, Clone, Copy)]
#[repr(C)]
struct Transform {
    m: [[f32; 4]; 4],
    tags: [u8; 4],
}

const _: () = assert!(eq(<Transform as Element>::FORMAT, host("T{(4,4)<f:m:(4)<B:tags:}", "T{(4,4)>f:m:(4)>B:tags:}")));

fn main() {
    // Arrays of derived items: the item format with the array's shape.
    let grid = [[Transform { m: [[0.0; 4]; 4], tags: [0; 4] }; 2]; 3];
    assert_eq!(grid.buffer_bytes().len(), 6 * 68);
    assert_eq!(&*grid.buffer_layout().strides, &[136, 68]);
    assert_eq!(<[[Transform; 2]; 3] as StaticBufferLayout>::SHAPE, &[3, 2]);
}
