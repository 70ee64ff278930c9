//! The JSON the swarm reads (catalogs, options, call arguments) and answers in, by hand.
//!
//! Why not serde: its derives and serde_json's generic deserializers were a fifth of the
//! browser `.wasm` (each struct and each argument tuple monomorphises its own parser). One
//! tree parser, a few typed readers and a small writer do the same for all of them, and the
//! errors can name the field they are about (`parameters[2].min: expected a number, got a
//! string`).
//!
//! Limits: nesting deeper than [`MAX_DEPTH`] is an error (never a stack overflow); numbers
//! must be finite f64; strings must be valid UTF-8 with valid escapes; keys may not repeat.

mod parse;
mod read;
mod write;

pub use parse::parse;
pub use read::{at_error, wrong, Fields, Read};
pub use write::{Object, ToJson};

/// Deep enough for any catalog, shallow enough for the smallest thread stack.
pub const MAX_DEPTH: usize = 128;

/// A parsed JSON value. Objects keep their members in order, as written.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

impl Json {
    /// What a value is, for error messages ("expected a number, got a string").
    pub fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Num(_) => "a number",
            Json::Str(_) => "a string",
            Json::Arr(_) => "an array",
            Json::Obj(_) => "an object",
        }
    }

    /// A member of an object (the first with that key); `None` for anything else.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Obj(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests;

/// JSON names for a fieldless enum, both ways:
/// `json_names!(Risk { Low => "LOW", Medium => "MEDIUM", High => "HIGH" });`
#[macro_export]
macro_rules! json_names {
    ($t:ty { $($v:ident => $name:literal),+ $(,)? }) => {
        impl $crate::json::ToJson for $t {
            fn write_json(&self, out: &mut String) {
                let name = match self { $(<$t>::$v => $name),+ };
                $crate::json::ToJson::write_json(name, out)
            }
        }
        impl $crate::json::Read for $t {
            fn read(v: &$crate::json::Json, at: &str) -> Result<Self, String> {
                match v.as_str() {
                    $(Some($name) => Ok(<$t>::$v),)+
                    _ => {
                        let names: &[&str] = &[$($name),+];
                        let expected = format!("one of '{}'", names.join("', '"));
                        let got = match v { $crate::json::Json::Str(s) => format!("{s:?}"), other => other.kind().to_owned() };
                        Err($crate::json::at_error(at, format_args!("expected {expected}, got {got}")))
                    }
                }
            }
        }
    };
}
