//! Tests of the item codec: values, their repr, the float conversions, unpack and pack.

use super::*;
use crate::format::parse;
use crate::ErrorKind;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;

fn layout(s: &str) -> ItemLayout {
    parse(s).unwrap().layout().unwrap()
}

fn roundtrip(fmt: &str, v: Value) {
    let l = layout(fmt);
    let mut buf = vec![0u8; l.size()];
    pack(&l, &v, &mut buf).unwrap();
    assert_eq!(unpack(&l, &buf).unwrap(), v, "{fmt}");
}

#[test]
fn integers_every_size_and_order() {
    roundtrip("b", Value::Int(-128));
    roundtrip("B", Value::UInt(255));
    roundtrip(">h", Value::Int(-2));
    roundtrip("<H", Value::UInt(65535));
    roundtrip("!i", Value::Int(i64::from(i32::MIN)));
    roundtrip("=I", Value::UInt(u64::from(u32::MAX)));
    roundtrip("q", Value::Int(i64::MIN));
    roundtrip(">Q", Value::UInt(u64::MAX));
    roundtrip("n", Value::Int(-1));
    roundtrip("N", Value::UInt(usize::MAX as u64));
    let l = layout(">i");
    assert_eq!(
        unpack(&l, &[0xff, 0xff, 0xff, 0xfe]).unwrap(),
        Value::Int(-2)
    );
    let l = layout("<I");
    assert_eq!(unpack(&l, &[1, 2, 3, 4]).unwrap(), Value::UInt(0x04030201));
}

#[test]
fn other_scalars() {
    roundtrip("?", Value::Bool(true));
    roundtrip("e", Value::Float(-0.5));
    roundtrip(">f", Value::Float(1.25));
    roundtrip("d", Value::Float(f64::MIN_POSITIVE));
    roundtrip("g", Value::Float(1e300));
    roundtrip(">Zf", Value::Complex(1.5, -2.0));
    roundtrip("Zd", Value::Complex(0.1, 0.2));
    roundtrip("c", Value::Bytes(b"z".to_vec()));
    roundtrip("3s", Value::Bytes(b"a\0b".to_vec()));
    roundtrip("0s", Value::Bytes(vec![]));
    roundtrip("5p", Value::Bytes(b"abc".to_vec()));
    roundtrip("3w", Value::Str("aé😀".into()));
    roundtrip(">4u", Value::Str("a😀".into()));
    // numpy's reading of `U` data: trailing NULs are width, inner ones are text; `s`
    // keeps them all, as CPython's struct.unpack('3s', b'xy\x00') == (b'xy\x00',).
    let text = |fmt: &str, b: &[u8]| unpack(&layout(fmt), b).unwrap();
    assert_eq!(
        text("<3w", b"x\0\0\0y\0\0\0\0\0\0\0"),
        Value::Str("xy".into())
    );
    assert_eq!(
        text("<3w", b"x\0\0\0\0\0\0\0y\0\0\0"),
        Value::Str("x\0y".into())
    );
    assert_eq!(text("<3u", b"x\0y\0\0\0"), Value::Str("xy".into()));
    assert_eq!(text("<w", b"\0\0\0\0"), Value::Str("".into()));
    assert_eq!(text("3s", b"xy\0"), Value::Bytes(b"xy\0".to_vec()));
    roundtrip("P", Value::Pointer(0xdead_beef));
    roundtrip("&i", Value::Pointer(8));
    roundtrip("O", Value::Object(16));
    let l = layout("?");
    assert_eq!(unpack(&l, &[2]).unwrap(), Value::Bool(true));
    let l = layout("4p");
    assert_eq!(
        unpack(&l, &[9, b'a', b'b', b'c']).unwrap(),
        Value::Bytes(b"abc".to_vec())
    );
}

