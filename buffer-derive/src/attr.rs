//! The `#[buffer(...)]` and `#[repr(...)]` attributes.
//!
//! Each key has one branch in a `parse_nested_meta` closure, with a comment showing the syntax
//! it accepts. Unknown keys, duplicates and keys on the wrong kind of item are reported with
//! their span; parsing then goes on so that every bad attribute is reported at once.

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, LitInt, LitStr, Path};

use crate::ctxt::Ctxt;

/// The name of our attribute.
pub const BUFFER: &str = "buffer";
/// `#[buffer(crate = "path")]` on the type.
pub const CRATE: &str = "crate";
/// `#[buffer(padding)]` on a field.
pub const PADDING: &str = "padding";
/// `#[buffer(rename = "name")]` on a field.
pub const RENAME: &str = "rename";
/// `#[buffer(container)]` on the type: a runtime-shaped container.
pub const CONTAINER: &str = "container";
/// `#[buffer(__into_bytes_derived)]`: written by `#[buffer_runtime::export]` beside the
/// `IntoBytes` derive it adds, never by users (see [`Container::into_bytes_derived`]).
pub const INTO_BYTES_DERIVED: &str = "__into_bytes_derived";
/// `#[buffer(data)]` on the data field of a container.
pub const DATA: &str = "data";
/// `#[buffer(data, shape = [rows, cols])]`.
pub const SHAPE: &str = "shape";
/// `#[buffer(data, shape = [rows, cols], strides = [pitch, 4])]`.
pub const STRIDES: &str = "strides";

/// `#[buffer_runtime::export(read_only)]`: no `FromBytes`, for items that hold `bool`, `char`
/// or an enum.
pub const READ_ONLY: &str = "read_only";

/// `#[buffer_runtime::export(known_layout)]`: also zerocopy's `KnownLayout`.
pub const KNOWN_LAYOUT: &str = "known_layout";

/// One entry of a `shape = [...]` or `strides = [...]` list: a sibling field or a literal.
pub enum Dim {
    /// `height`: the value of the field of that name.
    Field(syn::Ident),
    /// `4`, `-4`: a constant (the tokens as written, with the sign).
    Lit(syn::Expr),
}

/// Parses `[a, b, 4]` into [`Dim`]s; entries that are neither a field name nor an integer
/// literal are reported and skipped.
fn parse_dims(cx: &Ctxt, meta: &ParseNestedMeta, key: &str) -> syn::Result<(Span, Vec<Dim>)> {
    let expr: syn::Expr = meta.value()?.parse()?;
    let span = syn::spanned::Spanned::span(&expr);
    let syn::Expr::Array(array) = expr else {
        cx.error_at(
            span,
            format!("`{key}` takes a list in brackets: write `{key} = [height, width]`"),
        );
        return Ok((span, Vec::new()));
    };
    let mut dims = Vec::new();
    for elem in array.elems {
        match &elem {
            syn::Expr::Path(p) if p.qself.is_none() && p.path.get_ident().is_some() => {
                dims.push(Dim::Field(p.path.get_ident().unwrap().clone()))
            }
            syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Int(_), .. }) => dims.push(Dim::Lit(elem)),
            syn::Expr::Unary(syn::ExprUnary { op: syn::UnOp::Neg(_), expr, .. })
                if key == STRIDES
                    && matches!(&**expr, syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Int(_), .. })) =>
            {
                dims.push(Dim::Lit(elem))
            }
            _ => cx.error_spanned_by(
                &elem,
                format!(
                    "each entry of `{key} = [...]` is the name of another field of the struct or an \
                     integer literal"
                ),
            ),
        }
    }
    Ok((span, dims))
}

/// A value set at most once, remembering where it was set (serde's `Attr`).
pub struct Attr<T> {
    name: &'static str,
    value: Option<(Span, T)>,
}

impl<T> Attr<T> {
    fn none(name: &'static str) -> Self {
        Attr { name, value: None }
    }

    /// Sets the value, or reports a duplicate at `span`.
    fn set(&mut self, cx: &Ctxt, span: Span, value: T) {
        if self.value.is_some() {
            cx.error_at(
                span,
                format!("duplicate buffer attribute `{}`: give it once", self.name),
            );
        } else {
            self.value = Some((span, value));
        }
    }

    pub fn get(&self) -> Option<&T> {
        self.value.as_ref().map(|(_, v)| v)
    }

