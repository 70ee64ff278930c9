//! The one error type of the engine. Every variant has a stable `code()` that the wrappers
//! put on the JavaScript `Error` as `.code` (the list in API.md), and carries a [`Detail`]:
//! what was wrong, its value and what was expected, so every message has one shape.
//!
//! The codes are written once, in the `errors!` table below: `code()`, [`ERROR_CODES`] and
//! (through the wrappers' `errorCodes()`) the JavaScript `ERROR_CODES` all come from it.

use std::borrow::Cow;
use std::fmt;
use thiserror::Error;

pub type Result<T, E = ElexError> = std::result::Result<T, E>;

/// What went wrong, in a form the message is made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detail {
    /// `{subject} must be {expected}, got {got}`.
    Expected { subject: Cow<'static, str>, expected: Cow<'static, str>, got: String },
    /// A sentence that does not fit that shape (e.g. "the index is full").
    Text(Cow<'static, str>),
}

impl fmt::Display for Detail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Detail::Expected { subject, expected, got } => {
                write!(f, "{subject} must be {expected}, got {got}")
            }
            Detail::Text(text) => f.write_str(text),
        }
    }
}

impl From<String> for Detail {
    fn from(text: String) -> Self {
        Detail::Text(Cow::Owned(text))
    }
}

impl From<&'static str> for Detail {
    fn from(text: &'static str) -> Self {
        Detail::Text(Cow::Borrowed(text))
    }
}

/// A value as a message shows it, the way JavaScript would print it (the API's users read
/// these): `Infinity`, `NaN`, `3` rather than `inf`, `NaN`, `3.0`; strings quoted.
pub trait Shown {
    fn shown(&self) -> String;
}

impl Shown for f64 {
    fn shown(&self) -> String {
        if self.is_nan() {
            "NaN".into()
        } else if self.is_infinite() {
            if *self > 0.0 { "Infinity" } else { "-Infinity" }.into()
        } else {
            // Rust prints whole floats without ".0" already; -0 prints as "-0" (JS: "0").
            let s = format!("{self}");
            if s == "-0" {
                "0".into()
            } else {
                s
            }
        }
    }
}

impl Shown for f32 {
    fn shown(&self) -> String {
        f64::from(*self).shown()
    }
}

impl Shown for str {
    fn shown(&self) -> String {
        let cut: String = self.chars().take(40).collect();
        let ellipsis = if cut.len() < self.len() { "…" } else { "" };
        format!("{cut:?}{ellipsis}")
    }
}

macro_rules! shown_as_display {
    ($($t:ty),*) => {$(impl Shown for $t { fn shown(&self) -> String { self.to_string() } })*};
}
shown_as_display!(u8, u32, u64, usize, i32, i64);

macro_rules! errors {
    ($($variant:ident => $code:literal, $prefix:literal;)*) => {
        #[derive(Debug, Clone, PartialEq, Eq, Error)]
        pub enum ElexError {
            $(#[error("{}{}", $prefix, .0)] $variant(Detail),)*
        }

        /// Every code the JavaScript contract allows, in API.md order.
        pub const ERROR_CODES: &[&str] = &[$($code),*];

        impl ElexError {
            /// The stable code of this error (one of [`ERROR_CODES`]).
            pub fn code(&self) -> &'static str {
                match self { $(ElexError::$variant(_) => $code,)* }
            }

            /// What was wrong.
            pub fn detail(&self) -> &Detail {
                match self { $(ElexError::$variant(d) => d,)* }
            }

            #[cfg(test)]
            fn one_of_each() -> Vec<ElexError> {
                vec![$(ElexError::$variant(Detail::from("")),)*]
            }
        }
    };
}

