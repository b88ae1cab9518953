//! The shared storage kinds (`SharedView`, `SharedViewMut`) against the reference kinds
//! (`MemoryView`, `MemoryViewMut`): the same layout over the same bytes must give the same
//! result for every operation, reads and writes, though one borrows and the other copies.

use buffer_runtime::view::Axis;
use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;

use buffer_runtime::format::Value;
use buffer_runtime::view::{
    MemoryView, MemoryViewMut, Order, Shared, SharedMut, SharedView, SharedViewMut, Slice, ViewBase,
};
use proptest::prelude::*;

/// Item formats of several sizes and kinds: bytes, a 3-byte run, little-endian and native
/// integers, floats (NaN compares unequal), a struct with named fields, booleans (not every
/// byte is one).
const FORMATS: &[&str] = &["B", "3s", "<H", "i", "d", "T{<H:a:B:b:B:c:}", "?"];

fn slice_strategy() -> impl Strategy<Value = Slice> {
    (
        proptest::option::of(-7isize..7),
        proptest::option::of(-7isize..7),
        prop_oneof![-3isize..0, 1isize..4],
    )
        .prop_map(|(a, b, c)| Slice::new(a, b, c))
}

/// A layout: format index, C-contiguous shape, then derivation steps (op, axis, slice, index).
type Ops = Vec<(u8, usize, Slice, isize)>;

fn layout_strategy() -> impl Strategy<Value = (usize, Vec<usize>, Ops)> {
    (
        0..FORMATS.len(),
        proptest::collection::vec(0usize..5, 0..4),
        proptest::collection::vec((any::<u8>(), 0usize..4, slice_strategy(), -5isize..5), 0..4),
    )
}

/// Applies the same derivation steps to any view (so both kinds go through their own
/// `into_slice_axis`, `into_index_axis`, `into_t`).
fn derive<S: buffer_runtime::view::Data>(mut v: ViewBase<S>, ops: &Ops) -> ViewBase<S> {
    for &(op, axis, s, i) in ops {
        if v.ndim() == 0 {
            break;
        }
        let axis = axis % v.ndim();
        v = match op % 3 {
            0 => v.into_slice_axis(Axis(axis), s).unwrap(),
            1 => {
                let n = v.shape()[axis] as isize;
                if n == 0 || v.ndim() == 1 {
                    continue;
                }
                v.into_index_axis(Axis(axis), i.rem_euclid(n)).unwrap()
            }
            _ => v.into_t(),
        };
    }
    v
}

fn itemsize_of(format: &str) -> usize {
    MemoryView::from_parts(&[0u8; 8], format, &[], None, 0)
        .unwrap()
        .itemsize()
}

/// Every full index of `shape` in C order.
fn c_indices(shape: &[usize]) -> Vec<Vec<isize>> {
    let mut out = vec![vec![]];
    for &n in shape {
        out = out
            .into_iter()
            .flat_map(|p| {
                (0..n as isize).map(move |i| {
                    let mut q = p.clone();
                    q.push(i);
                    q
                })
            })
            .collect();
    }
    out
}

fn dbg<T: std::fmt::Debug>(x: T) -> String {
    format!("{x:?}")
}

