// `index!` explains its syntax instead of a bare "no rules expected this token".
use buffer_runtime::index;

fn main() {
    let _ = index![1;;2];
}
