//! The CPython bridge: has a real CPython 3.9 compile source files into code
//! objects, which come back as marshal data.
//!
//! The interpreter is found in this order: the `PYREG_PYTHON` variable;
//! `python3.9` on `PATH`; pyenv's 3.9 installations (`$PYENV_ROOT/versions/3.9*`).
//! The child runs with `PYTHONHASHSEED=0`, so that frozenset constants keep
//! the order `python3.9 -m dis` shows under the same seed.
//! One child process compiles a whole batch of files, so that a corpus of
//! thousands of modules costs one interpreter start-up.

use crate::marshal::{load_code, MarshalError};
use pyreg_spec::code::CodeObject;
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, OnceLock};
use thiserror::Error;

/// The script the child runs. It reads one JSON-encoded path per line and
/// answers each with a tag byte, an 8-byte big-endian length and a payload:
/// `O` and `marshal.dumps(code)`, or `E` and a JSON description of the error.
const COMPILER_SCRIPT: &str = r#"
import sys, json, marshal
out = sys.stdout.buffer
for line in sys.stdin:
    path = json.loads(line)
    try:
        with open(path, 'rb') as f:
            source = f.read()
        code = compile(source, path, 'exec', dont_inherit=True)
        tag, payload = b'O', marshal.dumps(code)
    except BaseException as e:
        info = {'type': type(e).__name__, 'msg': str(e)}
        if isinstance(e, SyntaxError):
            info.update(msg=e.msg, filename=e.filename, lineno=e.lineno,
                        offset=e.offset, text=e.text)
        tag, payload = b'E', json.dumps(info).encode()
    out.write(tag + len(payload).to_bytes(8, 'big') + payload)
    out.flush()
"#;

/// A failure of the bridge or of the compilation it ran.
#[derive(Debug, Error)]
pub enum BridgeError {
    /// No CPython 3.9 could be found.
    #[error(
        "no CPython 3.9 found: set PYREG_PYTHON to a python3.9 executable, put python3.9 on PATH, \
         or install 3.9 with pyenv (tried: {tried})"
    )]
    NotFound {
        /// What was tried, and why each failed.
        tried: String,
    },
    /// The interpreter could not be started or talked to.
    #[error("running {python}: {message}")]
    Process {
        /// The interpreter.
        python: String,
        /// What went wrong.
        message: String,
    },
    /// CPython rejected the source as a syntax error.
    #[error("{0}")]
    Syntax(Box<SyntaxErrorReport>),
    /// Compilation failed otherwise (unreadable file, null bytes, bad encoding...).
    #[error("{path}: {kind}: {msg}")]
    Compile {
        /// The file.
        path: String,
        /// The Python exception type.
        kind: String,
        /// Its message.
        msg: String,
    },
    /// CPython's marshal data did not load: a bug, in pyreg or in the bridge.
    #[error("{path}: loading the code object CPython produced: {source}")]
    Marshal {
        /// The file.
        path: String,
        /// The loader's error.
        source: MarshalError,
    },
}

/// A `SyntaxError` (or `IndentationError`, `TabError`) as CPython reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxErrorReport {
    /// The exception type's name.
    pub kind: String,
    /// The message.
    pub msg: String,
    /// The file named in the error.
    pub filename: String,
    /// Line number.
    pub lineno: Option<u64>,
    /// Column (1-based), if known.
    pub offset: Option<u64>,
    /// The source line, if known.
    pub text: Option<String>,
}

impl std::fmt::Display for SyntaxErrorReport {
    /// Formats the error the way CPython's traceback printer does.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "  File \"{}\"", self.filename)?;
        if let Some(l) = self.lineno {
            write!(f, ", line {l}")?;
        }
        writeln!(f)?;
        if let Some(text) = &self.text {
            // CPython strips leading whitespace and moves the caret with it.
            let line = text.trim_end_matches(['\n', '\r']);
            let stripped = line.trim_start();
            let cut = (line.chars().count() - stripped.chars().count()) as u64;
            writeln!(f, "    {stripped}")?;
            if let Some(off) = self.offset {
                let col = off.saturating_sub(1).saturating_sub(cut);
                let col = col.min(stripped.chars().count() as u64) as usize;
                writeln!(f, "    {}^", " ".repeat(col))?;
            }
        }
        write!(f, "{}: {}", self.kind, self.msg)
    }
}

fn python_version_of(cmd: &Path) -> Result<(u32, u32), String> {
    let out = Command::new(cmd)
        .args(["-c", "import sys; print('%d.%d' % sys.version_info[:2])"])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(format!("exited with {}: {}", out.status, err.trim()));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut parts = text.trim().split('.');
    let major = parts.next().and_then(|p| p.parse().ok());
    let minor = parts.next().and_then(|p| p.parse().ok());
    match (major, minor) {
        (Some(a), Some(b)) => Ok((a, b)),
        _ => Err(format!("unexpected version output {:?}", text.trim())),
    }
}

fn candidates() -> Vec<PathBuf> {
    let mut c = Vec::new();
    if let Some(p) = std::env::var_os("PYREG_PYTHON") {
        c.push(PathBuf::from(p));
        // An explicit choice is the only one tried.
        return c;
    }
    c.push(PathBuf::from("python3.9"));
    let root = std::env::var_os("PYENV_ROOT")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".pyenv")));
    if let Some(root) = root {
        if let Ok(entries) = std::fs::read_dir(root.join("versions")) {
            let mut versions: Vec<PathBuf> = entries
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with("3.9"))
                })
                .collect();
            versions.sort();
            versions.reverse();
            c.extend(
                versions
                    .into_iter()
                    .map(|v| v.join("bin").join("python3.9")),
            );
        }
    }
    c
}

