//! The runtime as a renamed dependency (`br`), with no crate named `buffer_runtime` in scope:
//! code generated with `#[buffer(crate = "br")]` compiles only if every path follows the
//! override.

use br::{BufferExport, Element, StaticBufferLayout};
use zerocopy::{FromBytes, Immutable, IntoBytes};

#[derive(BufferExport, IntoBytes, FromBytes, Immutable, Clone, Copy)]
#[buffer(crate = "br")]
#[repr(C)]
struct Rgb {
    r: u8,
    g: u8,
    #[buffer(rename = "blue")]
    b: u8,
}

#[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
#[buffer(crate = "br")]
#[repr(C)]
struct Point<T: Element> {
    x: T,
    y: T,
}

#[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
#[buffer(crate = "br")]
#[repr(transparent)]
struct Frame([[Rgb; 3]; 2]);

#[derive(BufferExport, IntoBytes, Immutable)]
#[buffer(crate = "br")]
#[repr(u16)]
enum Kind {
    A = 7,
}

#[test]
fn generated_code_follows_the_crate_override() {
    let le = cfg!(target_endian = "little");
    assert_eq!(
        <Rgb as Element>::FORMAT,
        if le {
            "T{<B:r:<B:g:<B:blue:}"
        } else {
            "T{>B:r:>B:g:>B:blue:}"
        }
    );
    assert_eq!(
        <Point<i32> as Element>::FORMAT,
        if le { "T{<i:x:<i:y:}" } else { "T{>i:x:>i:y:}" }
    );
    assert_eq!(<Frame as StaticBufferLayout>::SHAPE, &[2, 3]);
    assert_eq!(<Kind as Element>::FORMAT, "H");
    assert_eq!(Kind::A.buffer_bytes(), 7u16.to_ne_bytes());
}

/// A container under the renamed runtime.
#[derive(BufferExport)]
#[buffer(container, crate = "br")]
struct Pixels {
    width: usize,
    #[buffer(data, shape = [2, width])]
    px: Vec<Rgb>,
}

#[test]
fn renamed_container() {
    let p = Pixels {
        width: 3,
        px: vec![Rgb { r: 0, g: 0, b: 0 }; 6],
    };
    assert_eq!(&*p.buffer_layout().shape, &[2, 3]);
    assert!(p.check_buffer_shape().is_ok());
}

/// The one-line form under the renamed name: every derive it adds follows `crate`.
#[br::export(crate = "br")]
#[repr(C)]
struct Sample {
    t: f64,
    v: [u16; 4],
}

#[test]
fn export_follows_the_crate_override() {
    let le = cfg!(target_endian = "little");
    assert_eq!(
        Sample::FORMAT,
        if le {
            "T{<d:t:(4)<H:v:}"
        } else {
            "T{>d:t:(4)>H:v:}"
        }
    );
    let mut samples = vec![Sample { t: 0.0, v: [0; 4] }];
    br::BufferExportMut::buffer_bytes_mut(&mut samples)[8] = 1;
    assert_eq!(samples[0].v[0], if le { 1 } else { 256 });
}
