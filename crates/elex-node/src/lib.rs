//! napi-rs wrapper of elex-engine: convert arguments, call the engine, turn `ElexError` into a
//! JS `Error` with `.code`. No logic lives here. Typed arrays are borrowed, not copied
//! (napi hands us the view's own start, so `subarray()` offsets are already applied).
//! Every export is `catch_unwind`: a bug becomes an `Error`, never an abort.

use elex_engine::kernels;
use elex_engine::types::{Dim, Discount, Finite, LearningRate, TopK};
use elex_engine::ElexError;
use napi::bindgen_prelude::{Float32ArraySlice, Float64ArraySlice, Uint32ArraySlice, Uint8ArraySlice};
use napi::Env;
use napi_derive::napi;

mod hot;
pub mod security;

/// The contract code, carried to JS as the error's `.code`.
pub struct Code(pub(crate) &'static str);

impl AsRef<str> for Code {
    fn as_ref(&self) -> &str {
        self.0
    }
}

// Named `Result` on purpose: napi-derive recognises fallible exports by that name.
pub(crate) type Result<T> = std::result::Result<T, napi::Error<Code>>;

pub(crate) fn to_js(e: ElexError) -> napi::Error<Code> {
    napi::Error::new(Code(e.code()), e.to_string())
}

fn napi_failure(e: napi::Error) -> napi::Error<Code> {
    napi::Error::new(Code("INTERNAL"), e.reason)
}

// Results are copied into V8-allocated typed arrays: for the sizes kernels return this is
// ~10x cheaper than handing V8 an external buffer (which costs a finalizer and GC tracking).
fn f32_out<'e>(env: &'e Env, v: &[f32]) -> Result<Float32ArraySlice<'e>> {
    Float32ArraySlice::copy_from(env, v).map_err(napi_failure)
}

#[napi(catch_unwind)]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

#[napi(catch_unwind)]
pub fn simd_level() -> String {
    elex_engine::simd::simd_level().to_string()
}

#[napi(catch_unwind)]
pub fn dot_product(a: &[f32], b: &[f32]) -> Result<f64> {
    kernels::dot_product(a, b).map_err(to_js)
}

#[napi(catch_unwind)]
pub fn cosine_similarity(a: &[f32], b: &[f32]) -> Result<f64> {
    kernels::cosine_similarity(a, b).map_err(to_js)
}

/// Writes into `out`, a fresh array of the same length that the JS facade allocates:
/// allocating in JS is far cheaper than creating an ArrayBuffer from native code.
#[napi(catch_unwind)]
pub fn normalize(v: &[f32], mut out: Float32ArraySlice) -> Result<()> {
    // SAFETY: the call is synchronous, so no JS runs while we hold the slice, and the facade
    // passes a newly allocated `out` that no input can alias.
    kernels::normalize_into(v, unsafe { out.as_mut() }).map_err(to_js)
}

#[napi(object)]
pub struct TopKSimilar<'e> {
    pub indices: Uint32ArraySlice<'e>,
    pub scores: Float32ArraySlice<'e>,
}

fn top_k_out<'e>(env: &'e Env, r: kernels::TopKResult) -> Result<TopKSimilar<'e>> {
    Ok(TopKSimilar {
        indices: Uint32ArraySlice::copy_from(env, &r.indices).map_err(napi_failure)?,
        scores: f32_out(env, &r.scores)?,
    })
}

#[napi(catch_unwind)]
pub fn top_k_similar<'e>(
    env: &'e Env,
    query: &[f32],
    matrix: &[f32],
    dim: f64,
    k: f64,
) -> Result<TopKSimilar<'e>> {
    let r =
        kernels::top_k_similar(query, matrix, Dim::new(dim).map_err(to_js)?, TopK::new(k).map_err(to_js)?)
            .map_err(to_js)?;
    top_k_out(env, r)
}

