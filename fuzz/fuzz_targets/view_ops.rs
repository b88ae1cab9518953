//! Sequences of operations on a writable view built from arbitrary parts: every operation
//! answers `Ok` or `Err`, never panics or reads/writes outside the bytes, and cheap
//! invariants hold (`tobytes` has `nbytes` bytes, a cast to bytes and back keeps the bytes,
//! `hex` has two digits per byte, a slice of a view holds the items the indices name).
#![no_main]

mod common;

use arbitrary::Arbitrary;
use buffer_runtime::format::Value;
use buffer_runtime::view::Axis;
use buffer_runtime::view::{AxisIndex, MemoryView, MemoryViewMut, Order, Slice};
use common::{ArbValue, Fmt};
use libfuzzer_sys::fuzz_target;

/// A bound, step or index: mostly small, sometimes an integer extreme, so that the index
/// arithmetic meets the values overflow checks catch (`-isize::MIN` does not exist).
#[derive(Arbitrary, Debug, Clone, Copy)]
enum ArbInt {
    Small(i8),
    Extreme(u8),
}

impl ArbInt {
    fn get(self) -> isize {
        const EXTREMES: [isize; 8] = [
            isize::MIN,
            isize::MIN + 1,
            isize::MIN / 2,
            i32::MIN as isize - 1,
            i32::MAX as isize + 1,
            isize::MAX / 2 + 1,
            isize::MAX - 1,
            isize::MAX,
        ];
        match self {
            ArbInt::Small(n) => isize::from(n),
            ArbInt::Extreme(k) => EXTREMES[usize::from(k) % EXTREMES.len()],
        }
    }
}

#[derive(Arbitrary, Debug, Clone, Copy)]
struct ArbSlice {
    start: Option<ArbInt>,
    stop: Option<ArbInt>,
    step: ArbInt,
}

