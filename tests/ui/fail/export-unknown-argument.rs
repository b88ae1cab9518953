#[buffer_runtime::export(readonly)]
#[repr(C)]
struct Point {
    x: u32,
}

fn main() {}
