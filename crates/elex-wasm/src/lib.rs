//! wasm-bindgen wrapper of elex-engine: convert arguments, call the engine, turn `ElexError`
//! into a JS `Error` with `.code`. No logic lives here. Argument *types* are checked by the
//! shared JS facade (`js/api.mjs`) before a call reaches this module, for both backends alike.

use elex_engine::kernels;
use elex_engine::types::{Dim, Discount, Finite, LearningRate, TopK};
use elex_engine::ElexError;
use js_sys::{Float32Array, Object, Reflect, Uint32Array};
use wasm_bindgen::prelude::*;

pub mod security;

pub(crate) type JsResult<T> = Result<T, JsValue>;

pub(crate) fn to_js(e: ElexError) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    // Setting a property on a fresh Error object cannot fail; nothing to recover if it did.
    let _ = Reflect::set(&err, &"code".into(), &e.code().into());
    err.into()
}

fn set(obj: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &key.into(), value);
}

#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

#[wasm_bindgen(js_name = simdLevel)]
pub fn simd_level() -> String {
    elex_engine::simd::simd_level().to_string()
}

#[wasm_bindgen(js_name = dotProduct)]
pub fn dot_product(a: &[f32], b: &[f32]) -> JsResult<f64> {
    kernels::dot_product(a, b).map_err(to_js)
}

#[wasm_bindgen(js_name = cosineSimilarity)]
pub fn cosine_similarity(a: &[f32], b: &[f32]) -> JsResult<f64> {
    kernels::cosine_similarity(a, b).map_err(to_js)
}

#[wasm_bindgen]
/// Writes into `out` (the facade allocates it), like the native addon.
pub fn normalize(v: &[f32], out: &mut [f32]) -> JsResult<()> {
    kernels::normalize_into(v, out).map_err(to_js)
}

#[wasm_bindgen(js_name = topKSimilar)]
pub fn top_k_similar(query: &[f32], matrix: &[f32], dim: f64, k: f64) -> JsResult<Object> {
    let r =
        kernels::top_k_similar(query, matrix, Dim::new(dim).map_err(to_js)?, TopK::new(k).map_err(to_js)?)
            .map_err(to_js)?;
    Ok(top_k_object(&r))
}

fn top_k_object(r: &kernels::TopKResult) -> Object {
    let obj = Object::new();
    set(&obj, "indices", &Uint32Array::from(r.indices.as_slice()).into());
    set(&obj, "scores", &Float32Array::from(r.scores.as_slice()).into());
    obj
}

/// Benchmark aid (not part of the API): `times` scans inside the engine, one boundary crossing.
#[wasm_bindgen(js_name = __repeatTopKSimilar)]
pub fn repeat_top_k_similar(query: &[f32], matrix: &[f32], dim: f64, k: f64, times: f64) -> JsResult<Object> {
    let (dim, k, times) =
        (Dim::new(dim).map_err(to_js)?, TopK::new(k).map_err(to_js)?, TopK::new(times).map_err(to_js)?);
    let r = kernels::top_k_similar_repeated(query, matrix, dim, k, times).map_err(to_js)?;
    Ok(top_k_object(&r))
}

#[wasm_bindgen(js_name = batchQUpdate)]
pub fn batch_q_update(
    q: &[f32],
    rewards: &[f32],
    next_max_q: &[f32],
    alpha: f64,
    gamma: f64,
    out: &mut [f32],
) -> JsResult<()> {
    let alpha = LearningRate::new(alpha).map_err(to_js)?;
    let gamma = Discount::new(gamma).map_err(to_js)?;
    kernels::batch_q_update_into(q, rewards, next_max_q, alpha, gamma, out).map_err(to_js)
}

#[wasm_bindgen(js_name = validateRanges)]
pub fn validate_ranges(values: &[f32], min: &[f32], max: &[f32], out: &mut [u8]) -> JsResult<()> {
    kernels::validate_ranges_into(values, min, max, out).map_err(to_js)
}

/// Writes [sum, weightedSum, max, countAbove] into `out`, like the native addon.
#[wasm_bindgen]
pub fn aggregate(values: &[f32], weights: &[f32], threshold: f64, out: &mut [f64]) -> JsResult<()> {
    let threshold = Finite::new("threshold", threshold).map_err(to_js)?;
    kernels::aggregate_into(values, weights, threshold, out).map_err(to_js)
}

