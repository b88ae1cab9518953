//! Code generation.
//!
//! Everything sits in `#[automatically_derived] const _: () = { ... };` and names the runtime by
//! an absolute path (`::buffer_runtime`, or the `#[buffer(crate = "...")]` override) and the
//! standard library as `::core`, so the user's imports and prelude cannot change its meaning.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{parse_quote, DeriveInput, Path, WherePredicate};

use crate::ast::{data_item, Body, Field, Input, Struct};
use crate::attr::Dim;
use crate::ctxt::Ctxt;
use crate::{fallback, valid};

/// Parses, validates and expands one derive input.
pub fn derive(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let ast = crate::ast::Input::from_syn(&cx, input);
    if let Some(ast) = &ast {
        valid::check(&cx, ast);
    }
    match cx.check() {
        Ok(()) => expand(&ast.expect("no errors, so the AST was built")),
        Err(err) => fallback::expand(input, ast.as_ref(), err),
    }
}

fn expand(input: &Input) -> TokenStream {
    let body = match &input.body {
        Body::Struct(s) if input.is_container() => expand_container(input, s),
        Body::Struct(s) if input.repr.transparent.is_some() => expand_transparent(input, s),
        Body::Struct(s) => expand_record(input, s),
        Body::Enum(_) => expand_enum(input),
    };
    quote! {
        #[automatically_derived]
        #[allow(non_upper_case_globals, non_snake_case, unused_qualifications, clippy::all)]
        const _: () = {
            #body
        };
    }
}

