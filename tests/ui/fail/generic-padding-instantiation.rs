// A generic struct is checked for padding when an instantiation is used: `Stamped<u8>` has 7
// bytes after `value`. The error is ours alone, naming the field, at the use that needs the
// bytes.
use buffer_runtime::BufferExport;

#[buffer_runtime::export]
#[repr(C)]
struct Stamped<T: buffer_runtime::FieldType> {
    t: u64,
    value: T,
}

fn main() {
    let rows = vec![Stamped { t: 1, value: 2u8 }];
    let _ = rows.buffer_bytes();
}
