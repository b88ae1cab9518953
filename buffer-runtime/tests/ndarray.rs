//! ndarray interop: views to arrays without copying, arrays exported as buffers.
#![cfg(feature = "ndarray")]

use buffer_runtime::index;
use buffer_runtime::view::{ErrorKind, MemoryView, MemoryViewMut};
use buffer_runtime::{BufferExport, BufferLayoutError};
use ndarray::{array, Array2, Array3, ArrayView2, Axis};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

#[derive(
    buffer_runtime::BufferExport,
    IntoBytes,
    FromBytes,
    Immutable,
    KnownLayout,
    Clone,
    Copy,
    Debug,
    PartialEq,
)]
#[repr(C)]
struct Point {
    x: f32,
    y: f32,
}

#[test]
fn view_to_array_shares_memory_every_stride_sign() {
    let data: Vec<[i32; 4]> = (0..3)
        .map(|r| [r * 10, r * 10 + 1, r * 10 + 2, r * 10 + 3])
        .collect();
    let view = MemoryView::new(&data).unwrap();
    for (spec, expect) in [
        (
            index![.., ..],
            array![[0, 1, 2, 3], [10, 11, 12, 13], [20, 21, 22, 23]],
        ),
        (
            index![..;-1, ..],
            array![[20, 21, 22, 23], [10, 11, 12, 13], [0, 1, 2, 3]],
        ),
        (index![.., ..;-2], array![[3, 1], [13, 11], [23, 21]]),
        (index![1.., 1..3], array![[11, 12], [21, 22]]),
        (
            index![..;-1, ..;-1],
            array![[23, 22, 21, 20], [13, 12, 11, 10], [3, 2, 1, 0]],
        ),
    ] {
        let sub = view.sub(&spec).unwrap();
        let a = sub.as_array::<i32>().unwrap();
        assert_eq!(a, expect.into_dyn());
        // Element strides are byte strides / 4, signs kept.
        let elem: Vec<isize> = sub.byte_strides().iter().map(|s| s / 4).collect();
        assert_eq!(a.strides(), &elem[..]);
        // No copy: element [0, 0] is the view's first item.
        let first = sub.underlying_bytes().as_ptr().wrapping_add(sub.offset());
        assert_eq!((&a[[0, 0]] as *const i32).cast::<u8>(), first);
    }
    let t = view.t();
    assert_eq!(
        t.as_array::<i32>()
            .unwrap()
            .into_dimensionality::<ndarray::Ix2>()
            .unwrap(),
        {
            let a: ArrayView2<i32> = ArrayView2::from_shape((3, 4), data.as_flattened()).unwrap();
            a.reversed_axes()
        }
    );
}

#[test]
fn field_projection_strides_are_refused_not_truncated() {
    let pts = vec![Point { x: 1.0, y: 2.0 }, Point { x: 3.0, y: 4.0 }];
    let view = MemoryView::new(&pts).unwrap();
    let xs = view.field("x").unwrap();
    assert_eq!(xs.byte_strides(), &[8]);
    // 8 is a multiple of 4 (size of f32): this one converts, with element stride 2.
    let a = xs.as_array::<f32>().unwrap();
    assert_eq!(a.strides(), &[2]);
    assert_eq!(a.iter().copied().collect::<Vec<_>>(), [1.0, 3.0]);
    // A 3-byte record with a u16 field at offset 1: byte stride 3 is not a multiple of 2.
    let raw = [0u8; 12];
    let recs = MemoryView::from_parts(&raw, "T{B:tag:<H:v:}", &[4], None, 0).unwrap();
    let v = recs.field("v").unwrap();
    let err = v.as_array::<u16>().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BufferError);
    assert!(
        err.message().contains("not a multiple of the item size"),
        "{}",
        err.message()
    );
    // The whole record is a Point, not an f64.
    assert!(view.as_array::<f64>().is_err());
    assert_eq!(view.as_array::<Point>().unwrap()[[1]], pts[1]);
}

#[test]
fn misaligned_first_item_is_refused() {
    let raw = [0u8; 17];
    let base = raw.as_ptr() as usize;
    let start = if base % 4 == 0 { 1 } else { 0 };
    let v = MemoryView::from_parts(&raw, "<i", &[3], Some(&[4]), start).unwrap();
    if (base + start) % 4 != 0 {
        assert!(v.as_array::<i32>().is_err());
    }
}

