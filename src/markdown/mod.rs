//! Note → styled, wrapped lines (ratatui text types only).
