//! Exporting allocates nothing, for compile-time and runtime layouts alike (the `Py_buffer`
//! fields are computed when the value is stored): a counting global allocator watches
//! thousands of `PyObject_GetBuffer` / `PyBuffer_Release` pairs. (CPython's own allocations do
//! not go through Rust's allocator; this proves that our export path adds none.)
//!
//! One test in its own binary, so no other test thread allocates while it counts.
#![cfg(feature = "pyo3")]

use std::alloc::{GlobalAlloc, Layout, System};
use std::ffi::c_int;
use std::sync::atomic::{AtomicUsize, Ordering};

use buffer_runtime::python::ExportCell;
use buffer_runtime::{python_buffer, BufferExport};
use pyo3::ffi;
use pyo3::prelude::*;
use zerocopy::{FromBytes, Immutable, IntoBytes};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every method forwards to `System` unchanged; counting has no effect on the memory.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// A struct item with a hand-written (derive-equivalent) format, in a 2-d compile-time array.
#[derive(IntoBytes, FromBytes, Immutable, Clone, Copy)]
#[repr(C)]
struct Px {
    rgba: [u8; 4],
}
// SAFETY: `Px` is four bytes with no padding; `T{(4)B:rgba:}` describes exactly that.
unsafe impl buffer_runtime::Element for Px {
    const FORMAT: &'static str = "T{(4)B:rgba:}";
    const FORMAT_CSTR: &'static std::ffi::CStr = c"T{(4)B:rgba:}";
    const FIELD_FORMAT: &'static str = "T{(4)B:rgba:}";
}
// SAFETY: one `Px` is a 0-d buffer of itself.
unsafe impl buffer_runtime::StaticBufferLayout for Px {
    type Item = Px;
    const SHAPE: &'static [usize] = &[];
    const STRIDES: &'static [isize] = &[];
}
impl BufferExport for Px {
    type Item = Px;
    fn buffer_layout(&self) -> buffer_runtime::BufferLayout {
        buffer_runtime::BufferLayout::of_static::<Self>()
    }
    fn buffer_bytes(&self) -> &[u8] {
        self.as_bytes()
    }
}

#[pyclass]
struct Tile {
    px: ExportCell<[[Px; 8]; 8]>,
}
python_buffer!(Tile, |this| &this.px);

#[pyclass]
struct Frame {
    rows: ExportCell<Vec<[f32; 3]>>,
}
python_buffer!(Frame, |this| &this.rows);

fn export_release(obj: &Bound<'_, PyAny>, flags: c_int) {
    let mut view = std::mem::MaybeUninit::<ffi::Py_buffer>::zeroed();
    // SAFETY: `obj` is alive while we hold the GIL; `view` is valid for writes, and is released
    // right after a successful export.
    unsafe {
        assert_eq!(
            ffi::PyObject_GetBuffer(obj.as_ptr(), view.as_mut_ptr(), flags),
            0
        );
        assert_eq!(
            (*view.as_ptr()).ndim,
            if flags & ffi::PyBUF_ND != 0 { 2 } else { 1 }
        );
        ffi::PyBuffer_Release(view.as_mut_ptr());
    }
}

fn count(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    f();
    ALLOCATIONS.load(Ordering::Relaxed) - before
}

#[test]
fn compile_time_layouts_export_without_allocating() {
    Python::attach(|py| {
        let tile = Bound::new(
            py,
            Tile {
                px: ExportCell::new([[Px { rgba: [0; 4] }; 8]; 8]),
            },
        )
        .unwrap()
        .into_any();
        let frame = Bound::new(
            py,
            Frame {
                rows: ExportCell::new(vec![[0.0; 3]; 5]),
            },
        )
        .unwrap()
        .into_any();

        let flags = [
            ffi::PyBUF_FULL,
            ffi::PyBUF_FULL_RO,
            ffi::PyBUF_RECORDS,
            ffi::PyBUF_CONTIG,
            ffi::PyBUF_SIMPLE,
        ];
        let static_allocs = count(|| {
            for _ in 0..1000 {
                for f in flags {
                    export_release(&tile, f);
                }
            }
        });
        assert_eq!(
            static_allocs, 0,
            "exporting a compile-time layout allocated"
        );

        // Many objects exported at the same time allocate nothing either.
        let tiles: Vec<Bound<'_, PyAny>> = (0..64)
            .map(|_| {
                Bound::new(
                    py,
                    Tile {
                        px: ExportCell::new([[Px { rgba: [1; 4] }; 8]; 8]),
                    },
                )
                .unwrap()
                .into_any()
            })
            .collect();
        let mut views: Vec<ffi::Py_buffer> = Vec::with_capacity(tiles.len());
        let round = |views: &mut Vec<ffi::Py_buffer>| {
            for t in &tiles {
                let mut view = std::mem::MaybeUninit::<ffi::Py_buffer>::zeroed();
                // SAFETY: `t` is alive; `view` is valid for writes and released below.
                assert_eq!(
                    unsafe {
                        ffi::PyObject_GetBuffer(t.as_ptr(), view.as_mut_ptr(), ffi::PyBUF_FULL)
                    },
                    0
                );
                // SAFETY: the successful call initialised it.
                views.push(unsafe { view.assume_init() });
            }
            for v in views.iter_mut() {
                // SAFETY: each view was filled by a successful export and is released once.
                unsafe { ffi::PyBuffer_Release(v) };
            }
            views.clear();
        };
        let many_allocs = count(|| round(&mut views));
        assert_eq!(many_allocs, 0, "exporting 64 objects at once allocated");

        // A runtime layout (Vec): its shape and strides were stored once, with the value.
        let runtime_allocs = count(|| {
            for _ in 0..1000 {
                for f in flags {
                    export_release(&frame, f);
                }
            }
        });
        assert_eq!(runtime_allocs, 0, "exporting a runtime layout allocated");

        // Control: the counter does see this crate's allocations. Changing the value
        // describes it again, which stores the runtime shape and strides on the heap.
        let frame = frame.cast_into::<Frame>().unwrap();
        let redescribe = count(|| {
            frame.borrow_mut().rows.try_mut().unwrap().push([1.0; 3]);
        });
        assert!(redescribe >= 1, "{redescribe}");
    });
}
