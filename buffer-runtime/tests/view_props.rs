//! Property tests of `MemoryView` against simple reference models.

use buffer_runtime::view::Axis;
use buffer_runtime::view::{AxisIndex, MemoryView, Order, Slice};
use proptest::prelude::*;

/// Python's list slicing, written directly from the language reference (not through
/// `Slice::indices`).
fn model_slice(items: &[usize], s: Slice) -> Vec<usize> {
    let n = items.len() as isize;
    let norm = |b: isize| if b < 0 { b + n } else { b };
    let mut out = Vec::new();
    if s.step > 0 {
        let start = s.start.map_or(0, |b| norm(b).clamp(0, n));
        let stop = s.stop.map_or(n, |b| norm(b).clamp(0, n));
        let mut i = start;
        while i < stop {
            out.push(items[i as usize]);
            i += s.step;
        }
    } else {
        let start = s.start.map_or(n - 1, |b| norm(b).clamp(-1, n - 1));
        let stop = s.stop.map_or(-1, |b| norm(b).clamp(-1, n - 1));
        let mut i = start;
        while i > stop {
            out.push(items[i as usize]);
            i += s.step;
        }
    }
    out
}

fn slice_strategy() -> impl Strategy<Value = Slice> {
    (
        proptest::option::of(-25isize..25),
        proptest::option::of(-25isize..25),
        prop_oneof![-6isize..0, 1isize..7],
    )
        .prop_map(|(a, b, c)| Slice::new(a, b, c))
}

/// All full indices of `shape` in C order.
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

/// A view over `data` (u16 items) reached by a random chain of slices, indices and
/// transpositions from a C-contiguous shape.
fn derived_view<'a>(
    data: &'a [u16],
    shape: &[usize],
    ops: &[(u8, usize, Slice, isize)],
) -> MemoryView<'a> {
    let bytes = buffer_runtime::zerocopy::IntoBytes::as_bytes(data);
    let mut v = MemoryView::from_parts(bytes, "H", shape, None, 0).unwrap();
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

fn shape_strategy() -> impl Strategy<Value = Vec<usize>> {
    proptest::collection::vec(0usize..5, 0..4)
}

fn ops_strategy() -> impl Strategy<Value = Vec<(u8, usize, Slice, isize)>> {
    proptest::collection::vec((any::<u8>(), 0usize..4, slice_strategy(), -5isize..5), 0..4)
}

