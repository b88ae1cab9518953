// `#[buffer_runtime::export]` in a crate that names zerocopy nowhere: every kind of exported type.
use buffer_runtime::{BufferExport, BufferExportMut, Element, FieldType, StaticBufferLayout};

#[buffer_runtime::export]
#[repr(C)]
#[derive(Clone, Copy)]
struct Trade {
    price: f64,
    qty: u32,
    #[buffer(padding)]
    _pad: [u8; 4],
}

#[buffer_runtime::export(read_only)]
#[repr(C)]
struct Flagged {
    letter: char,
    on: [bool; 4],
}

#[buffer_runtime::export]
#[repr(u8)]
enum Side {
    Buy = 1,
}

#[buffer_runtime::export]
#[repr(transparent)]
struct Book([Trade; 4]);

#[buffer_runtime::export]
#[repr(C)]
struct Pair<T: FieldType> {
    a: T,
    b: T,
}

#[buffer_runtime::export]
#[buffer(container)]
struct Table {
    #[buffer(data)]
    rows: Vec<Trade>,
}

fn writable<T: BufferExportMut + ?Sized>() {}

fn main() {
    writable::<Vec<Trade>>();
    writable::<Table>();
    let _ = <Flagged as Element>::FORMAT;
    let _ = <Side as Element>::FORMAT;
    let _ = <Book as StaticBufferLayout>::SHAPE;
    let _ = <Pair<[u16; 2]> as Element>::FORMAT;
    let _ = Flagged { letter: 'a', on: [true; 4] }.buffer_bytes();
}
