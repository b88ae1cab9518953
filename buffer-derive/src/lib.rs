//! The `#[derive(BufferExport)]` macro of `buffer-runtime`. Use it through `buffer-runtime`,
//! which re-exports it and documents it.
//!
//! The derive runs in three stages, one per module, joined in [`expand::derive`]:
//! [`ast`] parses the input into a borrowing AST (with [`attr`] reading the `#[buffer(...)]` and
//! `#[repr(...)]` attributes), [`valid`] checks the rules that span fields, and [`expand`]
//! generates the impls. Every stage reports errors into one [`ctxt::Ctxt`], so the user sees all
//! of them in one compile; when there are any, [`fallback`] emits stub impls beside them so that
//! uses of the type do not add follow-on errors.
extern crate proc_macro;

mod ast;
mod attr;
mod ctxt;
mod expand;
mod fallback;
#[cfg(test)]
mod tests;
mod valid;

use proc_macro::TokenStream;
use syn::{parse_macro_input, DeriveInput};

/// See `buffer_runtime::BufferExport`.
#[proc_macro_derive(BufferExport, attributes(buffer))]
pub fn derive_buffer_export(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::derive(&input).into()
}
