//! Routing: which features a question is about. Two kinds of evidence, combined:
//! - lexical: a BM25 score over each feature's fields (name, acronym, FAJ / CXC code,
//!   parameter and counter names whole and split, KPI names, category), with a bonus for
//!   "strong keys" (an acronym, a code, a whole parameter or counter name) and for covering
//!   most of a feature's name;
//! - semantic: the built-in embedder (or the caller's vector) searched in an HNSW index of
//!   every knowledge item (feature, parameter, counter, KPI); a feature scores its best item.
//!
//! Scores are computed with a fixed order of operations and a hand-written logarithm, so
//! native and WebAssembly rank identically.

use crate::agent::catalog::{FeatureSpec, Technology};
use crate::agent::embed::embed_tokens;
use crate::agent::heap::HeapSize;
use crate::agent::text::{counted_units, named_counts, tokenize, Token};
use crate::agent::vocab::Vocabulary;
use crate::error::{ElexError, Result};
use crate::index::{HnswIndex, IndexConfig};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a as a `Hasher`: the maps here are keyed by short tokens, where SipHash's setup
/// costs more than the lookup.
#[derive(Default)]
pub struct Fnv(u64);

impl Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = h;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

/// A parameter or counter name as questions name it: the whole identifier and its parts, as
/// ids of the router's tokens (10 000 names would otherwise keep their words a second time).
#[derive(Debug, Clone, Default)]
pub struct Key {
    pub whole: u32,
    pub parts: Box<[u32]>,
}

/// The id of a token the router does not know.
pub const NO_TOKEN: u32 = u32::MAX;

impl Key {
    /// Named by a question with these token ids: the whole identifier, or all of (two or
    /// more) parts.
    pub fn named_by(&self, ids: &[u32]) -> bool {
        ids.contains(&self.whole) || (self.parts.len() >= 2 && self.parts.iter().all(|p| ids.contains(p)))
    }
}

/// A token's entry for one feature: its field-weighted frequency, and whether it is a word of
/// the feature's name (for the name-coverage rule).
#[derive(Debug, Clone, Copy)]
struct Posting {
    feature: u32,
    tf: f32,
    /// The BM25 term weight idf·tf·(k1+1)/(tf+norm), kept current by `refresh`: the inner
    /// loop of every question then multiplies once instead of dividing.
    weight: f32,
    in_name: bool,
}

/// A token's postings with its document frequency and idf over the live features (kept
/// current by `refresh`, so a question pays for neither).
#[derive(Debug, Clone, Default)]
struct Postings {
    list: Vec<Posting>,
    df: usize,
    idf: f32,
    /// The token's id (its order of first appearance).
    id: u32,
}

/// The keys of a feature's parameters and counters, in catalog order.
#[derive(Debug, Clone, Default)]
pub struct FeatureKeys {
    pub parameters: Vec<Key>,
    pub counters: Vec<Key>,
}

/// Field weights of the lexical document of a feature.
const W_CODE: f32 = 6.0;
const W_ACRONYM: f32 = 4.0;
const W_NAME: f32 = 2.5;
const W_WHOLE_NAME: f32 = 2.5;
const W_PART: f32 = 0.35;
const W_KPI: f32 = 0.4;
const W_CATEGORY: f32 = 0.4;
/// The most that words repeated across a feature's parameter, counter and KPI names add up to.
const BULK_CAP: f32 = 1.0;
/// BM25 saturation and length normalisation.
const K1: f32 = 1.2;
const B: f32 = 0.3;
/// Added to a feature's lexical score per strong key it owns (times the key's idf).
const STRONG_BONUS: f32 = 1.5;
/// A key owned by more features, or found in more features' documents, is not strong.
const STRONG_MAX_OWNERS: usize = 3;
const STRONG_MAX_DF: usize = 12;
/// How much the semantic similarity counts next to the (normalised) lexical score.
const SEMANTIC_WEIGHT: f32 = 0.35;
/// Items the semantic search looks at.
const SEMANTIC_ITEMS: usize = 10;
/// A feature of the other access technology than the one a question names (LTE or NR)
/// keeps this share of its score.
const OTHER_TECHNOLOGY: f32 = 0.8;
/// Likewise a feature whose name says the other link direction (uplink or downlink).
const OTHER_DIRECTION: f32 = 0.8;

