//! A borrowing AST of the derive input: every node keeps the `syn` node it came from, so that
//! any error can point at the user's tokens.

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Generics, Ident, Index, Member, Path, Type};

use crate::attr;
use crate::ctxt::Ctxt;

pub struct Input<'a> {
    pub ident: &'a Ident,
    pub generics: &'a Generics,
    pub attrs: attr::Container,
    pub repr: attr::Repr,
    pub body: Body<'a>,
    /// The name under which the user's `Cargo.toml` renames the runtime, if it does.
    pub renamed_runtime: Option<String>,
}

pub enum Body<'a> {
    Struct(Struct<'a>),
    Enum(Enum<'a>),
}

pub struct Struct<'a> {
    pub style: Style,
    pub fields: Vec<Field<'a>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `struct S { a: u8 }`
    Named,
    /// `struct S(u8);`
    Tuple,
    /// `struct S;`
    Unit,
}

pub struct Field<'a> {
    pub original: &'a syn::Field,
    /// `a` or `0`: how the field is reached (`offset_of!(S, a)`).
    pub member: Member,
    pub ty: &'a Type,
    pub attrs: attr::Field,
    /// The field is a `PhantomData<...>`: zero-sized, absent from the format.
    pub phantom: bool,
}

pub struct Enum<'a> {
    pub variants: Vec<&'a syn::Variant>,
}

impl<'a> Input<'a> {
    /// Parses the input; `None` (with an error recorded) for a union, which has no AST here.
    pub fn from_syn(cx: &Ctxt, input: &'a DeriveInput) -> Option<Self> {
        let attrs = attr::Container::from_attrs(cx, &input.attrs);
        let repr = attr::Repr::from_attrs(&input.attrs);
        let body = match &input.data {
            Data::Struct(data) => Body::Struct(Struct::from_syn(cx, &data.fields)),
            Data::Enum(data) => {
                for v in &data.variants {
                    attr::reject_all(
                        cx,
                        &v.attrs,
                        "an enum variant: an enum exports as its integer `repr`, without names",
                    );
                    for f in v.fields.iter() {
                        attr::reject_all(cx, &f.attrs, "a field of an enum variant");
                    }
                }
                Body::Enum(Enum {
                    variants: data.variants.iter().collect(),
                })
            }
            Data::Union(data) => {
                cx.error_spanned_by(
                    data.union_token,
                    "`#[derive(BufferExport)]` does not support unions: which field is active is \
                     unknown, so the bytes have no single format. Export a `#[repr(C)]` struct, or \
                     one of the union's field types, instead",
                );
                return None;
            }
        };
        let renamed_runtime = match attrs.krate.get() {
            Some(_) => None,
            None => renamed_runtime(),
        };
        if let Some(name) = &renamed_runtime {
            cx.error_at(
                input.ident.span(),
                format!(
                    "this crate's Cargo.toml renames the `buffer-runtime` dependency to `{name}`, \
                     and the generated code names `::buffer_runtime`: add \
                     `#[buffer(crate = \"{name}\")]` on the type"
                ),
            );
        }
        Some(Input {
            ident: &input.ident,
            generics: &input.generics,
            attrs,
            repr,
            body,
            renamed_runtime,
        })
    }

    /// The path of the runtime crate in the generated code: the `#[buffer(crate = "...")]`
    /// override, else `::buffer_runtime`. When the manifest renames the dependency and no
    /// override is given (an error), the renamed path, so that the stubs beside the error
    /// resolve.
    pub fn runtime_path(&self) -> Path {
        if let Some(path) = self.attrs.krate.get() {
            return path.clone();
        }
        match &self.renamed_runtime {
            Some(name) => {
                let ident = Ident::new(name, Span::call_site());
                syn::parse_quote!(::#ident)
            }
            None => syn::parse_quote!(::buffer_runtime),
        }
    }

    /// Where to point an error about the whole type: its name.
    pub fn span(&self) -> Span {
        self.ident.span()
    }

    pub fn is_generic(&self) -> bool {
        !self.generics.params.is_empty()
    }
}

impl<'a> Struct<'a> {
    fn from_syn(cx: &Ctxt, fields: &'a Fields) -> Self {
        let style = match fields {
            Fields::Named(_) => Style::Named,
            Fields::Unnamed(_) => Style::Tuple,
            Fields::Unit => Style::Unit,
        };
        let fields = fields
            .iter()
            .enumerate()
            .map(|(i, field)| Field {
                original: field,
                member: match &field.ident {
                    Some(ident) => Member::Named(ident.clone()),
                    None => Member::Unnamed(Index {
                        index: i as u32,
                        span: field.ty.span(),
                    }),
                },
                ty: &field.ty,
                attrs: attr::Field::from_attrs(cx, &field.attrs),
                phantom: is_phantom(&field.ty),
            })
            .collect();
        Struct { style, fields }
    }
}

impl Field<'_> {
    /// The field as written in the source, for messages: `b`, or `1` for a tuple field.
    pub fn source_name(&self) -> String {
        match &self.member {
            Member::Named(ident) => unraw(ident),
            Member::Unnamed(index) => index.index.to_string(),
        }
    }

