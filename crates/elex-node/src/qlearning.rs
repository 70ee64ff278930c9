//! Q-tables: free functions taking the table's handle (a napi-rs class method costs ~400 ns
//! a call here, a function ~60 ns); the per-step calls are in `hot.rs`.

use crate::{napi_failure, to_js, Result};
use elex_bind::args::{self, Given};
use elex_bind::qtables::{self, TEXT_BYTES};
use elex_bind::{with, Owned};
use elex_engine::qlearning::{QTable, State};
use napi::bindgen_prelude::{
    Either, Float32ArraySlice, Float64ArraySlice, Uint32ArraySlice, Uint8Array, Uint8ArraySlice,
};
use napi::Env;
use napi_derive::napi;

// String first: napi-rs tries the variants in order and a failed check is costly, and
// numeric states mostly take the mailbox path instead.
type JsState = Either<String, f64>;

fn state<'a>(name: &'static str, s: &'a JsState) -> Result<State<'a>> {
    match s {
        Either::A(s) => Ok(State::Str(s)),
        Either::B(n) => qtables::number_state(name, *n).map_err(to_js),
    }
}

fn on_table<R>(handle: u32, f: impl FnOnce(&mut QTable) -> elex_engine::Result<R>) -> Result<R> {
    with(handle, f).map_err(to_js)
}

/// This thread's text boxes as one Uint8Array (see `elex_bind::qtables`).
#[napi(catch_unwind)]
pub fn qtable_text_box(env: &Env) -> Result<Uint8ArraySlice<'_>> {
    let ptr = qtables::text_ptr();
    // SAFETY: the buffer lives for the rest of the thread (leaked), so a no-op finalizer is right.
    unsafe { Uint8ArraySlice::from_external(env, ptr.cast::<u8>(), 2 * TEXT_BYTES, (), |_, _| {}) }
        .map_err(napi_failure)
}

/// This thread's mailbox as a Float64Array (the facade writes hot-call arguments into it).
#[napi(catch_unwind)]
pub fn qtable_mailbox(env: &Env) -> Result<Float64ArraySlice<'_>> {
    let ptr = qtables::mailbox_ptr();
    // SAFETY: as above.
    unsafe { Float64ArraySlice::from_external(env, ptr.cast::<f64>(), qtables::SLOTS, (), |_, _| {}) }
        .map_err(napi_failure)
}

/// The WASM build's per-step calls report errors as NaN plus this; the native ones throw
/// directly, so there is never a pending error here. Present so both backends match.
#[napi(catch_unwind)]
pub fn qtable_take_error() {}

#[napi(catch_unwind)]
pub fn qtable_select(handle: u32, s: JsState) -> Result<u32> {
    let s = state("state", &s)?;
    on_table(handle, |t| Ok(t.select_action(s)))
}

#[napi(catch_unwind)]
pub fn qtable_best(handle: u32, s: JsState) -> Result<u32> {
    let s = state("state", &s)?;
    on_table(handle, |t| Ok(t.best_action(s)))
}

#[napi(catch_unwind)]
pub fn qtable_update(
    handle: u32, s: JsState, action: f64, reward: f64, next: Option<JsState>,
) -> Result<f64> {
    let next = next.as_ref().map(|n| state("nextState", n)).transpose()?;
    let s = state("state", &s)?;
    on_table(handle, |t| t.update(s, qtables::action(t, action)?, reward, next))
}

#[napi(catch_unwind)]
pub fn qtable_update_batch(
    handle: u32, states: Vec<JsState>, actions: &[u32], rewards: &[f32], next_states: Vec<Option<JsState>>,
) -> Result<()> {
    let states: Vec<State> = states.iter().map(|s| state("states[i]", s)).collect::<Result<_>>()?;
    let next: Vec<Option<State>> = next_states
        .iter()
        .map(|s| s.as_ref().map(|s| state("nextStates[i]", s)).transpose())
        .collect::<Result<_>>()?;
    on_table(handle, |t| t.update_batch(&states, actions, rewards, &next))
}

