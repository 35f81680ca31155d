//! Editing the picker's query at a text cursor (pure): the keys a shell
//! line has (Ctrl-U, Ctrl-W, ←/→, Home/End), so a typo in the middle of a
//! query does not mean typing it again.

/// An edit of the query at the cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryEdit {
    /// Ctrl-U: delete from the start of the query to the cursor.
    ClearToStart,
    /// Ctrl-W: delete the word before the cursor (and the spaces after it).
    DeleteWord,
    Left,
    Right,
    Home,
    End,
}

/// A query being typed, with its cursor (a byte offset on a char
/// boundary).
pub trait Cursor {
    fn insert(&mut self, c: char);
    fn backspace(&mut self);
    fn apply(&mut self, edit: QueryEdit);
}

/// (query, cursor) edited in place.
impl Cursor for (&mut String, &mut usize) {
    fn insert(&mut self, c: char) {
        let at = clamp(self.0, *self.1);
        self.0.insert(at, c);
        *self.1 = at + c.len_utf8();
    }

    fn backspace(&mut self) {
        let at = clamp(self.0, *self.1);
        if let Some((start, _)) = self.0[..at].char_indices().next_back() {
            self.0.replace_range(start..at, "");
            *self.1 = start;
        }
    }

    fn apply(&mut self, edit: QueryEdit) {
        let (query, cursor) = (&mut *self.0, &mut *self.1);
        let at = clamp(query, *cursor);
        *cursor = match edit {
            QueryEdit::ClearToStart => {
                query.replace_range(..at, "");
                0
            }
            QueryEdit::DeleteWord => {
                let before = &query[..at];
                let word_end = before.trim_end().len();
                let start = before[..word_end]
                    .char_indices()
                    .rev()
                    .find(|(_, c)| c.is_whitespace())
                    .map_or(0, |(i, c)| i + c.len_utf8());
                query.replace_range(start..at, "");
                start
            }
            QueryEdit::Left => query[..at].char_indices().next_back().map_or(0, |(i, _)| i),
            QueryEdit::Right => query[at..].chars().next().map_or(at, |c| at + c.len_utf8()),
            QueryEdit::Home => 0,
            QueryEdit::End => query.len(),
        };
    }
}

/// The cursor, at most the query's length and on a char boundary.
fn clamp(query: &str, cursor: usize) -> usize {
    let mut at = cursor.min(query.len());
    while !query.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(query: &str, cursor: usize, edits: &[QueryEdit]) -> (String, usize) {
        let mut q = query.to_owned();
        let mut c = cursor;
        for e in edits {
            (&mut q, &mut c).apply(*e);
        }
        (q, c)
    }

    #[test]
    fn shell_line_editing() {
        use QueryEdit::*;
        assert_eq!(edit("holy grail", 10, &[ClearToStart]), (String::new(), 0));
        assert_eq!(edit("holy grail", 4, &[ClearToStart]), (" grail".into(), 0));
        assert_eq!(edit("holy grail  ", 12, &[DeleteWord]), ("holy ".into(), 5));
        assert_eq!(
            edit("holy", 4, &[DeleteWord, DeleteWord]),
            (String::new(), 0)
        );
        assert_eq!(edit("añb", 4, &[Left, Left]), ("añb".into(), 1));
        assert_eq!(edit("añb", 0, &[Right, Right]), ("añb".into(), 3));
        assert_eq!(edit("añb", 4, &[Right]), ("añb".into(), 4));
        assert_eq!(edit("abc", 1, &[End]), ("abc".into(), 3));
        assert_eq!(edit("abc", 2, &[Home]), ("abc".into(), 0));
        let (mut q, mut c) = ("ac".to_owned(), 1);
        (&mut q, &mut c).insert('b');
        assert_eq!((q.as_str(), c), ("abc", 2));
        (&mut q, &mut c).backspace();
        (&mut q, &mut c).backspace();
        (&mut q, &mut c).backspace();
        assert_eq!((q.as_str(), c), ("c", 0));
    }
}