/// Everything a read-only view answers, as text (so NaNs and errors compare too).
fn reads<S: buffer_runtime::view::Data>(v: &ViewBase<S>) -> Vec<String> {
    let rs = RandomState::new();
    let mut out = vec![
        dbg((
            v.format(),
            v.itemsize(),
            v.shape(),
            v.byte_strides(),
            v.offset(),
        )),
        dbg((v.c_contiguous(), v.f_contiguous(), v.nbytes(), v.readonly())),
        dbg(v.tobytes(Order::C)),
        dbg(v.tobytes(Order::F)),
        dbg(v.tobytes(Order::A)),
        dbg(v.try_tobytes(Order::C)),
        dbg(v.hex(Some(":"), 2)),
        dbg(v.tolist()),
        dbg(v.values().collect::<Vec<_>>()),
        dbg(v.equals(v)),
        dbg(v.try_hash(&mut rs.build_hasher()).map(|_| ())),
        dbg(v.cast("B", None).map(|c| c.tobytes(Order::C))),
        dbg(v.t().tobytes(Order::C)),
        dbg(v.field("b").map(|f| f.tolist())),
    ];
    let mut appended = vec![1u8];
    v.write_bytes(Order::F, &mut appended);
    out.push(dbg(appended));
    for index in c_indices(v.shape()) {
        out.push(dbg(v.get(&index)));
    }
    out.push(dbg(v.get(&vec![0; v.ndim() + 1])));
    match v.format() {
        "B" => {
            out.push(dbg(v.get_as::<u8>(&vec![0; v.ndim()])));
            out.push(dbg(v.iter_as::<u8>().map(|i| i.collect::<Vec<_>>())));
        }
        "i" => {
            out.push(dbg(v.get_as::<i32>(&vec![-1; v.ndim()])));
            out.push(dbg(v.iter_as::<i32>().map(|i| i.collect::<Vec<_>>())));
            out.push(dbg(v.iter_as::<i32>().map(|i| {
                i.fold(0i64, |a, x| a.wrapping_mul(3).wrapping_add(x as i64))
            })));
        }
        "d" => {
            out.push(dbg(v
                .iter_as::<f64>()
                .map(|i| i.map(f64::to_bits).collect::<Vec<_>>())));
            out.push(dbg(v.iter_as::<f32>().map(|_| ())));
        }
        _ => {}
    }
    out
}

/// The results of every write, and the bytes after them.
fn writes<S: buffer_runtime::view::DataMut>(
    mut v: ViewBase<S>,
    src: &MemoryView<'_>,
    value: &Value,
) -> Vec<String> {
    let item = vec![0xa5u8; v.itemsize()];
    let mut out = vec![
        dbg(v.fill_bytes(&item)),
        dbg(v.fill(value)),
        dbg(v.copy_from(src)),
        dbg(v.copy_from(&SharedView::from(src.view()))),
        dbg(v.assign_slice(Slice::new(None, None, -1), src)),
        dbg(v.assign_slice_axis(Axis(0), Slice::FULL, src)),
    ];
    for index in c_indices(v.shape()).into_iter().step_by(2) {
        out.push(dbg(v.set(&index, value)));
    }
    if v.format() == "i" {
        out.push(dbg(v.set_as::<i32>(&vec![0; v.ndim()], -7)));
        out.push(dbg(v.for_each_mut::<i32>(|x| *x = x.wrapping_mul(3))));
        out.push(dbg(v
            .sub_mut(&[])
            .map(|mut s| s.set_as::<i32>(&vec![-1; s.ndim()], 9))));
    }
    if v.format() == "B" {
        out.push(dbg(v.cast_mut("B", None).map(|mut c| c.fill_bytes(&[3]))));
        let zero = vec![0; v.ndim()];
        out.push(dbg(v.t_mut().set_as::<u8>(&zero, 4)));
    }
    out.push(dbg(v.tobytes(Order::C)));
    out
}

