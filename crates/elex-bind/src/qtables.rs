//! Q-tables as the wrappers hold them: a per-thread registry, JS values decoded into engine
//! states and actions, and the per-step "mailbox" protocol.
//!
//! The hot calls (`selectAction`, `update`, `bestAction`) take no arguments: the facade writes
//! them into a small shared Float64Array (the mailbox: slot 0 the table's handle, then the
//! call's numbers) and string states as UTF-8 into two shared byte buffers (the text boxes).
//! A call with no arguments is several times cheaper on both backends. The buffers are
//! allocated once per thread and never freed, so a JS view of them can never dangle.

use crate::args;
use crate::out::fill;
use crate::registry::with;
use elex_engine::error::{ElexError, Result};
use elex_engine::qlearning::{QTable, State};
use std::cell::Cell;

crate::registered!(QTable, TABLES);

pub const SLOTS: usize = 8;

/// Bytes in each of the two text boxes. Longer states take the ordinary path.
pub const TEXT_BYTES: usize = 1024;

thread_local! {
    static MAILBOX: Cell<*mut [f64; SLOTS]> = const { Cell::new(std::ptr::null_mut()) };
    static TEXT: Cell<*mut [u8; 2 * TEXT_BYTES]> = const { Cell::new(std::ptr::null_mut()) };
}

/// This thread's mailbox (allocated on first use, never freed: 64 bytes per thread).
pub fn mailbox_ptr() -> *mut [f64; SLOTS] {
    MAILBOX.with(|m| {
        if m.get().is_null() {
            m.set(Box::into_raw(Box::new([0.0; SLOTS])));
        }
        m.get()
    })
}

/// This thread's two text boxes, the state's UTF-8 in the first `TEXT_BYTES`, the next
/// state's in the rest (allocated once, never freed).
pub fn text_ptr() -> *mut [u8; 2 * TEXT_BYTES] {
    TEXT.with(|t| {
        if t.get().is_null() {
            t.set(Box::into_raw(Box::new([0; 2 * TEXT_BYTES])));
        }
        t.get()
    })
}

/// A JavaScript number as a numeric state.
#[inline]
pub fn number_state(name: &'static str, value: f64) -> Result<State<'static>> {
    args::id(name, value).map(State::Num)
}

/// A JavaScript number as an action of table `t` (its range is checked by the engine, with
/// the same message).
#[inline]
pub fn action(t: &QTable, value: f64) -> Result<u32> {
    let a = value as u32;
    if f64::from(a) == value {
        Ok(a)
    } else {
        Err(t.bad_action(&value))
    }
}

/// One per-step call: the mailbox's table runs `step` on a copy of the slots, which is
/// written back afterwards (update leaves results there: see `update_num`).
#[inline]
fn on_mailbox<R>(step: impl FnOnce(&mut QTable, &mut [f64; SLOTS], &[u8], &[u8]) -> Result<R>) -> Result<R> {
    let slots = mailbox_ptr();
    // SAFETY: this thread's leaked buffers; no JS runs during the call, so nothing else
    // reads or writes them meanwhile.
    let (mut m, text) = unsafe { (*slots, &*text_ptr()) };
    let h = args::id("table handle", m[0])?;
    let (state_text, next_text) = text.split_at(TEXT_BYTES);
    let out = with(h, |t| step(t, &mut m, state_text, next_text))?;
    // SAFETY: as above.
    unsafe { *slots = m };
    Ok(out)
}

/// The string a length slot describes: the first `len` bytes of `text`.
fn text_state(text: &[u8], len: f64) -> Result<State<'_>> {
    let n = len as usize;
    if n as f64 != len || n > text.len() {
        return Err(ElexError::bad_argument("a text box length", format!("in 0..={}", text.len()), &len));
    }
    std::str::from_utf8(&text[..n])
        .map(State::Str)
        .map_err(|_| ElexError::invalid_argument("a state string is not valid UTF-8"))
}

/// Mailbox [handle, state, consumed]. `consumed != 0`: the caller used the last speculated
/// action, so its pending draws go first.
pub fn select_num() -> Result<u32> {
    on_mailbox(|t, m, _, _| {
        let s = number_state("state", m[1])?;
        Ok(select(t, s, m[2]))
    })
}

/// `select_num` with a string state: [handle, state length, consumed]; UTF-8 in the text box.
pub fn select_text() -> Result<u32> {
    on_mailbox(|t, m, text, _| {
        let s = text_state(text, m[1])?;
        Ok(select(t, s, m[2]))
    })
}

fn select(t: &mut QTable, s: State<'_>, consumed: f64) -> u32 {
    if consumed != 0.0 {
        t.consume_pending();
    }
    t.select_action(s)
}

/// Mailbox [handle, state].
pub fn best_num() -> Result<u32> {
    on_mailbox(|t, m, _, _| Ok(t.best_action(number_state("state", m[1])?)))
}

/// `best_num` with a string state: [handle, state length]; UTF-8 in the text box.
pub fn best_text() -> Result<u32> {
    on_mailbox(|t, m, text, _| Ok(t.best_action(text_state(text, m[1])?)))
}

/// Mailbox [handle, state, action, reward, next state, terminal (1) or not (0), consumed]
/// in; out: slot 1 the TD error (also returned; reading it from there spares the native
/// backend a heap-allocated JS number per call), slot 7 the action `select_action(next)`
/// would give now (−1 if terminal), which the facade hands out if the next call is exactly
/// that selection.
pub fn update_num() -> Result<f64> {
    on_mailbox(|t, m, _, _| {
        let next = if m[5] != 0.0 { None } else { Some(number_state("nextState", m[4])?) };
        let s = number_state("state", m[1])?;
        apply_update(t, m, s, next)
    })
}

