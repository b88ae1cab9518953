// A view cannot outlive the exporter it borrows.
use buffer_runtime::view::MemoryView;

fn main() {
    let view = {
        let data = vec![1u8, 2, 3];
        MemoryView::new(&data).unwrap()
    };
    println!("{:?}", view.shape());
}
