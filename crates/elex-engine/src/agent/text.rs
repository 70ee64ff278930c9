//! Text to tokens, the same way for questions and for the catalog: lowercase words, camelCase
//! and `MoClass.attribute` parts as well as whole names, FAJ and CXC codes as one token each,
//! light stemming (plurals, -ing), English question words dropped. Pure functions of the
//! bytes: identical on every target.

/// Words that carry no routing evidence (question words, articles, RAN-neutral verbs).
const STOPWORDS: &[&str] = &[
    "a", "about", "after", "all", "am", "an", "and", "any", "are", "as", "at", "be", "been", "being", "but",
    "by", "can", "could", "did", "do", "does", "doing", "for", "from", "get", "got", "had", "has", "have",
    "here", "how", "i", "if", "in", "into", "is", "it", "its", "just", "me", "my", "need", "of", "on", "or",
    "our", "pls", "please", "should", "so", "than", "that", "the", "their", "them", "then", "there", "these",
    "this", "those", "to", "too", "us", "was", "we", "were", "what", "when", "where", "which", "while",
    "who", "why", "will", "with", "would", "you", "your", "tell", "explain", "want", "know", "thing", "like",
    "some", "does", "worth", "right", "up", "out", "via", "per", "also", "still", "very", "much", "many",
    "more", "most", "one", "ok", "hi", "hey", "thanks", "thank", "let", "its", "im", "ive", "dont", "isnt",
    "doesnt", "cant", "whats",
];

/// Words that end in -ing without being a verb form.
const NOT_ING: &[&str] = &[
    "nothing",
    "something",
    "anything",
    "everything",
    "string",
    "during",
    "ceiling",
    "spring",
    "evening",
    "morning",
];

pub fn is_stopword(word: &str) -> bool {
    STOPWORDS.contains(&word)
}

/// A light stemmer: plurals and -ing, so "handovers" meets "handover". Words of four
/// letters or fewer (acronyms, units) are left alone.
pub fn stem(word: &str) -> String {
    let n = word.len();
    if n <= 4 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return word.to_owned();
    }
    let base = strip_suffix(word);
    // A final -e goes too, so "configure", "configured" and "configuring" meet.
    match base.strip_suffix('e') {
        Some(b) if b.len() >= 4 => b.to_owned(),
        _ => base,
    }
}

fn strip_suffix(word: &str) -> String {
    let n = word.len();
    if let Some(s) = word.strip_suffix("ies") {
        return format!("{s}y");
    }
    for suffix in ["ing", "ed"] {
        if let Some(s) = word.strip_suffix(suffix) {
            if s.len() >= 4 && !NOT_ING.contains(&word) && s.bytes().any(|b| b"aeiouy".contains(&b)) {
                // "dropping", "dropped" -> "drop": a doubled final consonant goes with the suffix.
                let b = s.as_bytes();
                let doubled = b[b.len() - 1] == b[b.len() - 2] && !b"aeioulsz".contains(&b[b.len() - 1]);
                return s[..s.len() - usize::from(doubled)].to_owned();
            }
        }
    }
    for tail in ["sses", "shes", "ches", "xes"] {
        if word.ends_with(tail) {
            return word[..n - 2].to_owned();
        }
    }
    if word.ends_with('s') && !word.ends_with("ss") && !word.ends_with("us") && !word.ends_with("is") {
        return word[..n - 1].to_owned();
    }
    word.to_owned()
}

/// The camelCase / digit parts of one identifier: "pmHoPrepSucc" -> pm, Ho, Prep, Succ;
/// "EUtranCellFDD" -> E, Utran, Cell, FDD; "a5Threshold1Rsrp" -> a, 5, Threshold, 1, Rsrp.
pub fn camel_parts(word: &str) -> Vec<&str> {
    let b = word.as_bytes();
    let mut parts = Vec::new();
    let mut start = 0;
    for i in 1..b.len() {
        let (p, c) = (b[i - 1], b[i]);
        let next_lower = b.get(i + 1).is_some_and(|x| x.is_ascii_lowercase());
        let boundary = (p.is_ascii_lowercase() && c.is_ascii_uppercase())
            || (p.is_ascii_alphabetic() != c.is_ascii_alphabetic())
            || (p.is_ascii_uppercase() && c.is_ascii_uppercase() && next_lower);
        if boundary {
            parts.push(&word[start..i]);
            start = i;
        }
    }
    parts.push(&word[start..]);
    parts
}

/// Whether a word is an identifier worth splitting (mixed case or letters with digits).
fn is_compound(word: &str) -> bool {
    let b = word.as_bytes();
    let has_lower_upper = b.windows(2).any(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase());
    let has_alpha_digit = b.iter().any(u8::is_ascii_digit) && b.iter().any(u8::is_ascii_alphabetic);
    has_lower_upper || has_alpha_digit
}

