#[automatically_derived]
#[allow(non_upper_case_globals, non_snake_case, unused_qualifications, clippy::all)]
const _: () = {
    #[allow(dead_code)]
    fn __buffer_assert_fields<T: Element, const N: usize>() {
        ::buffer_runtime::__private::assert_element::<T>();
    }
    trait __BufferLayout {
        /// Fails to evaluate, naming the field, if the layout has implicit padding.
        const CHECK: ();
        const FORMAT: ::buffer_runtime::__private::FmtBuf<
            { ::buffer_runtime::__private::GENERIC_FORMAT_CAPACITY },
        >;
    }
    impl<T: Element, const N: usize> __BufferLayout for Samples<T, N>
    where
        for<'__buffer> [T; N]: ::buffer_runtime::__private::FieldType,
        Self: ::buffer_runtime::__private::zerocopy::Immutable + 'static,
    {
        const CHECK: () = {
            let gap = ::buffer_runtime::__private::gap(
                ::core::mem::offset_of!(Self, data),
                0,
            );
            if gap != 0 {
                let msg = ::buffer_runtime::__private::padding_before(gap, "data");
                ::core::panic!("{}", msg.as_str());
            }
            let gap = ::buffer_runtime::__private::gap(
                ::core::mem::size_of::<Self>(),
                ::core::mem::offset_of!(Self, data) + ::core::mem::size_of::<[T; N]>(),
            );
            if gap != 0 {
                let msg = ::buffer_runtime::__private::padding_after(
                    gap,
                    "data",
                    ::core::mem::align_of::<Self>(),
                );
                ::core::panic!("{}", msg.as_str());
            }
            if ::core::mem::size_of::<Self>() == 0 {
                ::core::panic!(
                    "`Samples` is zero-sized: a buffer item needs a nonzero size; give it a field that takes bytes"
                );
            }
        };
        const FORMAT: ::buffer_runtime::__private::FmtBuf<
            { ::buffer_runtime::__private::GENERIC_FORMAT_CAPACITY },
        > = ::buffer_runtime::__private::pieces_build(
            &[
                &[::buffer_runtime::__private::Piece::Text("T{")],
                &[
                    ::buffer_runtime::__private::Piece::Shape(
                        <[T; N] as ::buffer_runtime::__private::FieldType>::SUBARRAY_SHAPE,
                    ),
                    ::buffer_runtime::__private::Piece::Text(
                        <[T; N] as ::buffer_runtime::__private::FieldType>::ITEM_FIELD_FORMAT,
                    ),
                    ::buffer_runtime::__private::Piece::Text(":data:"),
                ],
                &[::buffer_runtime::__private::Piece::Text("}")],
            ],
        );
    }
    unsafe impl<T: Element, const N: usize> ::buffer_runtime::Element for Samples<T, N>
    where
        for<'__buffer> [T; N]: ::buffer_runtime::__private::FieldType,
        Self: ::buffer_runtime::__private::zerocopy::Immutable + 'static,
    {
        const FORMAT: &'static str = {
            let () = <Self as __BufferLayout>::CHECK;
            let buf: &'static ::buffer_runtime::__private::FmtBuf<
                { ::buffer_runtime::__private::GENERIC_FORMAT_CAPACITY },
            > = &<Self as __BufferLayout>::FORMAT;
            buf.as_str()
        };
        const FORMAT_CSTR: &'static ::core::ffi::CStr = {
            let () = <Self as __BufferLayout>::CHECK;
            let buf: &'static ::buffer_runtime::__private::FmtBuf<
                { ::buffer_runtime::__private::GENERIC_FORMAT_CAPACITY },
            > = &<Self as __BufferLayout>::FORMAT;
            buf.as_cstr()
        };
        const FIELD_FORMAT: &'static str = <Self as ::buffer_runtime::Element>::FORMAT;
    }
    unsafe impl<T: Element, const N: usize> ::buffer_runtime::StaticBufferLayout
    for Samples<T, N>
    where
        for<'__buffer> [T; N]: ::buffer_runtime::__private::FieldType,
        Self: ::buffer_runtime::__private::zerocopy::Immutable + 'static,
    {
        type Item = Self;
        const SHAPE: &'static [usize] = {
            let () = <Self as __BufferLayout>::CHECK;
            &[]
        };
        const STRIDES: &'static [isize] = {
            let () = <Self as __BufferLayout>::CHECK;
            &[]
        };
        const ITEMSIZE: usize = {
            let () = <Self as __BufferLayout>::CHECK;
            ::core::mem::size_of::<Self>()
        };
    }
    impl<T: Element, const N: usize> ::buffer_runtime::BufferExport for Samples<T, N>
    where
        for<'__buffer> [T; N]: ::buffer_runtime::__private::FieldType,
        Self: ::buffer_runtime::__private::zerocopy::Immutable + 'static,
    {
        type Item = Self;
        fn buffer_layout(&self) -> ::buffer_runtime::BufferLayout {
            let () = <Self as __BufferLayout>::CHECK;
            ::buffer_runtime::BufferLayout::of_static::<Self>()
        }
        fn buffer_bytes(&self) -> &[u8] {
            let () = <Self as __BufferLayout>::CHECK;
            ::buffer_runtime::bytes_of(self)
        }
    }
};
