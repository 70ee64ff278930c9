//! The per-step Q-table calls (select, update, best with numeric states) as plain Node-API
//! callbacks. A napi-rs export pays for argument-borrow bookkeeping on every call
//! (NativeBorrowBarrier and friends, ~15 % of a 100 ns call in `perf`); these take no
//! arguments (the facade writes them into the mailbox), so none of that is needed, and a
//! training step becomes a bare call into the engine. Same contract as the rest: a Rust
//! error becomes a JS `Error` with `.code`, a panic becomes `INTERNAL`, never an abort.

use crate::{mailbox_ptr, text_ptr, with_table, Code};
use elex_engine::qlearning::mailbox;
use elex_engine::qlearning::QTable;
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

/// One per-step call: the mailbox's table runs `step` on the mailbox (whose slots the step may
/// rewrite: update leaves its TD error there, since a fractional number returned to JS would be
/// a fresh heap object on every training step), and the result goes back to JS.
unsafe fn on_table(
    env: sys::napi_env,
    step: impl FnOnce(&mut QTable, &mut [f64; mailbox::SLOTS]) -> elex_engine::error::Result<Option<f64>>,
) -> sys::napi_value {
    finish(env, || {
        let slots = mailbox_ptr();
        // SAFETY: this thread's leaked mailbox; no JS runs during the call.
        let mut m = *slots;
        let h = mailbox::handle(&m).map_err(crate::to_js)?;
        let out = with_table(h, |t| step(t, &mut m).map_err(crate::to_js))?;
        *slots = m;
        Ok(out)
    })
}

/// This thread's two text boxes (state, next state).
fn text_boxes() -> (&'static [u8], &'static [u8]) {
    // SAFETY: the leaked buffer of this thread; JS cannot write it during a call.
    let all: &'static [u8; 2 * mailbox::TEXT_BYTES] = unsafe { &*text_ptr() };
    all.split_at(mailbox::TEXT_BYTES)
}

unsafe extern "C" fn select_num(env: sys::napi_env, _: sys::napi_callback_info) -> sys::napi_value {
    on_table(env, |t, m| mailbox::select(t, m).map(|a| Some(a.into())))
}

unsafe extern "C" fn update_num(env: sys::napi_env, _: sys::napi_callback_info) -> sys::napi_value {
    on_table(env, |t, m| mailbox::update(t, m).map(|_| None))
}

unsafe extern "C" fn best_num(env: sys::napi_env, _: sys::napi_callback_info) -> sys::napi_value {
    on_table(env, |t, m| mailbox::best(t, m).map(|a| Some(a.into())))
}

unsafe extern "C" fn select_text(env: sys::napi_env, _: sys::napi_callback_info) -> sys::napi_value {
    on_table(env, |t, m| mailbox::select_text(t, m, text_boxes().0).map(|a| Some(a.into())))
}

unsafe extern "C" fn update_text(env: sys::napi_env, _: sys::napi_callback_info) -> sys::napi_value {
    on_table(env, |t, m| {
        let (text, next) = text_boxes();
        mailbox::update_text(t, m, text, next).map(|_| None)
    })
}

unsafe extern "C" fn best_text(env: sys::napi_env, _: sys::napi_callback_info) -> sys::napi_value {
    on_table(env, |t, m| mailbox::best_text(t, m, text_boxes().0).map(|a| Some(a.into())))
}

type Callback = unsafe extern "C" fn(sys::napi_env, sys::napi_callback_info) -> sys::napi_value;

/// Adds the raw callbacks to the module's exports (napi-rs calls this at load time).
pub fn export(exports: &mut Object, env: &Env) -> napi::Result<()> {
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