/// Benchmark aid (not part of the API): `times` scans inside the engine, one boundary crossing.
#[napi(catch_unwind, js_name = "__repeatTopKSimilar")]
pub fn repeat_top_k_similar<'e>(
    env: &'e Env,
    query: &[f32],
    matrix: &[f32],
    dim: f64,
    k: f64,
    times: f64,
) -> Result<TopKSimilar<'e>> {
    let (dim, k, times) =
        (Dim::new(dim).map_err(to_js)?, TopK::new(k).map_err(to_js)?, TopK::new(times).map_err(to_js)?);
    let r = kernels::top_k_similar_repeated(query, matrix, dim, k, times).map_err(to_js)?;
    top_k_out(env, r)
}

#[napi(catch_unwind)]
pub fn batch_q_update(
    q: &[f32],
    rewards: &[f32],
    next_max_q: &[f32],
    alpha: f64,
    gamma: f64,
    mut out: Float32ArraySlice,
) -> Result<()> {
    let alpha = LearningRate::new(alpha).map_err(to_js)?;
    let gamma = Discount::new(gamma).map_err(to_js)?;
    // SAFETY: as in `normalize`.
    kernels::batch_q_update_into(q, rewards, next_max_q, alpha, gamma, unsafe { out.as_mut() }).map_err(to_js)
}

#[napi(catch_unwind)]
pub fn validate_ranges(values: &[f32], min: &[f32], max: &[f32], mut out: Uint8ArraySlice) -> Result<()> {
    // SAFETY: as in `normalize`.
    kernels::validate_ranges_into(values, min, max, unsafe { out.as_mut() }).map_err(to_js)
}

/// Writes [sum, weightedSum, max, countAbove] into `out` (a Float64Array(4) from the facade,
/// which builds the result object: cheaper than creating an object from native code).
#[napi(catch_unwind)]
pub fn aggregate(values: &[f32], weights: &[f32], threshold: f64, mut out: Float64ArraySlice) -> Result<()> {
    let threshold = Finite::new("threshold", threshold).map_err(to_js)?;
    // SAFETY: as in `normalize`.
    kernels::aggregate_into(values, weights, threshold, unsafe { out.as_mut() }).map_err(to_js)
}

// ---- Q-learning ----

use elex_engine::handles::Slab;
use elex_engine::qlearning::{self, mailbox, QLearningConfig, QLearningOptions, State};
use napi::bindgen_prelude::{Either, Uint32ArraySlice as U32In, Uint8Array};
use std::cell::{Cell, RefCell};

// String first: napi-rs tries the variants in order and a failed check is costly, and
// numeric states mostly take the mailbox path instead.
type JsState = Either<String, f64>;

fn state(s: &JsState) -> Result<State<'_>> {
    match s {
        Either::A(s) => Ok(State::Str(s)),
        Either::B(n) => State::number(*n).map_err(to_js),
    }
}

thread_local! {
    // The tables of this JS thread, by handle (see elex_engine::handles for why).
    static TABLES: RefCell<Slab<qlearning::QTable>> = RefCell::new(Slab::default());
    // The mailbox of this JS thread: allocated once, never freed (64 bytes per thread), so the
    // Float64Array that views it can never dangle.
    static MAILBOX: Cell<*mut [f64; mailbox::SLOTS]> = const { Cell::new(std::ptr::null_mut()) };
    // The two text boxes (state, next state) of this JS thread, leaked like the mailbox.
    static TEXT: Cell<*mut [u8; 2 * mailbox::TEXT_BYTES]> = const { Cell::new(std::ptr::null_mut()) };
}

type Registry<T> = std::thread::LocalKey<RefCell<Slab<T>>>;

