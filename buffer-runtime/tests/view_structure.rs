//! Structural behaviour of `MemoryView`: construction checks, attributes, contiguity,
//! indexing and slicing, `tobytes`, `hex`, `cast`, hashing. Expected values were measured on
//! CPython 3.11 (the comment above each case gives the Python expression).

use buffer_runtime::index;
use buffer_runtime::view::Axis;
use buffer_runtime::view::{
    AxisIndex, ErrorKind, MemoryView, MemoryViewMut, Order, Slice, ViewError,
};

fn err(kind: ErrorKind, msg: &str) -> ViewError {
    ViewError::new(kind, msg.to_string())
}

fn bytes6() -> [u8; 6] {
    [0, 1, 2, 3, 4, 5]
}

#[test]
fn from_exporters() {
    let v: Vec<[i16; 3]> = vec![[1, 2, 3], [4, 5, 6]];
    let view = MemoryView::new(&v).unwrap();
    assert_eq!(view.format(), "h");
    assert_eq!(view.itemsize(), 2);
    assert_eq!(view.ndim(), 2);
    assert_eq!(view.shape(), &[2, 3]);
    assert_eq!(view.byte_strides(), &[6, 2]);
    assert_eq!(view.nbytes(), 12);
    assert!(view.readonly());
    assert!(view.suboffsets().is_empty());
    assert_eq!(view.len().unwrap(), 2);

    let x = 5u64;
    let scalar = MemoryView::new(&x).unwrap();
    assert_eq!((scalar.ndim(), scalar.nbytes()), (0, 8));
    assert!(scalar.c_contiguous() && scalar.f_contiguous() && scalar.contiguous());
    assert_eq!(
        scalar.len().unwrap_err(),
        err(ErrorKind::TypeError, "0-dim memory has no length")
    );

    let boxed: Box<[f32]> = vec![1.0; 3].into_boxed_slice();
    let view = MemoryView::new(&boxed).unwrap();
    assert_eq!((view.format(), view.shape()), ("f", &[3usize][..]));

    let mut w = vec![0u8; 3];
    let view = MemoryViewMut::new(&mut w).unwrap();
    assert!(!view.readonly());
}

#[test]
fn from_parts_checks_every_item() {
    let b = [0u8; 16];
    // Exactly fits: items at 0, 4, 8, 12.
    assert!(MemoryView::from_parts(&b, "i", &[4], None, 0).is_ok());
    // One byte too far.
    let e = MemoryView::from_parts(&b, "i", &[4], None, 1).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BufferError);
    // Negative stride from the end: items at 12, 8, 4, 0.
    let v = MemoryView::from_parts(&b, "i", &[4], Some(&[-4]), 12).unwrap();
    assert_eq!(v.offset(), 12);
    // Negative stride reaching below 0.
    assert!(MemoryView::from_parts(&b, "i", &[4], Some(&[-4]), 8).is_err());
    // Zero stride: every item is the same bytes.
    let v = MemoryView::from_parts(&b, "B", &[100], Some(&[0]), 15).unwrap();
    assert_eq!(v.nbytes(), 100);
    // Empty shape with an offset at the end is fine, past the end is not.
    assert!(MemoryView::from_parts(&b, "B", &[0], None, 16).is_ok());
    assert!(MemoryView::from_parts(&b, "B", &[0], None, 17).is_err());
    // Mismatched strides, too many dimensions, overflow: errors, never panics.
    assert!(MemoryView::from_parts(&b, "B", &[2, 2], Some(&[1]), 0).is_err());
    assert_eq!(
        MemoryView::from_parts(&b, "B", &[1; 65], None, 0).unwrap_err(),
        err(
            ErrorKind::ValueError,
            "memoryview: number of dimensions must not exceed 64"
        )
    );
    assert!(MemoryView::from_parts(&b, "B", &[usize::MAX, 2], Some(&[1, 1]), 0).is_err());
    assert!(MemoryView::from_parts(&b, "B", &[2], Some(&[isize::MAX]), 0).is_err());
    assert!(MemoryView::from_parts(&b, "B", &[3], Some(&[isize::MIN]), 15).is_err());
    assert!(MemoryView::from_parts(&b, "Q", &[2, 2], Some(&[isize::MAX / 2, 8]), 0).is_err());
    // A format the parser rejects.
    assert!(MemoryView::from_parts(&b, "4", &[1], None, 0).is_err());
}

