//! Turning a program path into a code object.

use pyreg_frontend::bridge::{compile_file, BridgeError};
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
}

/// Loads `.pyc` files directly and compiles anything else as source.
pub fn load_program(path: &Path) -> Result<Arc<CodeObject>, LoadError> {
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
    Ok(compile_file(path)?)
}
