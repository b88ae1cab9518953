//! The item format of a view: its text, its size, and (shared between every view derived
//! from one another) its parsed layout. All calls into the `format` module go through here.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::sync::Arc;

use crate::element::Element;
use crate::format::{self, FormatError, ItemLayout, MatchNames};

use super::error::{Cause, Result, ViewError};

/// A parsed item format, cheap to clone (reference-counted): every view derived from another
/// (slices, sub-views, transpositions) shares its parent's.
///
/// ```
/// use buffer_runtime::view::ItemFormat;
/// let f = ItemFormat::parse("@h").unwrap();
/// assert_eq!((f.text(), f.itemsize(), f.native_char()), ("@h", 2, Some(b'h')));
/// assert_eq!(ItemFormat::parse("<h").unwrap().native_char(), None);
/// ```
#[derive(Clone)]
pub struct ItemFormat(Arc<Inner>);

struct Inner {
    text: Cow<'static, str>,
    layout: ItemLayout,
    itemsize: usize,
    /// CPython's `get_native_fmtchar`: the character of a native single-character format
    /// (with an optional `@`), which CPython's memoryview handles natively.
    native: Option<u8>,
}

impl core::fmt::Debug for ItemFormat {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("ItemFormat").field(&self.text()).finish()
    }
}

/// CPython's `get_native_fmtchar`: `Some(c)` for `"c"` or `"@c"` with `c` a code CPython's
/// memoryview handles natively (the table is [`format::simple_native`]'s).
pub(crate) fn native_char(text: &str) -> Option<u8> {
    format::simple_native(text)?.as_str().bytes().next()
}

impl ItemFormat {
    /// Parses a format string.
    ///
    /// ```
    /// use buffer_runtime::view::ItemFormat;
    /// assert_eq!(ItemFormat::parse("d").unwrap().itemsize(), 8);
    /// assert!(ItemFormat::parse("T{i").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Self> {
        Self::build(Cow::Owned(String::from(text)))
    }

    fn build(text: Cow<'static, str>) -> Result<Self> {
        let invalid = |e: FormatError| {
            ViewError::value_error(alloc::format!("invalid format {:?}: {e}", &*text))
                .with_cause(Cause::Format(e))
        };
        let layout = format::parse(&text)
            .map_err(invalid)?
            .layout()
            .map_err(invalid)?;
        Ok(Self::from_layout(text, layout))
    }

    pub(crate) fn from_layout(text: Cow<'static, str>, layout: ItemLayout) -> Self {
        ItemFormat(Arc::new(Inner {
            native: native_char(&text),
            itemsize: layout.size(),
            layout,
            text,
        }))
    }

    /// The format of a Rust item type, checked to describe `size_of::<T>()` bytes.
    pub(crate) fn of_element<T: Element>() -> Result<Self> {
        let f = Self::build(Cow::Borrowed(T::FORMAT))?;
        if f.itemsize() != core::mem::size_of::<T>() {
            return Err(ViewError::buffer_error(alloc::format!(
                "format {:?} describes {} bytes but the item type has {}",
                T::FORMAT,
                f.itemsize(),
                core::mem::size_of::<T>()
            )));
        }
        Ok(f)
    }

    /// The format `B` of byte views.
    pub(crate) fn bytes() -> Self {
        Self::build(Cow::Borrowed("B")).unwrap_or_else(|_| unreachable!("`B` is a valid format"))
    }

    /// The parsed layout of one item (fields, offsets, byte orders).
    ///
    /// ```
    /// use buffer_runtime::view::ItemFormat;
    /// let f = ItemFormat::parse("T{<i:a:<d:b:}").unwrap();
    /// assert_eq!(f.layout().field("b").unwrap().offset, 4);
    /// ```
    pub fn layout(&self) -> &ItemLayout {
        &self.0.layout
    }

    /// The format text, as given.
    ///
    /// ```
    /// use buffer_runtime::view::ItemFormat;
    /// assert_eq!(ItemFormat::parse("<I").unwrap().text(), "<I");
    /// ```
    pub fn text(&self) -> &str {
        &self.0.text
    }

    /// The size of one item in bytes.
    ///
    /// ```
    /// use buffer_runtime::view::ItemFormat;
    /// assert_eq!(ItemFormat::parse("<I").unwrap().itemsize(), 4);
    /// ```
    pub fn itemsize(&self) -> usize {
        self.0.itemsize
    }

    /// The character of a native single-character format (`"h"`, `"@h"`), the formats
    /// CPython's memoryview handles natively; `None` for anything else.
    ///
    /// ```
    /// use buffer_runtime::view::ItemFormat;
    /// assert_eq!(ItemFormat::parse("B").unwrap().native_char(), Some(b'B'));
    /// assert_eq!(ItemFormat::parse("<B").unwrap().native_char(), None);
    /// ```
    pub fn native_char(&self) -> Option<u8> {
        self.0.native
    }

    /// Checks that the Rust item type `T` describes these items, comparing layouts (not
    /// strings); field names must also agree when `names` is [`MatchNames::Require`].
    pub(crate) fn check_element<T: Element>(&self, names: MatchNames) -> Result<()> {
        // Fast path: the exporter's own item type (the same text means the same layout).
        if T::FORMAT == self.text()
            && names == MatchNames::Ignore
            && core::mem::size_of::<T>() == self.itemsize()
        {
            return Ok(());
        }
        let theirs = Self::build(Cow::Borrowed(T::FORMAT))?;
        format::compare(theirs.layout(), self.layout(), names).map_err(|e| {
            ViewError::value_error(alloc::format!("{e}")).with_cause(Cause::Mismatch(e))
        })?;
        if theirs.itemsize() != core::mem::size_of::<T>() {
            return Err(ViewError::buffer_error(alloc::format!(
                "format {:?} describes {} bytes but `{}` has {}",
                T::FORMAT,
                theirs.itemsize(),
                core::any::type_name::<T>(),
                core::mem::size_of::<T>()
            )));
        }
        Ok(())
    }

    /// Whether this is one of CPython's byte formats (`B`, `b`, `c`, optionally `@`-prefixed).
    pub(crate) fn is_byte_format(&self) -> bool {
        matches!(self.0.native, Some(b'B' | b'b' | b'c'))
    }
}
