//! Items of `MemoryView` as values: indexing, writes, `tolist`, equality across formats,
//! struct formats, field projection, typed access checked by layout. Expected values and
//! messages were measured on CPython 3.11 (the comment gives the Python expression) where
//! CPython supports the operation.

use buffer_runtime::index;
use buffer_runtime::view::Axis;
use buffer_runtime::view::{
    values_equal, ErrorKind, Fields, MemoryView, MemoryViewMut, Order, Slice, Value, ViewError,
};

fn err(kind: ErrorKind, msg: &str) -> ViewError {
    ViewError::new(kind, msg.to_string())
}

fn arr(v: Vec<Value>) -> Value {
    Value::Array(v)
}

#[test]
fn get_native_formats() {
    let v = [1u8, 2, 255];
    let view = MemoryView::new(&v).unwrap();
    assert_eq!(view.get(&[-1]).unwrap(), Value::UInt(255));
    assert_eq!(
        view.get(&[3]).unwrap_err(),
        err(ErrorKind::IndexError, "index out of bounds on dimension 1")
    );
    assert_eq!(
        view.get(&[-4]).unwrap_err(),
        err(ErrorKind::IndexError, "index out of bounds on dimension 1")
    );
    // memoryview(b'\x01\x02\xff').cast('b').tolist() == [1, 2, -1]
    let b = view.cast("b", None).unwrap();
    assert_eq!(
        b.tolist().unwrap(),
        arr(vec![Value::Int(1), Value::Int(2), Value::Int(-1)])
    );
    // .cast('c')[0] == b'\x01'
    assert_eq!(
        view.cast("c", None).unwrap().get(&[0]).unwrap(),
        Value::Bytes(vec![1])
    );
    // .cast('?') reads 255 as True
    assert_eq!(
        view.cast("?", None).unwrap().get(&[2]).unwrap(),
        Value::Bool(true)
    );
    let q = [u64::MAX];
    assert_eq!(
        MemoryView::new(&q).unwrap().tolist().unwrap(),
        arr(vec![Value::UInt(u64::MAX)])
    );
    let d = [1.5f64, -0.0];
    assert_eq!(
        MemoryView::new(&d).unwrap().get(&[0]).unwrap(),
        Value::Float(1.5)
    );
}

#[test]
fn index_errors_follow_cpython() {
    let b = [0u8; 4];
    let v = MemoryView::from_bytes(&b);
    let m = v.cast("B", Some(&[2, 2])).unwrap();
    // m[0, 0, 0]
    assert_eq!(
        m.get(&[0, 0, 0]).unwrap_err(),
        err(
            ErrorKind::TypeError,
            "cannot index 2-dimension view with 3-element tuple"
        )
    );
    // m[5, 0]
    assert_eq!(
        m.get(&[5, 0]).unwrap_err(),
        err(ErrorKind::IndexError, "index out of bounds on dimension 1")
    );
    // m[0, 5]
    assert_eq!(
        m.get(&[0, 5]).unwrap_err(),
        err(ErrorKind::IndexError, "index out of bounds on dimension 2")
    );
    // m[0,] and m[()]
    let sub = err(
        ErrorKind::NotImplementedError,
        "sub-views are not implemented",
    );
    assert_eq!(m.get(&[0]).unwrap_err(), sub);
    assert_eq!(m.get(&[]).unwrap_err(), sub);
    // 0-d: z[()] is the item, z[0] a TypeError
    let one = [7u8];
    let z = MemoryView::from_bytes(&one);
    let z = z.cast("B", Some(&[])).unwrap();
    assert_eq!(z.get(&[]).unwrap(), Value::UInt(7));
    assert_eq!(z.tolist().unwrap(), Value::UInt(7));
    assert_eq!(
        z.get(&[0]).unwrap_err(),
        err(ErrorKind::TypeError, "invalid indexing of 0-dim memory")
    );
}

