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

/// The contract code, carried to JS as the error's `.code`.
pub struct Code(&'static str);

impl AsRef<str> for Code {
    fn as_ref(&self) -> &str {
        self.0
    }
}

// Named `Result` on purpose: napi-derive recognises fallible exports by that name.
type Result<T> = std::result::Result<T, napi::Error<Code>>;

fn to_js(e: ElexError) -> napi::Error<Code> {
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

use elex_engine::qlearning::{self, QLearningConfig, QLearningOptions, State};
use napi::bindgen_prelude::{Either, Uint32ArraySlice as U32In, Uint8Array};

type JsState = Either<f64, String>;

fn state(s: &JsState) -> Result<State<'_>> {
    match s {
        Either::A(n) => State::number(*n).map_err(to_js),
        Either::B(s) => Ok(State::Str(s)),
    }
}

/// The Q-table class. Options arrive positionally (the facade unpacks the options object),
/// so both backends take exactly the same arguments.
#[napi(js_name = "QTable")]
pub struct JsQTable {
    inner: qlearning::QTable,
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
        Ok(JsQTable { inner: qlearning::QTable::new(QLearningConfig::new(&options).map_err(to_js)?) })
    }

    #[napi(factory, catch_unwind)]
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        Ok(JsQTable { inner: qlearning::QTable::from_bytes(bytes).map_err(to_js)? })
    }

    #[napi(catch_unwind)]
    pub fn select_action(&mut self, s: JsState) -> Result<u32> {
        Ok(self.inner.select_action(state(&s)?))
    }

    #[napi(catch_unwind)]
    pub fn best_action(&self, s: JsState) -> Result<u32> {
        Ok(self.inner.best_action(state(&s)?))
    }

    #[napi(catch_unwind)]
    pub fn update(&mut self, s: JsState, action: f64, reward: f64, next: Option<JsState>) -> Result<f64> {
        let next = next.as_ref().map(state).transpose()?;
        self.inner.update(state(&s)?, action, reward, next).map_err(to_js)
    }

    /// Fast path for numeric states (the facade picks it): no Either conversion.
    #[napi(catch_unwind)]
    pub fn update_num(&mut self, s: f64, action: f64, reward: f64, next: f64, terminal: bool) -> Result<f64> {
        let next = if terminal { None } else { Some(State::number(next).map_err(to_js)?) };
        self.inner.update(State::number(s).map_err(to_js)?, action, reward, next).map_err(to_js)
    }

    #[napi(catch_unwind)]
    pub fn select_action_num(&mut self, s: f64) -> Result<u32> {
        Ok(self.inner.select_action(State::number(s).map_err(to_js)?))
    }

    #[napi(catch_unwind)]
    pub fn update_batch(
        &mut self,
        states: Vec<JsState>,
        actions: U32In,
        rewards: &[f32],
        next_states: Vec<Option<JsState>>,
    ) -> Result<()> {
        let states: Vec<State> = states.iter().map(state).collect::<Result<_>>()?;
        let next: Vec<Option<State>> =
            next_states.iter().map(|s| s.as_ref().map(state).transpose()).collect::<Result<_>>()?;
        let actions: Vec<f64> = actions.iter().map(|a| f64::from(*a)).collect();
        self.inner.update_batch(&states, &actions, rewards, &next).map_err(to_js)
    }

    #[napi(catch_unwind)]
    pub fn end_episode(&mut self) {
        self.inner.end_episode()
    }

    #[napi(catch_unwind)]
    pub fn q_values(&self, s: JsState, mut out: Float32ArraySlice) -> Result<()> {
        // SAFETY: as in `normalize`.
        self.inner.q_values_into(state(&s)?, unsafe { out.as_mut() }).map_err(to_js)
    }

    #[napi(catch_unwind)]
    pub fn visits(&self, s: JsState, mut out: U32In) -> Result<()> {
        // SAFETY: as in `normalize`.
        self.inner.visits_into(state(&s)?, unsafe { out.as_mut() }).map_err(to_js)
    }

    #[napi(catch_unwind)]
    pub fn confidence(&self, s: JsState) -> Result<f64> {
        Ok(self.inner.confidence(state(&s)?))
    }

    #[napi(catch_unwind)]
    pub fn merge(&mut self, other: &JsQTable) -> Result<()> {
        self.inner.merge(&other.inner).map_err(to_js)
    }

    #[napi(catch_unwind)]
    pub fn merge_bytes(&mut self, bytes: &[u8]) -> Result<()> {
        let other = qlearning::QTable::from_bytes(bytes).map_err(to_js)?;
        self.inner.merge(&other).map_err(to_js)
    }

    #[napi(catch_unwind)]
    pub fn to_bytes(&self) -> Uint8Array {
        Uint8Array::new(self.inner.to_bytes())
    }

    #[napi(getter, catch_unwind)]
    pub fn size(&self) -> f64 {
        self.inner.size() as f64
    }

    #[napi(getter, catch_unwind)]
    pub fn epsilon(&self) -> f64 {
        self.inner.epsilon()
    }

    #[napi(getter, catch_unwind)]
    pub fn actions(&self) -> f64 {
        self.inner.actions() as f64
    }

    /// [states, entries, updates, memoryBytes] into `out` (Float64Array(4)).
    #[napi(catch_unwind)]
    pub fn stats(&self, mut out: Float64ArraySlice) -> Result<()> {
        // SAFETY: as in `normalize`.
        self.inner.stats().write_into(unsafe { out.as_mut() }).map_err(to_js)
    }
}