/// Runs `f` on the object behind `handle` in one of this thread's registries.
pub(crate) fn with_handle<T: 'static, R>(
    registry: &'static Registry<T>,
    handle: u32,
    f: impl FnOnce(&mut T) -> Result<R>,
) -> Result<R> {
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

pub(crate) fn with_table<R>(handle: u32, f: impl FnOnce(&mut qlearning::QTable) -> Result<R>) -> Result<R> {
    with_handle(&TABLES, handle, f)
}

pub(crate) fn mailbox_ptr() -> *mut [f64; mailbox::SLOTS] {
    MAILBOX.with(|m| {
        if m.get().is_null() {
            m.set(Box::into_raw(Box::new([0.0; mailbox::SLOTS])));
        }
        m.get()
    })
}

pub(crate) fn text_ptr() -> *mut [u8; 2 * mailbox::TEXT_BYTES] {
    TEXT.with(|t| {
        if t.get().is_null() {
            t.set(Box::into_raw(Box::new([0; 2 * mailbox::TEXT_BYTES])));
        }
        t.get()
    })
}

/// This thread's text boxes as one Uint8Array: the state's UTF-8 in the first
/// `TEXT_BYTES`, the next state's in the rest (see `mailbox::TEXT_BYTES`).
#[napi(catch_unwind)]
pub fn qtable_text_box(env: &Env) -> Result<Uint8ArraySlice<'_>> {
    let ptr = text_ptr();
    // SAFETY: the buffer lives for the rest of the thread (leaked), so a no-op finalizer is right.
    unsafe { Uint8ArraySlice::from_external(env, ptr.cast::<u8>(), 2 * mailbox::TEXT_BYTES, (), |_, _| {}) }
        .map_err(napi_failure)
}

/// This thread's mailbox as a Float64Array (the facade writes hot-call arguments into it).
#[napi(catch_unwind)]
pub fn qtable_mailbox(env: &Env) -> Result<Float64ArraySlice<'_>> {
    let ptr = mailbox_ptr();
    // SAFETY: the buffer lives for the rest of the thread (leaked), so a no-op finalizer is right.
    unsafe { Float64ArraySlice::from_external(env, ptr.cast::<f64>(), mailbox::SLOTS, (), |_, _| {}) }
        .map_err(napi_failure)
}

/// The WASM build's per-step calls report errors as NaN plus this; the native ones throw
/// directly, so there is never a pending error here. Present so both backends match.
#[napi(catch_unwind)]
pub fn qtable_take_error() {}

/// Registers the per-step calls (`qtableSelectNum`, `qtableUpdateNum`, `qtableBestNum`),
/// written against Node-API directly in `hot.rs`.
#[napi(module_exports)]
pub fn export_hot_calls(mut exports: napi::bindgen_prelude::Object, env: Env) -> napi::Result<()> {
    hot::export(&mut exports, &env)
}

// The other table operations are free functions taking the handle: a napi-rs class method
// costs ~400 ns per call here (receiver unwrap and class-identity checks), a function ~60 ns.

#[napi(catch_unwind)]
pub fn qtable_select(handle: u32, s: JsState) -> Result<u32> {
    let s = state(&s)?;
    with_table(handle, |t| Ok(t.select_action(s)))
}

#[napi(catch_unwind)]
pub fn qtable_best(handle: u32, s: JsState) -> Result<u32> {
    let s = state(&s)?;
    with_table(handle, |t| Ok(t.best_action(s)))
}

#[napi(catch_unwind)]
pub fn qtable_update(
    handle: u32,
    s: JsState,
    action: f64,
    reward: f64,
    next: Option<JsState>,
) -> Result<f64> {
    let next = next.as_ref().map(state).transpose()?;
    let s = state(&s)?;
    with_table(handle, |t| t.update(s, action, reward, next).map_err(to_js))
}

#[napi(catch_unwind)]
pub fn qtable_update_batch(
    handle: u32,
    states: Vec<JsState>,
    actions: &[u32],
    rewards: &[f32],
    next_states: Vec<Option<JsState>>,
) -> Result<()> {
    let states: Vec<State> = states.iter().map(state).collect::<Result<_>>()?;
    let next: Vec<Option<State>> =
        next_states.iter().map(|s| s.as_ref().map(state).transpose()).collect::<Result<_>>()?;
    with_table(handle, |t| t.update_batch(&states, actions, rewards, &next).map_err(to_js))
}

/// updateBatch when every state is a number: typed arrays only.
#[napi(catch_unwind)]
pub fn qtable_update_batch_num(
    handle: u32,
    states: &[f64],
    actions: &[u32],
    rewards: &[f32],
    next: &[f64],
    terminal: &[u8],
) -> Result<()> {
    with_table(handle, |t| {
        mailbox::update_batch_numeric(t, states, actions, rewards, next, terminal).map_err(to_js)
    })
}

