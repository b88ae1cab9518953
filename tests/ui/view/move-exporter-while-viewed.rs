// Moving the exporter while a view borrows it does not compile.
use buffer_runtime::view::MemoryView;

fn main() {
    let samples = vec![0u16; 4];
    let view = MemoryView::new(&samples).unwrap();
    let taken = samples;
    println!("{:?} {}", view.shape(), taken.len());
}
