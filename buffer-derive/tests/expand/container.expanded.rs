#[automatically_derived]
#[allow(non_upper_case_globals, non_snake_case, unused_qualifications, clippy::all)]
const _: () = {
    /// Compiles only if the data's item type has a buffer layout; called in a function
    /// spanned at that type, so a type without one is reported there.
    #[allow(dead_code)]
    fn __buffer_assert_item<__T: ::buffer_runtime::StaticBufferLayout>() {}
    #[allow(dead_code)]
    fn __buffer_assert_fields<'a>() {
        __buffer_assert_item::<Rgba>();
    }
    impl<'a> Image<'a>
    where
        for<'__buffer> Rgba: ::buffer_runtime::StaticBufferLayout,
    {
        /// Checks that the shape (and strides) fields agree with the length of the data:
        /// `Err` says how they disagree. `buffer_layout` of a container in that state
        /// describes no valid buffer, so views of it fail.
        #[allow(dead_code)]
        pub fn check_buffer_shape(
            &self,
        ) -> ::core::result::Result<(), ::buffer_runtime::BufferLayoutError> {
            ::buffer_runtime::BufferExport::try_buffer_layout(self).map(|_| ())
        }
    }
    impl<'a> ::buffer_runtime::BufferExport for Image<'a>
    where
        for<'__buffer> Rgba: ::buffer_runtime::StaticBufferLayout,
    {
        type Item = <Rgba as ::buffer_runtime::StaticBufferLayout>::Item;
        fn try_buffer_layout(
            &self,
        ) -> ::core::result::Result<
            ::buffer_runtime::BufferLayout,
            ::buffer_runtime::BufferLayoutError,
        > {
            let __data: &[Rgba] = &self.pixels[..];
            let __shape = [
                <usize as ::core::convert::TryFrom<_>>::try_from(self.height)
                    .map_err(|_| ::buffer_runtime::BufferLayoutError::Overflow)?,
                <usize as ::core::convert::TryFrom<_>>::try_from(self.width)
                    .map_err(|_| ::buffer_runtime::BufferLayoutError::Overflow)?,
            ];
            ::buffer_runtime::BufferLayout::for_items::<
                Rgba,
            >(
                __data.len(),
                &__shape[..],
                ::core::option::Option::Some(
                    &[
                        <isize as ::core::convert::TryFrom<_>>::try_from(self.pitch)
                            .map_err(|_| ::buffer_runtime::BufferLayoutError::Overflow)?,
                        {
                            let n: isize = 4;
                            n
                        },
                    ][..],
                ),
            )
        }
        fn buffer_layout(&self) -> ::buffer_runtime::BufferLayout {
            match ::buffer_runtime::BufferExport::try_buffer_layout(self) {
                ::core::result::Result::Ok(layout) => layout,
                ::core::result::Result::Err(_) => {
                    ::buffer_runtime::BufferLayout::invalid()
                }
            }
        }
        fn buffer_bytes(&self) -> &[u8] {
            <[Rgba] as ::buffer_runtime::BufferExport>::buffer_bytes(&self.pixels[..])
        }
    }
    impl<'a> ::buffer_runtime::BufferExportMut for Image<'a>
    where
        for<'__buffer> Rgba: ::buffer_runtime::StaticBufferLayout
            + ::buffer_runtime::__private::zerocopy::FromBytes,
    {
        fn buffer_bytes_mut(&mut self) -> &mut [u8] {
            <[Rgba] as ::buffer_runtime::BufferExportMut>::buffer_bytes_mut(
                &mut self.pixels[..],
            )
        }
    }
};
