//! The typed view (`ViewBase::typed`, `typed_mut`, `into_typed`): checked once when made, with
//! the same errors as `check_type`, then every access agrees with the one-call `*_as` methods
//! on every layout (strided, transposed, reversed, sub-array items, last dimensions read as
//! arrays, field projections), writes land where the `*_as` ones do, and the reference
//! methods keep their contiguity and alignment rules.

use buffer_runtime::view::{
    ErrorKind, MemoryView, MemoryViewMut, SharedView, SharedViewMut, Slice, TypedView,
};
use buffer_runtime::{index, FieldType};
use zerocopy::FromBytes;

#[buffer_runtime::export]
#[derive(Clone, Copy, Debug, PartialEq)]
#[repr(C)]
struct Particle {
    pos: [f32; 2],
    id: u32,
}

fn particles() -> Vec<Particle> {
    (0..5u32)
        .map(|i| Particle {
            pos: [i as f32, -(i as f32) - 0.5],
            id: 100 + i,
        })
        .collect()
}

/// Every read of the typed view equals the `*_as` method of the same name, index by index.
fn agrees<T, S>(view: &buffer_runtime::view::ViewBase<S>)
where
    T: FieldType + FromBytes + PartialEq + core::fmt::Debug,
    S: buffer_runtime::view::Data,
{
    let typed = view.typed::<T>().unwrap();
    let all: Vec<T> = typed.iter().collect();
    assert_eq!(all, view.iter_as::<T>().unwrap().collect::<Vec<T>>());
    assert_eq!(all.len(), typed.len());
    assert_eq!(typed.is_empty(), all.is_empty());
    // `fold` (the row-by-row path) and `next` give the same values.
    let mut by_next = Vec::new();
    for x in typed.iter() {
        // A `for` loop calls `next`.
        by_next.push(x);
    }
    assert_eq!(by_next, all);
    // C order over the typed shape, by full index.
    let shape = typed.shape().to_vec();
    let mut index = vec![0isize; shape.len()];
    for x in &all {
        assert_eq!(&typed.get(&index).unwrap(), x);
        assert_eq!(&view.get_as::<T>(&index).unwrap(), x);
        for k in (0..shape.len()).rev() {
            index[k] += 1;
            if (index[k] as usize) < shape[k] {
                break;
            }
            index[k] = 0;
        }
    }
}

#[test]
fn errors_are_check_type_errors() {
    let grid = [[1i32, 2], [3, 4]];
    let view = MemoryView::new(&grid).unwrap();
    for (typed, checked) in [
        (view.typed::<f32>().map(drop), view.check_type::<f32>()),
        (
            view.typed::<[i32; 4]>().map(drop),
            view.check_type::<[i32; 4]>(),
        ),
        (
            view.typed::<[i32; 3]>().map(drop),
            view.check_type::<[i32; 3]>(),
        ),
        (
            view.t().typed::<[i32; 2]>().map(drop),
            view.t().check_type::<[i32; 2]>(),
        ),
    ] {
        let (a, b) = (typed.unwrap_err(), checked.unwrap_err());
        assert_eq!((a.kind(), a.message()), (b.kind(), b.message()));
    }
    assert_eq!(
        view.typed::<f32>().unwrap_err().to_string(),
        "Buffer dtype mismatch, expected 'f' but got 'i' at offset 0"
    );
    // The transposed rows are not C-contiguous: BufferError, as `iter_as` says.
    let e = view.t().typed::<[i32; 2]>().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BufferError);
    assert_eq!(
        e.message(),
        view.t().iter_as::<[i32; 2]>().unwrap_err().message()
    );
    // The three ways to make one answer alike.
    let mut v = grid;
    let mut view = MemoryViewMut::new(&mut v).unwrap();
    let a = view.typed::<u8>().unwrap_err().to_string();
    let b = view.typed_mut::<u8>().unwrap_err().to_string();
    let c = view.into_typed::<u8>().unwrap_err().to_string();
    assert_eq!((&a, &b), (&c, &c));
}

