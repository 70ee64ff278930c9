#!/usr/bin/env python3
"""Check data/sources/{parameter-specs,kpis,vocabulary}.json.

Every file must parse as JSON and follow its schema; every attribute named in
parameter-specs.json (and every MoClass.attribute pair given through
"moClasses") and every pm counter used in a kpis.json formula must occur in the
feature catalog ran-features.json. Exits 1 on any problem, 0 otherwise.

The catalog is looked for, in order: the first command-line argument, $ELEX_CATALOG,
data/sources/ran-features.json, ../shared/catalog/ran-features.json (next to the
repository, as on CI) and /work/shared/catalog/ran-features.json.
"""
import ast
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SOURCES = os.path.join(HERE, "sources")

errors = []


def err(where, msg):
    errors.append(f"{where}: {msg}")


def find_catalog():
    cands = []
    if len(sys.argv) > 1:
        cands.append(sys.argv[1])
    if os.environ.get("ELEX_CATALOG"):
        cands.append(os.environ["ELEX_CATALOG"])
    cands += [
        os.path.join(SOURCES, "ran-features.json"),
        os.path.join(REPO, "..", "shared", "catalog", "ran-features.json"),
        "/work/shared/catalog/ran-features.json",
    ]
    for c in cands:
        if os.path.isfile(c):
            return c
    return None


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        err(os.path.basename(path), f"cannot load: {e}")
        return None


def is_num(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def check_params(doc, attr_mos):
    where = "parameter-specs.json"
    if not isinstance(doc, dict) or not isinstance(doc.get("specs"), list):
        err(where, "top level must be an object with a 'specs' list")
        return 0
    if not isinstance(doc.get("about"), str) or not doc["about"].strip():
        err(where, "missing 'about'")
    known = {"attribute", "moClasses", "type", "min", "max", "step", "allowed", "values", "unit", "scale", "source", "note"}
    seen = {}  # attribute -> list of moClasses sets (None = all)
    for i, s in enumerate(doc["specs"]):
        w = f"{where} specs[{i}]"
        if not isinstance(s, dict):
            err(w, "entry is not an object")
            continue
        a = s.get("attribute")
        w = f"{w} ({a})"
        for k in s:
            if k not in known:
                err(w, f"unknown field '{k}'")
        if not isinstance(a, str) or a not in attr_mos:
            err(w, "attribute does not occur in the catalog")
            continue
        mos = s.get("moClasses")
        if mos is not None:
            if not isinstance(mos, list) or not mos or not all(isinstance(m, str) for m in mos):
                err(w, "moClasses must be a non-empty list of strings")
                mos = None
            else:
                for m in mos:
                    if m not in attr_mos[a]:
                        err(w, f"{m}.{a} does not occur in the catalog")
                mos = set(mos)
        for prev in seen.get(a, []):
            if prev is None or mos is None or prev & mos:
                err(w, "attribute specified twice for the same MO class")
        seen.setdefault(a, []).append(mos)
        t = s.get("type")
        if t not in ("int", "float", "bool", "enum"):
            err(w, f"bad type {t!r}")
        if not isinstance(s.get("source"), str) or not s["source"].strip():
            err(w, "missing source")
        for k in ("unit", "note"):
            if k in s and (not isinstance(s[k], str) or not s[k].strip()):
                err(w, f"'{k}' must be a non-empty string")
        if t == "enum":
            v = s.get("values")
            if not isinstance(v, list) or not v or not all(isinstance(x, str) and x for x in v) or len(set(v)) != len(v):
                err(w, "enum needs a non-empty list of distinct string 'values'")
            for k in ("min", "max", "step", "allowed", "scale"):
                if k in s:
                    err(w, f"enum must not have '{k}'")
            continue
        if "values" in s:
            err(w, "'values' is only for enum")
        if t == "bool":
            continue
        lo, hi = s.get("min"), s.get("max")
        if not is_num(lo) or not is_num(hi) or lo > hi:
            err(w, "needs numeric min <= max")
            continue
        if t == "int" and not (isinstance(lo, int) and isinstance(hi, int)):
            err(w, "int range must be integers")
        if "scale" in s and (not is_num(s["scale"]) or s["scale"] <= 0 or s["scale"] == 1):
            err(w, "scale must be a positive number other than 1 (omit it for 1)")
        step = s.get("step")
        if step is not None:
            if not is_num(step) or step <= 0:
                err(w, "step must be positive")
                step = None
            elif (hi - lo) % step:
                err(w, "max is not min + k*step")
        allowed = s.get("allowed")
        if allowed is not None:
            if not isinstance(allowed, list) or not allowed or not all(is_num(x) for x in allowed):
                err(w, "allowed must be a non-empty list of numbers")
            else:
                if sorted(set(allowed)) != allowed:
                    err(w, "allowed must be sorted and distinct")
                if allowed[0] != lo or allowed[-1] != hi:
                    err(w, "allowed must start at min and end at max")
                if step is not None and any((x - lo) % step for x in allowed):
                    err(w, "allowed value off the step grid")
    return len(doc["specs"])


ALLOWED_NODES = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Add, ast.Sub, ast.Mult, ast.Div,
                 ast.USub, ast.UAdd, ast.Name, ast.Load, ast.Constant)