/// What a knowledge item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    Feature,
    Parameter,
    Counter,
    Kpi,
}

/// One distinct text of the knowledge index, and the features it belongs to (a parameter
/// name can belong to several features; it is indexed once).
#[derive(Debug, Clone)]
pub struct Item {
    pub features: Vec<u32>,
    pub kind: ItemKind,
    /// The parameter / KPI name (the feature's name for a feature item).
    pub name: String,
}

/// The evidence a question gave: features by score, and which facts it named.
#[derive(Debug, Clone, Default)]
pub struct Routed {
    /// (feature, score in 0..=1), best first.
    pub ranked: Vec<(u32, f32)>,
    /// Whether the question names a feature of its own (a strong key or most of a name).
    pub names_a_feature: bool,
}

#[derive(Debug, Clone)]
pub struct Router {
    dim: usize,
    /// token -> (feature, field-weighted term frequency)
    postings: FastMap<String, Postings>,
    /// Each feature's BM25 length normalisation, refreshed when features come or go.
    norms: Vec<f32>,
    /// strong key -> features owning it
    strong: FastMap<String, Vec<u32>>,
    /// Distinct words of each feature's name.
    name_len: Vec<u16>,
    keys: Vec<FeatureKeys>,
    /// Each feature's access technology (LTE, NR, ...), when the catalog says.
    technology: Vec<Option<Technology>>,
    /// The link direction each feature's name says, if one.
    direction: Vec<Option<Direction>>,
    doc_len: Vec<f32>,
    live: Vec<bool>,
    live_count: usize,
    live_len: f32,
    items: Vec<Item>,
    item_of: FastMap<(u8, String), u32>,
    index: HnswIndex,
}

/// The embedder's input for an item or a question: tokens with weights.
pub fn weighted(tokens: Vec<Token>) -> Vec<(Token, f32)> {
    tokens.into_iter().map(|t| (t, 1.0)).collect()
}

/// ln x for x > 0 from + - * / only (frexp and the atanh series), so every target gives
/// the same bits; libm's `ln` may differ in the last place between platforms.
pub fn ln(x: f64) -> f64 {
    let bits = x.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let mut term = s;
    let mut sum = 0.0;
    let mut k = 1.0;
    while k < 40.0 {
        sum += term / k;
        term *= s2;
        k += 2.0;
    }
    exponent as f64 * std::f64::consts::LN_2 + 2.0 * sum
}

/// Texts of a feature's items, in a fixed order: the feature, its parameters, its KPIs.
/// Counters are left to the lexical scorer: their names are identifiers it matches whole and
/// by parts, and leaving them out halves the index (5 416 of 11 453 items).
fn items_of(f: &FeatureSpec) -> Vec<(ItemKind, &str, String)> {
    let acronym = f.acronym.as_deref().unwrap_or("");
    let mut out = vec![(ItemKind::Feature, f.name.as_str(), format!("{} {acronym} {}", f.name, f.category))];
    for p in &f.parameters {
        out.push((ItemKind::Parameter, p.name.as_str(), p.name.replace('.', " ")));
    }
    for k in &f.kpis {
        out.push((
            ItemKind::Kpi,
            k.name.as_str(),
            format!("{} {}", k.name, k.group.as_deref().unwrap_or("")),
        ));
    }
    out
}

impl Router {
    pub fn new(dim: usize, seed: u32) -> Result<Self> {
        let cfg = IndexConfig {
            metric: crate::index::Metric::Dot,
            m: 12,
            ef_construction: 64,
            ef_search: 64,
            ..IndexConfig::new(dim).with_seed(seed)
        };
        Ok(Router {
            dim,
            postings: FastMap::default(),
            norms: Vec::new(),
            strong: FastMap::default(),
            name_len: Vec::new(),
            keys: Vec::new(),
            technology: Vec::new(),
            direction: Vec::new(),
            doc_len: Vec::new(),
            live: Vec::new(),
            live_count: 0,
            live_len: 0.0,
            items: Vec::new(),
            item_of: FastMap::default(),
            index: HnswIndex::new(cfg)?,
        })
    }