#[test]
fn unpacked_fields_share_the_layouts_names() {
    let l = layout("(2)T{<H:a: <H <H:c:}");
    let Value::Array(items) = unpack(&l, &[1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0]).unwrap() else {
        panic!("an array");
    };
    let (Value::Struct(x), Value::Struct(y)) = (&items[0], &items[1]) else {
        panic!("structs");
    };
    let (Some(nx), Some(ny)) = (&x.names, &y.names) else {
        panic!("named");
    };
    assert!(Arc::ptr_eq(nx, ny));
    assert_eq!(
        x.iter().map(|(n, _)| n).collect::<Vec<_>>(),
        [Some("a"), None, Some("c")]
    );
    // Equal to the same fields built by hand (another table), and unequal when a name
    // or a value differs.
    let by_hand = |b: &str, c: u64| {
        Value::Struct(Fields::from(vec![
            (Some("a".into()), Value::UInt(4)),
            (None, Value::UInt(5)),
            (Some(b.into()), Value::UInt(c)),
        ]))
    };
    assert_eq!(items[1], by_hand("c", 6));
    assert_ne!(items[1], by_hand("b", 6));
    assert_ne!(items[1], by_hand("c", 7));
    assert_ne!(
        items[1],
        Value::Struct(Fields::unnamed(vec![
            Value::UInt(4),
            Value::UInt(5),
            Value::UInt(6)
        ]))
    );
    // No table at all without names; all-None pairs make none either.
    let Value::Struct(u) = unpack(&layout("T{BB}"), &[1, 2]).unwrap() else {
        panic!("a struct");
    };
    assert!(u.names.is_none());
    assert_eq!(
        u,
        Fields::from(vec![(None, Value::UInt(1)), (None, Value::UInt(2))])
    );
    assert_eq!(format!("{u:?}"), "[(None, UInt(1)), (None, UInt(2))]");
    // Debug and Display as when Value::Struct held a Vec of (Option<String>, Value).
    let v = Value::Struct(Fields::from(vec![
        (Some("x".into()), Value::Int(1)),
        (None, Value::Float(0.5)),
    ]));
    assert_eq!(
        format!("{v:?}"),
        r#"Struct([(Some("x"), Int(1)), (None, Float(0.5))])"#
    );
    assert_eq!(v.to_string(), "{x: 1, 0.5}");
}

#[test]
fn errors_inside_fields_and_elements_are_reported() {
    let bad = 0x11_0000u32.to_le_bytes();
    let worse = 0x11_0001u32.to_le_bytes();
    let msg = |fmt: &str, b: &[u8]| {
        let e = unpack(&layout(fmt), b).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotImplementedError);
        e.message().to_string()
    };
    // The first error, whichever field or element follows it.
    let both: Vec<u8> = [&[7][..], &bad, &worse].concat();
    assert_eq!(
        msg("T{B:a: <w:b: <w:c:}", &both),
        "format 'w': 0x110000 is not a Unicode code point"
    );
    assert_eq!(
        msg("T{B:a: (2)<w:b:}", &both),
        "format 'w': 0x110000 is not a Unicode code point"
    );
    assert_eq!(
        msg("(3)T{B t}", &[0; 6]),
        "format 't': bit fields are not supported"
    );
    // Valid elements next to them still unpack alone.
    let l = layout("T{B:a: <w:b:}");
    let ok: Vec<u8> = [&[7][..], &0x41u32.to_le_bytes()].concat();
    assert_eq!(unpack(&l, &ok).unwrap().to_string(), "{a: 7, b: 'A'}");
}

#[test]
fn value_stays_four_words() {
    // A sub-array of a million structs is a million of these: Fields is a pointer to
    // the shared names and a boxed slice, no larger than a Vec.
    assert!(core::mem::size_of::<Value>() <= 4 * core::mem::size_of::<usize>());
}

