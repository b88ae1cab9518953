//! Rules that span attributes and fields. Each error says what to write instead.

use std::collections::BTreeMap;

use syn::{GenericParam, Type};

use crate::ast::{data_item, Body, Enum, Field, Input, Struct, Style};
use crate::attr::Dim;
use crate::ctxt::Ctxt;

pub fn check(cx: &Ctxt, input: &Input) {
    if input.is_container() {
        return check_container(cx, input);
    }
    if let Body::Struct(s) = &input.body {
        for f in &s.fields {
            let spans = [
                f.attrs.data.span(),
                f.attrs.shape.span(),
                f.attrs.strides.span(),
            ];
            if let Some(span) = spans.into_iter().flatten().next() {
                cx.error_at(
                    span,
                    "`data`, `shape` and `strides` describe the data field of a container: add \
                     `#[buffer(container)]` on the type",
                );
                // The type was meant as a container: its record rules (repr, field formats)
                // would only add noise.
                return;
            }
        }
    }
    check_generics(cx, input);
    for (span, name) in &input.repr.other {
        cx.error_at(
            *span,
            format!(
                "`#[repr({name})]` is not supported by `#[derive(BufferExport)]`: use `#[repr(C)]` \
                 for a struct, `#[repr(transparent)]` for a newtype, `#[repr(u8)]` (or another integer) \
                 for a fieldless enum"
            ),
        );
    }
    match &input.body {
        Body::Struct(s) => check_struct(cx, input, s),
        Body::Enum(e) => check_enum(cx, input, e),
    }
}

fn check_generics(cx: &Ctxt, input: &Input) {
    for param in &input.generics.params {
        if let GenericParam::Lifetime(lt) = param {
            cx.error_spanned_by(
                &lt.lifetime,
                format!(
                    "buffer items must be `'static` (a buffer outlives any borrow Python could \
                     check): remove the lifetime parameter `{}`",
                    lt.lifetime
                ),
            );
        }
    }
}

fn check_struct(cx: &Ctxt, input: &Input, s: &Struct) {
    let repr = &input.repr;
    if let Some(int) = &repr.int {
        cx.error_spanned_by(
            &int.ident,
            format!(
                "`#[repr({})]` is for enums; a struct needs `#[repr(C)]` (or `#[repr(transparent)]` \
                 for a newtype)",
                int.ident
            ),
        );
    }
    if repr.c.is_none() && repr.transparent.is_none() {
        if let Some((span, _)) = repr.packed {
            cx.error_at(
                span,
                "`#[repr(packed)]` alone keeps Rust's unspecified field order: write \
                 `#[repr(C, packed)]`",
            );
        } else if let Some((span, _)) = repr.align {
            cx.error_at(
                span,
                "`#[repr(align(N))]` alone keeps Rust's unspecified field order: write \
                 `#[repr(C, align(N))]`",
            );
        } else if repr.int.is_none() && repr.other.is_empty() {
            cx.error_at(
                input.span(),
                format!(
                    "`{}` needs a defined layout for `#[derive(BufferExport)]`: add `#[repr(C)]` \
                     (or `#[repr(transparent)]` for a newtype); Rust's default layout may reorder \
                     fields",
                    input.ident
                ),
            );
        }
    }

    let data_fields: Vec<&Field> = s.fields.iter().filter(|f| !f.phantom).collect();
    if data_fields.is_empty() {
        let what = match s.style {
            Style::Unit => "is a unit struct",
            _ => "has no fields (other than `PhantomData`)",
        };
        cx.error_at(
            input.span(),
            format!(
                "`{}` {what}: a buffer item needs a nonzero size; add a field",
                input.ident
            ),
        );
    }

    if repr.transparent.is_some() {
        for f in &s.fields {
            if let Some(span) = f.attrs.padding.span().or(f.attrs.rename.span()) {
                cx.error_at(
                    span,
                    "`#[buffer(...)]` field attributes have no effect on a `#[repr(transparent)]` \
                     newtype, which exports the items of its field: remove it",
                );
            }
        }
        for extra in data_fields.iter().skip(1) {
            cx.error_spanned_by(
                extra.original,
                "a `#[repr(transparent)]` newtype exports its one field; this is a second one \
                 (only `PhantomData` fields may sit beside it). Use `#[repr(C)]` for a record",
            );
        }
    }

    let mut names: BTreeMap<String, &Field> = BTreeMap::new();
    for f in &s.fields {
        check_field(cx, f);
        if f.phantom || f.is_padding() || repr.transparent.is_some() {
            continue;
        }
        let name = f.format_name();
        if let Some(first) = names.get(&name) {
            let at = f.attrs.rename.span().unwrap_or_else(|| f.ty_span());
            cx.error_at(
                at,
                format!(
                    "two fields are named `{name}` in the format (field `{}` and field `{}`): give \
                     one of them another `#[buffer(rename = \"...\")]`",
                    first.source_name(),
                    f.source_name()
                ),
            );
        } else {
            names.insert(name, f);
        }
    }
}