/// The impl's where clause: the type's own predicates plus `extra`. Extra predicates are written
/// `for<'__buffer> Ty: Trait`: with a binder, rustc checks them where the impl is used instead of
/// rejecting a predicate on a concrete type as trivially false, so a field type without a buffer
/// format is reported once, at the field (by the field assertions), not again by every impl.
fn where_clause(input: &Input, extra: &[WherePredicate]) -> TokenStream {
    let mut predicates: Vec<WherePredicate> = input
        .generics
        .where_clause
        .as_ref()
        .map(|w| w.predicates.iter().cloned().collect())
        .unwrap_or_default();
    predicates.extend(extra.iter().cloned());
    if predicates.is_empty() {
        quote!()
    } else {
        quote!(where #(#predicates),*)
    }
}

/// `for<'__buffer> FieldTy: FieldType` for every data field.
fn field_bounds(krate: &Path, fields: &[&Field]) -> Vec<WherePredicate> {
    fields
        .iter()
        .filter(|f| !f.is_padding())
        .map(|f| {
            let ty = f.ty;
            parse_quote!(for<'__buffer> #ty: #krate::__private::FieldType)
        })
        .collect()
}

/// One function that names every field type in a bound, each call spanned at the field's type:
/// a type without a buffer format (or a generic parameter without the `StaticBufferLayout`/`Element`
/// bound) is reported there, with the fix.
fn field_assertions(input: &Input, fields: &[&Field]) -> TokenStream {
    let krate = input.runtime_path();
    let (impl_generics, _, _) = input.generics.split_for_impl();
    let where_clause = where_clause(input, &[]);
    let params: Vec<&syn::Ident> = input.generics.type_params().map(|p| &p.ident).collect();
    let mut asserted_params = Vec::new();
    let calls: Vec<TokenStream> = fields
        .iter()
        .filter(|f| !f.is_padding())
        .filter_map(|f| {
            let ty = f.ty;
            match array_item_param(ty, &params) {
                // `T` or `[T; N]`: ask for `T: Element`, so that rustc suggests that bound; once
                // per parameter, so that a missing bound is one error.
                Some(param) => {
                    let key = quote!(#param).to_string();
                    if asserted_params.contains(&key) {
                        return None;
                    }
                    asserted_params.push(key);
                    Some(quote_spanned!(param.span()=> #krate::__private::assert_element::<#param>();))
                }
                None => Some(quote_spanned!(ty.span()=> #krate::__private::assert_field::<#ty>();)),
            }
        })
        .collect();
    quote! {
        #[allow(dead_code)]
        fn __buffer_assert_fields #impl_generics () #where_clause {
            #(#calls)*
        }
    }
}

/// The type parameter that `ty` is, or that is the item of the (nested) array `ty` is.
fn array_item_param<'t>(ty: &'t syn::Type, params: &[&syn::Ident]) -> Option<&'t syn::Type> {
    match ty {
        syn::Type::Path(p)
            if p.qself.is_none() && params.iter().any(|param| p.path.is_ident(*param)) =>
        {
            Some(ty)
        }
        syn::Type::Array(a) => array_item_param(&a.elem, params),
        syn::Type::Group(g) => array_item_param(&g.elem, params),
        syn::Type::Paren(p) => array_item_param(&p.elem, params),
        _ => None,
    }
}

/// `StaticBufferLayout` (a 0-d buffer of `Self`) and `BufferExport` for an item type. `check`, if any, is an
/// expression of type `()` evaluated in every associated const (the layout checks of a generic
/// type, which can only run once its parameters are known).
fn item_impls(
    input: &Input,
    where_clause: &TokenStream,
    check: Option<&TokenStream>,
) -> TokenStream {
    let krate = input.runtime_path();
    let ident = input.ident;
    let (impl_generics, ty_generics, _) = input.generics.split_for_impl();
    let check = check.map(|check| quote!(let () = #check;));
    quote! {
        // SAFETY: `Self` is one item, so it is a 0-d buffer of `Item = Self`: shape `[]`,
        // strides `[]`, and `size_of::<Self>() == product([]) * size_of::<Item>()`.
        unsafe impl #impl_generics #krate::StaticBufferLayout for #ident #ty_generics #where_clause {
            type Item = Self;
            const SHAPE: &'static [usize] = { #check &[] };
            const STRIDES: &'static [isize] = { #check &[] };
            const ITEMSIZE: usize = { #check ::core::mem::size_of::<Self>() };
        }

        impl #impl_generics #krate::BufferExport for #ident #ty_generics #where_clause {
            type Item = Self;
            fn buffer_layout(&self) -> #krate::BufferLayout {
                #check
                #krate::BufferLayout::of_static::<Self>()
            }
            fn buffer_bytes(&self) -> &[u8] {
                #check
                #krate::bytes_of(self)
            }
        }
    }
}

/// The data fields, in declaration order (`PhantomData` fields take no bytes and no name).
fn data_fields<'s, 'a>(s: &'s Struct<'a>) -> Vec<&'s Field<'a>> {
    s.fields.iter().filter(|f| !f.phantom).collect()
}

/// The pieces of the format `T{...}`, one `&[Piece]` expression per field: `[(shape)]` + its
/// item's field format + `:name:`, or `Nx` for explicit padding. Each is spanned at the field's
/// type, so that a type without a buffer format is reported there.
fn field_pieces(krate: &Path, fields: &[&Field]) -> Vec<TokenStream> {
    let p = quote!(#krate::__private);
    fields
        .iter()
        .map(|f| {
            let ty = f.ty;
            if f.is_padding() {
                quote_spanned! {ty.span()=>
                    &[#p::Piece::Number(::core::mem::size_of::<#ty>()), #p::Piece::Text("x")]
                }
            } else {
                let name = format!(":{}:", f.format_name());
                quote_spanned! {ty.span()=>
                    &[
                        #p::Piece::Shape(<#ty as #p::FieldType>::SUBARRAY_SHAPE),
                        #p::Piece::Text(<#ty as #p::FieldType>::ITEM_FIELD_FORMAT),
                        #p::Piece::Text(#name),
                    ]
                }
            }
        })
        .collect()
}

/// The layout checks of a `repr(C)` struct, one block per field, each panicking (at compile
/// time) with the fix, spanned at the field. `this` is the type (`Self` in a generic impl).
fn layout_checks(
    krate: &Path,
    fields: &[&Field],
    phantoms: &[&Field],
    this: &TokenStream,
    name: &syn::Ident,
) -> Vec<TokenStream> {
    let p = quote!(#krate::__private);
    let zero_sized = format!(
        "`{name}` is zero-sized: a buffer item needs a nonzero size; give it a field that takes bytes"
    );
    let mut checks = Vec::new();
    let mut prev: Option<&Field> = None;
    for f in fields {
        let member = &f.member;
        let name = f.source_name();
        let prev_end = match prev {
            None => quote!(0),
            Some(prev) => {
                let (pm, pt) = (&prev.member, prev.ty);
                quote!(::core::mem::offset_of!(#this, #pm) + ::core::mem::size_of::<#pt>())
            }
        };
        let span = f.original.span();
        checks.push(quote_spanned! {span=>
            let gap = #p::gap(::core::mem::offset_of!(#this, #member), #prev_end);
            if gap != 0 {
                let msg = #p::padding_before(gap, #name);
                ::core::panic!("{}", msg.as_str());
            }
        });
        prev = Some(f);
    }
    if let Some(last) = prev {
        let (lm, lt) = (&last.member, last.ty);
        let name = last.source_name();
        let span = last.original.span();
        checks.push(quote_spanned! {span=>
            let gap = #p::gap(
                ::core::mem::size_of::<#this>(),
                ::core::mem::offset_of!(#this, #lm) + ::core::mem::size_of::<#lt>(),
            );
            if gap != 0 {
                let msg = #p::padding_after(gap, #name, ::core::mem::align_of::<#this>());
                ::core::panic!("{}", msg.as_str());
            }
            if ::core::mem::size_of::<#this>() == 0 {
                ::core::panic!(#zero_sized);
            }
        });
    }
    checks.extend(phantoms.iter().map(|f| phantom_check(f)));
    checks
}

/// Fails to evaluate, at the field, if a field whose type is named `PhantomData` (left out of
/// the format) takes bytes: a user type of that name would otherwise go unexported.
fn phantom_check(f: &Field) -> TokenStream {
    let ty = f.ty;
    quote_spanned! {ty.span()=>
        if ::core::mem::size_of::<#ty>() != 0 {
            ::core::panic!("a field whose type is named `PhantomData` must be zero-sized: it is left out of the format");
        }
    }
}

/// A `#[repr(C)]` struct: its format `T{...}` and impls.
///
/// Why the format describes the struct exactly (the `Element` contract): `Self` is `repr(C)`
/// (checked by the derive), so its fields lie in declaration order at `offset_of!` offsets; the
/// gap checks (`layout_checks`) prove, at compile time, that each field starts where the
/// previous one ends and that the struct ends where its last field ends, so `T{...}` lists the
/// fields back to back with no byte unaccounted for. Each field's text is its type's
/// `FieldType` shape and its item's `Element::FIELD_FORMAT`, which describe that field
/// exactly by the contracts of those traits; explicit padding fields are `[u8; N]`, exported as
/// `Nx`.
fn expand_record(input: &Input, s: &Struct) -> TokenStream {
    let krate = input.runtime_path();
    let p = quote!(#krate::__private);
    let ident = input.ident;
    let (impl_generics, ty_generics, _) = input.generics.split_for_impl();
    let fields = data_fields(s);
    let phantoms: Vec<&Field> = s.fields.iter().filter(|f| f.phantom).collect();

    if input.is_generic() {
        let assertions = field_assertions(input, &fields);
        let bounds = field_bounds(&krate, &fields);
        // The layout depends on the parameters: the checks and the format live in associated
        // consts, evaluated for each instantiation that is used. The format gets a buffer of
        // GENERIC_FORMAT_CAPACITY bytes (its exact length cannot size an array on stable Rust).
        // No `Self: IntoBytes`: zerocopy's derive cannot prove a generic struct free of padding
        // (it asks every field to be `Unaligned` unless all are the parameter); `CHECK` does.
        let mut extra = bounds.clone();
        extra.push(parse_quote!(Self: #p::zerocopy::Immutable + 'static));
        let where_clause = where_clause(input, &extra);
        let checks = layout_checks(&krate, &fields, &phantoms, &quote!(Self), ident);
        let pieces = field_pieces(&krate, &fields);
        let check = quote!(<Self as __BufferLayout>::CHECK);
        let item_impls = item_impls(input, &where_clause, Some(&check));
        quote! {
            #assertions

            trait __BufferLayout {
                /// Fails to evaluate, naming the field, if the layout has implicit padding.
                const CHECK: ();
                const FORMAT: #p::FmtBuf<{ #p::GENERIC_FORMAT_CAPACITY }>;
            }

            impl #impl_generics __BufferLayout for #ident #ty_generics #where_clause {
                const CHECK: () = { #(#checks)* };
                const FORMAT: #p::FmtBuf<{ #p::GENERIC_FORMAT_CAPACITY }> = #p::pieces_build(&[
                    &[#p::Piece::Text("T{")],
                    #(#pieces,)*
                    &[#p::Piece::Text("}")],
                ]);
            }

            // `FORMAT` describes `Self` exactly, by the argument in `expand_record`'s
            // docs, with the gap checks in `CHECK`, which every constant and method of these
            // impls evaluates. No padding (`Element`'s contract once `FORMAT` is evaluated):
            // `CHECK` proves every byte belongs to a field, each fully initialised by its
            // `FieldType` contract. `Self: Immutable` (zerocopy's derive): no interior
            // mutability.
            // SAFETY: `FORMAT` describes `Self` exactly and `CHECK` proves no padding (above).
            unsafe impl #impl_generics #krate::Element for #ident #ty_generics #where_clause {
                const FORMAT: &'static str = {
                    let () = #check;
                    let buf: &'static #p::FmtBuf<{ #p::GENERIC_FORMAT_CAPACITY }> =
                        &<Self as __BufferLayout>::FORMAT;
                    buf.as_str()
                };
                const FORMAT_CSTR: &'static ::core::ffi::CStr = {
                    let () = #check;
                    let buf: &'static #p::FmtBuf<{ #p::GENERIC_FORMAT_CAPACITY }> =
                        &<Self as __BufferLayout>::FORMAT;
                    buf.as_cstr()
                };
                const FIELD_FORMAT: &'static str = <Self as #krate::Element>::FORMAT;
            }

            #item_impls
        }
    } else {
        // A concrete layout: the checks run where the type is defined, one constant per field
        // so that every padding gap is reported, and the format gets a buffer of its exact
        // length (a first pass counts it). Each field's pieces are a constant spanned at the
        // field's type, which also reports, there and only there, a type without a format.
        //
        // zerocopy proves a concrete struct free of padding: its `IntoBytes` derive is
        // required, beside our checks that name the field. Under `#[buffer_runtime::export]`
        // the attribute wrote that derive itself (and said so with `__into_bytes_derived`), so
        // the crate compiles only if zerocopy's proof succeeds, and nothing needs asking again:
        // a `Self: IntoBytes` bound would cost the trait solver a query per impl and per use
        // (a fifth of a 200-struct crate's build, measured). Otherwise the derive must be the
        // user's: an assertion asks for it (zerocopy's "consider `#[derive(IntoBytes)]`", once),
        // and the impls other than `Element` carry the bound, so that they add nothing to the
        // error of a missing or failing `IntoBytes` derive.
        let (element_where, item_where, needs_into_bytes) =
            if input.attrs.into_bytes_derived.get().is_some() {
                let plain = where_clause(input, &[]);
                (plain.clone(), plain, quote!())
            } else {
                let item_where = where_clause(
                    input,
                    &[parse_quote!(
                        for<'__buffer> Self: #p::zerocopy::IntoBytes + #p::zerocopy::Immutable
                    )],
                );
                let needs = quote_spanned! {ident.span()=>
                    const _: () = {
                        const fn __buffer_needs_into_bytes<T: #p::zerocopy::IntoBytes>() {}
                        __buffer_needs_into_bytes::<#ident>()
                    };
                };
                (quote!(), item_where, needs)
            };
        let this = quote!(#ident);
        let checks = layout_checks(&krate, &fields, &phantoms, &this, ident);
        let pieces = field_pieces(&krate, &fields);
        let names: Vec<syn::Ident> = (0..pieces.len())
            .map(|i| quote::format_ident!("__BUFFER_FIELD_{}", i))
            .collect();
        let item_impls = item_impls(input, &item_where, None);
        quote! {
            #needs_into_bytes
            #(const _: () = { #checks };)*

            #(const #names: &[#p::Piece] = #pieces;)*
            const __BUFFER_PIECES: &[&[#p::Piece]] = &[
                &[#p::Piece::Text("T{")],
                #(#names,)*
                &[#p::Piece::Text("}")],
            ];
            const __BUFFER_FORMAT_LEN: usize = #p::pieces_len(__BUFFER_PIECES);
            const __BUFFER_FORMAT: #p::FmtBuf<{ __BUFFER_FORMAT_LEN + 1 }> =
                #p::pieces_build(__BUFFER_PIECES);
            const __BUFFER_FORMAT_STR: &str = __BUFFER_FORMAT.as_str();

            // `FORMAT` describes `Self` exactly, by the argument in `expand_record`'s
            // docs, with the gap checks in the constants above. zerocopy proves every byte
            // initialised (`IntoBytes`, asserted above or in the where clause) and no interior
            // mutability (`Immutable`, a supertrait).
            // SAFETY: `FORMAT` describes `Self`; zerocopy proves the rest (above).
            unsafe impl #krate::Element for #ident #element_where {
                const FORMAT: &'static str = __BUFFER_FORMAT_STR;
                const FORMAT_CSTR: &'static ::core::ffi::CStr = __BUFFER_FORMAT.as_cstr();
                const FIELD_FORMAT: &'static str = __BUFFER_FORMAT_STR;
            }

            #item_impls
        }
    }
}

fn expand_transparent(input: &Input, s: &Struct) -> TokenStream {
    let krate = input.runtime_path();
    let p = quote!(#krate::__private);
    let ident = input.ident;
    let (impl_generics, ty_generics, _) = input.generics.split_for_impl();
    let fields = data_fields(s);
    let inner = fields[0].ty;
    let assertions = field_assertions(input, &fields);
    let mut extra = field_bounds(&krate, &fields);
    let field_where = where_clause(input, &extra);
    extra.push(parse_quote!(
        for<'__buffer> Self: #p::zerocopy::IntoBytes + #p::zerocopy::Immutable + 'static
    ));
    let where_clause = where_clause(input, &extra);
    let phantom_checks = s.fields.iter().filter(|f| f.phantom).map(phantom_check);
    let inner_layout = quote!(<#inner as #p::FieldType>);
    quote! {
        #assertions

        // `Self` is `repr(transparent)` (checked by the derive) over one field of type
        // `Inner` (the others are `PhantomData`, asserted zero-sized), so it has the layout of
        // `Inner` (the Reference, "The transparent representation"). `Inner: FieldType` says
        // `Inner` is `product(SUBARRAY_SHAPE)` items in C order without gaps; so is `Self`, and
        // `STRIDES` are the C strides of that shape.
        // SAFETY: `Self` has `Inner`'s layout (`repr(transparent)`), C-order items (above).
        unsafe impl #impl_generics #krate::StaticBufferLayout for #ident #ty_generics #where_clause {
            type Item = #inner_layout::Item;
            const SHAPE: &'static [usize] = {
                #(#phantom_checks)*
                #inner_layout::SUBARRAY_SHAPE
            };
            const STRIDES: &'static [isize] = {
                let strides: &'static #p::DimsBuf<isize> = &#p::DimsBuf::c_strides(
                    #inner_layout::SUBARRAY_SHAPE,
                    ::core::mem::size_of::<#inner_layout::Item>(),
                );
                strides.as_slice()
            };
        }

        // SAFETY: as above, `Self` has the layout of `Inner`, so it is what `Inner` is as a
        // field: `product(SUBARRAY_SHAPE)` items in C order without gaps. So a newtype can be a field of
        // another derived struct (exported as a sub-array).
        unsafe impl #impl_generics #p::FieldType for #ident #ty_generics #field_where {
            type Item = #inner_layout::Item;
            const SUBARRAY_SHAPE: &'static [usize] = #inner_layout::SUBARRAY_SHAPE;
        }

        impl #impl_generics #krate::BufferExport for #ident #ty_generics #where_clause {
            type Item = #inner_layout::Item;
            fn buffer_layout(&self) -> #krate::BufferLayout {
                #krate::BufferLayout::of_static::<Self>()
            }
            fn buffer_bytes(&self) -> &[u8] {
                #krate::bytes_of(self)
            }
        }
    }
}

fn expand_enum(input: &Input) -> TokenStream {
    let krate = input.runtime_path();
    let ident = input.ident;
    let int = &input
        .repr
        .int
        .as_ref()
        .expect("validated: enums have an int repr")
        .ident;
    let span = Span::call_site();
    let item_impls = item_impls(input, &quote!(), None);
    quote_spanned! {span=>
        // A fieldless enum with a primitive representation `I` (`#int`, checked by the
        // derive) has the size, alignment and ABI of `I`, and each value is stored as its
        // discriminant, a valid `I` (the Reference, "Primitive representations"; the constant
        // below also asserts the size). So the bytes of `Self` read as one `I`, which is what
        // `I`'s formats describe, with every byte initialised (the discriminant is a whole
        // `I`); `Element`'s supertrait makes zerocopy prove it immutable. Writing is not
        // offered: the enum is not `FromBytes` (not every `I` is a discriminant).
        // SAFETY: the enum is one whole, initialised `I` (`repr(I)`, above); read-only.
        unsafe impl #krate::Element for #ident {
            const FORMAT: &'static str = <#int as #krate::Element>::FORMAT;
            const FORMAT_CSTR: &'static ::core::ffi::CStr = <#int as #krate::Element>::FORMAT_CSTR;
            const FIELD_FORMAT: &'static str = <#int as #krate::Element>::FIELD_FORMAT;
        }

        const _: () = ::core::assert!(::core::mem::size_of::<#ident>() == ::core::mem::size_of::<#int>());

        #item_impls
    }
}

/// A `#[buffer(container)]`: `BufferExport` (and `BufferExportMut` for owned or `&mut` data)
/// whose layout is computed at run time from the shape and stride fields by
/// `BufferLayout::for_items`, which checks it against the data's length; plus an inherent
/// `check_buffer_shape`.
fn expand_container(input: &Input, s: &Struct) -> TokenStream {
    let krate = input.runtime_path();
    let ident = input.ident;
    let (impl_generics, ty_generics, _) = input.generics.split_for_impl();
    let data = s
        .fields
        .iter()
        .find(|f| f.attrs.data.get().is_some())
        .expect("validated: one data field");
    let (kind, item) = data_item(data.ty).expect("validated: a slice-like data field");
    let member = &data.member;
    let elem_bound: WherePredicate = parse_quote!(for<'__buffer> #item: #krate::StaticBufferLayout);
    let export_where = where_clause(input, &[elem_bound]);
    let to_usize = |dim: &Dim| match dim {
        Dim::Field(f) => quote_spanned! {f.span()=>
            <usize as ::core::convert::TryFrom<_>>::try_from(self.#f)
                .map_err(|_| #krate::BufferLayoutError::Overflow)?
        },
        Dim::Lit(e) => quote_spanned!(e.span()=> { let n: usize = #e; n }),
    };
    let to_isize = |dim: &Dim| match dim {
        Dim::Field(f) => quote_spanned! {f.span()=>
            <isize as ::core::convert::TryFrom<_>>::try_from(self.#f)
                .map_err(|_| #krate::BufferLayoutError::Overflow)?
        },
        Dim::Lit(e) => quote_spanned!(e.span()=> { let n: isize = #e; n }),
    };
    let shape = match data.attrs.shape.get() {
        Some(dims) => {
            let dims = dims.iter().map(to_usize);
            quote!([#(#dims),*])
        }
        None => quote!([__data.len()]),
    };
    let strides = match data.attrs.strides.get() {
        Some(dims) => {
            let dims = dims.iter().map(to_isize);
            quote!(::core::option::Option::Some(&[#(#dims),*][..]))
        }
        None => quote!(::core::option::Option::None),
    };
    let mut_impl = if kind.writable() {
        let bound: WherePredicate = parse_quote!(
            for<'__buffer> #item: #krate::StaticBufferLayout + #krate::__private::zerocopy::FromBytes
        );
        let where_mut = where_clause(input, &[bound]);
        quote! {
            impl #impl_generics #krate::BufferExportMut for #ident #ty_generics #where_mut {
                fn buffer_bytes_mut(&mut self) -> &mut [u8] {
                    <[#item] as #krate::BufferExportMut>::buffer_bytes_mut(&mut self.#member[..])
                }
            }
        }
    } else {
        quote!()
    };
    let plain_where = where_clause(input, &[]);
    let assert_item = quote_spanned!(item.span()=> __buffer_assert_item::<#item>(););
    quote! {
        /// Compiles only if the data's item type has a buffer layout; called in a function
        /// spanned at that type, so a type without one is reported there.
        #[allow(dead_code)]
        fn __buffer_assert_item<__T: #krate::StaticBufferLayout>() {}
        #[allow(dead_code)]
        fn __buffer_assert_fields #impl_generics () #plain_where {
            #assert_item
        }

        impl #impl_generics #ident #ty_generics #export_where {
            /// Checks that the shape (and strides) fields agree with the length of the data:
            /// `Err` says how they disagree. `buffer_layout` of a container in that state
            /// describes no valid buffer, so views of it fail.
            #[allow(dead_code)]
            pub fn check_buffer_shape(&self) -> ::core::result::Result<(), #krate::BufferLayoutError> {
                #krate::BufferExport::try_buffer_layout(self).map(|_| ())
            }
        }

        impl #impl_generics #krate::BufferExport for #ident #ty_generics #export_where {
            type Item = <#item as #krate::StaticBufferLayout>::Item;

            fn try_buffer_layout(
                &self,
            ) -> ::core::result::Result<#krate::BufferLayout, #krate::BufferLayoutError> {
                let __data: &[#item] = &self.#member[..];
                let __shape = #shape;
                #krate::BufferLayout::for_items::<#item>(__data.len(), &__shape[..], #strides)
            }

            fn buffer_layout(&self) -> #krate::BufferLayout {
                match #krate::BufferExport::try_buffer_layout(self) {
                    ::core::result::Result::Ok(layout) => layout,
                    ::core::result::Result::Err(_) => #krate::BufferLayout::invalid(),
                }
            }

            fn buffer_bytes(&self) -> &[u8] {
                <[#item] as #krate::BufferExport>::buffer_bytes(&self.#member[..])
            }
        }

        #mut_impl
    }
}

/// The zerocopy derives `#[buffer_runtime::export]` adds (`KnownLayout` only when asked: the
/// runtime does not need it), and the traits each implements (a derive the user already wrote
/// of one of these would implement it twice).
const ZEROCOPY_DERIVES: &[(&str, &[&str])] = &[
    ("IntoBytes", &["IntoBytes"]),
    ("Immutable", &["Immutable"]),
    ("KnownLayout", &["KnownLayout"]),
    ("FromBytes", &["FromBytes", "FromZeros", "TryFromBytes"]),
];

/// `#[buffer_runtime::export]`: the item, with `#[derive(BufferExport)]` and the zerocopy
/// derives that `Element` and writing need, all named through the runtime (its re-export of
/// zerocopy), so that the user's crate needs no zerocopy dependency of its own.
pub fn export(args: TokenStream, item: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(item.clone()) {
        Ok(input) => input,
        Err(err) => {
            let err = syn::Error::new(
                err.span(),
                "`#[buffer_runtime::export]` goes on a struct or an enum",
            )
            .into_compile_error();
            return quote!(#err #item);
        }
    };
    let cx = Ctxt::new();
    let args = crate::attr::Export::from_args(&cx, args);
    // The item's own `#[buffer(...)]` attributes are the derive's to check; only `crate` and
    // `container` change what is derived here.
    let scan = Ctxt::new();
    let own = crate::attr::Container::from_attrs(&scan, &input.attrs);
    let _ = scan.check();
    if let (Some(span), Some(_)) = (args.krate.span(), own.krate.get()) {
        cx.error_at(
            span,
            "`crate` is given twice, here and in `#[buffer(crate = \"...\")]`: keep one",
        );
    }
    let krate: Path = match (args.krate.get(), own.krate.get()) {
        (Some(path), _) | (None, Some(path)) => path.clone(),
        // A renamed dependency without `crate`: the derive reports it with the fix; the
        // zerocopy derives use the name it has, so they add no "cannot find" of their own.
        (None, None) => match crate::ast::renamed_runtime() {
            Some(name) => {
                let ident = syn::Ident::new(&name, Span::call_site());
                parse_quote!(::#ident)
            }
            None => parse_quote!(::buffer_runtime),
        },
    };
    // The crate's public re-export, not `__private::zerocopy`: zerocopy's derives write this
    // path hundreds of times per type, and each segment costs the compiler a resolution
    // (one segment fewer made a 40-struct crate's build 6% cheaper, counted by cachegrind).
    let zc = quote!(#krate::zerocopy);
    let zc_string = zc.to_string().replace(' ', "");

    let container = own.container.get().is_some();
    let is_enum = matches!(input.data, syn::Data::Enum(_));
    let read_only = args.read_only.get().is_some() || is_enum;
    if let (Some(span), true) = (args.read_only.span(), container) {
        cx.error_at(
            span,
            "`read_only` has no effect on a `#[buffer(container)]`: a container is writable when \
             its data field owns or borrows its items `&mut` and they are `FromBytes`; remove it",
        );
    }
    let mut from_bytes = !read_only;
    if !read_only && !container {
        // `bool` and `char` are not `FromBytes` (not every byte is a valid value): say so once,
        // at the field, instead of zerocopy's error for `FromBytes`.
        if let syn::Data::Struct(data) = &input.data {
            for field in &data.fields {
                if let Some(ty) = valid::find_not_from_bytes(&field.ty) {
                    cx.error_spanned_by(
                        ty,
                        format!(
                            "`{}` is not valid for every bit pattern, so Python must not write \
                             this item: write `#[buffer_runtime::export(read_only)]` to export it \
                             read-only",
                            quote!(#ty)
                        ),
                    );
                    from_bytes = false;
                }
            }
        }
    }

    let mut derives: Vec<TokenStream> = vec![quote!(#krate::BufferExport)];
    let mut into_bytes = false;
    if !container {
        for (derive, traits) in ZEROCOPY_DERIVES {
            if (*derive == "FromBytes" && !from_bytes)
                || (*derive == "KnownLayout" && args.known_layout.get().is_none())
            {
                continue;
            }
            if let Some(path) = user_derive(&input, traits) {
                cx.error_spanned_by(
                    path,
                    format!(
                        "`#[buffer_runtime::export]` derives `{derive}` already: remove it from \
                         this `#[derive(...)]`"
                    ),
                );
                // The user's derive implements it; a second would only add a conflict error.
                continue;
            }
            // zerocopy's `IntoBytes` derive cannot prove a generic struct free of padding (it
            // would ask every field to be `Unaligned`); the derive's own check does, per
            // instantiation, and `Element` does not need `IntoBytes`.
            if *derive == "IntoBytes" && !input.generics.params.is_empty() {
                continue;
            }
            if *derive == "IntoBytes" {
                into_bytes = true;
            }
            let ident = syn::Ident::new(derive, Span::call_site());
            derives.push(quote!(#zc::#ident));
        }
    }
    if let Some(path) = user_derive(&input, &["BufferExport"]) {
        cx.error_spanned_by(
            path,
            "`#[buffer_runtime::export]` derives `BufferExport` already: remove it from this \
             `#[derive(...)]`",
        );
        derives.remove(0);
    }
    let crate_attr = match (args.krate.get(), own.krate.get()) {
        (Some(path), None) => {
            let path = quote!(#path).to_string().replace(' ', "");
            quote!(#[buffer(crate = #path)])
        }
        _ => quote!(),
    };
    let zerocopy_attr = if container {
        quote!()
    } else {
        quote!(#[zerocopy(crate = #zc_string)])
    };
    // Tells the derive that zerocopy's `IntoBytes` derive is on the type (see `expand_record`).
    let into_bytes_attr = if into_bytes {
        quote!(#[buffer(__into_bytes_derived)])
    } else {
        quote!()
    };
    // On an error, the derives it does not concern still run, so that uses of the type add
    // no follow-on errors.
    let errors = match cx.check() {
        Ok(()) => quote!(),
        Err(err) => err.into_compile_error(),
    };
    quote! {
        #errors
        #[derive(#(#derives),*)]
        #zerocopy_attr
        #into_bytes_attr
        #crate_attr
        #item
    }
}

/// The path in one of the item's `#[derive(...)]` lists that names one of `traits` (by its
/// last segment: `zerocopy::IntoBytes` or `IntoBytes`).
fn user_derive(input: &DeriveInput, traits: &[&str]) -> Option<Path> {
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("derive")) {
        let Ok(paths) = attr
            .parse_args_with(syn::punctuated::Punctuated::<Path, syn::Token![,]>::parse_terminated)
        else {
            continue;
        };
        for path in paths {
            if path
                .segments
                .last()
                .is_some_and(|s| traits.iter().any(|t| s.ident == t))
            {
                return Some(path);
            }
        }
    }
    None
}
