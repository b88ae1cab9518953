use buffer_runtime::BufferExport;

#[derive(BufferExport)]
#[buffer(container)]
struct Stereo {
    #[buffer(data)]
    left: Vec<f32>,
    #[buffer(data)]
    right: Vec<f32>,
}

fn main() {}