/// updateBatch when every state is a number: typed arrays only.
#[napi(catch_unwind)]
pub fn qtable_update_batch_num(
    handle: u32, states: &[f64], actions: &[u32], rewards: &[f32], next: &[f64], terminal: &[u8],
) -> Result<()> {
    on_table(handle, |t| qtables::update_batch_numeric(t, states, actions, rewards, next, terminal))
}

/// The caller used the last speculated action (see `QTable::speculate`).
#[napi(catch_unwind)]
pub fn qtable_consume_pending(handle: u32) -> Result<()> {
    on_table(handle, qtables::consume_pending)
}

#[napi(catch_unwind)]
pub fn qtable_end_episode(handle: u32) -> Result<()> {
    on_table(handle, qtables::end_episode)
}

#[napi(catch_unwind)]
pub fn qtable_q_values(handle: u32, s: JsState, mut out: Float32ArraySlice) -> Result<()> {
    let s = state("state", &s)?;
    // SAFETY: the call is synchronous and `out` is the facade's fresh array.
    on_table(handle, |t| t.q_values_into(s, unsafe { out.as_mut() }))
}

#[napi(catch_unwind)]
pub fn qtable_visits(handle: u32, s: JsState, mut out: Uint32ArraySlice) -> Result<()> {
    let s = state("state", &s)?;
    // SAFETY: as in `qtable_q_values`.
    on_table(handle, |t| t.visits_into(s, unsafe { out.as_mut() }))
}

#[napi(catch_unwind)]
pub fn qtable_confidence(handle: u32, s: JsState) -> Result<f64> {
    let s = state("state", &s)?;
    on_table(handle, |t| Ok(t.confidence(s)))
}

#[napi(catch_unwind)]
pub fn qtable_merge(handle: u32, other: u32) -> Result<()> {
    let other = on_table(other, |t: &mut QTable| Ok(t.clone()))?;
    on_table(handle, |t| t.merge(&other))
}

#[napi(catch_unwind)]
pub fn qtable_merge_bytes(handle: u32, bytes: &[u8]) -> Result<()> {
    let other = QTable::from_bytes(bytes).map_err(to_js)?;
    on_table(handle, |t| t.merge(&other))
}

/// With `key`, the snapshot sealed with it.
#[napi(catch_unwind)]
pub fn qtable_to_bytes(handle: u32, key: Option<&[u8]>) -> Result<Uint8Array> {
    on_table(handle, |t| match key {
        None => Ok(t.to_bytes()),
        Some(key) => t.to_sealed_bytes(key),
    })
    .map(Uint8Array::new)
}

/// [size, epsilon, actions, states, entries, updates, memoryBytes] into `out`.
#[napi(catch_unwind)]
pub fn qtable_info(handle: u32, mut out: Float64ArraySlice) -> Result<()> {
    // SAFETY: as in `qtable_q_values`.
    on_table(handle, |t| qtables::info(t, unsafe { out.as_mut() }))
}

/// The Q-table object: owns its handle; the facade passes the options positionally.
#[napi(js_name = "QTable")]
pub struct JsQTable(Owned<QTable>);

#[napi]
impl JsQTable {
    /// `numbers`, `given`: the packed numeric options (see `elex_bind::args::qlearning_config`).
    #[napi(constructor, catch_unwind)]
    pub fn new(numbers: &[f64], given: u32, policy: Option<String>) -> Result<Self> {
        let cfg = args::qlearning_config(Given { values: numbers, mask: given }, policy.as_deref());
        Ok(JsQTable(Owned::new(QTable::new(cfg.map_err(to_js)?))))
    }

    #[napi(factory, catch_unwind)]
    pub fn from_bytes(bytes: &[u8], key: Option<&[u8]>) -> Result<Self> {
        Ok(JsQTable(Owned::new(QTable::from_snapshot(bytes, key).map_err(to_js)?)))
    }

    #[napi(getter, catch_unwind)]
    pub fn handle(&self) -> u32 {
        self.0.handle()
    }
}
