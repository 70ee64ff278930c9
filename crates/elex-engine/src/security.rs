//! Ed25519 identities and AES-256-GCM sealing, on the reviewed dalek / RustCrypto crates.
//!
//! - Signing keys are created from the OS (or, in WebAssembly, `crypto.getRandomValues`)
//!   and wiped from memory when dropped (`zeroize`).
//! - `verify` is strict: non-canonical signatures and small-order ("weak") public keys are
//!   rejected, so one message has one valid signature per key.
//! - `encrypt` output is `nonce (12) ‖ ciphertext ‖ tag (16)` with a fresh random nonce.
//!   Wrong key length: `INVALID_KEY`; anything that does not authenticate: `DECRYPTION_FAILED`.

use crate::error::{ElexError, Result};
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

pub const KEY_LEN: usize = 32;
pub const NONCE_LEN: usize = 12;
pub const TAG_LEN: usize = 16;
pub const PUBLIC_KEY_LEN: usize = 32;
pub const SECRET_KEY_LEN: usize = 32;
pub const SIGNATURE_LEN: usize = 64;

/// `N` bytes from the operating system's generator.
pub fn random_bytes<const N: usize>() -> Result<[u8; N]> {
    let mut out = [0u8; N];
    getrandom::getrandom(&mut out)
        .map_err(|e| ElexError::Internal(format!("no secure random numbers available: {e}").into()))?;
    Ok(out)
}

/// A fresh random 256-bit key for `encrypt`.
pub fn generate_key() -> Result<[u8; KEY_LEN]> {
    random_bytes()
}

/// An Ed25519 signing identity.
pub struct Identity {
    key: SigningKey,
}

impl Identity {
    pub fn generate() -> Result<Identity> {
        let secret = Zeroizing::new(random_bytes::<SECRET_KEY_LEN>()?);
        Ok(Identity { key: SigningKey::from_bytes(&secret) })
    }

    /// From a 32-byte Ed25519 secret key (seed); `INVALID_KEY` for any other length.
    pub fn from_secret_key(secret: &[u8]) -> Result<Identity> {
        let secret: Zeroizing<[u8; SECRET_KEY_LEN]> = Zeroizing::new(secret.try_into().map_err(|_| {
            ElexError::InvalidKey(
                format!("a secret key is {SECRET_KEY_LEN} bytes, got {}", secret.len()).into(),
            )
        })?);
        Ok(Identity { key: SigningKey::from_bytes(&secret) })
    }

    pub fn public_key(&self) -> [u8; PUBLIC_KEY_LEN] {
        self.key.verifying_key().to_bytes()
    }

    pub fn secret_key(&self) -> Zeroizing<[u8; SECRET_KEY_LEN]> {
        Zeroizing::new(self.key.to_bytes())
    }

    pub fn agent_id(&self) -> String {
        agent_id(&self.public_key())
    }

    pub fn sign(&self, message: &[u8]) -> [u8; SIGNATURE_LEN] {
        self.key.sign(message).to_bytes()
    }
}

/// `agent-` and the first 16 bytes of SHA-256(public key), hex: stable, short, and not the
/// key itself.
pub fn agent_id(public_key: &[u8; PUBLIC_KEY_LEN]) -> String {
    let digest = Sha256::digest(public_key);
    let mut id = String::with_capacity(6 + 32);
    id.push_str("agent-");
    for b in &digest[..16] {
        id.push_str(&format!("{b:02x}"));
    }
    id
}

/// Strict Ed25519 verification. A public key of the wrong length is `INVALID_KEY`; a key that
/// is not a curve point or has small order, or a signature that is malformed or does not
/// verify strictly, is simply `false`.
pub fn verify(public_key: &[u8], message: &[u8], signature: &[u8]) -> Result<bool> {
    let pk: [u8; PUBLIC_KEY_LEN] = public_key.try_into().map_err(|_| {
        ElexError::InvalidKey(
            format!("a public key is {PUBLIC_KEY_LEN} bytes, got {}", public_key.len()).into(),
        )
    })?;
    let Ok(sig) = <[u8; SIGNATURE_LEN]>::try_from(signature) else { return Ok(false) };
    let Ok(key) = VerifyingKey::from_bytes(&pk) else { return Ok(false) };
    if key.is_weak() {
        return Ok(false);
    }
    Ok(key.verify_strict(message, &Signature::from_bytes(&sig)).is_ok())
}

fn cipher(key: &[u8]) -> Result<Aes256Gcm> {
    if key.len() != KEY_LEN {
        return Err(ElexError::InvalidKey(
            format!("an AES-256 key is {KEY_LEN} bytes, got {}", key.len()).into(),
        ));
    }
    Aes256Gcm::new_from_slice(key).map_err(|_| ElexError::InvalidKey("unusable key".into()))
}