proptest! {
    #[test]
    fn slice_of_slice_equals_composed_slice(n in 0usize..20, a in slice_strategy(), b in slice_strategy()) {
        let data: Vec<u8> = (0..n as u8).collect();
        let view = MemoryView::from_bytes(&data);
        let twice = view.slice(a).unwrap().into_slice_axis(Axis(0), b).unwrap();
        let items: Vec<usize> = (0..n).collect();
        let expected: Vec<u8> = model_slice(&model_slice(&items, a), b).iter().map(|&i| i as u8).collect();
        prop_assert_eq!(twice.tobytes(Order::C), expected.clone());
        // The composed slice as one view: start1 + start2 * step1, step1 * step2.
        let (s1, _, st1, len1) = a.indices(n).unwrap();
        let (s2, _, st2, len2) = b.indices(len1).unwrap();
        if len2 > 0 {
            let start = s1 + s2 * st1;
            let once = MemoryView::from_parts(&data, "B", &[len2], Some(&[st1 * st2]), start as usize).unwrap();
            prop_assert_eq!(once.tobytes(Order::C), expected);
            prop_assert!(once == twice);
            prop_assert_eq!(once.byte_strides(), twice.byte_strides());
        } else {
            prop_assert_eq!(twice.shape(), &[0]);
        }
    }

    #[test]
    fn n_d_slice_of_slice_matches_model(shape in proptest::collection::vec(1usize..5, 1..4), axis in 0usize..3, a in slice_strategy(), b in slice_strategy()) {
        let n: usize = shape.iter().product();
        let data: Vec<u16> = (0..n as u16).collect();
        let v = derived_view(&data, &shape, &[]);
        let axis = axis % v.ndim();
        let twice = v.slice_axis(Axis(axis), a).unwrap().into_slice_axis(Axis(axis), b).unwrap();
        // Model: along `axis`, keep the model-sliced positions.
        let picks = model_slice(&model_slice(&(0..shape[axis]).collect::<Vec<_>>(), a), b);
        let mut expected = Vec::new();
        for idx in c_indices(&{ let mut s = shape.clone(); s[axis] = picks.len(); s }) {
            let mut full: Vec<isize> = idx.clone();
            full[axis] = picks[idx[axis] as usize] as isize;
            expected.push(v.get_as::<u16>(&full).unwrap());
        }
        prop_assert_eq!(twice.iter_as::<u16>().unwrap().collect::<Vec<_>>(), expected);
    }

    #[test]
    fn tobytes_c_is_items_in_c_order(shape in shape_strategy(), ops in ops_strategy()) {
        let n: usize = shape.iter().product();
        let data: Vec<u16> = (0..n as u16).map(|x| x.wrapping_mul(257)).collect();
        let v = derived_view(&data, &shape, &ops);
        let mut c = Vec::new();
        for idx in c_indices(v.shape()) {
            c.extend_from_slice(&v.get_as::<u16>(&idx).unwrap().to_ne_bytes());
        }
        prop_assert_eq!(v.tobytes(Order::C), c.clone());
        prop_assert_eq!(v.nbytes(), c.len());
        // F order is the C order of the transpose.
        let mut f = Vec::new();
        let t = v.t();
        for idx in c_indices(t.shape()) {
            f.extend_from_slice(&t.get_as::<u16>(&idx).unwrap().to_ne_bytes());
        }
        prop_assert_eq!(v.tobytes(Order::F), f.clone());
        // A: physical order when contiguous, else C.
        let a = v.tobytes(Order::A);
        if v.ndim() >= 2 && v.f_contiguous() && !v.c_contiguous() {
            prop_assert_eq!(a, f);
        } else {
            prop_assert_eq!(a, c.clone());
        }
        // iteration, tolist and hex agree with the same order
        prop_assert_eq!(v.iter_as::<u16>().unwrap().flat_map(|x| x.to_ne_bytes()).collect::<Vec<_>>(), c.clone());
        let hex: String = c.iter().map(|b| format!("{b:02x}")).collect();
        prop_assert_eq!(v.hex(None, 1).unwrap(), hex);
    }

    #[test]
    fn cast_to_bytes_and_back_is_identity(shape in proptest::collection::vec(1usize..5, 1..4), code in 0usize..6, seed in any::<u64>()) {
        let (fmt, size) = [("h", 2usize), ("I", 4), ("q", 8), ("d", 8), ("f", 4), ("H", 2)][code];
        let n: usize = shape.iter().product();
        let bytes: Vec<u8> = (0..n * size).map(|k| (seed.rotate_left(k as u32 % 64) as u8) ^ k as u8).collect();
        let v = MemoryView::from_parts(&bytes, fmt, &shape, None, 0).unwrap();
        let b = v.cast("B", None).unwrap();
        prop_assert_eq!(b.shape(), &[n * size]);
        let back = b.cast(fmt, Some(&shape)).unwrap();
        prop_assert_eq!(back.format(), v.format());
        prop_assert_eq!(back.shape(), v.shape());
        prop_assert_eq!(back.byte_strides(), v.byte_strides());
        prop_assert_eq!(back.tobytes(Order::C), bytes.clone());
        // Equal by value except for NaNs, which are never equal.
        let has_nan = v.values().any(|x| matches!(x, Ok(buffer_runtime::view::Value::Float(f)) if f.is_nan()));
        prop_assert_eq!(back == v, !has_nan);
    }

    #[test]
    fn sub_views_never_escape_their_bytes(shape in shape_strategy(), ops in ops_strategy(), idx in proptest::collection::vec(-6isize..6, 0..4)) {
        // Random chains either succeed with every item inside the data or fail with an error.
        let n: usize = shape.iter().product();
        let data: Vec<u16> = (0..n as u16).collect();
        let v = derived_view(&data, &shape, &ops);
        let spec: Vec<AxisIndex> = idx.iter().map(|&i| AxisIndex::Index(i)).collect();
        if let Ok(s) = v.sub(&spec) {
            for x in s.iter_as::<u16>().unwrap() {
                prop_assert!((x as usize) < n);
            }
        }
    }

    #[test]
    fn from_parts_accepts_only_layouts_inside_the_bytes(
        len in 0usize..48,
        shape in proptest::collection::vec(0usize..5, 0..4),
        strides in proptest::collection::vec(-24isize..24, 0..4),
        offset in 0usize..56,
        code in 0usize..4,
    ) {
        let (fmt, size) = [("B", 1usize), ("h", 2), ("i", 4), ("d", 8)][code];
        let bytes: Vec<u8> = (0..len as u8).collect();
        let strides = &strides[..strides.len().min(shape.len())];
        match MemoryView::from_parts(&bytes, fmt, &shape, Some(strides), offset) {
            Err(_) => {
                // Rejected: then some item would lie outside, or the strides do not match.
                if strides.len() == shape.len() && !shape.contains(&0) {
                    let mut lo = offset as isize;
                    let mut hi = offset as isize;
                    for (&n, &st) in shape.iter().zip(strides) {
                        let ext = (n as isize - 1) * st;
                        if ext < 0 { lo += ext } else { hi += ext }
                    }
                    prop_assert!(lo < 0 || hi + size as isize > len as isize);
                }
            }
            Ok(v) => {
                // Accepted: every item can be read, in every order, without a panic.
                prop_assert_eq!(v.tobytes(Order::C).len(), v.nbytes());
                prop_assert_eq!(v.tobytes(Order::F).len(), v.nbytes());
                prop_assert_eq!(v.values().count(), if v.item_count() == 0 { 0 } else { v.item_count() });
                for idx in c_indices(v.shape()) {
                    prop_assert!(v.get(&idx).is_ok());
                }
                let _ = v.tolist().unwrap();
                let _ = v.hex(Some(":"), -3).unwrap();
                prop_assert!(v == v || fmt == "d");
            }
        }
    }
}
