use buffer_runtime::BufferExport;

#[derive(BufferExport)]
#[buffer(container)]
struct Samples {
    #[buffer(data)]
    values: [f32; 16],
}

fn main() {}
