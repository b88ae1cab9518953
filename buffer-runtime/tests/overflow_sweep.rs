//! A sweep of the public API with integer extremes (`isize::MIN`/`MAX`, `usize::MAX` and
//! their neighbours) in every integer argument: each call must return `Ok` or `Err`, never
//! panic. `cargo test` builds with overflow checks and debug assertions, so an overflowing
//! `+`, `*` or negation in the library fails here (proptest reports the panic and shrinks
//! the input). Where a simple model exists (slices, indices, casts, `hex`, permutations,
//! `BufferLayout::for_items`), the answer is checked against it too; the models compute in `i128`,
//! where none of these values can overflow.

use buffer_runtime::format::{self, Value};
use buffer_runtime::view::Axis;
use buffer_runtime::view::{AxisIndex, ErrorKind, MemoryView, MemoryViewMut, Order, Slice};
use buffer_runtime::{BufferLayout, BufferLayoutError};
use proptest::prelude::*;

mod support;
use support::scalar_end;

/// A signed value near an extreme, near zero, or anywhere.
fn ext_isize() -> impl Strategy<Value = isize> {
    prop_oneof![
        3 => prop::sample::select(vec![
            isize::MIN,
            isize::MIN + 1,
            isize::MIN + 2,
            isize::MIN / 2,
            -(1 << 32),
            i32::MIN as isize,
            i32::MIN as isize - 1,
            -2,
            -1,
            0,
            1,
            2,
            i32::MAX as isize,
            i32::MAX as isize + 1,
            1 << 32,
            isize::MAX / 2,
            isize::MAX / 2 + 1,
            isize::MAX - 2,
            isize::MAX - 1,
            isize::MAX,
        ]),
        2 => -9isize..9,
        1 => any::<isize>(),
    ]
}

/// An unsigned value near an extreme, near zero, or anywhere.
fn ext_usize() -> impl Strategy<Value = usize> {
    prop_oneof![
        3 => prop::sample::select(vec![
            0,
            1,
            2,
            3,
            1 << 31,
            1 << 32,
            isize::MAX as usize / 2,
            isize::MAX as usize - 1,
            isize::MAX as usize,
            isize::MAX as usize + 1,
            isize::MAX as usize + 2,
            usize::MAX / 2 + 1,
            usize::MAX - 2,
            usize::MAX - 1,
            usize::MAX,
        ]),
        2 => 0usize..9,
        1 => any::<usize>(),
    ]
}

fn ext_slice() -> impl Strategy<Value = Slice> {
    (
        proptest::option::of(ext_isize()),
        proptest::option::of(ext_isize()),
        ext_isize(),
    )
        .prop_map(|(a, b, c)| Slice::new(a, b, c))
}

fn ext_axis_index() -> impl Strategy<Value = AxisIndex> {
    prop_oneof![
        ext_isize().prop_map(AxisIndex::Index),
        ext_slice().prop_map(AxisIndex::Slice),
    ]
}

/// The indices Python's `range(n)[s]` picks, walked one by one in `i128` (CPython reads a
/// step of `-sys.maxsize - 1` as `-sys.maxsize`; both pick the same indices, so the model
/// needs no clamp). `None` for a zero step.
fn model_slice(n: usize, s: Slice) -> Option<Vec<usize>> {
    if s.step == 0 {
        return None;
    }
    let n = n as i128;
    let step = s.step as i128;
    let norm = |b: isize| {
        let b = b as i128;
        if b < 0 {
            b + n
        } else {
            b
        }
    };
    let mut out = Vec::new();
    if step > 0 {
        let start = s.start.map_or(0, |b| norm(b).clamp(0, n));
        let stop = s.stop.map_or(n, |b| norm(b).clamp(0, n));
        let mut i = start;
        while i < stop {
            out.push(i as usize);
            i += step;
        }
    } else {
        let start = s.start.map_or(n - 1, |b| norm(b).clamp(-1, n - 1));
        let stop = s.stop.map_or(-1, |b| norm(b).clamp(-1, n - 1));
        let mut i = start;
        while i > stop {
            out.push(i as usize);
            i += step;
        }
    }
    Some(out)
}

