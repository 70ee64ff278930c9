//! Text to tokens, the same way for questions and for the catalog: lowercase words, camelCase
//! and `MoClass.attribute` parts as well as whole names, FAJ and CXC codes as one token each,
//! light stemming (plurals, -ing), English question words dropped. Pure functions of the
//! bytes: identical on every target.

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

/// Words that carry no routing evidence (question words, articles, RAN-neutral verbs). A
/// `match` compiles to a switch on the length and a compare or two: every word of every
/// question is looked up here.
#[rustfmt::skip]
pub fn is_stopword(word: &str) -> bool {
    matches!(
        word,
        "a" | "about" | "after" | "all" | "also" | "am" | "an" | "and" | "any" | "are" | "as" | "at" |
        "be" | "been" | "being" | "but" | "by" | "can" | "cant" | "could" | "did" | "do" | "does" |
        "doesnt" | "doing" | "dont" | "explain" | "for" | "from" | "get" | "got" | "had" | "has" | "have" |
        "here" | "hey" | "hi" | "how" | "i" | "if" | "im" | "in" | "into" | "is" | "isnt" | "it" | "its" |
        "ive" | "just" | "know" | "let" | "like" | "many" | "me" | "more" | "most" | "much" | "my" |
        "need" | "of" | "ok" | "on" | "one" | "or" | "our" | "out" | "per" | "please" | "pls" | "right" |
        "should" | "so" | "some" | "still" | "tell" | "than" | "thank" | "thanks" | "that" | "the" |
        "their" | "them" | "then" | "there" | "these" | "thing" | "this" | "those" | "to" | "too" | "up" |
        "us" | "very" | "via" | "want" | "was" | "we" | "were" | "what" | "whats" | "when" | "where" |
        "which" | "while" | "who" | "why" | "will" | "with" | "worth" | "would" | "you" | "your"
    )
}

/// A light stemmer: plurals and -ing, so "handovers" meets "handover". Words of four
/// letters or fewer (acronyms, units) are left alone.
pub fn stem(word: &str) -> String {
    stem_owned(word.to_owned())
}

/// [`stem`] in place: every rule only shortens the word (or swaps "ies" for "y"), so a
/// question's words are stemmed without another allocation each.
pub fn stem_owned(mut word: String) -> String {
    if word.len() <= 4 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return word;
    }
    strip_suffix(&mut word);
    // A final -e goes too, so "configure", "configured" and "configuring" meet.
    if word.len() >= 5 && word.ends_with('e') {
        word.pop();
    }
    word
}

fn strip_suffix(word: &mut String) {
    let n = word.len();
    if word.ends_with("ies") {
        word.truncate(n - 3);
        word.push('y');
        return;
    }
    for suffix in ["ing", "ed"] {
        if let Some(s) = word.strip_suffix(suffix) {
            if s.len() >= 4 && !NOT_ING.contains(&word.as_str()) && s.bytes().any(|b| b"aeiouy".contains(&b))
            {
                // "dropping", "dropped" -> "drop": a doubled final consonant goes with the suffix.
                let b = s.as_bytes();
                let doubled = b[b.len() - 1] == b[b.len() - 2] && !b"aeioulsz".contains(&b[b.len() - 1]);
                let keep = s.len() - usize::from(doubled);
                word.truncate(keep);
                return;
            }
        }
    }
    if ["sses", "shes", "ches", "xes"].iter().any(|tail| word.ends_with(tail)) {
        word.truncate(n - 2);
        return;
    }
    if word.ends_with('s') && !word.ends_with("ss") && !word.ends_with("us") && !word.ends_with("is") {
        word.truncate(n - 1);
    }
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
    let codes = faj_codes(text);
    // Without codes (most questions) the words are read from the text itself.
    let replaced;
    let rest = if codes.is_empty() {
        text
    } else {
        let mut r = String::with_capacity(text.len());
        let mut last = 0;
        for (s, e, code) in codes {
            r.push_str(&text[last..s]);
            r.push(' ');
            out.push(Token { text: code, whole: true, pos });
            pos += 1;
            last = e;
        }
        r.push_str(&text[last..]);
        replaced = r;
        &replaced
    };
    // Hyphenated words also count joined ("NEF-LTE" -> "neflte", "Multi-Point" ->
    // "multipoint"), as a part, since engineers write them both ways.
    for chunk in rest.split(|c: char| !c.is_ascii_alphanumeric() && c != '-') {
        if chunk.bytes().filter(|&b| b == b'-').count() == 0 {
            continue;
        }
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
        if !is_compound(word) {
            out.push(Token { text: stem_owned(lower), whole: true, pos });
            pos += 1;
            continue;
        }
        // Identifiers stay as written (lowercased); their parts are stemmed.
        out.push(Token { text: lower.clone(), whole: true, pos });
        for part in camel_parts(word) {
            let p = part.to_ascii_lowercase();
            if !is_stopword(&p) && p != lower {
                out.push(Token { text: stem_owned(p), whole: false, pos });
            }
        }
        pos += 1;
    }
    out
}

