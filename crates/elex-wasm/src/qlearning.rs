//! Q-tables: free functions on the table's handle, and the per-step calls that read the
//! mailbox (see `elex_bind::qtables`).

use crate::{to_js, JsResult};
use elex_bind::args::{self, Given};
use elex_bind::qtables::{self, SLOTS, TEXT_BYTES};
use elex_bind::{with, Owned};
use elex_engine::qlearning::{QTable, State};
use elex_engine::ElexError;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

/// A JS state (number or string; the facade has checked the type) as an engine state.
/// Strings are copied out of JS first, so the state borrows `buf`.
fn state<'a>(name: &'static str, value: &JsValue, buf: &'a mut String) -> JsResult<State<'a>> {
    if let Some(n) = value.as_f64() {
        return qtables::number_state(name, n).map_err(to_js);
    }
    *buf = value.as_string().ok_or_else(|| to_js(not_a_state(name)))?;
    Ok(State::Str(buf.as_str()))
}

fn not_a_state(name: &'static str) -> ElexError {
    ElexError::invalid_argument(format!("{name} must be a number or a string"))
}

/// A state of a batch, copied out of JS (decoded by `decoded` once the array is read).
enum BatchState {
    Num(f64),
    Str(String),
}

fn given(name: &'static str, v: JsValue) -> JsResult<BatchState> {
    match v.as_f64() {
        Some(n) => Ok(BatchState::Num(n)),
        None => v.as_string().map(BatchState::Str).ok_or_else(|| to_js(not_a_state(name))),
    }
}

fn decoded<'a>(name: &'static str, g: &'a BatchState) -> JsResult<State<'a>> {
    match g {
        BatchState::Num(n) => qtables::number_state(name, *n).map_err(to_js),
        BatchState::Str(s) => Ok(State::Str(s)),
    }
}

fn on_table<R>(handle: u32, f: impl FnOnce(&mut QTable) -> elex_engine::Result<R>) -> JsResult<R> {
    with(handle, f).map_err(to_js)
}

/// A Uint8Array over both text boxes; stale after memory growth, like the mailbox's view.
#[wasm_bindgen(js_name = qtableTextBox)]
pub fn qtable_text_box() -> js_sys::Uint8Array {
    // SAFETY: a view of this thread's leaked buffer; the facade re-fetches it after memory
    // growth detaches it.
    unsafe { js_sys::Uint8Array::view(&*qtables::text_ptr()) }
}

/// A Float64Array over the mailbox. It views WebAssembly memory, so it goes stale (length 0)
/// when the memory grows; the facade fetches a new one then.
#[wasm_bindgen(js_name = qtableMailbox)]
pub fn qtable_mailbox() -> js_sys::Float64Array {
    // SAFETY: as in `qtable_text_box`.
    unsafe { js_sys::Float64Array::view(&*qtables::mailbox_ptr()) }
}

const _: () = assert!(SLOTS == 8 && TEXT_BYTES == 1024);

// The per-step calls return a plain f64 and report an error as NaN, leaving the Error for
// `qtableTakeError`: a `Result` return crosses as a multi-value tuple, which the wasm-bindgen
// glue receives as a fresh JS array on every call (~3x the cost of the call itself).
thread_local! {
    static PENDING_ERROR: RefCell<Option<JsValue>> = const { RefCell::new(None) };
}

fn or_nan(r: elex_engine::Result<f64>) -> f64 {
    r.unwrap_or_else(|e| {
        PENDING_ERROR.with(|p| *p.borrow_mut() = Some(to_js(e)));
        f64::NAN
    })
}

/// The Error behind the last NaN a per-step call returned (`undefined` if none).
#[wasm_bindgen(js_name = qtableTakeError)]
pub fn qtable_take_error() -> JsValue {
    PENDING_ERROR.with(|p| p.borrow_mut().take()).unwrap_or(JsValue::UNDEFINED)
}

#[wasm_bindgen(js_name = qtableSelectNum)]
pub fn qtable_select_num() -> f64 {
    or_nan(qtables::select_num().map(f64::from))
}

#[wasm_bindgen(js_name = qtableUpdateNum)]
pub fn qtable_update_num() -> f64 {
    or_nan(qtables::update_num())
}

#[wasm_bindgen(js_name = qtableBestNum)]
pub fn qtable_best_num() -> f64 {
    or_nan(qtables::best_num().map(f64::from))
}

#[wasm_bindgen(js_name = qtableSelectText)]
pub fn qtable_select_text() -> f64 {
    or_nan(qtables::select_text().map(f64::from))
}

#[wasm_bindgen(js_name = qtableUpdateText)]
pub fn qtable_update_text() -> f64 {
    or_nan(qtables::update_text())
}

#[wasm_bindgen(js_name = qtableBestText)]
pub fn qtable_best_text() -> f64 {
    or_nan(qtables::best_text().map(f64::from))
}

#[wasm_bindgen(js_name = qtableSelect)]
pub fn qtable_select(handle: u32, s: &JsValue) -> JsResult<u32> {
    let mut buf = String::new();
    let s = state("state", s, &mut buf)?;
    on_table(handle, |t| Ok(t.select_action(s)))
}

#[wasm_bindgen(js_name = qtableBest)]
pub fn qtable_best(handle: u32, s: &JsValue) -> JsResult<u32> {
    let mut buf = String::new();
    let s = state("state", s, &mut buf)?;
    on_table(handle, |t| Ok(t.best_action(s)))
}

