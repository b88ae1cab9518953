// Two writable sub-views of one writable view cannot coexist.
use buffer_runtime::view::MemoryViewMut;

fn main() {
    let mut grid = [[0u8; 2]; 2];
    let mut view = MemoryViewMut::new(&mut grid).unwrap();
    let mut row0 = view.index_mut(0).unwrap();
    let mut row1 = view.index_mut(1).unwrap();
    row0.set_as::<u8>(&[0], 1).unwrap();
    row1.set_as::<u8>(&[0], 1).unwrap();
}
