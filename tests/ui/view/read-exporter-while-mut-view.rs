// A writable view is the only access to its exporter while it lives: no reads either.
use buffer_runtime::view::MemoryViewMut;

fn main() {
    let mut data = [0u8; 4];
    let mut view = MemoryViewMut::new(&mut data).unwrap();
    println!("{}", data[0]);
    view.set_as::<u8>(&[0], 1).unwrap();
}