    pub fn dim(&self) -> usize {
        self.dim
    }

    pub fn items(&self) -> usize {
        self.index.size()
    }

    pub fn item(&self, id: u32) -> &Item {
        &self.items[id as usize]
    }

    pub fn memory_bytes(&self) -> usize {
        std::mem::size_of::<Self>()
            + self.postings.heap()
            + self.norms.heap()
            + self.strong.heap()
            + self.name_len.heap()
            + self.keys.heap()
            + self.technology.capacity() * std::mem::size_of::<Option<Technology>>()
            + self.direction.capacity() * std::mem::size_of::<Option<Direction>>()
            + self.doc_len.heap()
            + self.live.heap()
            + self.items.heap()
            + self.item_of.heap()
            + self.index.memory_bytes()
    }

    /// Adds features (positions `first..`) in one batch: lexical documents and index items.
    pub fn add_features(&mut self, first: u32, features: &[FeatureSpec]) -> Result<()> {
        for (n, f) in features.iter().enumerate() {
            self.add_document(first + n as u32, f);
        }
        // New texts get a vector; a text already indexed gains the feature.
        let mut ids = Vec::new();
        let mut vectors = Vec::new();
        let mut fresh: Vec<Item> = Vec::new();
        for (n, f) in features.iter().enumerate() {
            let i = first + n as u32;
            for (kind, name, text) in items_of(f) {
                let key = (kind as u8, name.to_owned());
                if let Some(&id) = self.item_of.get(&key) {
                    let item = if (id as usize) < self.items.len() {
                        &mut self.items[id as usize]
                    } else {
                        &mut fresh[id as usize - self.items.len()]
                    };
                    if !item.features.contains(&i) {
                        item.features.push(i);
                    }
                    continue;
                }
                let v = embed_tokens(&weighted(tokenize(&text)), self.dim);
                if v.iter().all(|x| *x == 0.0) {
                    continue; // nothing to embed (a name of stopwords only)
                }
                let id = (self.items.len() + fresh.len()) as u32;
                self.item_of.insert(key, id);
                ids.push(id);
                vectors.extend_from_slice(&v);
                fresh.push(Item { features: vec![i], kind, name: name.to_owned() });
            }
        }
        self.index.add_batch(&ids, &vectors)?;
        self.items.extend(fresh);
        self.refresh();
        Ok(())
    }

    /// Recomputes document frequencies, idf and length norms over the live features.
    fn refresh(&mut self) {
        let n = self.live_count.max(1) as f64;
        for entry in self.postings.values_mut() {
            entry.df = entry.list.iter().filter(|p| self.live[p.feature as usize]).count();
            entry.idf = ln(1.0 + (n - entry.df as f64 + 0.5) / (entry.df as f64 + 0.5)) as f32;
        }
        let avg = if self.live_count == 0 { 1.0 } else { self.live_len / self.live_count as f32 };
        self.norms = self.doc_len.iter().map(|len| K1 * (1.0 - B + B * len / avg)).collect();
        for entry in self.postings.values_mut() {
            for p in &mut entry.list {
                p.weight = entry.idf * p.tf * (K1 + 1.0) / (p.tf + self.norms[p.feature as usize]);
            }
        }
    }

