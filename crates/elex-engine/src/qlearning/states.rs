//! State keys → dense row numbers. Small numeric states (< 65 536) index a direct table;
//! larger numbers and strings go through one open-addressing hash table whose slots hold row
//! numbers, with string bytes interned in a single arena. Hashing is a fixed function, so the
//! same keys give the same layout on every target, and every byte is in a `Vec` whose
//! capacity `memory_bytes` counts.

use crate::error::{ElexError, Result};

/// A state as the API takes it: a whole number in 0..=2^32-1 or a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State<'a> {
    Num(u32),
    Str(&'a str),
}

/// How a row's key is stored: a number, or a slice of the string arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RowKey {
    Num(u32),
    Str { start: u32, len: u32 },
}

const DIRECT_LIMIT: u32 = 1 << 16;
const EMPTY: u32 = u32::MAX;

#[derive(Debug, Clone, Default)]
pub(crate) struct StateIndex {
    /// Row of numeric state n (n < DIRECT_LIMIT), or EMPTY.
    direct: Vec<u32>,
    /// Open addressing, linear probing; power-of-two length; row numbers or EMPTY.
    slots: Vec<u32>,
    hashed: usize,
    pub(crate) keys: Vec<RowKey>,
    arena: String,
}

fn hash_num(n: u32) -> u64 {
    mix(u64::from(n) ^ 0x9e37_79b9_7f4a_7c15)
}

fn hash_str(s: &str) -> u64 {
    // FNV-1a over the bytes, then a final mix: fixed, so layouts agree across targets.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    mix(h ^ 0x5bd1_e995)
}

fn mix(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

impl StateIndex {
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn key_str(&self, key: RowKey) -> Option<&str> {
        match key {
            RowKey::Num(_) => None,
            RowKey::Str { start, len } => self.arena.get(start as usize..(start + len) as usize),
        }
    }

    pub fn state_of(&self, row: usize) -> State<'_> {
        match self.keys[row] {
            RowKey::Num(n) => State::Num(n),
            key => State::Str(self.key_str(key).unwrap_or("")),
        }
    }

    #[inline]
    pub fn get(&self, state: State<'_>) -> Option<usize> {
        match state {
            State::Num(n) if n < DIRECT_LIMIT => {
                self.direct.get(n as usize).copied().filter(|r| *r != EMPTY).map(|r| r as usize)
            }
            _ => self.find_slot(state).1.map(|r| r as usize),
        }
    }

    /// The row of `state`, appending a new one (the caller then extends its columns).
    pub fn get_or_insert(&mut self, state: State<'_>) -> Result<(usize, bool)> {
        if let Some(row) = self.get(state) {
            return Ok((row, false));
        }
        if self.keys.len() >= (EMPTY - 1) as usize {
            return Err(ElexError::InvalidArgument("the table is full (2^32 - 2 states)".into()));
        }
        let row = self.keys.len() as u32;
        match state {
            State::Num(n) if n < DIRECT_LIMIT => {
                if self.direct.len() <= n as usize {
                    self.direct.resize(n as usize + 1, EMPTY);
                }
                self.direct[n as usize] = row;
                self.keys.push(RowKey::Num(n));
            }
            State::Num(n) => {
                self.keys.push(RowKey::Num(n));
                self.insert_hashed(state, row);
            }
            State::Str(s) => {
                let start = u32::try_from(self.arena.len())
                    .ok()
                    .filter(|start| {
                        start.checked_add(s.len() as u32).is_some() && s.len() <= u32::MAX as usize
                    })
                    .ok_or_else(|| {
                        ElexError::InvalidArgument("state strings exceed 4 GiB in total".into())
                    })?;
                self.arena.push_str(s);
                self.keys.push(RowKey::Str { start, len: s.len() as u32 });
                self.insert_hashed(state, row);
            }
        }
        Ok((row as usize, true))
    }

    fn hash(state: State<'_>) -> u64 {
        match state {
            State::Num(n) => hash_num(n),
            State::Str(s) => hash_str(s),
        }
    }

    fn matches(&self, row: u32, state: State<'_>) -> bool {
        match (self.keys[row as usize], state) {
            (RowKey::Num(a), State::Num(b)) => a == b,
            (key @ RowKey::Str { .. }, State::Str(s)) => self.key_str(key) == Some(s),
            _ => false,
        }
    }

    /// (slot where the state is or would go, its row if present).
    fn find_slot(&self, state: State<'_>) -> (usize, Option<u32>) {
        if self.slots.is_empty() {
            return (0, None);
        }
        let mask = self.slots.len() - 1;
        let mut i = Self::hash(state) as usize & mask;
        loop {
            match self.slots[i] {
                EMPTY => return (i, None),
                row if self.matches(row, state) => return (i, Some(row)),
                _ => i = (i + 1) & mask,
            }
        }
    }

    fn insert_hashed(&mut self, state: State<'_>, row: u32) {
        // Keep the load factor under 7/8 so probes stay short and an empty slot exists.
        if (self.hashed + 1) * 8 > self.slots.len() * 7 {
            self.grow();
        }
        let (slot, _) = self.find_slot(state);
        self.slots[slot] = row;
        self.hashed += 1;
    }

    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(16);
        self.slots = vec![EMPTY; size];
        let mask = size - 1;
        for row in 0..self.keys.len() as u32 {
            let key = self.keys[row as usize];
            let hash = match key {
                RowKey::Num(n) if n < DIRECT_LIMIT => continue,
                RowKey::Num(n) => hash_num(n),
                RowKey::Str { .. } => hash_str(self.key_str(key).unwrap_or("")),
            };
            let mut i = hash as usize & mask;
            while self.slots[i] != EMPTY {
                i = (i + 1) & mask;
            }
            self.slots[i] = row;
        }
    }

    /// Bytes held by this index's allocations.
    pub fn memory_bytes(&self) -> usize {
        self.direct.capacity() * 4
            + self.slots.capacity() * 4
            + self.keys.capacity() * std::mem::size_of::<RowKey>()
            + self.arena.capacity()
    }

    pub fn shrink_to_fit(&mut self) {
        self.direct.shrink_to_fit();
        self.keys.shrink_to_fit();
        self.arena.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_strings_get_distinct_stable_rows() {
        let mut ix = StateIndex::default();
        let states = [State::Num(3), State::Str("3"), State::Num(70_000), State::Str(""), State::Num(0)];
        for (i, s) in states.iter().enumerate() {
            assert_eq!(ix.get_or_insert(*s).unwrap(), (i, true));
        }
        for (i, s) in states.iter().enumerate() {
            assert_eq!(ix.get(*s), Some(i));
            assert_eq!(ix.get_or_insert(*s).unwrap(), (i, false));
            assert_eq!(ix.state_of(i), *s);
        }
        assert_eq!(ix.get(State::Num(4)), None);
        assert_eq!(ix.get(State::Str("4")), None);
    }

    #[test]
    fn many_keys_survive_growth() {
        let mut ix = StateIndex::default();
        let names: Vec<String> = (0..5000).map(|i| format!("state-{i}")).collect();
        for (i, n) in names.iter().enumerate() {
            assert_eq!(ix.get_or_insert(State::Str(n)).unwrap().0, 2 * i);
            assert_eq!(ix.get_or_insert(State::Num(100_000 + i as u32)).unwrap().0, 2 * i + 1);
        }
        for (i, n) in names.iter().enumerate() {
            assert_eq!(ix.get(State::Str(n)), Some(2 * i));
            assert_eq!(ix.get(State::Num(100_000 + i as u32)), Some(2 * i + 1));
        }
    }
}
