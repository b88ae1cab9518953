use buffer_runtime::BufferExport;

#[derive(BufferExport)]
#[repr(u8)]
enum Shape {
    Point,
    Circle(f32),
}

fn main() {}