impl Field<'_> {
    fn ty_span(&self) -> proc_macro2::Span {
        syn::spanned::Spanned::span(self.ty)
    }
}

fn check_field(cx: &Ctxt, f: &Field) {
    if let (Some(_), Some(rename)) = (f.attrs.padding.span(), f.attrs.rename.span()) {
        cx.error_at(
            rename,
            "`rename` conflicts with `padding`: padding is exported as `Nx`, without a name; \
             remove one of them",
        );
    }
    if f.is_padding() && !is_u8_array(f.ty) {
        cx.error_spanned_by(
            f.ty,
            format!(
                "`#[buffer(padding)]` needs a field of type `[u8; N]` (exported as `Nx`), not `{}`",
                {
                    let ty = f.ty;
                    quote::quote!(#ty).to_string().replace(' ', "")
                }
            ),
        );
    }
    if f.phantom && (f.is_padding() || f.attrs.rename.get().is_some()) {
        cx.error_spanned_by(
            f.ty,
            "a `PhantomData` field is not part of the format: remove its `#[buffer(...)]` attribute",
        );
    }
    if let Some(name) = f.attrs.rename.get() {
        check_name(cx, f, name);
    }
    if let Some(wide) = find_128(f.ty) {
        cx.error_spanned_by(
            wide,
            format!(
                "`{}` has no PEP 3118 format code (the widest integers are `q`/`Q`, 8 bytes): \
                 store it as `[u8; 16]` (exported as `(16)B`) or as two `u64`s (`(2)Q`) and convert \
                 on access",
                quote::quote!(#wide)
            ),
        );
    }
}

/// A `:name:` must not break the format: numpy and our parser read it up to the next `:`.
fn check_name(cx: &Ctxt, f: &Field, name: &str) {
    let span = f.attrs.rename.span().expect("rename is set");
    let breaking = |c: &char| {
        matches!(c, ':' | '{' | '}' | '(' | ')') || c.is_ascii_whitespace() || c.is_ascii_control()
    };
    let problem = if name.is_empty() {
        Some("is empty".to_owned())
    } else if let Some(c) = name.chars().find(|c| !c.is_ascii()) {
        Some(format!("contains the non-ASCII character `{c}`"))
    } else {
        name.chars().find(breaking).map(|c| {
            format!(
                "contains `{}`, which would end or break the `:name:` in the format",
                c.escape_default()
            )
        })
    };
    if let Some(problem) = problem {
        cx.error_at(
            span,
            format!(
                "the field name {name:?} {problem}: use ASCII letters, digits and `_`, e.g. \
                 `#[buffer(rename = \"px\")]`"
            ),
        );
    }
}

fn is_u8_array(ty: &Type) -> bool {
    match ty {
        Type::Array(a) => {
            matches!(&*a.elem, Type::Path(p) if p.qself.is_none() && p.path.is_ident("u8"))
        }
        Type::Group(g) => is_u8_array(&g.elem),
        Type::Paren(p) => is_u8_array(&p.elem),
        _ => false,
    }
}

/// The `bool` or `char` inside `ty` (through arrays), if any: not `FromBytes`, so an item
/// holding one is read-only.
pub fn find_not_from_bytes(ty: &Type) -> Option<&Type> {
    match ty {
        Type::Path(p)
            if p.qself.is_none() && (p.path.is_ident("bool") || p.path.is_ident("char")) =>
        {
            Some(ty)
        }
        Type::Array(a) => find_not_from_bytes(&a.elem),
        Type::Group(g) => find_not_from_bytes(&g.elem),
        Type::Paren(p) => find_not_from_bytes(&p.elem),
        _ => None,
    }
}

/// The `u128` or `i128` inside `ty` (through arrays), if any.
fn find_128(ty: &Type) -> Option<&Type> {
    match ty {
        Type::Path(p)
            if p.qself.is_none() && (p.path.is_ident("u128") || p.path.is_ident("i128")) =>
        {
            Some(ty)
        }
        Type::Array(a) => find_128(&a.elem),
        Type::Group(g) => find_128(&g.elem),
        Type::Paren(p) => find_128(&p.elem),
        _ => None,
    }
}

fn check_enum(cx: &Ctxt, input: &Input, e: &Enum) {
    let repr = &input.repr;
    if !input.generics.params.is_empty() {
        cx.error_spanned_by(
            input.generics,
            "a fieldless enum exported as its integer takes no generic parameters",
        );
    }
    if let Some(span) = repr.transparent {
        cx.error_at(
            span,
            "`#[repr(transparent)]` is not supported on enums: use `#[repr(u8)]` (or another integer)",
        );
    }
    if let Some((span, _)) = repr.packed.or(repr.align.map(|(s, n)| (s, Some(n)))) {
        cx.error_at(
            span,
            "`packed`/`align` are not supported on an exported enum: it has exactly the size and \
             alignment of its integer `repr`",
        );
    }
    match &repr.int {
        None if repr.c.is_some() => cx.error_at(
            repr.c.unwrap(),
            format!(
                "`#[repr(C)]` gives `{}` the size of C's `int`, which depends on the platform: \
                 write `#[repr(u8)]`, `#[repr(i32)]`, ... to fix its size",
                input.ident
            ),
        ),
        None if repr.transparent.is_none() && repr.other.is_empty() => cx.error_at(
            input.span(),
            format!(
                "`{}` needs an integer repr to be exported: add `#[repr(u8)]` (or `u16`, `i32`, \
                 ...); the enum is then exported read-only as that integer",
                input.ident
            ),
        ),
        Some(int) if int.ident == "u128" || int.ident == "i128" => cx.error_spanned_by(
            &int.ident,
            format!(
                "`{}` has no PEP 3118 format code: use `#[repr(u64)]` or smaller",
                int.ident
            ),
        ),
        _ => {}
    }
    if e.variants.is_empty() {
        cx.error_at(
            input.span(),
            format!(
                "`{}` has no variants, so no value of it exists to export: add a variant",
                input.ident
            ),
        );
    }
    for v in &e.variants {
        if !v.fields.is_empty() {
            cx.error_spanned_by(
                &v.fields,
                format!(
                    "variant `{}` carries data: only fieldless enums can be exported (as their \
                     integer). Use a `#[repr(C)]` struct with a tag field and the data instead",
                    v.ident
                ),
            );
        }
    }
}

/// The integer types a shape or stride field may have.
const INT_TYPES: &[&str] = &[
    "usize", "u8", "u16", "u32", "u64", "isize", "i8", "i16", "i32", "i64",
];

fn is_int_type(ty: &Type) -> bool {
    match ty {
        Type::Path(p) if p.qself.is_none() => p
            .path
            .get_ident()
            .is_some_and(|i| INT_TYPES.contains(&i.to_string().as_str())),
        Type::Group(g) => is_int_type(&g.elem),
        Type::Paren(p) => is_int_type(&p.elem),
        _ => false,
    }
}

/// The rules of a `#[buffer(container)]`: one data field of a slice-like type, shape and
/// strides naming integer fields, one stride per dimension.
fn check_container(cx: &Ctxt, input: &Input) {
    let container_span = input.attrs.container.span().unwrap_or_else(|| input.span());
    let s = match &input.body {
        Body::Struct(s) => s,
        Body::Enum(_) => {
            cx.error_at(
                container_span,
                "`#[buffer(container)]` is for a struct with a `#[buffer(data)]` field holding the \
                 items; an enum cannot be a container",
            );
            return;
        }
    };
    let data: Vec<&Field> = s
        .fields
        .iter()
        .filter(|f| f.attrs.data.get().is_some())
        .collect();
    match data.as_slice() {
        [] => cx.error_at(
            input.span(),
            format!(
                "the container `{}` has no data field: mark the `Vec<T>`, `Box<[T]>` or `&[T]` field \
                 that holds the items `#[buffer(data)]` (with `shape = [..]` for more than one \
                 dimension)",
                input.ident
            ),
        ),
        [_] => {}
        [first, rest @ ..] => {
            for f in rest {
                cx.error_at(
                    f.attrs.data.span().unwrap(),
                    format!(
                        "a container exports one data field, and `{}` is already `#[buffer(data)]`: \
                         remove this one, or export the two fields as two containers",
                        first.source_name()
                    ),
                );
            }
        }
    }
    for f in &s.fields {
        if let Some(span) = f.attrs.padding.span().or(f.attrs.rename.span()) {
            cx.error_at(
                span,
                "`padding` and `rename` describe fields of a record: a container exports the items \
                 of its data field, so its other fields have no format; remove it",
            );
        }
        if f.attrs.data.get().is_none() {
            if let Some(span) = f.attrs.shape.span().or(f.attrs.strides.span()) {
                cx.error_at(
                    span,
                    "`shape` and `strides` belong on the `#[buffer(data)]` field: write \
                     `#[buffer(data, shape = [height, width])]` there",
                );
            }
        }
    }
    let Some(data) = data.first() else { return };
    if data_item(data.ty).is_none() {
        cx.error_spanned_by(
            data.ty,
            format!(
                "the data field of a container must be `Vec<T>`, `Box<[T]>`, `&[T]` or `&mut [T]`, \
                 not `{}`",
                {
                    let ty = data.ty;
                    quote::quote!(#ty).to_string().replace(' ', "")
                }
            ),
        );
    }
    let shape = data.attrs.shape.get();
    let check_dims = |dims: &[Dim], what: &str| {
        for dim in dims {
            let Dim::Field(ident) = dim else { continue };
            let target = s
                .fields
                .iter()
                .find(|f| f.original.ident.as_ref() == Some(ident));
            match target {
                None => cx.error_spanned_by(
                    ident,
                    format!(
                        "`{}` in `{what} = [...]` is not a field of `{}`: name a field holding the \
                         value, or write an integer literal",
                        ident, input.ident
                    ),
                ),
                Some(f) if f.attrs.data.get().is_some() => cx.error_spanned_by(
                    ident,
                    format!("`{ident}` is the data field: `{what}` names fields holding integers"),
                ),
                Some(f) if !is_int_type(f.ty) => cx.error_spanned_by(
                    f.ty,
                    format!(
                        "`{ident}` is used in `{what} = [...]`, so it must be an integer field \
                         (`usize`, `u32`, `i64`, ...), not `{}`",
                        {
                            let ty = f.ty;
                            quote::quote!(#ty).to_string().replace(' ', "")
                        }
                    ),
                ),
                Some(_) => {}
            }
        }
    };
    if let Some(dims) = shape {
        check_dims(dims, "shape");
        if dims.is_empty() {
            cx.error_at(
                data.attrs.shape.span().unwrap(),
                "`shape = []` has no dimension: give at least one, or leave `shape` out for a 1-d \
                 view of all the items",
            );
        }
    }
    if let Some(strides) = data.attrs.strides.get() {
        check_dims(strides, "strides");
        let ndim = shape.map_or(1, Vec::len);
        if strides.len() != ndim {
            cx.error_at(
                data.attrs.strides.span().unwrap(),
                format!(
                    "{} stride(s) for {ndim} dimension(s): give one byte stride per entry of \
                     `shape`{}",
                    strides.len(),
                    if shape.is_none() {
                        " (without `shape`, the view is 1-d: one stride)"
                    } else {
                        ""
                    }
                ),
            );
        }
    }
}
