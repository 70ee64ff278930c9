//! Checking values against what is known of a parameter, planning changes with risk labels
//! and `cmedit` lines, and computing a feature's KPIs from counters.

use crate::agent::catalog::{Direction, FeatureSpec, ParamType, ParameterSpec, SafeZone, Value};
use crate::agent::formula::Expr;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Risk {
    Low,
    Medium,
    High,
}

/// One value checked: `known` false means no range is known (only the type was checked).
#[derive(Debug, Clone, PartialEq)]
pub struct Validation {
    pub name: String,
    pub valid: bool,
    pub known: bool,
    pub reason: Option<String>,
}

fn show(v: &Value) -> String {
    match v {
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => crate::error::Shown::shown(n),
        Value::Text(s) => s.clone(),
    }
}

fn unit_of(p: &ParameterSpec) -> String {
    match (&p.unit, p.scale) {
        (Some(u), Some(s)) if s != 1.0 => format!(" (in units of {} {u})", crate::error::Shown::shown(&s)),
        (Some(u), _) => format!(" {u}"),
        _ => String::new(),
    }
}

/// What is known of a parameter, in words: its range and unit and where they come from.
pub fn describe_parameter(p: &ParameterSpec) -> String {
    let shown = |x: f64| crate::error::Shown::shown(&x);
    let range = match p.kind {
        ParamType::Unknown | ParamType::String if !p.range_known() => {
            return format!("{}: no range known", p.name)
        }
        ParamType::Enum => format!("one of {}", p.values.as_deref().unwrap_or_default().join(", ")),
        ParamType::Bool => "true or false".into(),
        _ => match (&p.allowed, p.min, p.max) {
            (Some(a), _, _) => {
                format!("one of {}", a.iter().map(|x| shown(*x)).collect::<Vec<_>>().join(", "))
            }
            (None, Some(lo), Some(hi)) => format!("{}..{}", shown(lo), shown(hi)),
            (None, Some(lo), None) => format!("at least {}", shown(lo)),
            (None, None, Some(hi)) => format!("at most {}", shown(hi)),
            _ => "no range known".into(),
        },
    };
    let step = p.step.map_or(String::new(), |s| format!(", step {}", shown(s)));
    let source = p.source.as_deref().map_or(String::new(), |s| format!(" [{s}]"));
    format!("{}: {range}{}{step}{source}", p.name, unit_of(p))
}