    fn add_document(&mut self, i: u32, f: &FeatureSpec) {
        // Two accumulators: the feature's own words (codes, acronym, name, whole parameter and
        // counter names) count in full; words repeated across its many parameter, counter
        // and KPI names ("success", "time", "cell") are capped, so a feature with hundreds of
        // counters does not win every vague question.
        let mut tf: Vec<(String, f32, f32)> = Vec::new();
        let mut add = |token: &str, own: f32, bulk: f32| match tf.iter_mut().find(|(t, _, _)| t == token) {
            Some((_, o, b)) => {
                *o += own;
                *b += bulk;
            }
            None => tf.push((token.to_owned(), own, bulk)),
        };
        let mut put = |token: &str, w: f32| {
            if w == W_PART || w == W_KPI || w == W_CATEGORY {
                add(token, 0.0, w)
            } else {
                add(token, w, 0.0)
            }
        };
        let code = tokenize(&f.faj_code);
        let mut strong: Vec<String> = code.iter().map(|t| t.text.clone()).collect();
        for t in &code {
            put(&t.text, W_CODE);
        }
        if let Some(cxc) = &f.cxc {
            let t = cxc.to_ascii_lowercase();
            put(&t, W_CODE);
            strong.push(t);
        }
        if let Some(a) = &f.acronym {
            // A hyphenated acronym ("NEF-LTE") is one key, written joined or with its hyphen
            // (the tokenizer joins hyphenated words too); its parts are ordinary words.
            let parts: Vec<Token> = tokenize(a).into_iter().filter(|t| t.whole).collect();
            if parts.len() == 1 {
                put(&parts[0].text, W_ACRONYM);
                strong.push(parts[0].text.clone());
            } else if !parts.is_empty() {
                let joined: String =
                    a.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase();
                put(&joined, W_ACRONYM);
                strong.push(joined);
                for t in parts {
                    put(&t.text, W_PART);
                }
            }
        }
        let name = tokenize(&f.name);
        for t in &name {
            put(&t.text, if t.whole { W_NAME } else { W_PART });
        }
        for count in named_counts(&f.name) {
            put(&count, W_NAME);
            strong.push(count);
        }
        let mut named = |full: &str, strong: &mut Vec<String>| {
            // A whole parameter / counter name is a strong key; its parts are weak evidence.
            for t in tokenize(full.rsplit_once('.').map_or(full, |(_, a)| a)) {
                if t.whole {
                    put(&t.text, W_WHOLE_NAME);
                    if t.text.len() >= 6 {
                        strong.push(t.text);
                    }
                } else {
                    put(&t.text, W_PART);
                }
            }
        };
        for p in &f.parameters {
            named(&p.name, &mut strong);
        }
        for c in &f.counters {
            named(c.name(), &mut strong);
        }
        for k in &f.kpis {
            for t in tokenize(&k.name) {
                put(&t.text, W_KPI);
            }
        }
        for t in tokenize(&f.category) {
            put(&t.text, W_CATEGORY);
        }
        let tf: Vec<(String, f32)> =
            tf.into_iter().map(|(t, own, bulk)| (t, own + bulk.min(BULK_CAP))).collect();
        let len: f32 = tf.iter().map(|(_, w)| w.min(4.0)).sum();
        let mut name_words: Vec<String> = name.iter().filter(|t| t.whole).map(|t| t.text.clone()).collect();
        name_words.sort_unstable();
        name_words.dedup();
        for (t, w) in tf {
            let in_name = name_words.contains(&t);
            let next = self.postings.len() as u32;
            let entry =
                self.postings.entry(t).or_insert_with(|| Postings { id: next, ..Postings::default() });
            entry.list.push(Posting { feature: i, tf: w, weight: 0.0, in_name });
        }
        strong.sort_unstable();
        strong.dedup();
        for s in strong {
            self.strong.entry(s).or_default().push(i);
        }
        let i = i as usize;
        if self.doc_len.len() <= i {
            self.doc_len.resize(i + 1, 0.0);
            self.live.resize(i + 1, false);
            self.name_len.resize(i + 1, 0);
            self.keys.resize(i + 1, FeatureKeys::default());
            self.technology.resize(i + 1, None);
            self.direction.resize(i + 1, None);
        }
        self.technology[i] = f.technology;
        self.direction[i] = named_direction(name.iter().filter(|t| t.whole));
        self.doc_len[i] = len;
        self.live[i] = true;
        self.live_count += 1;
        self.live_len += len;
        self.keys[i] = FeatureKeys {
            parameters: f.parameters.iter().map(|p| self.key_of(&p.name)).collect(),
            counters: f.counters.iter().map(|c| self.key_of(c.name())).collect(),
        };
        self.name_len[i] = name_words.len() as u16;
    }

