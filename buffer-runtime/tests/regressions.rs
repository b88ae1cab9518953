//! Inputs the fuzz targets (`fuzz/`) found to crash, each with the behaviour now expected.
//! Every test names the target and the crash.

use buffer_runtime::format::Value;
use buffer_runtime::view::Axis;
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

// Found by the overflow sweep (`tests/overflow_sweep.rs`, overflow checks on) and by review.

/// overflow_sweep: a step of `isize::MIN` panicked with "attempt to negate with overflow"
/// in `Slice::indices` (so in `slice`, `slice_axis`, `sub`, `assign_slice`,
/// `assign_slice_axis`); release builds gave the right answer. CPython's `PySlice_Unpack`
/// reads it as `-sys.maxsize`. Measured with CPython 3.11.7:
/// `memoryview(b'abcdef')[::-sys.maxsize-1]` is `b'f'` with strides `(-9223372036854775807,)`,
/// and `memoryview(bytes(16)).cast('q')[::-sys.maxsize-1].strides == (8,)` (the C product
/// wraps; ours too).
#[test]
fn a_step_of_isize_min_is_cpythons_minus_maxsize() {
    use buffer_runtime::index;
    use buffer_runtime::view::{MemoryViewMut, Slice};
    let min = Slice::new(None, None, isize::MIN);
    assert_eq!(min.indices(6).unwrap(), (5, -1, -isize::MAX, 1));
    assert_eq!(min.indices(0).unwrap(), (-1, -1, -isize::MAX, 0));
    assert_eq!(min.indices(usize::MAX).unwrap().3, 1);

    let bytes = [b'a', b'b', b'c', b'd', b'e', b'f'];
    let view = MemoryView::from_bytes(&bytes);
    let v = view.slice(min).unwrap();
    assert_eq!(
        (v.tobytes(Order::C), v.byte_strides()),
        (b"f".to_vec(), &[-isize::MAX][..])
    );
    let q = [0u64; 2];
    let q = MemoryView::new(&q).unwrap();
    assert_eq!(q.slice(min).unwrap().byte_strides(), &[8]);
    // From a start, and empty.
    let v = view.slice(Slice::new(Some(2), None, isize::MIN)).unwrap();
    assert_eq!(v.tobytes(Order::C), b"c");
    assert_eq!(
        view.slice(Slice::new(Some(0), Some(0), isize::MIN))
            .unwrap()
            .shape(),
        &[0]
    );

    let grid = [[1u8, 2, 3], [4, 5, 6]];
    let g = MemoryView::new(&grid).unwrap();
    assert_eq!(
        g.slice_axis(Axis(1), min).unwrap().tobytes(Order::C),
        [3, 6]
    );
    assert_eq!(
        g.sub(&index![.., ..; isize::MIN])
            .unwrap()
            .tobytes(Order::C),
        [3, 6]
    );
    assert_eq!(
        g.sub(&index![..; isize::MIN, 0]).unwrap().tobytes(Order::C),
        [4]
    );

    let mut raw = [0u8; 6];
    let mut m = MemoryViewMut::from_bytes(&mut raw);
    m.assign_slice(min, &MemoryView::from_bytes(&[9])).unwrap();
    let mut cells = [[0u8; 3]; 2];
    let mut c = MemoryViewMut::new(&mut cells).unwrap();
    let col = [[7u8], [8]];
    c.assign_slice_axis(Axis(1), min, &MemoryView::new(&col).unwrap())
        .unwrap();
    drop((m, c));
    assert_eq!(raw, [0, 0, 0, 0, 0, 9]);
    assert_eq!(cells, [[0, 0, 7], [0, 0, 8]]);
}

/// `==` of two native `?` views compares their bytes, as CPython 3.11 does.
/// Measured: `memoryview(b'\x02').cast('?') == memoryview(b'\x01').cast('?')` is `False`
/// (both `tolist()` are `[True]`), while `memoryview(b'\x02').cast('?') ==
/// memoryview(b'\x01').cast('B')` is `True` (different formats compare by value).
#[test]
fn bool_views_compare_by_bytes_as_cpython() {
    let (two, one) = ([2u8], [1u8]);
    let a = MemoryView::from_bytes(&two).into_cast("?", None).unwrap();
    let b = MemoryView::from_bytes(&one).into_cast("?", None).unwrap();
    assert_eq!(a.tolist().unwrap(), b.tolist().unwrap());
    assert!(a != b);
    assert!(a == a.view());
    assert!(a == MemoryView::from_bytes(&one)); // `?` against `B`: True == 1
    let c = MemoryView::from_parts(&two, "@?", &[1], None, 0).unwrap();
    assert!(c == a && c != b);
}