/// The caller used the last speculated action (see `QTable::speculate`).
#[napi(catch_unwind)]
pub fn qtable_consume_pending(handle: u32) -> Result<()> {
    with_table(handle, |t| {
        t.consume_pending();
        Ok(())
    })
}

#[napi(catch_unwind)]
pub fn qtable_end_episode(handle: u32) -> Result<()> {
    with_table(handle, |t| {
        t.end_episode();
        Ok(())
    })
}

#[napi(catch_unwind)]
pub fn qtable_q_values(handle: u32, s: JsState, mut out: Float32ArraySlice) -> Result<()> {
    let s = state(&s)?;
    // SAFETY: as in `normalize`.
    with_table(handle, |t| t.q_values_into(s, unsafe { out.as_mut() }).map_err(to_js))
}

#[napi(catch_unwind)]
pub fn qtable_visits(handle: u32, s: JsState, mut out: U32In) -> Result<()> {
    let s = state(&s)?;
    // SAFETY: as in `normalize`.
    with_table(handle, |t| t.visits_into(s, unsafe { out.as_mut() }).map_err(to_js))
}

#[napi(catch_unwind)]
pub fn qtable_confidence(handle: u32, s: JsState) -> Result<f64> {
    let s = state(&s)?;
    with_table(handle, |t| Ok(t.confidence(s)))
}

#[napi(catch_unwind)]
pub fn qtable_merge(handle: u32, other: u32) -> Result<()> {
    let other = with_table(other, |t| Ok(t.clone()))?;
    with_table(handle, |t| t.merge(&other).map_err(to_js))
}

#[napi(catch_unwind)]
pub fn qtable_merge_bytes(handle: u32, bytes: &[u8]) -> Result<()> {
    let other = qlearning::QTable::from_bytes(bytes).map_err(to_js)?;
    with_table(handle, |t| t.merge(&other).map_err(to_js))
}

#[napi(catch_unwind)]
/// With `key`, the snapshot sealed with it.
pub fn qtable_to_bytes(handle: u32, key: Option<&[u8]>) -> Result<Uint8Array> {
    with_table(handle, |t| match key {
        None => Ok(Uint8Array::new(t.to_bytes())),
        Some(key) => t.to_sealed_bytes(key).map(Uint8Array::new).map_err(to_js),
    })
}

/// [size, epsilon, actions, states, entries, updates, memoryBytes] into `out` (Float64Array(7)).
#[napi(catch_unwind)]
pub fn qtable_info(handle: u32, mut out: Float64ArraySlice) -> Result<()> {
    // SAFETY: as in `normalize`.
    with_table(handle, |t| mailbox::info(t, unsafe { out.as_mut() }).map_err(to_js))
}

/// The Q-table object: owns a handle into this thread's registry and frees it when the
/// object is collected. Construction validates the options (passed positionally by the
/// facade, so both backends take the same arguments).
#[napi(js_name = "QTable")]
pub struct JsQTable {
    handle: u32,
}

impl Drop for JsQTable {
    fn drop(&mut self) {
        // try_with: at thread exit the registry may already be gone, and that is fine.
        let _ = TABLES.try_with(|t| t.try_borrow_mut().map(|mut t| t.remove(self.handle)));
    }
}

fn register(table: qlearning::QTable) -> JsQTable {
    JsQTable { handle: TABLES.with(|t| t.borrow_mut().insert(table)) }
}

#[napi]
impl JsQTable {
    #[napi(constructor, catch_unwind)]
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
    ) -> Result<Self> {
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

    #[napi(factory, catch_unwind)]
    pub fn from_bytes(bytes: &[u8], key: Option<&[u8]>) -> Result<Self> {
        Ok(register(qlearning::QTable::from_snapshot(bytes, key).map_err(to_js)?))
    }

    #[napi(getter, catch_unwind)]
    pub fn handle(&self) -> u32 {
        self.handle
    }
}

