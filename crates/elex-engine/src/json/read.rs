//! Typed reading of a parsed [`Json`]: each value knows where it is (`at`, a path like
//! `parameters[2].min`), so every error names the field and what was wrong with it.

use super::Json;
use std::collections::BTreeMap;

/// A Rust value from a JSON value; `at` is where it sits, for the error.
pub trait Read: Sized {
    fn read(v: &Json, at: &str) -> Result<Self, String>;
}

/// `why`, prefixed by where it happened (`parameters[2].min: …`) unless at the top.
pub fn at_error(at: &str, why: impl std::fmt::Display) -> String {
    if at.is_empty() {
        why.to_string()
    } else {
        format!("{at}: {why}")
    }
}

/// "expected …, got …" for a value of the wrong kind.
pub fn wrong(at: &str, expected: &str, v: &Json) -> String {
    at_error(at, format_args!("expected {expected}, got {}", v.kind()))
}

fn child(at: &str, key: &str) -> String {
    if at.is_empty() {
        key.to_owned()
    } else {
        format!("{at}.{key}")
    }
}

impl Read for String {
    fn read(v: &Json, at: &str) -> Result<Self, String> {
        v.as_str().map(str::to_owned).ok_or_else(|| wrong(at, "a string", v))
    }
}

impl Read for bool {
    fn read(v: &Json, at: &str) -> Result<Self, String> {
        match v {
            Json::Bool(b) => Ok(*b),
            _ => Err(wrong(at, "a boolean", v)),
        }
    }
}

impl Read for f64 {
    fn read(v: &Json, at: &str) -> Result<Self, String> {
        match v {
            Json::Num(x) => Ok(*x),
            _ => Err(wrong(at, "a number", v)),
        }
    }
}

impl Read for f32 {
    fn read(v: &Json, at: &str) -> Result<Self, String> {
        match v {
            Json::Num(x) if x.abs() <= f32::MAX as f64 => Ok(*x as f32),
            Json::Num(_) => Err(at_error(at, "expected a number within float32 range")),
            _ => Err(wrong(at, "a number", v)),
        }
    }
}

/// `null` reads as `None`, as JavaScript's `undefined` and `null` both mean "not given".
impl<T: Read> Read for Option<T> {
    fn read(v: &Json, at: &str) -> Result<Self, String> {
        match v {
            Json::Null => Ok(None),
            _ => T::read(v, at).map(Some),
        }
    }
}

impl<T: Read> Read for Vec<T> {
    fn read(v: &Json, at: &str) -> Result<Self, String> {
        match v {
            Json::Arr(items) => {
                items.iter().enumerate().map(|(i, x)| T::read(x, &format!("{at}[{i}]"))).collect()
            }
            _ => Err(wrong(at, "an array", v)),
        }
    }
}

impl<T: Read> Read for BTreeMap<String, T> {
    fn read(v: &Json, at: &str) -> Result<Self, String> {
        match v {
            // Inserted one by one: collecting into a BTreeMap sorts first, and every such sort
            // is another copy of the standard library's merge sort in the .wasm.
            Json::Obj(members) => {
                let mut map = BTreeMap::new();
                for (k, x) in members {
                    map.insert(k.clone(), T::read(x, &child(at, k))?);
                }
                Ok(map)
            }
            _ => Err(wrong(at, "an object", v)),
        }
    }
}

/// The members of an object, read one field at a time; [`Fields::finish`] rejects any
/// member nobody asked for (a misspelt option must not be silently ignored).
pub struct Fields<'a> {
    members: &'a [(String, Json)],
    asked: Vec<&'static str>,
    at: &'a str,
}

impl<'a> Fields<'a> {
    pub fn new(v: &'a Json, at: &'a str) -> Result<Self, String> {
        match v {
            Json::Obj(members) => Ok(Fields { members, asked: Vec::new(), at }),
            _ => Err(wrong(at, "an object", v)),
        }
    }

    /// The raw member, if present (and not null).
    pub fn raw(&mut self, key: &'static str) -> Option<&'a Json> {
        self.asked.push(key);
        self.members.iter().find(|(k, _)| k == key).map(|(_, v)| v).filter(|v| **v != Json::Null)
    }

    /// An optional member: absent or `null` is `None`.
    pub fn opt<T: Read>(&mut self, key: &'static str) -> Result<Option<T>, String> {
        match self.raw(key) {
            None => Ok(None),
            Some(v) => T::read(v, &child(self.at, key)).map(Some),
        }
    }

    /// A member that must be there.
    pub fn req<T: Read>(&mut self, key: &'static str) -> Result<T, String> {
        match self.raw(key) {
            Some(v) => T::read(v, &child(self.at, key)),
            None => Err(at_error(self.at, format_args!("missing field `{key}`"))),
        }
    }

    /// Where a member sits (for readers that take the raw value).
    pub fn path(&self, key: &str) -> String {
        child(self.at, key)
    }

    /// Fails on the first member that was never asked for.
    pub fn finish(self) -> Result<(), String> {
        match self.members.iter().find(|(k, _)| !self.asked.contains(&k.as_str())) {
            None => Ok(()),
            Some((k, _)) => {
                let expected = self.asked.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ");
                Err(at_error(self.at, format_args!("unknown field `{k}`, expected one of {expected}")))
            }
        }
    }
}
