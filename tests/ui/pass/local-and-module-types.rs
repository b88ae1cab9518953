use buffer_runtime::{BufferExport, Element};
use zerocopy::{Immutable, IntoBytes};

mod inner {
    use super::*;

    /// Private fields: the generated code sits beside the type, so it may name them.
    #[derive(BufferExport, IntoBytes, Immutable)]
    #[repr(C)]
    pub struct Hidden {
        secret: u32,
        pub(crate) shown: u32,
    }

    impl Hidden {
        pub fn new() -> Self {
            Hidden { secret: 1, shown: 2 }
        }
    }
}

fn main() {
    // A type declared inside a function.
    #[derive(BufferExport, IntoBytes, Immutable)]
    #[repr(C)]
    struct Local {
        a: u16,
        b: u16,
    }

    assert!(<Local as Element>::FORMAT.ends_with("H:a:<H:b:}") || <Local as Element>::FORMAT.ends_with("H:a:>H:b:}"));
    assert_eq!(Local { a: 1, b: 2 }.buffer_bytes().len(), 4);
    assert!(<inner::Hidden as Element>::FORMAT.contains(":secret:"));
    assert_eq!(inner::Hidden::new().buffer_bytes().len(), 8);
}