fn bytes_for(seed: u64, n: usize) -> Vec<u8> {
    (0..n as u64)
        .map(|i| {
            let x = seed.wrapping_add(i).wrapping_mul(6364136223846793005);
            (x ^ (x >> 29))
                .wrapping_mul(1442695040888963407)
                .to_be_bytes()[0]
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn shared_views_read_as_reference_views((f, shape, ops) in layout_strategy(), seed in any::<u64>(), extra in 0usize..3) {
        let format = FORMATS[f];
        let count: usize = shape.iter().product();
        let len = count * itemsize_of(format) + extra;
        let bytes = bytes_for(seed, len);
        let r = derive(MemoryView::from_parts(&bytes, format, &shape, None, extra).unwrap(), &ops);
        let s = derive(SharedView::from_data(Shared::from(&bytes[..]), format, &shape, None, extra).unwrap(), &ops);
        prop_assert_eq!(reads(&r), reads(&s));
        // Mixed comparisons: shared against reference and back.
        prop_assert_eq!(r.equals(&s), r.equals(&r));
        prop_assert_eq!(s == r, r == r);
        // A writable view's read-only forms read the same.
        let mut b1 = bytes.clone();
        let mut b2 = bytes.clone();
        let rm = derive(MemoryViewMut::from_parts(&mut b1, format, &shape, None, extra).unwrap(), &ops);
        let sm = derive(SharedViewMut::from_data(SharedMut::from(&mut b2[..]), format, &shape, None, extra).unwrap(), &ops);
        prop_assert_eq!(reads(&rm.view()), reads(&sm.view()));
        prop_assert_eq!(reads(&rm.into_readonly()), reads(&sm.into_readonly()));
    }

    #[test]
    fn shared_views_write_as_reference_views((f, shape, ops) in layout_strategy(), seed in any::<u64>(), v in -300i64..300) {
        let format = FORMATS[f];
        let count: usize = shape.iter().product();
        let len = count * itemsize_of(format);
        let bytes = bytes_for(seed, len);
        let mut b1 = bytes.clone();
        let mut b2 = bytes.clone();
        let rm = derive(MemoryViewMut::from_parts(&mut b1, format, &shape, None, 0).unwrap(), &ops);
        let sm = derive(SharedViewMut::from_data(SharedMut::from(&mut b2[..]), format, &shape, None, 0).unwrap(), &ops);
        // A source of the destination's structure (reversed items of other bytes), so that the
        // copies succeed; values that fit some formats and not others.
        let src_bytes = bytes_for(seed ^ 1, rm.nbytes());
        let src = MemoryView::from_parts(&src_bytes, format, rm.shape(), None, 0).unwrap();
        let value = if format == "d" { Value::Float(v as f64 / 4.0) } else { Value::Int(v) };
        prop_assert_eq!(writes(rm, &src, &value), writes(sm, &src, &value));
        prop_assert_eq!(b1, b2);
    }
}

#[test]
fn read_only_shared_views_refuse_writes_as_cpython() {
    let mut b = *b"abc";
    let bytes = b;
    let mut s = SharedView::from(MemoryView::from_bytes(&bytes));
    let e = s.set_as::<u8>(&[0], 1).unwrap_err();
    assert_eq!(e.to_string(), "cannot modify read-only memory");
    assert_eq!(
        s.set(&[0], &Value::UInt(1)).unwrap_err().to_string(),
        "cannot modify read-only memory"
    );
    let src = MemoryView::from_bytes(b"xyz");
    assert_eq!(
        s.copy_from(&src).unwrap_err().to_string(),
        "cannot modify read-only memory"
    );
    // A writable shared view hashes as CPython refuses to.
    let w = SharedViewMut::from(MemoryViewMut::from_bytes(&mut b));
    let e = w
        .try_hash(&mut RandomState::new().build_hasher())
        .unwrap_err();
    assert_eq!(e.to_string(), "cannot hash writable memoryview object");
    assert_eq!(
        format!("{w:?}").split_whitespace().next(),
        Some("SharedViewMut")
    );
}

#[test]
fn shared_views_of_raw_parts_read_and_write_the_memory() {
    let mut raw = vec![0u8; 16];
    // SAFETY: `raw` outlives `view` and is accessed only through it meanwhile.
    let data = unsafe { SharedMut::from_raw_parts(raw.as_mut_ptr(), raw.len()) };
    let mut view = SharedViewMut::from_data(data, "<I", &[2, 2], None, 0).unwrap();
    view.set_as::<u32>(&[1, 0], 0x0403_0201u32.to_le()).unwrap();
    assert_eq!(view.get(&[1, 0]).unwrap(), Value::UInt(0x0403_0201));
    assert_eq!(view.underlying_len(), 16);
    drop(view);
    assert_eq!(raw[8..12], [1, 2, 3, 4]);
    // An empty region at a null pointer: allowed, never read.
    // SAFETY: zero bytes: nothing to be valid.
    let empty = unsafe { Shared::from_raw_parts(std::ptr::null(), 0) };
    let v = SharedView::from_data(empty, "d", &[0, 3], None, 0).unwrap();
    assert_eq!(v.tobytes(Order::C), Vec::<u8>::new());
    assert_eq!(v.tolist().unwrap(), Value::Array(vec![]));
    assert!(SharedView::from_data(empty, "d", &[1], None, 0).is_err());
}
