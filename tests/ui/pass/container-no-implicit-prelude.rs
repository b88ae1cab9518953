#![no_implicit_prelude]

#[derive(::buffer_runtime::BufferExport)]
#[buffer(container)]
struct Table<T: ::buffer_runtime::StaticBufferLayout> {
    n: usize,
    #[buffer(data, shape = [n])]
    rows: ::std::vec::Vec<T>,
}

fn main() {}
