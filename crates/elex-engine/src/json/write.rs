//! Rust values → JSON text. Non-finite numbers become `null` (JSON has no NaN or ∞).

use std::collections::BTreeMap;
use std::fmt::Write;

pub trait ToJson {
    fn write_json(&self, out: &mut String);

    fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }
}

impl ToJson for str {
    /// ASCII out: characters past U+007F are written as `\uXXXX` (UTF-16 units). JS engines
    /// keep ASCII text as one-byte strings, so an answer crosses into JS and out to a socket
    /// without UTF-8 decoding or encoding (a tenth of the console server's main thread).
    fn write_json(&self, out: &mut String) {
        out.reserve(self.len() + 2);
        out.push('"');
        // Most strings need no escape at all: one scan, one copy.
        if !self.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\' || b >= 0x80) {
            out.push_str(self);
            out.push('"');
            return;
        }
        let mut plain = 0;
        for (i, c) in self.char_indices() {
            let escaped = match c {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                c if c < ' ' || !c.is_ascii() => "",
                _ => continue,
            };
            out.push_str(&self[plain..i]);
            if escaped.is_empty() {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{:04x}", unit);
                }
            } else {
                out.push_str(escaped);
            }
            plain = i + c.len_utf8();
        }
        out.push_str(&self[plain..]);
        out.push('"');
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut String) {
        self.as_str().write_json(out)
    }
}

impl ToJson for bool {
    fn write_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" })
    }
}

impl ToJson for f64 {
    fn write_json(&self, out: &mut String) {
        if self.is_finite() {
            // Display is the shortest text that reads back as the same f64.
            let _ = write!(out, "{self}");
        } else {
            out.push_str("null")
        }
    }
}

impl ToJson for f32 {
    fn write_json(&self, out: &mut String) {
        if self.is_finite() {
            let _ = write!(out, "{self}");
        } else {
            out.push_str("null")
        }
    }
}

macro_rules! integers {
    ($($t:ty),*) => {$(
        impl ToJson for $t {
            fn write_json(&self, out: &mut String) {
                let _ = write!(out, "{self}");
            }
        }
    )*};
}
integers!(u8, u32, u64, usize);

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut String) {
        match self {
            Some(v) => v.write_json(out),
            None => out.push_str("null"),
        }
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (i, v) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            v.write_json(out);
        }
        out.push(']');
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out)
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn write_json(&self, out: &mut String) {
        (**self).write_json(out)
    }
}

impl<T: ToJson> ToJson for BTreeMap<String, T> {
    fn write_json(&self, out: &mut String) {
        let mut o = Object::new(out);
        for (k, v) in self {
            o.field(k, v);
        }
        o.end();
    }
}

/// `()` is `null`, what a method without a result answers.
impl ToJson for () {
    fn write_json(&self, out: &mut String) {
        out.push_str("null")
    }
}

/// Writes an object member by member.
pub struct Object<'a> {
    out: &'a mut String,
    empty: bool,
}

impl<'a> Object<'a> {
    pub fn new(out: &'a mut String) -> Self {
        out.push('{');
        Object { out, empty: true }
    }

    pub fn field<T: ToJson + ?Sized>(&mut self, key: &str, v: &T) -> &mut Self {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        key.write_json(self.out);
        self.out.push(':');
        v.write_json(self.out);
        self
    }

    /// A member written only when there is something in it.
    pub fn some<T: ToJson>(&mut self, key: &str, v: &Option<T>) -> &mut Self {
        if let Some(v) = v {
            self.field(key, v);
        }
        self
    }

    /// A list member written only when not empty.
    pub fn nonempty<T: ToJson>(&mut self, key: &str, v: &[T]) -> &mut Self {
        if !v.is_empty() {
            self.field(key, v);
        }
        self
    }

    pub fn end(&mut self) {
        self.out.push('}');
    }
}

impl ToJson for super::Json {
    fn write_json(&self, out: &mut String) {
        use super::Json;
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => b.write_json(out),
            Json::Num(x) => x.write_json(out),
            Json::Str(s) => s.write_json(out),
            Json::Arr(items) => items.write_json(out),
            Json::Obj(members) => {
                let mut o = Object::new(out);
                for (k, v) in members {
                    o.field(k, v);
                }
                o.end();
            }
        }
    }
}
