//! The parser: format string → [`Format`].

use alloc::boxed::Box;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::{Code, Format, FormatError, Item, Kind, Prefix};

/// How deeply `T{` and `&` may nest: deeper formats are rejected instead of exhausting the
/// stack.
const MAX_DEPTH: usize = 64;

/// Parses a PEP 3118 format string (see the [module docs](super#grammar) for the grammar).
///
/// The result is also laid out once, so that a format whose item size overflows `usize` is
/// rejected here, as `struct.calcsize` rejects it.
///
/// ```
/// use buffer_runtime::format::parse;
///
/// let f = parse("T{ (2,3)<d:m:  ?:ok: }").unwrap();
/// assert_eq!(f.to_string(), "T{(2,3)<d:m:?:ok:}");
///
/// let e = parse("T{i:a:h:a:}").unwrap_err();
/// assert_eq!(e.to_string(), "duplicate field name 'a' at position 8");
/// assert!(parse("<n").is_err()); // native-only code under a standard prefix
/// ```
pub fn parse(s: &str) -> Result<Format, FormatError> {
    let mut p = Parser {
        s: s.as_bytes(),
        pos: 0,
        prefix: Prefix::Native,
    };
    let items = p.seq(0, None)?;
    let f = Format { items };
    f.check_layout()?;
    Ok(f)
}

impl core::str::FromStr for Format {
    type Err = FormatError;

    /// [`parse`] as `str::parse`.
    ///
    /// ```
    /// use buffer_runtime::format::Format;
    ///
    /// let f: Format = "<2h".parse().unwrap();
    /// assert_eq!(f.to_string(), "<2h");
    /// assert!("T{".parse::<Format>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Format, FormatError> {
        parse(s)
    }
}

struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
    /// The prefix in force (it leaks out of `T{}`, as in numpy).
    prefix: Prefix,
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// Quotes the byte at a position for an error message.
fn show(b: u8) -> String {
    if b.is_ascii_graphic() || b == b' ' {
        format!("'{}'", b as char)
    } else {
        format!("byte 0x{b:02x}")
    }
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(is_space) {
            self.pos += 1;
        }
    }

    /// Items up to the end (top level) or up to the `}` closing the `T{` at `open`.
    fn seq(&mut self, depth: usize, open: Option<usize>) -> Result<Vec<Item>, FormatError> {
        // Every item takes at least one byte: reserving for the bytes left (up to a bound)
        // replaces the vector's repeated regrowth with one allocation.
        let mut items: Vec<Item> =
            Vec::with_capacity(self.s.len().saturating_sub(self.pos).min(16));
        loop {
            self.skip_ws();
            match (self.peek(), open) {
                (None, None) => return Ok(items),
                (None, Some(o)) => {
                    return Err(FormatError::at(
                        self.pos,
                        format!("expected '}}' to close the 'T{{' opened at {o}"),
                    ))
                }
                (Some(b'}'), Some(_)) => {
                    self.pos += 1;
                    return Ok(items);
                }
                (Some(b'}'), None) => {
                    return Err(FormatError::at(self.pos, "unexpected '}' outside 'T{'"))
                }
                _ => {}
            }
            let Some(mut item) = self.item(depth)? else {
                return Ok(items);
            };
            self.skip_ws();
            if self.peek() == Some(b':') {
                let name_pos = self.pos;
                let start = self.pos + 1;
                let Some(len) = self.s[start..].iter().position(|&b| b == b':') else {
                    return Err(FormatError::at(
                        self.s.len(),
                        format!("expected ':' to close the field name opened at {name_pos}"),
                    ));
                };
                if len == 0 {
                    return Err(FormatError::at(start, "expected a field name"));
                }
                // `s` is a `str` and ':' is ASCII, so the name is valid UTF-8.
                let name = String::from_utf8_lossy(&self.s[start..start + len]).to_string();
                if items.iter().any(|i| i.name.as_deref() == Some(&name)) {
                    return Err(FormatError::at(
                        start,
                        format!("duplicate field name '{name}'"),
                    ));
                }
                item.name = Some(name);
                self.pos = start + len + 1;
            }
            items.push(item);
        }
    }

    fn number(&mut self, what: &str) -> Result<usize, FormatError> {
        let start = self.pos;
        let mut n: usize = 0;
        while let Some(b @ b'0'..=b'9') = self.peek() {
            n = n
                .checked_mul(10)
                .and_then(|n| n.checked_add(usize::from(b - b'0')))
                .filter(|&n| n <= isize::MAX as usize)
                .ok_or_else(|| FormatError::at(start, format!("{what} too large")))?;
            self.pos += 1;
        }
        Ok(n)
    }

    fn try_prefix(&mut self) -> bool {
        match self.peek().and_then(|b| Prefix::from_char(b as char)) {
            Some(p) => {
                self.prefix = p;
                self.pos += 1;
                true
            }
            None => false,
        }
    }

    /// One item without its name: `[prefix] [shape] [prefix] [count] kind`; `None` for a
    /// final prefix with no item after it.
    fn item(&mut self, depth: usize) -> Result<Option<Item>, FormatError> {
        if depth > MAX_DEPTH {
            return Err(FormatError::at(
                self.pos,
                format!("formats nested deeper than {MAX_DEPTH} levels are not supported"),
            ));
        }
        let mut after = None; // what the next token follows, for error messages
        let mut had_prefix = false;
        if self.try_prefix() {
            had_prefix = true;
            after = Some(self.pos - 1);
            self.skip_ws();
            if depth == 0 && self.peek().is_none() {
                // A prefix with nothing after it ends the format: struct accepts "<" as an
                // empty format. (Inside `T{` it is an error, as in numpy.)
                return Ok(None);
            }
        }
        let mut shape = Vec::new();
        if self.peek() == Some(b'(') {
            let open = self.pos;
            self.pos += 1;
            loop {
                self.skip_ws();
                if !self.peek().is_some_and(|b| b.is_ascii_digit()) {
                    return Err(FormatError::at(self.pos, "expected a number in the shape"));
                }
                shape.push(self.number("shape entry")?);
                self.skip_ws();
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(b')') => {
                        self.pos += 1;
                        break;
                    }
                    _ => {
                        return Err(FormatError::at(
                            self.pos,
                            format!("expected ',' or ')' to close the '(' opened at {open}"),
                        ))
                    }
                }
            }
            after = Some(self.pos - 1);
            self.skip_ws();
            if self
                .peek()
                .is_some_and(|b| Prefix::from_char(b as char).is_some())
            {
                if had_prefix {
                    return Err(FormatError::at(
                        self.pos,
                        "expected one byte-order prefix per item, found a second",
                    ));
                }
                self.try_prefix();
                after = Some(self.pos - 1);
                self.skip_ws();
            }
        }
        let prefix = self.prefix;
        let count_start = self.pos;
        let mut count = 1;
        if self.peek().is_some_and(|b| b.is_ascii_digit()) {
            count = self.number("count")?;
            after = Some(count_start);
        }
        let code_pos = self.pos;
        let expected = |p: &Self| -> FormatError {
            let what = match p.peek() {
                None => String::new(),
                Some(b) => format!(", found {}", show(b)),
            };
            match after {
                Some(a) if a == count_start => FormatError::at(
                    code_pos,
                    format!(
                        "expected a format character after '{}'{what}",
                        core::str::from_utf8(&p.s[count_start..code_pos]).unwrap_or("?")
                    ),
                ),
                Some(a) => FormatError::at(
                    code_pos,
                    format!("expected a format character after {}{what}", show(p.s[a])),
                ),
                None => FormatError::at(code_pos, format!("expected a format character{what}")),
            }
        };
        let kind = match self.peek() {
            None => return Err(expected(self)),
            Some(b'T') => {
                if self.s.get(self.pos + 1) != Some(&b'{') {
                    return Err(FormatError::at(self.pos + 1, "expected '{' after 'T'"));
                }
                self.pos += 2;
                Kind::Struct(self.seq(depth + 1, Some(code_pos))?)
            }
            Some(b'X') => {
                return Err(FormatError::at(
                    code_pos,
                    "function pointers ('X{}') are not supported",
                ))
            }
            Some(b'&') => {
                self.pos += 1;
                self.skip_ws();
                if self.peek().is_none() {
                    return Err(FormatError::at(
                        self.pos,
                        "expected the item that '&' points to, found the end",
                    ));
                }
                match self.item(depth + 1)? {
                    Some(target) => Kind::Pointer(Box::new(target)),
                    // (Not reached: a bare prefix is only accepted at depth 0.)
                    None => {
                        return Err(FormatError::at(
                            self.pos,
                            "expected the item that '&' points to",
                        ))
                    }
                }
            }
            Some(b'Z') => {
                let code = match self.s.get(self.pos + 1) {
                    Some(b'f') => Code::ComplexFloat,
                    Some(b'd') => Code::ComplexDouble,
                    Some(b'g') => Code::ComplexLongDouble,
                    _ => {
                        return Err(FormatError::at(
                            self.pos + 1,
                            "expected 'f', 'd' or 'g' after 'Z'",
                        ))
                    }
                };
                self.pos += 2;
                Kind::Code(code)
            }
            Some(b) => {
                let code = match Code::from_byte(b) {
                    Some(code) => code,
                    None => return Err(expected(self)),
                };
                self.pos += 1;
                Kind::Code(code)
            }
        };
        if let Kind::Code(code) = kind {
            if code.native_only() && !prefix.native_sizes() {
                return Err(FormatError::at(
                    code_pos,
                    format!(
                        "'{}' has no standard size: expected '@' or '^' in force, found '{}'",
                        code.as_str(),
                        prefix.as_char()
                    ),
                ));
            }
        }
        Ok(Some(Item {
            shape,
            prefix,
            count,
            kind,
            name: None,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn err(s: &str) -> String {
        parse(s).unwrap_err().to_string()
    }

    #[test]
    fn simple_codes() {
        for c in Code::ALL {
            if c == Code::Ref {
                continue;
            }
            let f = parse(c.as_str()).unwrap();
            assert_eq!(f.items, vec![Item::code(c)], "{c:?}");
        }
    }

    #[test]
    fn counts_prefixes_and_names() {
        let f = parse(" <4s  >2h:x: ^i").unwrap();
        assert_eq!(f.items.len(), 3);
        assert_eq!(f.items[0].prefix, Prefix::Little);
        assert_eq!(f.items[0].count, 4);
        assert_eq!(f.items[1].prefix, Prefix::Big);
        assert_eq!(f.items[1].name.as_deref(), Some("x"));
        assert_eq!(f.items[2].prefix, Prefix::NativeUnaligned);
        assert_eq!(parse("!i").unwrap().items[0].prefix, Prefix::Big);
        assert_eq!(parse("1i").unwrap(), parse("i").unwrap());
        assert_eq!(parse("0i").unwrap().items[0].count, 0);
    }

    #[test]
    fn final_prefix_alone_is_an_empty_format() {
        // struct.calcsize("<") == 0; numpy rejects it.
        assert_eq!(parse("<"), Ok(Format::default()));
        assert_eq!(parse("i >").unwrap(), parse("i").unwrap());
    }

    #[test]
    fn prefix_leaks_out_of_struct() {
        let f = parse("T{<i}h").unwrap();
        assert_eq!(f.items[0].prefix, Prefix::Native);
        assert_eq!(f.items[1].prefix, Prefix::Little);
    }

    #[test]
    fn shapes_and_prefix_either_side() {
        let a = parse("(2, 3)<i").unwrap();
        let b = parse("<(2,3)i").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.items[0].shape, vec![2, 3]);
        assert_eq!(
            err("<(2)>i"),
            "expected one byte-order prefix per item, found a second at position 4"
        );
    }

    #[test]
    fn pointers() {
        let f = parse("2&<(3)i:p:").unwrap();
        let it = &f.items[0];
        assert_eq!(it.count, 2);
        assert_eq!(it.name.as_deref(), Some("p"));
        let Kind::Pointer(t) = &it.kind else { panic!() };
        assert_eq!(t.shape, vec![3]);
        assert_eq!(t.prefix, Prefix::Little);
        assert_eq!(
            err("&"),
            "expected the item that '&' points to, found the end at position 1"
        );
    }

    #[test]
    fn error_messages() {
        assert_eq!(
            err("4"),
            "expected a format character after '4' at position 1"
        );
        assert_eq!(
            err("4 i"),
            "expected a format character after '4', found ' ' at position 1"
        );
        assert_eq!(
            err("T{<}"),
            "expected a format character after '<', found '}' at position 3"
        );
        assert_eq!(
            err("&<"),
            "expected a format character after '<' at position 2"
        );
        assert_eq!(
            err("<4"),
            "expected a format character after '4' at position 2"
        );
        assert_eq!(
            err("<>i"),
            "expected a format character after '<', found '>' at position 1"
        );
        assert_eq!(
            err("y"),
            "expected a format character, found 'y' at position 0"
        );
        assert_eq!(err("i}"), "unexpected '}' outside 'T{' at position 1");
        assert_eq!(
            err("iX{}"),
            "function pointers ('X{}') are not supported at position 1"
        );
        assert_eq!(
            err("T{i"),
            "expected '}' to close the 'T{' opened at 0 at position 3"
        );
        assert_eq!(err("T(i"), "expected '{' after 'T' at position 1");
        assert_eq!(
            err("(2"),
            "expected ',' or ')' to close the '(' opened at 0 at position 2"
        );
        assert_eq!(err("()i"), "expected a number in the shape at position 1");
        assert_eq!(err("(2,)i"), "expected a number in the shape at position 3");
        assert_eq!(
            err("i:ab"),
            "expected ':' to close the field name opened at 1 at position 4"
        );
        assert_eq!(err("i::"), "expected a field name at position 2");
        assert_eq!(
            err("Zq"),
            "expected 'f', 'd' or 'g' after 'Z' at position 1"
        );
        assert_eq!(
            err("<n"),
            "'n' has no standard size: expected '@' or '^' in force, found '<' at position 1"
        );
        assert!(err("=Zg").contains("'Zg' has no standard size"));
        assert_eq!(
            err("99999999999999999999999i"),
            "count too large at position 0"
        );
        assert!(parse("(4294967296,4294967296,4294967296)i").is_err());
        assert!(parse("é").is_err());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let mut s = String::new();
        for _ in 0..10_000 {
            s.push_str("T{");
        }
        assert!(parse(&s).unwrap_err().message().contains("nested deeper"));
        let amps = "&".repeat(10_000);
        assert!(parse(&amps).is_err());
    }
}
