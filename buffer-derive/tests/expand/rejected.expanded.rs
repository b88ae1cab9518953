::core::compile_error! {
    "the field name \"a:b\" contains `:`, which would end or break the `:name:` in the format: use ASCII letters, digits and `_`, e.g. `#[buffer(rename = \"px\")]`"
}
#[automatically_derived]
const _: () = {
    unsafe impl ::buffer_runtime::Element for Sample
    where
        for<'__buffer> Sample: ::buffer_runtime::__private::zerocopy::Immutable,
    {
        const FORMAT: &'static str = "";
        const FORMAT_CSTR: &'static ::core::ffi::CStr = c"";
        const FIELD_FORMAT: &'static str = "";
    }
    unsafe impl ::buffer_runtime::StaticBufferLayout for Sample
    where
        for<'__buffer> Sample: ::buffer_runtime::__private::zerocopy::Immutable,
    {
        type Item = Self;
        const SHAPE: &'static [usize] = &[];
        const STRIDES: &'static [isize] = &[];
    }
    impl ::buffer_runtime::BufferExport for Sample
    where
        for<'__buffer> Sample: ::buffer_runtime::__private::zerocopy::Immutable,
    {
        type Item = Self;
        fn buffer_layout(&self) -> ::buffer_runtime::BufferLayout {
            ::core::unreachable!()
        }
        fn buffer_bytes(&self) -> &[u8] {
            ::core::unreachable!()
        }
    }
};
