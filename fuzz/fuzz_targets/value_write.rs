//! `unpack` then `pack` of arbitrary bytes, and `pack` of arbitrary values, into arbitrary
//! layouts: errors or success, never a panic; `pack` writes only the item's bytes, nothing
//! when it fails; what `unpack` reads, `pack` writes back and `unpack` reads again the same.
#![no_main]

mod common;

use arbitrary::Arbitrary;
use buffer_runtime::format::{pack, parse, unpack};
use common::{same, ArbValue, Fmt};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    format: Fmt,
    bytes: Vec<u8>,
    value: ArbValue,
    /// Extra room after the item in the output, filled with a sentinel that must survive.
    slack: u8,
    fill: u8,
}

const MAX_ITEM: usize = 1 << 16;

fuzz_target!(|input: Input| {
    let Ok(format) = parse(input.format.text()) else {
        return;
    };
    let Ok(layout) = format.layout() else { return };
    let size = layout.size();
    if size > MAX_ITEM || common::value_nodes(&layout) > MAX_ITEM {
        return;
    }
    let slack = usize::from(input.slack % 16);

    // Unpack whatever the bytes hold (too few bytes is an error), then write it back.
    if let Ok(v) = unpack(&layout, &input.bytes) {
        let mut out = vec![input.fill; size + slack];
        match pack(&layout, &v, &mut out) {
            Ok(()) => {
                assert!(
                    out[size..].iter().all(|&b| b == input.fill),
                    "pack wrote past the item"
                );
                let again = unpack(&layout, &out).expect("unpacking what pack wrote");
                assert!(
                    same(&v, &again),
                    "{:?}: {v:?} packed and unpacked is {again:?}",
                    input.format.text()
                );
            }
            Err(e) => panic!(
                "{:?}: {v:?}, as unpacked, does not pack: {e}",
                input.format.text()
            ),
        }
    }

    // Pack an arbitrary value into an output of arbitrary length.
    let value = input.value.value();
    let len = (input.bytes.len() % (size + 17)).max(0);
    let mut out = vec![input.fill; len];
    match pack(&layout, &value, &mut out) {
        Ok(()) => {
            assert!(len >= size);
            assert!(
                out[size..].iter().all(|&b| b == input.fill),
                "pack wrote past the item"
            );
            let _ = unpack(&layout, &out).expect("unpacking what pack wrote");
        }
        Err(_) => assert!(out.iter().all(|&b| b == input.fill), "a failed pack wrote"),
    }
});