/// One token of a text, with how it arose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    /// A whole word as written (not a part of a split identifier).
    pub whole: bool,
    /// Position of the word it came from (parts share their word's position).
    pub pos: u32,
}

impl crate::agent::heap::HeapSize for Token {
    fn heap(&self) -> usize {
        self.text.capacity()
    }
}

/// FAJ codes ("FAJ 121 3094", "FAJ 121 3094/1") as one token each: "faj1213094".
fn faj_codes(text: &str) -> Vec<(usize, usize, String)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 3 <= b.len() {
        if b[i..i + 3].eq_ignore_ascii_case(b"faj") && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) {
            let mut j = i + 3;
            let mut digits = String::new();
            let mut groups = 0;
            while groups < 2 {
                while j < b.len() && b[j] == b' ' {
                    j += 1;
                }
                let s = j;
                while j < b.len() && b[j].is_ascii_digit() {
                    j += 1;
                }
                if j == s {
                    break;
                }
                digits.push_str(&text[s..j]);
                groups += 1;
            }
            if groups == 2 && digits.len() == 7 {
                out.push((i, j, format!("faj{digits}")));
                i = j;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// The tokens of `text`.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut pos = 0u32;
    let mut rest = String::with_capacity(text.len());
    let mut last = 0;
    for (s, e, code) in faj_codes(text) {
        rest.push_str(&text[last..s]);
        rest.push(' ');
        out.push(Token { text: code, whole: true, pos });
        pos += 1;
        last = e;
    }
    rest.push_str(&text[last..]);
    // Hyphenated words also count joined ("NEF-LTE" -> "neflte", "Multi-Point" ->
    // "multipoint"), as a part, since engineers write them both ways.
    for chunk in rest.split(|c: char| !c.is_ascii_alphanumeric() && c != '-') {
        let pieces: Vec<&str> = chunk.split('-').filter(|p| !p.is_empty()).collect();
        if pieces.len() > 1 {
            let joined = pieces.concat().to_ascii_lowercase();
            out.push(Token { text: joined, whole: false, pos });
        }
    }
    for word in rest.split(|c: char| !c.is_ascii_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        let lower = word.to_ascii_lowercase();
        if is_stopword(&lower) {
            continue;
        }
        let compound = is_compound(word);
        // Identifiers stay as written (lowercased); their parts and plain words are stemmed.
        out.push(Token { text: if compound { lower.clone() } else { stem(&lower) }, whole: true, pos });
        if compound {
            for part in camel_parts(word) {
                let p = part.to_ascii_lowercase();
                if !is_stopword(&p) && p != lower {
                    out.push(Token { text: stem(&p), whole: false, pos });
                }
            }
        }
        pos += 1;
    }
    out
}

/// Just the token texts.
pub fn words(text: &str) -> Vec<String> {
    tokenize(text).into_iter().map(|t| t.text).collect()
}

/// FNV-1a over bytes: the one hash of the text layer (fixed, so every target agrees).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_split_and_stay_whole() {
        assert_eq!(camel_parts("pmHoPrepSucc"), ["pm", "Ho", "Prep", "Succ"]);
        assert_eq!(camel_parts("EUtranCellFDD"), ["E", "Utran", "Cell", "FDD"]);
        assert_eq!(camel_parts("a5Threshold1Rsrp"), ["a", "5", "Threshold", "1", "Rsrp"]);
        let w = words("what does pmHoPrepSucc count?");
        assert_eq!(w, ["pmhoprepsucc", "pm", "ho", "prep", "succ", "count"]);
        assert_eq!(
            words("EUtranCellFDD.sleepStartTime"),
            ["eutrancellfdd", "e", "utran", "cell", "fdd", "sleepstarttime", "sleep", "start", "time"]
        );
    }

    #[test]
    fn codes_stems_and_stopwords() {
        assert_eq!(
            words("How do I activate FAJ 121 3094 on ERBS01?"),
            ["faj1213094", "activat", "erbs01", "erbs", "01"]
        );
        assert_eq!(words("handovers dropping"), ["handover", "drop"]);
        assert_eq!(stem("cells"), "cell");
        assert_eq!(stem("process"), "process");
        assert_eq!(stem("capabilities"), "capability");
        for w in ["configure", "configured", "configuring"] {
            assert_eq!(stem(w), "configur", "{w}");
        }
        assert_eq!(stem("forwarded"), stem("forwarding"));
        assert_eq!(stem("dropped"), "drop");
        assert_eq!(stem("speed"), "speed");
        assert_eq!(words("UL CoMP"), ["ul", "comp", "co", "mp"]);
    }
}
