//! The RAN vocabulary: abbreviations and their expansions, synonyms and symptom words
//! ("UL" <-> "uplink", "IFLB" <-> "inter-frequency load balancing", "call drop" ->
//! "retainability"). A question is expanded with every phrase that shares a group with a
//! phrase it contains, in either direction, at a lower weight than its own words.

use crate::agent::catalog::VocabTerm;
use crate::agent::router::FastMap;
use crate::agent::text::{tokenize, Token};
use std::collections::HashMap;

/// Weight of a token added by expansion (a question's own tokens weigh 1).
pub const EXPANSION_WEIGHT: f32 = 0.5;

#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// Each phrase's whole tokens (what must appear, in order) and all its tokens.
    phrases: Vec<(Vec<String>, Vec<Token>)>,
    /// Phrases by their first whole token.
    by_first: FastMap<String, Vec<u32>>,
    /// The phrases of each group (one group per vocabulary entry).
    groups: Vec<Vec<u32>>,
    /// The groups of each phrase.
    groups_of: Vec<Vec<u32>>,
    /// The weight of each group's expansions.
    weights: Vec<f32>,
}

impl Vocabulary {
    pub fn new(terms: &[VocabTerm]) -> Self {
        let mut v = Vocabulary::default();
        let mut ids: HashMap<Vec<String>, u32> = HashMap::new();
        for term in terms {
            let mut group = Vec::new();
            for phrase in std::iter::once(&term.term).chain(&term.expansions) {
                let tokens = tokenize(phrase);
                let whole: Vec<String> = tokens.iter().filter(|t| t.whole).map(|t| t.text.clone()).collect();
                if whole.is_empty() {
                    continue;
                }
                let id = *ids.entry(whole.clone()).or_insert_with(|| {
                    let id = v.phrases.len() as u32;
                    v.by_first.entry(whole[0].clone()).or_default().push(id);
                    v.phrases.push((whole, tokens));
                    v.groups_of.push(Vec::new());
                    id
                });
                if !group.contains(&id) {
                    group.push(id);
                }
            }
            let g = v.groups.len() as u32;
            // One-way: only the term (the group's first phrase) triggers the group.
            let triggers = if term.one_way { &group[..group.len().min(1)] } else { &group[..] };
            for &id in triggers {
                v.groups_of[id as usize].push(g);
            }
            v.groups.push(group);
            v.weights.push(
                term.weight.filter(|w| w.is_finite() && *w > 0.0).map_or(EXPANSION_WEIGHT, |w| w.min(1.0)),
            );
        }
        v
    }

    pub fn len(&self) -> usize {
        self.groups.len()
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// `tokens` with weight 1, then the expansions of every phrase they contain.
    pub fn expand(&self, tokens: Vec<Token>) -> Vec<(Token, f32)> {
        let whole: Vec<&str> = tokens.iter().filter(|t| t.whole).map(|t| t.text.as_str()).collect();
        let mut added: Vec<(u32, f32)> = Vec::new();
        for i in 0..whole.len() {
            for &id in self.by_first.get(whole[i]).map_or(&[][..], Vec::as_slice) {
                let (phrase, _) = &self.phrases[id as usize];
                if whole.len() - i >= phrase.len() && phrase.iter().zip(&whole[i..]).all(|(a, b)| a == b) {
                    for &g in &self.groups_of[id as usize] {
                        let w = self.weights[g as usize];
                        for &other in &self.groups[g as usize] {
                            match added.iter_mut().find(|(p, _)| *p == other) {
                                Some((_, x)) => *x = x.max(w),
                                None if other != id => added.push((other, w)),
                                None => {}
                            }
                        }
                    }
                }
            }
        }
        let end = tokens.last().map_or(0, |t| t.pos + 1);
        let mut out: Vec<(Token, f32)> = tokens.into_iter().map(|t| (t, 1.0)).collect();
        for (n, (id, w)) in added.into_iter().enumerate() {
            for t in &self.phrases[id as usize].1 {
                if !out.iter().any(|(o, _)| o.text == t.text) {
                    // Expansions sit after the question's words, one position per phrase, so
                    // they never join the question's own pairs.
                    out.push((Token { text: t.text.clone(), whole: t.whole, pos: end + 1 + n as u32 }, w));
                }
            }
        }
        out
    }
}

impl crate::agent::heap::HeapSize for Vocabulary {
    fn heap(&self) -> usize {
        self.phrases.heap()
            + self.by_first.heap()
            + self.groups.heap()
            + self.groups_of.heap()
            + self.weights.heap()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab() -> Vocabulary {
        Vocabulary::new(&[
            VocabTerm { term: "UL".into(), expansions: vec!["uplink".into()], weight: None, one_way: false },
            VocabTerm {
                term: "IFLB".into(),
                expansions: vec!["inter-frequency load balancing".into()],
                weight: None,
                one_way: false,
            },
            VocabTerm {
                term: "call drops".into(),
                expansions: vec!["retainability".into()],
                weight: Some(0.3),
                one_way: true,
            },
        ])
    }

    fn expanded(text: &str) -> Vec<(String, f32)> {
        vocab().expand(tokenize(text)).into_iter().map(|(t, w)| (t.text, w)).collect()
    }

    #[test]
    fn expands_both_ways() {
        assert_eq!(expanded("UL gains"), [("ul".into(), 1.0), ("gain".into(), 1.0), ("uplink".into(), 0.5)]);
        let e = expanded("inter frequency load balancing");
        assert!(e.contains(&("iflb".into(), 0.5)), "{e:?}");
        assert_eq!(expanded("nothing here"), [("nothing".into(), 1.0)]);
        assert_eq!(
            expanded("call drops"),
            [("call".into(), 1.0), ("drop".into(), 1.0), ("retainability".into(), 0.3)]
        );
        assert_eq!(expanded("retainability"), [("retainability".into(), 1.0)], "one way only");
    }
}
