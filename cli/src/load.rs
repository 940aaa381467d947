//! Turning a program path into a code object.

use pyreg_frontend::bridge::{compile_file, BridgeError};
use pyreg_frontend::compile::{compile_source, CompileError};
use pyreg_frontend::pyc::{load_pyc, PycError};
use pyreg_spec::code::CodeObject;
use std::path::Path;
use std::sync::Arc;
use thiserror::Error;

/// Why a program could not be loaded.
#[derive(Debug, Error)]
pub enum LoadError {
    /// The file could not be read.
    #[error("pyreg: cannot read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A `.pyc` file that does not load.
    #[error("pyreg: {path}: {source}")]
    Pyc {
        /// The file.
        path: String,
        /// The loader's error.
        source: PycError,
    },
    /// The CPython bridge failed (syntax errors included).
    #[error("{0}")]
    Bridge(#[from] BridgeError),
    /// The native front end rejected the program: a syntax error (printed
    /// as CPython prints it) or a construct it does not compile yet.
    #[error("{0}")]
    Native(#[from] CompileError),
    /// The native front end cannot decode the file (PEP 263: UTF-8 and
    /// Latin-1 are read).
    #[error("pyreg: {path}: unsupported in native front end: {why}")]
    Encoding {
        /// The file.
        path: String,
        /// What is wrong or unsupported.
        why: String,
    },
}

impl LoadError {
    /// The exit status for this error: 1 for a syntax error, as CPython
    /// exits; 70 for everything else (the program never started).
    pub fn status(&self) -> u8 {
        match self {
            LoadError::Native(CompileError::Syntax(_)) => 1,
            _ => 70,
        }
    }
}

/// Where source code is compiled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceCompiler {
    /// CPython 3.9 through the bridge.
    Cpython,
    /// pyreg's native compiler.
    Native,
    /// pyreg's direct register compiler: the code objects returned carry
    /// register code registered with
    /// [`pyreg_frontend::regcompile::register`] (see [`direct_for_machine`]).
    NativeReg,
}

/// The register code of a code object of a program compiled with
/// [`SourceCompiler::NativeReg`], as the engines take it: the directly
/// compiled code when there is some (it passed the register verifier when
/// it was made), else the validated translation of the stack code (a code
/// object the direct compiler left to the native one).
pub fn direct_for_machine(code: &Arc<CodeObject>) -> Result<pyreg_spec::reg::RegCode, String> {
    match pyreg_frontend::regcompile::registered(code) {
        Some(rc) => Ok((*rc).clone()),
        None => crate::run::translate_for_machine(code),
    }
}

/// Compiles `src` with the direct register compiler and registers its
/// register code.
pub fn compile_reg(
    src: &str,
    shown: &str,
) -> Result<pyreg_frontend::regcompile::RegProgram, LoadError> {
    let p = pyreg_frontend::regcompile::compile_source_reg(src, shown)?;
    pyreg_frontend::regcompile::register(&p);
    Ok(p)
}

/// Compiles one source file with the chosen compiler; `shown` is the name
/// the code objects (and tracebacks) carry.
pub fn compile_with(
    compiler: SourceCompiler,
    file: &Path,
    shown: &Path,
) -> Result<Arc<CodeObject>, LoadError> {
    match compiler {
        SourceCompiler::Cpython => Ok(compile_file(shown)?),
        SourceCompiler::Native | SourceCompiler::NativeReg => {
            let bytes = std::fs::read(file).map_err(|source| LoadError::Read {
                path: file.display().to_string(),
                source,
            })?;
            let src = pyreg_frontend::parse::decode_source(&bytes).map_err(|why| {
                LoadError::Encoding {
                    path: file.display().to_string(),
                    why,
                }
            })?;
            let shown = shown.display().to_string();
            if compiler == SourceCompiler::NativeReg {
                return Ok(compile_reg(&src, &shown)?.code);
            }
            Ok(compile_source(&src, &shown)?)
        }
    }
}

/// Loads `.pyc` files directly and compiles anything else as source with
/// `compiler`.
pub fn load_program_with(
    path: &Path,
    compiler: SourceCompiler,
) -> Result<Arc<CodeObject>, LoadError> {
    if path.extension().is_some_and(|e| e == "pyc") {
        let bytes = std::fs::read(path).map_err(|source| LoadError::Read {
            path: path.display().to_string(),
            source,
        })?;
        return load_pyc(&bytes).map_err(|source| LoadError::Pyc {
            path: path.display().to_string(),
            source,
        });
    }
    if let Err(source) = std::fs::metadata(path) {
        return Err(LoadError::Read {
            path: path.display().to_string(),
            source,
        });
    }
    compile_with(compiler, path, path)
}
