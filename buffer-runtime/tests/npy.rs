//! `.npy` headers without numpy: malformed headers get errors that say what is wrong and
//! where, headers round-trip, and descrs map to formats and back.
#![cfg(feature = "npy")]

use buffer_runtime::npy::{Descr, Header, NpyError, NpyFile};
use proptest::prelude::*;

/// A v1 file whose header text is `dict` (no padding, no data).
fn v1(dict: &str) -> Vec<u8> {
    let mut b = b"\x93NUMPY\x01\x00".to_vec();
    b.extend_from_slice(&(dict.len() as u16).to_le_bytes());
    b.extend_from_slice(dict.as_bytes());
    b
}

fn err(bytes: &[u8]) -> String {
    let from_bytes = NpyFile::from_bytes(bytes).unwrap_err().to_string();
    let read = NpyFile::read(bytes).unwrap_err().to_string();
    assert_eq!(from_bytes, read, "both readers report the same error");
    from_bytes
}

#[test]
fn malformed_headers_say_what_and_where() {
    let ok = "{'descr': '<u2', 'fortran_order': False, 'shape': (1,), }";
    let cases: &[(&[u8], &str)] = &[
        (
            b"",
            "truncated .npy file: the magic string needs 6 bytes but only 0 are there",
        ),
        (
            b"\x93NUM",
            "truncated .npy file: the magic string needs 6 bytes but only 4 are there",
        ),
        (
            b"PK\x03\x04zip file",
            "not a .npy file: it does not start with \\x93NUMPY",
        ),
        (
            b"\x93NUMPY\x01",
            "truncated .npy file: the version needs 8 bytes but only 7 are there",
        ),
        (
            b"\x93NUMPY\x01\x01\x00\x00",
            "unsupported .npy format version 1.1 (1.0, 2.0 and 3.0 are supported)",
        ),
        (
            b"\x93NUMPY\x02\x00\x10\x00",
            "truncated .npy file: the header length needs 12 bytes but only 10 are there",
        ),
        (
            b"\x93NUMPY\x01\x00\xff\x00{}",
            "truncated .npy file: the header needs 265 bytes but only 12 are there",
        ),
    ];
    for (bytes, message) in cases {
        assert_eq!(err(bytes), *message, "{bytes:?}");
    }
    let dicts = [
        ("", "malformed .npy header, at byte 0 of the header text: unexpected end of the header, expected a value"),
        ("[1, 2]", "malformed .npy header: the header is a dict, not a list"),
        ("{'descr': '<u2', 'fortran_order': False}", "malformed .npy header: the key 'shape' is missing: the header has exactly 'descr', 'fortran_order' and 'shape'"),
        ("{'descr': '<u2', 'fortran_order': False, 'shape': (1,), 'extra': 1}", "malformed .npy header: unexpected key 'extra': the header has exactly 'descr', 'fortran_order' and 'shape'"),
        ("{'descr': '<u2', 'descr': '<u2', 'fortran_order': False, 'shape': ()}", "malformed .npy header: the key 'descr' appears twice"),
        ("{'descr': '<u2', 'fortran_order': 0, 'shape': ()}", "malformed .npy header: 'fortran_order' is True or False, not an integer"),
        ("{'descr': '<u2', 'fortran_order': False, 'shape': 3}", "malformed .npy header: 'shape' is a tuple of non-negative integers, not an integer"),
        ("{'descr': '<u2', 'fortran_order': False, 'shape': (-1,)}", "malformed .npy header, at byte 51 of the header text: unexpected character '-'"),
        ("{'descr': '<u2', 'fortran_order': False, 'shape': (99999999999999999999,)}", "malformed .npy header, at byte 51 of the header text: integer 99999999999999999999 does not fit 64 bits"),
        ("{'descr': '<u2', 'fortran_order': False, 'shape': (1,), } x", "malformed .npy header, at byte 58 of the header text: unexpected text after the header dict"),
        ("{'descr': '<u2' 'fortran_order': False}", "malformed .npy header, at byte 16 of the header text: expected ',' or '}' in the dict"),
        ("{'descr': '<u2, 'fortran_order': False}", "malformed .npy header, at byte 17 of the header text: expected ',' or '}' in the dict"),
        ("{'descr': '<u2", "malformed .npy header, at byte 10 of the header text: unterminated string"),
        ("{'descr': '\\q'}", "malformed .npy header, at byte 11 of the header text: unsupported escape in a string"),
        ("{'descr': '\\x4'}", "malformed .npy header, at byte 11 of the header text: invalid escape: expected 2 hex digits of a character"),
        ("{'descr': open('x'), }", "malformed .npy header, at byte 10 of the header text: 'open' is not a literal (expected a string, an integer, True, False, None, a tuple, a list or a dict)"),
        ("{'descr': '<M8[ns]', 'fortran_order': False, 'shape': ()}", "numpy dtype '<M8[ns]' has no PEP 3118 format (datetimes and timedeltas are not supported)"),
        ("{'descr': '|O', 'fortran_order': False, 'shape': ()}", "numpy dtype '|O' holds Python objects: numpy pickles those, they cannot be viewed"),
        ("{'descr': '<f16', 'fortran_order': False, 'shape': ()}", "numpy dtype '<f16' has no PEP 3118 format with standard sizes"),
        ("{'descr': 'i', 'fortran_order': False, 'shape': ()}", "numpy type string 'i' is not of the form <byte order><kind><size> (like '<i4')"),
        ("{'descr': [('a', '<i4', 'x')], 'fortran_order': False, 'shape': ()}", "a field's shape is a tuple of integers, not a string"),
        ("{'descr': [('a',)], 'fortran_order': False, 'shape': ()}", "a field is a tuple (name, type[, shape]), not 1 items"),
        ("{'descr': [['a', '<i4']], 'fortran_order': False, 'shape': ()}", "a structured descr's fields are tuples (name, type[, shape]), not a list"),
        ("{'descr': [('a:b', '<i4')], 'fortran_order': False, 'shape': ()}", "field name \"a:b\" contains ':', which a PEP 3118 format cannot name"),
        ("{'descr': '<u2', 'fortran_order': False, 'shape': (4294967296, 4294967296)}", "malformed .npy header: the shape describes more bytes than memory can hold"),
        (ok, "truncated .npy file: the data needs 2 bytes but only 0 are there"),
    ];
    for (dict, message) in dicts {
        assert_eq!(err(&v1(dict)), message, "{dict}");
    }
    // Deep nesting is refused, not a stack overflow.
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert_eq!(
        err(&v1(&format!("{{'descr': {deep}}}"))[..]),
        "malformed .npy header, at byte 74 of the header text: literals nested more than 64 deep"
    );
    // Version 3 headers are UTF-8.
    let mut b = b"\x93NUMPY\x03\x00\x02\x00\x00\x00\xff\xfe".to_vec();
    b.extend_from_slice(b"");
    assert_eq!(
        err(&b),
        "malformed .npy header, at byte 0 of the header text: a version 3.0 header is UTF-8, and this is not"
    );
}