/// Checks one value against a parameter's spec.
pub fn check_value(p: &ParameterSpec, value: &Value) -> Validation {
    let mut v = Validation { name: p.name.clone(), valid: true, known: p.range_known(), reason: None };
    let fail = |mut v: Validation, why: String| {
        v.valid = false;
        v.reason = Some(why);
        v
    };
    match (p.kind, value) {
        (ParamType::Unknown, _) => {
            v.reason = Some("no range known: the catalog has no value spec for this parameter".into());
            v
        }
        (ParamType::Bool, Value::Bool(_)) | (ParamType::String, Value::Text(_)) => v,
        (ParamType::Enum, Value::Text(s)) => match p.values.as_deref() {
            Some(values) if values.iter().any(|m| m == s) => v,
            Some(values) => fail(v, format!("{s:?} is not one of {}", values.join(", "))),
            None => v,
        },
        (ParamType::Int | ParamType::Float, Value::Number(n)) => {
            if !n.is_finite() {
                return fail(v, "not a finite number".into());
            }
            if p.kind == ParamType::Int && n.fract() != 0.0 {
                return fail(v, format!("{} is not a whole number", show(value)));
            }
            if let Some(allowed) = &p.allowed {
                if !allowed.contains(n) {
                    let list: Vec<String> = allowed.iter().map(crate::error::Shown::shown).collect();
                    return fail(v, format!("{} is not one of {}", show(value), list.join(", ")));
                }
            }
            if p.min.is_some_and(|lo| *n < lo) || p.max.is_some_and(|hi| *n > hi) {
                let range = describe_parameter(p);
                return fail(v, format!("{} is outside the range ({range})", show(value)));
            }
            if let (Some(step), Some(lo)) = (p.step, p.min) {
                let k = (n - lo) / step;
                if (k - k.round()).abs() > 1e-9 {
                    return fail(
                        v,
                        format!(
                            "{} is not min + a whole number of steps of {}",
                            show(value),
                            crate::error::Shown::shown(&step)
                        ),
                    );
                }
            }
            v
        }
        (kind, other) => {
            let want = match kind {
                ParamType::Int => "a whole number",
                ParamType::Float => "a number",
                ParamType::Bool => "true or false",
                ParamType::Enum => "one of its values (a string)",
                _ => "a string",
            };
            fail(v, format!("{} is not {want}", show(other)))
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlannedChange {
    pub parameter: String,
    pub from: Option<Value>,
    pub to: Value,
    pub allowed: bool,
    pub risk: Risk,
    pub reason: String,
    pub command: String,
}

/// Risk of moving a valid value from `from` to `to`, with why.
pub fn risk_of(
    p: &ParameterSpec, safe: Option<&SafeZone>, from: Option<&Value>, to: &Value,
) -> (Risk, String) {
    let (Value::Number(to), kind) = (to, p.kind) else {
        return match from {
            Some(f) if f == to => (Risk::Low, "no change".into()),
            _ if p.kind == ParamType::Unknown => {
                (Risk::Medium, "no range known: review the value by hand".into())
            }
            _ => (Risk::Medium, "a change of mode: check its effect on the cells in scope".into()),
        };
    };
    if kind == ParamType::Unknown && safe.is_none() {
        return (Risk::Medium, "no range known: review the value by hand".into());
    }
    if let Some(z) = safe {
        if z.min.is_some_and(|lo| *to < lo) || z.max.is_some_and(|hi| *to > hi) {
            return (Risk::High, format!("outside the safe zone ({}..{})", opt(z.min), opt(z.max)));
        }
    }
    let Some(Value::Number(from)) = from else {
        return (Risk::Medium, "current value not given: the size of the step is unknown".into());
    };
    let step = (to - from).abs();
    if step == 0.0 {
        return (Risk::Low, "no change".into());
    }
    if let Some(z) = safe {
        if let Some(max) = z.max_step {
            if step > max {
                return (
                    Risk::High,
                    format!("a step of {} is larger than the safe step {}", num(step), num(max)),
                );
            }
        }
        if let Some(pct) = z.max_change_percent {
            if *from != 0.0 && step / from.abs() * 100.0 > pct {
                return (
                    Risk::High,
                    format!(
                        "a change of {:.0} % is more than the safe {} %",
                        step / from.abs() * 100.0,
                        num(pct)
                    ),
                );
            }
        }
        if z.max_step.is_some_and(|max| step > max / 2.0) {
            return (Risk::Medium, "more than half the safe step".into());
        }
        if z.max_step.is_some() || z.max_change_percent.is_some() {
            return (Risk::Low, "within the safe zone and step".into());
        }
    }
    match (p.min, p.max) {
        (Some(lo), Some(hi)) if hi > lo => {
            let share = step / (hi - lo);
            if share > 0.25 {
                (Risk::High, format!("a step of {:.0} % of the whole range", share * 100.0))
            } else if share > 0.10 {
                (Risk::Medium, format!("a step of {:.0} % of the whole range", share * 100.0))
            } else {
                (Risk::Low, format!("a small step ({:.0} % of the range)", share * 100.0))
            }
        }
        _ => (Risk::Medium, "no range to size the step against".into()),
    }
}

fn num(x: f64) -> String {
    crate::error::Shown::shown(&x)
}

fn opt(x: Option<f64>) -> String {
    x.map_or(String::new(), num)
}

/// `cmedit set <scope> <MoClass> <attribute>=<value>`.
pub fn set_command(scope: &str, p: &ParameterSpec, value: &Value) -> String {
    let v = match value {
        Value::Text(s) => s.clone(),
        other => show(other),
    };
    format!("cmedit set {scope} {} {}={v}", p.mo_class(), p.attribute())
}

/// `cmedit get <scope> <MoClass>.<attribute>`.
pub fn get_command(scope: &str, name: &str) -> String {
    format!("cmedit get {scope} {name}")
}

/// `cmedit set <scope> FeatureState=<CXC> featureState=ACTIVATED`.
pub fn activate_command(scope: &str, f: &FeatureSpec) -> Option<String> {
    f.cxc.as_ref().map(|cxc| format!("cmedit set {scope} FeatureState={cxc} featureState=ACTIVATED"))
}

#[derive(Debug, Clone, PartialEq)]
pub struct KpiValue {
    pub name: String,
    pub value: Option<f64>,
    pub breached: bool,
    pub reason: Option<String>,
    pub threshold: Option<f64>,
    pub unit: Option<String>,
    pub formula: String,
}

/// Every KPI of `f` from `counters` (bare pm names or `MoClass.pmName`).
pub fn evaluate_kpis(f: &FeatureSpec, counters: &BTreeMap<String, f64>) -> Vec<KpiValue> {
    let lookup = |name: &str| {
        counters.get(name).copied().or_else(|| {
            counters
                .iter()
                .find(|(k, _)| k.rsplit_once('.').is_some_and(|(_, pm)| pm == name))
                .map(|(_, v)| *v)
        })
    };
    f.kpis
        .iter()
        .map(|k| {
            let (value, reason) = match Expr::parse(&k.formula) {
                Err(e) => (None, Some(format!("formula does not parse: {e}"))),
                Ok(e) => match e.eval(&lookup) {
                    Ok(v) => (Some(v), None),
                    Err(why) => (None, Some(why.to_string())),
                },
            };
            let breached = match (value, k.threshold, k.direction) {
                (Some(v), Some(t), Some(Direction::HigherIsBetter)) => v < t,
                (Some(v), Some(t), Some(Direction::LowerIsBetter)) => v > t,
                _ => false,
            };
            KpiValue {
                name: k.name.clone(),
                value,
                breached,
                reason,
                threshold: k.threshold,
                unit: k.unit.clone(),
                formula: k.formula.clone(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q_rx_lev_min() -> ParameterSpec {
        ParameterSpec {
            name: "EUtranCellFDD.qRxLevMin".into(),
            kind: ParamType::Int,
            min: Some(-140.0),
            max: Some(-44.0),
            step: Some(2.0),
            unit: Some("dBm".into()),
            source: Some("3GPP TS 36.331 q-RxLevMin".into()),
            ..Default::default()
        }
    }

    #[test]
    fn values_in_and_out_of_a_3gpp_range() {
        let p = q_rx_lev_min();
        assert!(check_value(&p, &Value::Number(-120.0)).valid);
        let out = check_value(&p, &Value::Number(-150.0));
        assert!(!out.valid && out.known);
        assert!(out
            .reason
            .unwrap()
            .contains("outside the range (EUtranCellFDD.qRxLevMin: -140..-44 dBm, step 2"));
        assert!(!check_value(&p, &Value::Number(-121.0)).valid, "off the step");
        assert!(!check_value(&p, &Value::Text("low".into())).valid);
        let unknown = ParameterSpec { name: "X.y".into(), ..Default::default() };
        let v = check_value(&unknown, &Value::Number(5.0));
        assert!(v.valid && !v.known && v.reason.unwrap().starts_with("no range known"));
        let e = ParameterSpec {
            name: "X.mode".into(),
            kind: ParamType::Enum,
            values: Some(vec!["ON".into(), "OFF".into()]),
            ..Default::default()
        };
        assert!(check_value(&e, &Value::Text("ON".into())).valid);
        assert!(!check_value(&e, &Value::Text("MAYBE".into())).valid);
    }

    #[test]
    fn risk_from_the_safe_zone_and_the_step() {
        let p = q_rx_lev_min();
        let zone =
            SafeZone { min: Some(-130.0), max: Some(-100.0), max_step: Some(4.0), max_change_percent: None };
        let n = Value::Number;
        assert_eq!(risk_of(&p, Some(&zone), Some(&n(-120.0)), &n(-118.0)).0, Risk::Low);
        assert_eq!(risk_of(&p, Some(&zone), Some(&n(-120.0)), &n(-114.0)).0, Risk::High);
        assert_eq!(risk_of(&p, Some(&zone), Some(&n(-120.0)), &n(-96.0)).0, Risk::High);
        assert_eq!(risk_of(&p, None, Some(&n(-120.0)), &n(-118.0)).0, Risk::Low);
        assert_eq!(risk_of(&p, None, Some(&n(-140.0)), &n(-60.0)).0, Risk::High);
        assert_eq!(risk_of(&p, None, None, &n(-118.0)).0, Risk::Medium);
        assert_eq!(set_command("ERBS01", &p, &n(-118.0)), "cmedit set ERBS01 EUtranCellFDD qRxLevMin=-118");
    }
}
