//! KPI formulas: arithmetic over counter names (`100 * pmHoExeSucc / pmHoExeAtt`), parsed
//! once by a small recursive-descent parser (numbers, names, + - * /, unary minus,
//! parentheses) and evaluated against a caller's counters. Never `eval`.

use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Number(f64),
    Counter(String),
    Neg(Box<Expr>),
    Binary(Box<Expr>, Op, Box<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Add,
    Sub,
    Mul,
    Div,
}

/// Why a formula could not be parsed: the position (in characters) and what was wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub at: usize,
    pub what: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at character {}", self.what, self.at + 1)
    }
}

/// Why a formula has no value for the given counters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoValue {
    MissingCounter(String),
    DivisionByZero,
    NotFinite,
}

impl fmt::Display for NoValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NoValue::MissingCounter(name) => write!(f, "counter {name} was not given"),
            NoValue::DivisionByZero => f.write_str("division by zero (the denominator's counters are 0)"),
            NoValue::NotFinite => f.write_str("the result is not a finite number"),
        }
    }
}

/// The deepest nesting accepted (a formula is a short human-written line).
const MAX_DEPTH: usize = 32;

impl Expr {
    pub fn parse(text: &str) -> Result<Expr, ParseError> {
        let chars: Vec<char> = text.chars().collect();
        let mut p = Parser { chars: &chars, pos: 0, depth: 0 };
        let e = p.sum()?;
        p.skip_space();
        if p.pos < chars.len() {
            return Err(p.error(format!("unexpected {:?}", chars[p.pos])));
        }
        Ok(e)
    }

    /// The counter names used, in first-use order, without repeats.
    pub fn counters(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.collect(&mut out);
        out
    }

    fn collect<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Expr::Number(_) => {}
            Expr::Counter(name) => {
                if !out.contains(&name.as_str()) {
                    out.push(name);
                }
            }
            Expr::Neg(e) => e.collect(out),
            Expr::Binary(a, _, b) => {
                a.collect(out);
                b.collect(out);
            }
        }
    }

    /// The value with counters from `lookup`.
    pub fn eval(&self, lookup: &impl Fn(&str) -> Option<f64>) -> Result<f64, NoValue> {
        let v = match self {
            Expr::Number(n) => *n,
            Expr::Counter(name) => lookup(name).ok_or_else(|| NoValue::MissingCounter(name.clone()))?,
            Expr::Neg(e) => -e.eval(lookup)?,
            Expr::Binary(a, op, b) => {
                let (x, y) = (a.eval(lookup)?, b.eval(lookup)?);
                match op {
                    Op::Add => x + y,
                    Op::Sub => x - y,
                    Op::Mul => x * y,
                    Op::Div if y == 0.0 => return Err(NoValue::DivisionByZero),
                    Op::Div => x / y,
                }
            }
        };
        if v.is_finite() {
            Ok(v)
        } else {
            Err(NoValue::NotFinite)
        }
    }
}

struct Parser<'a> {
    chars: &'a [char],
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn error(&self, what: String) -> ParseError {
        ParseError { at: self.pos, what }
    }

    fn skip_space(&mut self) {
        while self.chars.get(self.pos).is_some_and(|c| c.is_whitespace()) {
            self.pos += 1;
        }
    }

    fn peek(&mut self) -> Option<char> {
        self.skip_space();
        self.chars.get(self.pos).copied()
    }

    fn sum(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.product()?;
        while let Some(c @ ('+' | '-')) = self.peek() {
            self.pos += 1;
            let op = if c == '+' { Op::Add } else { Op::Sub };
            left = Expr::Binary(Box::new(left), op, Box::new(self.product()?));
        }
        Ok(left)
    }

    fn product(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.factor()?;
        while let Some(c @ ('*' | '/')) = self.peek() {
            self.pos += 1;
            let op = if c == '*' { Op::Mul } else { Op::Div };
            left = Expr::Binary(Box::new(left), op, Box::new(self.factor()?));
        }
        Ok(left)
    }

    fn factor(&mut self) -> Result<Expr, ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(format!("nested more than {MAX_DEPTH} deep")));
        }
        let e = match self.peek() {
            None => Err(self.error("unexpected end of formula".into())),
            Some('-') => {
                self.pos += 1;
                Ok(Expr::Neg(Box::new(self.factor()?)))
            }
            Some('(') => {
                self.pos += 1;
                let e = self.sum()?;
                if self.peek() != Some(')') {
                    return Err(self.error("missing ')'".into()));
                }
                self.pos += 1;
                Ok(e)
            }
            Some(c) if c.is_ascii_digit() || c == '.' => self.number(),
            Some(c) if c.is_ascii_alphabetic() || c == '_' => Ok(self.name()),
            Some(c) => Err(self.error(format!("unexpected {c:?}"))),
        };
        self.depth -= 1;
        e
    }

    fn number(&mut self) -> Result<Expr, ParseError> {
        let start = self.pos;
        while self.chars.get(self.pos).is_some_and(|c| c.is_ascii_digit() || *c == '.') {
            self.pos += 1;
        }
        let text: String = self.chars[start..self.pos].iter().collect();
        text.parse::<f64>()
            .map(Expr::Number)
            .map_err(|_| ParseError { at: start, what: format!("bad number {text:?}") })
    }

    fn name(&mut self) -> Expr {
        let start = self.pos;
        while self.chars.get(self.pos).is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_') {
            self.pos += 1;
        }
        Expr::Counter(self.chars[start..self.pos].iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(text: &str, counters: &[(&str, f64)]) -> Result<f64, NoValue> {
        Expr::parse(text).unwrap().eval(&|n| counters.iter().find(|(k, _)| *k == n).map(|(_, v)| *v))
    }

    #[test]
    fn precedence_parentheses_and_unary_minus() {
        assert_eq!(eval("1 + 2 * 3", &[]), Ok(7.0));
        assert_eq!(eval("(1 + 2) * 3", &[]), Ok(9.0));
        assert_eq!(eval("10 - 4 - 3", &[]), Ok(3.0));
        assert_eq!(eval("100 / 10 / 5", &[]), Ok(2.0));
        assert_eq!(eval("-2 * -(3)", &[]), Ok(6.0));
        assert_eq!(eval("100 * a / (b - c)", &[("a", 45.0), ("b", 60.0), ("c", 10.0)]), Ok(90.0));
    }

    #[test]
    fn missing_counters_and_division_by_zero_have_no_value() {
        assert_eq!(eval("100 * pmA / pmB", &[("pmA", 1.0)]), Err(NoValue::MissingCounter("pmB".into())));
        assert_eq!(eval("100 * pmA / pmB", &[("pmA", 1.0), ("pmB", 0.0)]), Err(NoValue::DivisionByZero));
    }

    #[test]
    fn bad_formulas_say_where() {
        for (text, at) in [("1 +", 3), ("(a + b", 6), ("a $ b", 2), ("", 0), ("a b", 2), ("1..2", 0)] {
            let e = Expr::parse(text).unwrap_err();
            assert_eq!(e.at, at, "{text}: {e}");
        }
        assert!(Expr::parse(&"(".repeat(100)).is_err());
    }

    #[test]
    fn counters_in_first_use_order() {
        let e = Expr::parse("100 * (pmX + pmY) / (pmX + pmZ)").unwrap();
        assert_eq!(e.counters(), ["pmX", "pmY", "pmZ"]);
    }
}
