//! Tables with box-drawing borders and aligned columns.
//!
//! A table that fits is drawn at its natural column widths. One that does not
//! has its widest columns shrunk (water-filling: the narrow columns keep their
//! width) and cell text wrapped inside them, so a row of 87,000 characters
//! becomes a tall row rather than a line wider than the pane. When the pane is
//! too narrow for even three columns of text per column, each row is shown as
//! a small record (`header: value` lines) instead.

use pulldown_cmark::Alignment;
use ratatui::{
    style::Style,
    text::{Line, Span},
};
use unicode_width::UnicodeWidthStr;

use super::wrap::{Piece, WrappedLine, reading_break, wrap};
use crate::theme::Theme;

/// Narrowest text column worth drawing as a grid.
const MIN_COLUMN_WIDTH: usize = 3;

/// One cell: its inline pieces, styled and with target ids.
pub(crate) type Cell<'a> = Vec<Piece<'a>>;

#[derive(Debug, Default)]
pub(crate) struct Table<'a> {
    pub alignments: Vec<Alignment>,
    pub header: Vec<Cell<'a>>,
    pub rows: Vec<Vec<Cell<'a>>>,
}

impl Table<'_> {
    fn column_count(&self) -> usize {
        self.rows
            .iter()
            .map(Vec::len)
            .chain([self.header.len(), self.alignments.len(), 1])
            .max()
            .unwrap_or(1)
    }
}

/// Lays the table out in at most `width` columns (no indent: the caller adds
/// container prefixes).
pub(crate) fn lay_out(table: &Table<'_>, width: usize, theme: &Theme) -> Vec<WrappedLine> {
    let columns = table.column_count();
    let borders = 3 * columns + 1;
    if width < borders + columns * MIN_COLUMN_WIDTH {
        return lay_out_records(table, width, theme);
    }
    let natural: Vec<usize> = (0..columns)
        .map(|c| {
            std::iter::once(&table.header)
                .chain(&table.rows)
                .filter_map(|row| row.get(c))
                .map(|cell| natural_width(cell))
                .max()
                .unwrap_or(0)
                .max(1)
        })
        .collect();
    let widths = fit_columns(&natural, width - borders);
    let border = theme.table_border;
    let mut out = Vec::new();
    out.push(border_line(&widths, '┌', '┬', '┐', border));
    if !table.header.is_empty() {
        out.extend(row_lines(&table.header, &widths, &table.alignments, border));
        out.push(border_line(&widths, '├', '┼', '┤', border));
    }
    for row in &table.rows {
        out.extend(row_lines(row, &widths, &table.alignments, border));
    }
    out.push(border_line(&widths, '└', '┴', '┘', border));
    out
}