/// AES-256-GCM with a fresh random nonce: `nonce ‖ ciphertext ‖ tag`.
pub fn encrypt(key: &[u8], plaintext: &[u8], aad: &[u8]) -> Result<Vec<u8>> {
    let nonce = random_bytes::<NONCE_LEN>()?;
    encrypt_with_nonce(key, &nonce, plaintext, aad)
}

/// `encrypt` with a given nonce. Only for known-answer tests: reusing a nonce under one key
/// breaks GCM, so the public API never takes one.
#[doc(hidden)]
pub fn encrypt_with_nonce(
    key: &[u8], nonce: &[u8; NONCE_LEN], plaintext: &[u8], aad: &[u8],
) -> Result<Vec<u8>> {
    let sealed = cipher(key)?
        .encrypt(Nonce::from_slice(nonce), Payload { msg: plaintext, aad })
        .map_err(|_| ElexError::Internal("encryption failed".into()))?;
    let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
    out.extend_from_slice(nonce);
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// Opens `nonce ‖ ciphertext ‖ tag`; any tampering (or the wrong key or aad) fails with
/// `DECRYPTION_FAILED`.
pub fn decrypt(key: &[u8], sealed: &[u8], aad: &[u8]) -> Result<Vec<u8>> {
    let cipher = cipher(key)?;
    if sealed.len() < NONCE_LEN + TAG_LEN {
        return Err(ElexError::DecryptionFailed(
            format!("{} bytes is too short for nonce, ciphertext and tag", sealed.len()).into(),
        ));
    }
    let (nonce, body) = sealed.split_at(NONCE_LEN);
    cipher.decrypt(Nonce::from_slice(nonce), Payload { msg: body, aad }).map_err(|_| {
        ElexError::DecryptionFailed("the data or its key or associated data is not what was sealed".into())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_verifies_and_rejects_changes() {
        let id = Identity::generate().unwrap();
        let sig = id.sign(b"hello");
        assert!(verify(&id.public_key(), b"hello", &sig).unwrap());
        assert!(!verify(&id.public_key(), b"hellO", &sig).unwrap());
        let mut bad = sig;
        bad[10] ^= 1;
        assert!(!verify(&id.public_key(), b"hello", &bad).unwrap());
        assert!(!verify(&id.public_key(), b"hello", &sig[..63]).unwrap());
        assert_eq!(verify(&[0; 31], b"hello", &sig).unwrap_err().code(), "INVALID_KEY");
        let again = Identity::from_secret_key(&*id.secret_key()).unwrap();
        assert_eq!(again.public_key(), id.public_key());
        assert_eq!(again.agent_id(), id.agent_id());
        assert!(id.agent_id().starts_with("agent-") && id.agent_id().len() == 38);
        assert_eq!(Identity::from_secret_key(&[1; 31]).err().unwrap().code(), "INVALID_KEY");
    }

    #[test]
    fn weak_keys_never_verify() {
        // The identity point (small order): with signature R = identity, S = 0 it would
        // "verify" any message under non-strict rules.
        let mut identity_point = [0u8; 32];
        identity_point[0] = 1;
        let mut sig = [0u8; 64];
        sig[0] = 1;
        assert!(!verify(&identity_point, b"anything", &sig).unwrap());
    }

    #[test]
    fn seals_and_opens_and_rejects_tampering() {
        let key = generate_key().unwrap();
        let sealed = encrypt(&key, b"secret", b"aad").unwrap();
        assert_eq!(sealed.len(), NONCE_LEN + 6 + TAG_LEN);
        assert_eq!(decrypt(&key, &sealed, b"aad").unwrap(), b"secret");
        assert_ne!(encrypt(&key, b"secret", b"aad").unwrap(), sealed, "fresh nonce each time");
        for i in 0..sealed.len() {
            let mut t = sealed.clone();
            t[i] ^= 0x80;
            assert_eq!(decrypt(&key, &t, b"aad").unwrap_err().code(), "DECRYPTION_FAILED");
        }
        assert_eq!(decrypt(&key, &sealed, b"aaD").unwrap_err().code(), "DECRYPTION_FAILED");
        assert_eq!(decrypt(&[0; 32], &sealed, b"aad").unwrap_err().code(), "DECRYPTION_FAILED");
        assert_eq!(decrypt(&key, &sealed[..27], b"aad").unwrap_err().code(), "DECRYPTION_FAILED");
        assert_eq!(encrypt(&key[..16], b"x", b"").unwrap_err().code(), "INVALID_KEY");
        assert_eq!(decrypt(&key[..31], &sealed, b"").unwrap_err().code(), "INVALID_KEY");
    }
}