#[test]
fn contiguity_follows_cpython() {
    let b = [0u8; 8];
    let v = MemoryView::from_bytes(&b);
    // memoryview(bytes(8))[::2]: neither
    let s = v.slice(Slice::FULL.step_by(2)).unwrap();
    assert!(!s.c_contiguous() && !s.f_contiguous() && !s.contiguous());
    // [::2][0:0]: shape (0,), stride 2 -> CPython says not contiguous (1-d rule)
    let e = s.slice(Slice::from(0..0)).unwrap();
    assert_eq!(
        (e.shape(), e.byte_strides()),
        (&[0usize][..], &[2isize][..])
    );
    assert!(!e.contiguous());
    // cast('B', [4, 2])[::-1]: not C-contiguous
    let m = v.cast("B", Some(&[4, 2])).unwrap();
    let r = m.slice(Slice::FULL.step_by(-1)).unwrap();
    assert!(!r.c_contiguous());
    // cast('B', [1, 8])[::-1]: length 1 dims are ignored -> C and F contiguous
    let m = v.cast("B", Some(&[1, 8])).unwrap();
    let r = m.slice(Slice::FULL.step_by(-1)).unwrap();
    assert_eq!(r.byte_strides(), &[-8, 1]);
    assert!(r.c_contiguous() && r.f_contiguous());
    // cast('B', [4, 2])[::2]: neither; tobytes('A') is C order of the items
    let m = v.cast("B", Some(&[4, 2])).unwrap();
    let r = m.slice(Slice::FULL.step_by(2)).unwrap();
    assert!(!r.contiguous());
    // 2-d with a zero dimension: contiguous whatever the strides
    let z = m.slice_axis(Axis(1), Slice::from(0..0)).unwrap();
    assert!(z.c_contiguous() && z.f_contiguous());
    // transposed: F-contiguous
    assert!(m.t().f_contiguous() && !m.t().c_contiguous());
}

#[test]
fn slicing_dim0_like_cpython() {
    let b = bytes6();
    let v = MemoryView::from_bytes(&b);
    // [5:1:-2] -> [5, 3], strides (-2,)
    let s = v.slice(Slice::new(Some(5), Some(1), -2)).unwrap();
    assert_eq!(s.tobytes(Order::C), [5, 3]);
    assert_eq!(s.byte_strides(), &[-2]);
    // [-100:100:3] -> [0, 3]
    let s = v.slice(Slice::new(Some(-100), Some(100), 3)).unwrap();
    assert_eq!(s.tobytes(Order::C), [0, 3]);
    // [::0] -> ValueError
    assert_eq!(
        v.slice(Slice::FULL.step_by(0)).unwrap_err(),
        err(ErrorKind::ValueError, "slice step cannot be zero")
    );
    // [::-1]
    assert_eq!(
        v.slice(Slice::FULL.step_by(-1)).unwrap().tobytes(Order::C),
        [5, 4, 3, 2, 1, 0]
    );
    // slicing a 0-d view
    let x = 1u8;
    let z = MemoryView::new(&x).unwrap();
    assert_eq!(
        z.slice(Slice::FULL).unwrap_err(),
        err(ErrorKind::TypeError, "invalid indexing of 0-dim memory")
    );
}

