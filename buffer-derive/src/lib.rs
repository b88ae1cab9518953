//! The `#[derive(BufferExport)]` macro of `buffer-runtime`. Use it through `buffer-runtime`.
extern crate proc_macro;
use proc_macro::TokenStream;

/// See `buffer_runtime::BufferExport`.
#[proc_macro_derive(BufferExport, attributes(buffer))]
pub fn derive_buffer_export(input: TokenStream) -> TokenStream {
    let _ = input;
    TokenStream::new()
}
