//! The built-in text embedder: feature hashing of a text's tokens, adjacent token pairs and
//! character trigrams into `dim` signed buckets, L2-normalised. Deterministic (fixed hash,
//! fixed order of additions), so native, WebAssembly and the browser give the same vector.

use crate::agent::text::Token;

/// Weights of the three kinds of hashed feature.
const WORD: f32 = 1.0;
const PAIR: f32 = 0.5;
const TRIGRAM: f32 = 0.35;

/// FNV-1a over several byte pieces, as if concatenated (no allocation).
fn hash(pieces: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for piece in pieces {
        for b in *piece {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

fn add(v: &mut [f32], h: u64, weight: f32) {
    let i = (h % v.len() as u64) as usize;
    v[i] += if h >> 63 == 0 { weight } else { -weight };
}

/// The embedding of weighted tokens (weights from query expansion; 1 for plain tokens).
pub fn embed_tokens(tokens: &[(Token, f32)], dim: usize) -> Vec<f32> {
    let mut v = vec![0.0f32; dim];
    let mut previous: Option<&str> = None;
    for (t, w) in tokens {
        let text = t.text.as_bytes();
        add(&mut v, hash(&[text]), WORD * w);
        if t.whole {
            if let Some(p) = previous {
                add(&mut v, hash(&[p.as_bytes(), b" ", text]), PAIR * w);
            }
            previous = Some(&t.text);
        }
        // Character trigrams of "^text$".
        let n = text.len() + 2;
        if n > 4 {
            let per = TRIGRAM * w / ((n - 2) as f32).sqrt();
            let at = |i: usize| {
                if i == 0 {
                    b'^'
                } else if i == n - 1 {
                    b'$'
                } else {
                    text[i - 1]
                }
            };
            for i in 0..n - 2 {
                add(&mut v, hash(&[&[at(i), at(i + 1), at(i + 2)]]), per);
            }
        }
    }
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent::text::tokenize;

    fn embed(text: &str) -> Vec<f32> {
        let t: Vec<(Token, f32)> = tokenize(text).into_iter().map(|t| (t, 1.0)).collect();
        embed_tokens(&t, 128)
    }

    fn cos(a: &[f32], b: &[f32]) -> f32 {
        a.iter().zip(b).map(|(x, y)| x * y).sum()
    }

    #[test]
    fn unit_length_deterministic_and_similar_texts_are_close() {
        let a = embed("sleep start time");
        assert!((cos(&a, &a) - 1.0).abs() < 1e-5);
        assert_eq!(a, embed("sleep start time"));
        let b = embed("sleepStartTime");
        let c = embed("handover preparation success");
        assert!(cos(&a, &b) > cos(&a, &c) + 0.2, "{} vs {}", cos(&a, &b), cos(&a, &c));
        assert!(embed("").iter().all(|x| *x == 0.0));
    }
}