#[test]
fn checked_once_then_accesses_only_index() {
    let v: Vec<u32> = (0..12).collect();
    let view = MemoryView::new(&v)
        .unwrap()
        .into_cast("B", None)
        .unwrap()
        .into_cast("I", Some(&[3, 4]))
        .unwrap();
    let typed = view.typed::<u32>().unwrap();
    // No `Result` left around the accesses that cannot fail.
    let sum: u32 = typed.iter().sum();
    assert_eq!(sum, 66);
    // Index errors are CPython's, as `get_as` gives them.
    for bad in [&[3, 0][..], &[0, -5], &[0], &[0, 0, 0]] {
        let (a, b) = (
            typed.get(bad).unwrap_err(),
            view.get_as::<u32>(bad).unwrap_err(),
        );
        assert_eq!((a.kind(), a.message()), (b.kind(), b.message()), "{bad:?}");
    }
    assert_eq!(
        typed.get(&[3, 0]).unwrap_err().to_string(),
        "index out of bounds on dimension 1"
    );
    // A reborrow and a clone keep the check.
    assert_eq!(typed.view().get(&[2, 3]).unwrap(), 11);
    assert_eq!(typed.clone().into_untyped(), view);
    assert_eq!(typed.as_untyped().format(), "I");
}

#[test]
fn strided_transposed_reversed_and_empty() {
    let grid: Vec<[i16; 5]> = (0..4)
        .map(|r| core::array::from_fn(|c| (r * 10 + c) as i16))
        .collect();
    let view = MemoryView::new(&grid).unwrap();
    agrees::<i16, _>(&view);
    agrees::<[i16; 5], _>(&view);
    agrees::<i16, _>(&view.t());
    agrees::<i16, _>(&view.sub(&index![..;-1, 1..;2]).unwrap());
    agrees::<[i16; 5], _>(&view.sub(&index![..;-2, ..]).unwrap());
    agrees::<i16, _>(&view.sub(&index![2..2, ..]).unwrap());
    agrees::<i16, _>(&view.sub(&index![1, ..]).unwrap());
    agrees::<i16, _>(&view.sub(&index![1, 2]).unwrap()); // 0-d
    let col: Vec<i16> = view.t().typed::<i16>().unwrap().iter().take(4).collect();
    assert_eq!(col, [0, 10, 20, 30]);
    let empty = view.sub(&index![2..2, ..]).unwrap();
    let typed = empty.typed::<[i16; 5]>().unwrap();
    assert_eq!(
        (typed.len(), typed.is_empty(), typed.shape()),
        (0, true, &[0][..])
    );
    assert_eq!(typed.as_slice().unwrap(), &[] as &[[i16; 5]]);
}

#[test]
fn sub_array_items_and_last_dimensions() {
    let data = particles();
    let view = MemoryView::new(&data).unwrap();
    // An item that is a sub-array `(2)f`, read as `[f32; 2]`.
    let pos = view.field("pos").unwrap();
    agrees::<[f32; 2], _>(&pos);
    agrees::<f32, _>(&pos);
    let pairs = pos.typed::<[f32; 2]>().unwrap();
    assert_eq!(pairs.shape(), &[5]);
    assert_eq!(pairs.get(&[-1]).unwrap(), [4.0, -4.5]);
    // A field projection's stride is the record's: no slice of it, as `as_slice` says.
    let e = pairs.as_slice().unwrap_err();
    assert_eq!(
        e.message(),
        pos.as_slice::<[f32; 2]>().unwrap_err().message()
    );
    // Whole records, and one scalar field.
    agrees::<Particle, _>(&view);
    let ids = view.field("id").unwrap();
    assert_eq!(
        ids.typed::<u32>().unwrap().iter().collect::<Vec<_>>(),
        [100, 101, 102, 103, 104]
    );
    let recs = view.typed::<Particle>().unwrap();
    assert_eq!(recs.as_slice().unwrap(), &data[..]);
    assert!(std::ptr::eq(recs.get_ref(&[2]).unwrap(), &data[2]));
}