#[test]
fn headers_numpy_may_write() {
    // Python 2's long integers, double quotes, no trailing comma, extra whitespace, titles.
    let h = v1("{\"descr\": [(('title', 'a'), '|u1')], 'fortran_order' : True,'shape':(2L,3)}\n");
    let (header, _) = Header::parse(&h).unwrap();
    assert_eq!(header.shape, [2, 3]);
    assert!(header.fortran_order);
    assert_eq!(header.format().unwrap(), "T{=B:a:}");
    // Escapes in names.
    let h = v1(
        r"{'descr': [('it\'s', '<u2'), ('\u03bb\x41', '<u2')], 'fortran_order': False, 'shape': ()}",
    );
    let (header, _) = Header::parse(&h).unwrap();
    assert_eq!(header.format().unwrap(), "T{<H:it's:<H:λA:}");
}

fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z_][a-z0-9_]{0,8}",
        "[^:\\x00]{1,4}", // any text but ':' (incl. quotes, backslashes, non-latin-1)
    ]
}

fn scalar() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "|u1", "|i1", "|b1", "<i2", ">u2", "<i4", ">f4", "<f8", ">f8", "<c8", ">c16", "<f2", "|S3",
        "<U2", ">U1", "<u8", ">i8",
    ])
}

fn descr() -> impl Strategy<Value = Descr> {
    let leaf = scalar().prop_map(|s| Descr::Scalar(s.to_string()));
    leaf.prop_recursive(3, 12, 4, |inner| {
        prop::collection::vec(
            (field_name(), inner, prop::collection::vec(1usize..3, 0..2)),
            1..4,
        )
        .prop_filter_map("unique names", |fields| {
            let mut names: Vec<_> = fields.iter().map(|f| f.0.clone()).collect();
            names.sort();
            names.dedup();
            (names.len() == fields.len()).then(|| {
                Descr::Record(
                    fields
                        .into_iter()
                        .map(|(name, descr, shape)| buffer_runtime::npy::DescrField {
                            name,
                            descr,
                            shape,
                        })
                        .collect(),
                )
            })
        })
    })
}

