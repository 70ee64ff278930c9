//! The catalog: what the swarm knows about each feature (the `FeatureSpec` of API.md), read
//! from JSON, and `validate`, which every catalog passes before a swarm is built from it.

use crate::agent::deps::Dependencies;
use crate::agent::formula::Expr;
use crate::error::{ElexError, Result};
use crate::json::{self, Json, Read};
use std::collections::{HashMap, HashSet};

/// How a feature relates to a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    Introduced,
    Affecting,
    Affected,
}

/// What a parameter's value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ParamType {
    Int,
    Float,
    Bool,
    Enum,
    String,
    #[default]
    Unknown,
}

/// An operator's safe zone for a parameter (laid over the catalog's by `SwarmOptions`).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SafeZone {
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub max_step: Option<f64>,
    pub max_change_percent: Option<f64>,
}

/// A value as a plan or a validation takes it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Bool(bool),
    Number(f64),
    Text(String),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParameterSpec {
    /// `MoClass.attribute`.
    pub name: String,
    pub relation: Option<Relation>,
    pub kind: ParamType,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// Only min + k·step is valid.
    pub step: Option<f64>,
    /// The only values an int parameter takes (e.g. timeToTrigger in ms).
    pub allowed: Option<Vec<f64>>,
    /// Enum members.
    pub values: Option<Vec<String>>,
    pub default: Option<Value>,
    pub unit: Option<String>,
    /// Physical value = stored value × scale (e.g. 0.1 where the MO stores 0.1 dB units).
    pub scale: Option<f64>,
    pub description: Option<String>,
    /// Where the range comes from (a 3GPP clause and IE).
    pub source: Option<String>,
    pub note: Option<String>,
    pub safe: Option<SafeZone>,
}

impl ParameterSpec {
    /// `MoClass`.
    pub fn mo_class(&self) -> &str {
        self.name.split_once('.').map_or("", |(c, _)| c)
    }

    /// The attribute after the dot.
    pub fn attribute(&self) -> &str {
        self.name.split_once('.').map_or(&self.name, |(_, a)| a)
    }

    /// Whether a range or value set is known (anything beyond the type).
    pub fn range_known(&self) -> bool {
        self.kind != ParamType::Unknown
            && (self.min.is_some()
                || self.max.is_some()
                || self.allowed.is_some()
                || self.values.is_some()
                || self.kind == ParamType::Bool)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    HigherIsBetter,
    LowerIsBetter,
}

#[derive(Debug, Clone, PartialEq)]
pub struct KpiSpec {
    pub name: String,
    /// Arithmetic over counter names (bare `pmName`s).
    pub formula: String,
    pub threshold: Option<f64>,
    pub direction: Option<Direction>,
    pub unit: Option<String>,
    /// accessibility, retainability, mobility, integrity, availability, utilisation, energy.
    pub group: Option<String>,
    pub source: Option<String>,
}

/// A counter: its name (`MoClass.pmName`), or that with a description and unit.
#[derive(Debug, Clone, PartialEq)]
pub enum CounterSpec {
    Name(String),
    Described { name: String, description: Option<String>, unit: Option<String> },
}

impl CounterSpec {
    pub fn name(&self) -> &str {
        match self {
            CounterSpec::Name(n) | CounterSpec::Described { name: n, .. } => n,
        }
    }

