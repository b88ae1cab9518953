// `s!` explains its syntax instead of a bare "no rules expected this token".
use buffer_runtime::s;

fn main() {
    let _ = s![1;;2];
}
