//! Property tests of the format module: the parser never panics, rendering round-trips,
//! layouts stay inside their items, and the codec is stable.

use buffer_runtime::format::{
    compare, pack, parse, unpack, Code, Format, Item, Kind, MatchNames, Prefix,
};
use proptest::collection::vec;
use proptest::prelude::*;

mod support;
use support::scalar_end;

fn prefix() -> impl Strategy<Value = Prefix> {
    prop_oneof![
        4 => Just(Prefix::Native),
        1 => Just(Prefix::NativeUnaligned),
        1 => Just(Prefix::Standard),
        1 => Just(Prefix::Little),
        1 => Just(Prefix::Big),
    ]
}

fn code() -> impl Strategy<Value = Code> {
    let codes: Vec<Code> = Code::ALL
        .iter()
        .copied()
        .filter(|&c| c != Code::Ref)
        .collect();
    proptest::sample::select(codes)
}

fn name() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        1 => Just(None),
        1 => "[a-z][a-z0-9_]{0,3}".prop_map(Some),
        1 => "[ a-zA-Z{}()<@0-9]{1,4}".prop_map(Some),
    ]
}

/// Makes a generated item valid: native-only codes under a native prefix, no names on
/// pointer targets, unique names in every sequence.
fn fix(mut item: Item) -> Item {
    if let Kind::Code(c) = item.kind {
        if c.native_only() && !item.prefix.native_sizes() {
            item.prefix = Prefix::Native;
        }
    }
    match &mut item.kind {
        Kind::Struct(items) => fix_seq(items),
        Kind::Pointer(t) => {
            t.name = None;
            let inner = std::mem::replace(&mut **t, Item::code(Code::Pad));
            **t = fix(inner);
        }
        Kind::Code(_) => {}
    }
    item
}

fn fix_seq(items: &mut [Item]) {
    let mut seen = std::collections::HashSet::new();
    for it in items.iter_mut() {
        let taken = std::mem::replace(it, Item::code(Code::Pad));
        *it = fix(taken);
        if let Some(n) = &it.name {
            if !seen.insert(n.clone()) {
                it.name = None;
            }
        }
    }
}

fn item() -> impl Strategy<Value = Item> {
    let leaf = (vec(0usize..4, 0..3), prefix(), 0usize..5, code(), name()).prop_map(
        |(shape, prefix, count, code, name)| Item {
            shape,
            prefix,
            count,
            kind: Kind::Code(code),
            name,
        },
    );
    let tree = leaf.prop_recursive(3, 24, 4, |inner| {
        (
            vec(0usize..3, 0..2),
            prefix(),
            0usize..3,
            prop_oneof![
                3 => vec(inner.clone(), 0..4).prop_map(Kind::Struct),
                1 => inner.prop_map(|t| Kind::Pointer(Box::new(t))),
            ],
            name(),
        )
            .prop_map(|(shape, prefix, count, kind, name)| Item {
                shape,
                prefix,
                count,
                kind,
                name,
            })
    });
    tree.prop_map(fix)
}

fn format() -> impl Strategy<Value = Format> {
    vec(item(), 0..5).prop_map(|mut items| {
        fix_seq(&mut items);
        Format { items }
    })
}

/// Strings made of format characters, so that many of them are (nearly) valid.
fn format_like() -> impl Strategy<Value = String> {
    prop_oneof![
        // Any mix of the characters formats use.
        proptest::string::string_regex("[@=<>!^xcbB?hHiIlLqQnNefdgspPuwOtZT{}():&0-9, ab\\t]{0,40}")
            .unwrap(),
        // Sequences of tokens, so that most strings are valid and nest.
        proptest::string::string_regex(
            "([(][0-9,]{1,6}[)]|T[{]|[}]|[0-9]{1,3}|[@<>^]|[xcBhiqdswetO&]|Z[fdg]|:n[0-9]:| ){0,16}"
        )
        .unwrap(),
    ]
}

/// Equality that treats NaN as equal to NaN with the same sign (and tells 0.0 from -0.0).
fn same_value(a: &buffer_runtime::format::Value, b: &buffer_runtime::format::Value) -> bool {
    format!("{a:?}") == format!("{b:?}")
}

