//! Parsing Python source with `rustpython-parser`, and the source positions
//! the symbol table and compiler need.
//!
//! The parser reports byte ranges; CPython reports 1-based lines and
//! 0-based UTF-8 byte columns, so [`Lines`] converts between the two.
//! Syntax errors become a [`SyntaxErrorReport`], printed the way CPython 3.9
//! prints an uncaught `SyntaxError`.

use crate::bridge::SyntaxErrorReport;
use rustpython_parser::ast;
use rustpython_parser::text_size::TextSize;
use rustpython_parser::{Parse, ParseErrorType};

/// Line starts of a source text, to turn byte offsets into line numbers.
#[derive(Debug, Clone)]
pub struct Lines {
    starts: Vec<usize>,
    text: String,
}

impl Lines {
    /// Indexes the line starts of `source`.
    pub fn new(source: &str) -> Lines {
        let mut starts = vec![0];
        for (i, b) in source.bytes().enumerate() {
            if b == b'\n' {
                starts.push(i + 1);
            }
        }
        Lines {
            starts,
            text: source.to_string(),
        }
    }

    /// The byte at `offset` is an opening parenthesis (a parenthesized
    /// target is not a "simple" annotation target).
    pub fn paren_at(&self, offset: TextSize) -> bool {
        self.text.as_bytes().get(usize::from(offset)) == Some(&b'(')
    }

    /// The 1-based line holding byte `offset`.
    pub fn line(&self, offset: TextSize) -> u32 {
        let off = usize::from(offset);
        match self.starts.binary_search(&off) {
            Ok(i) => i as u32 + 1,
            Err(i) => i as u32,
        }
    }

    /// The 0-based byte column of `offset` on its line.
    pub fn column(&self, offset: TextSize) -> usize {
        let off = usize::from(offset);
        let line = self.line(offset) as usize;
        off - self.starts[line - 1]
    }
}

/// A parsed module with its line table.
pub struct Parsed {
    /// The statements of the module.
    pub body: Vec<ast::Stmt>,
    /// Byte offset to line conversion for this source.
    pub lines: Lines,
}

/// Parses `source` (named `filename` in errors) as a module.
///
/// Errors are reported the way CPython 3.9 words the common cases: a token
/// the grammar does not accept is `invalid syntax`, indentation problems are
/// `IndentationError`s. The parser never panics on any input (the
/// `rustpython-parser` lexer and LALR parser return errors).
pub fn parse_module(source: &str, filename: &str) -> Result<Parsed, Box<SyntaxErrorReport>> {
    let lines = Lines::new(source);
    match ast::Suite::parse(source, filename) {
        Ok(body) => Ok(Parsed { body, lines }),
        Err(e) => {
            // An error at the very end points past the last character;
            // CPython points at the last line then.
            let end = TextSize::try_from(source.len()).unwrap_or_default();
            let offset = e.offset.min(end);
            let mut lineno = lines.line(offset);
            if usize::from(offset) == source.len() && source.ends_with('\n') && lineno > 1 {
                lineno -= 1;
            }
            let text = source
                .lines()
                .nth(lineno as usize - 1)
                .unwrap_or("")
                .to_string();
            let col = if lines.line(offset) == lineno {
                let byte_col = lines.column(offset);
                text.get(..byte_col.min(text.len()))
                    .map_or(0, |s| s.chars().count())
            } else {
                text.chars().count()
            };
            let (kind, msg) = describe(&e.error);
            Err(Box::new(SyntaxErrorReport {
                kind: kind.to_string(),
                msg,
                filename: filename.to_string(),
                lineno: Some(u64::from(lineno)),
                offset: Some(col as u64 + 1),
                text: Some(format!("{text}\n")),
            }))
        }
    }
}

/// The exception type and message CPython 3.9 gives for a parse error.
fn describe(e: &ParseErrorType) -> (&'static str, String) {
    if e.is_tab_error() {
        return (
            "TabError",
            "inconsistent use of tabs and spaces in indentation".into(),
        );
    }
    if e.is_indentation_error() {
        let msg = match e {
            ParseErrorType::UnrecognizedToken(rustpython_parser::Tok::Indent, _) => {
                "unexpected indent"
            }
            ParseErrorType::Lexical(_) => "unindent does not match any outer indentation level",
            _ => "expected an indented block",
        };
        return ("IndentationError", msg.into());
    }
    match e {
        ParseErrorType::Eof => ("SyntaxError", "unexpected EOF while parsing".into()),
        ParseErrorType::Lexical(l) => {
            let text = l.to_string();
            // The lexer's wording for string errors matches CPython's
            // closely enough to keep; anything else is "invalid syntax".
            if text.contains("string") || text.contains("EOF") {
                ("SyntaxError", text)
            } else {
                ("SyntaxError", "invalid syntax".into())
            }
        }
        _ => ("SyntaxError", "invalid syntax".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_token_is_reported_as_cpython_does() {
        let e = parse_module("x = 1\ny = = 2\n", "x.py")
            .err()
            .expect("error");
        assert_eq!(
            e.to_string(),
            "  File \"x.py\", line 2\n    y = = 2\n        ^\nSyntaxError: invalid syntax"
        );
    }

    #[test]
    fn lines_convert_offsets() {
        let l = Lines::new("a\nbc\n\nd");
        assert_eq!(l.line(TextSize::from(0)), 1);
        assert_eq!(l.line(TextSize::from(3)), 2);
        assert_eq!(l.column(TextSize::from(3)), 1);
        assert_eq!(l.line(TextSize::from(6)), 4);
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        for s in [
            "(",
            ")",
            "def",
            "f'{",
            "\t\n  x",
            "if 1:\npass",
            "'''",
            "\\",
            "0x",
            "lambda: (yield)",
        ] {
            let _ = parse_module(s, "x.py");
        }
    }
}