#[test]
fn empty_and_zero_d_views() {
    let empty: Vec<[u8; 3]> = Vec::new();
    let view = MemoryView::new(&empty).unwrap();
    let a = view.as_array::<u8>().unwrap();
    assert_eq!(a.shape(), &[0, 3]);
    let one = 7u64;
    let view = MemoryView::new(&one).unwrap();
    assert_eq!(
        view.as_array::<u64>()
            .unwrap()
            .into_dimensionality::<ndarray::Ix0>()
            .unwrap()[()],
        7
    );
}

#[test]
fn mutable_arrays_write_through_and_refuse_aliasing() {
    let mut grid = vec![[0u16; 3]; 2];
    {
        let mut view = MemoryViewMut::new(&mut grid).unwrap();
        let mut flipped = view.sub_mut(&index![.., ..;-1]).unwrap();
        let mut a = flipped.as_array_mut::<u16>().unwrap();
        a[[0, 0]] = 5; // grid[0][2]
        a.index_axis_mut(Axis(0), 1).fill(9);
    }
    assert_eq!(grid, [[0, 0, 5], [9, 9, 9]]);
    // A writable view with a zero stride: two indices, one element.
    let mut raw = [0u8; 8];
    let mut bcast = MemoryViewMut::from_parts(&mut raw, "<I", &[2, 2], Some(&[0, 4]), 0).unwrap();
    let err = bcast.as_array_mut::<u32>().unwrap_err();
    assert!(err.message().contains("same bytes"), "{}", err.message());
    // Overlapping (not zero) strides too.
    let mut raw = [0u8; 16];
    let mut overlap = MemoryViewMut::from_parts(&mut raw, "<I", &[2, 2], Some(&[4, 4]), 0).unwrap();
    assert!(overlap.as_array_mut::<u32>().is_err());
    // Read-only broadcasting is fine.
    let raw = [1u8, 0, 0, 0];
    let b = MemoryView::from_parts(&raw, "<I", &[3], Some(&[0]), 0).unwrap();
    if cfg!(target_endian = "little") {
        assert_eq!(
            b.as_array::<u32>()
                .unwrap()
                .iter()
                .copied()
                .collect::<Vec<_>>(),
            [1, 1, 1]
        );
    }
}

#[test]
fn arrays_export_with_byte_strides_and_offsets() {
    let a: Array2<u32> = Array2::from_shape_fn((3, 4), |(i, j)| (i * 4 + j) as u32);
    let view = MemoryView::new(&a).unwrap();
    assert_eq!(
        (view.shape(), view.byte_strides(), view.offset()),
        (&[3usize, 4][..], &[16isize, 4][..], 0)
    );
    assert_eq!(view.underlying_bytes().as_ptr(), a.as_ptr().cast());
    // Fortran order, as a transposed view.
    let t = a.t();
    let view = MemoryView::new(&t).unwrap();
    assert_eq!(view.byte_strides(), &[4, 16]);
    assert_eq!(view.get_as::<u32>(&[1, 2]).unwrap(), a[[2, 1]]);
    // Negative strides: the offset points at the first element.
    let rev = a.slice(ndarray::s![..;-1, ..;-1]);
    let layout = rev.buffer_layout();
    assert_eq!(&*layout.strides, &[-16, -4]);
    assert_eq!(layout.offset, 44);
    let view = MemoryView::new(&rev).unwrap();
    assert_eq!(view.get_as::<u32>(&[0, 0]).unwrap(), 11);
    assert_eq!(
        view.tolist().unwrap(),
        MemoryView::new(&rev.to_owned()).unwrap().tolist().unwrap()
    );
    // Gaps between elements: refused, and no bytes exported.
    let col = a.slice(ndarray::s![.., 1]);
    assert_eq!(
        col.try_buffer_layout(),
        Err(BufferLayoutError::NotContiguous)
    );
    assert!(col.buffer_bytes().is_empty());
    assert!(MemoryView::new(&col).is_err());
    // Items with their own shape: an array of [u8; 4] pixels.
    let px = Array2::from_elem((2, 3), [1u8, 2, 3, 4]);
    let view = MemoryView::new(&px).unwrap();
    assert_eq!(
        (view.shape(), view.byte_strides()),
        (&[2usize, 3, 4][..], &[12isize, 4, 1][..])
    );
}

