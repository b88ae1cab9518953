// A writable view needs items that accept every bit pattern: not bool.
use buffer_runtime::view::MemoryViewMut;

fn main() {
    let mut flags = [true, false];
    let _view = MemoryViewMut::new(&mut flags).unwrap();
}
