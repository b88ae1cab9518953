use buffer_runtime::view::MemoryViewMut;
use buffer_runtime::BufferExport;

// A container over `&[T]` borrows its items shared: it is exported read-only.
#[derive(BufferExport)]
#[buffer(container)]
struct Borrowed<'a> {
    #[buffer(data)]
    items: &'a [u32],
}

fn main() {
    let data = [1u32, 2, 3];
    let mut b = Borrowed { items: &data };
    let _ = MemoryViewMut::new(&mut b);
}
