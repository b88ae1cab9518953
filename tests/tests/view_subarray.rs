//! Sub-arrays in views: a sub-array field projects to extra dimensions (as numpy's
//! `a['pos']` does), and typed access reads arrays (`[f32; 2]`) from an item that is a
//! sub-array or from the view's last dimensions.

use buffer_runtime::view::{ErrorKind, MemoryView, MemoryViewMut, Value};

#[buffer_runtime::export]
#[derive(Clone, Copy, Debug, PartialEq)]
#[repr(C)]
struct Particle {
    pos: [f32; 2],
    id: u32,
}

#[buffer_runtime::export]
#[derive(Clone, Copy, Debug, PartialEq)]
#[repr(C)]
struct Cell {
    corners: [[u8; 2]; 3],
    tag: u16,
}

fn particles() -> Vec<Particle> {
    (0..5u32)
        .map(|i| Particle {
            pos: [i as f32, -(i as f32) - 0.5],
            id: 100 + i,
        })
        .collect()
}

#[test]
fn sub_array_field_adds_its_dimensions() {
    let data = particles();
    let view = MemoryView::new(&data).unwrap();
    let pos = view.field("pos").unwrap();
    assert_eq!(pos.shape(), [5, 2]);
    assert_eq!(pos.byte_strides(), [12, 4]);
    assert_eq!(pos.itemsize(), 4);
    assert_eq!(
        pos.format(),
        if cfg!(target_endian = "little") {
            "<f"
        } else {
            ">f"
        }
    );
    assert_eq!(pos.offset(), 0);
    // Values agree with the records, row by row.
    let Value::Array(rows) = pos.tolist().unwrap() else {
        panic!("not a list")
    };
    assert_eq!(rows.len(), 5);
    assert_eq!(
        rows[3],
        Value::Array(vec![Value::Float(3.0), Value::Float(-3.5)])
    );
    // A scalar field keeps the view's dimensions.
    let id = view.field("id").unwrap();
    assert_eq!(
        (id.shape(), id.byte_strides(), id.offset()),
        (&[5][..], &[12][..], 8)
    );
}

#[test]
fn nested_sub_array_field_and_count() {
    let data = [Cell {
        corners: [[1, 2], [3, 4], [5, 6]],
        tag: 7,
    }; 2];
    let view = MemoryView::new(&data).unwrap();
    let corners = view.field("corners").unwrap();
    assert_eq!(corners.shape(), [2, 3, 2]);
    assert_eq!(corners.byte_strides(), [8, 2, 1]);
    assert_eq!(corners.get_as::<u8>(&[1, 2, 1]).unwrap(), 6);
    assert_eq!(corners.get_as::<[u8; 2]>(&[0, 1]).unwrap(), [3, 4]);
    assert_eq!(
        corners.get_as::<[[u8; 2]; 3]>(&[1]).unwrap(),
        [[1, 2], [3, 4], [5, 6]]
    );
    // A repeat count is a dimension too (`3h` is three shorts), a length is not (`3s`).
    let raw: Vec<u8> = (0..20).collect();
    let v = MemoryView::from_parts(&raw, "T{<3h:a:4s:b:}", &[2], None, 0).unwrap();
    let a = v.field("a").unwrap();
    assert_eq!(
        (a.shape(), a.format(), a.byte_strides()),
        (&[2, 3][..], "<h", &[10, 2][..])
    );
    let b = v.field("b").unwrap();
    assert_eq!((b.shape(), b.format(), b.offset()), (&[2][..], "<4s", 6));
    // A struct sub-array: its elements are the structs.
    let raw = [0u8; 24];
    let v = MemoryView::from_parts(&raw, "T{(2)T{<H:x:<H:y:}:pts:<I:n:}", &[2], None, 0).unwrap();
    let pts = v.field("pts").unwrap();
    assert_eq!(
        (pts.shape(), pts.itemsize(), pts.byte_strides()),
        (&[2, 2][..], 4, &[12, 4][..])
    );
    assert_eq!(pts.field("y").unwrap().byte_strides(), [12, 4]);
}

