//! The catalog's types from and to JSON (the `FeatureSpec` schema of API.md). Unknown fields
//! are errors, absent optional fields stay absent when written back.

use crate::agent::catalog::{
    CounterSpec, Direction, FeatureSpec, KpiSpec, ParamType, ParameterSpec, Relation, SafeZone, Technology,
    Value, VocabTerm,
};
use crate::json::{wrong, Fields, Json, Object, Read, ToJson};
use crate::json_names;

json_names!(Relation { Introduced => "Introduced", Affecting => "Affecting", Affected => "Affected" });
json_names!(ParamType {
    Int => "int", Float => "float", Bool => "bool", Enum => "enum", String => "string", Unknown => "unknown"
});
json_names!(Direction { HigherIsBetter => "higher-is-better", LowerIsBetter => "lower-is-better" });
json_names!(Technology { Lte => "LTE", Nr => "NR", Gsm => "GSM", Wcdma => "WCDMA", CrossRAT => "CrossRAT" });

impl Read for SafeZone {
    fn read(v: &Json, at: &str) -> Result<Self, String> {
        let mut f = Fields::new(v, at)?;
        let zone = SafeZone {
            min: f.opt("min")?,
            max: f.opt("max")?,
            max_step: f.opt("maxStep")?,
            max_change_percent: f.opt("maxChangePercent")?,
        };
        f.finish()?;
        Ok(zone)
    }
}

impl ToJson for SafeZone {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .some("min", &self.min)
            .some("max", &self.max)
            .some("maxStep", &self.max_step)
            .some("maxChangePercent", &self.max_change_percent)
            .end();
    }
}

/// A boolean, a number or a string: what a parameter value can be.
impl Read for Value {
    fn read(v: &Json, at: &str) -> Result<Self, String> {
        match v {
            Json::Bool(b) => Ok(Value::Bool(*b)),
            Json::Num(x) => Ok(Value::Number(*x)),
            Json::Str(s) => Ok(Value::Text(s.clone())),
            other => Err(wrong(at, "a number, a string or a boolean", other)),
        }
    }
}

impl ToJson for Value {
    fn write_json(&self, out: &mut String) {
        match self {
            Value::Bool(b) => b.write_json(out),
            Value::Number(x) => x.write_json(out),
            Value::Text(s) => s.write_json(out),
        }
    }
}

impl Read for ParameterSpec {
    fn read(v: &Json, at: &str) -> Result<Self, String> {
        let mut f = Fields::new(v, at)?;
        let spec = ParameterSpec {
            name: f.req("name")?,
            relation: f.opt("relation")?,
            kind: f.opt("type")?.unwrap_or_default(),
            min: f.opt("min")?,
            max: f.opt("max")?,
            step: f.opt("step")?,
            allowed: f.opt("allowed")?,
            values: f.opt("values")?,
            default: f.opt("default")?,
            unit: f.opt("unit")?,
            scale: f.opt("scale")?,
            description: f.opt("description")?,
            source: f.opt("source")?,
            note: f.opt("note")?,
            safe: f.opt("safe")?,
        };
        f.finish()?;
        Ok(spec)
    }
}

impl ToJson for ParameterSpec {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("name", &self.name)
            .some("relation", &self.relation)
            .field("type", &self.kind)
            .some("min", &self.min)
            .some("max", &self.max)
            .some("step", &self.step)
            .some("allowed", &self.allowed)
            .some("values", &self.values)
            .some("default", &self.default)
            .some("unit", &self.unit)
            .some("scale", &self.scale)
            .some("description", &self.description)
            .some("source", &self.source)
            .some("note", &self.note)
            .some("safe", &self.safe)
            .end();
    }
}

