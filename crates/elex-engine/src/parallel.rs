//! Splitting one synchronous call across cores without making it wait on a sleeping thread.
//!
//! `rayon`'s parallel iterators, called from a thread outside the pool (the JS thread), park
//! the caller and wait for pool threads to wake up: on a small VM that wake-up can cost more
//! than the work saved. Here the caller works from the first chunk on; helpers from the rayon
//! pool join in when they wake, claiming chunks from a shared counter. A helper that has not
//! started by the time the caller runs out of chunks is cancelled, so the call never waits for
//! a thread that was asleep; it only waits for a helper's chunk in progress.

use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock};

/// The pool parallel calls use instead of rayon's global one, once installed.
static POOL: OnceLock<rayon::ThreadPool> = OnceLock::new();

/// Makes parallel calls use `pool` from now on; gives it back if one is already installed.
///
/// WebAssembly needs this: its threads are workers that the host starts *after* the pool
/// exists, and rayon's global pool would wait for them at creation. Until they run, calls
/// simply do all their chunks themselves (see the module doc).
pub fn install_pool(pool: rayon::ThreadPool) -> Result<(), rayon::ThreadPool> {
    POOL.set(pool)
}

/// Pool threads that may join a parallel call, besides its caller.
pub fn helpers() -> usize {
    match POOL.get() {
        Some(pool) => pool.current_num_threads(),
        // WebAssembly has no threads until a pool is installed (rayon's fallback would make
        // the caller a pool thread of its own).
        None if cfg!(target_family = "wasm") => 0,
        None => rayon::current_num_threads().saturating_sub(1),
    }
}

/// How many times a pool thread has joined a parallel call (it had started in time), since
/// the process began: shows that a host's threads really run (the threaded WebAssembly test).
pub fn helper_joins() -> usize {
    HELPER_JOINS.load(Ordering::Relaxed)
}

static HELPER_JOINS: AtomicUsize = AtomicUsize::new(0);

fn spawn(job: impl FnOnce() + Send + 'static) {
    match POOL.get() {
        Some(pool) => pool.spawn(job),
        None => rayon::spawn(job),
    }
}

const PENDING: u8 = 0;
const RUNNING: u8 = 1;
const CANCELLED: u8 = 2;
const DONE: u8 = 3;

/// Calls `f(index, chunk)` once for each `chunk_len`-long chunk of `out` (the last may be
/// shorter), on this thread and on up to `helpers` pool threads.
pub fn for_each_chunk_mut<T, F>(out: &mut [T], chunk_len: usize, helpers: usize, f: F)
where
    T: Send,
    F: Fn(usize, &mut [T]) + Sync,
{
    let chunk_len = chunk_len.max(1);
    let chunks = out.len().div_ceil(chunk_len);
    let helpers = helpers.min(chunks.saturating_sub(1));
    if helpers == 0 {
        for (i, chunk) in out.chunks_mut(chunk_len).enumerate() {
            f(i, chunk);
        }
        return;
    }
    let base = SendPtr(out.as_mut_ptr());
    let len = out.len();
    let next = AtomicUsize::new(0);
    // Claims chunks until none are left. Each index is handed out exactly once by the
    // counter, so the slices built from `base` never overlap.
    let work = || loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        if i >= chunks {
            break;
        }
        let start = i * chunk_len;
        let end = (start + chunk_len).min(len);
        // SAFETY: [start, end) lies inside `out` and no other claimant gets index i.
        let chunk = unsafe { std::slice::from_raw_parts_mut(base.get().add(start), end - start) };
        f(i, chunk);
    };
    let work_ref: &(dyn Fn() + Sync) = &work;
    // SAFETY: the 'static lifetime is a lie that the state protocol makes true: a helper only
    // calls `work` after moving its state PENDING -> RUNNING, and this function returns only
    // once every helper is CANCELLED (it will never call `work`) or DONE (it has returned).
    let erased: &'static (dyn Fn() + Sync) = unsafe { std::mem::transmute(work_ref) };
    let shared: Vec<Arc<Helper>> = (0..helpers).map(|_| Arc::new(Helper::new(erased))).collect();
    for helper in &shared {
        let helper = Arc::clone(helper);
        spawn(move || helper.run());
    }
    // Even if `work` panics here, the guard settles every helper before this frame (and the
    // data `work` borrows) goes away.
    let settle = Settle(&shared);
    work();
    drop(settle);
    let panicked = shared.iter().any(|h| h.panicked.load(Ordering::Acquire) != 0);
    assert!(!panicked, "a parallel chunk panicked");
}

struct Settle<'a>(&'a [Arc<Helper>]);
impl Drop for Settle<'_> {
    fn drop(&mut self) {
        for helper in self.0 {
            helper.finish();
        }
    }
}