#[test]
fn scalars_and_rows_of_a_sub_array_field() {
    let data = particles();
    let view = MemoryView::new(&data).unwrap();
    let pos = view.field("pos").unwrap();
    let flat: Vec<f32> = pos.iter_as::<f32>().unwrap().collect();
    let want: Vec<f32> = data.iter().flat_map(|p| p.pos).collect();
    assert_eq!(flat, want);
    let pairs: Vec<[f32; 2]> = pos.iter_as::<[f32; 2]>().unwrap().collect();
    assert_eq!(pairs, data.iter().map(|p| p.pos).collect::<Vec<_>>());
    assert_eq!(pos.iter_as::<[f32; 2]>().unwrap().len(), 5);
    let sum: f32 = pos.iter_as::<[f32; 2]>().unwrap().map(|[x, _]| x).sum();
    assert_eq!(sum, 10.0);
    assert_eq!(pos.get_as::<[f32; 2]>(&[-1]).unwrap(), [4.0, -4.5]);
    assert!(std::ptr::eq(
        pos.get_ref_as::<[f32; 2]>(&[2]).unwrap(),
        &data[2].pos
    ));
    // The index names the leading dimensions only.
    let err = pos.get_as::<[f32; 2]>(&[1, 0]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TypeError);
    assert!(pos.get_as::<[f32; 2]>(&[5]).is_err());
    // Whole records as arrays are refused: the item is a struct, not an `f32`.
    assert!(view.iter_as::<[f32; 3]>().is_err());
}

#[test]
fn arrays_from_the_last_dimensions() {
    let grid = vec![[1u32, 2, 3], [4, 5, 6]];
    let view = MemoryView::new(&grid).unwrap();
    assert_eq!(view.as_slice::<[u32; 3]>().unwrap(), &grid[..]);
    assert_eq!(
        view.iter_as::<[u32; 3]>().unwrap().collect::<Vec<_>>(),
        grid
    );
    // `[[u32; 3]; 2]` is the whole view, read at the empty index.
    assert_eq!(
        view.get_as::<[[u32; 3]; 2]>(&[]).unwrap(),
        [[1, 2, 3], [4, 5, 6]]
    );
    assert_eq!(view.iter_as::<[[u32; 3]; 2]>().unwrap().count(), 1);
    // Wrong shape, wrong element type, and a transposed (not C-contiguous) view.
    let err = view.iter_as::<[u32; 2]>().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ValueError);
    assert!(err.to_string().contains("last dimensions are [2]"), "{err}");
    assert!(view.iter_as::<[i16; 3]>().is_err());
    let t = view.t();
    let err = t.iter_as::<[u32; 2]>().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BufferError);
    assert!(err.to_string().contains("C-contiguous"), "{err}");
    // Zero-sized arrays read nothing: refused with an error, not a read out of bounds.
    let empty: Vec<[u32; 0]> = vec![[]; 3];
    let view = MemoryView::new(&empty).unwrap();
    assert!(view.iter_as::<[u32; 0]>().is_err());
}

#[test]
#[cfg(target_endian = "little")] // `<H` is `u16` only on a little-endian host
fn items_that_are_sub_arrays() {
    let raw: Vec<u8> = (0..12).collect();
    // Three items, each a (2)<H sub-array.
    let view = MemoryView::from_parts(&raw, "(2)<H", &[3], None, 0).unwrap();
    let got: Vec<[u16; 2]> = view.iter_as::<[u16; 2]>().unwrap().collect();
    assert_eq!(
        got[1],
        [u16::from_le_bytes([4, 5]), u16::from_le_bytes([6, 7])]
    );
    assert_eq!(got.len(), 3);
    assert!(view.check_type::<[u16; 2]>().is_ok());
    assert!(view.check_type::<[u16; 3]>().is_err());
    assert!(view.check_type::<[i16; 2]>().is_err());
}

#[test]
fn writes_through_array_types() {
    let mut data = particles();
    let mut view = MemoryViewMut::new(&mut data).unwrap();
    let mut pos = view.field_mut("pos").unwrap();
    pos.set_as::<[f32; 2]>(&[0], [9.0, 8.0]).unwrap();
    pos.for_each_mut::<[f32; 2]>(|p| p.swap(0, 1)).unwrap();
    *pos.get_mut_as::<[f32; 2]>(&[4]).unwrap() = [0.25, 0.5];
    drop(view);
    assert_eq!(data[0].pos, [8.0, 9.0]);
    assert_eq!(data[1].pos, [-1.5, 1.0]);
    assert_eq!(data[4].pos, [0.25, 0.5]);
    assert_eq!(data[4].id, 104);
    let mut grid = vec![[0u16; 4]; 3];
    let mut view = MemoryViewMut::new(&mut grid).unwrap();
    view.as_slice_mut::<[u16; 4]>().unwrap()[2] = [1, 2, 3, 4];
    drop(view);
    assert_eq!(grid[2], [1, 2, 3, 4]);
}
