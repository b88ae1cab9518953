#[automatically_derived]
#[allow(non_upper_case_globals, non_snake_case, unused_qualifications, clippy::all)]
const _: () = {
    #[allow(dead_code)]
    fn __buffer_assert_fields() {
        ::buffer_runtime::__private::assert_field::<[[Rgb; 640]; 480]>();
    }
    unsafe impl ::buffer_runtime::StaticBufferLayout for Frame
    where
        for<'__buffer> [[Rgb; 640]; 480]: ::buffer_runtime::__private::FieldType,
        for<'__buffer> Self: ::buffer_runtime::__private::zerocopy::IntoBytes
            + ::buffer_runtime::__private::zerocopy::Immutable + 'static,
    {
        type Item = <[[Rgb; 640]; 480] as ::buffer_runtime::__private::FieldType>::Item;
        const SHAPE: &'static [usize] = {
            <[[Rgb; 640]; 480] as ::buffer_runtime::__private::FieldType>::SUBARRAY_SHAPE
        };
        const STRIDES: &'static [isize] = {
            let strides: &'static ::buffer_runtime::__private::DimsBuf<isize> = &::buffer_runtime::__private::DimsBuf::c_strides(
                <[[Rgb; 640]; 480] as ::buffer_runtime::__private::FieldType>::SUBARRAY_SHAPE,
                ::core::mem::size_of::<
                    <[[Rgb; 640]; 480] as ::buffer_runtime::__private::FieldType>::Item,
                >(),
            );
            strides.as_slice()
        };
    }
    unsafe impl ::buffer_runtime::__private::FieldType for Frame
    where
        for<'__buffer> [[Rgb; 640]; 480]: ::buffer_runtime::__private::FieldType,
    {
        type Item = <[[Rgb; 640]; 480] as ::buffer_runtime::__private::FieldType>::Item;
        const SUBARRAY_SHAPE: &'static [usize] = <[[Rgb; 640]; 480] as ::buffer_runtime::__private::FieldType>::SUBARRAY_SHAPE;
    }
    impl ::buffer_runtime::BufferExport for Frame
    where
        for<'__buffer> [[Rgb; 640]; 480]: ::buffer_runtime::__private::FieldType,
        for<'__buffer> Self: ::buffer_runtime::__private::zerocopy::IntoBytes
            + ::buffer_runtime::__private::zerocopy::Immutable + 'static,
    {
        type Item = <[[Rgb; 640]; 480] as ::buffer_runtime::__private::FieldType>::Item;
        fn buffer_layout(&self) -> ::buffer_runtime::BufferLayout {
            ::buffer_runtime::BufferLayout::of_static::<Self>()
        }
        fn buffer_bytes(&self) -> &[u8] {
            ::buffer_runtime::bytes_of(self)
        }
    }
};
