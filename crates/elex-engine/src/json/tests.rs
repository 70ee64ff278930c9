use super::*;
use std::collections::BTreeMap;

fn p(text: &str) -> Json {
    parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn err(text: &str) -> String {
    parse(text).expect_err(text)
}

#[test]
fn parses_every_kind_of_value() {
    assert_eq!(p(" null "), Json::Null);
    assert_eq!(p("true"), Json::Bool(true));
    assert_eq!(p("-0.5e2"), Json::Num(-50.0));
    assert_eq!(p("0"), Json::Num(0.0));
    assert_eq!(p(r#""a\"b\\c\/\n\u00e9\ud83d\ude00""#), Json::Str("a\"b\\c/\né😀".into()));
    assert_eq!(p("[1, [], {}]"), Json::Arr(vec![Json::Num(1.0), Json::Arr(vec![]), Json::Obj(vec![])]));
    let o = p(r#"{"b": 1, "a": "x"}"#);
    assert_eq!(o.get("a").and_then(Json::as_str), Some("x"));
    assert_eq!(o, Json::Obj(vec![("b".into(), Json::Num(1.0)), ("a".into(), Json::Str("x".into()))]));
}

#[test]
fn rejects_what_json_does_not_allow_and_says_where() {
    for bad in [
        "",
        "nul",
        "01",
        "1.",
        ".5",
        "-",
        "1e",
        "+1",
        "[1,]",
        "{\"a\":1,}",
        "{a:1}",
        "[1 2]",
        "\"abc",
        "\"\\x\"",
        "\"\\ud800\"",
        "\"\\udc00\"",
        "\"\\ud800\\u0041\"",
        "\"tab\there\"",
        "1 2",
        "NaN",
        "1e400",
        "{\"a\":1,\"a\":2}",
    ] {
        parse(bad).expect_err(bad);
    }
    assert_eq!(err("[1,\n  x]"), "expected a value at line 2 column 3");
    assert_eq!(err("{\"a\":1,\"a\":2}"), "duplicate key at line 1 column 8");
    assert_eq!(err("1e400"), "number out of range at line 1 column 1");
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
    parse(&ok).unwrap();
    let deep = "[".repeat(100_000);
    assert!(err(&deep).starts_with("nested too deeply"));
    let deep_obj = "{\"a\":".repeat(MAX_DEPTH + 1) + "1" + &"}".repeat(MAX_DEPTH + 1);
    assert!(err(&deep_obj).starts_with("nested too deeply"));
}

#[test]
fn numbers_read_back_exactly() {
    for x in [0.1, -2.5e-300, 1e21, 123456789.0, f64::MAX, f64::MIN_POSITIVE, 5e-324] {
        assert_eq!(p(&x.to_json()), Json::Num(x), "{x}");
    }
    assert_eq!(f64::NAN.to_json(), "null");
    assert_eq!(0.1f32.to_json(), "0.1");
    assert_eq!(7u64.to_json(), "7");
}

#[test]
fn strings_round_trip_with_escapes() {
    let s = "quote \" backslash \\ newline \n tab \t nul \u{0} bell \u{7} é 😀 </script>";
    let text = s.to_json();
    assert!(text.contains("\\u0000") && text.contains("\\u0007"), "{text}");
    // ASCII out: é as one UTF-16 unit, 😀 as a surrogate pair.
    assert!(text.is_ascii() && text.contains("\\u00e9") && text.contains("\\ud83d\\ude00"), "{text}");
    assert_eq!(p(&text), Json::Str(s.into()));
    assert_eq!("— µs →".to_json(), r#""\u2014 \u00b5s \u2192""#);
}

#[test]
fn typed_reading_names_the_field() {
    let v = p(r#"{"name": "x", "min": "low", "list": [1, "two"]}"#);
    let mut f = Fields::new(&v, "parameters[2]").unwrap();
    assert_eq!(f.req::<String>("name").unwrap(), "x");
    assert_eq!(f.opt::<f64>("min").unwrap_err(), "parameters[2].min: expected a number, got a string");
    assert_eq!(
        f.req::<Vec<f64>>("list").unwrap_err(),
        "parameters[2].list[1]: expected a number, got a string"
    );
    assert_eq!(f.req::<String>("gone").unwrap_err(), "parameters[2]: missing field `gone`");
    let mut g = Fields::new(&v, "").unwrap();
    g.req::<String>("name").unwrap();
    assert_eq!(g.finish().unwrap_err(), "unknown field `min`, expected one of `name`");
    let m: BTreeMap<String, Option<f64>> = Read::read(&p(r#"{"a": 1, "b": null}"#), "").unwrap();
    assert_eq!(m["a"], Some(1.0));
    assert_eq!(m["b"], None);
    assert_eq!(f32::read(&Json::Num(1e300), "x").unwrap_err(), "x: expected a number within float32 range");
}

#[test]
fn objects_write_in_order_and_skip_what_is_absent() {
    let mut out = String::new();
    Object::new(&mut out)
        .field("a", &1u32)
        .some("b", &None::<f64>)
        .some("c", &Some("x"))
        .nonempty::<u32>("d", &[])
        .end();
    assert_eq!(out, r#"{"a":1,"c":"x"}"#);
    let mut m = BTreeMap::new();
    m.insert("k".to_string(), vec![true]);
    assert_eq!(m.to_json(), r#"{"k":[true]}"#);
}

#[test]
fn a_parsed_value_writes_back_to_the_same_value() {
    let text = r#"{"a": [1, -0.5e-3, true, null, {"b": "x\ny\u0001"}], "c": {}, "d": 1e300}"#;
    let v = p(text);
    assert_eq!(p(&v.to_json()), v);
    assert_eq!(p("[]").to_json(), "[]");
}
