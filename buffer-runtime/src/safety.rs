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
//! - every exported type is `zerocopy::Immutable` (a supertrait of
//!   [`Element`](crate::Element), [`StaticBufferLayout`](crate::StaticBufferLayout) and `FieldType`): no
//!   `UnsafeCell`, so a shared borrow really freezes the bytes.
//! - every byte of a value is initialised (no implicit padding): what zerocopy's `IntoBytes`
//!   says, and part of the contract of those three traits, so that `bytes_of` and the
//!   exporters' `buffer_bytes` are sound `&[u8]`s. For the primitives and arrays it holds by
//!   the Reference; for a concrete derived struct zerocopy proves it (its `IntoBytes` derive
//!   is required: by the `Element` impl's where clause under `#[buffer_runtime::export]`, by an
//!   assertion otherwise). zerocopy cannot prove it for a generic struct (its derive would ask
//!   every field to be `Unaligned`), so there the derive's own checks are the proof: the
//!   associated `const CHECK` computes every gap from `offset_of!`/`size_of` for the
//!   instantiation and fails to compile, naming the field, if one is not zero; the
//!   instantiation's `FORMAT` evaluates `CHECK`, and every function of this crate that views
//!   values as bytes (`element::static_bytes`, `field_bytes`, `typed::slice_mut_from_bytes`)
//!   evaluates the item's `FORMAT` in an inline `const` block, which the compiler evaluates for
//!   each instantiation it compiles: an instantiation with padding cannot reach a byte view.
//!   For concrete structs the same checks run too (as free constants), to name the field
//!   with the fix (an explicit `[u8; N]` padding field, exported as `Nx`, or reordering).
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
//! The `unsafe trait`s are [`Element`](crate::Element), [`StaticBufferLayout`](crate::StaticBufferLayout)
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
//! Every view keeps the five [view invariants](crate::view::ViewBase#invariants) (stated
//! there only: the number of dimensions, the item size, the size bounds, every item inside
//! the bytes), established by its constructor and checked again (`with_layout`) by every
//! operation that derives a view (slicing, indexing, casting, field projection; transposing
//! only permutes dimensions).
//!
//! Items are read by copying bytes (`from_ne_bytes`, zerocopy's `read_from_bytes`, the
//! format codec's [`unpack`](crate::format::unpack)), through bounds-checked slice indexing,
//! or, for the shared storage kinds (section 3), through `read_into`/`read_at`/`write_from`
//! (`view/data.rs`), which check the range against the region's length before their one
//! `ptr::copy_nonoverlapping` or `ptr::read_unaligned`. So a bug in the offset arithmetic is
//! a panic, not an out-of-bounds access, and a misaligned item is never referenced as a Rust
//! type. References to items
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
//! (the [`Data`](crate::view::Data) trait is sealed to these two and the two shared kinds
//! below). So while a view lives the
//! exporter cannot be resized, moved, dropped or (for a read-only view) mutated, and a
//! writable view is the only access to its bytes: CPython's run-time "Existing exports of
//! data: object cannot be re-sized" is a compile error here (compile-fail tests in
//! `tests/ui`). Derived views borrow the view they come from (`sub(&self)`,
//! `sub_mut(&mut self)`) or consume it (`into_sub(self)`), so two writable views of the same
//! bytes never coexist, and a copy between views of the same exporter
//! ([`copy_from`](crate::view::ViewBase::copy_from)) can only have a read-only source
//! borrowed from something else.
//!
//! The shared kinds, [`Shared`](crate::view::Shared) (a
//! [`SharedView`](crate::view::SharedView)) and [`SharedMut`](crate::view::SharedMut) (a
//! [`SharedViewMut`](crate::view::SharedViewMut)), are for memory that code outside Rust may
//! write while the view lives (a Python buffer). They hold a raw pointer and a length, with a
//! lifetime for the borrow of whatever keeps the memory alive. A view of them never forms a
//! Rust reference to the bytes: every read copies the bytes out (`ptr::copy_nonoverlapping`,
//! `ptr::read_unaligned`) into Rust-owned memory, every write copies Rust-owned bytes in, and
//! the methods that return references (`as_slice`, `get_ref_as`, `underlying_bytes`,
//! `as_slice_mut`, `get_mut_as`, ndarray's `as_array`, rayon's `par_iter_as`) are defined only
//! for the reference kinds ([`DataRef`](crate::view::DataRef)), so on a shared view they do not
//! compile. So the compiler is never told that the bytes are immutable or unaliased while
//! someone else writes them. The shared kinds are neither `Send` nor `Sync` (nor is a
//! [`TypedIter`](crate::view::TypedIter) over them): all Rust accesses through them happen on
//! the thread that created them, one after the other. Their constructors are `unsafe`
//! (`from_raw_parts`, contract on each) except the conversions from a Rust borrow
//! (`Shared::from(&[u8])`, `SharedMut::from(&mut [u8])`), where the borrow checker gives the
//! contract.
//!
//! ## 4. The Python side (feature `pyo3`)
//!
//! *Exporting* (`python::ExportCell`, `python::OwnedBuffer`, `python_buffer!`): the exported
//! value lives in a heap block that Python's exports keep alive: each `Py_buffer` of an
//! `python::ExportCell` owns one strong count of the cell's `Arc` (in
//! `Py_buffer.internal`, given back by `__releasebuffer__`), and an
//! `python::OwnedBuffer` is a frozen object that owns its value until
//! its own deallocation, which every `Py_buffer.obj` reference postpones. The value's bytes
//! move or are freed only through exclusive access (`ExportCell::try_mut`, `into_inner`),
//! which exists only when the `Arc` is unique, that is when no export lives
//! (`Arc::get_mut`/`try_unwrap`: their acquire ordering pairs with the release decrement of
//! `__releasebuffer__` on any thread, so an export released on another thread is finished
//! before Rust touches the bytes). Replacing or dropping the cell itself (safe code can,
//! through `&mut`) only drops one strong count: the old block survives its exports. The
//! `Py_buffer` fields are computed when the value is stored and after each `try_mut` guard
//! drops; while a guard lives (or if it is leaked) every export is refused, so no export can
//! describe bytes that moved. The layout is checked against the bytes (as a view does) when it
//! is computed; the request flags are checked in CPython's order, and a refused request writes
//! nothing but `obj = NULL`.
//!
//! *No reference to memory Python may write.* A writable cell never hands out `&T` or `&mut
//! T` while exports may live: Rust reads and writes its items through
//! [`SharedView`](crate::view::SharedView) / [`SharedViewMut`](crate::view::SharedViewMut),
//! whose every access is a raw-pointer copy (see the view's storage kinds); `&mut T` exists
//! only inside a `try_mut` guard (no export), and `&T` only for read-only cells
//! (`ExportCell::get`), whose exports have `readonly = 1` and refuse `PyBUF_WRITABLE`, so
//! Python never writes them. Rust-side writers need `&mut ExportCell` (`view_mut`), so two
//! Rust writers, or a Rust writer and a Rust reader, never overlap: safe Rust cannot race with
//! itself. The writable pointer comes from `buffer_bytes_mut` (write provenance), and every
//! bit pattern written by Python or Rust is a valid item (`T::Item: FromBytes`, required by
//! `ExportCell::new` and `OwnedBuffer::new`).
//!
//! *Threads and free-threaded CPython.* No process-wide lock or table is on the export path:
//! an export takes PyO3's atomic shared borrow of the object for the time it fills the
//! `Py_buffer` and increments an atomic reference count; a release decrements it, on
//! whichever thread releases. A data race on the items would need two unsynchronised
//! accesses, one a write, at once: Python-side code writing without the GIL (a numpy loop that
//! releases it, any thread of a free-threaded build) while Rust or another Python thread reads
//! or writes the same items. Safe Rust cannot start one by itself (its own writers are
//! exclusive, above), and Python code racing on a buffer races the same way on `bytearray`
//! and numpy arrays: the values read are then unspecified (torn), as in C, but Rust holds no
//! reference the compiler could assume unchanged, every item accepts every bit pattern, and
//! no length, pointer or layout is ever read from the items, so no Rust invariant depends on
//! them. (PyO3 0.29+ supports free-threaded CPython from 3.14t; this machine has no
//! free-threaded build, so that configuration is argued, not tested.)
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
//! `PythonBuffer::view_mut` is a `TypeError` and
//! `PythonBuffer::bytes_mut` `None` there, because bytes written
//! over a `PyObject*` would be dereferenced by Python later (a test caught `fill` on a numpy
//! `dtype=object` array doing exactly that).
//!
//! *Python may write an imported buffer at any time*: Rust calls back into Python while it
//! holds a view, another thread writes with the GIL released (numpy's loops release it), or
//! the interpreter has no GIL (free-threaded CPython 3.13t). So every safe view of an import
//! is a shared kind (`PythonBuffer::view`,
//! `PythonBuffer::view_mut`, the typed forms,
//! `PythonView`); slices of the memory
//! (`PythonBuffer::bytes`,
//! `PythonBuffer::bytes_mut`) are `unsafe`, with the promise that
//! nothing writes the memory while the slice lives written on each;
//! `PythonBuffer::to_vec` copies. A write by Python between two Rust
//! reads is then an ordinary event: the next read returns the new bytes (tested: a view held
//! across a Python callback, and across another thread's write).
//!
//! What remains is a *data race*: a write at the same time as a Rust read or write, from
//! another thread, with no synchronisation between them. Rust's memory model leaves that
//! undefined, as C's does; safe Rust code using this crate cannot cause one:
//!
//! - with the GIL, Rust code holding a `PythonBuffer` or a view
//!   of it runs attached to the interpreter, so no Python code runs meanwhile in any thread
//!   (another thread runs only while this one waits in a Python call, such as `join`, or in
//!   `Python::detach`); the views are not `Send`, so stable PyO3's `detach` (which needs
//!   `Send` captures) cannot take them into code that runs while other threads hold the GIL.
//!   A race then needs code that writes without the GIL: a C extension's thread that released
//!   it, writing memory this thread reads, which is that extension's race, in C, whoever reads;
//! - without the GIL (free-threaded CPython), a race needs Python code to have shared one
//!   mutable buffer between threads and used it from two of them without a lock. CPython
//!   leaves buffer consumers' synchronisation to the program there; Rust code is then one of
//!   the unsynchronised parties, exactly as a C extension reading it would be. (Under PyO3's
//!   `nightly` feature, `Ungil` is not `Send` and the GIL case becomes this one.)
//!
//! Even then, what a race can do is limited by what the code does with the bytes: no reference
//! to them is live (nothing the optimiser could assume unchanged), and the values read are
//! copies: every typed read is of a `FromBytes` type (any bytes are a valid value: a torn
//! `f64` is some `f64`), the dynamic reads go through the codec, which checks every byte
//! pattern it decodes (an invalid `bool` or code point is an error value), and comparisons
//! compare bytes or decoded values. Writes into the buffer come from Rust-owned scratch bytes
//! (`pack` encodes first, then copies).
//!
//! ## 5. Every `unsafe` block and its invariant
//!
//! "Invariant N" below is the N-th [view invariant](crate::view::ViewBase#invariants).
//!
//! Unsafe trait impls (contract: the format/shape describes `Self` exactly):
//!
//! | where | what | why it holds |
//! |---|---|---|
//! | `element.rs`, `native_element!` | `unsafe impl Element` for primitives | the native struct code has the type's size and meaning (format table) |
//! | `element.rs`, `static_layout!` | `unsafe impl StaticBufferLayout` for primitives | one item, shape `[]` |
//! | `element.rs`, byte-order types | `unsafe impl Element` for zerocopy's `U16<O>`... | standard-size code with the explicit byte order `O` |
//! | `element.rs`, `[T; N]` | `unsafe impl StaticBufferLayout for [T; N]` | arrays have no gaps (Reference, "Array layout") |
//! | `element.rs`, `FieldType for T` / `[T; N]` | field shapes | a field is 0-d, arrays have no gaps |
//! | `buffer-derive` expansion (`expand.rs`, `fallback.rs`) | `Element`, `StaticBufferLayout`, `FieldType` for derived newtypes | format built from `offset_of!`, every gap filled with `x`, size asserted at compile time; no padding: zerocopy's `IntoBytes` (concrete) or `CHECK` (generic, evaluated with `FORMAT`) |
//!
//! Byte views of values (`element.rs`, `view/typed.rs`):
//!
//! | where | operation | invariant |
//! |---|---|---|
//! | `element.rs`, `static_bytes`, `field_bytes` | `slice::from_raw_parts` over values as `u8` | no gaps between values (trait contracts), every byte initialised once the item's `FORMAT` is evaluated (done in the function's inline `const`), `Immutable` |
//! | `element.rs`, `static_bytes_mut` | `slice::from_raw_parts_mut` over values as `u8` | the same, borrowed `&mut`; any bytes written are valid values (`T: FromBytes`) |
//! | `view/typed.rs`, `slice_mut_from_bytes` | view bytes as `&mut [T]` | length a multiple of `size_of::<T>()` and aligned (checked); any bytes are a valid `T` (`FromBytes`); a `T` written back is fully initialised (contract, `FORMAT` evaluated) |
//!
//! Unsafe blocks in the view (`view/typed.rs`, [`TypedIter`](crate::view::TypedIter)):
//!
//! | where | operation | invariant |
//! |---|---|---|
//! | `TypedIter::next` | `ptr::read_unaligned` of a `T` at a value offset | `typed_ndim` returned `Ok`: the `size_of::<T>()` bytes there are items of the view, in bounds by invariant 4; `T: FromBytes` |
//! | `TypedIter::fold`, aligned row | `ptr::read` of `&T` from zerocopy's `ref_from_bytes` | the reference is valid and aligned; `T: FromBytes` makes the bitwise copy a valid value |
//! | `TypedIter::fold`, strided row | `ptr::read_unaligned` at first + k * stride | each offset is an item of the row: invariant 4 |
//! | `view/copy.rs`, `write_c_order` | `Vec::set_len` after the fixed-size run copies | `reserve(n)` made room, and the copy initialised exactly the `n` bytes it counts (front to back) |
//! | `view/copy.rs`, `append_raw` | spare capacity as `&mut [u8]`, then `Vec::set_len` | `MaybeUninit<u8>` has `u8`'s layout and is only written; `reserve(n)` made room and `read_into` wrote all `n` bytes |
//! | `view/data.rs`, `read_into`, `read_at` | `ptr::copy_nonoverlapping` / `ptr::read_unaligned` from the region | range checked against `len()`; every kind's `as_ptr()` is valid for reads of `len()` bytes while it lives; the destination is Rust-owned, so cannot overlap; `T: FromBytes` |
//! | `view/data.rs`, `write_from` | `ptr::copy_nonoverlapping` into the region | range checked; `try_as_mut_ptr` is `Some` only for the writable kinds, valid for writes while borrowed `&mut`; the source is a Rust reference, so not into the region |
//! | `view/data.rs`, `Shared::from`, `SharedMut::from` | `from_raw_parts` of a Rust borrow | the borrow is valid (and, for `&mut`, exclusive) for `'a`; no other reference is formed |
//! | `view/data.rs`, `SharedMut::reborrow`, `reborrow_mut`, `SharedViewMut::into_readonly` | a `Shared`/`SharedMut` of the same region | the borrow of (or consumed) `self` bounds it; while it lives `self` cannot write (or is the only writer) |
//! | `view/typed.rs`, `unsafe impl Send/Sync for TypedIter` | the iterator's raw region pointer | `Send`/`Sync` exactly when its storage kind is: reference kinds yes, shared kinds no |
//!
//! Crate-internal `unsafe fn`s behind [`TypedView`](crate::view::TypedView), which checks the
//! type once and then calls them (each caller's `// SAFETY:` names the check it ran):
//!
//! | where | function | what the caller guarantees |
//! |---|---|---|
//! | `view/typed.rs`, `iter_unchecked` | a [`TypedIter`](crate::view::TypedIter) over the first `lead` dimensions | `lead` is the `Ok` value of `typed_ndim::<T>` for this view: every offset holds `size_of::<T>()` bytes of its items |
//! | `rayon.rs`, `par_values_unchecked` | the parallel form of `iter_unchecked` | the same `typed_ndim::<T>` result |
//! | `ndarray.rs`, `array_unchecked`, `array_mut_unchecked` | an ndarray view of the items | `T` passed `check_type` for this view: its size is the item size, which the bounds argument of `from_shape_ptr` relies on |
//!
//! Unsafe blocks of the optional integrations (features `ndarray`, `rayon`):
//!
//! | where | operation | invariant |
//! |---|---|---|
//! | `ndarray.rs`, `as_array` | `ArrayViewD::from_shape_ptr` over the view's items | every item in bounds (invariant 4) and aligned (`plan` checks the first item and that every stride is a multiple of `size_of::<T>()`), extents at most `isize::MAX` bytes, strides made non-negative (negative axes inverted afterwards), borrowed shared for the array's lifetime, `T: FromBytes` with `size_of::<T>()` the item size |
//! | `ndarray.rs`, `as_array_mut` | `ArrayViewMutD::from_shape_ptr` | the same, borrowed `&mut` for the array's lifetime, and no two items overlap (`plan` refuses zero and overlapping strides) |
//! | `rayon.rs`, `par_iter_as` | `ptr::read_unaligned` of a `T` at a value offset | as `TypedIter::next` (`typed_ndim` checked), `T: FromBytes` |
//!
//! Unsafe blocks in the Python layer (`python/`, feature `pyo3`):
//!
//! | where | operation | invariant |
//! |---|---|---|
//! | `export.rs`, `unsafe impl Send/Sync for Export` | a description with raw pointers shared between threads | plain data, only read; its pointers are dereferenced by others under their own guarantees |
//! | `export.rs`, `Export::shape`, `byte_strides` | slices over the stored shape and strides | `ndim` values in `'static` memory or the owned `_dims` block, shape values checked to fit `isize` |
//! | `export.rs`, `fill_view`, `fill_checked` | writes the `Py_buffer` field by field, `obj = NULL` on failure | `view` valid for writes (the C API); pointers checked by `describe` and kept valid by the caller until release |
//! | `cell.rs`, `unsafe impl Send/Sync for Inner` | the cell's shared block | `T: Send` (dropped on any thread), `T: Sync` for `get`'s `&T`; Rust writers need `&mut ExportCell` |
//! | `cell.rs`, `get` | `&T` of a read-only cell | Python never writes it (`readonly = 1`, writable requests refused); Rust mutates only through `&mut self` |
//! | `cell.rs`, `view`, `bytes_view`, `view_mut` | `Shared`/`SharedMut::from_raw_parts` over the value's bytes | bytes move only under `&mut self` with a unique `Arc`; `view_mut` needs `&mut self`, a writable cell (`FromBytes` items, write provenance) |
//! | `cell.rs`, `CellMut::deref` | `&T` under `Arc::get_mut` | unique access: no export, no other reference |
//! | `cell.rs`, `getbuffer`, `__releasebuffer` | `Arc::into_raw` into `Py_buffer.internal`, `Arc::from_raw` at release or on a refused request | one strong count per filled `Py_buffer`, reclaimed exactly once (CPython releases once; consumers must not change `internal`) |
//! | `owned.rs`, `store`, `Erased::drop`, `drop_boxed` | `Box::into_raw`, the last `&mut T`, `Box::from_raw` in `Drop` | the fresh allocation is unaliased; freed once, when the object is, which every `Py_buffer.obj` postpones |
//! | `owned.rs`, `unsafe impl Send/Sync for Erased` | the erased value | never accessed by Rust; dropped on any thread (`T: Send`) |
//! | `owned.rs`, `__getbuffer__` | forwards CPython's `Py_buffer` | the frozen object owns and never moves the bytes |
//! | `mod.rs`, `python_buffer!` | `__getbuffer__`/`__releasebuffer__` slots | PyO3 calls them as `bf_getbuffer`/`bf_releasebuffer`, release once per successful get of the same field |
//! | `import.rs`, `PythonBuffer::get` | zeroed `Py_buffer`, `PyObject_GetBuffer`, release on a failed validation | all-zero is a valid C struct; GIL held; released exactly once |
//! | `import.rs`, `describe` | read `format`, `shape`, `strides` | the C API: NUL-terminated format, `ndim` entries, valid until release |
//! | `import.rs`, `obj` | borrow `Py_buffer.obj` | a strong reference owned until release |
//! | `import.rs`, `shared_bytes`, `shared_bytes_mut`, `view_mut`, `into_view` | `Shared`/`SharedMut::from_raw_parts` over the span | the exporter keeps every item readable (writable when not `readonly`) until release, which only `Drop` does; the span covers exactly the items; Python's writes are what `Shared` allows; `&mut self` for the mutable forms; `PythonView` drops its view before its buffer |
//! | `import.rs`, `bytes`, `bytes_mut` (`unsafe fn`) | `slice::from_raw_parts(_mut)` over the span | as above, and the caller's promise that nothing writes (or, for `bytes_mut`, accesses) the memory while the slice lives |
//! | `import.rs`, `may_hold_objects` | read `Py_buffer.format` | the C API: a non-NULL format is NUL-terminated and valid until release |
//! | `import.rs`, `Drop` | `PyBuffer_Release` | a successful, unreleased export; GIL held |
//!
//! Each block carries a `// SAFETY:` comment at the site with the full argument; this table is
//! the index. `grep -rn 'unsafe' buffer-runtime/src buffer-derive/src` lists them all.
