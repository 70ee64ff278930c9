//! Validated newtypes: a value of one of these types has passed its check, so the code that
//! receives it never re-validates (and never panics on a bad one).

use crate::error::{ElexError, Result};

/// A vector dimension: at least 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Dim(usize);

impl Dim {
    pub fn new(dim: usize) -> Result<Self> {
        if dim == 0 {
            return Err(ElexError::bad_argument("dim", "a whole number >= 1", &dim));
        }
        Ok(Self(dim))
    }

    pub fn get(self) -> usize {
        self.0
    }
}

/// How many results a top-k call returns: at least 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TopK(usize);

impl TopK {
    pub fn new(k: usize) -> Result<Self> {
        if k == 0 {
            return Err(ElexError::bad_argument("k", "a whole number >= 1", &k));
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
            return Err(ElexError::bad_argument("alpha", "a number in (0, 1]", &alpha));
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
            return Err(ElexError::bad_argument("gamma", "a number in [0, 1]", &gamma));
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
    pub fn new(name: &'static str, value: f64) -> Result<Self> {
        if !value.is_finite() {
            return Err(ElexError::bad_argument(name, "a finite number", &value));
        }
        Ok(Self(value))
    }

    pub fn get(self) -> f64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_at_least_one() {
        assert!(Dim::new(0).is_err() && TopK::new(0).is_err());
        assert_eq!(Dim::new(128).map(Dim::get), Ok(128));
        assert_eq!(TopK::new(1).map(TopK::get), Ok(1));
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