    pub fn span(&self) -> Option<Span> {
        self.value.as_ref().map(|(s, _)| *s)
    }
}

impl Attr<()> {
    /// Sets a flag (`padding`, `read_only`), or reports a value given to it, with `usage`
    /// (how to write it) as the fix.
    fn set_flag(
        &mut self,
        cx: &Ctxt,
        meta: &ParseNestedMeta,
        span: Span,
        usage: &str,
    ) -> syn::Result<()> {
        if !meta.input.is_empty() && !meta.input.peek(syn::Token![,]) {
            cx.error_spanned_by(
                &meta.path,
                format!("`{}` takes no value: write `{usage}`", self.name),
            );
            skip_value(meta)
        } else {
            self.set(cx, span, ());
            Ok(())
        }
    }
}

/// Attributes of the struct or enum itself.
pub struct Container {
    /// `crate = "path"`: where the runtime crate is, when the dependency is renamed.
    pub krate: Attr<Path>,
    /// `container`: the type is a container whose data field holds the items.
    pub container: Attr<()>,
    /// `__into_bytes_derived`: `#[buffer_runtime::export]` put zerocopy's `IntoBytes` derive on
    /// the type, so the derive need not ask for `Self: IntoBytes` again (that bound costs a
    /// trait-solver query per impl and use; see `expand_record`). Hidden: a user who writes it
    /// without the derive loses nothing in soundness, because the derive's own gap checks still
    /// reject every padded concrete struct.
    pub into_bytes_derived: Attr<()>,
}

/// Attributes of one field.
pub struct Field {
    /// `padding`: the field is explicit padding, exported as `Nx`.
    pub padding: Attr<()>,
    /// `rename = "name"`: the `:name:` of the field in the format.
    pub rename: Attr<String>,
    /// `data`: the field holding a container's items.
    pub data: Attr<()>,
    /// `shape = [..]`: the container's shape, from sibling fields and literals.
    pub shape: Attr<Vec<Dim>>,
    /// `strides = [..]`: the container's byte strides.
    pub strides: Attr<Vec<Dim>>,
}

/// Skips the value of a key that was rejected, so that parsing can go on with the next key.
fn skip_value(meta: &ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        meta.value()?.parse::<syn::Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        meta.parse_nested_meta(|inner| skip_value(&inner))?;
    }
    Ok(())
}

fn key(meta: &ParseNestedMeta) -> String {
    meta.path
        .get_ident()
        .map(|i| i.to_string())
        .unwrap_or_else(|| path_string(&meta.path))
}

/// The display form of a path such as `foo::bar`.
fn path_string(path: &Path) -> String {
    let segs: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    segs.join("::")
}

impl Container {
    /// Reads the `#[buffer(...)]` attributes of a struct or enum.
    pub fn from_attrs(cx: &Ctxt, attrs: &[Attribute]) -> Self {
        let mut krate = Attr::none(CRATE);
        let mut container = Attr::none(CONTAINER);
        let mut into_bytes_derived = Attr::none(INTO_BYTES_DERIVED);
        for attr in attrs.iter().filter(|a| a.path().is_ident(BUFFER)) {
            let result = attr.parse_nested_meta(|meta| {
                let span = meta.path.get_ident().map_or_else(Span::call_site, |i| i.span());
                if meta.path.is_ident(INTO_BYTES_DERIVED) {
                    into_bytes_derived.set_flag(cx, &meta, span, "#[buffer(__into_bytes_derived)]")?;
                } else if meta.path.is_ident(CRATE) {
                    // #[buffer(crate = "path::to::buffer_runtime")]
                    let lit: LitStr = meta.value()?.parse()?;
                    match lit.parse::<Path>() {
                        Ok(path) => krate.set(cx, span, path),
                        Err(_) => cx.error_spanned_by(
                            &lit,
                            format!(
                                "`{}` is not a path: write `#[buffer(crate = \"my_buffer_runtime\")]`",
                                lit.value()
                            ),
                        ),
                    }
                } else if meta.path.is_ident(CONTAINER) {
                    // #[buffer(container)]
                    container.set_flag(cx, &meta, span, "#[buffer(container)]")?;
                } else if [PADDING, RENAME, DATA, SHAPE, STRIDES]
                    .iter()
                    .any(|k| meta.path.is_ident(k))
                {
                    cx.error_spanned_by(
                        &meta.path,
                        format!(
                            "`#[buffer({})]` belongs on a field, not on the type itself",
                            key(&meta)
                        ),
                    );
                    skip_value(&meta)?;
                } else {
                    cx.error_spanned_by(
                        &meta.path,
                        format!(
                            "unknown buffer attribute `{}` on a type: expected `container` or `crate = \"...\"`",
                            path_string(&meta.path)
                        ),
                    );
                    skip_value(&meta)?;
                }
                Ok(())
            });
            if let Err(err) = result {
                cx.syn_error(err);
            }
        }
        Container {
            krate,
            container,
            into_bytes_derived,
        }
    }
}