#[test]
fn sub_views_on_every_dimension() {
    let grid: [[u8; 3]; 2] = [[0, 1, 2], [3, 4, 5]];
    let v = MemoryView::new(&grid).unwrap();
    // numpy: a[1] -> [3, 4, 5]
    assert_eq!(v.index(1).unwrap().tobytes(Order::C), [3, 4, 5]);
    // a[:, -1] -> [2, 5]
    assert_eq!(v.sub(&index![.., -1]).unwrap().tobytes(Order::C), [2, 5]);
    // a[::-1, ::2] -> [[3, 5], [0, 2]]
    let w = v.sub(&index![..;-1, ..;2]).unwrap();
    assert_eq!(w.shape(), &[2, 2]);
    assert_eq!(w.tobytes(Order::C), [3, 5, 0, 2]);
    assert_eq!(w.tobytes(Order::F), [3, 0, 5, 2]);
    // a[1, 2] -> 0-d
    let item = v.sub(&[AxisIndex::Index(1), AxisIndex::Index(2)]).unwrap();
    assert_eq!((item.ndim(), item.tobytes(Order::C)), (0, vec![5]));
    // out of bounds, CPython's messages
    assert_eq!(
        v.sub(&index![0, 3]).unwrap_err(),
        err(ErrorKind::IndexError, "index out of bounds on dimension 2")
    );
    assert_eq!(
        v.sub(&index![-3]).unwrap_err(),
        err(ErrorKind::IndexError, "index out of bounds on dimension 1")
    );
    assert_eq!(
        v.sub(&index![0, 0, 0]).unwrap_err(),
        err(
            ErrorKind::TypeError,
            "cannot index 2-dimension view with 3-element tuple"
        )
    );
    // an empty slice of one axis, then an index on another
    let e = v.sub(&index![0..0, 1]).unwrap();
    assert_eq!(e.shape(), &[0]);
    assert!(e.tobytes(Order::C).is_empty());
}

#[test]
fn transpose_and_permute() {
    let cube: [[[u8; 2]; 3]; 2] = [[[0, 1], [2, 3], [4, 5]], [[6, 7], [8, 9], [10, 11]]];
    let v = MemoryView::new(&cube).unwrap();
    let p = v.permute_axes(&[2, 0, 1]).unwrap();
    assert_eq!(p.shape(), &[2, 2, 3]);
    assert_eq!(p.tobytes(Order::C), [0, 2, 4, 6, 8, 10, 1, 3, 5, 7, 9, 11]);
    assert_eq!(v.t().tobytes(Order::C), v.tobytes(Order::F));
    assert!(v.permute_axes(&[0, 1]).is_err());
    assert!(v.permute_axes(&[0, 1, 3]).is_err());
}

#[test]
fn tobytes_orders() {
    let b = bytes6();
    let v = MemoryView::from_bytes(&b);
    let m = v.cast("B", Some(&[2, 3])).unwrap();
    // tobytes('F') of cast('B', [2, 3])
    assert_eq!(m.tobytes(Order::F), [0, 3, 1, 4, 2, 5]);
    assert_eq!(m.tobytes(Order::A), [0, 1, 2, 3, 4, 5]);
    // the transpose is F-contiguous: 'A' gives its physical memory
    assert_eq!(m.t().tobytes(Order::A), [0, 1, 2, 3, 4, 5]);
    assert_eq!(m.t().tobytes(Order::C), [0, 3, 1, 4, 2, 5]);
    assert_eq!(
        "X".parse::<Order>().unwrap_err(),
        err(ErrorKind::ValueError, "order must be 'C', 'F' or 'A'")
    );
}

#[test]
fn hex_like_cpython() {
    let v = MemoryView::from_bytes(b"abcdef");
    assert_eq!(v.hex(None, 1).unwrap(), "616263646566");
    assert_eq!(v.hex(Some(":"), 0).unwrap(), "616263646566");
    assert_eq!(v.hex(Some(":"), 2).unwrap(), "6162:6364:6566");
    assert_eq!(v.hex(Some(":"), -4).unwrap(), "61626364:6566");
    assert_eq!(v.hex(Some("-"), 4).unwrap(), "6162-63646566");
    assert_eq!(v.hex(Some("-"), 100).unwrap(), "616263646566");
    assert_eq!(
        v.hex(Some(""), 1).unwrap_err(),
        err(ErrorKind::ValueError, "sep must be length 1.")
    );
    assert_eq!(
        v.hex(Some("é"), 1).unwrap_err(),
        err(ErrorKind::ValueError, "sep must be ASCII.")
    );
    assert_eq!(MemoryView::from_bytes(b"").hex(Some(":"), 1).unwrap(), "");
    // strided: C order of the items
    let b = bytes6();
    let m = MemoryView::from_bytes(&b);
    let m = m.cast("B", Some(&[2, 3])).unwrap();
    assert_eq!(m.hex(Some("-"), 4).unwrap(), "0001-02030405");
    assert_eq!(m.t().hex(None, 1).unwrap(), "000301040205");
}

