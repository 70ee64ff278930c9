//! Identities, signatures, AES-256-GCM and snapshot kinds for the native addon. Identities
//! live in this thread's registry (like tables and indexes) so the secret key is expanded
//! once and never leaves native memory unless `identitySecretKey` is asked for.

use crate::{to_js, Result};
use elex_bind::{with, Owned};
use elex_engine::security::{self, Identity};
use elex_engine::snapshot;
use napi::bindgen_prelude::Uint8Array;
use napi_derive::napi;

fn with_identity<R>(handle: u32, f: impl FnOnce(&mut Identity) -> elex_engine::Result<R>) -> Result<R> {
    with(handle, f).map_err(to_js)
}

/// The identity object: owns a handle, freed (and the key wiped) when collected.
#[napi(js_name = "Identity")]
pub struct JsIdentity(Owned<Identity>);

fn register(id: Identity) -> JsIdentity {
    JsIdentity(Owned::new(id))
}

#[napi]
impl JsIdentity {
    #[napi(factory, catch_unwind)]
    pub fn generate() -> Result<Self> {
        Ok(register(Identity::generate().map_err(to_js)?))
    }

    #[napi(factory, catch_unwind)]
    pub fn from_secret_key(secret: &[u8]) -> Result<Self> {
        Ok(register(Identity::from_secret_key(secret).map_err(to_js)?))
    }

    #[napi(getter, catch_unwind)]
    pub fn handle(&self) -> u32 {
        self.0.handle()
    }
}

#[napi(catch_unwind)]
pub fn identity_public_key(handle: u32) -> Result<Uint8Array> {
    with_identity(handle, |id| Ok(Uint8Array::new(id.public_key().to_vec())))
}

#[napi(catch_unwind)]
pub fn identity_agent_id(handle: u32) -> Result<String> {
    with_identity(handle, |id| Ok(id.agent_id()))
}

#[napi(catch_unwind)]
pub fn identity_sign(handle: u32, message: &[u8]) -> Result<Uint8Array> {
    with_identity(handle, |id| Ok(Uint8Array::new(id.sign(message).to_vec())))
}

#[napi(catch_unwind)]
pub fn identity_secret_key(handle: u32) -> Result<Uint8Array> {
    with_identity(handle, |id| Ok(Uint8Array::new(id.secret_key().to_vec())))
}

#[napi(catch_unwind)]
pub fn verify(public_key: &[u8], message: &[u8], signature: &[u8]) -> Result<bool> {
    security::verify(public_key, message, signature).map_err(to_js)
}

#[napi(catch_unwind)]
pub fn generate_key() -> Result<Uint8Array> {
    Ok(Uint8Array::new(security::generate_key().map_err(to_js)?.to_vec()))
}

#[napi(catch_unwind)]
pub fn encrypt(key: &[u8], plaintext: &[u8], aad: Option<&[u8]>) -> Result<Uint8Array> {
    security::encrypt(key, plaintext, aad.unwrap_or_default()).map(Uint8Array::new).map_err(to_js)
}

#[napi(catch_unwind)]
pub fn decrypt(key: &[u8], sealed: &[u8], aad: Option<&[u8]>) -> Result<Uint8Array> {
    security::decrypt(key, sealed, aad.unwrap_or_default()).map(Uint8Array::new).map_err(to_js)
}

/// The kind a snapshot holds ('QTable', 'VectorIndex', 'Swarm'), after verifying it.
#[napi(catch_unwind)]
pub fn snapshot_kind(bytes: &[u8]) -> Result<String> {
    snapshot::peek_kind(bytes).map(|k| k.name().to_string()).map_err(to_js)
}