/// Python's index normalization: `Some(i mod n)` when `-n <= i < n`.
fn model_index(n: usize, i: isize) -> Option<usize> {
    let (n, i) = (n as i128, i as i128);
    let j = if i < 0 { i + n } else { i };
    (0..n).contains(&j).then_some(j as usize)
}

/// What one [`AxisIndex`] picks on a dimension of `n`: the indices and whether the axis
/// stays, or `None` for an error.
fn model_axis(n: usize, a: AxisIndex) -> Option<(Vec<usize>, bool)> {
    match a {
        AxisIndex::Index(i) => model_index(n, i).map(|j| (vec![j], false)),
        AxisIndex::Slice(s) => model_slice(n, s).map(|v| (v, true)),
    }
}

/// `hex(sep, k)` written from CPython's documentation: groups of `|k|` bytes counted from
/// the right when `k > 0`, from the left when `k < 0`.
fn model_hex(bytes: &[u8], sep: char, k: isize) -> String {
    let digits: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let g = k.unsigned_abs();
    if g == 0 || bytes.is_empty() {
        return digits.concat();
    }
    let mut groups: Vec<String> = Vec::new();
    if k > 0 {
        let first = match bytes.len() % g {
            0 => g.min(bytes.len()),
            r => r,
        };
        groups.push(digits[..first].concat());
        for c in digits[first..].chunks(g) {
            groups.push(c.concat());
        }
    } else {
        for c in digits.chunks(g) {
            groups.push(c.concat());
        }
    }
    groups.join(&sep.to_string())
}

fn byte_at(v: &MemoryView<'_>, index: &[isize]) -> u8 {
    match v.get(index).unwrap() {
        Value::UInt(x) => x as u8,
        other => panic!("not a B item: {other:?}"),
    }
}

/// Every read of an accepted view that stays cheap: items are read only when there are few.
fn exercise(v: &MemoryView<'_>, extremes: &[isize], slices: &[Slice]) {
    let small = v.item_count() <= 4096 && v.nbytes() <= 1 << 16;
    if small {
        assert_eq!(v.tobytes(Order::C).len(), v.nbytes());
        assert_eq!(v.tobytes(Order::F).len(), v.nbytes());
        let _ = v.tolist();
        let _ = v.hex(Some(":"), 3);
        let _ = v.hash_value();
        let _ = v.equals(v);
    }
    let _ = v.len();
    let _ = (
        v.c_contiguous(),
        v.f_contiguous(),
        v.contiguous(),
        v.is_empty(),
    );
    for &i in extremes {
        let _ = v.index(i);
        let _ = v.index_axis(Axis(v.ndim().saturating_sub(1)), i);
        let _ = v.get(&[i]);
        let _ = v.get(&vec![i; v.ndim()]);
        let _ = v.get_as::<u8>(&vec![i; v.ndim()]);
    }
    for &s in slices {
        for axis in 0..v.ndim() {
            if let Ok(w) = v.slice_axis(Axis(axis), s) {
                if small {
                    assert_eq!(w.tobytes(Order::C).len(), w.nbytes());
                }
            }
        }
        let _ = v.sub(&[AxisIndex::Slice(s); 2]);
    }
    let _ = v.cast("B", None);
    let _ = v.cast("B", Some(&[usize::MAX, 2]));
    let _ = v.t();
    let _ = v.permute_axes(&[usize::MAX]);
}

