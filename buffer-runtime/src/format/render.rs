//! The renderer: [`Format`] → canonical format string.
//!
//! Canonical form: no whitespace; a prefix only where the prefix in force changes (the string
//! starts under `@`); the shape before the prefix (`(2)<i`, the order numpy reads); no count
//! of 1; `>` for big-endian.

use core::fmt::{self, Write};

use super::{Format, Item, Kind, Prefix};

impl fmt::Display for Format {
    /// Writes the canonical format string.
    ///
    /// ```
    /// use buffer_runtime::format::parse;
    ///
    /// let f = parse("@ 1i !h !h T{ <d }").unwrap();
    /// assert_eq!(f.to_string(), "i>hhT{<d}");
    /// assert_eq!(parse(&f.to_string()), Ok(f));
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut current = Prefix::Native;
        for item in &self.items {
            write_item(f, item, &mut current)?;
        }
        Ok(())
    }
}

fn write_item(f: &mut fmt::Formatter<'_>, item: &Item, current: &mut Prefix) -> fmt::Result {
    if !item.shape.is_empty() {
        f.write_char('(')?;
        for (i, n) in item.shape.iter().enumerate() {
            if i > 0 {
                f.write_char(',')?;
            }
            write!(f, "{n}")?;
        }
        f.write_char(')')?;
    }
    if item.prefix != *current {
        f.write_char(item.prefix.as_char())?;
        *current = item.prefix;
    }
    if item.count != 1 {
        write!(f, "{}", item.count)?;
    }
    match &item.kind {
        Kind::Code(c) => f.write_str(c.as_str())?,
        Kind::Struct(items) => {
            f.write_str("T{")?;
            for i in items {
                write_item(f, i, current)?;
            }
            f.write_char('}')?;
        }
        Kind::Pointer(target) => {
            f.write_char('&')?;
            write_item(f, target, current)?;
        }
    }
    if let Some(name) = &item.name {
        write!(f, ":{name}:")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::format::parse;
    use alloc::string::ToString;

    #[test]
    fn canonical_forms() {
        for (input, out) in [
            ("", ""),
            ("@i", "i"),
            ("=i=i", "=ii"),
            ("<(2, 3)4s:a b:", "(2,3)<4s:a b:"),
            ("!Zd &<i x", ">Zd&<ix"),
            ("T{}T{T{}}", "T{}T{T{}}"),
            ("<T{}i", "<T{}i"),
            ("^T{@i}", "^T{@i}"),
            ("2&(3)T{i:a:}:p:", "2&(3)T{i:a:}:p:"),
        ] {
            let f = parse(input).unwrap();
            assert_eq!(f.to_string(), out, "{input}");
            assert_eq!(parse(out), Ok(f), "{input}");
        }
    }
}
