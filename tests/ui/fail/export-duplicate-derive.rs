// The attribute derives these already: the user's own derive is reported, not a conflict.
use zerocopy::IntoBytes;

#[buffer_runtime::export]
#[derive(IntoBytes, Clone)]
#[repr(C)]
struct Point {
    x: u32,
}

fn main() {
    let _ = <Point as buffer_runtime::Element>::FORMAT;
}
