//! Floats by hand: IEEE binary16 (`e`) and x87 80-bit extended (`g` on x86), both ways,
//! rounding to nearest even.

/// Decodes IEEE 754 binary16 bits.
pub(crate) fn f16_to_f64(h: u16) -> f64 {
    let sign = if h & 0x8000 != 0 { -1.0 } else { 1.0 };
    let exp = (h >> 10) & 0x1f;
    let mant = f64::from(h & 0x3ff);
    match exp {
        0 => sign * mant * (1.0 / 16_777_216.0), // 2^-24
        0x1f if mant == 0.0 => sign * f64::INFINITY,
        0x1f => {
            // Keep the sign and payload in an f64 NaN.
            let bits = (u64::from(h & 0x8000) << 48)
                | 0x7ff8_0000_0000_0000
                | (u64::from(h & 0x1ff) << 42);
            f64::from_bits(bits)
        }
        _ => sign * ldexp(1.0 + mant / 1024.0, i32::from(exp) - 15),
    }
}

/// Encodes binary16 bits, rounding half to even; `None` when the value is too large (as
/// CPython's `PyFloat_Pack2` raises OverflowError).
pub(crate) fn f64_to_f16(x: f64) -> Option<u16> {
    let sign: u16 = if x.is_sign_negative() { 0x8000 } else { 0 };
    if x.is_nan() {
        return Some(sign | 0x7e00);
    }
    if x.is_infinite() {
        return Some(sign | 0x7c00);
    }
    let bits = x.abs().to_bits();
    let biased = (bits >> 52) as i32;
    if biased == 0 {
        return Some(sign); // zero or an f64 subnormal: far below half's range
    }
    let exp = biased - 1023;
    let mant = (bits & ((1u64 << 52) - 1)) | (1u64 << 52); // value = mant * 2^(exp-52)
                                                           // The quantum of the result: 2^(exp-10) for normal halves, 2^-24 for subnormal ones.
    let q = if exp >= -14 { exp - 10 } else { -24 };
    let shift = (q - (exp - 52)) as u32;
    let m = if shift >= 64 {
        0
    } else {
        let m = mant >> shift;
        let rem = mant & ((1u64 << shift) - 1);
        let half = 1u64 << (shift - 1);
        if rem > half || (rem == half && m & 1 == 1) {
            m + 1
        } else {
            m
        }
    };
    if exp >= -14 {
        let (m, exp) = if m == 2048 { (1024, exp + 1) } else { (m, exp) };
        let e = exp + 15;
        if e >= 31 {
            return None;
        }
        Some(sign | ((e as u16) << 10) | (m as u16 - 1024))
    } else {
        // m <= 1024; 1024 is the smallest normal, whose bits are exactly 0x400.
        Some(sign | m as u16)
    }
}

/// x * 2^k, scaling in steps so that no intermediate factor over- or underflows.
fn ldexp(mut x: f64, mut k: i32) -> f64 {
    let up = f64::from_bits((1000 + 1023) << 52); // 2^1000
    let down = f64::from_bits((1023 - 1000) << 52); // 2^-1000
    while k > 1000 {
        x *= up;
        k -= 1000;
    }
    while k < -1000 {
        x *= down;
        k += 1000;
    }
    x * f64::from_bits(((k + 1023) as u64) << 52)
}

/// Decodes an x87 80-bit extended value (little-endian, 10 bytes) to the nearest f64.
pub(crate) fn x87_to_f64(b: &[u8; 10]) -> f64 {
    let mut m = [0u8; 8];
    m.copy_from_slice(&b[..8]);
    let mant = u64::from_le_bytes(m);
    let se = u16::from_le_bytes([b[8], b[9]]);
    let sign = if se & 0x8000 != 0 { -1.0 } else { 1.0 };
    let exp = i32::from(se & 0x7fff);
    if exp == 0x7fff {
        return if mant << 1 == 0 {
            sign * f64::INFINITY
        } else {
            f64::NAN.copysign(sign)
        };
    }
    if mant == 0 {
        return sign * 0.0;
    }
    // value = mant * 2^(exp - 16383 - 63) (denormals use exponent 1 - 16383).
    let e = if exp == 0 { 1 } else { exp } - 16383 - 63;
    // Round the 64-bit mantissa to 53 bits once, then scale (exact unless the result is
    // subnormal or overflows in f64).
    let lz = mant.leading_zeros();
    let norm = mant << lz;
    let e = e - lz as i32;
    let top = norm >> 11;
    let rem = norm & 0x7ff;
    let top = if rem > 0x400 || (rem == 0x400 && top & 1 == 1) {
        top + 1
    } else {
        top
    };
    sign * ldexp(top as f64, e + 11)
}

