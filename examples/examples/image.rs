//! `cargo run --example image`: an RGBA image, cropped, split by channel and flipped without
//! copying.
fn main() -> Result<(), buffer_examples::Error> {
    buffer_examples::image::run(&mut std::io::stdout())?;
    Ok(())
}
