//! JSON text → [`Json`], RFC 8259, with errors that say where ("at line 3 column 17").

use super::{Json, MAX_DEPTH};

/// Parses one JSON value (surrounding whitespace allowed, nothing else after it).
pub fn parse(text: &str) -> Result<Json, String> {
    let mut p = Parser { s: text.as_bytes(), at: 0 };
    let v = p.value(0).map_err(|why| p.located(why))?;
    p.skip_ws();
    if p.at < p.s.len() {
        return Err(p.located("trailing characters after the value"));
    }
    Ok(v)
}

struct Parser<'a> {
    s: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn located(&self, why: &str) -> String {
        let before = &self.s[..self.at.min(self.s.len())];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        format!("{why} at line {line} column {column}")
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.s.get(self.at) {
            self.at += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.at).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        let hit = self.peek() == Some(b);
        self.at += hit as usize;
        hit
    }

    fn literal(&mut self, word: &str, v: Json) -> Result<Json, &'static str> {
        if self.s[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(v)
        } else {
            Err("expected a value")
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, &'static str> {
        self.skip_ws();
        match self.peek() {
            None => Err("unexpected end of input"),
            Some(b'n') => self.literal("null", Json::Null),
            Some(b't') => self.literal("true", Json::Bool(true)),
            Some(b'f') => self.literal("false", Json::Bool(false)),
            Some(b'"') => self.string().map(Json::Str),
            Some(b'-' | b'0'..=b'9') => self.number().map(Json::Num),
            Some(b'[') if depth >= MAX_DEPTH => Err("nested too deeply"),
            Some(b'{') if depth >= MAX_DEPTH => Err("nested too deeply"),
            Some(b'[') => self.array(depth),
            Some(b'{') => self.object(depth),
            Some(_) => Err("expected a value"),
        }
    }

    fn array(&mut self, depth: usize) -> Result<Json, &'static str> {
        self.at += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.eat(b']') {
            return Ok(Json::Arr(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            if self.eat(b']') {
                return Ok(Json::Arr(items));
            }
            if !self.eat(b',') {
                return Err("expected `,` or `]`");
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json, &'static str> {
        self.at += 1;
        let mut members: Vec<(String, Json)> = Vec::new();
        self.skip_ws();
        if self.eat(b'}') {
            return Ok(Json::Obj(members));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err("expected a string key");
            }
            let key_at = self.at;
            let key = self.string()?;
            if members.iter().any(|(k, _)| *k == key) {
                self.at = key_at;
                return Err("duplicate key");
            }
            self.skip_ws();
            if !self.eat(b':') {
                return Err("expected `:`");
            }
            let v = self.value(depth + 1)?;
            members.push((key, v));
            self.skip_ws();
            if self.eat(b'}') {
                return Ok(Json::Obj(members));
            }
            if !self.eat(b',') {
                return Err("expected `,` or `}`");
            }
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while let Some(b'0'..=b'9') = self.peek() {
            self.at += 1;
        }
        self.at - start
    }

    fn number(&mut self) -> Result<f64, &'static str> {
        let start = self.at;
        self.eat(b'-');
        match self.peek() {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err("invalid number"),
        }
        if self.eat(b'.') && self.digits() == 0 {
            return Err("invalid number");
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            if self.digits() == 0 {
                return Err("invalid number");
            }
        }
        // The grammar was checked above, so the slice is ASCII and Rust's parser agrees.
        let text = std::str::from_utf8(&self.s[start..self.at]).map_err(|_| "invalid number")?;
        match text.parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(x),
            _ => {
                self.at = start;
                Err("number out of range")
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, &'static str> {
        let quad = self.s.get(self.at..self.at + 4).ok_or("unexpected end of input")?;
        let mut n = 0;
        for &b in quad {
            n = n * 16 + (b as char).to_digit(16).ok_or("invalid \\u escape")?;
        }
        self.at += 4;
        Ok(n)
    }

    fn string(&mut self) -> Result<String, &'static str> {
        self.at += 1;
        let mut out = String::new();
        loop {
            // Copy the run of plain bytes at once; the input is a &str, so runs are UTF-8.
            let run = self.at;
            while let Some(&b) = self.s.get(self.at) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.at += 1;
            }
            out.push_str(std::str::from_utf8(&self.s[run..self.at]).map_err(|_| "invalid UTF-8")?);
            match self.peek() {
                None => return Err("unexpected end of input in a string"),
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    let e = self.peek().ok_or("unexpected end of input in a string")?;
                    self.at += 1;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => out.push(self.escaped_char()?),
                        _ => return Err("invalid escape"),
                    }
                }
                Some(_) => return Err("control character in a string"),
            }
        }
    }

    /// After `\u`: one code point, a surrogate pair taken together.
    fn escaped_char(&mut self) -> Result<char, &'static str> {
        let hi = self.hex4()?;
        let code = match hi {
            0xD800..=0xDBFF => {
                if !(self.eat(b'\\') && self.eat(b'u')) {
                    return Err("lone leading surrogate");
                }
                let lo = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&lo) {
                    return Err("invalid surrogate pair");
                }
                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err("lone trailing surrogate"),
            c => c,
        };
        char::from_u32(code).ok_or("invalid \\u escape")
    }
}