#[wasm_bindgen(js_name = qtableUpdate)]
pub fn qtable_update(handle: u32, s: &JsValue, action: f64, reward: f64, next: &JsValue) -> JsResult<f64> {
    let (mut b1, mut b2) = (String::new(), String::new());
    let next =
        if next.is_null() || next.is_undefined() { None } else { Some(state("nextState", next, &mut b2)?) };
    let s = state("state", s, &mut b1)?;
    on_table(handle, |t| t.update(s, qtables::action(t, action)?, reward, next))
}

#[wasm_bindgen(js_name = qtableUpdateBatch)]
pub fn qtable_update_batch(
    handle: u32, states: js_sys::Array, actions: &[u32], rewards: &[f32], next_states: js_sys::Array,
) -> JsResult<()> {
    let given_states: Vec<BatchState> =
        states.iter().map(|v| given("states[i]", v)).collect::<JsResult<_>>()?;
    let given_next: Vec<Option<BatchState>> = next_states
        .iter()
        .map(|v| if v.is_null() || v.is_undefined() { Ok(None) } else { given("nextStates[i]", v).map(Some) })
        .collect::<JsResult<_>>()?;
    let states: Vec<State> = given_states.iter().map(|g| decoded("states[i]", g)).collect::<JsResult<_>>()?;
    let next: Vec<Option<State>> = given_next
        .iter()
        .map(|g| g.as_ref().map(|g| decoded("nextStates[i]", g)).transpose())
        .collect::<JsResult<_>>()?;
    on_table(handle, |t| t.update_batch(&states, actions, rewards, &next))
}

/// updateBatch when every state is a number: typed arrays only.
#[wasm_bindgen(js_name = qtableUpdateBatchNum)]
pub fn qtable_update_batch_num(
    handle: u32, states: &[f64], actions: &[u32], rewards: &[f32], next: &[f64], terminal: &[u8],
) -> JsResult<()> {
    on_table(handle, |t| qtables::update_batch_numeric(t, states, actions, rewards, next, terminal))
}

/// The caller used the last speculated action (see `QTable::speculate`).
#[wasm_bindgen(js_name = qtableConsumePending)]
pub fn qtable_consume_pending(handle: u32) -> JsResult<()> {
    on_table(handle, qtables::consume_pending)
}

#[wasm_bindgen(js_name = qtableEndEpisode)]
pub fn qtable_end_episode(handle: u32) -> JsResult<()> {
    on_table(handle, qtables::end_episode)
}

#[wasm_bindgen(js_name = qtableQValues)]
pub fn qtable_q_values(handle: u32, s: &JsValue, out: &mut [f32]) -> JsResult<()> {
    let mut buf = String::new();
    let s = state("state", s, &mut buf)?;
    on_table(handle, |t| t.q_values_into(s, out))
}

#[wasm_bindgen(js_name = qtableVisits)]
pub fn qtable_visits(handle: u32, s: &JsValue, out: &mut [u32]) -> JsResult<()> {
    let mut buf = String::new();
    let s = state("state", s, &mut buf)?;
    on_table(handle, |t| t.visits_into(s, out))
}

#[wasm_bindgen(js_name = qtableConfidence)]
pub fn qtable_confidence(handle: u32, s: &JsValue) -> JsResult<f64> {
    let mut buf = String::new();
    let s = state("state", s, &mut buf)?;
    on_table(handle, |t| Ok(t.confidence(s)))
}

#[wasm_bindgen(js_name = qtableMerge)]
pub fn qtable_merge(handle: u32, other: u32) -> JsResult<()> {
    let other = on_table(other, |t: &mut QTable| Ok(t.clone()))?;
    on_table(handle, |t| t.merge(&other))
}

#[wasm_bindgen(js_name = qtableMergeBytes)]
pub fn qtable_merge_bytes(handle: u32, bytes: &[u8]) -> JsResult<()> {
    let other = QTable::from_bytes(bytes).map_err(to_js)?;
    on_table(handle, |t| t.merge(&other))
}

#[wasm_bindgen(js_name = qtableToBytes)]
pub fn qtable_to_bytes(handle: u32, key: Option<Vec<u8>>) -> JsResult<Vec<u8>> {
    on_table(handle, |t| match key {
        None => Ok(t.to_bytes()),
        Some(key) => t.to_sealed_bytes(&key),
    })
}

/// [size, epsilon, actions, states, entries, updates, memoryBytes] into `out`.
#[wasm_bindgen(js_name = qtableInfo)]
pub fn qtable_info(handle: u32, out: &mut [f64]) -> JsResult<()> {
    on_table(handle, |t| qtables::info(t, out))
}

/// The Q-table object: owns its handle; the facade passes the options positionally.
#[wasm_bindgen(js_name = QTable)]
pub struct JsQTable(Owned<QTable>);

#[wasm_bindgen(js_class = QTable)]
impl JsQTable {
    /// `numbers`, `given`: the packed numeric options (see `elex_bind::args::qlearning_config`).
    #[wasm_bindgen(constructor)]
    pub fn new(numbers: &[f64], given: u32, policy: Option<String>) -> JsResult<JsQTable> {
        let cfg = args::qlearning_config(Given { values: numbers, mask: given }, policy.as_deref());
        Ok(JsQTable(Owned::new(QTable::new(cfg.map_err(to_js)?))))
    }

    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(bytes: &[u8], key: Option<Vec<u8>>) -> JsResult<JsQTable> {
        Ok(JsQTable(Owned::new(QTable::from_snapshot(bytes, key.as_deref()).map_err(to_js)?)))
    }

    #[wasm_bindgen(getter)]
    pub fn handle(&self) -> u32 {
        self.0.handle()
    }
}
