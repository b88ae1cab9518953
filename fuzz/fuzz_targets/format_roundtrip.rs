//! Parse any string as a format; an accepted one renders to text that parses back to the
//! same `Format`, renders identically, and has a layout or a layout error (never a panic).
#![no_main]

use buffer_runtime::format::{compare, parse, MatchNames};
use libfuzzer_sys::fuzz_target;

#[path = "../../buffer-runtime/tests/support/mod.rs"]
mod support;
use support::scalar_end;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    let Ok(format) = parse(text) else { return };
    let rendered = format.to_string();
    let again = match parse(&rendered) {
        Ok(f) => f,
        Err(e) => panic!("{text:?} rendered as {rendered:?}, which does not parse: {e}"),
    };
    assert_eq!(format, again, "{text:?} rendered as {rendered:?}");
    assert_eq!(
        again.to_string(),
        rendered,
        "rendering is not stable for {text:?}"
    );
    let layout = format.layout();
    let layout2 = again.layout();
    assert_eq!(layout.is_ok(), layout2.is_ok());
    if let (Ok(l), Ok(l2)) = (layout, layout2) {
        assert_eq!(l.size(), l2.size());
        assert_eq!(l.align(), l2.align());
        assert!(l.align().is_power_of_two(), "{text:?}: align {}", l.align());
        // `compare` walks every scalar: bounded.
        if l.size() <= 1 << 16 {
            assert!(
                compare(&l, &l2, MatchNames::Require).is_ok(),
                "{text:?} vs {rendered:?}"
            );
        }
        // Every scalar lies inside the item.
        let end = scalar_end(&l);
        assert!(
            matches!(end, Some(e) if e <= l.size()),
            "{text:?}: scalars end at {end:?}, beyond item of {}",
            l.size()
        );
        for f in l.fields() {
            assert!(
                f.offset + f.layout.size() <= l.size(),
                "{text:?}: field beyond item"
            );
        }
    }
});
