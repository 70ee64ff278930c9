//! Identities, signatures, AES-256-GCM and snapshot kinds for the WebAssembly build (same
//! raw names and behaviour as the native addon's `security.rs`).

use crate::{to_js, JsResult};
use elex_bind::{with, Owned};
use elex_engine::security::{self, Identity};
use elex_engine::snapshot;
use wasm_bindgen::prelude::*;

fn with_identity<R>(handle: u32, f: impl FnOnce(&mut Identity) -> elex_engine::Result<R>) -> JsResult<R> {
    with(handle, f).map_err(to_js)
}

/// The identity object: owns a handle, freed (and the key wiped) when collected.
#[wasm_bindgen(js_name = Identity)]
pub struct JsIdentity(Owned<Identity>);

fn register(id: Identity) -> JsIdentity {
    JsIdentity(Owned::new(id))
}

#[wasm_bindgen(js_class = Identity)]
impl JsIdentity {
    pub fn generate() -> JsResult<JsIdentity> {
        Ok(register(Identity::generate().map_err(to_js)?))
    }

    #[wasm_bindgen(js_name = fromSecretKey)]
    pub fn from_secret_key(secret: &[u8]) -> JsResult<JsIdentity> {
        Ok(register(Identity::from_secret_key(secret).map_err(to_js)?))
    }

    #[wasm_bindgen(getter)]
    pub fn handle(&self) -> u32 {
        self.0.handle()
    }
}

#[wasm_bindgen(js_name = identityPublicKey)]
pub fn identity_public_key(handle: u32) -> JsResult<Vec<u8>> {
    with_identity(handle, |id| Ok(id.public_key().to_vec()))
}

#[wasm_bindgen(js_name = identityAgentId)]
pub fn identity_agent_id(handle: u32) -> JsResult<String> {
    with_identity(handle, |id| Ok(id.agent_id()))
}

#[wasm_bindgen(js_name = identitySign)]
pub fn identity_sign(handle: u32, message: &[u8]) -> JsResult<Vec<u8>> {
    with_identity(handle, |id| Ok(id.sign(message).to_vec()))
}

#[wasm_bindgen(js_name = identitySecretKey)]
pub fn identity_secret_key(handle: u32) -> JsResult<Vec<u8>> {
    with_identity(handle, |id| Ok(id.secret_key().to_vec()))
}

#[wasm_bindgen]
pub fn verify(public_key: &[u8], message: &[u8], signature: &[u8]) -> JsResult<bool> {
    security::verify(public_key, message, signature).map_err(to_js)
}

#[wasm_bindgen(js_name = generateKey)]
pub fn generate_key() -> JsResult<Vec<u8>> {
    Ok(security::generate_key().map_err(to_js)?.to_vec())
}

#[wasm_bindgen]
pub fn encrypt(key: &[u8], plaintext: &[u8], aad: Option<Vec<u8>>) -> JsResult<Vec<u8>> {
    security::encrypt(key, plaintext, aad.as_deref().unwrap_or_default()).map_err(to_js)
}

#[wasm_bindgen]
pub fn decrypt(key: &[u8], sealed: &[u8], aad: Option<Vec<u8>>) -> JsResult<Vec<u8>> {
    security::decrypt(key, sealed, aad.as_deref().unwrap_or_default()).map_err(to_js)
}

/// The kind a snapshot holds ('QTable', 'VectorIndex', 'Swarm'), after verifying it.
#[wasm_bindgen(js_name = snapshotKind)]
pub fn snapshot_kind(bytes: &[u8]) -> JsResult<String> {
    snapshot::peek_kind(bytes).map(|k| k.name().to_string()).map_err(to_js)
}
