use buffer_runtime::{BufferExport, Element};
use zerocopy::{FromBytes, Immutable, IntoBytes};

/// `text` with `<` replaced by this host's byte-order character.
const fn host(le: &'static str, be: &'static str) -> &'static str {
    if cfg!(target_endian = "little") { le } else { be }
}

const fn eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

#[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
#[repr(C)]
struct Vec3 {
    x: f32,
    y: f32,
    z: f32,
}

#[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
#[repr(C)]
struct Particle {
    pos: Vec3,
    vel: Vec3,
    mass: f32,
}

const _: () = assert!(eq(
    <Particle as Element>::FORMAT,
    host(
        "T{T{<f:x:<f:y:<f:z:}:pos:T{<f:x:<f:y:<f:z:}:vel:<f:mass:}",
        "T{T{>f:x:>f:y:>f:z:}:pos:T{>f:x:>f:y:>f:z:}:vel:>f:mass:}"
    )
));

fn main() {}