proptest! {
    /// Writing a header and parsing it gives it back, the data starts at a multiple of 64,
    /// and the descr's format maps back to the same descr (numpy's canonical form: what we
    /// write is what numpy would).
    #[test]
    fn header_round_trip(descr in descr(), shape in prop::collection::vec(0usize..5, 0..4), fortran: bool) {
        let header = Header { descr: descr.clone(), fortran_order: fortran, shape };
        let bytes = header.to_bytes();
        prop_assert_eq!(bytes.len() % 64, 0);
        let (back, offset) = Header::parse(&bytes).unwrap();
        prop_assert_eq!(&back, &header);
        prop_assert_eq!(offset, bytes.len());
        let format = descr.to_format().unwrap();
        if matches!(descr, Descr::Record(_)) {
            prop_assert_eq!(Descr::from_format(&format).unwrap(), descr);
        }
    }

    /// Any bytes: an error value, never a panic.
    #[test]
    fn any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let mut b = b"\x93NUMPY\x01\x00".to_vec();
        b.extend_from_slice(&(bytes.len() as u16).to_le_bytes());
        b.extend_from_slice(&bytes);
        let _ = NpyFile::from_bytes(&b[..]);
        let _ = NpyFile::read(&b[..]);
    }
}

#[test]
fn errors_are_values_with_sources() {
    let e = NpyFile::open("/nonexistent/file.npy").unwrap_err();
    assert!(matches!(e, NpyError::Io(_)));
    assert!(std::error::Error::source(&e).is_some());
}

/// What we write we open again as the same type, for every primitive item.
#[test]
fn primitives_round_trip_typed() {
    fn check<
        T: buffer_runtime::Element
            + buffer_runtime::StaticBufferLayout
            + zerocopy::FromBytes
            + Copy
            + PartialEq
            + std::fmt::Debug,
    >(
        items: &[T],
    ) {
        let mut out = Vec::new();
        buffer_runtime::npy::write(&mut out, items).unwrap();
        let npy = NpyFile::read(&out[..]).unwrap();
        assert_eq!(npy.as_slice::<T>().unwrap(), items, "{}", T::FORMAT);
        let view = NpyFile::from_bytes(&out[..]).unwrap();
        let back: Vec<T> = view.typed_view::<T>().unwrap().iter().collect();
        assert_eq!(back, items);
    }
    check(&[1u8, 2]);
    check(&[-1i8, 2]);
    check(&[1u16, 2]);
    check(&[-1i16, 2]);
    check(&[1u32, 2]);
    check(&[-1i32, 2]);
    check(&[1u64, u64::MAX]);
    check(&[-1i64, 2]);
    check(&[1usize, 2]);
    check(&[-1isize, 2]);
    check(&[1.5f32, 2.0]);
    check(&[1.5f64, -0.0]);
    // `bool` and `char` are read-only items (not `FromBytes`): check the view.
    let mut out = Vec::new();
    buffer_runtime::npy::write(&mut out, &[true, false]).unwrap();
    let npy = NpyFile::from_bytes(&out[..]).unwrap();
    assert_eq!(npy.header().descr, Descr::Scalar("|b1".into()));
    assert!(npy.typed_view::<bool>().is_ok());
    let mut out = Vec::new();
    buffer_runtime::npy::write(&mut out, &['a', 'λ']).unwrap();
    let npy = NpyFile::from_bytes(&out[..]).unwrap();
    assert!(npy.typed_view::<char>().is_ok(), "{}", npy.format());
    // Arrays of items are sub-dimensions of the file's shape.
    let mut out = Vec::new();
    buffer_runtime::npy::write(&mut out, &[[1u8, 2, 3]; 2]).unwrap();
    let npy = NpyFile::from_bytes(&out[..]).unwrap();
    assert_eq!(
        (npy.shape(), npy.as_slice::<u8>().unwrap()),
        (&[2usize, 3][..], &[1, 2, 3, 1, 2, 3][..])
    );
}
