//! The per-step Q-table calls (select, update, best with numeric states) as plain Node-API
//! callbacks. A napi-rs export pays for argument-borrow bookkeeping on every call
//! (NativeBorrowBarrier and friends, ~15 % of a 100 ns call in `perf`); these take no
//! arguments (the facade writes them into the mailbox), so none of that is needed, and a
//! training step becomes a bare call into the engine. Same contract as the rest: a Rust
//! error becomes a JS `Error` with `.code`, a panic becomes `INTERNAL`, never an abort.

use crate::Code;
use elex_bind::qtables;
use napi::bindgen_prelude::Object;
use napi::{sys, Env};
use std::ffi::CString;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

/// A number for JS, or `None` for `undefined`.
type Outcome = std::result::Result<Option<f64>, napi::Error<Code>>;

/// Turns the outcome of `body` into a JS number or a thrown `Error` with `.code`.
unsafe fn finish(env: sys::napi_env, body: impl FnOnce() -> Outcome) -> sys::napi_value {
    let (code, message) = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(value)) => {
            // A callback that returns NULL gives `undefined` (Node-API's documented rule).
            let mut out = ptr::null_mut();
            if let Some(value) = value {
                sys::napi_create_double(env, value, &mut out);
            }
            return out;
        }
        Ok(Err(e)) => (e.status.as_ref().to_owned(), e.reason.clone()),
        Err(_) => ("INTERNAL".to_owned(), "internal error (a Rust panic was caught)".to_owned()),
    };
    // Neither string can hold a NUL: codes are constants, messages are ours.
    let code = CString::new(code).unwrap_or_default();
    let message = CString::new(message.replace('\0', " ")).unwrap_or_default();
    sys::napi_throw_error(env, code.as_ptr(), message.as_ptr());
    ptr::null_mut()
}

/// One per-step call: `step` reads the mailbox (see `elex_bind::qtables`); its result goes
/// back to JS as a number, or `undefined` for `None`.
unsafe fn step(
    env: sys::napi_env, step: impl FnOnce() -> elex_engine::Result<Option<f64>>,
) -> sys::napi_value {
    finish(env, || step().map_err(crate::to_js))
}

unsafe extern "C" fn select_num(env: sys::napi_env, _: sys::napi_callback_info) -> sys::napi_value {
    step(env, || qtables::select_num().map(|a| Some(a.into())))
}

// update leaves its TD error in mailbox slot 1: a fractional number returned to JS would be
// a fresh heap object on every training step.
unsafe extern "C" fn update_num(env: sys::napi_env, _: sys::napi_callback_info) -> sys::napi_value {
    step(env, || qtables::update_num().map(|_| None))
}

unsafe extern "C" fn best_num(env: sys::napi_env, _: sys::napi_callback_info) -> sys::napi_value {
    step(env, || qtables::best_num().map(|a| Some(a.into())))
}

unsafe extern "C" fn select_text(env: sys::napi_env, _: sys::napi_callback_info) -> sys::napi_value {
    step(env, || qtables::select_text().map(|a| Some(a.into())))
}

unsafe extern "C" fn update_text(env: sys::napi_env, _: sys::napi_callback_info) -> sys::napi_value {
    step(env, || qtables::update_text().map(|_| None))
}

unsafe extern "C" fn best_text(env: sys::napi_env, _: sys::napi_callback_info) -> sys::napi_value {
    step(env, || qtables::best_text().map(|a| Some(a.into())))
}

type Callback = unsafe extern "C" fn(sys::napi_env, sys::napi_callback_info) -> sys::napi_value;

/// Registers the per-step calls (`qtableSelectNum`, `qtableUpdateNum`, …) at load time.
#[napi_derive::napi(module_exports)]
pub fn export_hot_calls(mut exports: Object, env: Env) -> napi::Result<()> {
    export(&mut exports, &env)
}

/// Adds the raw callbacks to the module's exports.
fn export(exports: &mut Object, env: &Env) -> napi::Result<()> {
    let calls: [(&str, Callback); 6] = [
        ("qtableSelectNum", select_num),
        ("qtableUpdateNum", update_num),
        ("qtableBestNum", best_num),
        ("qtableSelectText", select_text),
        ("qtableUpdateText", update_text),
        ("qtableBestText", best_text),
    ];
    for (name, callback) in calls {
        let mut function = ptr::null_mut();
        // SAFETY: plain Node-API calls on the loading thread with a valid env.
        let status = unsafe {
            sys::napi_create_function(
                env.raw(),
                name.as_ptr().cast(),
                name.len() as isize,
                Some(callback),
                ptr::null_mut(),
                &mut function,
            )
        };
        if status != sys::Status::napi_ok {
            return Err(napi::Error::from_reason(format!("could not create {name} (status {status})")));
        }
        // SAFETY: as above; `function` was just created in this env.
        let value = unsafe { napi::bindgen_prelude::Unknown::from_raw_unchecked(env.raw(), function) };
        exports.set(name, value)?;
    }
    Ok(())
}