/// `hex(sep, bytes_per_sep)` with `bytes_per_sep` outside a C int raises
/// CPython's `OverflowError` ("Python int too large to convert to C int", measured with
/// 3.11.7 for `2**31` and `-2**31-1`, also when `sep` is invalid); the C int's bounds work.
#[test]
fn hex_bytes_per_sep_beyond_a_c_int_is_an_overflow_error() {
    let view = MemoryView::from_bytes(b"abcdef");
    for k in [1isize << 31, -(1 << 31) - 1, isize::MAX, isize::MIN] {
        let err = view.hex(Some(":"), k).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::OverflowError);
        assert_eq!(err.to_string(), "Python int too large to convert to C int");
        assert_eq!(
            view.hex(Some("::"), k).unwrap_err().kind(),
            ErrorKind::OverflowError
        );
        assert_eq!(
            view.hex(None, k).unwrap_err().kind(),
            ErrorKind::OverflowError
        );
    }
    assert_eq!(
        view.hex(Some(":"), i32::MAX as isize).unwrap(),
        "616263646566"
    );
    assert_eq!(
        view.hex(Some(":"), i32::MIN as isize).unwrap(),
        "616263646566"
    );
}

/// `tolist()` of numpy `U3` data (format `3w`) holding "xy" is `'xy'`, as numpy
/// reads it (trailing NULs are the unused width); `3s` keeps its NULs, as
/// `struct.unpack('3s', b'xy\x00') == (b'xy\x00',)` does.
#[test]
fn ucs4_strings_drop_trailing_nuls_as_numpy_and_bytes_keep_them() {
    let text: Vec<u8> = ['x', 'y', '\0', 'a', '\0', 'b']
        .iter()
        .flat_map(|&c| (c as u32).to_le_bytes())
        .collect();
    let view = MemoryView::from_parts(&text, "<3w", &[2], None, 0).unwrap();
    assert_eq!(
        view.tolist().unwrap(),
        Value::Array(vec![Value::Str("xy".into()), Value::Str("a\0b".into())])
    );
    let raw = *b"xy\0";
    let view = MemoryView::from_parts(&raw, "3s", &[1], None, 0).unwrap();
    assert_eq!(
        view.tolist().unwrap(),
        Value::Array(vec![Value::Bytes(b"xy\0".to_vec())])
    );
}

/// `check_type_named::<Point>()` against numpy's dtype with an explicit
/// `("_pad", "V2")` field said "expected field 'end of item' but got '_pad' at offset 16": it
/// now names the field where it starts. The format is numpy 2.4.6's export of
/// `np.dtype([('x','<f8'),('y','<u4'),('z','<u2'),('_pad','V2')])` (itemsize 16).
#[cfg(feature = "derive")]
#[test]
fn named_padding_mismatch_names_the_field_at_its_offset() {
    use buffer_runtime::BufferExport;
    use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

    #[derive(BufferExport, IntoBytes, FromBytes, Immutable, KnownLayout, Clone, Copy)]
    #[repr(C)]
    struct Point {
        x: f64,
        y: u32,
        z: u16,
        #[buffer(padding)]
        _pad: [u8; 2],
    }

    let raw = [0u8; 32];
    let view = MemoryView::from_parts(&raw, "T{d:x:I:y:H:z:2x:_pad:}", &[2], None, 0).unwrap();
    view.check_type::<Point>().unwrap();
    let err = view.check_type_named::<Point>().unwrap_err();
    assert_eq!(
        err.to_string(),
        "Buffer dtype mismatch, expected no more named fields but got field '_pad' at offset 14"
    );
}

/// overflow_sweep: `tolist` of an empty view whose outer stride is huge (shape `[3, 0]`,
/// strides `[-4611686018427387905, 0]`, valid: it has no items) overflowed computing the
/// base of the third (empty) row. It is three empty lists, as CPython's `tolist` gives.
#[test]
fn tolist_of_an_empty_view_with_huge_strides() {
    let bytes = [0u8; 4];
    let view = MemoryView::from_parts(
        &bytes,
        "B",
        &[3, 0],
        Some(&[-4_611_686_018_427_387_905, 0]),
        0,
    )
    .unwrap();
    assert_eq!(
        view.tolist().unwrap(),
        Value::Array(vec![Value::Array(vec![]); 3])
    );
    assert!(view.tobytes(Order::C).is_empty());
}

/// One geometry rule for views and `BufferLayout::for_items` (geometry.rs): the true product of the
/// shape, so a 0 beside dimensions whose product overflows is an empty layout, while the same
/// dimensions without the 0 are refused whatever the strides.
#[test]
fn a_zero_beside_dimensions_whose_product_overflows_is_an_empty_layout() {
    use buffer_runtime::{BufferLayout, BufferLayoutError};
    let view = MemoryView::from_parts(&[], "B", &[1 << 62, 4, 0], None, 0).unwrap();
    assert_eq!((view.item_count(), view.nbytes()), (0, 0));
    assert_eq!((view.len().unwrap(), view.is_empty()), (1 << 62, false));
    let err = MemoryView::from_parts(&[0u8; 8], "B", &[1 << 62, 4], Some(&[0, 0]), 0).unwrap_err();
    assert_eq!(
        err.to_string(),
        "buffer layout: product(shape) * itemsize exceeds isize::MAX"
    );
    assert_eq!(
        BufferLayout::for_items::<u8>(8, &[1 << 62, 4], Some(&[0, 0])),
        Err(BufferLayoutError::Overflow)
    );
    assert_eq!(
        BufferLayout::for_items::<u8>(0, &[1 << 62, 4, 0], None)
            .unwrap()
            .len(),
        0
    );
}
