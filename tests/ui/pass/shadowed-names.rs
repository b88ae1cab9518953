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

// Local items named like what generated code uses must not change its meaning.
#[allow(dead_code)]
mod shadow {
    pub struct Option;
    pub struct Result;
    pub trait Element {}
    pub fn panic() {}
}
#[allow(unused_imports)]
use shadow::*;
#[allow(dead_code, non_camel_case_types)]
struct core;

#[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
#[repr(C)]
struct Sample {
    a: u32,
}

fn main() {
    let _ = <Sample as buffer_runtime::Element>::FORMAT;
}