#[test]
fn structs_and_arrays() {
    roundtrip(
        "T{(2,2)<h:m: ?:ok: T{c:a:}:inner:}",
        Value::Struct(
            vec![
                (
                    Some("m".into()),
                    Value::Array(vec![
                        Value::Array(vec![Value::Int(1), Value::Int(2)]),
                        Value::Array(vec![Value::Int(3), Value::Int(4)]),
                    ]),
                ),
                (Some("ok".into()), Value::Bool(false)),
                (
                    Some("inner".into()),
                    Value::Struct(vec![(Some("a".into()), Value::Bytes(b"q".to_vec()))].into()),
                ),
            ]
            .into(),
        ),
    );
    roundtrip(
        "3i",
        Value::Array(vec![Value::Int(1), Value::Int(2), Value::Int(3)]),
    );
    roundtrip(
        "ic",
        Value::Struct(Fields::unnamed(vec![
            Value::Int(7),
            Value::Bytes(b"x".to_vec()),
        ])),
    );
    let l = layout("(2)T{B:a:B:b:}");
    let v = unpack(&l, &[1, 2, 3, 4]).unwrap();
    assert_eq!(v.to_string(), "[{a: 1, b: 2}, {a: 3, b: 4}]");
}

#[test]
fn empty_shapes_with_huge_dimensions() {
    let l = layout("(0,4294967296,4294967296)i");
    assert_eq!(unpack(&l, &[]).unwrap(), Value::Array(vec![]));
    pack(&l, &Value::Array(vec![]), &mut []).unwrap();
    assert_eq!(l.leaves().count(), 0);
}

#[test]
fn zero_size_sub_arrays() {
    let l = layout("(3)T{}");
    assert_eq!(
        unpack(&l, &[]).unwrap(),
        Value::Array(vec![Value::Struct(Fields::default()); 3])
    );
    let e = unpack(&layout("(9223372036854775807)0s"), &[]).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotImplementedError);
}

#[test]
fn padding_is_zeroed_and_failures_write_nothing() {
    let l = layout("T{B:a:3xB:b:}");
    let mut out = [9u8; 5];
    pack(
        &l,
        &Value::Array(vec![Value::UInt(1), Value::UInt(2)]),
        &mut out,
    )
    .unwrap();
    assert_eq!(out, [1, 0, 0, 0, 2]);
    let mut out = [9u8; 5];
    assert!(pack(
        &l,
        &Value::Array(vec![Value::UInt(1), Value::UInt(256)]),
        &mut out
    )
    .is_err());
    assert_eq!(out, [9; 5]);
}

fn pack_err(fmt: &str, v: Value) -> (crate::ErrorKind, String) {
    let l = layout(fmt);
    let mut out = vec![0u8; l.size()];
    let e = pack(&l, &v, &mut out).unwrap_err();
    (e.kind(), e.to_string())
}

