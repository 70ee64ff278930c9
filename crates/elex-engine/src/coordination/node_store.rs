//! A node and a shared store (a NATS JetStream KV bucket, kept by the JS layer): one signed
//! value per own agent, holding this node's slots for it, and the others' values taken in.
//! Values are frames like any other (sealed, checked), but stored: they are not checked for
//! time or repetition, since a watcher reads them again after every reconnect, and applying
//! one twice changes nothing.

use super::{origin_of, Node, KIND_KV};
use crate::agent::Swarm;
use crate::coordination::envelope::ANYONE;
use crate::coordination::learned::Delta;
use std::collections::BTreeSet;

impl Node {
    /// Values for a shared store (NATS KV), one per own agent whose slots changed since the
    /// last call (`all`: every own agent, to resynchronise): (agent, signed value).
    pub fn kv_values(&mut self, all: bool, now_ms: u64) -> Vec<(String, Vec<u8>)> {
        let agents: Vec<String> = if all {
            let every: BTreeSet<String> = self
                .learned
                .agents_of(&self.origin)
                .into_iter()
                .chain(std::mem::take(&mut self.dirty))
                .collect();
            every.into_iter().collect()
        } else {
            std::mem::take(&mut self.dirty).into_iter().collect()
        };
        agents
            .into_iter()
            .map(|faj| {
                let delta = self.learned.origin_slots(&faj, &self.origin).to_bytes();
                let value = self.sealer.seal(KIND_KV, &ANYONE, &delta, now_ms);
                (faj, value)
            })
            .collect()
    }

    /// A value from the shared store: checked like a frame (but not for time or repetition),
    /// and only slots of its signer's own origin are taken. How many agents it changed.
    pub fn absorb_stored(&mut self, bytes: &[u8], swarm: &mut Swarm) -> usize {
        let Ok(frame) = self.guard.open_stored(bytes) else { return 0 };
        if frame.kind != KIND_KV {
            self.drop_frame("malformed");
            return 0;
        }
        let origin = origin_of(&frame.sender);
        match Delta::from_bytes(frame.payload) {
            Ok(delta) if delta.slots.iter().all(|(k, _)| k.3 == origin) && delta.through.is_empty() => {
                self.absorb(&delta, swarm)
            }
            Ok(_) => {
                self.drop_frame("forged");
                0
            }
            Err(_) => {
                self.drop_frame("malformed");
                0
            }
        }
    }
}
