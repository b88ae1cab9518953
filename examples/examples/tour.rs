//! `cargo run --example tour`: a guided tour of buffer-runtime.
fn main() -> Result<(), buffer_examples::Error> {
    buffer_examples::tour::run(&mut std::io::stdout())?;
    Ok(())
}