// Variant => code, message prefix. The prefix names the kind where the detail alone would not.
errors! {
    InvalidArgument => "INVALID_ARGUMENT", "";
    DimensionMismatch => "DIMENSION_MISMATCH", "dimension mismatch: ";
    InvalidVector => "INVALID_VECTOR", "invalid vector: ";
    DuplicateId => "DUPLICATE_ID", "duplicate id: ";
    InvalidFajCode => "INVALID_FAJ_CODE", "invalid FAJ code: ";
    InvalidCatalog => "INVALID_CATALOG", "invalid catalog: ";
    DependencyCycle => "DEPENDENCY_CYCLE", "dependency cycle: ";
    AgentNotFound => "AGENT_NOT_FOUND", "agent not found: ";
    AgentNotReady => "AGENT_NOT_READY", "agent not ready: ";
    FeatureNotFound => "FEATURE_NOT_FOUND", "feature not found: ";
    UnknownQuery => "UNKNOWN_QUERY", "unknown query: ";
    InvalidReward => "INVALID_REWARD", "invalid reward: ";
    InvalidKey => "INVALID_KEY", "invalid key: ";
    DecryptionFailed => "DECRYPTION_FAILED", "decryption failed: ";
    SignatureInvalid => "SIGNATURE_INVALID", "signature invalid: ";
    CorruptData => "CORRUPT_DATA", "corrupt data: ";
    UnsupportedVersion => "UNSUPPORTED_VERSION", "unsupported version: ";
    PeerUnreachable => "PEER_UNREACHABLE", "peer unreachable: ";
    ConsensusTimeout => "CONSENSUS_TIMEOUT", "consensus timeout: ";
    Internal => "INTERNAL", "internal error: ";
}

/// `Detail::Expected` from its parts; `got` is shown as JavaScript would print it.
pub fn expected(
    subject: impl Into<Cow<'static, str>>, expected: impl Into<Cow<'static, str>>,
    got: &(impl Shown + ?Sized),
) -> Detail {
    Detail::Expected { subject: subject.into(), expected: expected.into(), got: got.shown() }
}

impl ElexError {
    /// `INVALID_ARGUMENT`: `{subject} must be {what}, got {got}`.
    pub fn bad_argument(
        subject: impl Into<Cow<'static, str>>, what: impl Into<Cow<'static, str>>,
        got: &(impl Shown + ?Sized),
    ) -> Self {
        ElexError::InvalidArgument(expected(subject, what, got))
    }

    /// `INVALID_ARGUMENT` with a sentence of its own.
    pub fn invalid_argument(text: impl Into<Detail>) -> Self {
        ElexError::InvalidArgument(text.into())
    }

    pub fn dimension_mismatch(text: impl Into<Detail>) -> Self {
        ElexError::DimensionMismatch(text.into())
    }

    pub fn invalid_vector(text: impl Into<Detail>) -> Self {
        ElexError::InvalidVector(text.into())
    }

    pub fn internal(text: impl Into<Detail>) -> Self {
        ElexError::Internal(text.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_has_a_distinct_contract_code_in_order() {
        let codes: Vec<&str> = ElexError::one_of_each().iter().map(ElexError::code).collect();
        assert_eq!(codes, ERROR_CODES);
        let mut unique = codes.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), codes.len());
        assert_eq!(ERROR_CODES.len(), 20);
    }

    #[test]
    fn messages_show_values_as_javascript_prints_them() {
        let e = ElexError::bad_argument("reward", "a finite number", &f64::INFINITY);
        assert_eq!(e.to_string(), "reward must be a finite number, got Infinity");
        assert_eq!((-0.0f64).shown(), "0");
        assert_eq!(3.0f64.shown(), "3");
        assert_eq!(1.5f64.shown(), "1.5");
        assert_eq!(f64::NAN.shown(), "NaN");
        assert_eq!("softmax".shown(), "\"softmax\"");
        let long = "x".repeat(50);
        assert!(long.as_str().shown().ends_with("\"…"));
        let e = ElexError::InvalidReward(expected("reward", "finite", &f64::NEG_INFINITY));
        assert_eq!(e.to_string(), "invalid reward: reward must be finite, got -Infinity");
    }
}