impl Field {
    /// Reads the `#[buffer(...)]` attributes of a field.
    pub fn from_attrs(cx: &Ctxt, attrs: &[Attribute]) -> Self {
        let mut padding = Attr::none(PADDING);
        let mut rename = Attr::none(RENAME);
        let mut data = Attr::none(DATA);
        let mut shape = Attr::none(SHAPE);
        let mut strides = Attr::none(STRIDES);
        for attr in attrs.iter().filter(|a| a.path().is_ident(BUFFER)) {
            let result = attr.parse_nested_meta(|meta| {
                let span = meta.path.get_ident().map_or_else(Span::call_site, |i| i.span());
                if meta.path.is_ident(PADDING) {
                    // #[buffer(padding)]
                    padding.set_flag(cx, &meta, span, "#[buffer(padding)]")?;
                } else if meta.path.is_ident(RENAME) {
                    // #[buffer(rename = "px")]
                    let lit: LitStr = meta.value()?.parse()?;
                    rename.set(cx, lit.span(), lit.value());
                } else if meta.path.is_ident(DATA) {
                    // #[buffer(data)]
                    data.set_flag(cx, &meta, span, "#[buffer(data, shape = [height, width])]")?;
                } else if meta.path.is_ident(SHAPE) {
                    // #[buffer(data, shape = [height, width])]
                    let (_, dims) = parse_dims(cx, &meta, SHAPE)?;
                    shape.set(cx, span, dims);
                } else if meta.path.is_ident(STRIDES) {
                    // #[buffer(data, shape = [height, width], strides = [pitch, 4])]
                    let (_, dims) = parse_dims(cx, &meta, STRIDES)?;
                    strides.set(cx, span, dims);
                } else if meta.path.is_ident(CRATE) {
                    cx.error_spanned_by(
                        &meta.path,
                        "`#[buffer(crate = \"...\")]` belongs on the type, not on a field",
                    );
                    skip_value(&meta)?;
                } else if meta.path.is_ident(CONTAINER) {
                    cx.error_spanned_by(
                        &meta.path,
                        "`#[buffer(container)]` belongs on the type, not on a field: put it beside \
                         `#[derive(BufferExport)]` and mark the field holding the items \
                         `#[buffer(data)]`",
                    );
                    skip_value(&meta)?;
                } else {
                    cx.error_spanned_by(
                        &meta.path,
                        format!(
                            "unknown buffer attribute `{}` on a field: expected `padding` or `rename = \"...\"` (or, in a `#[buffer(container)]`, `data`, `shape = [...]`, `strides = [...]`)",
                            path_string(&meta.path)
                        ),
                    );
                    skip_value(&meta)?;
                }
                Ok(())
            });
            if let Err(err) = result {
                cx.syn_error(err);
            }
        }
        Field {
            padding,
            rename,
            data,
            shape,
            strides,
        }
    }
}

/// The arguments of `#[buffer_runtime::export(...)]`.
pub struct Export {
    /// `crate = "path"`: where the runtime crate is, when the dependency is renamed.
    pub krate: Attr<Path>,
    /// `read_only`: derive no `FromBytes`, so exports are read-only.
    pub read_only: Attr<()>,
    /// `known_layout`: derive zerocopy's `KnownLayout` too (the runtime does not need it, and
    /// it costs build time).
    pub known_layout: Attr<()>,
}

