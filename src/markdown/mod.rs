//! Note → styled, wrapped lines (ratatui text types only).

pub mod style;
pub mod wrap;
