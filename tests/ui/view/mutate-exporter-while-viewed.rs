// Writing to the exporter while a read-only view lives does not compile.
use buffer_runtime::view::MemoryView;

fn main() {
    let mut data = [1u8, 2, 3];
    let view = MemoryView::new(&data).unwrap();
    data[0] = 9;
    println!("{:?}", view.shape());
}
