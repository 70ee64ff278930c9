//! What other nodes learned for one agent: per state and action the sum of q·n and n over
//! the other origins of the cluster's learned state. It is laid over the agent's own
//! Q-table when the agent chooses and when it reports, so a cluster's agents act on all
//! that was learned while each node's Q-learning keeps updating only its own table (what it
//! publishes), and nothing is counted twice.

use crate::agent::feature_agent::ACTIONS;
use crate::qlearning::{QTable, State};
use std::collections::BTreeMap;

const N: usize = ACTIONS.len();

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Others {
    rows: BTreeMap<u32, ([f64; N], [u64; N])>,
}

/// A merged row: values and visits per action.
pub type View = ([f32; N], [u64; N]);

impl Others {
    /// From (state, action, Σ q·n, Σ n) rows; actions past the agent's five are ignored.
    pub fn from_rows(rows: &[(u32, u8, f64, u64)]) -> Self {
        let mut out = Others::default();
        for &(state, action, sum, n) in rows {
            let a = action as usize;
            if a < N && n > 0 && sum.is_finite() {
                let row = out.rows.entry(state).or_insert(([0.0; N], [0; N]));
                row.0[a] += sum;
                row.1[a] += n;
            }
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn states(&self) -> impl Iterator<Item = u32> + '_ {
        self.rows.keys().copied()
    }

    /// The own table's row at `state` with the others' learning added, visit-weighted; `None`
    /// where the others learned nothing (the own row stands alone).
    pub fn view(&self, table: Option<&QTable>, state: u32) -> Option<View> {
        let (sums, counts) = self.rows.get(&state)?;
        let (mut q, mut v) = ([0f32; N], [0u32; N]);
        if let Some(t) = table.filter(|t| t.actions() == N) {
            let _ = t.q_values_into(State::Num(state), &mut q);
            let _ = t.visits_into(State::Num(state), &mut v);
        }
        let mut out: View = ([0.0; N], [0; N]);
        for a in 0..N {
            let n = counts[a] + u64::from(v[a]);
            out.1[a] = n;
            out.0[a] =
                if n == 0 { q[a] } else { ((sums[a] + f64::from(q[a]) * f64::from(v[a])) / n as f64) as f32 };
        }
        Some(out)
    }
}

impl crate::agent::heap::HeapSize for Others {
    fn heap(&self) -> usize {
        self.rows.len() * (std::mem::size_of::<u32>() + std::mem::size_of::<([f64; N], [u64; N])>() + 32)
    }
}