// ---- Q-learning ----

use elex_engine::handles::Slab;
use elex_engine::qlearning::{self, mailbox, QLearningConfig, QLearningOptions, State};
use std::cell::{RefCell, UnsafeCell};

/// A JS state (number or string; the facade has checked the type) as an engine state.
/// Strings are copied out of JS first, so the returned state borrows `buf`.
fn state<'a>(value: &JsValue, buf: &'a mut String) -> JsResult<State<'a>> {
    if let Some(n) = value.as_f64() {
        return State::number(n).map_err(to_js);
    }
    match value.as_string() {
        Some(s) => {
            *buf = s;
            Ok(State::Str(buf.as_str()))
        }
        None => Err(to_js(ElexError::InvalidArgument("a state must be a number or a string".into()))),
    }
}

/// Owned form of a JS state, for arrays of them.
enum OwnedState {
    Num(f64),
    Str(String),
}

fn owned(value: &JsValue) -> JsResult<OwnedState> {
    if let Some(n) = value.as_f64() {
        return Ok(OwnedState::Num(n));
    }
    value
        .as_string()
        .map(OwnedState::Str)
        .ok_or_else(|| to_js(ElexError::InvalidArgument("a state must be a number or a string".into())))
}

fn borrowed(s: &OwnedState) -> JsResult<State<'_>> {
    match s {
        OwnedState::Num(n) => State::number(*n).map_err(to_js),
        OwnedState::Str(s) => Ok(State::Str(s)),
    }
}

thread_local! {
    // The tables of this module instance, by handle (see elex_engine::handles for why).
    static TABLES: RefCell<Slab<qlearning::QTable>> = RefCell::new(Slab::default());
}

/// Hot-call arguments, written by the facade through `qtableMailbox()`'s view.
static MAILBOX: Mailbox = Mailbox(UnsafeCell::new([0.0; mailbox::SLOTS]));
struct Mailbox(UnsafeCell<[f64; mailbox::SLOTS]>);
// SAFETY: wasm32-unknown-unknown runs this module on one thread.
unsafe impl Sync for Mailbox {}

fn read_mailbox() -> [f64; mailbox::SLOTS] {
    // SAFETY: single-threaded, and JS cannot run during this call.
    unsafe { *MAILBOX.0.get() }
}

fn write_mailbox(m: &[f64; mailbox::SLOTS]) {
    // SAFETY: as in `read_mailbox`.
    unsafe { *MAILBOX.0.get() = *m }
}

pub(crate) type Registry<T> = std::thread::LocalKey<RefCell<Slab<T>>>;

/// Runs `f` on the object behind `handle` in one of the registries.
pub(crate) fn with_handle<T: 'static, R>(
    registry: &'static Registry<T>,
    handle: u32,
    f: impl FnOnce(&mut T) -> JsResult<R>,
) -> JsResult<R> {
    registry.with(|objects| {
        let mut objects = objects.try_borrow_mut().map_err(|_| {
            to_js(ElexError::Internal("the object registry is busy (re-entrant call)".into()))
        })?;
        let object = objects
            .get_mut(handle)
            .ok_or_else(|| to_js(ElexError::InvalidArgument(format!("no object with handle {handle}"))))?;
        f(object)
    })
}

fn with_table<R>(handle: u32, f: impl FnOnce(&mut qlearning::QTable) -> JsResult<R>) -> JsResult<R> {
    with_handle(&TABLES, handle, f)
}

/// The two text boxes (state, next state) of string-state hot calls, written by the facade
/// through `qtableTextBox()`'s view (see `mailbox::TEXT_BYTES`).
static TEXT: TextBoxes = TextBoxes(UnsafeCell::new([0; 2 * mailbox::TEXT_BYTES]));
struct TextBoxes(UnsafeCell<[u8; 2 * mailbox::TEXT_BYTES]>);
// SAFETY: wasm32-unknown-unknown runs this module on one thread.
unsafe impl Sync for TextBoxes {}

fn text_boxes() -> (&'static [u8], &'static [u8]) {
    // SAFETY: single-threaded, and JS cannot write the buffer during a call.
    let all: &'static [u8; 2 * mailbox::TEXT_BYTES] = unsafe { &*TEXT.0.get() };
    all.split_at(mailbox::TEXT_BYTES)
}

