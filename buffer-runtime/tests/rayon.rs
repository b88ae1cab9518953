//! rayon interop: parallel items and rows, disjoint mutable row chunks.
#![cfg(feature = "rayon")]

use buffer_runtime::index;
use buffer_runtime::view::{ErrorKind, MemoryView, MemoryViewMut};
use rayon::prelude::*;

#[test]
fn par_iter_as_matches_the_sequential_order() {
    let data: Vec<[u32; 7]> = (0..500u32)
        .map(|r| core::array::from_fn(|c| r * 7 + c as u32))
        .collect();
    let view = MemoryView::new(&data).unwrap();
    for spec in [index![.., ..], index![..;-3, 1..6;2], index![.., ..;-1]] {
        let sub = view.sub(&spec).unwrap();
        let seq: Vec<u32> = sub.iter_as::<u32>().unwrap().collect();
        let par: Vec<u32> = sub.par_iter_as::<u32>().unwrap().collect();
        assert_eq!(seq, par);
        let t = sub.t();
        assert_eq!(
            t.iter_as::<u32>().unwrap().collect::<Vec<_>>(),
            t.par_iter_as::<u32>().unwrap().collect::<Vec<_>>()
        );
    }
    // The type is checked before any work.
    assert!(view.par_iter_as::<f32>().is_err());
}

#[test]
fn par_rows_yield_each_outer_row() {
    let data: Vec<[u16; 4]> = (0..100u16).map(|r| [r, r, r, r]).collect();
    let view = MemoryView::new(&data).unwrap();
    let sums: Vec<u32> = view
        .par_rows()
        .map(|row| row.iter_as::<u16>().unwrap().map(u32::from).sum())
        .collect();
    assert_eq!(sums, (0..100u32).map(|r| 4 * r).collect::<Vec<_>>());
    let reversed = view.sub(&index![..;-1, ..]).unwrap();
    let firsts: Vec<u16> = reversed
        .par_rows()
        .map(|row| row.get_as::<u16>(&[0]).unwrap())
        .collect();
    assert_eq!(firsts, (0..100u16).rev().collect::<Vec<_>>());
    let zero_d = MemoryView::new(&5u8).unwrap();
    assert_eq!(zero_d.par_rows().count(), 0);
}

#[test]
fn mutable_chunks_cover_every_row_once() {
    let mut data = vec![[0u32; 5]; 1003];
    let mut view = MemoryViewMut::new(&mut data).unwrap();
    view.par_row_chunks_mut(100)
        .unwrap()
        .enumerate()
        .for_each(|(c, mut chunk)| {
            assert!(chunk.shape()[0] <= 100);
            chunk.for_each_mut::<u32>(|x| *x += 1 + c as u32).unwrap();
        });
    for (r, row) in data.iter().enumerate() {
        assert_eq!(*row, [1 + (r / 100) as u32; 5]);
    }
    // Negative outer stride and a column slice: still disjoint rows.
    let mut view = MemoryViewMut::new(&mut data).unwrap();
    let mut sub = view.sub_mut(&index![..;-1, 1..3]).unwrap();
    let chunks = sub.row_chunks_mut(7).unwrap();
    assert_eq!(chunks.iter().map(|c| c.shape()[0]).sum::<usize>(), 1003);
    chunks
        .into_par_iter()
        .for_each(|mut c| c.for_each_mut::<u32>(|x| *x = 0).unwrap());
    assert!(data
        .iter()
        .all(|r| r[1] == 0 && r[2] == 0 && r[0] != 0 && r[3] != 0));
}

#[test]
fn aliasing_or_interleaved_layouts_are_refused() {
    let mut raw = [0u8; 64];
    // Zero outer stride: every row is the same bytes.
    let mut v = MemoryViewMut::from_parts(&mut raw, "B", &[4, 8], Some(&[0, 1]), 0).unwrap();
    assert_eq!(
        v.par_row_chunks_mut(1).err().unwrap().kind(),
        ErrorKind::BufferError
    );
    // Zero inner stride.
    let mut v = MemoryViewMut::from_parts(&mut raw, "B", &[4, 8], Some(&[8, 0]), 0).unwrap();
    assert!(v.par_row_chunks_mut(2).is_err());
    // Transposed: rows interleave.
    let mut v = MemoryViewMut::from_parts(&mut raw, "B", &[8, 8], None, 0).unwrap();
    assert!(v.t_mut().par_row_chunks_mut(1).is_err());
    // Bad arguments.
    let mut v = MemoryViewMut::from_parts(&mut raw, "B", &[8, 8], None, 0).unwrap();
    assert_eq!(
        v.row_chunks_mut(0).err().unwrap().kind(),
        ErrorKind::ValueError
    );
    let mut one = 1u8;
    let mut v = MemoryViewMut::new(&mut one).unwrap();
    assert!(v.row_chunks_mut(1).is_err());
}