def check_kpis(doc, counters):
    where = "kpis.json"
    if not isinstance(doc, dict) or not isinstance(doc.get("kpis"), list):
        err(where, "top level must be an object with a 'kpis' list")
        return 0
    if not isinstance(doc.get("about"), str) or not doc["about"].strip():
        err(where, "missing 'about'")
    groups = {"accessibility", "retainability", "mobility", "integrity", "availability", "utilisation", "energy"}
    known = {"name", "group", "technology", "formula", "unit", "direction", "threshold", "source", "note"}
    names = set()
    for i, k in enumerate(doc["kpis"]):
        w = f"{where} kpis[{i}]"
        if not isinstance(k, dict):
            err(w, "entry is not an object")
            continue
        w = f"{w} ({k.get('name')})"
        for f in k:
            if f not in known:
                err(w, f"unknown field '{f}'")
        for f in ("name", "formula", "unit", "source"):
            if not isinstance(k.get(f), str) or not k[f].strip():
                err(w, f"missing '{f}'")
        key = (k.get("name"), k.get("technology"))
        if key in names:
            err(w, "duplicate name for this technology")
        names.add(key)
        if k.get("group") not in groups:
            err(w, f"bad group {k.get('group')!r}")
        if k.get("technology") not in ("LTE", "NR"):
            err(w, f"bad technology {k.get('technology')!r}")
        if k.get("direction") not in ("higher-is-better", "lower-is-better"):
            err(w, f"bad direction {k.get('direction')!r}")
        if "threshold" in k and not is_num(k["threshold"]):
            err(w, "threshold must be a number")
        if "note" in k and (not isinstance(k["note"], str) or not k["note"].strip()):
            err(w, "'note' must be a non-empty string")
        formula = k.get("formula")
        if not isinstance(formula, str):
            continue
        if not re.fullmatch(r"[A-Za-z0-9_.+\-*/() ]+", formula):
            err(w, "formula may only hold counter names, numbers, + - * / and parentheses")
            continue
        try:
            tree = ast.parse(formula, mode="eval")
        except SyntaxError as e:
            err(w, f"formula does not parse: {e.msg}")
            continue
        used = 0
        for node in ast.walk(tree):
            if not isinstance(node, ALLOWED_NODES):
                err(w, f"formula uses {type(node).__name__}, which is not allowed")
            elif isinstance(node, ast.Constant) and not is_num(node.value):
                err(w, "formula constant is not a number")
            elif isinstance(node, ast.Name):
                used += 1
                if node.id not in counters:
                    err(w, f"counter {node.id} does not occur in the catalog")
        if not used:
            err(w, "formula uses no counter")
    return len(doc["kpis"])


def check_vocab(doc):
    where = "vocabulary.json"
    if not isinstance(doc, dict) or not isinstance(doc.get("terms"), list):
        err(where, "top level must be an object with a 'terms' list")
        return 0
    if not isinstance(doc.get("about"), str) or not doc["about"].strip():
        err(where, "missing 'about'")
    seen = set()
    for i, t in enumerate(doc["terms"]):
        w = f"{where} terms[{i}]"
        if not isinstance(t, dict) or set(t) - {"term", "expansions"}:
            err(w, "entry must be an object with 'term' and 'expansions' only")
            continue
        term = t.get("term")
        if not isinstance(term, str) or not term.strip():
            err(w, "missing term")
            continue
        w = f"{w} ({term})"
        if term.lower() in seen:
            err(w, "duplicate term (case-insensitive)")
        seen.add(term.lower())
        ex = t.get("expansions")
        if not isinstance(ex, list) or not ex or not all(isinstance(x, str) and x.strip() for x in ex):
            err(w, "expansions must be a non-empty list of strings")
        elif len({x.lower() for x in ex}) != len(ex) or term.lower() in {x.lower() for x in ex}:
            err(w, "expansions repeat each other or the term")
    return len(doc["terms"])


def main():
    cat_path = find_catalog()
    if not cat_path:
        print("check_sources: ran-features.json not found (pass its path as the first argument)", file=sys.stderr)
        return 1
    cat = load(cat_path)
    if cat is None:
        print("\n".join(errors), file=sys.stderr)
        return 1
    attr_mos, counters = {}, set()
    for f in cat.get("features", []):
        for p in f.get("parameters", []):
            mo, _, a = p["name"].partition(".")
            attr_mos.setdefault(a, set()).add(mo)
        for c in f.get("counters", []):
            name = c if isinstance(c, str) else c.get("name", "")
            counters.add(name.partition(".")[2])
    counts = {}
    for fname, fn in (("parameter-specs.json", lambda d: check_params(d, attr_mos)),
                      ("kpis.json", lambda d: check_kpis(d, counters)),
                      ("vocabulary.json", check_vocab)):
        doc = load(os.path.join(SOURCES, fname))
        counts[fname] = fn(doc) if doc is not None else 0
    if errors:
        print("\n".join(errors), file=sys.stderr)
        print(f"check_sources: {len(errors)} problem(s)", file=sys.stderr)
        return 1
    print("check_sources: ok (catalog %s; %s)" % (cat_path, ", ".join(f"{k}: {v}" for k, v in counts.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
