//! A note's ordinary Markdown links `[text](url)`: their strings in one
//! buffer and a 12-byte record each (see [`super::record_list`]).

use serde::{Deserialize, Serialize};

use super::record_list::{Builder, Entry, Record, RecordList};

/// A note's Markdown links: every link's text then its URL one after the
/// other in one string, and each link's [`MarkdownLinkRecord`].
pub type MarkdownLinks = RecordList<MarkdownLinkRecord>;

/// One Markdown link with its strings, borrowed from its note's
/// [`MarkdownLinks`].
pub type MarkdownLink<'a> = Entry<'a, MarkdownLinkRecord>;

/// A note's Markdown links as the scan finds them.
pub type MarkdownLinksBuilder = Builder<MarkdownLinkRecord>;

/// The numbers of one Markdown link; its strings start where the previous
/// link's end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkdownLinkRecord {
    /// Where the text ends and the URL starts in the strings.
    text_end: u32,
    /// Where the URL ends.
    end: u32,
    /// 1-based line in the file.
    pub line: u32,
}

impl Record for MarkdownLinkRecord {
    fn strings_end(&self) -> u32 {
        self.end
    }
}

impl<'a> MarkdownLink<'a> {
    #[must_use]
    pub fn text(&self) -> &'a str {
        self.part(self.start, self.record.text_end)
    }

    #[must_use]
    pub fn url(&self) -> &'a str {
        self.part(self.record.text_end, self.record.end)
    }
}

impl std::fmt::Debug for MarkdownLink<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MarkdownLink")
            .field("text", &self.text())
            .field("url", &self.url())
            .field("line", &self.line)
            .finish()
    }
}

impl MarkdownLinksBuilder {
    pub fn push(&mut self, text: &str, url: &str, line: u32) {
        self.strings.push_str(text);
        let text_end = self.strings_len();
        self.strings.push_str(url);
        self.records.push(MarkdownLinkRecord {
            text_end,
            end: self.strings_len(),
            line,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_links_keep_their_parts_and_damaged_ends_read_as_empty() {
        assert_eq!(size_of::<MarkdownLinkRecord>(), 12);
        let mut builder = MarkdownLinksBuilder::default();
        builder.push("Été", "https://e.x/1", 3);
        builder.push("", "u", 4);
        let mut links = builder.take_exact();
        let parts: Vec<_> = links.iter().map(|l| (l.text(), l.url(), l.line)).collect();
        assert_eq!(parts, [("Été", "https://e.x/1", 3), ("", "u", 4)]);
        let bytes = postcard::to_stdvec(&links).expect("encodes");
        assert_eq!(
            postcard::from_bytes::<MarkdownLinks>(&bytes).expect("decodes"),
            links
        );
        links.records[0].text_end = 1; // inside `É`
        links.records[1].end = 99;
        let parts: Vec<_> = links.iter().map(|l| (l.text(), l.url())).collect();
        assert_eq!(parts, [("", ""), ("", "")]);
    }
}
