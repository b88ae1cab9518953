//! The subset of Python literals a `.npy` header is written in (what `ast.literal_eval` reads
//! from numpy's `repr` of the header dict): strings, integers, `True`/`False`/`None`, tuples,
//! lists and dicts. A recursive-descent parser that reports the byte position of every error,
//! with a nesting limit so that no input can exhaust the stack.

use alloc::string::String;
use alloc::vec::Vec;

use super::NpyError;

/// A parsed literal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Lit {
    Str(String),
    Int(u64),
    Bool(bool),
    None,
    Tuple(Vec<Lit>),
    List(Vec<Lit>),
    Dict(Vec<(Lit, Lit)>),
}

impl Lit {
    /// What the literal is, for error messages.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Lit::Str(_) => "a string",
            Lit::Int(_) => "an integer",
            Lit::Bool(_) => "a bool",
            Lit::None => "None",
            Lit::Tuple(_) => "a tuple",
            Lit::List(_) => "a list",
            Lit::Dict(_) => "a dict",
        }
    }
}

/// Deeper nesting than any dtype numpy can build (numpy refuses dtypes nested past 32 levels
/// in practice) is refused before the stack could run out.
const MAX_DEPTH: usize = 64;

pub(crate) struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Parser { text, pos: 0 }
    }

    fn err(&self, message: impl Into<String>) -> NpyError {
        NpyError::Header {
            position: Some(self.pos),
            message: message.into(),
        }
    }

    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn skip_ws(&mut self) {
        while let Some(c) = self.peek() {
            if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    /// The whole text as one literal, with only whitespace around it.
    pub(crate) fn parse_all(mut self) -> Result<Lit, NpyError> {
        let lit = self.value(0)?;
        self.skip_ws();
        if self.pos != self.text.len() {
            return Err(self.err("unexpected text after the header dict"));
        }
        Ok(lit)
    }

    fn value(&mut self, depth: usize) -> Result<Lit, NpyError> {
        if depth > MAX_DEPTH {
            return Err(self.err(alloc::format!("literals nested more than {MAX_DEPTH} deep")));
        }
        self.skip_ws();
        match self.peek() {
            None => Err(self.err("unexpected end of the header, expected a value")),
            Some('\'' | '"') => self.string().map(Lit::Str),
            Some('0'..='9') => self.int().map(Lit::Int),
            Some('(') => {
                self.pos += 1;
                let (items, trailing_comma) = self.sequence(')', depth)?;
                // `(x)` is x in parentheses, `(x,)` a tuple of one.
                if items.len() == 1 && !trailing_comma {
                    Ok(items.into_iter().next().expect("one item"))
                } else {
                    Ok(Lit::Tuple(items))
                }
            }
            Some('[') => {
                self.pos += 1;
                Ok(Lit::List(self.sequence(']', depth)?.0))
            }
            Some('{') => {
                self.pos += 1;
                self.dict(depth)
            }
            Some(c) if c.is_ascii_alphabetic() => {
                let start = self.pos;
                while self
                    .peek()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                {
                    self.pos += 1;
                }
                match &self.text[start..self.pos] {
                    "True" => Ok(Lit::Bool(true)),
                    "False" => Ok(Lit::Bool(false)),
                    "None" => Ok(Lit::None),
                    word => {
                        self.pos = start;
                        Err(self.err(alloc::format!(
                            "'{word}' is not a literal (expected a string, an integer, True, \
                             False, None, a tuple, a list or a dict)"
                        )))
                    }
                }
            }
            Some(c) => Err(self.err(alloc::format!("unexpected character {c:?}"))),
        }
    }

    /// Items up to `close`, comma-separated, a trailing comma allowed; also says whether there
    /// was one.
    fn sequence(&mut self, close: char, depth: usize) -> Result<(Vec<Lit>, bool), NpyError> {
        let mut items = Vec::new();
        let mut trailing = false;
        loop {
            self.skip_ws();
            if self.peek() == Some(close) {
                self.pos += 1;
                return Ok((items, trailing));
            }
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.bump() {
                Some(',') => trailing = true,
                Some(c) if c == close => return Ok((items, false)),
                Some(c) => {
                    self.pos -= c.len_utf8();
                    return Err(self.err(alloc::format!("expected ',' or '{close}'")));
                }
                None => return Err(self.err(alloc::format!("unexpected end, expected '{close}'"))),
            }
        }
    }

    fn dict(&mut self, depth: usize) -> Result<Lit, NpyError> {
        let mut entries = Vec::new();
        loop {
            self.skip_ws();
            if self.peek() == Some('}') {
                self.pos += 1;
                return Ok(Lit::Dict(entries));
            }
            let key = self.value(depth + 1)?;
            self.skip_ws();
            if self.peek() != Some(':') {
                return Err(self.err("expected ':' after a dict key"));
            }
            self.pos += 1;
            let value = self.value(depth + 1)?;
            entries.push((key, value));
            self.skip_ws();
            match self.peek() {
                Some(',') => self.pos += 1,
                Some('}') => {
                    self.pos += 1;
                    return Ok(Lit::Dict(entries));
                }
                _ => return Err(self.err("expected ',' or '}' in the dict")),
            }
        }
    }

    fn int(&mut self) -> Result<u64, NpyError> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        let digits = &self.text[start..self.pos];
        // Python 2's numpy wrote `3L` for long integers.
        if self.peek() == Some('L') {
            self.pos += 1;
        }
        if digits.len() > 1 && digits.starts_with('0') {
            self.pos = start;
            return Err(self.err("integers with leading zeros are not Python literals"));
        }
        digits.parse().map_err(|_| {
            let mut e = self.err(alloc::format!("integer {digits} does not fit 64 bits"));
            if let NpyError::Header { position, .. } = &mut e {
                *position = Some(start);
            }
            e
        })
    }

    fn string(&mut self) -> Result<String, NpyError> {
        let quote = self.bump().expect("a quote");
        let start = self.pos - 1;
        let mut out = String::new();
        loop {
            match self.bump() {
                None => {
                    self.pos = start;
                    return Err(self.err("unterminated string"));
                }
                Some('\n') => {
                    self.pos = start;
                    return Err(self.err("unterminated string (a newline inside it)"));
                }
                Some(c) if c == quote => return Ok(out),
                Some('\\') => {
                    let at = self.pos - 1;
                    let c = match self.bump() {
                        Some('\\') => '\\',
                        Some('\'') => '\'',
                        Some('"') => '"',
                        Some('n') => '\n',
                        Some('t') => '\t',
                        Some('r') => '\r',
                        Some('0') => '\0',
                        Some('x') => self.hex_escape(2, at)?,
                        Some('u') => self.hex_escape(4, at)?,
                        Some('U') => self.hex_escape(8, at)?,
                        _ => {
                            self.pos = at;
                            return Err(self.err("unsupported escape in a string"));
                        }
                    };
                    out.push(c);
                }
                Some(c) => out.push(c),
            }
        }
    }

    fn hex_escape(&mut self, digits: usize, at: usize) -> Result<char, NpyError> {
        let end = self.pos + digits;
        let code = self
            .text
            .get(self.pos..end)
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .and_then(char::from_u32);
        match code {
            Some(c) => {
                self.pos = end;
                Ok(c)
            }
            None => {
                self.pos = at;
                Err(self.err(alloc::format!(
                    "invalid escape: expected {digits} hex digits of a character"
                )))
            }
        }
    }
}

/// `s` as a Python string literal that `ast.literal_eval` reads back as `s`: single quotes,
/// escapes for the quote, backslashes and control or space-like characters; other characters
/// as they are (as Python's `repr` keeps printable non-ASCII text).
pub(crate) fn repr_str(s: &str, out: &mut String) {
    out.push('\'');
    for c in s.chars() {
        match c {
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            ' ' => out.push(' '),
            c if c.is_control() || c.is_whitespace() || (c as u32) == 0xfeff => {
                let n = c as u32;
                if n < 0x100 {
                    out.push_str(&alloc::format!("\\x{n:02x}"));
                } else if n < 0x10000 {
                    out.push_str(&alloc::format!("\\u{n:04x}"));
                } else {
                    out.push_str(&alloc::format!("\\U{n:08x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('\'');
}