// ---- Vector index (HNSW) ----

use elex_engine::index::{self, HnswIndex, IndexConfig, IndexOptions};
use std::sync::{Arc, RwLock};

// Indexes sit behind a lock: `addBatchAsync` links vectors on a libuv thread while the JS
// thread may search (reads share the lock; the builder writes only in short commits).
type SharedIndex = Arc<RwLock<HnswIndex>>;

thread_local! {
    static INDEXES: RefCell<Slab<SharedIndex>> = RefCell::new(Slab::default());
}

fn shared_index(handle: u32) -> Result<SharedIndex> {
    with_handle(&INDEXES, handle, |ix| Ok(Arc::clone(ix)))
}

fn with_index<R>(handle: u32, f: impl FnOnce(&mut HnswIndex) -> Result<R>) -> Result<R> {
    let ix = shared_index(handle)?;
    let mut guard = ix.write().unwrap_or_else(|poisoned| poisoned.into_inner());
    f(&mut guard)
}

fn with_index_read<R>(handle: u32, f: impl FnOnce(&HnswIndex) -> Result<R>) -> Result<R> {
    let ix = shared_index(handle)?;
    let guard = ix.read().unwrap_or_else(|poisoned| poisoned.into_inner());
    f(&guard)
}

fn new_index(ix: HnswIndex) -> u32 {
    INDEXES.with(|t| t.borrow_mut().insert(Arc::new(RwLock::new(ix))))
}

/// Links a batch on a libuv thread. Resolves to `null`, or `[code, message]` for an engine
/// error (a rejected napi Task could only carry a napi status, not the contract code).
pub struct AddBatchTask {
    index: SharedIndex,
    ids: Vec<u32>,
    vectors: Vec<f32>,
}

impl napi::Task for AddBatchTask {
    type Output = Option<(&'static str, String)>;
    type JsValue = Option<Vec<String>>;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let run = std::panic::AssertUnwindSafe(|| {
            index::add_batch_via(&*self.index, &self.ids, &self.vectors, |_| {})
        });
        Ok(match std::panic::catch_unwind(run) {
            Ok(Ok(())) => None,
            Ok(Err(e)) => Some((e.code(), e.to_string())),
            Err(_) => Some(("INTERNAL", "internal error (a Rust panic was caught)".to_string())),
        })
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        Ok(output.map(|(code, message)| vec![code.to_string(), message]))
    }
}

/// Checks a whole batch (lengths, values, ids) without adding anything.
#[napi(catch_unwind)]
pub fn index_check_batch(handle: u32, ids: &[u32], vectors: &[f32]) -> Result<()> {
    with_index_read(handle, |ix| ix.check_batch(ids, vectors).map(|_| ()).map_err(to_js))
}

/// addBatch off the JS thread (the facade slices the batch and reports progress).
#[napi(catch_unwind)]
pub fn index_add_batch_async(
    handle: u32,
    ids: &[u32],
    vectors: &[f32],
) -> Result<napi::bindgen_prelude::AsyncTask<AddBatchTask>> {
    let task = AddBatchTask { index: shared_index(handle)?, ids: ids.to_vec(), vectors: vectors.to_vec() };
    Ok(napi::bindgen_prelude::AsyncTask::new(task))
}

#[napi(object)]
pub struct Neighbours<'e> {
    pub ids: Uint32ArraySlice<'e>,
    pub distances: Float32ArraySlice<'e>,
}

fn neighbours_out(env: &Env, r: index::SearchResult) -> Result<Neighbours<'_>> {
    Ok(Neighbours {
        ids: Uint32ArraySlice::copy_from(env, &r.ids).map_err(napi_failure)?,
        distances: f32_out(env, &r.distances)?,
    })
}

#[napi(catch_unwind)]
pub fn index_add(handle: u32, id: f64, vector: &[f32]) -> Result<()> {
    let id = index::id_from(id).map_err(to_js)?;
    with_index(handle, |ix| ix.add(id, vector).map_err(to_js))
}

