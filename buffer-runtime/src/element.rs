//! Items: the types a buffer is made of, each with a compile-time PEP 3118 format.

use core::ffi::CStr;

use zerocopy::{FromBytes, Immutable};

use crate::__private::{DimsBuf, FmtBuf, NATIVE_ORDER};

/// One item of a buffer: a type whose bytes Python may read, described by a format string.
///
/// Implemented for the primitive integers and floats, `bool` and `char`, zerocopy's
/// byte-order types (`U32<BigEndian>` is `>I`), and every type that derives
/// [`BufferExport`](crate::BufferExport).
///
/// Reading needs no padding and every byte initialised (what zerocopy's
/// [`IntoBytes`](zerocopy::IntoBytes) says) and no interior mutability ([`Immutable`]), so
/// that a shared reference may be viewed as bytes. zerocopy proves the second, and the first
/// for the primitives and for a non-generic derived struct (its derive is required there); for
/// a generic struct, where zerocopy's derive cannot prove it, the derive's own layout check
/// does, for each instantiation, before its bytes can be read. Writing needs more, namely that
/// every bit pattern is a valid value ([`zerocopy::FromBytes`]): `bool`, `char` and fieldless
/// enums are `Element`s but not `FromBytes`, so they can only be exported read-only.
///
/// ```
/// use buffer_runtime::Element;
///
/// assert_eq!(u16::FORMAT, "H");
/// assert_eq!(u16::FIELD_FORMAT, if cfg!(target_endian = "little") { "<H" } else { ">H" });
/// assert_eq!(f64::FORMAT_CSTR.to_bytes_with_nul(), b"d\0");
/// ```
///
/// # Safety
///
/// `FORMAT` and `FIELD_FORMAT` must describe `Self` exactly: under the rules of
/// [`crate::format`], their item size equals `size_of::<Self>()` and every field they name lies at
/// the offset it has in `Self`. `FORMAT_CSTR` holds the text of `FORMAT`. Every byte of every
/// value of `Self` is initialised (no padding), as zerocopy's `IntoBytes` requires, once
/// `FORMAT` has been evaluated: a generic implementation may prove this in the evaluation of
/// `FORMAT` (a compile-time error when it does not hold), and this crate evaluates `FORMAT`
/// wherever it views a value as bytes.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no buffer format",
    label = "`{Self}` cannot be an item of a Python buffer",
    note = "items are the primitive integers and floats, `bool`, `char`, zerocopy's byte-order types, and types that `#[derive(BufferExport)]`; an array is a sub-array of items, not an item: bound a generic parameter `T: FieldType` to accept arrays too"
)]
pub unsafe trait Element: Immutable + Sized + 'static {
    /// The format of a buffer of `Self`: a bare native character for a primitive (`"I"`), so that
    /// CPython's `memoryview` can index it; `T{...}` for a struct.
    const FORMAT: &'static str;
    /// [`Self::FORMAT`] with its terminating NUL, for C consumers (`Py_buffer.format`).
    const FORMAT_CSTR: &'static CStr;
    /// The format of `Self` as a field inside `T{...}`: explicit byte order and standard sizes
    /// (`"<I"` on a little-endian host), so that `struct`, numpy, ctypes and Cython agree on
    /// every offset without alignment rules.
    const FIELD_FORMAT: &'static str;
}

macro_rules! native_element {
    ($($ty:ty => $code:literal, $std:literal $(, $readonly:ident)?;)*) => {$(
        // SAFETY: `$code` is the native struct-module code of `$ty` (same size and meaning, by
        // the table in the `format` module); `$std` is the standard-size code of the same width.
        unsafe impl Element for $ty {
            const FORMAT: &'static str = $code;
            const FORMAT_CSTR: &'static CStr = match CStr::from_bytes_with_nul(concat!($code, "\0").as_bytes()) {
                Ok(c) => c,
                Err(_) => panic!("format with an inner NUL"),
            };
            const FIELD_FORMAT: &'static str = {
                const BUF: FmtBuf<3> = FmtBuf::new().push(NATIVE_ORDER).push($std);
                BUF.as_str()
            };
        }
        impl_static_item!($ty $(, $readonly)?);
    )*};
}