    /// The pm name after the MO class (what KPI formulas use).
    pub fn pm_name(&self) -> &str {
        let n = self.name();
        n.rsplit_once('.').map_or(n, |(_, pm)| pm)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Technology {
    Lte,
    Nr,
    Gsm,
    Wcdma,
    CrossRAT,
}

impl Technology {
    pub fn name(self) -> &'static str {
        match self {
            Technology::Lte => "LTE",
            Technology::Nr => "NR",
            Technology::Gsm => "GSM",
            Technology::Wcdma => "WCDMA",
            Technology::CrossRAT => "CrossRAT",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FeatureSpec {
    pub faj_code: String,
    pub name: String,
    pub acronym: Option<String>,
    pub cxc: Option<String>,
    pub category: String,
    pub technology: Option<Technology>,
    pub licensed: Option<bool>,
    pub description: Option<String>,
    pub parameters: Vec<ParameterSpec>,
    pub counters: Vec<CounterSpec>,
    pub kpis: Vec<KpiSpec>,
    pub depends_on: Vec<String>,
    pub conflicts_with: Vec<String>,
    pub related_to: Vec<String>,
}

impl FeatureSpec {
    /// "Name (ACR, FAJ 121 3094)".
    pub fn title(&self) -> String {
        match &self.acronym {
            Some(a) => format!("{} ({a}, {})", self.name, self.faj_code),
            None => format!("{} ({})", self.name, self.faj_code),
        }
    }

    pub fn parameter(&self, name: &str) -> Option<&ParameterSpec> {
        self.parameters.iter().find(|p| p.name == name).or_else(|| {
            let mut by_attribute = self.parameters.iter().filter(|p| p.attribute() == name);
            match (by_attribute.next(), by_attribute.next()) {
                (Some(p), None) => Some(p),
                _ => None,
            }
        })
    }
}

/// A vocabulary entry: a term engineers write and what it stands for (either direction).
#[derive(Debug, Clone, PartialEq)]
pub struct VocabTerm {
    pub term: String,
    pub expansions: Vec<String>,
    /// How much an expansion counts next to a word the question wrote (1); default 0.5.
    pub weight: Option<f32>,
    /// Only the term brings in its expansions, not the other way round (a symptom names a
    /// remedy; the remedy does not name the symptom).
    pub one_way: bool,
}

/// Features from JSON: an array of FeatureSpec, or `{ features: [...], vocabulary?: [...] }`.
/// `INVALID_CATALOG` names the entry (its index and fajCode) and why.
pub fn parse_catalog(text: &str) -> Result<(Vec<FeatureSpec>, Vec<VocabTerm>)> {
    let doc = json::parse(text).map_err(|e| invalid(format!("not JSON: {e}")))?;
    let (entries, vocabulary) = match &doc {
        Json::Arr(entries) => (entries.as_slice(), Vec::new()),
        Json::Obj(_) => {
            let mut f = json::Fields::new(&doc, "").map_err(|e| {
                invalid(format!("expected an array of features or {{ features: [...] }}: {e}"))
            })?;
            let entries = match f.raw("features") {
                Some(Json::Arr(entries)) => entries.as_slice(),
                Some(other) => {
                    return Err(invalid(format!("features: expected an array, got {}", other.kind())))
                }
                None => return Err(invalid("expected an array of features or { features: [...] }".into())),
            };
            // Other top-level members (`about`, provenance) document the file; they are not read.
            let vocabulary = f.opt("vocabulary").map_err(invalid)?.unwrap_or_default();
            (entries, vocabulary)
        }
        other => {
            return Err(invalid(format!(
                "expected an array of features or {{ features: [...] }}, got {}",
                other.kind()
            )))
        }
    };
    let features = entries.iter().enumerate().map(|(i, v)| feature_from_json(i, v)).collect::<Result<_>>()?;
    Ok((features, vocabulary))
}

/// One feature from its JSON text; `INVALID_CATALOG` names it by index (and fajCode if any).
pub fn parse_feature(index: usize, text: &str) -> Result<FeatureSpec> {
    let v = json::parse(text).map_err(|e| invalid(format!("features[{index}]: not JSON: {e}")))?;
    feature_from_json(index, &v)
}

pub fn feature_from_json(index: usize, v: &Json) -> Result<FeatureSpec> {
    FeatureSpec::read(v, "").map_err(|e| {
        let which = match v.get("fajCode").and_then(Json::as_str) {
            Some(c) => format!("features[{index}] ({c})"),
            None => format!("features[{index}]"),
        };
        invalid(format!("{which}: {e}"))
    })
}

fn invalid(why: String) -> ElexError {
    ElexError::InvalidCatalog(why.into())
}

/// `FAJ 121 3094` or `FAJ 121 3094/1`: "FAJ", three digits, four digits, an optional /n.
pub fn check_faj_code(code: &str) -> Result<()> {
    let ok = (|| {
        let rest = code.strip_prefix("FAJ ")?;
        let (main, revision) = match rest.split_once('/') {
            Some((m, r)) => (m, Some(r)),
            None => (rest, None),
        };
        let (a, b) = main.split_once(' ')?;
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|c| c.is_ascii_digit());
        (digits(a, 3)
            && digits(b, 4)
            && revision
                .is_none_or(|r| !r.is_empty() && r.len() <= 3 && r.bytes().all(|c| c.is_ascii_digit())))
        .then_some(())
    })();
    ok.ok_or_else(|| {
        ElexError::InvalidFajCode(crate::error::expected(
            "a FAJ code",
            "like 'FAJ 121 3094' or 'FAJ 121 3094/1'",
            code,
        ))
    })
}

/// Everything `validateCatalog` checks: FAJ format, unique codes, known link targets, no
/// prerequisite cycle (`DEPENDENCY_CYCLE` names it), coherent parameter specs, KPI formulas
/// that parse and use only the feature's own counters.
pub fn validate(features: &[FeatureSpec]) -> Result<()> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, f) in features.iter().enumerate() {
        check_faj_code(&f.faj_code).map_err(|e| match e {
            ElexError::InvalidFajCode(d) => ElexError::InvalidFajCode(format!("features[{i}]: {d}").into()),
            other => other,
        })?;
        if let Some(j) = seen.insert(&f.faj_code, i) {
            return Err(invalid(format!(
                "features[{i}] repeats the fajCode {} of features[{j}]",
                f.faj_code
            )));
        }
    }
    for (i, f) in features.iter().enumerate() {
        validate_feature(i, f, &|code| seen.contains_key(code))?;
    }
    Dependencies::build(features)?;
    Ok(())
}

/// The checks of one feature whose links must point at codes `known` accepts.
pub fn validate_feature(i: usize, f: &FeatureSpec, known: &dyn Fn(&str) -> bool) -> Result<()> {
    let at = |why: String| invalid(format!("features[{i}] ({}): {why}", f.faj_code));
    if f.name.trim().is_empty() {
        return Err(at("name is empty".into()));
    }
    if f.category.trim().is_empty() {
        return Err(at("category is empty".into()));
    }
    for (field, links) in
        [("dependsOn", &f.depends_on), ("conflictsWith", &f.conflicts_with), ("relatedTo", &f.related_to)]
    {
        for code in links {
            if code == &f.faj_code {
                return Err(at(format!("{field} names the feature itself")));
            }
            if !known(code) {
                return Err(at(format!("{field} names {code}, which is not in the catalog")));
            }
        }
    }
    let mut names = HashSet::new();
    for p in &f.parameters {
        check_parameter(p).map_err(|why| at(format!("parameter {}: {why}", p.name)))?;
        if !names.insert(p.name.as_str()) {
            return Err(at(format!("parameter {} is listed twice", p.name)));
        }
    }
    let own: HashSet<&str> = f.counters.iter().map(CounterSpec::pm_name).collect();
    for c in &f.counters {
        if c.name().trim().is_empty() {
            return Err(at("a counter has an empty name".into()));
        }
    }
    for k in &f.kpis {
        let e = Expr::parse(&k.formula)
            .map_err(|e| at(format!("KPI {:?}: formula {:?}: {e}", k.name, k.formula)))?;
        if let Some(c) = e.counters().into_iter().find(|c| !own.contains(c)) {
            return Err(at(format!("KPI {:?} uses {c}, which is not one of the feature's counters", k.name)));
        }
        if k.threshold.is_some_and(|t| !t.is_finite()) {
            return Err(at(format!("KPI {:?}: threshold must be a finite number", k.name)));
        }
    }
    Ok(())
}

fn check_parameter(p: &ParameterSpec) -> std::result::Result<(), String> {
    if p.mo_class().is_empty() || p.attribute().is_empty() {
        return Err("the name must be MoClass.attribute".into());
    }
    let finite = |x: Option<f64>| x.is_none_or(f64::is_finite);
    if !(finite(p.min) && finite(p.max) && finite(p.step) && finite(p.scale)) {
        return Err("min, max, step and scale must be finite numbers".into());
    }
    if let (Some(lo), Some(hi)) = (p.min, p.max) {
        if lo > hi {
            return Err(format!("min {lo} is above max {hi}"));
        }
    }
    if p.step.is_some_and(|s| s <= 0.0) {
        return Err("step must be above 0".into());
    }
    match p.kind {
        ParamType::Enum if p.values.as_ref().is_none_or(Vec::is_empty) => {
            return Err("an enum needs its values".into())
        }
        ParamType::Enum | ParamType::Unknown | ParamType::String | ParamType::Bool => {}
        ParamType::Int | ParamType::Float => {
            if p.values.is_some() {
                return Err("values (enum members) on a numeric parameter".into());
            }
        }
    }
    if p.kind == ParamType::Unknown && (p.min.is_some() || p.max.is_some() || p.allowed.is_some()) {
        return Err("a range on a parameter of type unknown".into());
    }
    if let Some(allowed) = &p.allowed {
        if allowed.is_empty() || allowed.iter().any(|v| !v.is_finite()) {
            return Err("allowed must list finite numbers".into());
        }
    }
    if let Some(z) = &p.safe {
        check_safe_zone(z, p.min, p.max)?;
    }
    Ok(())
}

/// A safe zone is a sub-range of the protocol range with positive limits.
pub fn check_safe_zone(z: &SafeZone, min: Option<f64>, max: Option<f64>) -> std::result::Result<(), String> {
    let finite = |x: Option<f64>| x.is_none_or(f64::is_finite);
    if !(finite(z.min) && finite(z.max) && finite(z.max_step) && finite(z.max_change_percent)) {
        return Err("safe zone values must be finite numbers".into());
    }
    if let (Some(lo), Some(hi)) = (z.min, z.max) {
        if lo > hi {
            return Err(format!("safe min {lo} is above safe max {hi}"));
        }
    }
    if z.min.zip(min).is_some_and(|(s, p)| s < p) || z.max.zip(max).is_some_and(|(s, p)| s > p) {
        return Err("the safe zone reaches outside the parameter's range".into());
    }
    if z.max_step.is_some_and(|s| s <= 0.0) || z.max_change_percent.is_some_and(|s| s <= 0.0) {
        return Err("maxStep and maxChangePercent must be above 0".into());
    }
    Ok(())
}

use crate::agent::heap::HeapSize;

impl HeapSize for Value {
    fn heap(&self) -> usize {
        match self {
            Value::Text(s) => s.heap(),
            _ => 0,
        }
    }
}

impl HeapSize for ParameterSpec {
    fn heap(&self) -> usize {
        self.name.heap()
            + self.allowed.heap()
            + self.values.heap()
            + self.default.heap()
            + self.unit.heap()
            + self.description.heap()
            + self.source.heap()
            + self.note.heap()
    }
}

impl HeapSize for CounterSpec {
    fn heap(&self) -> usize {
        match self {
            CounterSpec::Name(n) => n.heap(),
            CounterSpec::Described { name, description, unit } => {
                name.heap() + description.heap() + unit.heap()
            }
        }
    }
}

impl HeapSize for KpiSpec {
    fn heap(&self) -> usize {
        self.name.heap() + self.formula.heap() + self.unit.heap() + self.group.heap() + self.source.heap()
    }
}

impl HeapSize for FeatureSpec {
    fn heap(&self) -> usize {
        self.faj_code.heap()
            + self.name.heap()
            + self.acronym.heap()
            + self.cxc.heap()
            + self.category.heap()
            + self.description.heap()
            + self.parameters.heap()
            + self.counters.heap()
            + self.kpis.heap()
            + self.depends_on.heap()
            + self.conflicts_with.heap()
            + self.related_to.heap()
    }
}

impl HeapSize for VocabTerm {
    fn heap(&self) -> usize {
        self.term.heap() + self.expansions.heap()
    }
}

/// A bare feature for tests: a code, a name, no facts or links.
#[cfg(test)]
pub(crate) fn test_feature(code: &str) -> FeatureSpec {
    FeatureSpec {
        faj_code: code.into(),
        name: format!("Feature {code}"),
        acronym: None,
        cxc: None,
        category: "Other".into(),
        technology: None,
        licensed: None,
        description: None,
        parameters: vec![],
        counters: vec![],
        kpis: vec![],
        depends_on: vec![],
        conflicts_with: vec![],
        related_to: vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feature(code: &str) -> FeatureSpec {
        test_feature(code)
    }

    #[test]
    fn faj_codes() {
        for good in ["FAJ 121 3094", "FAJ 121 3094/1", "FAJ 801 0400/12"] {
            assert!(check_faj_code(good).is_ok(), "{good}");
        }
        for bad in [
            "FAJ1213094",
            "faj 121 3094",
            "FAJ 12 3094",
            "FAJ 121 30945",
            "FAJ 121 3094/",
            "FAJ 121 3094/x",
            "",
        ] {
            assert_eq!(check_faj_code(bad).unwrap_err().code(), "INVALID_FAJ_CODE", "{bad}");
        }
    }

    #[test]
    fn catalog_checks_name_the_entry() {
        let mut a = feature("FAJ 121 0001");
        let b = feature("FAJ 121 0001");
        let e = validate(&[a.clone(), b]).unwrap_err();
        assert_eq!(e.code(), "INVALID_CATALOG");
        assert!(e.to_string().contains("features[1] repeats the fajCode FAJ 121 0001 of features[0]"), "{e}");
        a.depends_on = vec!["FAJ 121 9999".into()];
        let e = validate(&[a.clone()]).unwrap_err();
        assert!(e.to_string().contains("dependsOn names FAJ 121 9999, which is not in the catalog"), "{e}");
        a.depends_on.clear();
        a.counters = vec![CounterSpec::Name("EUtranCellFDD.pmHoExeSucc".into())];
        a.kpis = vec![KpiSpec {
            name: "HO".into(),
            formula: "100 * pmHoExeSucc / pmHoExeAtt".into(),
            threshold: None,
            direction: None,
            unit: None,
            group: None,
            source: None,
        }];
        let e = validate(&[a.clone()]).unwrap_err();
        assert!(e.to_string().contains("uses pmHoExeAtt, which is not one of the feature's counters"), "{e}");
        a.kpis[0].formula = "100 * (pmHoExeSucc".into();
        assert!(validate(&[a.clone()]).unwrap_err().to_string().contains("missing ')'"));
        a.kpis.clear();
        a.parameters = vec![ParameterSpec {
            name: "X.y".into(),
            kind: ParamType::Int,
            min: Some(5.0),
            max: Some(1.0),
            ..Default::default()
        }];
        assert!(validate(&[a.clone()]).unwrap_err().to_string().contains("min 5 is above max 1"));
        a.parameters =
            vec![ParameterSpec { name: "X.y".into(), kind: ParamType::Enum, ..Default::default() }];
        assert!(validate(&[a]).unwrap_err().to_string().contains("an enum needs its values"));
    }

    #[test]
    fn json_errors_name_the_entry() {
        let e = parse_catalog(r#"[{"fajCode":"FAJ 121 0001","name":"A","category":"Other"},{"fajCode":"FAJ 121 0002","name":"B"}]"#)
            .unwrap_err();
        assert_eq!(e.code(), "INVALID_CATALOG");
        assert!(e.to_string().contains("features[1] (FAJ 121 0002): missing field `category`"), "{e}");
        let e = parse_catalog(r#"[{"fajCode":"FAJ 121 0001","name":"A","category":"Other","colour":"red"}]"#)
            .unwrap_err();
        assert!(e.to_string().contains("unknown field `colour`"), "{e}");
        assert!(parse_catalog("{").is_err());
        let (f, v) = parse_catalog(r#"{"features":[{"fajCode":"FAJ 121 0001","name":"A","category":"Other"}],"vocabulary":[{"term":"UL","expansions":["uplink"]}]}"#).unwrap();
        assert_eq!((f.len(), v.len()), (1, 1));
    }
}