/// Encodes an f64 as an x87 80-bit extended value (exact).
pub(crate) fn f64_to_x87(x: f64) -> [u8; 10] {
    let bits = x.to_bits();
    let sign = ((bits >> 63) as u16) << 15;
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1u64 << 52) - 1);
    let (se, mant) = if biased == 0x7ff {
        let m = if frac == 0 {
            1u64 << 63
        } else {
            (3u64 << 62) | (frac << 11)
        };
        (sign | 0x7fff, m)
    } else if biased == 0 && frac == 0 {
        (sign, 0)
    } else if biased == 0 {
        let lz = frac.leading_zeros(); // frac = value * 2^1074
        let m = frac << lz;
        let e = 63 - lz as i32 - 1074 + 16383;
        (sign | e as u16, m)
    } else {
        let m = (1u64 << 63) | (frac << 11);
        (sign | (biased - 1023 + 16383) as u16, m)
    };
    let mut out = [0u8; 10];
    out[..8].copy_from_slice(&mant.to_le_bytes());
    out[8..].copy_from_slice(&se.to_le_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_known_values() {
        for (bits, x) in [
            (0x0000u16, 0.0f64),
            (0x3c00, 1.0),
            (0xc000, -2.0),
            (0x7bff, 65504.0),
            (0x0001, 5.960464477539063e-8),
            (0x0400, 6.103515625e-5),
            (0x3555, 0.333251953125),
            (0x7c00, f64::INFINITY),
        ] {
            assert_eq!(f16_to_f64(bits), x, "{bits:x}");
            assert_eq!(f64_to_f16(x), Some(bits), "{x}");
        }
        assert!(f16_to_f64(0x7e00).is_nan());
        assert_eq!(f64_to_f16(65519.99), Some(0x7bff));
        assert_eq!(f64_to_f16(65520.0), None); // rounds up past the largest half
        assert_eq!(f64_to_f16(1e10), None);
        assert_eq!(f64_to_f16(-0.0), Some(0x8000));
        assert_eq!(f64_to_f16(2.9802322387695312e-8), Some(0)); // exactly half the tiniest: even
        assert_eq!(f64_to_f16(2.9802322387695313e-8 * 1.0000001), Some(1));
        assert_eq!(f64_to_f16(1e-300), Some(0));
        // 1 + 2^-11 is a tie between 1.0 and 1 + 2^-10: rounds to even (1.0).
        assert_eq!(f64_to_f16(1.0 + 1.0 / 2048.0), Some(0x3c00));
        assert_eq!(f64_to_f16(1.0 + 3.0 / 2048.0), Some(0x3c02));
    }

    #[test]
    fn half_every_bit_pattern_round_trips() {
        for h in 0..=u16::MAX {
            let x = f16_to_f64(h);
            if x.is_nan() {
                continue;
            }
            assert_eq!(f64_to_f16(x), Some(h), "{h:#x}");
        }
    }

    #[test]
    fn x87_round_trip() {
        for x in [
            0.0,
            -0.0,
            1.0,
            -1.5,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            1e-310,
            core::f64::consts::PI,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            let b = f64_to_x87(x);
            let y = x87_to_f64(&b);
            assert_eq!(y.to_bits(), x.to_bits(), "{x}");
        }
        assert!(x87_to_f64(&f64_to_x87(f64::NAN)).is_nan());
        // 1.0 in x87: mantissa 0x8000000000000000, exponent 0x3fff.
        assert_eq!(f64_to_x87(1.0), [0, 0, 0, 0, 0, 0, 0, 0x80, 0xff, 0x3f]);
    }
}