impl Export {
    /// Reads the arguments of the attribute macro.
    pub fn from_args(cx: &Ctxt, args: proc_macro2::TokenStream) -> Self {
        let mut krate = Attr::none(CRATE);
        let mut read_only = Attr::none(READ_ONLY);
        let mut known_layout = Attr::none(KNOWN_LAYOUT);
        let parser = syn::meta::parser(|meta| {
            let span = meta
                .path
                .get_ident()
                .map_or_else(Span::call_site, |i| i.span());
            if meta.path.is_ident(READ_ONLY) {
                // #[buffer_runtime::export(read_only)]
                read_only.set_flag(cx, &meta, span, "#[buffer_runtime::export(read_only)]")?;
            } else if meta.path.is_ident(KNOWN_LAYOUT) {
                // #[buffer_runtime::export(known_layout)]
                known_layout.set_flag(
                    cx,
                    &meta,
                    span,
                    "#[buffer_runtime::export(known_layout)]",
                )?;
            } else if meta.path.is_ident(CRATE) {
                // #[br::export(crate = "br")]
                let lit: LitStr = meta.value()?.parse()?;
                match lit.parse::<Path>() {
                    Ok(path) => krate.set(cx, span, path),
                    Err(_) => cx.error_spanned_by(
                        &lit,
                        format!(
                            "`{}` is not a path: write `#[br::export(crate = \"br\")]`",
                            lit.value()
                        ),
                    ),
                }
            } else {
                cx.error_spanned_by(
                    &meta.path,
                    format!(
                        "unknown argument `{}` of `#[buffer_runtime::export]`: expected `read_only`, \
                         `known_layout` or `crate = \"...\"` (field attributes go on the fields: \
                         `#[buffer(padding)]`, `#[buffer(rename = \"...\")]`)",
                        path_string(&meta.path)
                    ),
                );
                skip_value(&meta)?;
            }
            Ok(())
        });
        if let Err(err) = syn::parse::Parser::parse2(parser, args) {
            cx.syn_error(err);
        }
        Export {
            krate,
            read_only,
            known_layout,
        }
    }
}

/// Rejects every `#[buffer(...)]` attribute on an item that takes none (an enum variant),
/// saying where they belong instead.
pub fn reject_all(cx: &Ctxt, attrs: &[Attribute], what: &str) {
    for attr in attrs.iter().filter(|a| a.path().is_ident(BUFFER)) {
        cx.error_spanned_by(attr, format!("`#[buffer(...)]` is not allowed on {what}"));
    }
}

/// An integer `repr` of an enum.
#[derive(Clone)]
pub struct IntRepr {
    pub ident: syn::Ident,
}

/// What the `#[repr(...)]` attributes say; each hint remembers its span.
#[derive(Default)]
pub struct Repr {
    pub c: Option<Span>,
    pub transparent: Option<Span>,
    /// `packed` or `packed(N)`.
    pub packed: Option<(Span, Option<u64>)>,
    pub align: Option<(Span, u64)>,
    pub int: Option<IntRepr>,
    /// Hints we do not support (`simd`, ...), by name.
    pub other: Vec<(Span, String)>,
}

const INT_REPRS: &[&str] = &[
    "u8", "i8", "u16", "i16", "u32", "i32", "u64", "i64", "u128", "i128", "usize", "isize",
];

impl Repr {
    /// Reads every `#[repr(...)]` attribute. rustc checks their syntax itself, so a repr we cannot
    /// parse is left to rustc's error.
    pub fn from_attrs(attrs: &[Attribute]) -> Self {
        let mut repr = Repr::default();
        for attr in attrs.iter().filter(|a| a.path().is_ident("repr")) {
            let _ = attr.parse_nested_meta(|meta| {
                let Some(ident) = meta.path.get_ident() else {
                    return skip_value(&meta);
                };
                let name = ident.to_string();
                let span = ident.span();
                match name.as_str() {
                    "C" => repr.c = Some(span),
                    "transparent" => repr.transparent = Some(span),
                    "packed" => {
                        let mut n = None;
                        if meta.input.peek(syn::token::Paren) {
                            let content;
                            syn::parenthesized!(content in meta.input);
                            n = Some(content.parse::<LitInt>()?.base10_parse()?);
                        }
                        repr.packed = Some((span, n));
                    }
                    "align" => {
                        let content;
                        syn::parenthesized!(content in meta.input);
                        let n = content.parse::<LitInt>()?.base10_parse()?;
                        repr.align = Some((span, n));
                    }
                    _ if INT_REPRS.contains(&name.as_str()) => {
                        repr.int = Some(IntRepr {
                            ident: ident.clone(),
                        })
                    }
                    _ => {
                        repr.other.push((span, name));
                        skip_value(&meta)?;
                    }
                }
                Ok(())
            });
        }
        repr
    }
}
