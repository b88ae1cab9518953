use core::marker::PhantomData;
use buffer_runtime::BufferExport;

#[derive(BufferExport)]
#[repr(C)]
struct Tag<T> {
    _t: PhantomData<T>,
}

fn main() {}