#[test]
fn cast_rules_and_messages() {
    let b = [0u8; 8];
    let v = MemoryView::from_bytes(&b);
    let te = |m: &str| err(ErrorKind::TypeError, m);
    let ve = |m: &str| err(ErrorKind::ValueError, m);
    assert_eq!(v.cast("d", None).unwrap().shape(), &[1]);
    assert_eq!(v.cast("@B", None).unwrap().format(), "@B");
    // 'e' is a destination, as since CPython 3.12 (3.11 refuses it as not native).
    let halves = v.cast("@e", Some(&[2, 2])).unwrap();
    assert_eq!(
        (halves.format(), halves.itemsize(), halves.shape()),
        ("@e", 2, &[2usize, 2][..])
    );
    assert_eq!(
        halves.cast("e", None).unwrap_err(),
        te("memoryview: cannot cast between two non-byte formats")
    );
    assert_eq!(
        v.cast("<h", None).unwrap_err(),
        ve("memoryview: destination format must be a native single character format prefixed with an optional '@'")
    );
    assert_eq!(
        v.cast("5B", None).unwrap_err(),
        ve("memoryview: destination format must be a native single character format prefixed with an optional '@'")
    );
    assert_eq!(
        v.cast("d", None).unwrap().cast("h", None).unwrap_err(),
        te("memoryview: cannot cast between two non-byte formats")
    );
    assert_eq!(
        v.cast("h", Some(&[2, 4])).unwrap_err(),
        te("memoryview: product(shape) * itemsize != buffer size")
    );
    assert_eq!(
        v.cast("B", Some(&[0, 8])).unwrap_err(),
        ve("memoryview.cast(): elements of shape must be integers > 0")
    );
    assert_eq!(
        v.cast("B", Some(&[1; 65])).unwrap_err(),
        ve("memoryview: number of dimensions must not exceed 64")
    );
    let m = v.cast("B", Some(&[2, 2, 2])).unwrap();
    assert_eq!(
        m.cast("B", Some(&[4, 2])).unwrap_err(),
        te("memoryview: cast must be 1D -> ND or ND -> 1D")
    );
    assert_eq!(m.cast("B", Some(&[8])).unwrap().shape(), &[8]);
    assert_eq!(m.cast("c", None).unwrap().shape(), &[8]);
    assert_eq!(
        v.cast("B", Some(&[4, 2]))
            .unwrap()
            .slice(Slice::FULL.step_by(2))
            .unwrap()
            .cast("B", None)
            .unwrap_err(),
        te("memoryview: casts are restricted to C-contiguous views")
    );
    assert_eq!(
        MemoryView::from_parts(&b, "B", &[7], None, 0)
            .unwrap()
            .cast("d", None)
            .unwrap_err(),
        te("memoryview: length is not a multiple of itemsize")
    );
    // zeros in the shape
    let e = v.slice(Slice::from(0..0)).unwrap();
    assert_eq!(e.cast("B", None).unwrap().shape(), &[0]);
    assert_eq!(
        e.cast("B", Some(&[1])).unwrap_err(),
        te("memoryview: cannot cast view with zeros in shape or strides")
    );
    // 0-d: from a 1-byte view, and back
    let one = MemoryView::from_bytes(b"a");
    let z = one.cast("B", Some(&[])).unwrap();
    assert_eq!(
        (z.ndim(), z.shape(), z.byte_strides()),
        (0, &[][..], &[][..])
    );
    assert_eq!(z.cast("B", None).unwrap().shape(), &[1]);
    assert_eq!(
        z.cast("B", Some(&[])).unwrap_err(),
        te("memoryview: cast must be 1D -> ND or ND -> 1D")
    );
    assert_eq!(
        v.cast("B", Some(&[])).unwrap_err(),
        te("memoryview: product(shape) * itemsize != buffer size")
    );
}

