// Generated code names everything by absolute path: it compiles without the prelude.
#![no_implicit_prelude]

extern crate buffer_runtime;
extern crate core;
extern crate zerocopy;

#[derive(buffer_runtime::BufferExport, zerocopy::IntoBytes, zerocopy::FromBytes, zerocopy::Immutable)]
#[repr(C)]
struct Sample {
    a: u32,
    #[buffer(padding)]
    _pad: [u8; 4],
    b: [[f64; 2]; 2],
}

#[derive(buffer_runtime::BufferExport, zerocopy::IntoBytes, zerocopy::FromBytes, zerocopy::Immutable)]
#[repr(C)]
struct Generic<T: buffer_runtime::Element, const N: usize> {
    v: [T; N],
}

#[derive(buffer_runtime::BufferExport, zerocopy::IntoBytes, zerocopy::Immutable)]
#[repr(transparent)]
struct Wrap([Sample; 2]);

#[derive(buffer_runtime::BufferExport, zerocopy::IntoBytes, zerocopy::Immutable)]
#[repr(u8)]
enum E {
    A,
}

fn main() {
    let _ = <Sample as buffer_runtime::Element>::FORMAT;
    let _ = <Generic<u8, 2> as buffer_runtime::Element>::FORMAT;
    let _ = <Wrap as buffer_runtime::StaticBufferLayout>::SHAPE;
    let _ = <E as buffer_runtime::Element>::FORMAT;
}
