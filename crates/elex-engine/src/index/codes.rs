//! Quantised copies of the stored vectors, for walking the graph.
//!
//! An insert is one efConstruction search (thousands of distances) plus the neighbour
//! heuristic; with f32 vectors each distance read 512 bytes (dim 128) that were rarely in
//! cache. Building therefore compares one-byte codes (a quarter of the bytes, and an integer
//! dot product; `insert_profile` at 10 000 × 128: 210 → ~105 µs). Searches code the query the
//! same way (`encode`), walk by codes, and measure only the `ef` candidates they keep in f32,
//! so answers are exact distances; the exact scan keeps the f32 vectors.
//!
//! Each vector x is coded relative to a fixed centre c (the mean of the first `CODES_FROM`
//! slots: data far from the origin, such as radio measurements in dBm, would otherwise spend
//! the 8 bits on the offset): x' = x − c, codes round(x' / s) with s = max|x'| / 127, and two
//! exact scalars ‖x'‖² and x'·c. Then a·b = s_a s_b (codes_a·codes_b) + a'·c + b'·c + ‖c‖²
//! and ‖a − b‖² = ‖a'‖² + ‖b'‖² − 2 s_a s_b (codes_a·codes_b). Every step is either integer
//! arithmetic or a fixed-order f64 sum, so the same stored vectors give the same codes and
//! distances on every target. (Vectors normalised for cosine can differ in the last bit
//! between the AVX2 and simd128 kernels, and then a code may round the other way.)
//!
//! Small indexes (fewer than `CODES_FROM` slots) build with the f32 vectors and hold no codes.
//! Codes are derived data: snapshots do not store them; loading and compaction recompute them.

/// Slots from which the index builds with codes.
pub(super) const CODES_FROM: usize = 256;

/// `y` (|y| ≤ 127 up to rounding) to the nearest integer, halves away from zero, within
/// −127..=127. By truncating `|y| + 0.5`: `f32::round` is a libm call on baseline x86-64, once
/// per component of every stored vector. The same IEEE steps on every target.
#[inline(always)]
fn round_code(y: f32) -> i8 {
    let magnitude = ((y.abs() + 0.5) as i32).min(127);
    (if y < 0.0 { -magnitude } else { magnitude }) as i8
}

/// One cache line of codes: records start on line boundaries, so a dim-128 code is exactly
/// two lines to fetch, not three.
#[derive(Debug, Clone, Copy)]
#[repr(C, align(64))]
struct Line([u8; 64]);

// SAFETY: 64 bytes with alignment 64: no padding, and every bit pattern is valid.
unsafe impl bytemuck::Zeroable for Line {}
// SAFETY: as above; `Copy` and `'static`.
unsafe impl bytemuck::Pod for Line {}

/// `v`'s codes relative to `center` into `codes` (zeroed, at least `v.len()` bytes), and its
/// scalars (scale, ‖x'‖², x'·c).
fn encode(center: &[f32], v: &[f32], codes: &mut [u8]) -> [f32; 3] {
    let shifted: Vec<f32> = v.iter().zip(center).map(|(x, c)| x - c).collect();
    // (Comparisons, not f32::max: that is a libm call on baseline x86-64. Values are
    // finite, checked before they reach the index.)
    let max = shifted.iter().fold(0f32, |m, x| if x.abs() > m { x.abs() } else { m });
    let scale = max / 127.0;
    let (mut norm_sq, mut dot_center) = (0f64, 0f64);
    for (x, c) in shifted.iter().zip(center) {
        norm_sq += f64::from(*x) * f64::from(*x);
        dot_center += f64::from(*x) * f64::from(*c);
    }
    if scale > 0.0 && scale.is_normal() {
        for (code, x) in codes.iter_mut().zip(&shifted) {
            *code = round_code(x / scale) as u8;
        }
    }
    // A zero or subnormal scale leaves every code 0: the vector is the centre, to within
    // f32's smallest normal numbers.
    [scale, norm_sq as f32, dot_center as f32]
}

/// A query's code, laid out as a stored one.
#[derive(Debug, Clone)]
pub(super) struct Coded {
    lines: Vec<Line>,
    pub scalars: [f32; 3],
}

impl Coded {
    pub fn get(&self, dim: usize) -> &[i8] {
        let bytes: &[u8] = bytemuck::cast_slice(&self.lines);
        bytemuck::cast_slice(&bytes[..dim])
    }
}

