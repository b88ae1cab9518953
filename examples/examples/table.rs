//! `cargo run --example table`: a table of records, its layout, a column and a filter.
fn main() -> Result<(), buffer_examples::Error> {
    buffer_examples::table::run(12, &mut std::io::stdout())?;
    Ok(())
}
