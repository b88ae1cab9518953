// Dropping the exporter ends the borrow a view needs: using the view afterwards does not
// compile (CPython would raise "operation forbidden on released memoryview object").
use buffer_runtime::view::MemoryView;

fn main() {
    let data = vec![1.5f64, 2.5];
    let view = MemoryView::new(&data).unwrap();
    drop(data);
    println!("{:?}", view.tolist());
}