/// A count as engineers write it: "3", "three" or "third" (2 to 64).
fn count_of(word: &str) -> Option<u32> {
    const CARDINALS: [&str; 11] =
        ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];
    const ORDINALS: [&str; 11] = [
        "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh",
        "twelfth",
    ];
    if let Ok(n @ 2..=64) = word.parse::<u32>() {
        return Some(n);
    }
    let at =
        CARDINALS.iter().position(|w| *w == word).or_else(|| ORDINALS.iter().position(|w| *w == word))?;
    Some(at as u32 + 2)
}

/// Counts of carriers and cells, read as Ericsson's feature names write them: "three
/// carriers", "2 CCs", "four-CC" or "5 component carriers" add the token "3cc" (as in "3CC DL
/// Carrier Aggregation Extension"); "15 cells", "a sixth cell" or "9 LTE cells" add "15cell"
/// (matched by "13-18 Cell Support", see `named_counts`). One word may sit in between. Read
/// from the text's words, so a number inside a name ("gNB-12 cells") counts nothing.
pub fn counted_units(text: &str, tokens: &mut Vec<Token>) {
    let words: Vec<String> = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let unit = |w: &str| match w {
        "cc" | "ccs" | "carrier" | "carriers" => Some("cc"),
        "cell" | "cells" => Some("cell"),
        _ => None,
    };
    let pos = tokens.last().map_or(0, |t| t.pos + 1);
    for (i, word) in words.iter().enumerate() {
        let (count, unit) = match word.split_once('-') {
            Some((n, "cc")) => (count_of(n), Some("cc")),
            Some(_) => continue,
            None => {
                let next = |k: usize| words.get(i + k).map_or("", String::as_str);
                (count_of(word), unit(next(1)).or_else(|| unit(next(2))))
            }
        };
        let (Some(count), Some(unit)) = (count, unit) else { continue };
        let text = format!("{count}{unit}");
        if !tokens.iter().any(|t| t.text == text) {
            tokens.push(Token { text, whole: true, pos });
        }
    }
}

/// The count tokens a feature's name stands for: "13-18 Cell Support" -> 13cell ..= 18cell,
/// "6 Cell Support" -> 6cell (what `counted_units` reads in questions).
pub fn named_counts(name: &str) -> Vec<String> {
    let words: Vec<&str> = name.split_whitespace().collect();
    let mut out = Vec::new();
    for pair in words.windows(2) {
        let unit = pair[1].to_ascii_lowercase();
        if unit != "cell" && unit != "cells" {
            continue;
        }
        let (a, b) = pair[0].split_once('-').unwrap_or((pair[0], pair[0]));
        if let (Ok(a), Ok(b)) = (a.parse::<u32>(), b.parse::<u32>()) {
            if a <= b && b - a <= 64 {
                out.extend((a..=b).map(|n| format!("{n}cell")));
            }
        }
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

    fn counted(text: &str) -> Vec<String> {
        let mut tokens = tokenize(text);
        let before = tokens.len();
        counted_units(text, &mut tokens);
        tokens.drain(before..).map(|t| t.text).collect()
    }

    #[test]
    fn counts_of_carriers_and_cells_read_as_feature_names_write_them() {
        assert_eq!(counted("three carriers aggregated in downlink"), ["3cc"]);
        assert_eq!(counted("basic DL CA with 2 CCs"), ["2cc"]);
        assert_eq!(counted("four-CC DL CA on FR1"), ["4cc"]);
        assert_eq!(counted("five component carriers for one UE"), ["5cc"]);
        assert_eq!(counted("the baseband refuses a sixth cell"), ["6cell"]);
        assert_eq!(counted("we want 15 LTE cells on one baseband"), ["15cell"]);
        // A number inside a node's name counts nothing; nor does a count of something else.
        assert!(counted("fake DL load on the gNB-12 cells").is_empty());
        assert!(counted("two LTE frequencies in connected mode").is_empty());
        assert!(counted("1 cell").is_empty() && counted("999 cells").is_empty());
        assert_eq!(
            named_counts("13-18 Cell Support"),
            (13..=18).map(|n| format!("{n}cell")).collect::<Vec<_>>()
        );
        assert_eq!(named_counts("6 Cell Support"), ["6cell"]);
        assert!(named_counts("NR Downlink-Only Cell Support").is_empty());
        assert!(named_counts("1-1000 Cell Support").is_empty(), "a range wider than 64 is not spelled out");
    }

    #[test]
    fn stopwords_are_whole_words_only() {
        assert!(is_stopword("the") && is_stopword("whats") && is_stopword("a") && is_stopword("your"));
        assert!(!is_stopword("cell") && !is_stopword("th") && !is_stopword("them2") && !is_stopword(""));
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
