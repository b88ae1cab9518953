// `T: Element` takes single items only: an array argument is refused with a note naming the
// bound that accepts arrays, `T: FieldType`.
#[buffer_runtime::export]
#[repr(C)]
struct Pair<T: buffer_runtime::Element> {
    a: T,
    b: T,
}

fn main() {
    let _ = <Pair<[u16; 2]> as buffer_runtime::Element>::FORMAT;
}
