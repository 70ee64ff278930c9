//! Validated newtypes: a value of one of these types has passed its check, so the code that
//! receives it never re-validates (and never panics on a bad one).

use crate::error::{ElexError, Result};

/// A vector dimension: at least 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Dim(usize);

impl Dim {
    pub fn new(dim: f64) -> Result<Self> {
        let d = whole_number("dim", dim)?;
        if d == 0 {
            return Err(ElexError::invalid_argument("dim must be at least 1, got 0"));
        }
        Ok(Self(d))
    }

    pub fn get(self) -> usize {
        self.0
    }
}

/// How many results a top-k call returns: at least 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TopK(usize);

impl TopK {
    pub fn new(k: f64) -> Result<Self> {
        let k = whole_number("k", k)?;
        if k == 0 {
            return Err(ElexError::invalid_argument("k must be at least 1, got 0"));
        }
        Ok(Self(k))
    }

    pub fn get(self) -> usize {
        self.0
    }
}

/// Q-learning rate alpha in (0, 1].
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct LearningRate(f32);

impl LearningRate {
    pub fn new(alpha: f64) -> Result<Self> {
        if alpha.is_nan() || alpha <= 0.0 || alpha > 1.0 {
            return Err(ElexError::invalid_argument(format!("alpha must be in (0, 1], got {alpha}")));
        }
        Ok(Self(alpha as f32))
    }

    pub fn get(self) -> f32 {
        self.0
    }
}

/// Q-learning discount gamma in [0, 1].
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Discount(f32);

impl Discount {
    pub fn new(gamma: f64) -> Result<Self> {
        if !(0.0..=1.0).contains(&gamma) {
            return Err(ElexError::invalid_argument(format!("gamma must be in [0, 1], got {gamma}")));
        }
        Ok(Self(gamma as f32))
    }

    pub fn get(self) -> f32 {
        self.0
    }
}

/// A finite number (thresholds and the like; NaN would make every comparison false).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Finite(f64);

impl Finite {
    pub fn new(name: &str, value: f64) -> Result<Self> {
        if !value.is_finite() {
            return Err(ElexError::invalid_argument(format!("{name} must be a finite number, got {value}")));
        }
        Ok(Self(value))
    }

    pub fn get(self) -> f64 {
        self.0
    }
}

/// JavaScript hands every number over as f64: accept only whole numbers in 0..=2^32-1 as
/// sizes. The bound is the same on 64-bit hosts and wasm32, so both backends agree on
/// which sizes are valid.
fn whole_number(name: &str, value: f64) -> Result<usize> {
    if !(value.is_finite() && value >= 0.0 && value.fract() == 0.0) {
        return Err(ElexError::invalid_argument(format!("{name} must be a whole number >= 0, got {value}")));
    }
    if value > f64::from(u32::MAX) {
        return Err(ElexError::invalid_argument(format!("{name} must be at most 2^32 - 1, got {value}")));
    }
    Ok(value as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_reject_what_is_not_a_whole_number() {
        for bad in [f64::NAN, f64::INFINITY, -1.0, 1.5, 0.0, 1e300, 4_294_967_296.0] {
            assert!(Dim::new(bad).is_err(), "{bad}");
            assert!(TopK::new(bad).is_err(), "{bad}");
        }
        assert_eq!(Dim::new(128.0).map(Dim::get), Ok(128));
        assert_eq!(TopK::new(1.0).map(TopK::get), Ok(1));
    }

    #[test]
    fn rates_check_their_ranges() {
        for bad in [0.0, -0.1, 1.0001, f64::NAN] {
            assert!(LearningRate::new(bad).is_err(), "{bad}");
        }
        for bad in [-0.1, 1.0001, f64::NAN, f64::INFINITY] {
            assert!(Discount::new(bad).is_err(), "{bad}");
        }
        assert!(LearningRate::new(1.0).is_ok());
        assert!(Discount::new(0.0).is_ok() && Discount::new(1.0).is_ok());
        assert!(Finite::new("t", f64::NAN).is_err());
    }
}
