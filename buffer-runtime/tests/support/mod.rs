//! Helpers shared by the property tests (`format_props.rs`, `overflow_sweep.rs`) and the
//! `format_roundtrip` fuzz target, which includes this file by path: only the public API of
//! `buffer_runtime`, no other dependency.

use buffer_runtime::format::{ItemLayout, Node};

/// The end of the furthest scalar of one item of `l`, from the public tree (the last element
/// of every sub-array lies furthest); `None` if the sum overflows.
pub fn scalar_end(l: &ItemLayout) -> Option<usize> {
    match l.node() {
        Node::Scalar(s) => Some(s.size),
        Node::Struct(fields) => fields.iter().try_fold(0usize, |end, f| {
            Some(end.max(f.offset.checked_add(scalar_end(&f.layout)?)?))
        }),
        Node::Array { dims, element } => {
            let n = dims.iter().try_fold(1usize, |a, &d| a.checked_mul(d))?;
            match n.checked_sub(1) {
                None => Some(0),
                Some(last) => last
                    .checked_mul(element.size())?
                    .checked_add(scalar_end(element)?),
            }
        }
    }
}
