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

#[derive(BufferExport, IntoBytes, FromBytes, Immutable, Clone)]
#[repr(C)]
struct Point<T: Element> {
    x: T,
    y: T,
}

// Still compile-time constants for each instantiation.
const F32: &str = <Point<f32> as Element>::FORMAT;
const U8: &str = <Point<u8> as Element>::FORMAT;
const _: () = assert!(eq(F32, host("T{<f:x:<f:y:}", "T{>f:x:>f:y:}")));
const _: () = assert!(eq(U8, host("T{<B:x:<B:y:}", "T{>B:x:>B:y:}")));
const _: () = assert!(<Point<f64> as StaticBufferLayout>::ITEMSIZE == 16);

fn main() {
    let pts = vec![Point { x: 1.0f32, y: 2.0 }; 5];
    assert_eq!(&*pts.buffer_layout().shape, &[5]);
    assert_eq!(pts.buffer_bytes().len(), 40);
}
