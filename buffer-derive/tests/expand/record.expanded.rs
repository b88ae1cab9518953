#[automatically_derived]
#[allow(non_upper_case_globals, non_snake_case, unused_qualifications, clippy::all)]
const _: () = {
    const _: () = {
        const fn __buffer_needs_into_bytes<
            T: ::buffer_runtime::__private::zerocopy::IntoBytes,
        >() {}
        __buffer_needs_into_bytes::<Trade>()
    };
    const _: () = {
        let gap = ::buffer_runtime::__private::gap(
            ::core::mem::offset_of!(Trade, price),
            0,
        );
        if gap != 0 {
            let msg = ::buffer_runtime::__private::padding_before(gap, "price");
            ::core::panic!("{}", msg.as_str());
        }
    };
    const _: () = {
        let gap = ::buffer_runtime::__private::gap(
            ::core::mem::offset_of!(Trade, qty),
            ::core::mem::offset_of!(Trade, price) + ::core::mem::size_of::<f64>(),
        );
        if gap != 0 {
            let msg = ::buffer_runtime::__private::padding_before(gap, "qty");
            ::core::panic!("{}", msg.as_str());
        }
    };
    const _: () = {
        let gap = ::buffer_runtime::__private::gap(
            ::core::mem::offset_of!(Trade, _pad),
            ::core::mem::offset_of!(Trade, qty) + ::core::mem::size_of::<u32>(),
        );
        if gap != 0 {
            let msg = ::buffer_runtime::__private::padding_before(gap, "_pad");
            ::core::panic!("{}", msg.as_str());
        }
    };
    const _: () = {
        let gap = ::buffer_runtime::__private::gap(
            ::core::mem::offset_of!(Trade, grid),
            ::core::mem::offset_of!(Trade, _pad) + ::core::mem::size_of::<[u8; 4]>(),
        );
        if gap != 0 {
            let msg = ::buffer_runtime::__private::padding_before(gap, "grid");
            ::core::panic!("{}", msg.as_str());
        }
    };
    const _: () = {
        let gap = ::buffer_runtime::__private::gap(
            ::core::mem::size_of::<Trade>(),
            ::core::mem::offset_of!(Trade, grid)
                + ::core::mem::size_of::<[[f32; 2]; 2]>(),
        );
        if gap != 0 {
            let msg = ::buffer_runtime::__private::padding_after(
                gap,
                "grid",
                ::core::mem::align_of::<Trade>(),
            );
            ::core::panic!("{}", msg.as_str());
        }
        if ::core::mem::size_of::<Trade>() == 0 {
            ::core::panic!(
                "`Trade` is zero-sized: a buffer item needs a nonzero size; give it a field that takes bytes"
            );
        }
    };
    const __BUFFER_FIELD_0: &[::buffer_runtime::__private::Piece] = &[
        ::buffer_runtime::__private::Piece::Shape(
            <f64 as ::buffer_runtime::__private::FieldType>::SUBARRAY_SHAPE,
        ),
        ::buffer_runtime::__private::Piece::Text(
            <f64 as ::buffer_runtime::__private::FieldType>::ITEM_FIELD_FORMAT,
        ),
        ::buffer_runtime::__private::Piece::Text(":price:"),
    ];
    const __BUFFER_FIELD_1: &[::buffer_runtime::__private::Piece] = &[
        ::buffer_runtime::__private::Piece::Shape(
            <u32 as ::buffer_runtime::__private::FieldType>::SUBARRAY_SHAPE,
        ),
        ::buffer_runtime::__private::Piece::Text(
            <u32 as ::buffer_runtime::__private::FieldType>::ITEM_FIELD_FORMAT,
        ),
        ::buffer_runtime::__private::Piece::Text(":q:"),
    ];
    const __BUFFER_FIELD_2: &[::buffer_runtime::__private::Piece] = &[
        ::buffer_runtime::__private::Piece::Number(::core::mem::size_of::<[u8; 4]>()),
        ::buffer_runtime::__private::Piece::Text("x"),
    ];
    const __BUFFER_FIELD_3: &[::buffer_runtime::__private::Piece] = &[
        ::buffer_runtime::__private::Piece::Shape(
            <[[f32; 2]; 2] as ::buffer_runtime::__private::FieldType>::SUBARRAY_SHAPE,
        ),
        ::buffer_runtime::__private::Piece::Text(
            <[[f32; 2]; 2] as ::buffer_runtime::__private::FieldType>::ITEM_FIELD_FORMAT,
        ),
        ::buffer_runtime::__private::Piece::Text(":grid:"),
    ];
    const __BUFFER_PIECES: &[&[::buffer_runtime::__private::Piece]] = &[
        &[::buffer_runtime::__private::Piece::Text("T{")],
        __BUFFER_FIELD_0,
        __BUFFER_FIELD_1,
        __BUFFER_FIELD_2,
        __BUFFER_FIELD_3,
        &[::buffer_runtime::__private::Piece::Text("}")],
    ];
    const __BUFFER_FORMAT_LEN: usize = ::buffer_runtime::__private::pieces_len(
        __BUFFER_PIECES,
    );
    const __BUFFER_FORMAT: ::buffer_runtime::__private::FmtBuf<
        { __BUFFER_FORMAT_LEN + 1 },
    > = ::buffer_runtime::__private::pieces_build(__BUFFER_PIECES);
    const __BUFFER_FORMAT_STR: &str = __BUFFER_FORMAT.as_str();
    unsafe impl ::buffer_runtime::Element for Trade {
        const FORMAT: &'static str = __BUFFER_FORMAT_STR;
        const FORMAT_CSTR: &'static ::core::ffi::CStr = __BUFFER_FORMAT.as_cstr();
        const FIELD_FORMAT: &'static str = __BUFFER_FORMAT_STR;
    }
    unsafe impl ::buffer_runtime::StaticBufferLayout for Trade
    where
        for<'__buffer> Self: ::buffer_runtime::__private::zerocopy::IntoBytes
            + ::buffer_runtime::__private::zerocopy::Immutable,
    {
        type Item = Self;
        const SHAPE: &'static [usize] = { &[] };
        const STRIDES: &'static [isize] = { &[] };
        const ITEMSIZE: usize = { ::core::mem::size_of::<Self>() };
    }
    impl ::buffer_runtime::BufferExport for Trade
    where
        for<'__buffer> Self: ::buffer_runtime::__private::zerocopy::IntoBytes
            + ::buffer_runtime::__private::zerocopy::Immutable,
    {
        type Item = Self;
        fn buffer_layout(&self) -> ::buffer_runtime::BufferLayout {
            ::buffer_runtime::BufferLayout::of_static::<Self>()
        }
        fn buffer_bytes(&self) -> &[u8] {
            ::buffer_runtime::bytes_of(self)
        }
    }
};