/// `update_num` with string states: lengths in slots 1 and 4, the state in the first text
/// box, the next state in the second.
pub fn update_text() -> Result<f64> {
    on_mailbox(|t, m, text, next_text| {
        let next = if m[5] != 0.0 { None } else { Some(text_state(next_text, m[4])?) };
        let s = text_state(text, m[1])?;
        apply_update(t, m, s, next)
    })
}

fn apply_update(t: &mut QTable, m: &mut [f64; SLOTS], s: State<'_>, next: Option<State<'_>>) -> Result<f64> {
    let a = action(t, m[2])?;
    if m[6] != 0.0 {
        t.consume_pending();
    }
    let (td, spec) = t.update_and_speculate(s, a, m[3], next, true)?;
    m[1] = td;
    m[7] = spec;
    Ok(td)
}

/// A batch whose states are all numbers, as typed arrays (no per-element JS values to
/// convert): `terminal[i] != 0` marks a terminal step (then `next[i]` is ignored).
pub fn update_batch_numeric(
    t: &mut QTable, states: &[f64], actions: &[u32], rewards: &[f32], next: &[f64], terminal: &[u8],
) -> Result<()> {
    if next.len() != states.len() || terminal.len() != states.len() {
        return Err(ElexError::dimension_mismatch(format!(
            "batch arrays differ in length: states {}, nextStates {}",
            states.len(),
            next.len().min(terminal.len())
        )));
    }
    let s: Vec<State> = states.iter().map(|x| number_state("states[i]", *x)).collect::<Result<_>>()?;
    let n: Vec<Option<State>> = next
        .iter()
        .zip(terminal)
        .map(|(x, end)| if *end != 0 { Ok(None) } else { number_state("nextStates[i]", *x).map(Some) })
        .collect::<Result<_>>()?;
    t.update_batch(&s, actions, rewards, &n)
}

/// The caller used the last speculated action (see `QTable::speculate`).
pub fn consume_pending(t: &mut QTable) -> Result<()> {
    t.consume_pending();
    Ok(())
}

/// Applies the epsilon decay.
pub fn end_episode(t: &mut QTable) -> Result<()> {
    t.end_episode();
    Ok(())
}

/// Values of `info`, in this order.
pub const INFO: [&str; 7] = ["size", "epsilon", "actions", "states", "entries", "updates", "memoryBytes"];

/// [size, epsilon, actions, states, entries, updates, memoryBytes] into `out` (the facade's
/// reusable Float64Array: cheaper than building an object from native code).
pub fn info(t: &QTable, out: &mut [f64]) -> Result<()> {
    let st = t.stats();
    let values = [
        t.size() as f64,
        t.epsilon(),
        t.actions() as f64,
        st.states as f64,
        st.entries as f64,
        st.updates as f64,
        st.memory_bytes as f64,
    ];
    fill(out, &values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Owned;
    use elex_engine::qlearning::{QLearningConfig, QLearningOptions};

    fn table() -> Owned<QTable> {
        Owned::new(QTable::new(QLearningConfig::new(&QLearningOptions::default()).unwrap()))
    }

    #[test]
    fn per_step_calls_read_the_mailbox() {
        let t = table();
        // SAFETY: this thread's mailbox, no other user during the test.
        let m = unsafe { &mut *mailbox_ptr() };
        *m = [f64::from(t.handle()), 3.0, 1.0, 1.0, 4.0, 0.0, 0.0, 0.0];
        let td = update_num().unwrap();
        assert_eq!(unsafe { (*mailbox_ptr())[1] }, td);
        let m = unsafe { &mut *mailbox_ptr() };
        m[1] = 3.0;
        assert_eq!(best_num(), Ok(1));
        m[1] = 1.5;
        let e = best_num().unwrap_err();
        assert_eq!(e.to_string(), "state must be a whole number in 0..=4294967295, got 1.5");
        *m = [f64::from(t.handle()), 3.0, 0.5, 1.0, 0.0, 1.0, 0.0, 0.0];
        assert_eq!(update_num().unwrap_err().to_string(), "action must be a whole number in 0..5, got 0.5");
        m[2] = 9.0;
        assert_eq!(update_num().unwrap_err().to_string(), "action must be a whole number in 0..5, got 9");
        m[2] = 0.0;
        m[3] = f64::INFINITY;
        let e = update_num().unwrap_err();
        assert_eq!(
            (e.code(), e.to_string().as_str()),
            (
                "INVALID_REWARD",
                "invalid reward: reward must be a finite number within float32 range, got Infinity"
            )
        );
        m[0] = 99.0;
        assert_eq!(select_num().unwrap_err().code(), "INVALID_ARGUMENT");
    }

    #[test]
    fn text_states_come_from_the_text_boxes() {
        let t = table();
        // SAFETY: as above.
        let (m, text) = unsafe { (&mut *mailbox_ptr(), &mut *text_ptr()) };
        text[..3].copy_from_slice(b"abc");
        *m = [f64::from(t.handle()), 3.0, 2.0, 1.0, 0.0, 1.0, 0.0, 0.0];
        update_text().unwrap();
        m[1] = 3.0;
        assert_eq!(best_text(), Ok(2));
        m[1] = 5000.0;
        assert_eq!(best_text().unwrap_err().code(), "INVALID_ARGUMENT");
    }
}
