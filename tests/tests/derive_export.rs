//! `#[buffer_runtime::export]`: the one-line form gives the same metadata as the five derives,
//! and its zerocopy impls come through the runtime's re-export.

use buffer_runtime::{BufferExport, BufferExportMut, Element, StaticBufferLayout};

#[buffer_runtime::export(known_layout)]
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
struct Rgb {
    r: u8,
    g: u8,
    #[buffer(rename = "blue")]
    b: u8,
}

#[buffer_runtime::export]
#[repr(C)]
struct Point<T: Element> {
    x: T,
    y: T,
}

#[buffer_runtime::export]
#[repr(transparent)]
struct Frame([[Rgb; 3]; 2]);

#[buffer_runtime::export]
#[repr(u16)]
#[derive(Clone, Copy)]
enum Kind {
    A = 7,
}

#[buffer_runtime::export(read_only)]
#[repr(C)]
struct Flags {
    on: [bool; 2],
}

#[buffer_runtime::export]
#[buffer(container)]
struct Image {
    width: usize,
    height: usize,
    #[buffer(data, shape = [height, width])]
    pixels: Vec<Rgb>,
}

#[test]
fn metadata_matches_the_derive_form() {
    let o = if cfg!(target_endian = "little") {
        "<"
    } else {
        ">"
    };
    assert_eq!(Rgb::FORMAT, format!("T{{{o}B:r:{o}B:g:{o}B:blue:}}"));
    assert_eq!(
        <Point<u16> as Element>::FORMAT,
        format!("T{{{o}H:x:{o}H:y:}}")
    );
    assert_eq!(<Frame as StaticBufferLayout>::SHAPE, &[2, 3]);
    assert_eq!(<Kind as Element>::FORMAT, "H");
    assert_eq!(<Flags as Element>::FORMAT, format!("T{{(2){o}?:on:}}"));
    let kinds = [Kind::A; 2];
    assert_eq!(kinds.buffer_bytes().len(), 4);
    let flags = Flags { on: [true, false] };
    assert_eq!(flags.buffer_bytes(), &[1, 0]);
}

#[test]
fn the_zerocopy_traits_are_derived_through_the_reexport() {
    use buffer_runtime::zerocopy::{FromBytes, FromZeros, IntoBytes, KnownLayout};
    fn known_layout<T: KnownLayout + ?Sized>() {}
    known_layout::<Rgb>();
    let rgb = Rgb::read_from_bytes(&[1, 2, 3]).unwrap();
    assert_eq!(rgb, Rgb { r: 1, g: 2, b: 3 });
    assert_eq!(rgb.as_bytes(), &[1, 2, 3]);
    assert_eq!(Point::<u32>::new_zeroed().x, 0);
}

/// `KnownLayout` only when asked for (`Rgb` asks): the runtime does not need it.
#[test]
fn known_layout_only_when_asked() {
    struct Probe<T>(T);
    trait NotKnown {
        const KNOWN: bool = false;
    }
    impl<T> NotKnown for Probe<T> {}
    impl<T: buffer_runtime::zerocopy::KnownLayout> Probe<T> {
        const KNOWN: bool = true;
    }
    // Compared at run time: both sides are constants, the point is which impl is picked.
    let known = [Probe::<Rgb>::KNOWN, Probe::<Point<u8>>::KNOWN];
    assert_eq!(known, [true, false]);
}

#[test]
fn exports_are_writable_unless_read_only() {
    let mut pixels = vec![Rgb { r: 0, g: 0, b: 0 }; 2];
    pixels.buffer_bytes_mut()[4] = 9;
    assert_eq!(pixels[1], Rgb { r: 0, g: 9, b: 0 });
    let mut img = Image {
        width: 2,
        height: 1,
        pixels,
    };
    assert_eq!(&*img.buffer_layout().shape, &[1, 2]);
    img.buffer_bytes_mut()[0] = 5;
    assert_eq!(img.pixels[0].r, 5);
}

/// A generic parameter bounded `T: FieldType` takes arrays: `Pair<[u16; 2]>` has sub-array
/// fields.
#[buffer_runtime::export]
#[repr(C)]
#[derive(Clone)]
struct Pair<T: buffer_runtime::FieldType> {
    a: T,
    b: T,
}

#[test]
fn arrays_as_generic_arguments() {
    let o = if cfg!(target_endian = "little") {
        "<"
    } else {
        ">"
    };
    assert_eq!(
        <Pair<[u16; 2]> as Element>::FORMAT,
        format!("T{{(2){o}H:a:(2){o}H:b:}}")
    );
    assert_eq!(
        <Pair<[[u8; 3]; 2]> as Element>::FORMAT,
        format!("T{{(2,3){o}B:a:(2,3){o}B:b:}}")
    );
    assert_eq!(<Pair<Rgb> as StaticBufferLayout>::ITEMSIZE, 6);
    let pairs = vec![
        Pair {
            a: [1u16, 2],
            b: [3, 4]
        };
        2
    ];
    assert_eq!(&*pairs.buffer_layout().shape, &[2]);
    assert_eq!(pairs.buffer_bytes().len(), 16);
}