proptest! {
    // 1000 cases per property by default; `PROPTEST_CASES=100000` for a deep sweep.
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(1000)
    ))]

    /// `Slice::indices` on any length: the clamped start and the count are the model's.
    #[test]
    fn slice_indices_of_extremes(s in ext_slice(), n in prop_oneof![0usize..12, ext_usize()]) {
        match s.indices(n) {
            Err(e) => {
                prop_assert_eq!(s.step, 0);
                prop_assert_eq!(e.kind(), ErrorKind::ValueError);
            }
            Ok((start, _, step, len)) => {
                prop_assert!(step != 0 && step != isize::MIN);
                prop_assert_eq!(step, s.step.max(-isize::MAX));
                if n < 12 {
                    let want = model_slice(n, s).unwrap();
                    prop_assert_eq!(len, want.len());
                    if let Some(&first) = want.first() {
                        prop_assert_eq!(start as usize, first);
                    }
                } else {
                    prop_assert!(len <= n);
                }
            }
        }
    }

    /// `slice`, `slice_axis` on every axis, and the `_mut` forms on a 2 x 3 grid, against
    /// the model.
    #[test]
    fn slices_of_extremes_on_every_axis(s in ext_slice(), axis in prop_oneof![0usize..3, ext_usize()]) {
        let grid: Vec<u8> = (0..6).collect();
        let view = MemoryView::from_parts(&grid, "B", &[2, 3], None, 0).unwrap();
        let shape = [2usize, 3];
        let got = view.slice_axis(Axis(axis), s);
        if axis >= 2 {
            prop_assert!(got.is_err());
            return Ok(());
        }
        match model_slice(shape[axis], s) {
            None => prop_assert!(got.is_err()),
            Some(picked) => {
                let got = got.unwrap();
                prop_assert_eq!(got.shape()[axis], picked.len());
                let mut want = Vec::new();
                // C order of the sliced grid: rows then columns.
                let (rows, cols): (Vec<usize>, Vec<usize>) = if axis == 0 {
                    (picked.clone(), (0..3).collect())
                } else {
                    ((0..2).collect(), picked.clone())
                };
                for &i in &rows {
                    for &j in &cols {
                        want.push(grid[i * 3 + j]);
                    }
                }
                prop_assert_eq!(got.tobytes(Order::C), want);
                if axis == 0 {
                    prop_assert_eq!(view.slice(s).unwrap().tobytes(Order::C), got.tobytes(Order::C));
                }
            }
        }
        let mut raw = grid.clone();
        let mut m = MemoryViewMut::from_parts(&mut raw, "B", &[2, 3], None, 0).unwrap();
        prop_assert_eq!(m.slice_axis_mut(Axis(axis), s).is_ok(), model_slice(shape[axis], s).is_some());
        if axis == 0 {
            prop_assert_eq!(m.slice_mut(s).is_ok(), model_slice(2, s).is_some());
        }
    }

    /// `assign_slice` and `assign_slice_axis` with extreme slices: a source of the picked
    /// length is written exactly where the model says.
    #[test]
    fn assign_slices_of_extremes(s in ext_slice(), axis in 0usize..2) {
        let n = 6usize;
        let mut raw = [0u8; 6];
        let picked = model_slice(n, s);
        let src: Vec<u8> = (1..=picked.as_ref().map_or(0, Vec::len) as u8).collect();
        let src_view = MemoryView::from_bytes(&src);
        let mut m = MemoryViewMut::from_bytes(&mut raw);
        let r = m.assign_slice(s, &src_view);
        drop(m);
        match &picked {
            None => prop_assert!(r.is_err()),
            Some(p) => {
                r.unwrap();
                let mut want = [0u8; 6];
                for (k, &i) in p.iter().enumerate() {
                    want[i] = src[k];
                }
                prop_assert_eq!(raw, want);
            }
        }
        // On a 2 x 3 grid, along either axis (the source's shape rarely fits: no panic).
        let mut grid = [0u8; 6];
        let mut g = MemoryViewMut::from_parts(&mut grid, "B", &[2, 3], None, 0).unwrap();
        let other = [7u8; 6];
        for shape in [&[2usize, 3][..], &[1, 3], &[2, 1], &[0, 3], &[2, 0]] {
            let count: usize = shape.iter().product();
            let src = MemoryView::from_parts(&other[..count], "B", shape, None, 0).unwrap();
            let _ = g.assign_slice_axis(Axis(axis), s, &src);
            let _ = g.assign_slice_axis(Axis(usize::MAX), s, &src);
            let _ = g.assign_slice(s, &src);
        }
    }

    /// `sub` (and `index!`) with extreme indices and slices on a 2 x 3 grid: the model's items.
    #[test]
    fn sub_of_extremes(a in ext_axis_index(), b in ext_axis_index(), extra in ext_axis_index()) {
        let grid: Vec<u8> = (0..6).collect();
        let view = MemoryView::from_parts(&grid, "B", &[2, 3], None, 0).unwrap();
        let got = view.sub(&[a, b]);
        match (model_axis(2, a), model_axis(3, b)) {
            (Some((rows, keep0)), Some((cols, keep1))) => {
                let got = got.unwrap();
                prop_assert_eq!(got.ndim(), keep0 as usize + keep1 as usize);
                let mut want = Vec::new();
                for &i in &rows {
                    for &j in &cols {
                        want.push(grid[i * 3 + j]);
                    }
                }
                prop_assert_eq!(got.tobytes(Order::C), want);
            }
            _ => prop_assert!(got.is_err()),
        }
        prop_assert_eq!(view.sub(&[a]).is_ok(), model_axis(2, a).is_some());
        prop_assert!(view.sub(&[a, b, extra]).is_err());
        let step = match a {
            AxisIndex::Index(i) => i,
            AxisIndex::Slice(s) => s.step,
        };
        let spec = buffer_runtime::index![.., ..; step];
        prop_assert_eq!(view.sub(&spec).is_ok(), step != 0);
        let spec = buffer_runtime::index![..; step, step];
        prop_assert_eq!(view.sub(&spec).is_ok(), step != 0 && model_index(3, step).is_some());
    }

    /// `index`, `index_axis`, `get`, `get_as`, `set`, `set_as` with extreme index tuples.
    #[test]
    fn indices_of_extremes(i in ext_isize(), j in ext_isize(), axis in prop_oneof![0usize..3, ext_usize()]) {
        let grid: Vec<u8> = (0..6).collect();
        let view = MemoryView::from_parts(&grid, "B", &[2, 3], None, 0).unwrap();
        prop_assert_eq!(view.index(i).is_ok(), model_index(2, i).is_some());
        let n = [2usize, 3];
        let r = view.index_axis(Axis(axis), i);
        prop_assert_eq!(r.is_ok(), axis < 2 && model_index(n[axis.min(1)], i).is_some());
        let want = model_index(2, i).zip(model_index(3, j)).map(|(a, b)| grid[a * 3 + b]);
        match want {
            Some(x) => {
                prop_assert_eq!(byte_at(&view, &[i, j]), x);
                prop_assert_eq!(view.get_as::<u8>(&[i, j]).unwrap(), x);
            }
            None => {
                prop_assert_eq!(view.get(&[i, j]).unwrap_err().kind(), ErrorKind::IndexError);
                prop_assert!(view.get_as::<u8>(&[i, j]).is_err());
            }
        }
        prop_assert!(view.get(&[i]).is_err());
        prop_assert!(view.get(&[i, j, i]).is_err());
        let mut raw = grid.clone();
        let mut m = MemoryViewMut::from_parts(&mut raw, "B", &[2, 3], None, 0).unwrap();
        prop_assert_eq!(m.set(&[i, j], &Value::UInt(99)).is_ok(), want.is_some());
        prop_assert_eq!(m.set_as::<u8>(&[j, i], 98).is_ok(), model_index(2, j).is_some() && model_index(3, i).is_some());
        prop_assert!(m.set(&[i, j, j], &Value::UInt(1)).is_err());
        prop_assert_eq!(m.index_mut(i).is_ok(), model_index(2, i).is_some());
        // A 0-d view refuses every index.
        let one = [5u8];
        let scalar = MemoryView::from_parts(&one, "B", &[], None, 0).unwrap();
        prop_assert!(scalar.index(i).is_err());
        prop_assert_eq!(scalar.get(&[]).unwrap(), Value::UInt(5));
        prop_assert!(scalar.get(&[i]).is_err());
    }

    /// `from_parts` with extreme shapes, strides and offsets: `Ok` views are then read and
    /// sliced with extremes too.
    #[test]
    fn from_parts_of_extremes(
        shape in prop::collection::vec(prop_oneof![0usize..4, ext_usize()], 0..4),
        strides in prop::collection::vec(prop_oneof![-4isize..5, ext_isize()], 0..4),
        with_strides in any::<bool>(),
        offset in prop_oneof![0usize..16, ext_usize()],
        format in prop::sample::select(vec!["B", "<i", "0s", "", "3x", "T{B:a:<h:b:}", "(2)B"]),
        i in ext_isize(),
        s in ext_slice(),
    ) {
        let bytes = [1u8; 16];
        let strides = with_strides.then_some(&strides[..]);
        if let Ok(v) = MemoryView::from_parts(&bytes, format, &shape, strides, offset) {
            exercise(&v, &[i, isize::MIN, isize::MAX], &[s]);
            if v.item_count() <= 4096 {
                prop_assert_eq!(v.values().count(), v.item_count());
                if let Ok(it) = v.iter_as::<u8>() {
                    prop_assert_eq!(it.count(), v.item_count());
                }
                let mut copy = vec![0u8; v.nbytes()];
                let mut dst = MemoryViewMut::from_bytes(&mut copy);
                if v.itemsize() == 1 && v.ndim() == 1 {
                    dst.copy_from(&v).unwrap();
                    drop(dst);
                    prop_assert_eq!(copy, v.tobytes(Order::C));
                }
            }
        }
        let mut raw = [1u8; 16];
        if let Ok(mut m) = MemoryViewMut::from_parts(&mut raw, format, &shape, strides, offset) {
            if m.item_count() <= 4096 {
                let _ = m.fill_bytes(&vec![0; m.itemsize()]);
            }
            let _ = m.slice_mut(s);
            let _ = m.sub_mut(&[AxisIndex::Index(i)]);
        }
    }

    /// The range conversions of `index!` and `Slice::from` with extreme ends: `a..=b` is
    /// Python's `[a:b+1]` (`[a:]` when `b + 1` would be 0 or overflow).
    #[test]
    fn ranges_with_extreme_ends(a in ext_isize(), b in ext_isize(), u in ext_usize()) {
        let bytes: Vec<u8> = (0..7).collect();
        let view = MemoryView::from_bytes(&bytes);
        let inclusive_stop = if b == -1 { None } else { b.checked_add(1) };
        for (got, want) in [
            (Slice::from(a..b), Slice::new(Some(a), Some(b), 1)),
            (Slice::from(a..), Slice::new(Some(a), None, 1)),
            (Slice::from(..b), Slice::new(None, Some(b), 1)),
            (Slice::from(a..=b), Slice::new(Some(a), inclusive_stop, 1)),
            (Slice::from(..=b), Slice::new(None, inclusive_stop, 1)),
        ] {
            prop_assert_eq!(got, want);
            let picked: Vec<u8> = model_slice(7, got).unwrap().iter().map(|&i| bytes[i]).collect();
            prop_assert_eq!(view.slice(got).unwrap().tobytes(Order::C), picked);
        }
        // `a..=b` picks the indices from a to b inclusive, as numbers (i128: no overflow).
        let norm = |x: isize| if x < 0 { x as i128 + 7 } else { x as i128 };
        let want: Vec<u8> = bytes
            .iter()
            .enumerate()
            .filter(|&(i, _)| (norm(a).max(0)..=norm(b)).contains(&(i as i128)))
            .map(|(_, &x)| x)
            .collect();
        prop_assert_eq!(view.slice(Slice::from(a..=b)).unwrap().tobytes(Order::C), want);
        let idx = buffer_runtime::view::AxisIndex::from(u);
        prop_assert_eq!(view.sub(&[idx]).is_ok(), u < 7);
    }

    /// Views whose strides are never stepped (a 0 in the shape, or dimensions of 1) may have
    /// any strides: every operation on them, with extremes, answers without overflowing.
    #[test]
    fn degenerate_views_with_extreme_strides(
        shape in prop::collection::vec(prop_oneof![Just(0usize), Just(1usize), 2usize..4], 1..4),
        strides in prop::collection::vec(ext_isize(), 3),
        i in ext_isize(),
        s in ext_slice(),
        axes in prop::collection::vec(0usize..3, 0..4),
    ) {
        let bytes = [3u8; 16];
        let strides = &strides[..shape.len()];
        let Ok(v) = MemoryView::from_parts(&bytes, "B", &shape, Some(strides), 0) else {
            return Ok(());
        };
        exercise(&v, &[i, -i.saturating_add(1)], &[s, Slice::new(Some(i), None, s.step)]);
        prop_assert_eq!(v.tobytes(Order::A).len(), v.item_count());
        prop_assert_eq!(v.tolist().is_ok(), true);
        prop_assert_eq!(v.values().count(), v.item_count());
        let _ = v.permute_axes(&axes);
        let _ = v.sub(&[AxisIndex::Index(i), AxisIndex::Slice(s)]);
        let mut other = [0u8; 16];
        let mut w = MemoryViewMut::from_parts(&mut other, "B", &shape, Some(strides), 0).unwrap();
        prop_assert_eq!(w.copy_from(&v).is_ok(), true);
        let _ = w.fill(&Value::UInt(1));
        let _ = w.assign_slice(s, &v);
        let _ = w.assign_slice_axis(Axis(shape.len() - 1), s, &v);
        prop_assert!(w.equals(&v) || v.item_count() > 0);
    }

    /// `cast` with extreme shapes: accepted exactly when the shape's bytes are the view's.
    #[test]
    fn cast_of_extreme_shapes(
        shape in prop::collection::vec(prop_oneof![0usize..13, ext_usize()], 0..4),
        format in prop::sample::select(vec!["B", "b", "c", "H", "i", "q", "d", "?", "@l"]),
    ) {
        let bytes = [0u8; 24];
        let view = MemoryView::from_bytes(&bytes);
        let itemsize = format::parse(format).unwrap().layout().unwrap().size() as u128;
        let product = shape.iter().try_fold(1u128, |p, &n| p.checked_mul(n as u128));
        let fits = product.and_then(|p| p.checked_mul(itemsize)) == Some(24);
        let got = view.cast(format, Some(&shape));
        // An empty shape is the 0-d view of one item (accepted only when it is 24 bytes,
        // which none of these formats is).
        prop_assert_eq!(got.is_ok(), fits && !shape.is_empty(), "{:?}", got);
        if let Ok(c) = got {
            prop_assert_eq!(c.nbytes(), 24);
            let _ = c.cast("B", None);
        }
    }

    /// `hex` with extreme `bytes_per_sep`: CPython's `OverflowError` outside a C int, the
    /// model's grouping inside.
    #[test]
    fn hex_of_extreme_groups(k in ext_isize(), n in 0usize..10) {
        let bytes: Vec<u8> = (0..n as u8).map(|b| b.wrapping_mul(37)).collect();
        let view = MemoryView::from_bytes(&bytes);
        let got = view.hex(Some(":"), k);
        if i32::try_from(k).is_err() {
            prop_assert_eq!(got.unwrap_err().kind(), ErrorKind::OverflowError);
            prop_assert_eq!(view.hex(None, k).unwrap_err().kind(), ErrorKind::OverflowError);
        } else {
            prop_assert_eq!(got.unwrap(), model_hex(&bytes, ':', k));
            prop_assert_eq!(view.hex(None, k).unwrap(), model_hex(&bytes, ':', 0));
        }
    }

    /// `permute_axes` with bad axes: accepted exactly for a permutation.
    #[test]
    fn permute_with_extreme_axes(axes in prop::collection::vec(prop_oneof![0usize..4, ext_usize()], 0..5)) {
        let cube = [0u8; 24];
        let view = MemoryView::from_parts(&cube, "B", &[2, 3, 4], None, 0).unwrap();
        let mut sorted = axes.clone();
        sorted.sort_unstable();
        let is_perm = sorted == [0, 1, 2];
        let got = view.permute_axes(&axes);
        prop_assert_eq!(got.is_ok(), is_perm);
        if let Ok(p) = got {
            let want: Vec<usize> = axes.iter().map(|&a| [2, 3, 4][a]).collect();
            prop_assert_eq!(p.shape(), &want[..]);
            prop_assert_eq!(p.t().ndim(), 3);
        }
    }

    /// `BufferLayout::for_items` with extreme lengths, shapes and strides: an accepted layout's
    /// items all lie inside the data (checked in `i128`).
    #[test]
    fn layout_for_items_of_extremes(
        len in prop_oneof![0usize..16, ext_usize()],
        shape in prop::collection::vec(prop_oneof![0usize..4, ext_usize()], 0..3),
        strides in prop::collection::vec(prop_oneof![-8isize..9, ext_isize()], 0..3),
        with_strides in any::<bool>(),
    ) {
        let strides_arg = with_strides.then_some(&strides[..]);
        check_layout::<u8>(len, &shape, strides_arg)?;
        check_layout::<[u16; 3]>(len, &shape, strides_arg)?;
        check_layout::<u64>(len, &shape, strides_arg)?;
    }

    /// The format parser and layout with huge repeat counts and shapes.
    #[test]
    fn formats_with_huge_counts(
        a in prop_oneof![ext_usize().prop_map(|n| n.to_string()), Just("18446744073709551616".to_string()), Just("99999999999999999999999".to_string())],
        b in ext_usize(),
        template in prop::sample::select(vec![
            "{a}i", "{a}x", "{a}s", "{a}w", "({a})i", "({a},{b})B", "({a}){b}s", "T{{{a}x:p:}}",
            "{a}T{{i:x:}}", "({a})T{{({b})h:a:}}", "{a}Bi", "T{{{a}i:x:{b}x}}", "{a}p", "{a}t",
            "({a})0T{{}}", "0T{{({a})i:x:}}", "({a},{b},{a})?",
        ]),
    ) {
        let text = template.replace("{a}", &a).replace("{b}", &b.to_string()).replace("{{", "{").replace("}}", "}");
        if let Ok(f) = format::parse(&text) {
            let rendered = f.to_string();
            prop_assert!(format::parse(&rendered).is_ok(), "{} renders as {}", text, rendered);
            let _ = f.check_layout();
            if let Ok(l) = f.layout() {
                let size = l.size();
                prop_assert!(isize::try_from(size).is_ok());
                prop_assert!(matches!(scalar_end(&l), Some(e) if e <= size));
                // Comparing repeated structs walks every repetition (documented): only
                // small ones.
                if size <= 4096 || !template.contains("T{") {
                    prop_assert!(format::compare(&l, &l, format::MatchNames::Require).is_ok());
                }
                if size <= 4096 {
                    let bytes = vec![0u8; size];
                    if let Ok(v) = MemoryView::from_parts(&bytes, &text, &[1], None, 0) {
                        let _ = v.tolist();
                    }
                    let _ = format::unpack(&l, &bytes);
                }
            }
        }
    }
}

fn check_layout<T: buffer_runtime::StaticBufferLayout>(
    len: usize,
    shape: &[usize],
    strides: Option<&[isize]>,
) -> Result<(), TestCaseError> {
    let size = core::mem::size_of::<T>() as i128;
    match BufferLayout::for_items::<T>(len, shape, strides) {
        Err(BufferLayoutError::LengthMismatch { .. }) => prop_assert!(strides.is_none()),
        Err(_) => {}
        Ok(l) => {
            prop_assert_eq!(l.shape.len(), l.strides.len());
            if !l.shape.contains(&0) {
                let (mut low, mut high) = (l.offset as i128, l.offset as i128 + size);
                for (&n, &s) in l.shape.iter().zip(l.strides.iter()).take(shape.len()) {
                    let reach = (n as i128 - 1) * s as i128;
                    if reach < 0 {
                        low += reach;
                    } else {
                        high += reach;
                    }
                }
                prop_assert!(low >= 0 && high <= len as i128 * size, "{:?}", l);
            }
        }
    }
    Ok(())
}