/// Finds CPython 3.9 (once per process) and returns its path.
pub fn find_python() -> Result<PathBuf, BridgeError> {
    static FOUND: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            let mut tried = Vec::new();
            for cand in candidates() {
                match python_version_of(&cand) {
                    Ok((3, 9)) => return Ok(cand),
                    Ok((a, b)) => tried.push(format!("{} is {a}.{b}", cand.display())),
                    Err(e) => tried.push(format!("{}: {e}", cand.display())),
                }
            }
            Err(tried.join("; "))
        })
        .clone()
        .map_err(|tried| BridgeError::NotFound { tried })
}

/// Whether CPython's compile-time warnings (`SyntaxWarning`,
/// `DeprecationWarning`) reach pyreg's standard error, as they would when
/// CPython compiles the file itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Warnings {
    /// Show them on standard error.
    Show,
    /// Silence them (for bulk compilation).
    Ignore,
}

/// Compiles one source file with CPython 3.9, showing its warnings. The code
/// object's `co_filename` is `path` as given, as `python3.9 -m dis PATH`
/// would have it.
pub fn compile_file(path: &Path) -> Result<Arc<CodeObject>, BridgeError> {
    let mut result = None;
    compile_files(&[path.to_path_buf()], Warnings::Show, |_, r| {
        result = Some(r)
    })?;
    result.unwrap_or_else(|| {
        Err(BridgeError::Process {
            python: "python3.9".into(),
            message: "no answer for the file".into(),
        })
    })
}

/// Compiles many files in one CPython process, calling `each` with the
/// index of the file and its result, in order, as soon as each is ready.
/// The outer error is for a bridge that failed as a whole.
pub fn compile_files(
    paths: &[PathBuf],
    warnings: Warnings,
    mut each: impl FnMut(usize, Result<Arc<CodeObject>, BridgeError>),
) -> Result<(), BridgeError> {
    let python = find_python()?;
    let pname = python.display().to_string();
    let process_error = |message: String| BridgeError::Process {
        python: pname.clone(),
        message,
    };
    // With no -W option the child keeps CPython's default filters, which
    // is what `python3.9 -m dis` shows.
    let filter: &[&str] = match warnings {
        Warnings::Show => &[],
        Warnings::Ignore => &["-W", "ignore"],
    };
    // The child's standard error is ours: its warnings show as CPython's
    // would, and nothing can fill an unread pipe and stall it.
    let mut child = Command::new(&python)
        .arg("-s")
        .args(filter)
        .args(["-c", COMPILER_SCRIPT])
        .env_remove("PYTHONPATH")
        .env("PYTHONHASHSEED", "0")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| process_error(format!("cannot start: {e}")))?;
    let mut stdin = child
        .stdin
        .take()
        .ok_or_else(|| process_error("no stdin pipe".into()))?;
    let lines: Vec<String> = paths
        .iter()
        .map(|p| serde_json::Value::from(p.to_string_lossy()).to_string())
        .collect();
    // Written from a thread: the child answers while we are still writing,
    // and a full pipe in each direction would otherwise deadlock.
    let writer = std::thread::spawn(move || {
        for l in lines {
            if writeln!(stdin, "{l}").is_err() {
                break;
            }
        }
    });
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| process_error("no stdout pipe".into()))?;
    let mut reader = BufReader::new(stdout);
    for (i, path) in paths.iter().enumerate() {
        let mut head = [0u8; 9];
        if let Err(e) = reader.read_exact(&mut head) {
            let status = child.wait().map(|s| s.to_string()).unwrap_or_default();
            return Err(process_error(format!(
                "the compiler process stopped after {i} files ({e}; {status})"
            )));
        }
        let mut len_bytes = [0u8; 8];
        len_bytes.copy_from_slice(&head[1..]);
        let len = u64::from_be_bytes(len_bytes);
        let mut payload = Vec::new();
        (&mut reader)
            .take(len)
            .read_to_end(&mut payload)
            .map_err(|e| process_error(format!("reading the answer: {e}")))?;
        if payload.len() as u64 != len {
            return Err(process_error("truncated answer".into()));
        }
        let shown = path.display().to_string();
        let result = match head[0] {
            b'O' => load_code(&payload).map_err(|source| BridgeError::Marshal {
                path: shown,
                source,
            }),
            _ => Err(error_from_json(&shown, &payload)),
        };
        each(i, result);
    }
    let _ = writer.join();
    let _ = child.wait();
    Ok(())
}

fn error_from_json(path: &str, payload: &[u8]) -> BridgeError {
    let v: serde_json::Value = match serde_json::from_slice(payload) {
        Ok(v) => v,
        Err(e) => {
            return BridgeError::Compile {
                path: path.into(),
                kind: "BridgeError".into(),
                msg: format!("unreadable error report: {e}"),
            }
        }
    };
    let s = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
    let kind = s("type").unwrap_or_else(|| "Error".into());
    let msg = s("msg").unwrap_or_default();
    if v.get("lineno").is_some() {
        BridgeError::Syntax(Box::new(SyntaxErrorReport {
            kind,
            msg,
            filename: s("filename").unwrap_or_else(|| path.into()),
            lineno: v.get("lineno").and_then(|x| x.as_u64()),
            offset: v.get("offset").and_then(|x| x.as_u64()),
            text: s("text"),
        }))
    } else {
        BridgeError::Compile {
            path: path.into(),
            kind,
            msg,
        }
    }
}
