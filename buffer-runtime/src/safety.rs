//! # Safety
//!
//! Why safe code using this crate cannot cause undefined behaviour, and every `unsafe` block
//! with the invariant it relies on. (This module holds documentation only.)
//!
//! The crate hands bytes between Rust types, strided views and Python. Undefined behaviour
//! could come from four places: reading bytes that are not initialised (padding), producing a
//! value with an invalid bit pattern (a `bool` that is 2), touching memory outside the
//! exporter's bytes, and touching memory that something else mutates or frees meanwhile. Each
//! is excluded by one of the layers below; the `unsafe` blocks rely only on what those layers
//! establish.
//!
//! ## 1. At compile time: the derive and zerocopy
//!
//! `#[derive(BufferExport)]` does not prove layout facts itself where zerocopy already does:
//!
//! - every exported type is `zerocopy::IntoBytes + Immutable` (supertraits of
//!   [`Element`](crate::Element) and [`StaticLayout`](crate::StaticLayout)). `IntoBytes` means
//!   every byte of a value is initialised (no implicit padding), so `as_bytes()` is a sound
//!   `&[u8]`; `Immutable` means no `UnsafeCell`, so a shared borrow really freezes the bytes.
//!   A struct with implicit padding fails to compile; the derive's own `const` checks compute
//!   every gap from `offset_of!`/`size_of` and report it at the field with the fix (an
//!   explicit `[u8; N]` padding field, exported as `Nx`, or reordering).
//! - the format string is computed at compile time from the fields' own formats (each field
//!   type's `FieldType` shape and `ITEM_FIELD_FORMAT`, `Nx` for an explicit `[u8; N]` padding
//!   field), and `const` checks on `offset_of!` and `size_of` prove that `Self` is `repr(C)`,
//!   that each field starts where the previous one ends and that the struct ends where its
//!   last field ends: the `T{...}` lists every byte, in order. That is the contract of the
//!   `unsafe trait Element`: the format describes `Self` exactly.
//! - writing (a writable export, [`MemoryViewMut::set_as`](crate::view::ViewBase::set_as),
//!   `as_slice_mut`, Python writing into an export) requires `Item: zerocopy::FromBytes`: every
//!   bit pattern is a valid value. `bool`, `char` and fieldless enums can be exported read-only
//!   only; a writable export of them does not compile.
//!
//! The `unsafe trait`s are [`Element`](crate::Element), [`StaticLayout`](crate::StaticLayout)
//! and `FieldType`. Their contracts (stated on each trait)
//! are that the compile-time format, shape and strides describe `Self` exactly. They are
//! implemented by this crate for the primitives, zerocopy's byte-order types and arrays (each
//! impl has a `// SAFETY:` comment: `element.rs`, `private.rs`), and by the derive's
//! expansion, whose size assertion makes a wrong format a compile error. A hand-written
//! `unsafe impl` that lies breaks the typed reads listed in section 5 - that is what `unsafe`
//! on the trait means.
//!
//! ## 2. At run time: what every view checks
//!
//! The exporter traits [`BufferExport`](crate::BufferExport) and
//! [`BufferExportMut`](crate::BufferExportMut) are safe to implement, so nothing they return is
//! trusted: [`MemoryView::new`](crate::view::MemoryView::new) and
//! [`from_parts`](crate::view::MemoryView::from_parts) check the layout against the bytes.
//! Every view ([`ViewBase`](crate::view::ViewBase)) keeps these invariants, established by its
//! constructor and checked again (`with_layout`) by every operation that derives a view
//! (slicing, indexing, transposing, casting, field projection):
//!
//! 1. `shape.len() == strides.len() <= 64`;
//! 2. the item size is the size the (parsed) format describes;
//! 3. `product(shape) * itemsize <= isize::MAX`;
//! 4. when no dimension is 0, every item lies inside the borrowed bytes: for every index,
//!    `0 <= offset + sum(i[k] * strides[k])` and that plus `itemsize` is at most the length.
//!    The two extreme items are checked with overflow-checked arithmetic, which covers all;
//! 5. when a dimension is 0, `offset <= len`.
//!
//! Items are read by copying bytes (`from_ne_bytes`, zerocopy's `read_from_bytes`, the
//! format codec's [`unpack`](crate::format::unpack)), through bounds-checked slice indexing.
//! So a bug in the offset arithmetic is a panic, not an out-of-bounds access, and a misaligned
//! item is never referenced as a Rust type. References to items
//! ([`get_ref_as`](crate::view::ViewBase::get_ref_as),
//! [`as_slice`](crate::view::ViewBase::as_slice)) are produced by zerocopy's
//! `ref_from_bytes`, which checks size and alignment; a misaligned item is a `BufferError`.
//! A typed access first compares the Rust type's format with the view's
//! ([`check_type`](crate::view::ViewBase::check_type): same offsets, codes, byte orders and
//! item size, and `size_of::<T>()` equal to that item size). Writes go through
//! [`pack`](crate::format::pack), which encodes into a scratch item and copies it in only
//! when the whole value was accepted, so a failed write changes nothing.
//!
//! Format strings come from anywhere (Python, files): [`parse`](crate::format::parse) and
//! [`Format::layout`](crate::format::Format::layout) reject, with an error value, every
//! string they cannot describe, including sizes that overflow `usize`.
//!
//! These run-time guarantees are exercised by fuzzing (the `fuzz/` directory: format parse and
//! round-trip, view construction from arbitrary parts, sequences of view operations, value
//! packing) and by running the test suite under AddressSanitizer and valgrind
//! (`scripts/fuzz`, `scripts/sanitize`).
//!
//! ## 3. The borrow checker
//!
//! A [`MemoryView`](crate::view::MemoryView) holds `&'a [u8]`, a
//! [`MemoryViewMut`](crate::view::MemoryViewMut) `&'a mut [u8]`, borrowed from the exporter
//! (the [`Data`](crate::view::Data) trait is sealed to these two). So while a view lives the
//! exporter cannot be resized, moved, dropped or (for a read-only view) mutated, and a
//! writable view is the only access to its bytes: CPython's run-time "Existing exports of
//! data: object cannot be re-sized" is a compile error here (compile-fail tests in
//! `tests/ui`). Derived views borrow the view they come from (`sub(&self)`,
//! `sub_mut(&mut self)`) or consume it (`into_sub(self)`), so two writable views of the same
//! bytes never coexist, and a copy between views of the same exporter
//! ([`copy_from`](crate::view::ViewBase::copy_from)) can only have a read-only source
//! borrowed from something else.
//!
//! ## 4. The Python side (feature `pyo3`)
//!
//! *Exporting* a `#[pyclass]` (`python_buffer!`): the first export
//! borrows the object through PyO3's borrow flag (`PyRef` read-only, `PyRefMut` writable) and
//! keeps that borrow in a *loan* until the last `__releasebuffer__`; meanwhile Rust methods
//! needing conflicting access fail with PyO3's "Already borrowed" instead of racing with
//! Python, and the exporter's bytes cannot move. The layout is checked against the bytes (as a
//! view does) before any `Py_buffer` is filled; the request flags are checked in CPython's
//! order, and a refused request writes nothing but `obj = NULL`. `Py_buffer.obj` owns a strong
//! reference, so the object outlives every export. Writable exports require
//! `BufferExportMut` with `FromBytes` items, so nothing Python writes is an invalid value.
//!
//! *Importing* a Python buffer (`python::PythonBuffer`): the
//! `Py_buffer` is validated (format parsed, a positive `itemsize`, non-negative dimensions,
//! at most 64 of them, a non-NULL `buf` when there are items) and the smallest span covering
//! every item is computed in `i128` (no overflow) and refused beyond `isize::MAX`; the Rust
//! slice covers exactly that span and
//! lives no longer than the export (released on drop). Views of it are ordinary views, with
//! the run-time checks of section 2 (built with `from_parts`, which checks the format's own
//! item size against the span, so a `Py_buffer` whose `itemsize` disagrees with its format
//! cannot lead a view out of bounds). Rust never writes into a buffer whose items may hold
//! Python object references (format `O` anywhere in the item, or an exporter that cannot say):
//! [`view_mut`](crate::python::PythonBuffer::view_mut) is a `TypeError` and
//! [`bytes_mut`](crate::python::PythonBuffer::bytes_mut) `None` there, because bytes written
//! over a `PyObject*` would be dereferenced by Python later (a test caught `fill` on a numpy
//! `dtype=object` array doing exactly that). What Rust cannot enforce is stated on the type
//! ("Aliasing"): Python code must not write to a buffer while Rust reads it across a call back
//! into Python.
//!
//! ## 5. Every `unsafe` block and its invariant
//!
//! Unsafe trait impls (contract: the format/shape describes `Self` exactly):
//!
//! | where | what | why it holds |
//! |---|---|---|
//! | `element.rs`, `native_element!` | `unsafe impl Element` for primitives | the native struct code has the type's size and meaning (format table) |
//! | `element.rs`, `static_layout!` | `unsafe impl StaticLayout` for primitives | one item, shape `[]` |
//! | `element.rs`, byte-order types | `unsafe impl Element` for zerocopy's `U16<O>`... | standard-size code with the explicit byte order `O` |
//! | `element.rs`, `[T; N]` | `unsafe impl StaticLayout for [T; N]` | arrays have no gaps (Reference, "Array layout") |
//! | `element.rs`, `FieldType for T` / `[T; N]` | field shapes | a field is 0-d, arrays have no gaps |
//! | `buffer-derive` expansion (`expand.rs`, `fallback.rs`) | `Element`, `StaticLayout`, `FieldType` for derived newtypes | format built from `offset_of!`, every gap filled with `x`, size asserted at compile time |
//!
//! Unsafe blocks in the view (`view/typed.rs`, [`TypedIter`](crate::view::TypedIter)):
//!
//! | where | operation | invariant |
//! |---|---|---|
//! | `TypedIter::next` | `ptr::read_unaligned` of a `T` at an item offset | view invariant 4 (item in bounds), `size_of::<T>() == itemsize` (checked by `iter_as`), `T: FromBytes` |
//! | `TypedIter::fold`, aligned row | `ptr::read` of `&T` from zerocopy's `ref_from_bytes` | the reference is valid and aligned; `T: FromBytes` makes the bitwise copy a valid value |
//! | `TypedIter::fold`, strided row | `ptr::read_unaligned` at first + k * stride | each offset is an item of the row: invariant 4 |
//! | `view/copy.rs`, `write_c_order` | `Vec::set_len` after the fixed-size run copies | `reserve(n)` made room, and the copy initialised exactly the `n` bytes it counts (front to back) |
//!
//! Unsafe blocks of the optional integrations (features `ndarray`, `rayon`):
//!
//! | where | operation | invariant |
//! |---|---|---|
//! | `ndarray.rs`, `as_array` | `ArrayViewD::from_shape_ptr` over the view's items | every item in bounds (invariant 4) and aligned (`plan` checks the first item and that every stride is a multiple of `size_of::<T>()`), extents at most `isize::MAX` bytes, strides made non-negative (negative axes inverted afterwards), borrowed shared for the array's lifetime, `T: FromBytes` with `size_of::<T>()` the item size |
//! | `ndarray.rs`, `as_array_mut` | `ArrayViewMutD::from_shape_ptr` | the same, borrowed `&mut` for the array's lifetime, and no two items overlap (`plan` refuses zero and overlapping strides) |
//! | `rayon.rs`, `par_iter_as` | `ptr::read_unaligned` of a `T` at an item offset | the offset is an item of the view (invariant 4), `size_of::<T>() == itemsize` (checked), `T: FromBytes` |
//!
//! Unsafe blocks in the Python layer (`python/`, feature `pyo3`):
//!
//! | where | operation | invariant |
//! |---|---|---|
//! | `export.rs`, `ErasedGuard::new` | `ptr::write` of a `PyRef`/`PyRefMut` into a `usize` slot | a `const` assertion checks size and alignment fit |
//! | `export.rs`, `ErasedGuard::release`, `drop_erased` | drop the stored guard | written by `new` with the same type; consumed, so dropped once; GIL token held |
//! | `export.rs`, `unsafe impl Send for Loan` | loans in a global table | only touched with the GIL held |
//! | `export.rs`, `write_view` | writes the `Py_buffer` | `view` valid for writes (caller); `buf`/`len` checked inside the bytes the loan keeps borrowed; shape/strides/format `'static` or owned by the loan |
//! | `export.rs`, `getbuffer_with`, `__getbuffer`, `__getbuffer_mut` | forward the caller's `Py_buffer`, set `obj = NULL` on failure | the C API contract of `bf_getbuffer` |
//! | `mod.rs`, `python_buffer!` | `__getbuffer__`/`__releasebuffer__` slots | PyO3 calls them as `bf_getbuffer`/`bf_releasebuffer` |
//! | `import.rs`, `PythonBuffer::get` | zeroed `Py_buffer`, `PyObject_GetBuffer`, release on a failed validation | all-zero is a valid C struct; GIL held; released exactly once |
//! | `import.rs`, `describe` | read `format`, `shape`, `strides` | the C API: NUL-terminated format, `ndim` entries, valid until release |
//! | `import.rs`, `obj` | borrow `Py_buffer.obj` | a strong reference owned until release |
//! | `import.rs`, `bytes`, `view`, `view_mut`, `into_view`, `bytes_mut` | `slice::from_raw_parts(_mut)` over the span | the exporter keeps every item readable until release, which only `Drop` does; the span covers exactly the items; `&mut self` for the mutable forms; `PythonView` drops its view before its buffer |
//! | `import.rs`, `may_hold_objects` | read `Py_buffer.format` | the C API: a non-NULL format is NUL-terminated and valid until release |
//! | `import.rs`, `Drop` | `PyBuffer_Release` | a successful, unreleased export; GIL held |
//!
//! Each block carries a `// SAFETY:` comment at the site with the full argument; this table is
//! the index. `grep -rn 'unsafe' buffer-runtime/src buffer-derive/src` lists them all.
