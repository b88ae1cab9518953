//! The adapters of other crates' types (features `half`, `num-complex`, `image`, `nalgebra`),
//! checked against each crate's own API: what a view reads is what the crate says is there,
//! and what a view writes the crate then sees.

#[cfg(feature = "half")]
mod half_items {
    use buffer_runtime::view::{MemoryView, MemoryViewMut, Order};
    use buffer_runtime::{BufferExport, Element, StaticBufferLayout};
    use half::f16;

    #[test]
    fn f16_items_round_trip_every_bit_pattern() {
        // Every one of the 65536 patterns: typed reads give back the same bits (NaNs included),
        // and the bytes are the crate's own `to_ne_bytes`.
        let all: Vec<f16> = (0..=u16::MAX).map(f16::from_bits).collect();
        let view = MemoryView::new(&all).unwrap();
        assert_eq!((view.format(), view.itemsize()), ("e", 2));
        let bytes: Vec<u8> = all.iter().flat_map(|x| x.to_ne_bytes()).collect();
        assert_eq!(view.tobytes(Order::C), bytes);
        assert!(view
            .iter_as::<f16>()
            .unwrap()
            .zip(&all)
            .all(|(a, b)| a.to_bits() == b.to_bits()));
        // The untyped values are the crate's conversion to f64.
        for (i, x) in all.iter().enumerate().step_by(97) {
            let v = view.get(&[i as isize]).unwrap();
            match v {
                buffer_runtime::format::Value::Float(f) => {
                    assert!(f.to_bits() == x.to_f64().to_bits() || (f.is_nan() && x.is_nan()))
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn f16_fields_and_typed_writes() {
        #[buffer_runtime::export]
        #[repr(C)]
        #[derive(Clone, Copy)]
        struct Px {
            depth: f16,
            mask: u8,
            #[buffer(padding)]
            _pad: [u8; 1],
        }
        assert_eq!(<Px as StaticBufferLayout>::ITEMSIZE, 4);
        let mut px = vec![
            Px {
                depth: f16::from_f32(0.5),
                mask: 1,
                _pad: [0]
            };
            3
        ];
        let mut view = MemoryViewMut::new(&mut px).unwrap();
        let mut depth = view.field_mut("depth").unwrap();
        depth.set_as::<f16>(&[2], f16::NEG_INFINITY).unwrap();
        assert!(depth.set_as::<u16>(&[0], 1).is_err()); // `H` is not `e`
        drop(view);
        assert_eq!(px[2].depth, f16::NEG_INFINITY);
        assert_eq!(px[0].depth, f16::from_f32(0.5));
        assert!(Px::FORMAT.contains("e:depth:"));
        assert_eq!(px.buffer_bytes().len(), 12);
    }

    #[cfg(feature = "ndarray")]
    #[test]
    fn f16_views_are_ndarray_arrays() {
        let grid = [[f16::ONE, f16::ZERO], [f16::MAX, f16::MIN]];
        let view = MemoryView::new(&grid).unwrap();
        let t = view.t();
        let a = t.as_array::<f16>().unwrap();
        assert_eq!(a[[0, 1]], f16::MAX);
        assert_eq!(a.strides(), &[1, 2]);
    }
}

#[cfg(feature = "num-complex")]
mod complex_items {
    use buffer_runtime::format::Value;
    use buffer_runtime::num_complex::{Zd, Zf};
    use buffer_runtime::view::{MemoryView, MemoryViewMut};
    use buffer_runtime::{index, BufferExport, BufferExportMut};
    use num_complex::Complex;

    #[test]
    fn complex_values_as_num_complex_sees_them() {
        let z: Vec<Complex<f32>> = (0..6)
            .map(|k| Complex::new(k as f32, -0.5 * k as f32))
            .collect();
        let view = MemoryView::new(&z).unwrap();
        assert_eq!(view.format(), "Zf");
        for (k, w) in z.iter().enumerate() {
            assert_eq!(
                view.get(&[k as isize]).unwrap(),
                Value::Complex(f64::from(w.re), f64::from(w.im))
            );
        }
        // A strided view reads through the item type; the slice form needs contiguity.
        let odd = view.sub(&index![1..;2]).unwrap();
        let got: Vec<Complex<f32>> = odd.iter_as::<Zf>().unwrap().map(Complex::from).collect();
        assert_eq!(got, [z[1], z[3], z[5]]);
        assert!(odd.as_complex_slice::<f32>().is_err());
        assert!(view.iter_as::<Zd>().is_err());
    }

    #[test]
    fn every_container_exports_and_writes() {
        let mut boxed: Box<[Complex<f64>]> = vec![Complex::new(1.0, 2.0); 2].into_boxed_slice();
        boxed.buffer_bytes_mut()[8..16].copy_from_slice(&5.0f64.to_ne_bytes());
        assert_eq!(boxed[0], Complex::new(1.0, 5.0));
        let mut arr = [Complex::new(0.0f32, 0.0); 3];
        let mut view = MemoryViewMut::new(&mut arr).unwrap();
        view.set_as::<Zf>(&[-1], Zf { re: 7.0, im: -7.0 }).unwrap();
        drop(view);
        assert_eq!(arr[2], Complex::new(7.0, -7.0));
        let slice: &[Complex<f32>] = &arr;
        assert_eq!(&*slice.buffer_layout().shape, &[3]);
        assert_eq!(<Vec<Complex<f64>> as BufferExport>::format(), "Zd");
        // A view of bytes from elsewhere (a file, Python) at an odd offset is misaligned for an
        // in-place slice: an error, not a panic; the copying reads still work.
        let raw = [0u8; 17];
        let odd = MemoryView::from_parts(&raw[1..], "Zd", &[1], None, 0).unwrap();
        if raw[1..].as_ptr() as usize % 8 != 0 {
            assert!(odd.as_complex_slice::<f64>().is_err());
        }
        assert_eq!(
            odd.iter_as::<Zd>().unwrap().next(),
            Some(Zd { re: 0.0, im: 0.0 })
        );
    }
}

#[cfg(feature = "image")]
mod image_adapter {
    use buffer_runtime::view::{MemoryView, MemoryViewMut};
    use buffer_runtime::{index, BufferExport};
    use image::{ImageBuffer, Luma, LumaA, Rgb, Rgb32FImage, Rgba};

    #[test]
    fn every_sample_is_where_get_pixel_says() {
        let img: ImageBuffer<Rgba<u16>, Vec<u16>> = ImageBuffer::from_fn(5, 3, |x, y| {
            Rgba([x as u16, y as u16, (x * y) as u16, 1000 + x as u16])
        });
        let view = MemoryView::new(&img).unwrap();
        assert_eq!(
            (view.format(), view.shape(), view.byte_strides()),
            ("H", &[3usize, 5, 4][..], &[40isize, 8, 2][..])
        );
        for (x, y, px) in img.enumerate_pixels() {
            for c in 0..4 {
                let got = view
                    .get_as::<u16>(&[y as isize, x as isize, c as isize])
                    .unwrap();
                assert_eq!(got, px.0[c]);
            }
        }
        let back = view.as_image::<Rgba<u16>>().unwrap();
        assert_eq!(*back.as_raw(), &img.as_raw()[..]);
        // Rows 1.. stay C-contiguous: a shorter image.
        let lower = view.sub(&index![1..]).unwrap();
        let lower = lower.as_image::<Rgba<u16>>().unwrap();
        assert_eq!(lower.dimensions(), (5, 2));
        assert_eq!(lower.get_pixel(4, 1), img.get_pixel(4, 2));
        // A column slice is not C-contiguous: refused.
        assert!(view
            .sub(&index![.., 1..])
            .unwrap()
            .as_image::<Rgba<u16>>()
            .is_err());
    }

    #[test]
    fn float_and_two_channel_images() {
        let img = Rgb32FImage::from_fn(2, 2, |x, y| Rgb([x as f32, y as f32, 0.5]));
        let view = MemoryView::new(&img).unwrap();
        assert_eq!(view.format(), "f");
        assert_eq!(view.get_as::<f32>(&[1, 0, 1]).unwrap(), 1.0);
        let la = ImageBuffer::<LumaA<u8>, Vec<u8>>::from_pixel(3, 1, LumaA([9, 255]));
        assert_eq!(MemoryView::new(&la).unwrap().shape(), &[1, 3, 2]);
        assert!(MemoryView::new(&la)
            .unwrap()
            .as_image::<Luma<u8>>()
            .is_err());
    }

    #[test]
    fn longer_containers_export_only_the_image() {
        // `from_raw` accepts a container longer than the image; the tail is not the image's.
        let raw: Vec<u8> = (0..20).collect();
        let img: ImageBuffer<Luma<u8>, Vec<u8>> = ImageBuffer::from_raw(4, 3, raw).unwrap();
        assert_eq!(img.buffer_bytes().len(), 12);
        let view = MemoryView::new(&img).unwrap();
        assert_eq!((view.shape(), view.nbytes()), (&[3usize, 4, 1][..], 12));
        // A 2-d view is a one-channel image too.
        let flat = [[1u8, 2], [3, 4]];
        let gray = MemoryView::new(&flat).unwrap();
        assert_eq!(
            gray.as_image::<Luma<u8>>().unwrap().get_pixel(1, 1),
            &Luma([4])
        );
    }

    #[test]
    fn writes_through_views_land_in_the_image() {
        // An owned image, and an image borrowing a caller's buffer mutably.
        let mut img = ImageBuffer::<Rgb<u8>, Vec<u8>>::new(3, 2);
        let mut view = MemoryViewMut::new(&mut img).unwrap();
        view.sub_mut(&index![.., .., 1])
            .unwrap()
            .for_each_mut::<u8>(|g| *g = 200)
            .unwrap();
        drop(view);
        assert!(img.pixels().all(|p| p.0 == [0, 200, 0]));

        let mut storage = vec![0u8; 2 * 2 * 3];
        let mut borrowed = ImageBuffer::<Rgb<u8>, &mut [u8]>::from_raw(2, 2, &mut storage).unwrap();
        let mut view = MemoryViewMut::new(&mut borrowed).unwrap();
        view.as_image_mut::<Rgb<u8>>()
            .unwrap()
            .put_pixel(1, 1, Rgb([1, 2, 3]));
        drop(view);
        assert_eq!(borrowed.get_pixel(1, 1), &Rgb([1, 2, 3]));
        assert_eq!(&storage[9..], &[1, 2, 3]);
    }
}

#[cfg(feature = "nalgebra")]
mod nalgebra_adapter {
    use buffer_runtime::view::{MemoryView, MemoryViewMut};
    use buffer_runtime::{index, BufferExport, BufferLayoutError};
    use nalgebra::{DMatrix, Matrix3x4, Vector3};

    #[test]
    fn every_element_is_where_the_matrix_says() {
        let m = DMatrix::<f64>::from_fn(4, 3, |r, c| (10 * r + c) as f64);
        let view = MemoryView::new(&m).unwrap();
        assert_eq!(view.byte_strides(), &[8, 32]);
        assert!(view.f_contiguous());
        for r in 0..4 {
            for c in 0..3 {
                assert_eq!(
                    view.get_as::<f64>(&[r, c]).unwrap(),
                    m[(r as usize, c as usize)]
                );
            }
        }
        // Views: whole columns are dense, as is a transposed view of the whole matrix.
        let cols = m.columns(1, 2);
        let v = MemoryView::new(&cols).unwrap();
        assert_eq!(v.shape(), &[4, 2]);
        assert_eq!(v.get_as::<f64>(&[3, 1]).unwrap(), m[(3, 2)]);
        let t = m.transpose();
        assert!(MemoryView::new(&t).unwrap().f_contiguous());
        // Some rows leave gaps (the other rows' elements): refused.
        assert_eq!(
            m.rows(1, 2).try_buffer_layout(),
            Err(BufferLayoutError::NotContiguous)
        );
        assert!(MemoryView::new(&m.rows(1, 2)).is_err());
        // Vectors are n x 1 matrices.
        let v3 = Vector3::new(1u8, 2, 3);
        assert_eq!(MemoryView::new(&v3).unwrap().shape(), &[3, 1]);
    }

    #[test]
    fn views_become_matrices_with_their_strides() {
        let grid: Vec<[i32; 4]> = (0..3)
            .map(|r| [4 * r, 4 * r + 1, 4 * r + 2, 4 * r + 3])
            .collect();
        let view = MemoryView::new(&grid).unwrap();
        let m = view.as_matrix::<i32>().unwrap();
        assert_eq!(m, Matrix3x4::from_fn(|r, c| (4 * r + c) as i32));
        assert_eq!(m.strides(), (4, 1)); // row-major memory, as nalgebra strides
        let sub = view.sub(&index![1.., ..;3]).unwrap();
        let m = sub.as_matrix::<i32>().unwrap();
        assert_eq!((m.nrows(), m.ncols()), (2, 2));
        assert_eq!(m[(1, 1)], 11);
        // Empty views become empty matrices, whatever their strides.
        for spec in [index![..0, ..], index![.., 4..], index![..0, ..;2]] {
            let e = view.sub(&spec).unwrap();
            let t = e.t();
            let m = t.as_matrix::<i32>().unwrap();
            assert!(m.is_empty());
        }
        // Not 2-d, another type, a reversed axis: errors.
        assert!(view.index(0).unwrap().as_matrix::<i32>().is_err());
        assert!(view.as_matrix::<u32>().is_err());
        assert!(view
            .sub(&index![.., ..;-1])
            .unwrap()
            .as_matrix::<i32>()
            .is_err());
    }

    #[test]
    fn writes_go_both_ways() {
        let mut m = DMatrix::<f32>::zeros(2, 3);
        let mut view = MemoryViewMut::new(&mut m).unwrap();
        view.set_as::<f32>(&[1, 2], 4.5).unwrap();
        drop(view);
        assert_eq!(m[(1, 2)], 4.5);
        // A mutable column view of a matrix is writable in place.
        let mut col = m.column_mut(0);
        let mut view = MemoryViewMut::new(&mut col).unwrap();
        view.set_as::<f32>(&[1, 0], -1.0).unwrap();
        drop(view);
        assert_eq!(m[(1, 0)], -1.0);

        let mut grid = [[1.0f64, 2.0, 3.0], [4.0, 5.0, 6.0]];
        let mut view = MemoryViewMut::new(&mut grid).unwrap();
        let mut mm = view.as_matrix_mut::<f64>().unwrap();
        mm.row_mut(1).iter_mut().for_each(|x| *x *= 10.0);
        drop(view);
        assert_eq!(grid[1], [40.0, 50.0, 60.0]);
        // A zero stride would alias two elements: refused before nalgebra could panic.
        let one = [7.0f64];
        let raw = one
            .iter()
            .flat_map(|x| x.to_ne_bytes())
            .collect::<Vec<u8>>();
        let mut raw = raw;
        let mut aliased =
            MemoryViewMut::from_parts(&mut raw, "d", &[2, 2], Some(&[0, 0]), 0).unwrap();
        assert!(aliased.as_matrix_mut::<f64>().is_err());
        assert_eq!(aliased.as_matrix::<f64>().unwrap().sum(), 28.0); // fine to read
    }
}