impl ArbSlice {
    fn slice(self) -> Slice {
        Slice::new(
            self.start.map(ArbInt::get),
            self.stop.map(ArbInt::get),
            self.step.get(),
        )
    }
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum ArbIndex {
    Index(ArbInt),
    Slice(ArbSlice),
}

#[derive(Arbitrary, Debug, Clone)]
enum Op {
    // Derive a view and run the rest of the operations on it.
    Slice(ArbSlice),
    SliceAxis(u8, ArbSlice),
    Sub(Vec<ArbIndex>),
    Index(ArbInt),
    Cast(Fmt, Option<Vec<u8>>),
    Field(String, u8),
    Transpose,
    Permute(Vec<u8>),
    // Operations on the current view.
    ToBytes(u8),
    ToList,
    Hex(Option<char>, ArbInt),
    Get(Vec<ArbInt>),
    Set(Vec<ArbInt>, ArbValue),
    SetBack(Vec<ArbInt>),
    Fill(ArbValue),
    AssignSlice(ArbSlice, ArbSlice),
    CopyFromSelf,
    Eq,
    Hash,
    CastRoundTrip,
}

#[derive(Arbitrary, Debug)]
struct Input {
    format: Fmt,
    shape: Vec<u8>,
    strides: Option<Vec<ArbInt>>,
    offset: u8,
    bytes: Vec<u8>,
    ops: Vec<Op>,
}

const MAX_BYTES: usize = 1 << 16;

fn field_name(view: &MemoryViewMut<'_>, name: &str, pick: u8) -> String {
    // Mostly a name the format has, so that projection is exercised.
    let names: Vec<String> = view
        .item_format()
        .layout()
        .fields()
        .iter()
        .filter_map(|f| f.name.clone())
        .collect();
    if names.is_empty() || pick % 4 == 0 {
        name.to_string()
    } else {
        names[pick as usize % names.len()].clone()
    }
}

fn isizes(v: &[ArbInt]) -> Vec<isize> {
    v.iter().map(|&x| x.get()).collect()
}

fn run(view: &mut MemoryViewMut<'_>, ops: &[Op], depth: usize) {
    let Some((op, rest)) = ops.split_first() else {
        return;
    };
    let nodes = common::list_nodes(view.shape())
        .saturating_add(1)
        .saturating_mul(common::value_nodes(view.item_format().layout()));
    if depth > 24 || view.nbytes() > MAX_BYTES || nodes > MAX_BYTES {
        return;
    }
    let nbytes = view.nbytes();
    match op {
        Op::Slice(s) => {
            let before = view.tolist();
            let len = view.shape().first().copied();
            if let Ok(mut v) = view.slice_mut(s.slice()) {
                // The slice holds exactly the items `indices` names.
                if let (Ok(Value::Array(all)), Ok(Value::Array(got)), Some(len)) =
                    (before, v.tolist(), len)
                {
                    let (start, _, step, n) = s.slice().indices(len).expect("slice accepted");
                    assert_eq!(got.len(), n);
                    for (k, item) in got.iter().enumerate() {
                        let i = start + k as isize * step;
                        assert!(common::same(item, &all[i as usize]), "item {k} of {s:?}");
                    }
                }
                run(&mut v, rest, depth + 1);
            }
            return;
        }
        Op::SliceAxis(axis, s) => {
            if let Ok(mut v) = view.slice_axis_mut(Axis(usize::from(*axis)), s.slice()) {
                run(&mut v, rest, depth + 1);
            }
            return;
        }
        Op::Sub(index) => {
            let index: Vec<AxisIndex> = index
                .iter()
                .map(|i| match *i {
                    ArbIndex::Index(k) => AxisIndex::Index(k.get()),
                    ArbIndex::Slice(s) => AxisIndex::Slice(s.slice()),
                })
                .collect();
            if let Ok(mut v) = view.sub_mut(&index) {
                run(&mut v, rest, depth + 1);
            }
            return;
        }
        Op::Index(i) => {
            if let Ok(mut v) = view.index_mut(i.get()) {
                run(&mut v, rest, depth + 1);
            }
            return;
        }
        Op::Cast(fmt, shape) => {
            let shape: Option<Vec<usize>> = shape
                .as_ref()
                .map(|s| s.iter().map(|&d| usize::from(d)).collect());
            if let Ok(mut v) = view.cast_mut(fmt.text(), shape.as_deref()) {
                assert_eq!(v.nbytes(), nbytes, "a cast keeps the bytes");
                run(&mut v, rest, depth + 1);
            }
            return;
        }
        Op::Field(name, pick) => {
            let name = field_name(view, name, *pick);
            if let Ok(mut v) = view.field_mut(&name) {
                run(&mut v, rest, depth + 1);
            }
            return;
        }
        Op::Transpose => {
            let mut v = view.t_mut();
            run(&mut v, rest, depth + 1);
            return;
        }
        Op::Permute(axes) => {
            let axes: Vec<usize> = axes.iter().map(|&a| usize::from(a)).collect();
            if let Ok(v) = view.permute_axes(&axes) {
                assert_eq!(v.nbytes(), nbytes);
            }
        }
        Op::ToBytes(o) => {
            let order = [Order::C, Order::F, Order::A][usize::from(*o) % 3];
            assert_eq!(view.tobytes(order).len(), nbytes);
        }
        Op::ToList => {
            if let Ok(list) = view.tolist() {
                match (view.ndim(), &list) {
                    (0, _) => {}
                    (_, Value::Array(items)) => assert_eq!(items.len(), view.shape()[0]),
                    (_, other) => panic!("tolist of a {}-d view gave {other:?}", view.ndim()),
                }
            }
        }
        Op::Hex(sep, n) => {
            let mut buf = [0u8; 4];
            let sep = sep.map(|c| &*c.encode_utf8(&mut buf));
            if let Ok(h) = view.hex(sep, n.get()) {
                if sep.is_none() || n.get() == 0 {
                    assert_eq!(h.len(), 2 * nbytes);
                }
            }
        }
        Op::Get(index) => {
            let _ = view.get(&isizes(index));
        }
        Op::Set(index, value) => {
            let _ = view.set(&isizes(index), &value.value());
        }
        Op::SetBack(index) => {
            // What an item holds can be written back, and reads back the same.
            let index = isizes(index);
            if let Ok(v) = view.get(&index) {
                view.set(&index, &v).unwrap_or_else(|e| {
                    panic!(
                        "{v:?} read from '{}' cannot be written back: {e}",
                        view.format()
                    )
                });
                let again = view.get(&index).unwrap();
                assert!(
                    common::same(&v, &again),
                    "'{}': {v:?} written back reads {again:?}",
                    view.format()
                );
            }
        }
        Op::Fill(value) => {
            let _ = view.fill(&value.value());
        }
        Op::AssignSlice(dst, src) => {
            // The source: a C-order copy of this view, sliced.
            let copy = view.tobytes(Order::C);
            if let Ok(whole) = MemoryView::from_parts(&copy, view.format(), view.shape(), None, 0) {
                assert_eq!(whole.tobytes(Order::C), copy);
                if let Ok(part) = whole.slice(src.slice()) {
                    let _ = view.assign_slice(dst.slice(), &part);
                }
            }
        }
        Op::CopyFromSelf => {
            let copy = view.tobytes(Order::C);
            let whole = MemoryView::from_parts(&copy, view.format(), view.shape(), None, 0)
                .expect("a C-order copy of a view is a valid view");
            view.copy_from(&whole)
                .expect("copying a view's own items into it");
            assert_eq!(view.tobytes(Order::C), copy);
        }
        Op::Eq => {
            let copy = view.tobytes(Order::C);
            if let Ok(whole) = MemoryView::from_parts(&copy, view.format(), view.shape(), None, 0) {
                // Equal by value is symmetric.
                assert_eq!(*view == whole, whole == *view);
            }
        }
        Op::Hash => {
            let _ = view.hash_value();
        }
        Op::CastRoundTrip => {
            let before = view.tobytes(Order::C);
            let format = view.format().to_string();
            let shape = view.shape().to_vec();
            if let Ok(bytes) = view.cast("B", None) {
                assert_eq!(bytes.tobytes(Order::C), before);
                if let Ok(back) = bytes.cast(&format, Some(&shape)) {
                    assert_eq!(back.tobytes(Order::C), before);
                    assert_eq!(back.shape(), &shape[..]);
                }
            }
        }
    }
    run(view, rest, depth + 1);
}

fuzz_target!(|input: Input| {
    let shape: Vec<usize> = input
        .shape
        .iter()
        .take(8)
        .map(|&d| usize::from(d % 9))
        .collect();
    let strides: Option<Vec<isize>> = input.strides.as_ref().map(|s| isizes(s));
    let mut bytes: Box<[u8]> = input.bytes.into_boxed_slice();
    let Ok(mut view) = MemoryViewMut::from_parts(
        &mut bytes,
        input.format.text(),
        &shape,
        strides.as_deref(),
        usize::from(input.offset),
    ) else {
        return;
    };
    run(&mut view, &input.ops, 0);
});