#[test]
fn writes_with_cpython_checks() {
    let mut raw = [0u8; 16];
    let mut m = MemoryViewMut::from_bytes(&mut raw);
    let mut h = m.cast_mut("h", None).unwrap();
    h.set(&[0], &Value::Int(-2)).unwrap();
    assert_eq!(
        h.set(&[0], &Value::Int(1 << 20)).unwrap_err(),
        err(
            ErrorKind::ValueError,
            "memoryview: invalid value for format 'h'"
        )
    );
    assert_eq!(
        h.set(&[0], &Value::Float(1.5)).unwrap_err(),
        err(
            ErrorKind::TypeError,
            "memoryview: invalid type for format 'h'"
        )
    );
    assert_eq!(h.get(&[0]).unwrap(), Value::Int(-2));
    drop(h);
    let mut q = m.cast_mut("q", None).unwrap();
    q.set(&[1], &Value::Int(i64::MIN)).unwrap();
    assert_eq!(q.get(&[1]).unwrap(), Value::Int(i64::MIN));
    // Q accepts True (an integer)
    let mut uq = m.cast_mut("Q", None).unwrap();
    uq.set(&[0], &Value::Bool(true)).unwrap();
    assert_eq!(uq.get(&[0]).unwrap(), Value::UInt(1));
    assert_eq!(
        uq.set(&[0], &Value::Int(-1)).unwrap_err(),
        err(
            ErrorKind::ValueError,
            "memoryview: invalid value for format 'Q'"
        )
    );
    // c takes bytes of length 1
    let mut c = m.cast_mut("c", None).unwrap();
    assert_eq!(
        c.set(&[0], &Value::Int(1)).unwrap_err(),
        err(
            ErrorKind::TypeError,
            "memoryview: invalid type for format 'c'"
        )
    );
    assert_eq!(
        c.set(&[0], &Value::Bytes(b"ab".to_vec())).unwrap_err(),
        err(
            ErrorKind::ValueError,
            "memoryview: invalid value for format 'c'"
        )
    );
    c.set(&[15], &Value::Bytes(b"z".to_vec())).unwrap();
    // ? takes any truth value: m[0] = 2.5 stores 1
    let mut bl = m.cast_mut("?", None).unwrap();
    bl.set(&[2], &Value::Float(2.5)).unwrap();
    assert_eq!(bl.get(&[2]).unwrap(), Value::Bool(true));
    // f narrows like C: 1e300 -> inf
    let mut f = m.cast_mut("f", None).unwrap();
    f.set(&[2], &Value::Float(1e300)).unwrap();
    assert_eq!(f.get(&[2]).unwrap(), Value::Float(f64::INFINITY));
    // e: too large for a half is CPython's ValueError (pack_single converts OverflowError)
    let mut e = m.cast_mut("B", Some(&[16])).unwrap();
    let mut e =
        MemoryViewMut::from_parts(e.as_slice_mut::<u8>().unwrap(), "e", &[8], None, 0).unwrap();
    assert_eq!(
        e.set(&[7], &Value::Float(1e10)).unwrap_err(),
        err(
            ErrorKind::ValueError,
            "memoryview: invalid value for format 'e'"
        )
    );
    let mut half = [0u8; 2];
    let mut le = MemoryViewMut::from_parts(&mut half, "<e", &[1], None, 0).unwrap();
    assert_eq!(
        le.set(&[0], &Value::Float(1e10)).unwrap_err().kind(),
        ErrorKind::OverflowError
    );
    drop(e);
    // d rejects bytes
    let mut d = m.cast_mut("d", None).unwrap();
    assert_eq!(
        d.set(&[0], &Value::Bytes(b"x".to_vec())).unwrap_err(),
        err(
            ErrorKind::TypeError,
            "memoryview: invalid type for format 'd'"
        )
    );
    drop(d);
    drop(m);
    assert_eq!(raw[15], b'z');
    assert_eq!(raw[2], 1);

    // 0-d: z[()] = 300 is out of range for B
    let mut one = [0u8];
    let mut z = MemoryViewMut::from_bytes(&mut one);
    let mut z = z.cast_mut("B", Some(&[])).unwrap();
    assert_eq!(
        z.set(&[], &Value::Int(300)).unwrap_err(),
        err(
            ErrorKind::ValueError,
            "memoryview: invalid value for format 'B'"
        )
    );
    assert_eq!(
        z.set(&[0], &Value::Int(3)).unwrap_err(),
        err(ErrorKind::TypeError, "invalid indexing of 0-dim memory")
    );
    z.set(&[], &Value::Int(3)).unwrap();
    drop(z);
    assert_eq!(one, [3]);

    // read-only: checked before the index
    let ro = [0u8; 2];
    let mut r = MemoryView::from_bytes(&ro);
    assert_eq!(
        r.set(&[9], &Value::Int(1)).unwrap_err(),
        err(ErrorKind::TypeError, "cannot modify read-only memory")
    );
}