#[test]
fn cpython_messages() {
    use crate::ErrorKind as K;
    let mv = |c: &str, what: &str| format!("memoryview: invalid {what} for format '{c}'");
    assert_eq!(
        pack_err("h", Value::Int(70000)),
        (K::ValueError, mv("h", "value"))
    );
    assert_eq!(
        pack_err("@B", Value::Int(-1)),
        (K::ValueError, mv("B", "value"))
    );
    assert_eq!(
        pack_err("B", Value::Str("x".into())),
        (K::TypeError, mv("B", "type"))
    );
    assert_eq!(
        pack_err("b", Value::Float(1.5)),
        (K::TypeError, mv("b", "type"))
    );
    assert_eq!(
        pack_err("c", Value::Bytes(b"ab".to_vec())),
        (K::ValueError, mv("c", "value"))
    );
    assert_eq!(
        pack_err("c", Value::Int(1)),
        (K::TypeError, mv("c", "type"))
    );
    assert_eq!(
        pack_err("d", Value::Str("x".into())),
        (K::TypeError, mv("d", "type"))
    );
    assert_eq!(
        pack_err("Q", Value::Int(-1)),
        (K::ValueError, mv("Q", "value"))
    );
    assert_eq!(
        pack_err("P", Value::Float(1.0)),
        (K::TypeError, mv("P", "type"))
    );
    assert_eq!(
        pack_err("e", Value::Float(1e10)),
        (
            K::OverflowError,
            "float too large to pack with e format".into()
        )
    );
    // struct.pack's messages for everything else.
    assert_eq!(
        pack_err("T{h}", Value::Array(vec![Value::Int(70000)])),
        (
            K::ValueError,
            "short format requires -32768 <= number <= 32767".into()
        )
    );
    assert_eq!(
        pack_err("<B", Value::Int(-1)),
        (
            K::ValueError,
            "ubyte format requires 0 <= number <= 255".into()
        )
    );
    assert_eq!(
        pack_err(">b", Value::Int(200)),
        (
            K::ValueError,
            "byte format requires -128 <= number <= 127".into()
        )
    );
    assert_eq!(
        pack_err("<I", Value::UInt(1 << 32)),
        (
            K::ValueError,
            "'I' format requires 0 <= number <= 4294967295".into()
        )
    );
    if core::mem::size_of::<core::ffi::c_long>() == 8 {
        assert_eq!(
            pack_err("<l", Value::Int(1 << 40)),
            (
                K::ValueError,
                "'l' format requires -2147483648 <= number <= 2147483647".into()
            )
        );
    }
    assert_eq!(
        pack_err("@q", Value::UInt(u64::MAX)).1,
        "memoryview: invalid value for format 'q'"
    );
    assert_eq!(
        pack_err("T{q}", Value::Array(vec![Value::UInt(u64::MAX)])),
        (K::ValueError, "argument out of range".into())
    );
    assert_eq!(
        pack_err("<e", Value::Int(65520)),
        (K::ValueError, "int too large to convert".into())
    );
    assert_eq!(
        pack_err("<e", Value::Float(65520.0)),
        (
            K::OverflowError,
            "float too large to pack with e format".into()
        )
    );
    assert_eq!(
        pack_err("<i", Value::Str("x".into())),
        (K::TypeError, "required argument is not an integer".into())
    );
    assert_eq!(
        pack_err("<d", Value::Str("x".into())),
        (K::TypeError, "required argument is not a float".into())
    );
    assert_eq!(
        pack_err("<f", Value::Float(1e300)),
        (
            K::OverflowError,
            "float too large to pack with f format".into()
        )
    );
    assert_eq!(
        pack_err("<c", Value::Bytes(b"ab".to_vec())).1,
        "char format requires a bytes object of length 1"
    );
    assert_eq!(
        pack_err("4s", Value::Int(1)),
        (
            K::TypeError,
            "argument for 's' must be a bytes object".into()
        )
    );
    assert_eq!(pack_err("t", Value::Int(1)).0, K::NotImplementedError);
    assert_eq!(
        pack_err("2w", Value::Str("abc".into())),
        (K::ValueError, "'2w' holds at most 2 characters".into())
    );
}

/// struct words a range error by which C function packs the code: the native ones for
/// `@` and for the host's own byte order where the standard size is the native one.
#[test]
fn struct_range_messages_follow_the_prefix() {
    use crate::ErrorKind as K;
    let (host, other) = if cfg!(target_endian = "little") {
        ('<', '>')
    } else {
        ('>', '<')
    };
    let err = |prefix: char, code: &str, v: Value| {
        let (kind, msg) = pack_err(&format!("{prefix}{code}"), v);
        assert_eq!(kind, K::ValueError, "{prefix}{code}: {msg}");
        msg
    };
    let short = "short format requires -32768 <= number <= 32767";
    let h = "'h' format requires -32768 <= number <= 32767";
    for p in [host, '='] {
        assert_eq!(err(p, "h", Value::Int(-32769)), short);
        assert_eq!(
            err(p, "H", Value::Int(-1)),
            "ushort format requires 0 <= number <= 65535"
        );
        assert_eq!(err(p, "q", Value::UInt(1 << 63)), "argument out of range");
        assert_eq!(err(p, "Q", Value::Int(-1)), "argument out of range");
    }
    for p in [other, '!'] {
        assert_eq!(err(p, "h", Value::Int(-32769)), h);
        assert_eq!(err(p, "H", Value::Int(-1)), "argument out of range");
        assert_eq!(
            err(p, "H", Value::Int(65536)),
            "'H' format requires 0 <= number <= 65535"
        );
        assert_eq!(
            err(p, "q", Value::UInt(1 << 63)),
            "int too large to convert"
        );
        assert_eq!(err(p, "Q", Value::Int(-1)), "int too large to convert");
    }
    for p in ['<', '>', '=', '!'] {
        assert_eq!(
            err(p, "b", Value::Int(128)),
            "byte format requires -128 <= number <= 127"
        );
        assert_eq!(
            err(p, "B", Value::Int(-1)),
            "ubyte format requires 0 <= number <= 255"
        );
        // An int outside C long / unsigned long comes first.
        assert_eq!(err(p, "b", Value::UInt(1 << 63)), "argument out of range");
        assert_eq!(err(p, "I", Value::Int(-1)), "argument out of range");
        assert_eq!(
            err(p, "I", Value::UInt(1 << 63)),
            "'I' format requires 0 <= number <= 4294967295"
        );
        assert_eq!(
            err(p, "i", Value::Int(i64::MIN)),
            "'i' format requires -2147483648 <= number <= 2147483647"
        );
        assert_eq!(err(p, "e", Value::Int(-70000)), "int too large to convert");
    }
}

