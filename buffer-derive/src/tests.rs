//! Tests of the expansion as tokens (the behaviour of the generated code is tested by the
//! `buffer-tests` crate: trybuild cases and metadata tests).

use syn::parse_quote;

use crate::expand::derive;

fn expand(input: syn::DeriveInput) -> String {
    derive(&input).to_string()
}

#[test]
fn crate_override_replaces_every_runtime_path() {
    let out = expand(parse_quote! {
        #[repr(C)]
        #[buffer(crate = "br")]
        struct Sample<T: br::Element> { a: T, #[buffer(padding)] _p: [u8; 4], b: [u32; 2] }
    });
    assert!(out.contains("br :: __private"), "{out}");
    assert!(!out.contains("buffer_runtime"), "{out}");
    for input in [
        parse_quote! { #[repr(transparent)] #[buffer(crate = "br")] struct F([u8; 3]); },
        parse_quote! { #[repr(u8)] #[buffer(crate = "br")] enum E { A } },
        // The fallback too.
        parse_quote! { #[repr(C)] #[buffer(crate = "br")] struct S { #[buffer(nope)] a: u8 } },
    ] {
        let out = expand(input);
        assert!(out.contains("br ::"), "{out}");
        assert!(!out.contains("buffer_runtime"), "{out}");
    }
}

#[test]
fn default_paths_are_absolute() {
    let out = expand(parse_quote! { #[repr(C)] struct S { a: u8 } });
    assert!(out.contains(":: buffer_runtime :: Element"), "{out}");
    assert!(out.contains(":: core :: mem :: offset_of !"), "{out}");
    assert!(out.starts_with("# [automatically_derived]"), "{out}");
}

#[test]
fn every_error_is_reported_at_once() {
    let out = expand(parse_quote! {
        #[repr(C)]
        #[buffer(padding)]
        struct S {
            #[buffer(rename = "")]
            a: u8,
            #[buffer(unknown)]
            b: u128,
            #[buffer(padding)]
            c: u32,
        }
    });
    // Five errors: `padding` on the type, the empty name, the unknown key, `u128`, and padding
    // on a non-`[u8; N]` field.
    assert_eq!(out.matches("compile_error !").count(), 5, "{out}");
    // Beside them, stub impls so that uses of `S` add no errors.
    assert!(
        out.contains("unsafe impl :: buffer_runtime :: Element for S"),
        "{out}"
    );
}

#[test]
fn field_names_in_the_format() {
    let out = expand(parse_quote! {
        #[repr(C)]
        struct S(u8, #[buffer(rename = "second")] u8, u8);
    });
    for name in ["\":f0:\"", "\":second:\"", "\":f2:\""] {
        assert!(out.contains(name), "{name} in {out}");
    }
    let out = expand(parse_quote! { #[repr(C)] struct S { r#type: u8 } });
    assert!(out.contains("\":type:\""), "{out}");
}

#[test]
fn unions_get_only_the_error() {
    let out = expand(parse_quote! { #[repr(C)] union U { a: u8 } });
    assert!(out.contains("compile_error !"), "{out}");
    assert!(!out.contains("impl"), "{out}");
}