/// Whether the format has codes whose random bytes may not decode (`t`, `u`, `w`).
fn decodes_partially(f: &Format) -> bool {
    fn item(i: &Item) -> bool {
        match &i.kind {
            Kind::Code(c) => matches!(c, Code::Bit | Code::Ucs2 | Code::Ucs4),
            Kind::Struct(items) => items.iter().any(item),
            Kind::Pointer(_) => false,
        }
    }
    f.items.iter().any(item)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn parse_never_panics_on_any_string(s in any::<String>()) {
        let _ = parse(&s);
    }

    #[test]
    fn parse_never_panics_on_format_like_strings(s in format_like()) {
        if let Ok(f) = parse(&s) {
            // ... and whatever it accepts renders to a string that parses back to it.
            let text = f.to_string();
            prop_assert_eq!(parse(&text), Ok(f.clone()), "{:?} -> {:?}", s, text);
            // Its layout, codec and comparison do not panic either.
            let l = f.layout().unwrap();
            prop_assert!(compare(&l, &l, MatchNames::Require).is_ok(), "{}", s);
            if l.size() <= 4096 {
                let bytes: Vec<u8> = (0..l.size()).map(|i| (i * 37 + 11) as u8).collect();
                if let Ok(v) = unpack(&l, &bytes) {
                    let mut out = vec![0u8; l.size()];
                    prop_assert!(pack(&l, &v, &mut out).is_ok(), "{}: {}", s, v);
                }
            }
        }
    }

    #[test]
    fn render_then_parse_is_identity(f in format()) {
        let text = f.to_string();
        prop_assert_eq!(parse(&text), Ok(f), "{}", text);
    }

    #[test]
    fn layouts_stay_inside_the_item(f in format()) {
        let l = f.layout().unwrap();
        let end = scalar_end(&l);
        prop_assert!(matches!(end, Some(e) if e <= l.size()), "{} scalars end at {:?} > {}", f, end, l.size());
        for field in l.fields() {
            prop_assert!(field.offset + field.layout.size() <= l.size(), "{}", f);
            // A field alone has the layout it has inside the item.
            let alone = field.format.layout().unwrap();
            prop_assert_eq!(alone.size(), field.layout.size(), "{} field {}", f, field.format);
        }
        prop_assert!(compare(&l, &l, MatchNames::Require).is_ok());
        prop_assert!(l.align().is_power_of_two() || l.align() % 4 == 0);
    }

    #[test]
    fn unpack_pack_unpack_is_stable(f in format(), seed in any::<u64>()) {
        let l = f.layout().unwrap();
        prop_assume!(l.size() <= 4096);
        // Bytes from a simple generator, so that every size gets filled.
        let mut x = seed | 1;
        let bytes: Vec<u8> = (0..l.size()).map(|_| {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            x as u8
        }).collect();
        let v = match unpack(&l, &bytes) {
            Ok(v) => v,
            // Bit fields and invalid characters are errors, not panics; anything else must
            // decode.
            Err(e) => {
                prop_assert!(decodes_partially(&f), "{}: {}", f, e);
                return Ok(());
            }
        };
        let mut out = vec![0u8; l.size()];
        pack(&l, &v, &mut out).map_err(|e| TestCaseError::fail(format!("{f}: {e}: {v}")))?;
        let w = unpack(&l, &out).unwrap();
        prop_assert!(same_value(&v, &w), "{}: {} then {}", f, v, w);
    }
}

#[test]
fn element_formats_parse_and_match_rust_layouts() {
    use buffer_runtime::{Element, StaticBufferLayout};
    use zerocopy::byteorder::{BigEndian, LittleEndian, F64, U32};

    fn check<T: Element + StaticBufferLayout>() {
        for fmt in [<T as Element>::FORMAT, T::FIELD_FORMAT] {
            let l = parse(fmt).unwrap().layout().unwrap();
            assert_eq!(l.size(), core::mem::size_of::<T>(), "{fmt}");
        }
        let a = parse(<T as Element>::FORMAT).unwrap().layout().unwrap();
        let b = parse(T::FIELD_FORMAT).unwrap().layout().unwrap();
        compare(&a, &b, MatchNames::Require).unwrap();
    }
    check::<u8>();
    check::<i8>();
    check::<u16>();
    check::<i16>();
    check::<u32>();
    check::<i32>();
    check::<u64>();
    check::<i64>();
    check::<usize>();
    check::<isize>();
    check::<f32>();
    check::<f64>();
    check::<bool>();
    check::<char>();
    check::<U32<BigEndian>>();
    check::<F64<LittleEndian>>();
}