#[test]
fn writes_through_the_typed_view() {
    let mut grid = [[0u16; 3]; 2];
    let mut view = MemoryViewMut::new(&mut grid).unwrap();
    {
        let mut typed = view.typed_mut::<u16>().unwrap();
        typed.set(&[1, -1], 7).unwrap();
        *typed.get_mut(&[0, 1]).unwrap() = 5;
        typed.as_slice_mut().unwrap()[0] = 1;
        assert_eq!(
            typed.set(&[2, 0], 1).unwrap_err().to_string(),
            "index out of bounds on dimension 1"
        );
    }
    // Transposed: `for_each_mut` in the view's C order.
    let mut order = Vec::new();
    view.t_mut().typed_mut::<u16>().unwrap().for_each_mut(|x| {
        order.push(*x);
        *x += 100;
    });
    assert_eq!(order, [1, 0, 5, 0, 0, 7]);
    // Rows as arrays.
    let mut rows = view.typed_mut::<[u16; 3]>().unwrap();
    rows.set(&[0], [9, 9, 9]).unwrap();
    assert_eq!(rows.view().get(&[1]).unwrap(), [100, 100, 107]);
    drop(view);
    assert_eq!(grid, [[9, 9, 9], [100, 100, 107]]);

    // The same writes as `set_as`, byte for byte, on a strided view.
    let (mut a, mut b) = ([0u8; 8], [0u8; 8]);
    let mut va = MemoryViewMut::from_bytes(&mut a);
    let mut vb = MemoryViewMut::from_bytes(&mut b);
    let mut ta = va.slice_mut(Slice::FULL.step_by(-3)).unwrap();
    let mut typed = ta.typed_mut::<u8>().unwrap();
    let mut tb = vb.slice_mut(Slice::FULL.step_by(-3)).unwrap();
    for i in 0..3 {
        typed.set(&[i], i as u8 + 1).unwrap();
        tb.set_as::<u8>(&[i], i as u8 + 1).unwrap();
    }
    drop((va, vb));
    assert_eq!(a, b);
    assert_eq!(a, [0, 3, 0, 0, 2, 0, 0, 1]);
}

#[test]
fn references_keep_their_rules() {
    // Misaligned: copies work, references do not (BufferError, the `*_as` message).
    let raw = [0u8, 1, 0, 2, 0, 3, 0];
    let view = MemoryView::from_bytes(&raw[1..])
        .into_cast("H", None)
        .unwrap();
    let typed = view.typed::<u16>().unwrap();
    assert_eq!(typed.iter().count(), 3);
    if raw[1..].as_ptr() as usize % 2 == 1 {
        let (a, b) = (
            typed.get_ref(&[0]).unwrap_err(),
            view.get_ref_as::<u16>(&[0]).unwrap_err(),
        );
        assert_eq!(
            (a.kind(), a.message()),
            (ErrorKind::BufferError, b.message())
        );
        assert!(typed.as_slice().is_err());
    }
    // Not C-contiguous: no slice.
    let grid = [[1u32, 2], [3, 4]];
    let view = MemoryView::new(&grid).unwrap();
    let t = view.t();
    let e = t.typed::<u32>().unwrap().as_slice().unwrap_err();
    assert_eq!(
        e.message(),
        "memoryview: as_slice needs a C-contiguous view"
    );
    assert!(std::ptr::eq(
        t.typed::<u32>().unwrap().get_ref(&[1, 0]).unwrap(),
        &grid[0][1]
    ));
}

#[test]
fn shared_storage_copies() {
    let v = [1.5f64, 2.5, 4.0];
    let view = SharedView::from(MemoryView::new(&v).unwrap());
    let typed: TypedView<f64, _> = view.typed::<f64>().unwrap();
    assert_eq!(typed.iter().sum::<f64>(), 8.0);
    assert_eq!(typed.get(&[-1]).unwrap(), 4.0);
    let mut w = [0i32; 3];
    let mut view = SharedViewMut::from(MemoryViewMut::new(&mut w).unwrap());
    let mut typed = view.typed_mut::<i32>().unwrap();
    typed.set(&[1], 5).unwrap();
    typed.for_each_mut(|x| *x -= 1);
    drop(view);
    assert_eq!(w, [-1, 4, -1]);
}

#[cfg(feature = "npy")]
#[test]
fn npy_typed_view_checks_names() {
    let mut bytes = Vec::new();
    buffer_runtime::npy::write(&mut bytes, &particles()).unwrap();
    let npy = buffer_runtime::npy::NpyFile::from_bytes(&bytes[..]).unwrap();
    let typed = npy.typed_view::<Particle>().unwrap();
    assert_eq!(typed.iter().collect::<Vec<_>>(), particles());
}
