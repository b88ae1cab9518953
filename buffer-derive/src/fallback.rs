//! What the derive emits when it rejects its input: the errors, and stub impls of the traits so
//! that every use of the type (`Pixel::FORMAT`, `pixels.buffer_bytes()`) compiles and the user
//! sees the one error that matters instead of a follow-on error at each use (thiserror's idea).
//!
//! The stubs never run: the crate does not compile while the errors stand.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{parse_quote, DeriveInput, Path};

use crate::ast::Input;

pub fn expand(input: &DeriveInput, ast: Option<&Input>, errors: syn::Error) -> TokenStream {
    let errors = errors.into_compile_error();
    if let Some(ast) = ast.filter(|a| a.is_container()) {
        return container_stub(input, ast, errors);
    }
    // A union, or a type with a lifetime parameter: no stub can exist (items are `'static`
    // structs or enums), so only the errors.
    let lifetimes = input.generics.lifetimes().next().is_some();
    let (Some(ast), false) = (ast, lifetimes) else {
        return errors;
    };
    let krate: Path = ast.runtime_path();
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let mut predicates: Vec<syn::WherePredicate> = where_clause
        .map(|w| w.predicates.iter().cloned().collect())
        .unwrap_or_default();
    // With a binder, rustc does not reject this predicate as trivially false on a concrete type:
    // the stubs exist only if zerocopy's `Immutable` derive (which `Element` needs) succeeded,
    // and add no error when it did not.
    predicates.push(parse_quote!(
        for<'__buffer> #ident #ty_generics: #krate::__private::zerocopy::Immutable
    ));
    // Items are `'static`: without these, a generic stub would add "may not live long enough".
    for param in input.generics.type_params() {
        let ident = &param.ident;
        predicates.push(parse_quote!(#ident: 'static));
    }
    quote! {
        #errors

        #[automatically_derived]
        const _: () = {
            // SAFETY: never sound, never compiled into a program: these impls are only emitted
            // beside a `compile_error!`, so the crate fails to build.
            unsafe impl #impl_generics #krate::Element for #ident #ty_generics where #(#predicates),* {
                const FORMAT: &'static str = "";
                const FORMAT_CSTR: &'static ::core::ffi::CStr = c"";
                const FIELD_FORMAT: &'static str = "";
            }
            // SAFETY: as above, never compiled into a program.
            unsafe impl #impl_generics #krate::StaticBufferLayout for #ident #ty_generics where #(#predicates),* {
                type Item = Self;
                const SHAPE: &'static [usize] = &[];
                const STRIDES: &'static [isize] = &[];
            }
            impl #impl_generics #krate::BufferExport for #ident #ty_generics where #(#predicates),* {
                type Item = Self;
                fn buffer_layout(&self) -> #krate::BufferLayout {
                    ::core::unreachable!()
                }
                fn buffer_bytes(&self) -> &[u8] {
                    ::core::unreachable!()
                }
            }
        };
    }
}

/// A container's stubs: `BufferExport` (items `u8`) and `check_buffer_shape`, without
/// bounds, so that uses of the container compile beside the errors.
fn container_stub(input: &DeriveInput, ast: &Input, errors: TokenStream) -> TokenStream {
    let krate = ast.runtime_path();
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        #errors

        #[automatically_derived]
        const _: () = {
            impl #impl_generics #ident #ty_generics #where_clause {
                #[allow(dead_code)]
                pub fn check_buffer_shape(&self) -> ::core::result::Result<(), #krate::BufferLayoutError> {
                    ::core::unreachable!()
                }
            }
            impl #impl_generics #krate::BufferExport for #ident #ty_generics #where_clause {
                type Item = u8;
                fn buffer_layout(&self) -> #krate::BufferLayout {
                    ::core::unreachable!()
                }
                fn buffer_bytes(&self) -> &[u8] {
                    ::core::unreachable!()
                }
            }
            impl #impl_generics #krate::BufferExportMut for #ident #ty_generics #where_clause {
                fn buffer_bytes_mut(&mut self) -> &mut [u8] {
                    ::core::unreachable!()
                }
            }
        };
    }
}