#[test]
fn equality_by_value() {
    let i = [1i32, 2, 3];
    let h = [1i16, 2, 3];
    let d = [1.0f64, 2.0, 3.0];
    let vi = MemoryView::new(&i).unwrap();
    let vh = MemoryView::new(&h).unwrap();
    let vd = MemoryView::new(&d).unwrap();
    // memoryview(array('i', ...)) == memoryview(array('h', ...)) == ... 'd'
    assert!(vi == vh && vh == vd && vd == vi);
    // different shapes
    assert!(vi != vh.slice(Slice::from(..2)).unwrap());
    // b vs B: -1 != 255
    let sb = [-1i8];
    let ub = [255u8];
    assert!(MemoryView::new(&sb).unwrap() != MemoryView::new(&ub).unwrap());
    // c vs B: bytes are not numbers
    let bytes = MemoryView::from_bytes(b"\x01\x02");
    assert!(bytes.cast("c", None).unwrap() != bytes);
    // NaN != NaN, 0.0 == -0.0, but their bytes differ
    let nan = [f64::NAN];
    let vn = MemoryView::new(&nan).unwrap();
    assert!(vn != vn);
    let (z, nz) = ([0.0f64], [-0.0f64]);
    let (vz, vnz) = (MemoryView::new(&z).unwrap(), MemoryView::new(&nz).unwrap());
    assert!(vz == vnz);
    assert!(vz.cast("B", None).unwrap() != vnz.cast("B", None).unwrap());
    // 0-d vs 1-d with the same item: shapes differ
    let one = [1u8];
    let v1 = MemoryView::new(&one).unwrap();
    assert!(v1.cast("B", Some(&[])).unwrap() != v1);
    // shape (1, 2) vs (2, 1)
    let two = MemoryView::from_bytes(b"\x00\x01");
    assert!(two.cast("B", Some(&[1, 2])).unwrap() != two.cast("B", Some(&[2, 1])).unwrap());
    // zero-length views with equal shapes up to the zero are equal
    let g = [[0u8; 3]; 2];
    let vg = MemoryView::new(&g).unwrap();
    let a = vg.sub(&index![0..0]).unwrap();
    let b = vg.t().into_sub(&index![0..0]).unwrap();
    assert_eq!((a.shape(), b.shape()), (&[0usize, 3][..], &[0usize, 2][..]));
    assert!(a == b);
    // strided views compare their items, not their memory
    let x = [1u8, 9, 2, 9, 3];
    let y = [1u8, 2, 3];
    let vx = MemoryView::new(&x).unwrap();
    assert!(vx.slice(Slice::FULL.step_by(2)).unwrap() == MemoryView::new(&y).unwrap());
    // a writable and a read-only view compare too
    let mut w = [1u8, 2, 3];
    let vw = MemoryViewMut::new(&mut w).unwrap();
    assert!(vw == MemoryView::new(&y).unwrap());
}

