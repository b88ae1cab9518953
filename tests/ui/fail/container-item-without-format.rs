use buffer_runtime::BufferExport;

#[derive(BufferExport)]
#[buffer(container)]
struct Names {
    #[buffer(data)]
    names: Vec<String>,
}

fn main() {}
