//! Fuzzy search over notes and headings, nucleo behind a small API.