#[test]
fn values_equal_numbers_and_sequences() {
    assert!(values_equal(&Value::Bool(true), &Value::Int(1)));
    assert!(values_equal(&Value::UInt(3), &Value::Float(3.0)));
    assert!(!values_equal(&Value::UInt(3), &Value::Float(3.5)));
    assert!(values_equal(&Value::Complex(2.0, 0.0), &Value::Int(2)));
    assert!(!values_equal(&Value::Complex(2.0, 1.0), &Value::Int(2)));
    assert!(values_equal(&Value::UInt(u64::MAX), &Value::UInt(u64::MAX)));
    // 2**63 as a float equals the integer 2**63 exactly
    assert!(values_equal(
        &Value::UInt(1 << 63),
        &Value::Float(9223372036854775808.0)
    ));
    assert!(!values_equal(
        &Value::UInt((1 << 63) + 1),
        &Value::Float(9223372036854775808.0)
    ));
    assert!(values_equal(
        &Value::Array(vec![Value::Int(1), Value::Int(2)]),
        &Value::Struct(vec![(None, Value::UInt(1)), (Some("b".into()), Value::Int(2))].into())
    ));
    assert!(!values_equal(&Value::Bytes(vec![1]), &Value::UInt(1)));
    // memoryview(array('L', [8])).cast('B').cast('P') == memoryview(array('L', [8]))
    assert!(values_equal(&Value::Pointer(8), &Value::UInt(8)));
    let l = [8u64];
    let vl = MemoryView::new(&l).unwrap();
    assert!(vl.cast("B", None).unwrap().cast("P", None).unwrap() == vl);
}

#[test]
fn struct_items_and_fields() {
    // Two records T{<H:id: 2x <d:price: <(2)h:pos:}: 16 bytes each.
    let mut raw = Vec::new();
    for (id, price, pos) in [(1u16, 1.5f64, [3i16, -4]), (2, -2.25, [5, 6])] {
        raw.extend_from_slice(&id.to_le_bytes());
        raw.extend_from_slice(&[0, 0]);
        raw.extend_from_slice(&price.to_le_bytes());
        raw.extend_from_slice(&pos[0].to_le_bytes());
        raw.extend_from_slice(&pos[1].to_le_bytes());
    }
    let fmt = "T{<H:id:2x<d:price:(2)<h:pos:}";
    let table = MemoryView::from_parts(&raw, fmt, &[2], None, 0).unwrap();
    assert_eq!(table.itemsize(), 16);
    let first = table.get(&[0]).unwrap();
    assert_eq!(first.field("id"), Some(&Value::UInt(1)));
    assert_eq!(first.field("price"), Some(&Value::Float(1.5)));
    assert_eq!(
        first.field("pos"),
        Some(&arr(vec![Value::Int(3), Value::Int(-4)]))
    );
    // field projection: a strided view of one field
    let price = table.field("price").unwrap();
    assert_eq!(
        (price.format(), price.offset(), price.byte_strides()),
        ("<d", 4, &[16isize][..])
    );
    assert_eq!(
        price.tolist().unwrap(),
        arr(vec![Value::Float(1.5), Value::Float(-2.25)])
    );
    assert_eq!(
        price.iter_as::<f64>().unwrap().collect::<Vec<_>>(),
        [1.5, -2.25]
    );
    // a sub-array field: its dimension is added, as numpy's `a['pos']` adds it
    let pos = table.field("pos").unwrap();
    assert_eq!(
        (pos.itemsize(), pos.offset(), pos.shape()),
        (2, 12, &[2, 2][..])
    );
    assert_eq!(
        pos.index_axis(Axis(0), 1).unwrap().tolist().unwrap(),
        arr(vec![Value::Int(5), Value::Int(6)])
    );
    // reversed, then projected
    let rev = table.slice(Slice::FULL.step_by(-1)).unwrap();
    assert_eq!(
        rev.field("id").unwrap().tolist().unwrap(),
        arr(vec![Value::UInt(2), Value::UInt(1)])
    );
    assert_eq!(
        table.field("nope").unwrap_err().kind(),
        ErrorKind::ValueError
    );
    assert_eq!(price.field("x").unwrap_err().kind(), ErrorKind::ValueError);
    // the table equals a copy of itself (CPython says False: struct cannot parse T{})
    let copy = raw.clone();
    let table2 = MemoryView::from_parts(&copy, fmt, &[2], None, 0).unwrap();
    assert!(table == table2);

    // writes through a field view, with range checks
    let mut raw2 = raw.clone();
    let mut t = MemoryViewMut::from_parts(&mut raw2, fmt, &[2], None, 0).unwrap();
    let mut ids = t.field_mut("id").unwrap();
    ids.set(&[1], &Value::UInt(700)).unwrap();
    assert_eq!(
        ids.set(&[0], &Value::Int(-1)).unwrap_err().kind(),
        ErrorKind::ValueError
    );
    t.set(
        &[0],
        &Value::Struct(Fields::unnamed(vec![
            Value::UInt(9),
            Value::Float(0.5),
            arr(vec![Value::Int(1), Value::Int(2)]),
        ])),
    )
    .unwrap();
    drop(t);
    assert_eq!(&raw2[16..18], &700u16.to_le_bytes());
    assert_eq!(&raw2[0..2], &9u16.to_le_bytes());
    assert_eq!(&raw2[4..12], &0.5f64.to_le_bytes());
}

