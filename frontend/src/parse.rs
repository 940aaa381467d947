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

    /// The line CPython gives an expression node. A generator expression
    /// that is the sole argument of a call shares the call's parentheses,
    /// and CPython's node starts at that `(`; the parser's starts after it.
    pub fn expr_line(&self, e: &ast::Expr) -> u32 {
        use rustpython_parser::ast::Ranged;
        if let ast::Expr::GeneratorExp(g) = e {
            let start = usize::from(e.range().start());
            // With parentheses of its own, the node starts at them; a
            // parenthesized element starts there too, but its `)` follows
            // the element where `for` would follow it otherwise.
            let after_elt = self
                .text
                .get(usize::from(g.elt.range().end())..)
                .unwrap_or("")
                .trim_start();
            let own = self.text.as_bytes().get(start) == Some(&b'(')
                && g.elt.range().start() > e.range().start()
                && !after_elt.starts_with(')');
            if !own {
                let before = self.text.get(..start).unwrap_or("");
                let trimmed = before.trim_end_matches(|c: char| c.is_whitespace() || c == '\\');
                if trimmed.ends_with('(') {
                    let at = TextSize::try_from(trimmed.len() - 1).unwrap_or_default();
                    return self.line(at);
                }
            }
        }
        self.line(e.range().start())
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
            let (kind, msg) = describe(&e.error);
            if matches!(e.error, ParseErrorType::Eof) || msg == "unexpected EOF while parsing" {
                // CPython reports the end of input on the line after the
                // last one (its tokenizer ends every source with a newline),
                // with an empty text.
                let newlines = source.bytes().filter(|&b| b == b'\n').count();
                let lineno =
                    newlines + 1 + usize::from(!source.ends_with('\n') && !source.is_empty());
                return Err(Box::new(SyntaxErrorReport {
                    kind: kind.to_string(),
                    msg,
                    filename: filename.to_string(),
                    lineno: Some(lineno as u64),
                    offset: Some(1),
                    text: Some(String::new()),
                }));
            }
            let end = TextSize::try_from(source.len()).unwrap_or_default();
            let offset = e.offset.min(end);
            let lineno = lines.line(offset);
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
            let msg = legacy_statement(&text, msg);
            // CPython prints no caret for an unexpected indent.
            let offset = (msg != "unexpected indent").then_some(col as u64 + 1);
            Err(Box::new(SyntaxErrorReport {
                kind: kind.to_string(),
                msg,
                filename: filename.to_string(),
                lineno: Some(u64::from(lineno)),
                offset,
                text: Some(format!("{text}\n")),
            }))
        }
    }
}

/// CPython's hint for a Python 2 `print` or `exec` statement
/// (`_report_missing_parentheses`), in place of "invalid syntax".
fn legacy_statement(line: &str, msg: String) -> String {
    if msg != "invalid syntax" || line.contains('(') {
        return msg;
    }
    let t = line.trim_start();
    if let Some(rest) = t.strip_prefix("print ") {
        let data = rest
            .split(';')
            .next()
            .unwrap_or("")
            .trim_matches([' ', '\t', '\r', '\n']);
        let end = if data.ends_with(',') {
            " end=\" \""
        } else {
            ""
        };
        return format!("Missing parentheses in call to 'print'. Did you mean print({data}{end})?");
    }
    if t.starts_with("exec ") {
        return "Missing parentheses in call to 'exec'".into();
    }
    msg
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

/// Decodes source bytes as CPython does (PEP 263): UTF-8 (a BOM is
/// dropped) unless a `coding` declaration on one of the first two lines
/// names another encoding. Latin-1 is decoded; other encodings are
/// reported by name.
pub fn decode_source(bytes: &[u8]) -> Result<String, String> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let encoding = declared_encoding(bytes);
    match encoding.as_deref().map(normalize_encoding).as_deref() {
        None | Some("utf-8") => String::from_utf8(bytes.to_vec()).map_err(|e| {
            format!(
                "source is not valid UTF-8 (byte {})",
                e.utf8_error().valid_up_to()
            )
        }),
        Some("latin-1") => Ok(bytes.iter().map(|&b| char::from(b)).collect()),
        Some(other) => {
            let Some((_, table)) = crate::codepages::CODEPAGES
                .iter()
                .find(|(n, _)| n.replace(['-', '_'], "") == other.replace(['-', '_'], ""))
            else {
                return Err(format!("source encoding {other}"));
            };
            bytes
                .iter()
                .map(|&b| {
                    if b < 0x80 {
                        Some(char::from(b))
                    } else {
                        char::from_u32(u32::from(table[usize::from(b - 0x80)]))
                            .filter(|&c| c != '\u{FFFF}')
                    }
                })
                .collect::<Option<String>>()
                .ok_or_else(|| format!("source is not valid {other}"))
        }
    }
}

