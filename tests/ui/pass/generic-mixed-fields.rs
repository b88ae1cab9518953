// A generic struct whose fields are not all the parameter: zerocopy's `IntoBytes` derive cannot
// prove it free of padding, so the attribute leaves it out and the derive's own layout check
// proves it for each instantiation used.
use buffer_runtime::view::MemoryView;
use buffer_runtime::{BufferExport, Element, FieldType};

#[buffer_runtime::export]
#[derive(Clone, Copy)]
#[repr(C)]
struct Stamped<T: FieldType> {
    t: u64,
    value: T,
}

fn main() {
    let o = if cfg!(target_endian = "little") { "<" } else { ">" };
    assert_eq!(<Stamped<f64> as Element>::FORMAT, format!("T{{{o}Q:t:{o}d:value:}}"));
    assert_eq!(
        <Stamped<[u32; 2]> as Element>::FORMAT,
        format!("T{{{o}Q:t:(2){o}I:value:}}")
    );
    let rows = vec![Stamped { t: 1, value: 2.5f64 }, Stamped { t: 2, value: -1.0 }];
    assert_eq!(rows.buffer_bytes().len(), 32);
    let view = MemoryView::new(&rows).unwrap();
    let values: Vec<f64> = view.field("value").unwrap().iter_as::<f64>().unwrap().collect();
    assert_eq!(values, [2.5, -1.0]);
    let mut rows = rows;
    let mut view = buffer_runtime::MemoryViewMut::new(&mut rows).unwrap();
    view.field_mut("t").unwrap().set_as::<u64>(&[1], 7).unwrap();
    drop(view);
    assert_eq!(rows[1].t, 7);
}
