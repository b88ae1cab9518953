//! Any bytes as a `.npy` file: `NpyFile::from_bytes` and `NpyFile::read` answer `Ok` or `Err`
//! (never a panic, a hang or a large allocation from a lying header), and agree; an accepted
//! header writes back to bytes that parse to the same header, with the data 64-byte aligned;
//! an accepted file's view reads every item inside the data.
#![no_main]

use buffer_runtime::npy::{Header, NpyFile};
use buffer_runtime::view::Order;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mapped = NpyFile::from_bytes(data);
    let read = NpyFile::read(data);
    assert_eq!(
        mapped
            .as_ref()
            .map(|f| f.header().clone())
            .map_err(|e| e.to_string()),
        read.as_ref()
            .map(|f| f.header().clone())
            .map_err(|e| e.to_string()),
        "the two readers disagree"
    );
    if let Ok((header, _)) = Header::parse(data) {
        let bytes = header.to_bytes();
        assert_eq!(bytes.len() % 64, 0);
        let (again, offset) = Header::parse(&bytes).expect("a written header parses");
        assert_eq!(again, header);
        assert_eq!(offset, bytes.len());
    }
    if let Ok(file) = mapped {
        if let Ok(view) = file.view() {
            assert_eq!(view.tobytes(Order::C).len(), view.nbytes());
            let _ = view.tolist();
        }
    }
});