#[test]
fn display_is_python_repr() {
    // Expected strings are Python 3.11's repr of the same values.
    for (v, py) in [
        (Value::Float(1.0), "1.0"),
        (Value::Float(-0.0), "-0.0"),
        (Value::Float(0.1), "0.1"),
        (Value::Float(1e16), "1e+16"),
        (Value::Float(1e15), "1000000000000000.0"),
        (Value::Float(123456.789), "123456.789"),
        (Value::Float(0.0001), "0.0001"),
        (Value::Float(0.00001), "1e-05"),
        (Value::Float(1.5e-7), "1.5e-07"),
        (Value::Float(f64::MAX), "1.7976931348623157e+308"),
        (Value::Float(5e-324), "5e-324"),
        (Value::Float(f64::NEG_INFINITY), "-inf"),
        (Value::Float(f64::NAN), "nan"),
        (Value::Complex(1.0, 2.0), "(1+2j)"),
        (Value::Complex(0.0, 2.5), "2.5j"),
        (Value::Complex(-0.0, 1.0), "(-0+1j)"),
        (Value::Complex(1.5, -0.0), "(1.5-0j)"),
        (Value::Complex(0.0, f64::NAN), "nanj"),
        (Value::Complex(1e20, f64::INFINITY), "(1e+20+infj)"),
        (Value::Bytes(b"it's".to_vec()), "b\"it's\""),
        (Value::Bytes(b"'\"".to_vec()), "b'\\'\"'"),
        (Value::Str("a\u{0}\n".into()), "'a\\x00\\n'"),
        (Value::Str("é😀".into()), "'é😀'"),
        (Value::Pointer(255), "255"),
    ] {
        assert_eq!(v.to_string(), py, "{v:?}");
    }
}

#[test]
fn struct_pack_conversions() {
    // Native 'f' narrows to inf like struct and memoryview; 's' pads and truncates.
    let l = layout("f");
    let mut out = [0u8; 4];
    pack(&l, &Value::Float(1e300), &mut out).unwrap();
    assert_eq!(f32::from_ne_bytes(out), f32::INFINITY);
    let l = layout("4s");
    pack(&l, &Value::Bytes(b"abcdefg".to_vec()), &mut out).unwrap();
    assert_eq!(&out, b"abcd");
    pack(&l, &Value::Bytes(b"a".to_vec()), &mut out).unwrap();
    assert_eq!(&out, b"a\0\0\0");
    let l = layout("4p");
    pack(&l, &Value::Bytes(b"abcdef".to_vec()), &mut out).unwrap();
    assert_eq!(&out, b"\x03abc");
    let l = layout("P");
    let mut p = [0u8; core::mem::size_of::<usize>()];
    pack(&l, &Value::Int(-1), &mut p).unwrap();
    assert!(p.iter().all(|&b| b == 0xff));
    let l = layout("d");
    let mut d = [0u8; 8];
    pack(&l, &Value::Int(3), &mut d).unwrap();
    assert_eq!(f64::from_ne_bytes(d), 3.0);
    assert_eq!(
        unpack(&layout("Zd"), &[0; 8]).unwrap_err().kind(),
        ErrorKind::ValueError
    );
}
