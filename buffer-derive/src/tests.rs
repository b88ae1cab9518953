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
fn containers_follow_the_crate_override_and_get_stubs_on_error() {
    let out = expand(parse_quote! {
        #[buffer(container, crate = "br")]
        struct Table { #[buffer(data)] rows: Vec<u32> }
    });
    assert!(out.contains("br :: BufferLayout :: for_items"), "{out}");
    assert!(
        out.contains("impl br :: BufferExportMut for Table"),
        "{out}"
    );
    assert!(!out.contains("buffer_runtime"), "{out}");
    // `&[T]` data is read-only: no `BufferExportMut`.
    let out = expand(parse_quote! {
        #[buffer(container)]
        struct View<'a> { #[buffer(data)] rows: &'a [u32] }
    });
    assert!(!out.contains("BufferExportMut"), "{out}");
    // Rejected: the errors, every one, beside stubs (with the lifetime kept).
    let out = expand(parse_quote! {
        #[buffer(container)]
        struct Bad<'a> {
            #[buffer(data, shape = [w, h], strides = [1])]
            rows: &'a [u32],
            h: f32,
        }
    });
    // `w` is no field, `h` no integer, one stride for two dimensions.
    assert_eq!(out.matches("compile_error !").count(), 3, "{out}");
    assert!(
        out.contains("impl < 'a > :: buffer_runtime :: BufferExport for Bad < 'a >"),
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

/// Expansion snapshots: `tests/expand/<name>.expanded.rs` holds the pretty-printed output for
/// each input below, so that a change to the generated code shows up as a readable diff.
/// Regenerate with `BUFFER_DERIVE_SNAPSHOTS=overwrite cargo test -p buffer-derive`, then read
/// the diff.
#[test]
fn expansion_snapshots() {
    let cases: Vec<(&str, syn::DeriveInput)> = vec![
        (
            "record",
            parse_quote! {
                #[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
                #[repr(C)]
                struct Trade {
                    price: f64,
                    #[buffer(rename = "q")]
                    qty: u32,
                    #[buffer(padding)]
                    _pad: [u8; 4],
                    grid: [[f32; 2]; 2],
                }
            },
        ),
        (
            "generic",
            parse_quote! {
                #[repr(C)]
                struct Samples<T: Element, const N: usize> {
                    data: [T; N],
                }
            },
        ),
        (
            "transparent",
            parse_quote! {
                #[repr(transparent)]
                struct Frame([[Rgb; 640]; 480]);
            },
        ),
        (
            "enum",
            parse_quote! {
                #[repr(u8)]
                enum Level { Low, High }
            },
        ),
        (
            "container",
            parse_quote! {
                #[buffer(container)]
                struct Image<'a> {
                    width: u32,
                    height: u32,
                    pitch: usize,
                    #[buffer(data, shape = [height, width], strides = [pitch, 4])]
                    pixels: &'a mut [Rgba],
                }
            },
        ),
        (
            "rejected",
            parse_quote! {
                #[repr(C)]
                struct Sample {
                    #[buffer(rename = "a:b")]
                    a: u32,
                }
            },
        ),
    ];
    let overwrite = std::env::var_os("BUFFER_DERIVE_SNAPSHOTS").is_some_and(|v| v == "overwrite");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/expand");
    let mut stale = Vec::new();
    for (name, input) in cases {
        let file: syn::File = syn::parse2(derive(&input)).expect("the expansion parses as items");
        let text = prettyplease::unparse(&file);
        let path = dir.join(format!("{name}.expanded.rs"));
        if overwrite {
            std::fs::write(&path, &text).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "expansion changed (BUFFER_DERIVE_SNAPSHOTS=overwrite to accept): {stale:?}"
    );
}

#[test]
fn a_renamed_runtime_is_found_in_the_manifest() {
    use crate::ast::manifest_renames_runtime as renamed;
    let inline = "[package]\nname = \"app\"\n\n[dependencies]\nbr = { package = \"buffer-runtime\", version = \"0.1\" }\n";
    assert_eq!(renamed(inline).as_deref(), Some("br"));
    let table = "[dependencies.my-br]\nversion = \"0.1\"\npackage = \"buffer-runtime\"\n";
    assert_eq!(renamed(table).as_deref(), Some("my_br"));
    // Under its own name too (a renamed dev-dependency beside it), or not at all: no hint.
    let both = "[dependencies]\nbuffer-runtime = \"0.1\"\n[dev-dependencies]\nbr = { package = \"buffer-runtime\" }\n";
    assert_eq!(renamed(both), None);
    assert_eq!(
        renamed("[dependencies]\nbuffer-runtime = { workspace = true }\n"),
        None
    );
    assert_eq!(renamed("[package]\nname = \"buffer-runtime\"\n"), None);
}

#[test]
fn export_adds_the_derives_through_the_runtime() {
    use crate::expand::export;
    let item = quote::quote! { #[repr(C)] struct S { a: u8 } };
    let out = export(quote::quote!(), item.clone()).to_string();
    assert!(out.contains(":: buffer_runtime :: BufferExport"), "{out}");
    assert!(
        out.contains(":: buffer_runtime :: zerocopy :: FromBytes"),
        "{out}"
    );
    assert!(out.contains("\"::buffer_runtime::zerocopy\""), "{out}");
    assert!(!out.contains("KnownLayout"), "{out}");
    // The derive is told that `IntoBytes` is derived beside it, so it asks for it nowhere.
    assert!(out.contains("# [buffer (__into_bytes_derived)]"), "{out}");
    let generic = export(
        quote::quote!(),
        quote::quote! { #[repr(C)] struct G<T: FieldType> { a: T } },
    )
    .to_string();
    assert!(!generic.contains("IntoBytes"), "{generic}");
    assert!(!generic.contains("__into_bytes_derived"), "{generic}");
    let out = export(quote::quote!(read_only, crate = "br"), item).to_string();
    assert!(!out.contains("FromBytes"), "{out}");
    assert!(out.contains("br :: zerocopy :: Immutable"), "{out}");
    assert!(out.contains("# [buffer (crate = \"br\")]"), "{out}");
    assert!(!out.contains("buffer_runtime"), "{out}");
    // A `bool` without `read_only`: one error, and no `FromBytes` to add zerocopy's.
    let out = export(
        quote::quote!(),
        quote::quote! { #[repr(C)] struct F { on: bool } },
    )
    .to_string();
    assert_eq!(out.matches("compile_error !").count(), 1, "{out}");
    assert!(!out.contains("FromBytes"), "{out}");
}
