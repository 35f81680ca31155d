//! Problems found in notes are data, never panics: each is kept with its note
//! and shown by the status bar and `vidwiki check`.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// What went wrong; the `kind` string of `vidwiki check --json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    Unreadable,
    /// A note larger than `text_store::MAX_NOTE_BYTES`, cut there.
    NoteTooLarge,
    InvalidUtf8,
    BrokenYaml,
    /// Front matter with YAML anchors or aliases, not expanded.
    YamlAlias,
    /// Front matter too large to be read as YAML.
    FrontMatterTooLarge,
    UnclosedFrontMatter,
    MissingTitle,
    MissingVideoId,
    InvalidVideoId,
    MalformedTimestamp,
    AmbiguousLink,
    UnresolvedLink,
    SkippedSymlink,
    /// Bidi control characters in a name, title or link (shown neutralised).
    BidiControl,
}

impl ProblemKind {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unreadable => "unreadable",
            Self::NoteTooLarge => "note_too_large",
            Self::InvalidUtf8 => "invalid_utf8",
            Self::BrokenYaml => "broken_yaml",
            Self::YamlAlias => "yaml_alias",
            Self::FrontMatterTooLarge => "front_matter_too_large",
            Self::UnclosedFrontMatter => "unclosed_front_matter",
            Self::MissingTitle => "missing_title",
            Self::MissingVideoId => "missing_video_id",
            Self::InvalidVideoId => "invalid_video_id",
            Self::MalformedTimestamp => "malformed_timestamp",
            Self::AmbiguousLink => "ambiguous_link",
            Self::UnresolvedLink => "unresolved_link",
            Self::SkippedSymlink => "skipped_symlink",
            Self::BidiControl => "bidi_control",
        }
    }

    /// How bad the problem is. Errors lose content (unreadable bytes, a
    /// broken front matter, an id that can give no link); warnings are
    /// things a reader can live with.
    #[must_use]
    pub fn severity(self) -> Severity {
        match self {
            Self::Unreadable
            | Self::InvalidUtf8
            | Self::BrokenYaml
            | Self::YamlAlias
            | Self::FrontMatterTooLarge
            | Self::UnclosedFrontMatter
            | Self::InvalidVideoId => Severity::Error,
            Self::MissingTitle
            | Self::NoteTooLarge
            | Self::MissingVideoId
            | Self::MalformedTimestamp
            | Self::AmbiguousLink
            | Self::UnresolvedLink
            | Self::SkippedSymlink
            | Self::BidiControl => Severity::Warning,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub kind: ProblemKind,
    /// 1-based line in the file, when the problem has one.
    pub line: Option<u32>,
    pub message: String,
}

impl Problem {
    #[must_use]
    pub fn new(kind: ProblemKind, line: Option<u32>, message: impl Into<String>) -> Self {
        Self {
            kind,
            line,
            message: message.into(),
        }
    }

    #[must_use]
    pub fn severity(&self) -> Severity {
        self.kind.severity()
    }
}
