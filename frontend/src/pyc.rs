//! `.pyc` files as CPython 3.9 writes them (PEP 552).
//!
//! A `.pyc` file is a 16-byte header followed by a marshalled code object:
//!
//! | bytes  | content                                                       |
//! |--------|---------------------------------------------------------------|
//! | 0..4   | magic number: 3425 little-endian, then `\r\n`                 |
//! | 4..8   | flags: bit 0 hash-based, bit 1 check the source (when hashed) |
//! | 8..16  | source mtime and size, or the 8-byte source hash              |
//! | 16..   | the code object, see [`crate::marshal`]                       |

use crate::marshal::{self, MarshalError};
use pyreg_spec::code::CodeObject;
use std::fmt;
use std::sync::Arc;
use thiserror::Error;

/// The magic number of CPython 3.9 `.pyc` files.
pub const MAGIC_NUMBER: u16 = 3425;

/// The first four bytes of a CPython 3.9 `.pyc` file.
pub const MAGIC: [u8; 4] = [0x61, 0x0d, 0x0d, 0x0a];

/// The size of the header before the marshalled code object.
pub const HEADER_LEN: usize = 16;

/// Flags bit: the header holds a hash of the source rather than its mtime.
pub const FLAG_HASH_BASED: u32 = 0b01;

/// Flags bit: a hash-based `.pyc` whose hash is checked against the source.
pub const FLAG_CHECK_SOURCE: u32 = 0b10;

/// How the `.pyc` is checked against its source file (PEP 552).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Invalidation {
    /// The source's modification time and size (flags bit 0 clear).
    Timestamp {
        /// The source's mtime, in seconds, truncated to 32 bits.
        mtime: u32,
        /// The source's size in bytes, truncated to 32 bits.
        source_size: u32,
    },
    /// A SipHash of the source (flags bit 0 set).
    Hash {
        /// Whether the import system checks the hash (flags bit 1).
        check_source: bool,
        /// The hash of the source.
        source_hash: [u8; 8],
    },
}

/// The 16-byte header of a `.pyc` file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PycHeader {
    /// The flags word.
    pub flags: u32,
    /// What the last 8 bytes of the header hold.
    pub invalidation: Invalidation,
}

/// Why a `.pyc` file could not be loaded.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum PycError {
    /// The file is shorter than the 16-byte header.
    #[error("not a .pyc file: {len} bytes, shorter than the {HEADER_LEN}-byte header")]
    ShortHeader {
        /// The length of the file.
        len: usize,
    },
    /// The magic number is not CPython 3.9's.
    #[error("{}", BadMagicMessage(*.magic))]
    BadMagic {
        /// The first four bytes of the file.
        magic: [u8; 4],
    },
    /// Flag bits other than [`FLAG_HASH_BASED`] and [`FLAG_CHECK_SOURCE`].
    #[error("invalid .pyc flags {flags:#x}: only bits 0x1 and 0x2 are defined")]
    UnknownFlags {
        /// The flags word.
        flags: u32,
    },
    /// The marshalled code object is malformed; the offset in the error is
    /// from the start of the file.
    #[error(".pyc code object: {0}")]
    Marshal(MarshalError),
}

impl PycError {
    /// The Python version whose magic number the file has, for
    /// [`PycError::BadMagic`] when it is recognised.
    pub fn python_version(&self) -> Option<String> {
        match self {
            PycError::BadMagic { magic } => magic_version(*magic),
            _ => None,
        }
    }
}

struct BadMagicMessage([u8; 4]);

impl fmt::Display for BadMagicMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let magic = self.0;
        let [lo, hi, cr, lf] = magic;
        if [cr, lf] != [b'\r', b'\n'] {
            return write!(
                f,
                "bad magic number: {magic:02x?} is not a .pyc magic (expected {MAGIC:02x?}, Python 3.9)"
            );
        }
        let number = u16::from_le_bytes([lo, hi]);
        match magic_version(magic) {
            Some(version) => write!(
                f,
                "bad magic number {number}: the .pyc was written by Python {version}, \
                 pyreg reads Python 3.9 ({MAGIC_NUMBER})"
            ),
            None => write!(
                f,
                "bad magic number {number}: expected {MAGIC_NUMBER} (Python 3.9)"
            ),
        }
    }
}

