#[buffer_runtime::export]
fn point() {}

fn main() {}