/// A Uint8Array over both text boxes; stale after memory growth, like the mailbox's view.
#[wasm_bindgen(js_name = qtableTextBox)]
pub fn qtable_text_box() -> js_sys::Uint8Array {
    // SAFETY: a view of a static; the facade re-fetches it after memory growth detaches it.
    unsafe { js_sys::Uint8Array::view(&*TEXT.0.get()) }
}

/// A Float64Array over the mailbox. It views WebAssembly memory, so it goes stale (length 0)
/// when the memory grows; the facade fetches a new one then.
#[wasm_bindgen(js_name = qtableMailbox)]
pub fn qtable_mailbox() -> js_sys::Float64Array {
    // SAFETY: a view of a static; the facade re-fetches it after memory growth detaches it.
    unsafe { js_sys::Float64Array::view(&*MAILBOX.0.get()) }
}

// The per-step calls return a plain f64 and report an error as NaN, leaving the Error for
// `qtableTakeError`: a `Result` return crosses as a multi-value tuple, which the wasm-bindgen glue
// receives as a fresh JS array on every call (~3x the cost of the call itself).
thread_local! {
    static PENDING_ERROR: RefCell<Option<JsValue>> = const { RefCell::new(None) };
}

fn or_nan(r: JsResult<f64>) -> f64 {
    r.unwrap_or_else(|e| {
        PENDING_ERROR.with(|p| *p.borrow_mut() = Some(e));
        f64::NAN
    })
}

/// The Error behind the last NaN a per-step call returned (`undefined` if none).
#[wasm_bindgen(js_name = qtableTakeError)]
pub fn qtable_take_error() -> JsValue {
    PENDING_ERROR.with(|p| p.borrow_mut().take()).unwrap_or(JsValue::UNDEFINED)
}

/// One per-step call: the mailbox's table runs `step` on the mailbox (update leaves its TD
/// error in slot 1 too), written back afterwards; an error becomes NaN (see `or_nan`).
fn on_table(
    step: impl FnOnce(&mut qlearning::QTable, &mut [f64; mailbox::SLOTS]) -> elex_engine::error::Result<f64>,
) -> f64 {
    let mut m = read_mailbox();
    let out = or_nan(
        mailbox::handle(&m).map_err(to_js).and_then(|h| with_table(h, |t| step(t, &mut m).map_err(to_js))),
    );
    write_mailbox(&m);
    out
}

/// selectAction with a numeric state; arguments in the mailbox: [handle, state, consumed].
#[wasm_bindgen(js_name = qtableSelectNum)]
pub fn qtable_select_num() -> f64 {
    on_table(|t, m| mailbox::select(t, m).map(f64::from))
}

/// update with numeric states (see `mailbox::update`); the TD error also in slot 1.
#[wasm_bindgen(js_name = qtableUpdateNum)]
pub fn qtable_update_num() -> f64 {
    on_table(mailbox::update)
}

/// bestAction with a numeric state; mailbox: [handle, state].
#[wasm_bindgen(js_name = qtableBestNum)]
pub fn qtable_best_num() -> f64 {
    on_table(|t, m| mailbox::best(t, m).map(f64::from))
}

/// selectAction with a string state: mailbox [handle, length, consumed], UTF-8 in the text box.
#[wasm_bindgen(js_name = qtableSelectText)]
pub fn qtable_select_text() -> f64 {
    on_table(|t, m| mailbox::select_text(t, m, text_boxes().0).map(f64::from))
}

/// update with string states (see `mailbox::update_text`); the TD error also in slot 1.
#[wasm_bindgen(js_name = qtableUpdateText)]
pub fn qtable_update_text() -> f64 {
    on_table(|t, m| {
        let (text, next) = text_boxes();
        mailbox::update_text(t, m, text, next)
    })
}

/// bestAction with a string state: mailbox [handle, length], UTF-8 in the text box.
#[wasm_bindgen(js_name = qtableBestText)]
pub fn qtable_best_text() -> f64 {
    on_table(|t, m| mailbox::best_text(t, m, text_boxes().0).map(f64::from))
}

#[wasm_bindgen(js_name = qtableSelect)]
pub fn qtable_select(handle: u32, s: &JsValue) -> JsResult<u32> {
    let mut buf = String::new();
    let s = state(s, &mut buf)?;
    with_table(handle, |t| Ok(t.select_action(s)))
}

