//! Inputs the fuzz targets (`fuzz/`) found to crash, each with the behaviour now expected.
//! Every test names the target and the crash.

use buffer_runtime::format::Value;
use buffer_runtime::view::{ErrorKind, MemoryView, Order};

/// view_construct: `tolist` of a view with more items than a `Vec` can hold panicked with
/// "capacity overflow" (`Vec::with_capacity`). Zero-size items (format `""`) make any shape
/// valid, so the view itself is fine; the list is a `MemoryError`, as in CPython.
#[test]
fn tolist_of_too_many_zero_size_items_is_a_memory_error() {
    let view = MemoryView::from_parts(&[], "", &[723_108_115_658_113_023], None, 0).unwrap();
    assert_eq!((view.itemsize(), view.nbytes()), (0, 0));
    let err = view.tolist().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::MemoryError);
    assert_eq!(
        err.to_string(),
        "memoryview: a list of 723108115658113023 items does not fit in memory"
    );
}

/// The same through zero strides: 2**62 one-byte items, all the same byte.
#[test]
fn tolist_of_too_many_zero_stride_items_is_a_memory_error() {
    let bytes = [7u8];
    let view = MemoryView::from_parts(&bytes, "B", &[1 << 62], Some(&[0]), 0).unwrap();
    assert_eq!(view.tolist().unwrap_err().kind(), ErrorKind::MemoryError);
    // In the inner dimension too.
    let view = MemoryView::from_parts(&bytes, "B", &[2, 1 << 61], Some(&[0, 0]), 0).unwrap();
    assert_eq!(view.tolist().unwrap_err().kind(), ErrorKind::MemoryError);
    // A list that fits is still built.
    let view = MemoryView::from_parts(&bytes, "B", &[3], Some(&[0]), 0).unwrap();
    assert_eq!(
        view.tolist().unwrap(),
        Value::Array(vec![Value::UInt(7); 3])
    );
    assert_eq!(view.tobytes(Order::C), [7, 7, 7]);
}