impl Read for KpiSpec {
    fn read(v: &Json, at: &str) -> Result<Self, String> {
        let mut f = Fields::new(v, at)?;
        let kpi = KpiSpec {
            name: f.req("name")?,
            formula: f.req("formula")?,
            threshold: f.opt("threshold")?,
            direction: f.opt("direction")?,
            unit: f.opt("unit")?,
            group: f.opt("group")?,
            source: f.opt("source")?,
        };
        f.finish()?;
        Ok(kpi)
    }
}

impl ToJson for KpiSpec {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("name", &self.name)
            .field("formula", &self.formula)
            .some("threshold", &self.threshold)
            .some("direction", &self.direction)
            .some("unit", &self.unit)
            .some("group", &self.group)
            .some("source", &self.source)
            .end();
    }
}

/// A counter is its name, or `{ name, description?, unit? }`.
impl Read for CounterSpec {
    fn read(v: &Json, at: &str) -> Result<Self, String> {
        if let Json::Str(name) = v {
            return Ok(CounterSpec::Name(name.clone()));
        }
        let mut f = Fields::new(v, at)
            .map_err(|_| wrong(at, "a counter name or { name, description?, unit? }", v))?;
        let c = CounterSpec::Described {
            name: f.req("name")?,
            description: f.opt("description")?,
            unit: f.opt("unit")?,
        };
        f.finish()?;
        Ok(c)
    }
}

impl ToJson for CounterSpec {
    fn write_json(&self, out: &mut String) {
        match self {
            CounterSpec::Name(n) => n.write_json(out),
            CounterSpec::Described { name, description, unit } => {
                Object::new(out).field("name", name).some("description", description).some("unit", unit).end()
            }
        }
    }
}

impl Read for FeatureSpec {
    fn read(v: &Json, at: &str) -> Result<Self, String> {
        let mut f = Fields::new(v, at)?;
        let spec = FeatureSpec {
            faj_code: f.req("fajCode")?,
            name: f.req("name")?,
            acronym: f.opt("acronym")?,
            cxc: f.opt("cxc")?,
            category: f.req("category")?,
            technology: f.opt("technology")?,
            licensed: f.opt("licensed")?,
            description: f.opt("description")?,
            parameters: f.opt("parameters")?.unwrap_or_default(),
            counters: f.opt("counters")?.unwrap_or_default(),
            kpis: f.opt("kpis")?.unwrap_or_default(),
            depends_on: f.opt("dependsOn")?.unwrap_or_default(),
            conflicts_with: f.opt("conflictsWith")?.unwrap_or_default(),
            related_to: f.opt("relatedTo")?.unwrap_or_default(),
        };
        f.finish()?;
        Ok(spec)
    }
}

impl ToJson for FeatureSpec {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("fajCode", &self.faj_code)
            .field("name", &self.name)
            .some("acronym", &self.acronym)
            .some("cxc", &self.cxc)
            .field("category", &self.category)
            .some("technology", &self.technology)
            .some("licensed", &self.licensed)
            .some("description", &self.description)
            .field("parameters", &self.parameters)
            .field("counters", &self.counters)
            .field("kpis", &self.kpis)
            .nonempty("dependsOn", &self.depends_on)
            .nonempty("conflictsWith", &self.conflicts_with)
            .nonempty("relatedTo", &self.related_to)
            .end();
    }
}

impl Read for VocabTerm {
    fn read(v: &Json, at: &str) -> Result<Self, String> {
        let mut f = Fields::new(v, at)?;
        let term = VocabTerm {
            term: f.req("term")?,
            expansions: f.req("expansions")?,
            weight: f.opt("weight")?,
            one_way: f.opt("oneWay")?.unwrap_or(false),
        };
        f.finish()?;
        Ok(term)
    }
}

impl ToJson for VocabTerm {
    fn write_json(&self, out: &mut String) {
        let mut o = Object::new(out);
        o.field("term", &self.term).field("expansions", &self.expansions).some("weight", &self.weight);
        if self.one_way {
            o.field("oneWay", &true);
        }
        o.end();
    }
}
