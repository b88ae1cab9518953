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

/// view_construct: `item_count` (`shape.iter().product()`) overflowed - a panic with debug
/// assertions, a wrong count without - for zero-size items, which passed the
/// `product(shape) * itemsize <= isize::MAX` check whatever the shape. The item count is now
/// bounded too.
#[test]
fn zero_size_items_with_an_overflowing_item_count_are_refused() {
    let err =
        MemoryView::from_parts(&[], "", &[8_377_613_688_009_605_955, 42], None, 0).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BufferError);
    assert_eq!(
        err.to_string(),
        "buffer layout: product(shape) exceeds isize::MAX"
    );
    // Just below the bound is a valid (empty-byte) view with that many items.
    let n = isize::MAX as usize;
    let view = MemoryView::from_parts(&[], "0s", &[n], None, 0).unwrap();
    assert_eq!((view.item_count(), view.nbytes()), (n, 0));
}

/// With a 0 in the shape there are no items, even when the dimensions before the 0 multiply
/// past `usize::MAX` (the partial product overflowed in `item_count` and in the offset
/// iterator behind `tobytes`, `values`, `==`).
#[test]
fn empty_dimension_after_huge_ones_has_no_items() {
    let huge = 1usize << 62;
    let view = MemoryView::from_parts(&[], "", &[huge, huge, 0], None, 0).unwrap();
    assert_eq!(view.item_count(), 0);
    assert!(view.tobytes(Order::C).is_empty());
    assert_eq!(view.values().count(), 0);
    assert!(view == view);
    let view = MemoryView::from_parts(&[], "", &[huge, huge, 0, 3], None, 0).unwrap();
    assert_eq!(view.item_count(), 0);
    assert_eq!(view.values().count(), 0);
}

/// format_roundtrip (timeout): the leaves of `222222222220T{x:a:}` - 222 billion one-byte
/// structs holding only padding - were walked element by element (hours). Elements without
/// data are now skipped at once, so the scalar after them is found immediately.
#[test]
fn leaves_skip_huge_padding_only_sub_arrays() {
    use buffer_runtime::format::{parse, Code};
    let text = "B\nL!5T{}LT{}BOBB222222222220T{x:a:}\r";
    let layout = parse(text).unwrap().layout().unwrap();
    let runs: Vec<(usize, Code)> = layout
        .leaves()
        .take(4096)
        .map(|r| (r.offset, r.scalar.code))
        .collect();
    let codes: Vec<Code> = runs.iter().map(|r| r.1).collect();
    // `!5T{}` and `T{}` are empty, the padding structs hold nothing: B L L B O B B remain.
    assert_eq!(
        codes,
        [
            Code::UChar,
            Code::ULong,
            Code::ULong,
            Code::UChar,
            Code::Object,
            Code::UChar,
            Code::UChar
        ]
    );
    assert_eq!(layout.size(), runs[6].0 + 1 + 222_222_222_220);
}
