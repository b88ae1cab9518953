// Padding under the attribute: our message names the field; zerocopy's `IntoBytes` (which the
// attribute derives) reports the same padding too, once, from its derive.
#[buffer_runtime::export]
#[repr(C)]
struct Sample {
    a: u8,
    b: u32,
}

fn main() {}