#[test]
fn hash_rules() {
    use std::hash::{BuildHasher, Hasher};
    let rs = std::collections::hash_map::RandomState::new();
    let hash = |v: &MemoryView<'_>| {
        let mut h = rs.build_hasher();
        v.try_hash(&mut h).map(|_| h.finish())
    };
    let b = bytes6();
    let v = MemoryView::from_bytes(&b);
    assert_eq!(hash(&v).unwrap(), rs.hash_one(&b[..]));
    // a strided view hashes its items in C order
    let s = v.slice(Slice::FULL.step_by(-2)).unwrap();
    assert_eq!(hash(&s).unwrap(), rs.hash_one(&[5u8, 3, 1][..]));
    assert_eq!(
        hash(&v.cast("c", None).unwrap()).unwrap(),
        rs.hash_one(&b[..])
    );
    assert_eq!(
        hash(&v.cast("h", None).unwrap()).unwrap_err(),
        err(
            ErrorKind::ValueError,
            "memoryview: hashing is restricted to formats 'B', 'b' or 'c'"
        )
    );
    let mut w = b;
    let wv = MemoryViewMut::from_bytes(&mut w);
    assert_eq!(
        wv.try_hash(&mut rs.build_hasher()).unwrap_err(),
        err(
            ErrorKind::ValueError,
            "cannot hash writable memoryview object"
        )
    );
    assert_eq!(wv.view().hash_value().unwrap(), v.hash_value().unwrap());
}

#[test]
fn slice_assignment() {
    let mut b = *b"abcdef";
    let mut v = MemoryViewMut::from_bytes(&mut b);
    v.assign_slice(Slice::from(1..3), &MemoryView::from_bytes(b"XY"))
        .unwrap();
    assert_eq!(
        v.assign_slice(Slice::from(1..3), &MemoryView::from_bytes(b"XYZ"))
            .unwrap_err(),
        err(
            ErrorKind::ValueError,
            "memoryview assignment: lvalue and rvalue have different structures"
        )
    );
    // `c` vs `B`: different formats
    let src = MemoryView::from_bytes(b"ab");
    let src = src.cast("c", None).unwrap();
    assert_eq!(
        v.assign_slice(Slice::from(0..2), &src).unwrap_err().kind(),
        ErrorKind::ValueError
    );
    // `@B` equals `B` for the structure test
    let src = MemoryView::from_bytes(b"PQ");
    let src = src.cast("@B", None).unwrap();
    v.assign_slice(Slice::from(4..), &src).unwrap();
    // reversed source
    let src = MemoryView::from_bytes(b"12");
    v.assign_slice(
        Slice::new(Some(1), None, -1),
        &src.slice(Slice::FULL.step_by(-1)).unwrap(),
    )
    .unwrap();
    drop(v);
    assert_eq!(&b, b"12YdPQ");

    // multi-dimensional: CPython's NotImplementedError, our per-axis assignment
    let mut grid = [[0u8; 2]; 2];
    let mut g = MemoryViewMut::new(&mut grid).unwrap();
    let src = [[1u8, 2]];
    assert_eq!(
        g.assign_slice(Slice::from(0..1), &MemoryView::new(&src).unwrap())
            .unwrap_err(),
        err(
            ErrorKind::NotImplementedError,
            "memoryview slice assignments are currently restricted to ndim = 1"
        )
    );
    g.assign_slice_axis(Axis(0), Slice::from(1..), &MemoryView::new(&src).unwrap())
        .unwrap();
    drop(g);
    assert_eq!(grid, [[0, 0], [1, 2]]);

    // read-only
    let ro = [0u8; 2];
    let mut r = MemoryView::from_bytes(&ro);
    assert_eq!(
        r.assign_slice(Slice::FULL, &MemoryView::from_bytes(b"ab"))
            .unwrap_err(),
        err(ErrorKind::TypeError, "cannot modify read-only memory")
    );
}

