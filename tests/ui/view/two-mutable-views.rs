// Only one writable view of an exporter at a time.
use buffer_runtime::view::MemoryViewMut;

fn main() {
    let mut data = vec![0i32; 4];
    let mut a = MemoryViewMut::new(&mut data).unwrap();
    let mut b = MemoryViewMut::new(&mut data).unwrap();
    a.set_as::<i32>(&[0], 1).unwrap();
    b.set_as::<i32>(&[0], 2).unwrap();
}