/// The encoding a `coding[:=]` comment on line 1 or 2 declares.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    for (i, line) in bytes.split(|&b| b == b'\n').take(2).enumerate() {
        let text = String::from_utf8_lossy(line);
        let t = text.trim_start_matches([' ', '\t', '\x0c']);
        if !t.starts_with('#') {
            // A second-line declaration counts only after a comment or
            // blank first line.
            if i == 0 && !t.trim().is_empty() {
                return None;
            }
            continue;
        }
        if let Some(pos) = t.find("coding") {
            let rest = &t[pos + "coding".len()..];
            if let Some(rest) = rest.strip_prefix([':', '=']) {
                let name: String = rest
                    .trim_start_matches([' ', '\t'])
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
                    .collect();
                if !name.is_empty() {
                    return Some(name);
                }
            }
        }
    }
    None
}

/// CPython's `get_normal_name`: the spellings of UTF-8 and Latin-1.
fn normalize_encoding(name: &str) -> String {
    let lower = name.to_ascii_lowercase().replace('_', "-");
    if lower == "utf-8" || lower.starts_with("utf-8-") || lower == "utf8" {
        return "utf-8".into();
    }
    for l in ["latin-1", "iso-8859-1", "iso-latin-1"] {
        if lower == l || lower.starts_with(&format!("{l}-")) {
            return "latin-1".into();
        }
    }
    if lower == "latin1" {
        return "latin-1".into();
    }
    // windows-1252 is cp1252, iso-8859-2 is iso8859-2, and so on.
    if let Some(n) = lower.strip_prefix("windows-") {
        return format!("cp{n}");
    }
    lower.replace("iso-8859", "iso8859")
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
    fn sources_decode_per_their_coding_declaration() {
        assert_eq!(
            decode_source(b"# -*- coding: iso-8859-1 -*-\nx = '\xe9'\n").as_deref(),
            Ok("# -*- coding: iso-8859-1 -*-\nx = '\u{e9}'\n")
        );
        assert_eq!(
            decode_source(b"\xef\xbb\xbfx = 1\n").as_deref(),
            Ok("x = 1\n")
        );
        assert_eq!(
            decode_source(b"#!/usr/bin/env python\n# coding: koi8-r\nx = '\xc1'\n").as_deref(),
            Ok("#!/usr/bin/env python\n# coding: koi8-r\nx = '\u{430}'\n")
        );
        assert_eq!(
            decode_source(b"# coding: ebcdic\n"),
            Err("source encoding ebcdic".to_string())
        );
        assert!(decode_source(b"x = '\xe9'\n").is_err());
    }

    #[test]
    fn end_of_input_and_indentation_errors_print_as_cpythons() {
        for (src, line) in [("x = (1,\n", 2), ("x = (1,\n\n", 3), ("x = (1,", 2)] {
            let e = parse_module(src, "e.py").err().expect("error");
            assert_eq!(
                e.to_string(),
                format!("  File \"e.py\", line {line}\n    \n    ^\nSyntaxError: unexpected EOF while parsing"),
                "{src:?}"
            );
        }
        let e = parse_module("  x = 1\n", "e.py").err().expect("error");
        assert_eq!(
            e.to_string(),
            "  File \"e.py\", line 1\n    x = 1\nIndentationError: unexpected indent"
        );
    }

    #[test]
    fn python2_print_gets_cpythons_hint() {
        let e = parse_module("print x, y,\n", "e.py").err().expect("error");
        assert!(e.to_string().ends_with(
            "SyntaxError: Missing parentheses in call to 'print'. Did you mean print(x, y, end=\" \")?"
        ), "{e}");
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
