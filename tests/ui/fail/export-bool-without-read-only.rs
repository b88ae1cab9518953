// A `bool` cannot be written from Python: one error, at the field, naming the opt-out.
#[buffer_runtime::export]
#[repr(C)]
struct Flag {
    level: u8,
    on: [bool; 1],
}

fn main() {
    let _ = <Flag as buffer_runtime::Element>::FORMAT;
}