#[test]
fn round_trip_and_writable_exports() {
    let mut a = Array3::<f64>::zeros((2, 3, 4));
    {
        let mut view = MemoryViewMut::new(&mut a).unwrap();
        view.set_as::<f64>(&[1, 2, 3], 1.5).unwrap();
        let back = view.as_array_mut::<f64>().unwrap();
        assert_eq!(back.shape(), &[2, 3, 4]);
    }
    assert_eq!(a[[1, 2, 3]], 1.5);
    let mut v = a.view_mut();
    let mut view = MemoryViewMut::new(&mut v).unwrap();
    view.set_as::<f64>(&[0, 0, 0], -1.0).unwrap();
    drop(view);
    assert_eq!(a[[0, 0, 0]], -1.0);
}

mod props {
    use buffer_runtime::view::MemoryViewMut;
    use proptest::prelude::*;

    /// The byte ranges of every item of a layout.
    fn item_ranges(
        shape: &[usize],
        strides: &[isize],
        offset: usize,
        size: usize,
    ) -> Vec<(usize, usize)> {
        let mut out = vec![];
        let total: usize = shape.iter().product();
        for flat in 0..total {
            let (mut rest, mut off) = (flat, offset as isize);
            for (&n, &s) in shape.iter().zip(strides).rev() {
                off += (rest % n) as isize * s;
                rest /= n;
            }
            out.push((off as usize, off as usize + size));
        }
        out
    }

    proptest! {
        /// A mutable ndarray view, and mutable row chunks, are only handed out when no two
        /// items share a byte.
        #[test]
        fn mutable_views_never_alias(
            shape in proptest::collection::vec(1usize..4, 1..4),
            strides in proptest::collection::vec(-12isize..12, 3),
            offset in 0usize..64,
        ) {
            let strides: Vec<isize> = strides[..shape.len()].iter().map(|s| s * 2).collect();
            let mut raw = [0u16; 64];
            let bytes = zerocopy::IntoBytes::as_mut_bytes(&mut raw[..]);
            let Ok(mut view) = MemoryViewMut::from_parts(bytes, "=H", &shape, Some(&strides), offset * 2) else {
                return Ok(());
            };
            let mut ranges = item_ranges(&shape, &strides, offset * 2, 2);
            ranges.sort();
            let disjoint = ranges.windows(2).all(|w| w[0].1 <= w[1].0);
            if view.as_array_mut::<u16>().is_ok() {
                prop_assert!(disjoint, "aliasing mutable array for {shape:?} {strides:?}");
            }
            let base = view.underlying_bytes().as_ptr() as usize;
            if let Ok(chunks) = view.row_chunks_mut(2) {
                prop_assert!(disjoint);
                let mut spans: Vec<(usize, usize)> = chunks
                    .iter()
                    .map(|c| {
                        let p = c.underlying_bytes().as_ptr() as usize - base;
                        (p, p + c.underlying_bytes().len())
                    })
                    .collect();
                let items: usize = chunks.iter().map(|c| c.item_count()).sum();
                prop_assert_eq!(items, shape.iter().product::<usize>());
                spans.sort();
                prop_assert!(spans.windows(2).all(|w| w[0].1 <= w[1].0), "chunks overlap: {spans:?}");
            }
        }
    }
}

#[test]
fn array_refs_export_and_shared_arc_arrays_copy_before_a_write() {
    // ndarray 0.17's `&ArrayRef`: a reversed view keeps its negative strides.
    let a = array![[1i16, 2, 3], [4, 5, 6]];
    let rev = a.slice(ndarray::s![..;-1, ..]);
    let r: &ndarray::ArrayRef2<i16> = &rev;
    let view = MemoryView::new(r).unwrap();
    assert_eq!(view.byte_strides(), &[-6, 2]);
    let items: Vec<i16> = view.iter_as::<i16>().unwrap().collect();
    assert_eq!(items, [4, 5, 6, 1, 2, 3]);
    // A write through an `ArcArray` shared with a clone goes to a private copy (ndarray's
    // copy-on-write), never into the clone's elements.
    let mut shared = ndarray::ArcArray2::<u32>::zeros((2, 2));
    let other = shared.clone();
    let mut view = MemoryViewMut::new(&mut shared).unwrap();
    view.set_as::<u32>(&[1, 1], 9).unwrap();
    drop(view);
    assert_eq!(shared[[1, 1]], 9);
    assert_eq!(other[[1, 1]], 0);
}
