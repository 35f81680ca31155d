//! Splits and reads the YAML block at the top of a note.
