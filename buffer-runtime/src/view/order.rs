//! The memory order of `tobytes` and the copies.

use super::error::{Result, ViewError};
#[cfg(doc)]
use super::ViewBase;

/// The memory order of [`ViewBase::tobytes`]: C (row-major), Fortran (column-major), or
/// "any" (the physical order of a contiguous view, else C).
///
/// ```
/// use buffer_runtime::view::Order;
/// assert_eq!("F".parse::<Order>().unwrap(), Order::F);
/// assert_eq!("x".parse::<Order>().unwrap_err().to_string(), "order must be 'C', 'F' or 'A'");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Order {
    /// Row-major: the last index varies fastest.
    #[default]
    C,
    /// Column-major: the first index varies fastest.
    F,
    /// The physical order when the view is C- or Fortran-contiguous, else C.
    A,
}

impl core::str::FromStr for Order {
    type Err = ViewError;

    /// Parses CPython's spelling (`"C"`, `"F"`, `"A"`), with CPython's `ValueError`.
    ///
    /// ```
    /// use buffer_runtime::view::Order;
    /// assert_eq!("A".parse::<Order>().unwrap(), Order::A);
    /// ```
    fn from_str(s: &str) -> Result<Order> {
        match s {
            "C" => Ok(Order::C),
            "F" => Ok(Order::F),
            "A" => Ok(Order::A),
            _ => Err(ViewError::value_error("order must be 'C', 'F' or 'A'")),
        }
    }
}