#[wasm_bindgen(js_name = qtableBest)]
pub fn qtable_best(handle: u32, s: &JsValue) -> JsResult<u32> {
    let mut buf = String::new();
    let s = state(s, &mut buf)?;
    with_table(handle, |t| Ok(t.best_action(s)))
}

#[wasm_bindgen(js_name = qtableUpdate)]
pub fn qtable_update(handle: u32, s: &JsValue, action: f64, reward: f64, next: &JsValue) -> JsResult<f64> {
    let (mut b1, mut b2) = (String::new(), String::new());
    let next = if next.is_null() || next.is_undefined() { None } else { Some(state(next, &mut b2)?) };
    let s = state(s, &mut b1)?;
    with_table(handle, |t| t.update(s, action, reward, next).map_err(to_js))
}

#[wasm_bindgen(js_name = qtableUpdateBatch)]
pub fn qtable_update_batch(
    handle: u32,
    states: js_sys::Array,
    actions: &[u32],
    rewards: &[f32],
    next_states: js_sys::Array,
) -> JsResult<()> {
    let owned_states: Vec<OwnedState> = states.iter().map(|v| owned(&v)).collect::<JsResult<_>>()?;
    let owned_next: Vec<Option<OwnedState>> = next_states
        .iter()
        .map(|v| if v.is_null() || v.is_undefined() { Ok(None) } else { owned(&v).map(Some) })
        .collect::<JsResult<_>>()?;
    let states: Vec<State> = owned_states.iter().map(borrowed).collect::<JsResult<_>>()?;
    let next: Vec<Option<State>> =
        owned_next.iter().map(|s| s.as_ref().map(borrowed).transpose()).collect::<JsResult<_>>()?;
    with_table(handle, |t| t.update_batch(&states, actions, rewards, &next).map_err(to_js))
}

/// updateBatch when every state is a number: typed arrays only.
#[wasm_bindgen(js_name = qtableUpdateBatchNum)]
pub fn qtable_update_batch_num(
    handle: u32,
    states: &[f64],
    actions: &[u32],
    rewards: &[f32],
    next: &[f64],
    terminal: &[u8],
) -> JsResult<()> {
    with_table(handle, |t| {
        mailbox::update_batch_numeric(t, states, actions, rewards, next, terminal).map_err(to_js)
    })
}

/// The caller used the last speculated action (see `QTable::speculate`).
#[wasm_bindgen(js_name = qtableConsumePending)]
pub fn qtable_consume_pending(handle: u32) -> JsResult<()> {
    with_table(handle, |t| {
        t.consume_pending();
        Ok(())
    })
}

#[wasm_bindgen(js_name = qtableEndEpisode)]
pub fn qtable_end_episode(handle: u32) -> JsResult<()> {
    with_table(handle, |t| {
        t.end_episode();
        Ok(())
    })
}

#[wasm_bindgen(js_name = qtableQValues)]
pub fn qtable_q_values(handle: u32, s: &JsValue, out: &mut [f32]) -> JsResult<()> {
    let mut buf = String::new();
    let s = state(s, &mut buf)?;
    with_table(handle, |t| t.q_values_into(s, out).map_err(to_js))
}

#[wasm_bindgen(js_name = qtableVisits)]
pub fn qtable_visits(handle: u32, s: &JsValue, out: &mut [u32]) -> JsResult<()> {
    let mut buf = String::new();
    let s = state(s, &mut buf)?;
    with_table(handle, |t| t.visits_into(s, out).map_err(to_js))
}

#[wasm_bindgen(js_name = qtableConfidence)]
pub fn qtable_confidence(handle: u32, s: &JsValue) -> JsResult<f64> {
    let mut buf = String::new();
    let s = state(s, &mut buf)?;
    with_table(handle, |t| Ok(t.confidence(s)))
}

#[wasm_bindgen(js_name = qtableMerge)]
pub fn qtable_merge(handle: u32, other: u32) -> JsResult<()> {
    let other = with_table(other, |t| Ok(t.clone()))?;
    with_table(handle, |t| t.merge(&other).map_err(to_js))
}

#[wasm_bindgen(js_name = qtableMergeBytes)]
pub fn qtable_merge_bytes(handle: u32, bytes: &[u8]) -> JsResult<()> {
    let other = qlearning::QTable::from_bytes(bytes).map_err(to_js)?;
    with_table(handle, |t| t.merge(&other).map_err(to_js))
}