#[test]
fn typed_access() {
    let grid = [[1u32, 2, 3], [4, 5, 6]];
    let v = MemoryView::new(&grid).unwrap();
    assert_eq!(v.get_as::<u32>(&[1, 0]).unwrap(), 4);
    assert_eq!(v.as_slice::<u32>().unwrap(), &[1, 2, 3, 4, 5, 6]);
    assert_eq!(
        v.t().iter_as::<u32>().unwrap().collect::<Vec<_>>(),
        [1, 4, 2, 5, 3, 6]
    );
    assert!(v.as_slice::<i64>().is_err());
    assert!(v.get_as::<f32>(&[0, 0]).is_err());
    // unaligned items are copied, never referenced
    let raw = [0u8, 1, 0, 0, 0, 2, 0, 0, 0];
    let u = MemoryView::from_parts(&raw, "I", &[2], None, 1).unwrap();
    assert_eq!(
        u.iter_as::<u32>().unwrap().collect::<Vec<_>>(),
        [
            u32::from_ne_bytes([1, 0, 0, 0]),
            u32::from_ne_bytes([2, 0, 0, 0])
        ]
    );
    if raw.as_ptr() as usize % 4 != 3 {
        assert!(u.as_slice::<u32>().is_err());
        let e = u.get_ref_as::<u32>(&[0]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::BufferError);
        assert!(e.message().contains("byte offset 1"), "{}", e.message());
    }
    assert_eq!(v.get_ref_as::<u32>(&[1, 2]).unwrap(), &6);
}

#[test]
fn empty_views_with_huge_strides_do_not_overflow() {
    // An empty view may carry any strides; indexing its other axes must not overflow.
    let b = [0u8; 4];
    let v = MemoryView::from_parts(&b, "B", &[2, 0], Some(&[isize::MAX, 1]), 3).unwrap();
    assert_eq!(
        v.get(&[1, 0]).unwrap_err(),
        err(ErrorKind::IndexError, "index out of bounds on dimension 2")
    );
    let row = v.sub(&index![1]).unwrap();
    assert_eq!(row.shape(), &[0]);
    assert!(row.offset() <= 4);
    assert!(row.tobytes(Order::C).is_empty());
    let w = MemoryView::from_parts(&b, "B", &[0, 3], Some(&[1, isize::MIN]), 4).unwrap();
    let col = w.sub(&index![.., 2]).unwrap();
    assert_eq!(col.shape(), &[0]);
    assert_eq!(w.t().tobytes(Order::C), Vec::<u8>::new());
    assert!(w.cast("B", None).is_err());
}

#[test]
fn views_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<MemoryView<'static>>();
    check::<MemoryViewMut<'static>>();
}

#[test]
fn typed_iteration_next_fold_and_len_agree() {
    let grid: Vec<[u16; 5]> = (0..4)
        .map(|r| core::array::from_fn(|c| (r * 5 + c) as u16))
        .collect();
    let v = MemoryView::new(&grid).unwrap();
    // rows reversed, every other column: several rows, strided inner dimension
    let w = v.sub(&index![..;-1, ..;2]).unwrap();
    let all: Vec<u16> = w.iter_as::<u16>().unwrap().collect();
    assert_eq!(all, [15, 17, 19, 10, 12, 14, 5, 7, 9, 0, 2, 4]);
    for k in 0..all.len() {
        // k items by `next`, the rest by `fold` (through `sum`)
        let mut it = w.iter_as::<u16>().unwrap();
        assert_eq!(it.len(), all.len());
        let head: Vec<u16> = it.by_ref().take(k).collect();
        assert_eq!(head, all[..k]);
        assert_eq!(it.len(), all.len() - k);
        let rest: u32 = it.map(u32::from).sum();
        assert_eq!(rest, all[k..].iter().map(|&x| u32::from(x)).sum::<u32>());
    }
    // contiguous rows take the aligned-slice path of `fold`
    let sum: u32 = v.iter_as::<u16>().unwrap().map(u32::from).sum();
    assert_eq!(sum, (0..20).sum::<u32>());
    // a 0-d view yields its item once
    let x = 9u16;
    assert_eq!(
        MemoryView::new(&x)
            .unwrap()
            .iter_as::<u16>()
            .unwrap()
            .collect::<Vec<_>>(),
        [9]
    );
}
