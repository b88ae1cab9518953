//! Runnable examples of buffer-runtime: see the `examples/` folder.