/// Implements [`StaticBufferLayout`] and [`crate::BufferExport`] for an item type: a 0-d buffer.
macro_rules! impl_static_item {
    ($ty:ty $(, readonly)?) => {
        impl_static_item!(@read $ty);
    };
    ($ty:ty, $($gen:tt)*) => {
        impl_static_item!(@read $ty, $($gen)*);
    };
    (@read $ty:ty $(, $($gen:tt)*)?) => {
        // SAFETY: a single item is a 0-d buffer of itself.
        unsafe impl $(<$($gen)*>)? StaticBufferLayout for $ty {
            type Item = Self;
            const SHAPE: &'static [usize] = &[];
            const STRIDES: &'static [isize] = &[];
        }
        impl $(<$($gen)*>)? $crate::BufferExport for $ty {
            type Item = Self;
            fn buffer_layout(&self) -> $crate::BufferLayout {
                $crate::BufferLayout::of_static::<Self>()
            }
            fn buffer_bytes(&self) -> &[u8] {
                $crate::element::static_bytes(core::slice::from_ref(self))
            }
        }
    };
}

#[cfg(target_pointer_width = "64")]
native_element! { usize => "N", "Q"; isize => "n", "q"; }
#[cfg(target_pointer_width = "32")]
native_element! { usize => "N", "I"; isize => "n", "i"; }

native_element! {
    u8 => "B", "B";
    i8 => "b", "b";
    u16 => "H", "H";
    i16 => "h", "h";
    u32 => "I", "I";
    i32 => "i", "i";
    u64 => "Q", "Q";
    i64 => "q", "q";
    f32 => "f", "f";
    f64 => "d", "d";
    bool => "?", "?", readonly;
    char => "w", "w", readonly;
}

/// zerocopy's byte-order-aware integers and floats: an explicit byte order in every format.
mod byteorder_impls {
    use super::*;
    use zerocopy::byteorder::{ByteOrder, Order, F32, F64, I16, I32, I64, U16, U32, U64};

    /// The byte-order character of `O` (`<` or `>`).
    const fn order_char<O: ByteOrder>() -> &'static str {
        match O::ORDER {
            Order::LittleEndian => "<",
            Order::BigEndian => ">",
        }
    }

    macro_rules! byteorder_element {
        ($($ty:ident => $code:literal;)*) => {$(
            // SAFETY: `$ty<O>` holds the bytes of the `$code` value in byte order `O`, with
            // the standard size of `$code`, and (being a byte array) alignment 1.
            unsafe impl<O: ByteOrder + 'static> Element for $ty<O> {
                const FORMAT: &'static str = Self::FIELD_FORMAT;
                const FORMAT_CSTR: &'static CStr = {
                    let b: &'static FmtBuf<3> = &FmtBuf::new().push(order_char::<O>()).push($code);
                    b.as_cstr()
                };
                const FIELD_FORMAT: &'static str = {
                    let b: &'static FmtBuf<3> = &FmtBuf::new().push(order_char::<O>()).push($code);
                    b.as_str()
                };
            }
            impl_static_item!($ty<O>, O: ByteOrder + 'static);
        )*};
    }

    byteorder_element! {
        U16 => "H"; I16 => "h"; U32 => "I"; I32 => "i"; U64 => "Q"; I64 => "q";
        F32 => "f"; F64 => "d";
    }
}

/// A type with a compile-time shape: one [`Element`] (0-d), an array of them (nested arrays give
/// more dimensions, as in ctypes), or a type deriving [`BufferExport`](crate::BufferExport).
///
/// Every constant is usable in `const` context.
///
/// ```
/// use buffer_runtime::StaticBufferLayout;
///
/// type Grid = [[f32; 3]; 2];
/// assert_eq!(Grid::SHAPE, &[2, 3]);
/// assert_eq!(Grid::STRIDES, &[12, 4]);
/// assert_eq!(Grid::ITEM_FORMAT, "f");
/// assert_eq!((Grid::NDIM, Grid::ITEMSIZE, Grid::ALIGN), (2, 4, 4));
/// const N: usize = Grid::NDIM; // computed at compile time
/// ```
///
/// # Safety
///
/// `Self` is exactly `product(SHAPE)` values of `Item` laid out in C order with `STRIDES`:
/// `size_of::<Self>() == product(SHAPE) * size_of::<Item>()`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no buffer layout",
    label = "`{Self}` cannot be exported as buffer items",
    note = "buffer items are the primitive integers and floats, `bool`, `char`, zerocopy's byte-order types, arrays of items, and types that `#[derive(BufferExport)]`"
)]
pub unsafe trait StaticBufferLayout: Immutable + Sized + 'static {
    /// The item type.
    type Item: Element;
    /// The shape: empty for a single item, `[N]` for `[T; N]`, `[2, 3]` for `[[T; 3]; 2]`.
    const SHAPE: &'static [usize];
    /// The strides in bytes (PEP 3118 strides, not ndarray's element counts), in C order.
    const STRIDES: &'static [isize];
    /// The number of dimensions.
    const NDIM: usize = Self::SHAPE.len();
    /// The item's format (named apart from [`Element::FORMAT`] so that both traits can be in
    /// scope for a derived struct, which implements both).
    const ITEM_FORMAT: &'static str = <Self::Item as Element>::FORMAT;
    /// The item's format with its terminating NUL.
    const ITEM_FORMAT_CSTR: &'static CStr = <Self::Item as Element>::FORMAT_CSTR;
    /// The size of one item in bytes.
    const ITEMSIZE: usize = core::mem::size_of::<Self::Item>();
    /// The alignment of one item in bytes.
    const ALIGN: usize = core::mem::align_of::<Self::Item>();
}

