use buffer_runtime::{BufferExport, Element};
use zerocopy::{Immutable, IntoBytes};

// A generic type's format is built in a buffer of GENERIC_FORMAT_CAPACITY (4096) bytes: stable
// Rust cannot size an array by a generic type's format length. Longer formats fail to compile,
// with a message that says so, when the instantiation is used.
#[derive(BufferExport, IntoBytes, Immutable)]
#[repr(C)]
struct Inner {
    long_field_name_number_00: u64,
    long_field_name_number_01: u64,
    long_field_name_number_02: u64,
    long_field_name_number_03: u64,
    long_field_name_number_04: u64,
    long_field_name_number_05: u64,
    long_field_name_number_06: u64,
    long_field_name_number_07: u64,
    long_field_name_number_08: u64,
    long_field_name_number_09: u64,
    long_field_name_number_10: u64,
    long_field_name_number_11: u64,
}

#[derive(BufferExport, IntoBytes, Immutable)]
#[repr(C)]
struct Wide<T: Element> {
    a: T,
    b: T,
    c: T,
    d: T,
    e: T,
    f: T,
    g: T,
    h: T,
    i: T,
    j: T,
    k: T,
    l: T,
    m: T,
    n: T,
    o: T,
    p: T,
    q: T,
    r: T,
    s: T,
    t: T,
    u: T,
    v: T,
    w: T,
    x: T,
    y: T,
    z: T,
}

const FORMAT: &str = <Wide<Inner> as Element>::FORMAT;

fn main() {
    let _ = FORMAT;
}
