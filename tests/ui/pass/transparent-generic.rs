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

use core::marker::PhantomData;

#[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
#[repr(transparent)]
struct Tensor<T: Element, const R: usize, const C: usize>([[T; C]; R]);

struct Meters;

#[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
#[repr(transparent)]
struct Tagged<U: 'static> {
    value: f64,
    _unit: PhantomData<U>,
}

fn main() {
    // `R` rows of `C` columns.
    assert_eq!(<Tensor<i16, 3, 2> as StaticBufferLayout>::SHAPE, &[3, 2]);
    assert_eq!(<Tensor<i16, 3, 2> as StaticBufferLayout>::STRIDES, &[4, 2]);
    assert_eq!(<Tensor<i16, 3, 2> as StaticBufferLayout>::ITEM_FORMAT, "h");
    assert_eq!(<Tagged<Meters> as StaticBufferLayout>::ITEM_FORMAT, "d");
    assert_eq!(<Tagged<Meters> as StaticBufferLayout>::NDIM, 0);
}
