//! The one pseudo-random generator of the engine (Q-learning exploration, index levels):
//! seeded, tiny, and the same sequence on every target.

/// SplitMix64: tiny, fast, and the same sequence on every target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rng(pub u64);

impl Rng {
    /// The generator state for a user's seed. A seed is a whole number in 0..=2^32-1 (what a
    /// JavaScript caller can pass exactly); its float bits are the state, which keeps the
    /// streams the same as when seeds arrived as JavaScript numbers.
    pub fn from_seed(seed: u32) -> u64 {
        f64::from(seed).to_bits()
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in 0..n (n >= 1), without modulo bias worth noticing for n <= 2^16.
    pub fn below(&mut self, n: u32) -> u32 {
        (((self.next_u64() >> 32) * u64::from(n)) >> 32) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rng_is_uniform_enough_and_reproducible() {
        let (mut a, mut b) = (Rng(7), Rng(7));
        let mut counts = [0u32; 5];
        for _ in 0..50_000 {
            let x = a.below(5);
            assert_eq!(x, b.below(5));
            counts[x as usize] += 1;
        }
        assert!(counts.iter().all(|c| (9_000..11_000).contains(c)), "{counts:?}");
        assert!((0..1000).all(|_| (0.0..1.0).contains(&a.next_f64())));
    }
}