struct SendPtr<T>(*mut T);
// SAFETY: only used to hand out disjoint chunks (see `for_each_chunk_mut`).
unsafe impl<T: Send> Send for SendPtr<T> {}
unsafe impl<T: Send> Sync for SendPtr<T> {}
impl<T> SendPtr<T> {
    fn get(&self) -> *mut T {
        self.0
    }
}

struct Helper {
    state: AtomicU8,
    panicked: AtomicU8,
    work: &'static (dyn Fn() + Sync),
    done: Mutex<bool>,
    wake: Condvar,
}

impl Helper {
    fn new(work: &'static (dyn Fn() + Sync)) -> Self {
        Helper {
            state: AtomicU8::new(PENDING),
            panicked: AtomicU8::new(0),
            work,
            done: Mutex::new(false),
            wake: Condvar::new(),
        }
    }

    /// On a pool thread.
    fn run(&self) {
        if self.state.compare_exchange(PENDING, RUNNING, Ordering::AcqRel, Ordering::Acquire).is_err() {
            return; // cancelled: the caller finished without us
        }
        HELPER_JOINS.fetch_add(1, Ordering::Relaxed);
        if std::panic::catch_unwind(std::panic::AssertUnwindSafe(self.work)).is_err() {
            self.panicked.store(1, Ordering::Release);
        }
        self.state.store(DONE, Ordering::Release);
        let mut done = self.done.lock().unwrap_or_else(|e| e.into_inner());
        *done = true;
        self.wake.notify_all();
    }

    /// On the caller's thread, after it ran out of chunks: cancel a helper that never
    /// started, or wait for one that is running (it is on its last chunk at most).
    fn finish(&self) {
        if self.state.compare_exchange(PENDING, CANCELLED, Ordering::AcqRel, Ordering::Acquire).is_ok() {
            return;
        }
        for _ in 0..2_000 {
            if self.state.load(Ordering::Acquire) == DONE {
                return;
            }
            std::hint::spin_loop();
        }
        let mut done = self.done.lock().unwrap_or_else(|e| e.into_inner());
        while !*done {
            done = self.wake.wait(done).unwrap_or_else(|e| e.into_inner());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_chunk_is_processed_exactly_once() {
        for (len, chunk, helpers) in
            [(0, 4, 1), (1, 4, 1), (10, 3, 1), (1000, 7, 3), (4096, 64, 1), (100, 1, 8)]
        {
            let mut out = vec![0u32; len];
            for_each_chunk_mut(&mut out, chunk, helpers, |i, c| {
                for (j, x) in c.iter_mut().enumerate() {
                    *x += (i * chunk + j) as u32 + 1;
                }
            });
            let want: Vec<u32> = (1..=len as u32).collect();
            assert_eq!(out, want, "len {len} chunk {chunk} helpers {helpers}");
        }
    }

    /// The WebAssembly path, natively: a pool installed after start-up serves later calls,
    /// its threads join them, and a second pool is refused.
    #[test]
    fn an_installed_pool_serves_later_calls() {
        let pool = || rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        assert!(install_pool(pool()).is_ok());
        assert!(install_pool(pool()).is_err());
        assert_eq!(helpers(), 2);
        let before = helper_joins();
        for _ in 0..1000 {
            let mut out = vec![0u64; 16];
            for_each_chunk_mut(&mut out, 1, helpers(), |i, c| {
                let t = std::time::Instant::now();
                while t.elapsed() < std::time::Duration::from_micros(200) {}
                c[0] = i as u64 + 1;
            });
            assert_eq!(out, (1..=16).collect::<Vec<u64>>());
            if helper_joins() > before {
                return;
            }
        }
        panic!("no pool thread ever joined a call");
    }

    #[test]
    fn a_panicking_chunk_panics_the_caller_after_helpers_settle() {
        let result = std::panic::catch_unwind(|| {
            let mut out = vec![0u8; 4096];
            for_each_chunk_mut(&mut out, 16, 1, |i, _| assert!(i != 200, "chunk 200"));
        });
        assert!(result.is_err());
        // The pool still works afterwards.
        let mut out = vec![0u8; 256];
        for_each_chunk_mut(&mut out, 16, 1, |_, c| c.fill(7));
        assert!(out.iter().all(|x| *x == 7));
    }

    #[test]
    fn repeated_calls_never_touch_a_finished_call() {
        // Helpers that wake late must find their call cancelled, not run on freed data.
        for round in 0..2_000u32 {
            let mut out = vec![round; 64];
            for_each_chunk_mut(&mut out, 8, 1, |_, c| c.iter_mut().for_each(|x| *x += 1));
            assert!(out.iter().all(|x| *x == round + 1));
        }
    }
}