// SAFETY: `[T; N]` is `N` values of `T` with no gap (the Reference, "Array layout"), and each `T`
// is `product(T::SHAPE)` items in C order, so the whole is `N * product(T::SHAPE)` items in C
// order with shape `[N] ++ T::SHAPE`.
unsafe impl<T: StaticBufferLayout, const N: usize> StaticBufferLayout for [T; N] {
    type Item = T::Item;
    const SHAPE: &'static [usize] = {
        let d: &'static DimsBuf<usize> = &DimsBuf::prepend(N, T::SHAPE);
        d.as_slice()
    };
    const STRIDES: &'static [isize] = {
        let d: &'static DimsBuf<isize> =
            &DimsBuf::c_strides(Self::SHAPE, core::mem::size_of::<T::Item>());
        d.as_slice()
    };
}

impl<T: StaticBufferLayout, const N: usize> crate::BufferExport for [T; N] {
    type Item = T::Item;
    fn buffer_layout(&self) -> crate::BufferLayout {
        crate::BufferLayout::of_static::<Self>()
    }
    fn buffer_bytes(&self) -> &[u8] {
        static_bytes(core::slice::from_ref(self))
    }
}

/// A type that may be a field of a derived struct, and the bound for a generic parameter of
/// one: an [`Element`] (a single item), an array of field types (a sub-array: `[[f32; 4]; 4]`
/// is `(4,4)f`), or a `#[repr(transparent)]` newtype that derives
/// [`BufferExport`](crate::BufferExport).
///
/// Bound a parameter `T: Element` to accept single items only, `T: FieldType` to accept arrays
/// too:
///
/// ```
/// use buffer_runtime::{Element, FieldType, StaticBufferLayout};
///
/// #[buffer_runtime::export]
/// #[repr(C)]
/// struct Pair<T: FieldType> {
///     a: T,
///     b: T,
/// }
///
/// let o = if cfg!(target_endian = "little") { "<" } else { ">" };
/// assert_eq!(<Pair<[u16; 2]> as Element>::FORMAT, format!("T{{(2){o}H:a:(2){o}H:b:}}"));
/// assert_eq!(<Pair<u8> as StaticBufferLayout>::ITEMSIZE, 2);
/// ```
///
/// # Safety
///
/// `Self` is `product(SHAPE)` values of `Item` in C order, without gaps:
/// `size_of::<Self>() == product(SUBARRAY_SHAPE) * size_of::<Item>()`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no buffer format",
    label = "`{Self}` cannot be a field of a `#[derive(BufferExport)]` struct",
    note = "fields are the primitive integers and floats, `bool`, `char`, zerocopy's byte-order types, arrays of these, and types that `#[derive(BufferExport)]`"
)]
pub unsafe trait FieldType: Immutable + Sized + 'static {
    /// The item type.
    type Item: Element;
    /// The sub-array shape, empty for a single item (named apart from
    /// [`StaticBufferLayout::SHAPE`] so that both traits can be in scope).
    const SUBARRAY_SHAPE: &'static [usize];
    /// The item's format as a field (a shortcut the generated code uses, so that a field type
    /// without a format fails one bound, `FieldType`, and is reported once).
    const ITEM_FIELD_FORMAT: &'static str = <Self::Item as Element>::FIELD_FORMAT;
}

