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

#[derive(BufferExport, IntoBytes, Immutable, Clone, Copy)]
#[repr(u8)]
enum Level {
    Low = 1,
    High = 200,
}

#[derive(BufferExport, IntoBytes, Immutable, Clone, Copy)]
#[repr(i64)]
enum Big {
    Minus = -1,
    Plus = 1,
}

#[derive(BufferExport, IntoBytes, Immutable)]
#[repr(C)]
struct Reading {
    level: Level,
    #[buffer(padding)]
    _pad: [u8; 7],
    big: Big,
}

const _: () = assert!(eq(<Level as Element>::FORMAT, "B"));
const _: () = assert!(eq(<Big as Element>::FORMAT, "q"));
const _: () = assert!(eq(<Reading as Element>::FORMAT, host("T{<B:level:7x<q:big:}", "T{>B:level:7x>q:big:}")));

fn main() {
    let levels = vec![Level::Low, Level::High];
    assert_eq!(levels.buffer_bytes(), &[1, 200]);
}
