//! The PEP 3118 format-string model: parser, renderer, layout and item codec.
//!
//! (Being written: see issue 2.)