    /// The `:name:` in the format: the `rename`, else the field's name, else `f0`, `f1`, ...
    /// for tuple fields (numpy's names for unnamed fields).
    pub fn format_name(&self) -> String {
        if let Some(name) = self.attrs.rename.get() {
            return name.clone();
        }
        match &self.member {
            Member::Named(ident) => unraw(ident),
            Member::Unnamed(index) => format!("f{}", index.index),
        }
    }

    pub fn is_padding(&self) -> bool {
        self.attrs.padding.get().is_some()
    }
}

fn unraw(ident: &Ident) -> String {
    let s = ident.to_string();
    s.strip_prefix("r#").map(str::to_owned).unwrap_or(s)
}

/// Whether `ty` is written as `PhantomData<...>` (any path ending so). The derive also asserts
/// that such a field is zero-sized, so a user type that happens to share the name cannot hide
/// bytes from the format.
fn is_phantom(ty: &Type) -> bool {
    match ty {
        Type::Path(p) if p.qself.is_none() => p
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "PhantomData"),
        Type::Group(g) => is_phantom(&g.elem),
        Type::Paren(p) => is_phantom(&p.elem),
        _ => false,
    }
}

/// How a container's data field holds its items.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum DataKind {
    /// `Vec<T>`
    Vec,
    /// `Box<[T]>`
    Box,
    /// `&[T]`
    Ref,
    /// `&mut [T]`
    RefMut,
}

impl DataKind {
    /// Whether the container owns or exclusively borrows its items (so it can be written).
    pub fn writable(self) -> bool {
        !matches!(self, DataKind::Ref)
    }
}

impl Input<'_> {
    /// The type is a `#[buffer(container)]`.
    pub fn is_container(&self) -> bool {
        self.attrs.container.get().is_some()
    }
}

/// The item type `T` of a data field written `Vec<T>`, `Box<[T]>`, `&[T]` or `&mut [T]` (paths
/// may be qualified: `std::vec::Vec<T>`).
pub fn data_item(ty: &Type) -> Option<(DataKind, &Type)> {
    match ty {
        Type::Group(g) => data_item(&g.elem),
        Type::Paren(p) => data_item(&p.elem),
        Type::Reference(r) => match &*r.elem {
            Type::Slice(s) => Some((
                if r.mutability.is_some() {
                    DataKind::RefMut
                } else {
                    DataKind::Ref
                },
                &s.elem,
            )),
            _ => None,
        },
        Type::Path(p) if p.qself.is_none() => {
            let last = p.path.segments.last()?;
            let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
                return None;
            };
            let mut types = args.args.iter().filter_map(|a| match a {
                syn::GenericArgument::Type(t) => Some(t),
                _ => None,
            });
            let first = types.next()?;
            if last.ident == "Vec" && types.next().is_none() {
                Some((DataKind::Vec, first))
            } else if last.ident == "Box" {
                match first {
                    Type::Slice(s) if types.next().is_none() => Some((DataKind::Box, &s.elem)),
                    _ => None,
                }
            } else {
                None
            }
        }
        _ => None,
    }
}

/// The name the crate being compiled gives the runtime, when its `Cargo.toml` renames the
/// dependency (`br = { package = "buffer-runtime", ... }`) and has none called
/// `buffer-runtime`: then `::buffer_runtime` cannot resolve, and rustc's "cannot find" says
/// nothing of the fix. `None` when the manifest cannot be read or does not rename it. Unit
/// tests expand code for a crate of their own (`buffer-derive`, which renames it in its
/// dev-dependencies), so they never look.
pub fn renamed_runtime() -> Option<String> {
    if cfg!(test) {
        return None;
    }
    let dir = std::env::var_os("CARGO_MANIFEST_DIR")?;
    let manifest = std::fs::read_to_string(std::path::Path::new(&dir).join("Cargo.toml")).ok()?;
    manifest_renames_runtime(&manifest)
}

/// A line-based reading of a manifest, enough for the usual spellings of a dependency
/// (`name = { package = "buffer-runtime", .. }` or a `[dependencies.name]` table with
/// `package = "buffer-runtime"`); anything else is `None`, and rustc's own error stands.
pub fn manifest_renames_runtime(manifest: &str) -> Option<String> {
    let mut table = String::new();
    let mut renamed = None;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            table = line
                .trim_matches(|c| c == '[' || c == ']')
                .trim()
                .to_owned();
            continue;
        }
        if !table.contains("dependencies") {
            continue;
        }
        let key = line
            .split('=')
            .next()
            .unwrap_or("")
            .trim()
            .trim_matches('"');
        let table_key = table
            .rsplit('.')
            .next()
            .unwrap_or("")
            .trim()
            .trim_matches('"');
        let names_runtime = |k: &str| k == "buffer-runtime" || k == "buffer_runtime";
        if (table.ends_with("dependencies") && names_runtime(key)) || names_runtime(table_key) {
            return None;
        }
        let packaged = line.replace(' ', "");
        if packaged.contains("package=\"buffer-runtime\"") {
            let name = if table.ends_with("dependencies") {
                key
            } else {
                table_key
            };
            if !name.is_empty() && renamed.is_none() {
                renamed = Some(name.replace('-', "_"));
            }
        }
    }
    renamed
}
