#[automatically_derived]
#[allow(non_upper_case_globals, non_snake_case, unused_qualifications, clippy::all)]
const _: () = {
    unsafe impl ::buffer_runtime::Element for Level {
        const FORMAT: &'static str = <u8 as ::buffer_runtime::Element>::FORMAT;
        const FORMAT_CSTR: &'static ::core::ffi::CStr = <u8 as ::buffer_runtime::Element>::FORMAT_CSTR;
        const FIELD_FORMAT: &'static str = <u8 as ::buffer_runtime::Element>::FIELD_FORMAT;
    }
    const _: () = ::core::assert!(
        ::core::mem::size_of:: < Level > () == ::core::mem::size_of:: < u8 > ()
    );
    unsafe impl ::buffer_runtime::StaticBufferLayout for Level {
        type Item = Self;
        const SHAPE: &'static [usize] = { &[] };
        const STRIDES: &'static [isize] = { &[] };
        const ITEMSIZE: usize = { ::core::mem::size_of::<Self>() };
    }
    impl ::buffer_runtime::BufferExport for Level {
        type Item = Self;
        fn buffer_layout(&self) -> ::buffer_runtime::BufferLayout {
            ::buffer_runtime::BufferLayout::of_static::<Self>()
        }
        fn buffer_bytes(&self) -> &[u8] {
            ::buffer_runtime::bytes_of(self)
        }
    }
};