#[derive(Debug, Clone, Default)]
pub(super) struct Codes {
    /// Per slot: scale, ‖x'‖², x'·c (apart from the codes, so those stay line-aligned).
    scalars: Vec<[f32; 3]>,
    /// Per slot `lines` cache lines: the dim codes, then zero padding.
    codes: Vec<Line>,
    /// Lines per slot; 0 while the index builds with f32 vectors.
    lines: usize,
    center: Vec<f32>,
    center_sq: f32,
}

impl Codes {
    pub fn enabled(&self) -> bool {
        self.lines != 0
    }

    /// Starts coding `dim`-long vectors around the mean of `first`.
    pub fn start<'v>(&mut self, dim: usize, first: impl Iterator<Item = &'v [f32]>) {
        let mut sums = vec![0f64; dim];
        let mut n = 0usize;
        for v in first {
            for (s, x) in sums.iter_mut().zip(v) {
                *s += f64::from(*x);
            }
            n += 1;
        }
        let center: Vec<f32> = sums.iter().map(|s| (s / n.max(1) as f64) as f32).collect();
        *self = Codes {
            scalars: Vec::new(),
            codes: Vec::new(),
            lines: dim.div_ceil(64).max(1),
            center_sq: center.iter().map(|c| f64::from(*c) * f64::from(*c)).sum::<f64>() as f32,
            center,
        };
    }

    /// Capacity for `additional` more codes (nothing while coding has not started).
    pub fn reserve(&mut self, additional: usize) {
        self.scalars.reserve(additional);
        self.codes.reserve(additional * self.lines);
    }

    /// Appends the code of the next slot's vector.
    pub fn push(&mut self, v: &[f32]) {
        let start = self.codes.len();
        self.codes.resize(start + self.lines, Line([0; 64]));
        let scalars = encode(&self.center, v, bytemuck::cast_slice_mut(&mut self.codes[start..]));
        self.scalars.push(scalars);
    }

    /// The code of a vector that is not stored (a query), for distances to stored codes
    /// with the same algebra (`HnswIndex::code_combine`).
    pub fn encode(&self, v: &[f32]) -> Coded {
        let mut lines = vec![Line([0; 64]); self.lines];
        let scalars = encode(&self.center, v, bytemuck::cast_slice_mut(&mut lines));
        Coded { lines, scalars }
    }

    /// `slot`'s codes (the dim first bytes of its lines).
    #[inline(always)]
    pub fn get(&self, slot: u32, dim: usize) -> &[i8] {
        let start = slot as usize * self.lines;
        let bytes: &[u8] = bytemuck::cast_slice(&self.codes[start..start + self.lines]);
        bytemuck::cast_slice(&bytes[..dim])
    }

    /// (scale, ‖x'‖², x'·c) of `slot`.
    #[inline(always)]
    pub fn scalars(&self, slot: u32) -> [f32; 3] {
        self.scalars[slot as usize]
    }

    /// Every slot's codes, `stride_bytes()` apart (for `Kernels::dot_i8_rows`).
    pub fn all(&self) -> &[i8] {
        bytemuck::cast_slice(&self.codes)
    }

    pub fn stride_bytes(&self) -> usize {
        self.lines * 64
    }

    /// ‖c‖², for dot products: a·b = s_a s_b D + a'·c + b'·c + ‖c‖².
    pub fn center_sq(&self) -> f32 {
        self.center_sq
    }

    /// Where `slot`'s codes start, for prefetching.
    #[inline(always)]
    pub fn record_ptr(&self, slot: u32) -> *const u32 {
        self.codes.as_ptr().wrapping_add(slot as usize * self.lines).cast()
    }

    pub fn memory_bytes(&self) -> usize {
        self.scalars.capacity() * 12 + self.codes.capacity() * 64 + self.center.capacity() * 4
    }
}

#[cfg(test)]
mod tests {
    use super::round_code;

    #[test]
    fn codes_round_halves_away_from_zero_within_the_range() {
        for (y, want) in [
            (0.0, 0),
            (0.49, 0),
            (0.5, 1),
            (-0.5, -1),
            (2.5, 3),
            (-2.5, -3),
            (-2.49, -2),
            (126.6, 127),
            (127.0, 127),
            (127.49, 127),
            (-127.49, -127),
        ] {
            assert_eq!(round_code(y), want, "{y}");
        }
    }
}