#[wasm_bindgen(js_name = qtableToBytes)]
pub fn qtable_to_bytes(handle: u32, key: Option<Vec<u8>>) -> JsResult<Vec<u8>> {
    with_table(handle, |t| match key {
        None => Ok(t.to_bytes()),
        Some(key) => t.to_sealed_bytes(&key).map_err(to_js),
    })
}

/// [size, epsilon, actions, states, entries, updates, memoryBytes] into `out`.
#[wasm_bindgen(js_name = qtableInfo)]
pub fn qtable_info(handle: u32, out: &mut [f64]) -> JsResult<()> {
    with_table(handle, |t| mailbox::info(t, out).map_err(to_js))
}

/// The Q-table object: owns a handle into the registry and frees it with the object.
#[wasm_bindgen(js_name = QTable)]
pub struct JsQTable {
    handle: u32,
}

impl Drop for JsQTable {
    fn drop(&mut self) {
        let _ = TABLES.try_with(|t| t.try_borrow_mut().map(|mut t| t.remove(self.handle)));
    }
}

fn register(table: qlearning::QTable) -> JsQTable {
    JsQTable { handle: TABLES.with(|t| t.borrow_mut().insert(table)) }
}

#[wasm_bindgen(js_class = QTable)]
impl JsQTable {
    #[wasm_bindgen(constructor)]
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        actions: Option<f64>,
        alpha: Option<f64>,
        gamma: Option<f64>,
        epsilon: Option<f64>,
        epsilon_decay: Option<f64>,
        min_epsilon: Option<f64>,
        policy: Option<String>,
        ucb_c: Option<f64>,
        seed: Option<f64>,
    ) -> JsResult<JsQTable> {
        let options = QLearningOptions {
            actions,
            alpha,
            gamma,
            epsilon,
            epsilon_decay,
            min_epsilon,
            policy,
            ucb_c,
            seed,
        };
        Ok(register(qlearning::QTable::new(QLearningConfig::new(&options).map_err(to_js)?)))
    }

    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(bytes: &[u8], key: Option<Vec<u8>>) -> JsResult<JsQTable> {
        Ok(register(qlearning::QTable::from_snapshot(bytes, key.as_deref()).map_err(to_js)?))
    }

    #[wasm_bindgen(getter)]
    pub fn handle(&self) -> u32 {
        self.handle
    }
}

// ---- Vector index (HNSW) ----

use elex_engine::index::{self, HnswIndex, IndexConfig, IndexOptions};

thread_local! {
    static INDEXES: RefCell<Slab<HnswIndex>> = RefCell::new(Slab::default());
}

fn with_index<R>(handle: u32, f: impl FnOnce(&mut HnswIndex) -> JsResult<R>) -> JsResult<R> {
    with_handle(&INDEXES, handle, f)
}

fn neighbours_out(r: &index::SearchResult) -> Object {
    let obj = Object::new();
    set(&obj, "ids", &Uint32Array::from(r.ids.as_slice()).into());
    set(&obj, "distances", &Float32Array::from(r.distances.as_slice()).into());
    obj
}

#[wasm_bindgen(js_name = indexAdd)]
pub fn index_add(handle: u32, id: f64, vector: &[f32]) -> JsResult<()> {
    let id = index::id_from(id).map_err(to_js)?;
    with_index(handle, |ix| ix.add(id, vector).map_err(to_js))
}

#[wasm_bindgen(js_name = indexAddBatch)]
pub fn index_add_batch(handle: u32, ids: &[u32], vectors: &[f32]) -> JsResult<()> {
    with_index(handle, |ix| ix.add_batch(ids, vectors).map_err(to_js))
}

/// Checks a whole batch (lengths, values, ids) without adding anything.
#[wasm_bindgen(js_name = indexCheckBatch)]
pub fn index_check_batch(handle: u32, ids: &[u32], vectors: &[f32]) -> JsResult<()> {
    with_index(handle, |ix| ix.check_batch(ids, vectors).map(|_| ()).map_err(to_js))
}

