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
#[repr(C)]
struct Samples<T, const N: usize>
where
    T: Element,
{
    data: [T; N],
}

const S: &str = <Samples<i32, 8> as Element>::FORMAT;
const _: () = assert!(eq(S, host("T{(8)<i:data:}", "T{(8)>i:data:}")));
const _: () = assert!(<Samples<u16, 5> as StaticBufferLayout>::ITEMSIZE == 10);

fn main() {
    assert_eq!(<Samples<i32, 8> as Element>::FORMAT_CSTR.to_bytes().len(), S.len());
}
