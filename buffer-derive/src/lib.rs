//! The `#[derive(BufferExport)]` and `#[buffer_runtime::export]` macros of `buffer-runtime`.
//! Use them through `buffer-runtime`, which re-exports and documents them.
//!
//! The attribute (`expand::export`, its arguments in `attr::Export`) only rewrites the item:
//! it adds `#[derive(BufferExport)]` and zerocopy's derives, named through the runtime's
//! re-export `__private::zerocopy` (with `#[zerocopy(crate = "...")]`), and reports what it can
//! see before they run (a `bool`/`char` field without `read_only`, a derive it would
//! duplicate), each as one error, leaving out the derive whose errors that one replaces.
//!
//! The derive runs in three stages, one per module, joined in `expand::derive`:
//! `ast` parses the input into a borrowing AST (with `attr` reading the `#[buffer(...)]` and
//! `#[repr(...)]` attributes), `valid` checks the rules that span fields, and `expand`
//! generates the impls. Every stage reports errors into one `ctxt::Ctxt`, so the user sees all
//! of them in one compile; when there are any, `fallback` emits stub impls beside them so that
//! uses of the type do not add follow-on errors.
//!
//! # Design notes
//!
//! - **zerocopy proves, we locate.** Users derive zerocopy's `IntoBytes` and `Immutable` beside
//!   ours, which prove no padding, initialised bytes and no interior mutability (`Immutable`
//!   is a supertrait of `Element`; `IntoBytes` is required of a concrete struct). We add what
//!   zerocopy does not say: *which* field implicit padding precedes, by one `const` per field
//!   comparing `offset_of!` with the end of the previous field, panicking at compile time with
//!   the fix, spanned at the field. zerocopy reports the same padding too, once; that second
//!   error is accepted, since zerocopy 0.8 has no stable way to leave it out. For a generic
//!   struct, which zerocopy's `IntoBytes` derive cannot prove (it asks every field to be
//!   `Unaligned`), the same checks, per instantiation, are the proof, and the attribute
//!   derives no `IntoBytes`: a padded instantiation gets our error alone.
//! - **Formats are `const`.** Each field contributes pieces (its sub-array shape, its item's
//!   explicit-order field format, `:name:`), assembled by `const fn`s of
//!   `buffer_runtime::__private`: for a non-generic type in two passes (count, then fill a
//!   buffer of the exact length); for a generic type, whose length cannot size an array on
//!   stable Rust, in a buffer of `GENERIC_FORMAT_CAPACITY` bytes inside an associated const,
//!   where the padding checks also live (they can only run once the parameters are known).
//! - **Generic bounds are the user's.** A type parameter used as a field needs `T: Element`
//!   on the struct; a per-field assertion reports a missing bound at the field with rustc's
//!   "consider restricting" suggestion. Impls carry `for<'__buffer> FieldTy: FieldType`
//!   predicates: the binder keeps rustc from rejecting them as trivially false, so a field type
//!   without a format is reported once, at the field, and not again by each impl.
//! - **One error, not twenty.** Rejected input gets its errors plus stub impls
//!   (`fallback`), so that uses of the type elsewhere compile.
//! - Tuple fields are named `f0`, `f1`, ... in the format (numpy's names for unnamed fields).
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

/// See `buffer_runtime::export`.
#[proc_macro_attribute]
pub fn export(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::export(args.into(), item.into()).into()
}

/// See `buffer_runtime::BufferExport`.
#[proc_macro_derive(BufferExport, attributes(buffer))]
pub fn derive_buffer_export(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::derive(&input).into()
}