    /// Takes a feature out of routing (its items leave the index).
    pub fn remove_feature(&mut self, i: u32) {
        if let Some(l) = self.live.get_mut(i as usize).filter(|l| **l) {
            *l = false;
            self.live_count -= 1;
            self.live_len -= self.doc_len[i as usize];
            self.refresh();
        }
        for (id, item) in self.items.iter_mut().enumerate() {
            item.features.retain(|f| *f != i);
            if item.features.is_empty() {
                self.index.remove(id as u32);
            }
        }
    }

    fn id_of(&self, token: &str) -> u32 {
        self.postings.get(token).map_or(NO_TOKEN, |e| e.id)
    }

    fn key_of(&self, full: &str) -> Key {
        let tail = full.rsplit_once('.').map_or(full, |(_, a)| a);
        let tokens = tokenize(tail);
        Key {
            whole: tokens.iter().find(|t| t.whole).map_or(NO_TOKEN, |t| self.id_of(&t.text)),
            parts: tokens.iter().filter(|t| !t.whole).map(|t| self.id_of(&t.text)).collect(),
        }
    }

    /// The ids of the tokens the router knows (unknown words name nothing).
    pub fn ids<'a>(&self, tokens: impl Iterator<Item = &'a Token>) -> Vec<u32> {
        tokens.map(|t| self.id_of(&t.text)).filter(|id| *id != NO_TOKEN).collect()
    }

    /// The parameter and counter keys of feature `i`.
    pub fn keys(&self, i: usize) -> &FeatureKeys {
        &self.keys[i]
    }

    /// The question's tokens, expanded by the vocabulary.
    pub fn query_tokens(&self, text: &str, vocabulary: &Vocabulary) -> Vec<(Token, f32)> {
        let mut tokens = tokenize(text);
        counted_units(text, &mut tokens);
        vocabulary.expand(tokens)
    }

    pub fn embed(&self, tokens: &[(Token, f32)]) -> Vec<f32> {
        embed_tokens(tokens, self.dim)
    }

    /// The ranking for a question's tokens and (optionally) its vector.
    pub fn route(&self, tokens: &[(Token, f32)], vector: Option<&[f32]>, k: usize) -> Result<Routed> {
        let n = self.live.len();
        let mut lexical = vec![0.0f32; n];
        // Features with any evidence, so the passes below skip the rest of the catalog.
        let mut touched: Vec<u32> = Vec::new();
        // Each distinct token once: its first weight, and whether it came as a whole word at
        // all (whole) and as a whole word the question itself wrote (own).
        let mut distinct: Vec<(&str, f32, bool, bool)> = Vec::with_capacity(tokens.len());
        for (t, w) in tokens {
            let own = t.whole && *w >= 1.0;
            match distinct.iter_mut().find(|d| d.0 == t.text) {
                Some(d) => {
                    d.2 |= t.whole;
                    d.3 |= own;
                }
                None => distinct.push((&t.text, *w, t.whole, own)),
            }
        }
        let mut names_a_feature = false;
        // Per feature: how many distinct words of its name the question has (with its
        // expansions), and how many of them the question itself wrote.
        let mut name_hits = vec![(0u16, 0u16); n];
        for &(text, wq, whole, own) in &distinct {
            let wq = &wq;
            let Some(entry) = self.postings.get(text) else { continue };
            let (list, df, idf) = (&entry.list, entry.df, entry.idf);
            if df == 0 {
                continue;
            }
            for p in list {
                let fi = p.feature as usize;
                if !self.live[fi] {
                    continue;
                }
                if lexical[fi] == 0.0 {
                    touched.push(p.feature);
                }
                lexical[fi] += wq * p.weight;
                if p.in_name && whole {
                    name_hits[fi].0 += 1;
                    name_hits[fi].1 += u16::from(own);
                }
            }
            // A strong key names few features and is rare overall: "lte" inside an acronym
            // like "NEF-LTE" names nothing.
            if let Some(owners) =
                self.strong.get(text).filter(|o| o.len() <= STRONG_MAX_OWNERS && df <= STRONG_MAX_DF)
            {
                for &f in owners.iter().filter(|f| self.live[**f as usize]) {
                    if *wq >= 1.0 {
                        names_a_feature = true;
                    }
                    lexical[f as usize] += wq * STRONG_BONUS * idf;
                }
            }
        }
        // Covering most of a feature's name is naming it.
        for &f in &touched {
            let f = f as usize;
            let (len, (covered, own)) = (self.name_len[f], name_hits[f]);
            if len == 0 {
                continue;
            }
            // Words the question wrote count in full, words only its expansions brought in half.
            let coverage = (f32::from(own) + 0.5 * f32::from(covered - own)) / f32::from(len);
            if coverage >= 0.6 && covered >= 2.min(len) {
                lexical[f] *= 1.0 + coverage;
                if own == len {
                    names_a_feature = true;
                }
            }
        }
        let top_lexical = touched.iter().map(|&f| lexical[f as usize]).fold(0.0f32, f32::max);
        if let Some(v) = vector {
            if v.len() != self.dim {
                return Err(ElexError::dimension_mismatch(format!(
                    "the embedding has {} values, the swarm's dim is {}",
                    v.len(),
                    self.dim
                )));
            }
        }
        let mut semantic = vec![0.0f32; n];
        // The index is searched for fuzzy evidence: with the caller's own vector always; with
        // the built-in embedder only when the words did not name a feature outright (an
        // acronym, a code, a whole parameter or counter name, all of a name), or gave fewer
        // candidates than asked for. Naming questions are then answered by the lexical side
        // alone, which is what they need and twice as fast (not even embedded).
        let fuzzy = vector.is_some() || !names_a_feature || touched.len() < k;
        if fuzzy && self.index.size() > 0 {
            let embedded;
            let query = match vector {
                Some(v) => v,
                None => {
                    embedded = self.embed(tokens);
                    &embedded
                }
            };
            let query_norm = query.iter().fold(0.0f32, |s, x| s + x * x).sqrt();
            if query_norm > 0.0 && query_norm.is_finite() {
                self.semantic_pass(query, query_norm, &lexical, &mut semantic, &mut touched)?;
            }
        }
        let technology = named_technology(tokens);
        let direction = named_direction(tokens.iter().map(|(t, _)| t));
        let score = |f: usize| {
            let lex = if top_lexical > 0.0 { quantise(lexical[f] / top_lexical) } else { 0.0 };
            let mut s = (lex + SEMANTIC_WEIGHT * semantic[f]) / (1.0 + SEMANTIC_WEIGHT);
            if let (Some(q), Some(t @ (Technology::Lte | Technology::Nr))) = (technology, self.technology[f])
            {
                if q != t {
                    s = quantise(s * OTHER_TECHNOLOGY);
                }
            }
            if let (Some(q), Some(d)) = (direction, self.direction[f]) {
                if q != d {
                    s = quantise(s * OTHER_DIRECTION);
                }
            }
            s
        };
        let candidates = touched.iter().filter(|&&f| lexical[f as usize] > 0.0 || semantic[f as usize] > 0.0);
        // Best score first, ties by catalog order: a total order, so every way of taking the
        // best k below gives the same list.
        let order = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        let mut ranked: Vec<(u32, f32)>;
        if k > 0 && k <= 32 {
            // A shortlist kept sorted while scanning: most touched features never enter it.
            ranked = Vec::with_capacity(k + 1);
            for &f in candidates {
                let c = (f, score(f as usize));
                if ranked.len() == k && order(&c, &ranked[k - 1]).is_ge() {
                    continue;
                }
                let at = ranked.partition_point(|x| order(x, &c).is_lt());
                ranked.insert(at, c);
                ranked.truncate(k);
            }
        } else {
            ranked = candidates.map(|&f| (f, score(f as usize))).collect();
            if ranked.len() > k && k > 0 {
                ranked.select_nth_unstable_by(k - 1, order);
                ranked.truncate(k);
            }
            ranked.sort_unstable_by(order);
        }
        Ok(Routed { ranked, names_a_feature })
    }

    /// Semantic evidence: each feature's best similarity among the index items nearest to
    /// `query`; features found only this way join `touched`.
    fn semantic_pass(
        &self, query: &[f32], query_norm: f32, lexical: &[f32], semantic: &mut [f32], touched: &mut Vec<u32>,
    ) -> Result<()> {
        // Unit vectors under the dot metric: the index keeps them exactly as the embedder
        // (plain loops) made them, so the similarities below agree on every target.
        let unit: Vec<f32> = query.iter().map(|x| x / query_norm).collect();
        let found = self.index.search(&unit, SEMANTIC_ITEMS, Some(SEMANTIC_ITEMS * 2))?;
        for id in &found.ids {
            // Recomputed by a plain loop (fixed order of additions) rather than taken from
            // the index, whose SIMD kernels sum in a different order on each target.
            let item = self.index.vector_of(*id).unwrap_or(&[]);
            let sim = quantise(item.iter().zip(&unit).fold(0.0, |s, (a, b)| s + a * b));
            for &f in &self.items[*id as usize].features {
                let f = f as usize;
                if sim > semantic[f] {
                    if semantic[f] == 0.0 && lexical[f] == 0.0 && sim > 0.0 {
                        touched.push(f as u32);
                    }
                    semantic[f] = sim;
                }
            }
        }
        Ok(())
    }
}

