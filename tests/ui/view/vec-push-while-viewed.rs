// Growing a Vec may move its buffer: not while a view borrows it
// (CPython: "BufferError: Existing exports of data: object cannot be re-sized").
use buffer_runtime::view::MemoryView;

fn main() {
    let mut v = vec![1u32, 2, 3];
    let view = MemoryView::new(&v).unwrap();
    v.push(4);
    println!("{:?}", view.shape());
}