// SAFETY: one item is a 0-d array of itself.
unsafe impl<T: Element> FieldType for T {
    type Item = T;
    const SUBARRAY_SHAPE: &'static [usize] = &[];
}

// SAFETY: `[T; N]` is `N` values of `T` with no gap (the Reference, "Array layout"), each
// `product(T::SUBARRAY_SHAPE)` items in C order.
unsafe impl<T: FieldType, const N: usize> FieldType for [T; N] {
    type Item = T::Item;
    const SUBARRAY_SHAPE: &'static [usize] = {
        let d: &'static DimsBuf<usize> = &DimsBuf::prepend(N, T::SUBARRAY_SHAPE);
        d.as_slice()
    };
}

/// The bytes of a value with a compile-time layout (an item, an array of items, a derived
/// struct), in place: what zerocopy's `IntoBytes::as_bytes` gives, also for a generic derived
/// struct, which zerocopy cannot derive `IntoBytes` for. A slice's bytes are
/// [`BufferExport::buffer_bytes`](crate::BufferExport::buffer_bytes).
///
/// ```
/// #[buffer_runtime::export]
/// #[repr(C)]
/// struct Stamped<T: buffer_runtime::FieldType> {
///     t: u32,
///     value: T,
/// }
///
/// let s = Stamped { t: 1, value: [2u16, 3] };
/// let bytes = buffer_runtime::bytes_of(&s);
/// assert_eq!(bytes.len(), 8);
/// assert_eq!(bytes[..4], 1u32.to_ne_bytes());
/// assert_eq!(bytes[6..], 3u16.to_ne_bytes());
/// ```
pub fn bytes_of<T: StaticBufferLayout>(value: &T) -> &[u8] {
    static_bytes(core::slice::from_ref(value))
}

/// Evaluates the `FORMAT` of `T`'s item, and with it, for a generic derived item, the check
/// that it has no padding (a compile-time error otherwise): after a call, every byte of a `T`
/// is initialised (`Element`'s contract). Call it where a `T` may be read as, or written into,
/// bytes.
#[inline(always)]
pub(crate) fn assert_initialised<T: StaticBufferLayout>() {
    const { assert!(!<T::Item as Element>::FORMAT.is_empty()) };
}

/// The bytes of `items`, in place.
pub(crate) fn static_bytes<T: StaticBufferLayout>(items: &[T]) -> &[u8] {
    assert_initialised::<T>();
    // `T` is `product(T::SHAPE)` values of `T::Item` without gaps (`StaticBufferLayout`'s contract),
    // each fully initialised once its `FORMAT` is evaluated, as `assert_initialised` did
    // (`Element`'s contract), and `Immutable`: nothing changes them behind the shared borrow.
    let (ptr, len) = (items.as_ptr().cast::<u8>(), core::mem::size_of_val(items));
    // SAFETY: all `len` bytes at `ptr` are initialised (above), in one allocation, and
    // borrowed shared for as long as `items` is.
    unsafe { core::slice::from_raw_parts(ptr, len) }
}

/// The bytes of `items`, writable: any bytes written are valid items (`T: FromBytes`).
pub(crate) fn static_bytes_mut<T: StaticBufferLayout + FromBytes>(items: &mut [T]) -> &mut [u8] {
    assert_initialised::<T>();
    // SAFETY: as in `static_bytes`, every byte is initialised; the borrow is exclusive, so no
    // other access aliases it; and every bit pattern written through it leaves valid values
    // of `T` (`FromBytes`), so no invalid value can be made.
    unsafe {
        core::slice::from_raw_parts_mut(
            items.as_mut_ptr().cast::<u8>(),
            core::mem::size_of_val(items),
        )
    }
}

/// The bytes of `value`, a field type (an item or an array of items).
#[cfg(feature = "alloc")]
pub(crate) fn field_bytes<T: FieldType>(value: &T) -> &[u8] {
    const { assert!(!<T::Item as Element>::FORMAT.is_empty()) };
    // SAFETY: as in `static_bytes`: `T` is `product(SUBARRAY_SHAPE)` items without gaps
    // (`FieldType`'s contract), each fully initialised once its `FORMAT` is evaluated (above),
    // and `Immutable`.
    unsafe {
        core::slice::from_raw_parts((value as *const T).cast::<u8>(), core::mem::size_of::<T>())
    }
}
