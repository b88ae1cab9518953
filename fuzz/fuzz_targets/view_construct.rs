//! Any bytes, format, shape, strides and offset: `from_parts` answers `Ok` or `Err`; an
//! accepted view reads every item (tolist, tobytes, hex) inside its bytes (ASan checks the
//! reads; the bytes are copied into an allocation of exactly their length).
#![no_main]

mod common;

use arbitrary::Arbitrary;
use buffer_runtime::view::{MemoryView, MemoryViewMut, Order};
use common::Fmt;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    format: Fmt,
    shape: Vec<usize>,
    strides: Option<Vec<isize>>,
    offset: usize,
    small: bool,
    bytes: Vec<u8>,
}

/// Keep most numbers small so that views are often valid, but let huge ones through too.
fn shrink(x: usize, small: bool) -> usize {
    if small {
        x % 9
    } else {
        x
    }
}

fuzz_target!(|input: Input| {
    let shape: Vec<usize> = input
        .shape
        .iter()
        .map(|&d| shrink(d, input.small))
        .collect();
    let strides: Option<Vec<isize>> = input.strides.as_ref().map(|s| {
        s.iter()
            .map(|&x| if input.small { x % 17 } else { x })
            .collect()
    });
    let offset = shrink(input.offset, input.small);
    let bytes: Box<[u8]> = input.bytes.clone().into_boxed_slice();
    let format = input.format.text();
    let Ok(view) = MemoryView::from_parts(&bytes, format, &shape, strides.as_deref(), offset)
    else {
        return;
    };
    let nbytes = view.nbytes();
    assert_eq!(view.item_count() * view.itemsize(), nbytes);
    assert_eq!(view.shape(), &shape[..]);
    // Zero strides and zero-size items make huge valid views in few bytes, and a huge
    // dimension before a 0 makes a huge nested list of empty lists: building all of it is
    // slow (or a MemoryError), not wrong. Only a list too large for any allocation is
    // checked (it must fail without allocating).
    let nodes = common::list_nodes(&shape)
        .saturating_add(1)
        .saturating_mul(common::value_nodes(view.item_format().layout()));
    if nbytes > 1 << 20 || nodes > 1 << 16 {
        let limit = isize::MAX as usize / core::mem::size_of::<buffer_runtime::format::Value>();
        if view.ndim() > 0 && view.shape()[0] > limit {
            assert!(view.tolist().is_err());
        }
        return;
    }
    for order in [Order::C, Order::F, Order::A] {
        assert_eq!(view.tobytes(order).len(), nbytes);
    }
    let _ = view.tolist();
    for v in view.values().take(4096) {
        let _ = v;
    }
    if let Ok(h) = view.hex(None, 1) {
        assert_eq!(h.len(), 2 * nbytes);
    }
    let _ = view.len();
    let _ = view == view;
    let _ = view.hash_value();
    // The same view, writable, over a copy: writing every item back must stay inside too.
    let mut copy = bytes.clone();
    if let Ok(mut w) =
        MemoryViewMut::from_parts(&mut copy, format, &shape, strides.as_deref(), offset)
    {
        if let Ok(list) = view.tolist() {
            if view.ndim() == 0 {
                let _ = w.set(&[], &list);
            } else if view.ndim() == 1 {
                if let buffer_runtime::format::Value::Array(items) = &list {
                    for (i, item) in items.iter().enumerate().take(256) {
                        let _ = w.set(&[i as isize], item);
                    }
                }
            }
        }
        // An empty view may have a huge item size; a fill item of that size is no test.
        if w.itemsize() <= 1 << 16 {
            let _ = w.fill_bytes(&vec![0xa5; w.itemsize()]);
        }
    }
});