#[napi(catch_unwind)]
pub fn index_add_batch(handle: u32, ids: &[u32], vectors: &[f32]) -> Result<()> {
    with_index(handle, |ix| ix.add_batch(ids, vectors).map_err(to_js))
}

#[napi(catch_unwind)]
pub fn index_remove(handle: u32, id: f64) -> Result<bool> {
    let id = index::id_from(id).map_err(to_js)?;
    with_index(handle, |ix| Ok(ix.remove(id)))
}

#[napi(catch_unwind)]
pub fn index_has(handle: u32, id: f64) -> Result<bool> {
    let id = index::id_from(id).map_err(to_js)?;
    with_index_read(handle, |ix| Ok(ix.has(id)))
}

/// `exact`: the exact scan whatever the cost (the facade's `{ exact: true }`).
#[napi(catch_unwind)]
pub fn index_search<'e>(
    env: &'e Env,
    handle: u32,
    query: &[f32],
    k: f64,
    ef: Option<f64>,
    exact: Option<bool>,
) -> Result<Neighbours<'e>> {
    let (k, ef) = index::search_args(k, ef).map_err(to_js)?;
    let r = with_index_read(handle, |ix| {
        if exact == Some(true) { ix.search_exact(query, k) } else { ix.search(query, k, ef) }.map_err(to_js)
    })?;
    neighbours_out(env, r)
}

#[napi(catch_unwind)]
pub fn index_search_batch<'e>(
    env: &'e Env,
    handle: u32,
    queries: &[f32],
    k: f64,
    ef: Option<f64>,
    exact: Option<bool>,
) -> Result<Neighbours<'e>> {
    let (k, ef) = index::search_args(k, ef).map_err(to_js)?;
    let exact = exact == Some(true);
    let r = with_index_read(handle, |ix| ix.search_batch(queries, k, ef, exact).map_err(to_js))?;
    neighbours_out(env, r)
}

#[napi(catch_unwind)]
pub fn index_to_bytes(handle: u32, key: Option<&[u8]>) -> Result<Uint8Array> {
    with_index_read(handle, |ix| match key {
        None => Ok(Uint8Array::new(ix.to_bytes())),
        Some(key) => ix.to_sealed_bytes(key).map(Uint8Array::new).map_err(to_js),
    })
}

/// [size, dim, memoryBytes] into `out` (Float64Array(3)).
#[napi(catch_unwind)]
pub fn index_info(handle: u32, mut out: Float64ArraySlice) -> Result<()> {
    // SAFETY: as in `normalize`.
    let out = unsafe { out.as_mut() };
    with_index_read(handle, |ix| index::info_into(ix, out).map_err(to_js))
}

/// The index object: owns a handle into this thread's registry, freed when collected.
#[napi(js_name = "VectorIndex")]
pub struct JsVectorIndex {
    handle: u32,
}

impl Drop for JsVectorIndex {
    fn drop(&mut self) {
        let _ = INDEXES.try_with(|t| t.try_borrow_mut().map(|mut t| t.remove(self.handle)));
    }
}

#[napi]
impl JsVectorIndex {
    #[napi(constructor, catch_unwind)]
    pub fn new(
        dim: Option<f64>,
        metric: Option<String>,
        m: Option<f64>,
        ef_construction: Option<f64>,
        ef_search: Option<f64>,
        seed: Option<f64>,
    ) -> Result<Self> {
        let options = IndexOptions { dim, metric, m, ef_construction, ef_search, seed };
        let ix = HnswIndex::new(IndexConfig::new(&options).map_err(to_js)?);
        Ok(JsVectorIndex { handle: new_index(ix) })
    }

    #[napi(factory, catch_unwind)]
    pub fn from_bytes(bytes: &[u8], key: Option<&[u8]>) -> Result<Self> {
        let ix = HnswIndex::from_snapshot(bytes, key).map_err(to_js)?;
        Ok(JsVectorIndex { handle: new_index(ix) })
    }

    #[napi(getter, catch_unwind)]
    pub fn handle(&self) -> u32 {
        self.handle
    }
}
