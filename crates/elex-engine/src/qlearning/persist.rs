//! Q-table payload inside the shared snapshot format (`crate::snapshot`).
//!
//! ```text
//! actions u32 | alpha f32 | gamma f32 | epsilon₀ f64 | epsilon f64 | decay f64 | min f64
//! | policy u8 | ucbC f32 | seed u64 | rng u64 | tick u32 | updates u64
//! | rows u32 | per row: tag u8 (0 number, 1 string) + u32 | string,
//!              then per action: value f32, visits u32, tick u32
//! ```

use super::options::{Policy, QLearningConfig, MAX_ACTIONS};
use super::states::{RowKey, State};
use super::QTable;
use crate::error::Result;
use crate::rng::Rng;
use crate::snapshot::{self, corrupt, Kind, Reader, Writer};
use crate::types::{Discount, LearningRate};

impl QTable {
    pub fn to_bytes(&self) -> Vec<u8> {
        snapshot::encode(Kind::QTable, &self.payload())
    }

    /// The snapshot sealed with a 32-byte key (AES-256-GCM, header bound; see `snapshot`).
    pub fn to_sealed_bytes(&self, key: &[u8]) -> Result<Vec<u8>> {
        snapshot::seal(Kind::QTable, &self.payload(), key)
    }

    /// `from_bytes`, or with `key` the sealed form `to_sealed_bytes` wrote.
    pub fn from_snapshot(bytes: &[u8], key: Option<&[u8]>) -> Result<QTable> {
        Self::from_payload(&snapshot::open(bytes, Kind::QTable, key)?)
    }

    fn payload(&self) -> Vec<u8> {
        let c = &self.cfg;
        let mut w = Writer::default();
        w.u32(c.actions);
        w.f32(c.alpha.get());
        w.f32(c.gamma.get());
        for v in [c.epsilon, self.epsilon, c.epsilon_decay, c.min_epsilon] {
            w.u64(v.to_bits());
        }
        w.u8(match c.policy {
            Policy::EpsilonGreedy => 0,
            Policy::Ucb => 1,
        });
        w.f32(c.ucb_c);
        w.u64(c.seed);
        // Draws made ahead (speculation) are not part of the saved state: store the
        // generator as it was before them, so a restored table draws them again.
        w.u64(self.pending.map_or(self.rng, |(_, before)| before).0);
        w.u32(self.tick);
        w.u64(self.updates);
        w.u32(self.size() as u32);
        let a = self.actions();
        for (row, key) in self.states.keys.iter().enumerate() {
            match *key {
                RowKey::Num(n) => {
                    w.u8(0);
                    w.u32(n);
                }
                key => {
                    w.u8(1);
                    w.str(self.states.key_str(key).unwrap_or(""));
                }
            }
            for e in row * a..(row + 1) * a {
                w.f32(self.values[e]);
                w.u32(self.visits[e]);
                w.u32(self.ticks[e]);
            }
        }
        w.bytes
    }

    /// Reads what `to_bytes` wrote; anything else is `CORRUPT_DATA` / `UNSUPPORTED_VERSION`.
    pub fn from_bytes(bytes: &[u8]) -> Result<QTable> {
        Self::from_snapshot(bytes, None)
    }

    fn from_payload(payload: &[u8]) -> Result<QTable> {
        let mut r = Reader::new(payload);
        let actions = r.u32()?;
        if actions == 0 || actions > MAX_ACTIONS {
            return Err(corrupt(format!("{actions} actions")));
        }
        let unit = |v: f64, name: &str| {
            if (0.0..=1.0).contains(&v) {
                Ok(v)
            } else {
                Err(corrupt(format!("{name} {v} out of range")))
            }
        };
        let alpha = LearningRate::new(f64::from(r.f32()?)).map_err(|_| corrupt("alpha out of range"))?;
        let gamma = Discount::new(f64::from(r.f32()?)).map_err(|_| corrupt("gamma out of range"))?;
        let epsilon0 = unit(f64::from_bits(r.u64()?), "epsilon")?;
        let epsilon = unit(f64::from_bits(r.u64()?), "epsilon")?;
        let epsilon_decay = unit(f64::from_bits(r.u64()?), "epsilonDecay")?;
        let min_epsilon = unit(f64::from_bits(r.u64()?), "minEpsilon")?;
        let policy = match r.u8()? {
            0 => Policy::EpsilonGreedy,
            1 => Policy::Ucb,
            p => return Err(corrupt(format!("unknown policy {p}"))),
        };
        let ucb_c = r.f32()?;
        if !(ucb_c.is_finite() && ucb_c >= 0.0) {
            return Err(corrupt("ucbC out of range"));
        }
        let seed = r.u64()?;
        let cfg = QLearningConfig {
            actions,
            alpha,
            gamma,
            epsilon: epsilon0,
            epsilon_decay,
            min_epsilon,
            policy,
            ucb_c,
            seed,
        };
        let mut table = QTable::new(cfg);
        table.epsilon = epsilon;
        table.rng = Rng(r.u64()?);
        table.tick = r.u32()?;
        table.updates = r.u64()?;
        let a = actions as usize;
        let rows = r.count(5 + a * 12)?;
        for _ in 0..rows {
            let (row, new) = match r.u8()? {
                0 => table.states.get_or_insert(State::Num(r.u32()?))?,
                1 => table.states.get_or_insert(State::Str(r.str()?))?,
                t => return Err(corrupt(format!("unknown state tag {t}"))),
            };
            if !new {
                return Err(corrupt(format!("state {:?} appears twice", table.states.state_of(row))));
            }
            for _ in 0..a {
                let value = r.f32()?;
                if !value.is_finite() {
                    return Err(corrupt("a Q-value is not finite"));
                }
                table.values.push(value);
                table.visits.push(r.u32()?);
                table.ticks.push(r.u32()?);
            }
        }
        r.finish()?;
        table.states.shrink_to_fit();
        Ok(table)
    }
}
