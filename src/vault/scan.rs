//! The single parse pass of the loader.