/// The access technology a question names, if it names exactly one: LTE by "LTE", "4G",
/// "E-UTRA(N)", "eNB", "eNodeB" or an LTE node's name ("ERBS01": ENM's LTE node type); NR by
/// "NR", "5G", "gNB", "gNodeB", "NG-RAN", "mmWave", "FR1", "FR2". The vocabulary's expansions
/// count too ("MeNB" brings "EN-DC", which names both, so neither).
fn named_technology(tokens: &[(Token, f32)]) -> Option<Technology> {
    let (mut lte, mut nr) = (false, false);
    for (t, _) in tokens {
        match t.text.as_str() {
            "lte" | "4g" | "eutra" | "eutran" | "enb" | "enodeb" | "erbs" => lte = true,
            "nr" | "5g" | "gnb" | "gnodeb" | "ngran" | "mmwave" | "mmwav" | "fr1" | "fr2" => nr = true,
            _ => {}
        }
    }
    match (lte, nr) {
        (true, false) => Some(Technology::Lte),
        (false, true) => Some(Technology::Nr),
        _ => None,
    }
}

/// A link direction, as a feature's name or a question says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Up,
    Down,
}

/// The link direction these words name, if exactly one ("UL", "uplink"; "DL", "downlink").
fn named_direction<'a>(words: impl Iterator<Item = &'a Token>) -> Option<Direction> {
    let (mut up, mut down) = (false, false);
    for t in words {
        match t.text.as_str() {
            "ul" | "uplink" => up = true,
            "dl" | "downlink" => down = true,
            _ => {}
        }
    }
    match (up, down) {
        (true, false) => Some(Direction::Up),
        (false, true) => Some(Direction::Down),
        _ => None,
    }
}

/// Scores rounded to 1e-5: what differs between targets in the last bits of a float sum
/// does not reorder candidates (ties then go to catalog order).
fn quantise(x: f32) -> f32 {
    (x * 100_000.0).round() / 100_000.0
}

impl HeapSize for Posting {
    fn heap(&self) -> usize {
        0
    }
}

impl HeapSize for Postings {
    fn heap(&self) -> usize {
        self.list.heap()
    }
}

impl HeapSize for Key {
    fn heap(&self) -> usize {
        self.parts.len() * 4
    }
}

impl HeapSize for FeatureKeys {
    fn heap(&self) -> usize {
        self.parameters.heap() + self.counters.heap()
    }
}

impl HeapSize for Item {
    fn heap(&self) -> usize {
        self.features.heap() + self.name.heap()
    }
}

impl HeapSize for ItemKind {
    fn heap(&self) -> usize {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ln_matches_the_library_closely() {
        for x in [1e-9, 0.5, 1.0, 2.0, 3.3, 10.0, 593.5, 1e12] {
            assert!((ln(x) - x.ln()).abs() < 1e-12 * x.ln().abs().max(1.0), "{x}: {} vs {}", ln(x), x.ln());
        }
    }
}
