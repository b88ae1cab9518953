use buffer_runtime::{BufferExport, StaticBufferLayout};
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
struct Rgb {
    r: u8,
    g: u8,
    b: u8,
}

#[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
#[repr(transparent)]
struct Frame([[Rgb; 640]; 480]);

const _: () = assert!(eq(<Frame as StaticBufferLayout>::ITEM_FORMAT, host("T{<B:r:<B:g:<B:b:}", "T{>B:r:>B:g:>B:b:}")));
const _: () = assert!(<Frame as StaticBufferLayout>::NDIM == 2);

fn main() {
    assert_eq!(<Frame as StaticBufferLayout>::SHAPE, &[480, 640]);
    assert_eq!(<Frame as StaticBufferLayout>::STRIDES, &[1920, 3]);
    let frame = Box::new(Frame([[Rgb { r: 1, g: 2, b: 3 }; 640]; 480]));
    assert_eq!(frame.buffer_bytes().len(), 480 * 640 * 3);
    assert_eq!(&*frame.buffer_layout().shape, &[480, 640]);
}
