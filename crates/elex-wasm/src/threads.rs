//! The thread pool of the threaded WebAssembly build (Node's fallback, see scripts/build.sh).
//!
//! WebAssembly cannot start threads itself. `threadsStart(n)` creates a pool of n threads
//! whose bodies wait here and hands it to the engine; the host then starts n workers on the
//! same module and shared memory, each calling `threadsWorkerRun()` to run one body. Until
//! a worker is up, parallel calls do all their chunks on the caller (`elex_engine::parallel`),
//! so nothing ever waits for a worker to start.

use std::sync::Mutex;
use wasm_bindgen::prelude::*;

static WAITING: Mutex<Vec<rayon::ThreadBuilder>> = Mutex::new(Vec::new());

/// Creates the pool of `n` threads; false if a pool exists already or `n` is 0.
#[wasm_bindgen(js_name = threadsStart)]
pub fn threads_start(n: u32) -> bool {
    if n == 0 {
        return false;
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(n as usize)
        .spawn_handler(|thread| {
            WAITING.lock().unwrap_or_else(|p| p.into_inner()).push(thread);
            Ok(())
        })
        .build();
    match pool {
        Ok(pool) => elex_engine::parallel::install_pool(pool).is_ok(),
        Err(_) => false,
    }
}

/// Runs one waiting pool thread on the calling worker: returns only when the pool ends
/// (never, in practice), or at once if no thread is waiting.
#[wasm_bindgen(js_name = threadsWorkerRun)]
pub fn threads_worker_run() {
    let thread = WAITING.lock().unwrap_or_else(|p| p.into_inner()).pop();
    if let Some(thread) = thread {
        thread.run();
    }
}

/// Threads that can work on one call: the caller and the pool's.
#[wasm_bindgen(js_name = threadsCount)]
pub fn threads_count() -> u32 {
    elex_engine::parallel::helpers() as u32 + 1
}

/// How many times a pool thread has joined a call so far (see `parallel::helper_joins`).
#[wasm_bindgen(js_name = threadsJoins)]
pub fn threads_joins() -> f64 {
    elex_engine::parallel::helper_joins() as f64
}