/// The Python version that writes the magic number `magic` (the first four
/// bytes of a `.pyc` file), e.g. `"3.8"` for 3413, when it is recognised.
/// Development versions give e.g. `"3.10 (pre-release)"`.
pub fn magic_version(magic: [u8; 4]) -> Option<String> {
    let [lo, hi, cr, lf] = magic;
    if [cr, lf] != [b'\r', b'\n'] {
        return None;
    }
    let number = u16::from_le_bytes([lo, hi]);
    // (first, last = the final release's, version), from the history in
    // CPython's Lib/importlib/_bootstrap_external.py.
    const RANGES: [(u16, u16, &str); 17] = [
        (20121, 20121, "1.5"),
        (50428, 50428, "1.6"),
        (50823, 50823, "2.0"),
        (60202, 60202, "2.1"),
        (60717, 60717, "2.2"),
        (62011, 62021, "2.3"),
        (62041, 62061, "2.4"),
        (62071, 62131, "2.5"),
        (62151, 62161, "2.6"),
        (62171, 62211, "2.7"),
        (3000, 3131, "3.0"),
        (3141, 3151, "3.1"),
        (3160, 3180, "3.2"),
        (3190, 3230, "3.3"),
        (3250, 3310, "3.4"),
        (3320, 3351, "3.5"),
        (3360, 3379, "3.6"),
    ];
    const RANGES_3: [(u16, u16, &str); 4] = [
        (3390, 3394, "3.7"),
        (3400, 3413, "3.8"),
        (3420, 3425, "3.9"),
        (3430, 3439, "3.10"),
    ];
    // Final releases of 3.11 and later (3.n starts at 2900 + 50 n).
    const FINALS: [(u16, &str); 3] = [(3495, "3.11"), (3531, "3.12"), (3571, "3.13")];
    for (first, last, version) in RANGES.iter().chain(RANGES_3.iter()) {
        if (*first..=*last).contains(&number) {
            return Some(if number == *last || number < 3000 {
                (*version).to_string()
            } else {
                format!("{version} (pre-release)")
            });
        }
    }
    if let Some((_, version)) = FINALS.iter().find(|(n, _)| *n == number) {
        return Some((*version).to_string());
    }
    if (3450..5000).contains(&number) {
        let minor = (number - 2900) / 50;
        return Some(format!("3.{minor} (or a pre-release of it)"));
    }
    None
}

/// Reads the 16-byte header of a `.pyc` file.
pub fn parse_header(bytes: &[u8]) -> Result<PycHeader, PycError> {
    let header: &[u8; HEADER_LEN] = bytes
        .get(..HEADER_LEN)
        .and_then(|h| h.try_into().ok())
        .ok_or(PycError::ShortHeader { len: bytes.len() })?;
    let [m0, m1, m2, m3, f0, f1, f2, f3, a0, a1, a2, a3, b0, b1, b2, b3] = *header;
    let magic = [m0, m1, m2, m3];
    if magic != MAGIC {
        return Err(PycError::BadMagic { magic });
    }
    let flags = u32::from_le_bytes([f0, f1, f2, f3]);
    if flags & !(FLAG_HASH_BASED | FLAG_CHECK_SOURCE) != 0 {
        return Err(PycError::UnknownFlags { flags });
    }
    let invalidation = if flags & FLAG_HASH_BASED != 0 {
        Invalidation::Hash {
            check_source: flags & FLAG_CHECK_SOURCE != 0,
            source_hash: [a0, a1, a2, a3, b0, b1, b2, b3],
        }
    } else {
        Invalidation::Timestamp {
            mtime: u32::from_le_bytes([a0, a1, a2, a3]),
            source_size: u32::from_le_bytes([b0, b1, b2, b3]),
        }
    };
    Ok(PycHeader {
        flags,
        invalidation,
    })
}

/// Loads a CPython 3.9 `.pyc` file: checks the header and reads the code
/// object after it (anything after the code object is ignored, as CPython
/// does).
pub fn load_pyc(bytes: &[u8]) -> Result<Arc<CodeObject>, PycError> {
    load_pyc_with_header(bytes).map(|(_, code)| code)
}

/// Like [`load_pyc`], also returning the header.
pub fn load_pyc_with_header(bytes: &[u8]) -> Result<(PycHeader, Arc<CodeObject>), PycError> {
    let header = parse_header(bytes)?;
    let body = bytes.get(HEADER_LEN..).unwrap_or_default();
    let code = marshal::load_code(body).map_err(|e| PycError::Marshal(e.shifted(HEADER_LEN)))?;
    Ok((header, code))
}