/// The native addon links this slice on another thread and resolves a Promise; WebAssembly
/// here has one thread, so it links the slice now and returns `null` (no error), and the
/// facade yields to the event loop between slices.
#[wasm_bindgen(js_name = indexAddBatchAsync)]
pub fn index_add_batch_async(handle: u32, ids: &[u32], vectors: &[f32]) -> JsValue {
    match with_index(handle, |ix| ix.add_batch(ids, vectors).map_err(to_js)) {
        Ok(()) => JsValue::NULL,
        Err(e) => {
            let code = Reflect::get(&e, &"code".into()).unwrap_or(JsValue::UNDEFINED);
            let message = Reflect::get(&e, &"message".into()).unwrap_or(JsValue::UNDEFINED);
            js_sys::Array::of2(&code, &message).into()
        }
    }
}

#[wasm_bindgen(js_name = indexRemove)]
pub fn index_remove(handle: u32, id: f64) -> JsResult<bool> {
    let id = index::id_from(id).map_err(to_js)?;
    with_index(handle, |ix| Ok(ix.remove(id)))
}

#[wasm_bindgen(js_name = indexHas)]
pub fn index_has(handle: u32, id: f64) -> JsResult<bool> {
    let id = index::id_from(id).map_err(to_js)?;
    with_index(handle, |ix| Ok(ix.has(id)))
}

#[wasm_bindgen(js_name = indexSearch)]
pub fn index_search(
    handle: u32,
    query: &[f32],
    k: f64,
    ef: Option<f64>,
    exact: Option<bool>,
) -> JsResult<Object> {
    let (k, ef) = index::search_args(k, ef).map_err(to_js)?;
    with_index(handle, |ix| {
        let r = if exact == Some(true) { ix.search_exact(query, k) } else { ix.search(query, k, ef) };
        r.map(|r| neighbours_out(&r)).map_err(to_js)
    })
}

#[wasm_bindgen(js_name = indexSearchBatch)]
pub fn index_search_batch(
    handle: u32,
    queries: &[f32],
    k: f64,
    ef: Option<f64>,
    exact: Option<bool>,
) -> JsResult<Object> {
    let (k, ef) = index::search_args(k, ef).map_err(to_js)?;
    let exact = exact == Some(true);
    with_index(handle, |ix| ix.search_batch(queries, k, ef, exact).map(|r| neighbours_out(&r)).map_err(to_js))
}

#[wasm_bindgen(js_name = indexToBytes)]
pub fn index_to_bytes(handle: u32, key: Option<Vec<u8>>) -> JsResult<Vec<u8>> {
    with_index(handle, |ix| match key {
        None => Ok(ix.to_bytes()),
        Some(key) => ix.to_sealed_bytes(&key).map_err(to_js),
    })
}

/// [size, dim, memoryBytes] into `out`.
#[wasm_bindgen(js_name = indexInfo)]
pub fn index_info(handle: u32, out: &mut [f64]) -> JsResult<()> {
    with_index(handle, |ix| index::info_into(ix, out).map_err(to_js))
}

/// The index object: owns a handle into the registry and frees it with the object.
#[wasm_bindgen(js_name = VectorIndex)]
pub struct JsVectorIndex {
    handle: u32,
}

impl Drop for JsVectorIndex {
    fn drop(&mut self) {
        let _ = INDEXES.try_with(|t| t.try_borrow_mut().map(|mut t| t.remove(self.handle)));
    }
}

#[wasm_bindgen(js_class = VectorIndex)]
impl JsVectorIndex {
    #[wasm_bindgen(constructor)]
    pub fn new(
        dim: Option<f64>,
        metric: Option<String>,
        m: Option<f64>,
        ef_construction: Option<f64>,
        ef_search: Option<f64>,
        seed: Option<f64>,
    ) -> JsResult<JsVectorIndex> {
        let options = IndexOptions { dim, metric, m, ef_construction, ef_search, seed };
        let ix = HnswIndex::new(IndexConfig::new(&options).map_err(to_js)?);
        Ok(JsVectorIndex { handle: INDEXES.with(|t| t.borrow_mut().insert(ix)) })
    }

    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(bytes: &[u8], key: Option<Vec<u8>>) -> JsResult<JsVectorIndex> {
        let ix = HnswIndex::from_snapshot(bytes, key.as_deref()).map_err(to_js)?;
        Ok(JsVectorIndex { handle: INDEXES.with(|t| t.borrow_mut().insert(ix)) })
    }

    #[wasm_bindgen(getter)]
    pub fn handle(&self) -> u32 {
        self.handle
    }
}

#[cfg(feature = "threads")]
pub mod threads;