/// Width a cell needs to sit on one line (its longest forced line).
fn natural_width(cell: &[Piece<'_>]) -> usize {
    let mut longest = 0;
    let mut current = 0;
    for piece in cell {
        if piece.is_line_break() {
            current = 0;
        } else {
            current += piece.text.width();
            longest = longest.max(current);
        }
    }
    longest
}

/// Shrinks the widest columns first until the widths fit `available`.
fn fit_columns(natural: &[usize], available: usize) -> Vec<usize> {
    if natural.iter().sum::<usize>() <= available {
        return natural.to_vec();
    }
    let capped_sum = |cap: usize| natural.iter().map(|&n| n.min(cap)).sum::<usize>();
    let (mut low, mut high) = (1, natural.iter().copied().max().unwrap_or(1));
    while low < high {
        let mid = (low + high).div_ceil(2);
        if capped_sum(mid) <= available {
            low = mid;
        } else {
            high = mid - 1;
        }
    }
    let mut widths: Vec<usize> = natural.iter().map(|&n| n.min(low)).collect();
    let mut slack = available.saturating_sub(widths.iter().sum());
    for (w, &n) in widths.iter_mut().zip(natural) {
        if slack == 0 {
            break;
        }
        if n > *w {
            *w += 1;
            slack -= 1;
        }
    }
    widths
}

fn border_line(
    widths: &[usize],
    left: char,
    middle: char,
    right: char,
    border: Style,
) -> WrappedLine {
    let mut text = String::new();
    text.push(left);
    for (i, &w) in widths.iter().enumerate() {
        if i > 0 {
            text.push(middle);
        }
        text.extend(std::iter::repeat_n('─', w + 2));
    }
    text.push(right);
    WrappedLine {
        line: Line::from(Span::styled(text, border)),
        ..WrappedLine::default()
    }
}

fn row_lines(
    row: &[Cell<'_>],
    widths: &[usize],
    alignments: &[Alignment],
    border: Style,
) -> Vec<WrappedLine> {
    let cells: Vec<Vec<WrappedLine>> = widths
        .iter()
        .enumerate()
        .map(|(c, &w)| match row.get(c) {
            Some(cell) => wrap(cell, u16::try_from(w).unwrap_or(u16::MAX), &[], &[]),
            None => Vec::new(),
        })
        .collect();
    let height = cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
    let source_line = row
        .iter()
        .flatten()
        .map(|p| p.source_line)
        .find(|&l| l > 0)
        .unwrap_or(0);
    // Where each cell's text starts on each of the row's lines, for the
    // reading text (read cell by cell, not line by line).
    let mut shifts: Vec<Vec<u16>> = vec![Vec::new(); widths.len()];
    let mut lines: Vec<WrappedLine> = (0..height)
        .map(|k| {
            let mut spans = vec![Span::styled("│ ", border)];
            let mut targets = Vec::new();
            let mut column = 2;
            for (c, &w) in widths.iter().enumerate() {
                if c > 0 {
                    spans.push(Span::styled(" │ ", border));
                    column += 3;
                }
                let empty = WrappedLine::default();
                let cell_line = cells[c].get(k).unwrap_or(&empty);
                let pad = w.saturating_sub(cell_line.line.width());
                let left_pad = match alignments.get(c) {
                    Some(Alignment::Right) => pad,
                    Some(Alignment::Center) => pad / 2,
                    _ => 0,
                };
                if left_pad > 0 {
                    spans.push(Span::raw(" ".repeat(left_pad)));
                }
                spans.extend(cell_line.line.spans.iter().cloned());
                let shift = u16::try_from(column + left_pad).unwrap_or(u16::MAX);
                shifts[c].push(shift);
                targets.extend(cell_line.targets.iter().map(|(id, r)| {
                    (
                        *id,
                        r.start.saturating_add(shift)..r.end.saturating_add(shift),
                    )
                }));
                if pad > left_pad {
                    spans.push(Span::raw(" ".repeat(pad - left_pad)));
                }
                column += w;
            }
            spans.push(Span::styled(" │", border));
            WrappedLine {
                line: Line::from(spans),
                targets,
                source_line: cells
                    .iter()
                    .find_map(|lines| lines.get(k).map(|l| l.source_line))
                    .unwrap_or(source_line),
                reading: Vec::new(),
            }
        })
        .collect();
    let mut reading = Vec::new();
    for (c, mut cell_lines) in cells.into_iter().enumerate() {
        reading_break(&mut cell_lines);
        for (k, cell_line) in cell_lines.into_iter().enumerate() {
            let shift = shifts[c].get(k).copied().unwrap_or(0);
            reading.extend(cell_line.reading.into_iter().map(|mut run| {
                run.line += k;
                run.col = run.col.saturating_add(shift);
                run
            }));
        }
    }
    if let Some(first) = lines.first_mut() {
        first.reading = reading;
    }
    lines
}

/// Narrow panes: every row as `header: value` lines, rows split by a rule.
fn lay_out_records(table: &Table<'_>, width: usize, theme: &Theme) -> Vec<WrappedLine> {
    let names: Vec<String> = table
        .header
        .iter()
        .map(|cell| {
            cell.iter()
                .filter(|p| !p.is_line_break())
                .map(|p| p.text.as_ref())
                .collect::<String>()
        })
        .collect();
    let rows: Vec<&Vec<Cell<'_>>> = if table.rows.is_empty() {
        vec![&table.header]
    } else {
        table.rows.iter().collect()
    };
    let width16 = u16::try_from(width).unwrap_or(u16::MAX);
    let indent = [Span::raw("  ")];
    let mut out = Vec::new();
    for (r, row) in rows.into_iter().enumerate() {
        if r > 0 {
            out.push(WrappedLine {
                line: Line::from(Span::styled("─".repeat(width.min(8)), theme.table_border)),
                ..WrappedLine::default()
            });
        }
        for (c, cell) in row.iter().enumerate() {
            let mut pieces = Vec::with_capacity(cell.len() + 2);
            if let Some(name) = names.get(c).filter(|n| !n.trim().is_empty()) {
                pieces.push(Piece::new(name.trim(), theme.table_header));
                pieces.push(Piece::new(": ", theme.table_border));
            }
            pieces.extend(cell.iter().cloned());
            let mut lines = wrap(&pieces, width16, &[], &indent);
            reading_break(&mut lines);
            out.extend(lines);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(text: &str) -> Cell<'_> {
        vec![Piece::new(text, Style::new())]
    }

    use crate::markdown::wrap::tests::plain;

    #[test]
    fn aligned_columns_with_borders() {
        let table = Table {
            alignments: vec![Alignment::Left, Alignment::Right],
            header: vec![cell("Name"), cell("N")],
            rows: vec![vec![cell("a"), cell("10")], vec![cell("bcd"), cell("2")]],
        };
        assert_eq!(
            plain(&lay_out(&table, 40, &Theme::dark())),
            [
                "┌──────┬────┐",
                "│ Name │  N │",
                "├──────┼────┤",
                "│ a    │ 10 │",
                "│ bcd  │  2 │",
                "└──────┴────┘",
            ]
        );
    }

    #[test]
    fn wide_tables_shrink_and_wrap_cells() {
        let long = "word ".repeat(20_000);
        let table = Table {
            alignments: vec![Alignment::None; 2],
            header: vec![cell("a"), cell("b")],
            rows: vec![vec![cell("short"), cell(&long)]],
        };
        let lines = lay_out(&table, 30, &Theme::dark());
        assert!(lines.iter().all(|l| l.line.width() <= 30));
        assert!(plain(&lines)[3].starts_with("│ short │ word word"));
    }

    #[test]
    fn narrow_panes_get_records() {
        let table = Table {
            alignments: vec![Alignment::None; 3],
            header: vec![cell("Alpha"), cell("Beta"), cell("Gamma")],
            rows: vec![vec![cell("1"), cell("2"), cell("3")]],
        };
        assert_eq!(
            plain(&lay_out(&table, 12, &Theme::dark())),
            ["Alpha: 1", "Beta: 2", "Gamma: 3"]
        );
    }

    #[test]
    fn water_filling_keeps_narrow_columns() {
        assert_eq!(fit_columns(&[3, 50, 40], 30), vec![3, 14, 13]);
    }
}
