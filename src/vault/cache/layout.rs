//! The index file's header and table: where each section lies, and where
//! each note's parts lie in them (see the module documentation of
//! [`super`]).
//!
//! Header, little-endian: magic (8 bytes), [`FORMAT_VERSION`] (4), the
//! CRC-32 of the rest of the header (4), zeros (8), the build (8), then per
//! section its offset (8), length (8) and CRC-32 (4). The bodies' section
//! has no CRC of its own (0): a lean load reads a few bodies, each checked
//! by the CRC the table keeps for it.

use serde::{Deserialize, Serialize};

use super::{FORMAT_VERSION, FileStamp, build};

pub(super) const MAGIC: &[u8; 8] = b"VIDWIKIX";

/// The sections, in the order they are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Section {
    Bodies = 0,
    Heads = 1,
    Headings = 2,
    Resolved = 3,
    Table = 4,
}

pub(super) const SECTIONS: usize = 5;
const EXTENT_BYTES: usize = 8 + 8 + 4;
/// Magic, version, header CRC, zeros, build, the sections.
pub const HEADER_BYTES: usize = 32 + SECTIONS * EXTENT_BYTES;

/// Where a section lies in the file, and its checksum.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Extent {
    pub offset: u64,
    pub len: u64,
    pub crc: u32,
}

#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Header {
    pub sections: [Extent; SECTIONS],
}

impl Header {
    pub(super) fn extent(&self, section: Section) -> Extent {
        self.sections[section as usize]
    }

    pub(super) fn encode(&self) -> [u8; HEADER_BYTES] {
        let mut bytes = [0; HEADER_BYTES];
        bytes[..8].copy_from_slice(MAGIC);
        bytes[8..12].copy_from_slice(&FORMAT_VERSION.to_le_bytes());
        bytes[24..32].copy_from_slice(&build().to_le_bytes());
        for (i, extent) in self.sections.iter().enumerate() {
            let at = 32 + i * EXTENT_BYTES;
            bytes[at..at + 8].copy_from_slice(&extent.offset.to_le_bytes());
            bytes[at + 8..at + 16].copy_from_slice(&extent.len.to_le_bytes());
            bytes[at + 16..at + 20].copy_from_slice(&extent.crc.to_le_bytes());
        }
        let crc = header_crc(&bytes);
        bytes[12..16].copy_from_slice(&crc.to_le_bytes());
        bytes
    }

    /// Reads and checks a header; `file_len` is the whole file's length
    /// (every section must lie inside it, after the header).
    pub(super) fn decode(bytes: &[u8], file_len: u64) -> Result<Self, &'static str> {
        if bytes.len() < HEADER_BYTES || &bytes[..8] != MAGIC {
            return Err("not a vidwiki index file");
        }
        let bytes = &bytes[..HEADER_BYTES];
        let u32_at =
            |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap_or_default());
        let u64_at =
            |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap_or_default());
        if u32_at(8) != FORMAT_VERSION {
            return Err("made by another version of vidwiki");
        }
        if u64_at(24) != build() {
            return Err("made by another build of vidwiki");
        }
        if u32_at(12) != header_crc(bytes) {
            return Err("damaged (header)");
        }
        let mut header = Self::default();
        for (i, extent) in header.sections.iter_mut().enumerate() {
            let at = 32 + i * EXTENT_BYTES;
            *extent = Extent {
                offset: u64_at(at),
                len: u64_at(at + 8),
                crc: u32_at(at + 16),
            };
            let end = extent.offset.checked_add(extent.len);
            if extent.offset < HEADER_BYTES as u64 || end.is_none_or(|end| end > file_len) {
                return Err("cut short or too long");
            }
        }
        Ok(header)
    }

    /// A section of the whole file's bytes, when its checksum holds.
    pub(super) fn checked<'a>(&self, bytes: &'a [u8], section: Section) -> Option<&'a [u8]> {
        let extent = self.extent(section);
        let start = usize::try_from(extent.offset).ok()?;
        let end = start.checked_add(usize::try_from(extent.len).ok()?)?;
        let slice = bytes.get(start..end)?;
        (section == Section::Bodies || crc32fast::hash(slice) == extent.crc).then_some(slice)
    }
}

/// The CRC of a header: every byte but the CRC's own four.
fn header_crc(bytes: &[u8]) -> u32 {
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(&bytes[..12]);
    hasher.update(&bytes[16..HEADER_BYTES]);
    hasher.finalize()
}

/// Bytes `start..start + len` of a section.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Span {
    pub start: u64,
    pub len: u64,
}

impl Span {
    /// The span's bytes in `section`, when they lie inside it.
    pub(super) fn of(self, section: &[u8]) -> Option<&[u8]> {
        let start = usize::try_from(self.start).ok()?;
        let end = start.checked_add(usize::try_from(self.len).ok()?)?;
        section.get(start..end)
    }
}

/// The table: the vault it was made for and one entry per file, in the
/// order of the walk that saved it.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct Table<'a> {
    pub root: &'a str,
    #[serde(borrow)]
    pub entries: Vec<TableEntry<'a>>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub(super) struct TableEntry<'a> {
    pub path: &'a str,
    pub stamp: FileStamp,
    /// In the heads' section.
    pub head: Span,
    /// In the headings' section.
    pub headings: Span,
    /// In the bodies' section, with the body's CRC-32.
    pub body: Span,
    pub body_crc: u32,
}