#[test]
fn design_struct_format_matches_its_rust_layout() {
    // The format DESIGN.md gives for this struct (what the derive emits on a little-endian
    // host), checked against Rust's own layout.
    #[repr(C)]
    struct Trade {
        price: f64,
        qty: u32,
        _pad: [u8; 4],
    }
    let f = parse("T{<d:price:<I:qty:4x}").unwrap();
    let l = f.layout().unwrap();
    assert_eq!(l.size(), core::mem::size_of::<Trade>());
    assert_eq!(
        l.field("price").unwrap().offset,
        core::mem::offset_of!(Trade, price)
    );
    assert_eq!(
        l.field("qty").unwrap().offset,
        core::mem::offset_of!(Trade, qty)
    );
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&2.5f64.to_le_bytes());
    bytes[8..12].copy_from_slice(&7u32.to_le_bytes());
    let v = unpack(&l, &bytes).unwrap();
    assert_eq!(v.to_string(), "{price: 2.5, qty: 7}");
    // The same buffer described with native codes and numpy's alignment agrees on a
    // little-endian host; a signed qty does not.
    let native = parse("T{d:price:I:qty:}").unwrap().layout().unwrap();
    assert_eq!(
        compare(&l, &native, MatchNames::Require).is_ok(),
        cfg!(target_endian = "little")
    );
    let wrong = parse("T{<d:price:<i:qty:4x}").unwrap().layout().unwrap();
    assert_eq!(
        compare(&l, &wrong, MatchNames::Ignore)
            .unwrap_err()
            .to_string(),
        "Buffer dtype mismatch, expected '<I' but got '<i' at offset 8"
    );
}

#[cfg(feature = "derive")]
#[test]
fn derived_formats_match_rust_layouts() {
    use buffer_runtime::format::{pack, Value};
    use buffer_runtime::{BufferExport, Element, StaticBufferLayout};
    use core::mem::{offset_of, size_of};
    use zerocopy::byteorder::{BigEndian, U16};
    use zerocopy::{FromBytes, Immutable, IntoBytes};

    #[derive(BufferExport, IntoBytes, FromBytes, Immutable, Clone, Copy)]
    #[repr(C)]
    struct Rgb {
        r: u8,
        g: u8,
        b: u8,
    }

    #[derive(BufferExport, IntoBytes, FromBytes, Immutable)]
    #[repr(C)]
    struct Record {
        price: f64,
        qty: u32,
        side: i16,
        #[buffer(padding)]
        _pad: [u8; 2],
        m: [[f32; 3]; 2],
        color: Rgb,
        #[buffer(padding)]
        _pad2: [u8; 1],
        id: U16<BigEndian>,
        #[buffer(padding)]
        _pad3: [u8; 2],
    }

    let f = parse(<Record as Element>::FORMAT).unwrap();
    let l = f.layout().unwrap();
    assert_eq!(l.size(), size_of::<Record>());
    assert_eq!(l.size(), <Record as StaticBufferLayout>::ITEMSIZE);
    for (name, off) in [
        ("price", offset_of!(Record, price)),
        ("qty", offset_of!(Record, qty)),
        ("side", offset_of!(Record, side)),
        ("m", offset_of!(Record, m)),
        ("color", offset_of!(Record, color)),
        ("id", offset_of!(Record, id)),
    ] {
        assert_eq!(l.field(name).map(|f| f.offset), Some(off), "{name} in {f}");
    }

    let rec = Record {
        price: 1.5,
        qty: 3,
        side: -1,
        _pad: [0; 2],
        m: [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]],
        color: Rgb { r: 1, g: 2, b: 3 },
        _pad2: [0],
        id: U16::new(0x0102),
        _pad3: [0; 2],
    };
    let v = unpack(&l, rec.as_bytes()).unwrap();
    assert_eq!(
        v.to_string(),
        "{price: 1.5, qty: 3, side: -1, m: [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], \
         color: {r: 1, g: 2, b: 3}, id: 258}"
    );
    // Packing the value back gives the same bytes.
    let mut out = vec![0xffu8; l.size()];
    pack(&l, &v, &mut out).unwrap();
    assert_eq!(out, rec.as_bytes());
    assert_eq!(v.field("id"), Some(&Value::UInt(258)));

    // What numpy would export for the same memory (native codes, aligned, explicit pads)
    // has the same layout on a little-endian host.
    let numpy_like = parse("T{d:price:I:qty:h:side:2x(2,3)f:m:T{B:r:B:g:B:b:}:color:x>H:id:2x}")
        .unwrap()
        .layout()
        .unwrap();
    assert_eq!(
        compare(&l, &numpy_like, MatchNames::Require).is_ok(),
        cfg!(target_endian = "little")
    );
    // The derive writes a prefix on every field; the canonical rendering keeps only changes.
    if cfg!(target_endian = "little") {
        assert!(<Record as Element>::FORMAT.starts_with("T{<d:price:<I:qty:<h:side:2x"));
        assert_eq!(
            f.to_string(),
            "T{<d:price:I:qty:h:side:2x(2,3)f:m:T{B:r:B:g:B:b:}:color:x>H:id:2x}"
        );
    }
}
