//! The one error type of the engine. Every variant has a stable `code()` that the wrappers
//! put on the JavaScript `Error` as `.code` (the list in API.md).

use thiserror::Error;

pub type Result<T, E = ElexError> = std::result::Result<T, E>;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ElexError {
    #[error("{0}")]
    InvalidArgument(String),
    #[error("dimension mismatch: {0}")]
    DimensionMismatch(String),
    #[error("invalid vector: {0}")]
    InvalidVector(String),
    #[error("duplicate id: {0}")]
    DuplicateId(String),
    #[error("invalid FAJ code: {0}")]
    InvalidFajCode(String),
    #[error("invalid catalog: {0}")]
    InvalidCatalog(String),
    #[error("dependency cycle: {0}")]
    DependencyCycle(String),
    #[error("agent not found: {0}")]
    AgentNotFound(String),
    #[error("agent not ready: {0}")]
    AgentNotReady(String),
    #[error("feature not found: {0}")]
    FeatureNotFound(String),
    #[error("unknown query: {0}")]
    UnknownQuery(String),
    #[error("invalid reward: {0}")]
    InvalidReward(String),
    #[error("invalid key: {0}")]
    InvalidKey(String),
    #[error("decryption failed: {0}")]
    DecryptionFailed(String),
    #[error("signature invalid: {0}")]
    SignatureInvalid(String),
    #[error("corrupt data: {0}")]
    CorruptData(String),
    #[error("unsupported version: {0}")]
    UnsupportedVersion(String),
    #[error("internal error: {0}")]
    Internal(String),
}

/// Every code the JavaScript contract allows, in API.md order.
pub const ERROR_CODES: [&str; 18] = [
    "INVALID_ARGUMENT",
    "DIMENSION_MISMATCH",
    "INVALID_VECTOR",
    "DUPLICATE_ID",
    "INVALID_FAJ_CODE",
    "INVALID_CATALOG",
    "DEPENDENCY_CYCLE",
    "AGENT_NOT_FOUND",
    "AGENT_NOT_READY",
    "FEATURE_NOT_FOUND",
    "UNKNOWN_QUERY",
    "INVALID_REWARD",
    "INVALID_KEY",
    "DECRYPTION_FAILED",
    "SIGNATURE_INVALID",
    "CORRUPT_DATA",
    "UNSUPPORTED_VERSION",
    "INTERNAL",
];

impl ElexError {
    /// The stable code of this error (one of [`ERROR_CODES`]).
    pub fn code(&self) -> &'static str {
        use ElexError::*;
        match self {
            InvalidArgument(_) => "INVALID_ARGUMENT",
            DimensionMismatch(_) => "DIMENSION_MISMATCH",
            InvalidVector(_) => "INVALID_VECTOR",
            DuplicateId(_) => "DUPLICATE_ID",
            InvalidFajCode(_) => "INVALID_FAJ_CODE",
            InvalidCatalog(_) => "INVALID_CATALOG",
            DependencyCycle(_) => "DEPENDENCY_CYCLE",
            AgentNotFound(_) => "AGENT_NOT_FOUND",
            AgentNotReady(_) => "AGENT_NOT_READY",
            FeatureNotFound(_) => "FEATURE_NOT_FOUND",
            UnknownQuery(_) => "UNKNOWN_QUERY",
            InvalidReward(_) => "INVALID_REWARD",
            InvalidKey(_) => "INVALID_KEY",
            DecryptionFailed(_) => "DECRYPTION_FAILED",
            SignatureInvalid(_) => "SIGNATURE_INVALID",
            CorruptData(_) => "CORRUPT_DATA",
            UnsupportedVersion(_) => "UNSUPPORTED_VERSION",
            Internal(_) => "INTERNAL",
        }
    }

    pub(crate) fn invalid_argument(msg: impl Into<String>) -> Self {
        Self::InvalidArgument(msg.into())
    }

    pub(crate) fn dimension_mismatch(msg: impl Into<String>) -> Self {
        Self::DimensionMismatch(msg.into())
    }

    pub(crate) fn invalid_vector(msg: impl Into<String>) -> Self {
        Self::InvalidVector(msg.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_has_a_contract_code() {
        let samples = [
            ElexError::InvalidArgument(String::new()),
            ElexError::DimensionMismatch(String::new()),
            ElexError::InvalidVector(String::new()),
            ElexError::DuplicateId(String::new()),
            ElexError::InvalidFajCode(String::new()),
            ElexError::InvalidCatalog(String::new()),
            ElexError::DependencyCycle(String::new()),
            ElexError::AgentNotFound(String::new()),
            ElexError::AgentNotReady(String::new()),
            ElexError::FeatureNotFound(String::new()),
            ElexError::UnknownQuery(String::new()),
            ElexError::InvalidReward(String::new()),
            ElexError::InvalidKey(String::new()),
            ElexError::DecryptionFailed(String::new()),
            ElexError::SignatureInvalid(String::new()),
            ElexError::CorruptData(String::new()),
            ElexError::UnsupportedVersion(String::new()),
            ElexError::Internal(String::new()),
        ];
        let codes: Vec<&str> = samples.iter().map(ElexError::code).collect();
        assert_eq!(codes, ERROR_CODES);
    }
}