#[test]
fn other_formats_beyond_cpython() {
    // big-endian ints, halves, complex, strings
    let raw = [0x01u8, 0x02, 0x00, 0x3c, 0, 0, 0x80, 0x3f, 0, 0, 0, 0x40];
    let be = MemoryView::from_parts(&raw, ">H", &[1], None, 0).unwrap();
    assert_eq!(be.get(&[0]).unwrap(), Value::UInt(0x0102));
    let e = MemoryView::from_parts(&raw, "<e", &[1], None, 2).unwrap();
    assert_eq!(e.get(&[0]).unwrap(), Value::Float(1.0));
    let z = MemoryView::from_parts(&raw, "<Zf", &[], None, 4).unwrap();
    assert_eq!(z.get(&[]).unwrap(), Value::Complex(1.0, 2.0));
    let s = MemoryView::from_parts(b"abcdef", "3s", &[2], None, 0).unwrap();
    assert_eq!(
        s.tolist().unwrap(),
        arr(vec![
            Value::Bytes(b"abc".to_vec()),
            Value::Bytes(b"def".to_vec())
        ])
    );
    // a byte-swapped view equals a native one with the same numbers
    let native = [0x0102u16];
    assert!(be == MemoryView::new(&native).unwrap());
}

#[test]
fn typed_access_checked_by_layout() {
    let raw = 7i32.to_le_bytes();
    let le = MemoryView::from_parts(&raw, "<i", &[1], None, 0).unwrap();
    if cfg!(target_endian = "little") {
        assert_eq!(le.get_as::<i32>(&[0]).unwrap(), 7);
    }
    let e = le.get_as::<u32>(&[0]).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ValueError);
    assert!(e.message().contains("expected 'I'"), "{}", e.message());
    assert!(e.message().contains("at offset 0"), "{}", e.message());
    let be = MemoryView::from_parts(&raw, ">i", &[1], None, 0).unwrap();
    assert!(be.get_as::<i32>(&[0]).is_err() == cfg!(target_endian = "little"));
    // zerocopy's byte-order types describe byte-swapped formats
    use buffer_runtime::zerocopy::byteorder::{BigEndian, I32};
    let big = [0u8, 0, 1, 0];
    let vb = MemoryView::from_parts(&big, ">i", &[1], None, 0).unwrap();
    assert_eq!(vb.get_as::<I32<BigEndian>>(&[0]).unwrap().get(), 256);
}

#[test]
fn tolist_shapes() {
    let cube = [[[1u8, 2], [3, 4]], [[5, 6], [7, 8]]];
    let v = MemoryView::new(&cube).unwrap();
    let u = Value::UInt;
    assert_eq!(
        v.sub(&index![.., 1]).unwrap().tolist().unwrap(),
        arr(vec![arr(vec![u(3), u(4)]), arr(vec![u(7), u(8)])])
    );
    // np.zeros((2, 0)).tolist() == [[], []]
    let e = v.sub(&index![.., 0, 0..0]).unwrap();
    assert_eq!(e.tolist().unwrap(), arr(vec![arr(vec![]), arr(vec![])]));
    assert_eq!(v.sub(&index![0..0]).unwrap().tolist().unwrap(), arr(vec![]));
    let collected: Vec<Value> = v.values().collect::<Result<_, _>>().unwrap();
    assert_eq!(collected, (1..=8).map(u).collect::<Vec<_>>());
    assert_eq!(v.tobytes(Order::C), [1, 2, 3, 4, 5, 6, 7, 8]);
}
