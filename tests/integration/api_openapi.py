#!/usr/bin/env python3
# api_openapi.py: openapi.json against the router (both ways) and sample answers against the declared schemas
#
# usage: api_openapi.py BASE_URL ROUTES_JSON SAMPLES_DIR [API_MD]
#        api_openapi.py --walk BASE_URL ROUTES_JSON [COOKIE CSRF]   (check 4 only, with a session)
# Checks: (1) the paths, methods and parameters of openapi.json are exactly those of the
# /api/v1/ rows of `cairn-api --dump-routes` (type, required, enum, bounds, default); (2) the
# router accepts a valid value of every documented parameter and refuses an undocumented one;
# (3) every saved 200 answer (from api_cases.py) and every error answer validates against its
# schema with the small JSON Schema subset below; (4) every row of the table, /auth/ and
# /webhook/ included, is reachable through nginx with each of its methods (the answer is not
# the router's "no such route" nor its 405) and is documented in docs/API.md (API_MD).
import glob
import http.client
import json
import os
import re
import sys
import urllib.parse

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


class Validator:
    def __init__(self, doc):
        self.doc = doc

    def ref(self, r):
        node = self.doc
        for part in r.lstrip("#/").split("/"):
            node = node[part]
        return node

    def is_type(self, v, t):
        if t == "integer":
            return isinstance(v, int) and not isinstance(v, bool)
        if t == "number":
            return isinstance(v, (int, float)) and not isinstance(v, bool)
        return isinstance(v, TYPES[t])

    def check(self, s, v, path="$"):
        """Errors of value v against schema s (subset: $ref type enum const properties
        required additionalProperties items allOf not format minimum maximum)."""
        if "$ref" in s:
            return self.check(self.ref(s["$ref"]), v, path)
        errs = []
        for sub in s.get("allOf", []):
            # allOf members describe the same object; extra keys are checked by the parent.
            sub = self.ref(sub["$ref"]) if "$ref" in sub else sub
            sub = dict(sub)
            sub.pop("additionalProperties", None)
            errs += self.check(sub, v, path)
        t = s.get("type")
        if t is not None:
            ts = t if isinstance(t, list) else [t]
            if not any(self.is_type(v, x) for x in ts):
                return errs + [f"{path}: {json.dumps(v)[:60]} is not {t}"]
        if "enum" in s and v not in s["enum"]:
            errs.append(f"{path}: {v!r} not in {s['enum']}")
        if "const" in s and v != s["const"]:
            errs.append(f"{path}: {v!r} is not {s['const']!r}")
        if s.get("format") == "date" and isinstance(v, str) and not DATE.match(v):
            errs.append(f"{path}: {v!r} is not a date")
        if "minimum" in s and isinstance(v, (int, float)) and v < s["minimum"]:
            errs.append(f"{path}: {v} < {s['minimum']}")
        if "maximum" in s and isinstance(v, (int, float)) and v > s["maximum"]:
            errs.append(f"{path}: {v} > {s['maximum']}")
        if isinstance(v, dict):
            props = dict(s.get("properties", {}))
            for sub in s.get("allOf", []):
                sub = self.ref(sub["$ref"]) if "$ref" in sub else sub
                props.update(sub.get("properties", {}))
            for k in s.get("required", []):
                if k not in v:
                    errs.append(f"{path}: required key {k} missing")
            extra = s.get("additionalProperties", True)
            for k, x in v.items():
                if k in props:
                    errs += self.check(props[k], x, f"{path}.{k}")
                elif extra is False:
                    errs.append(f"{path}: key {k} not declared")
                elif isinstance(extra, dict):
                    errs += self.check(extra, x, f"{path}.{k}")
        if isinstance(v, list) and "items" in s:
            for i, x in enumerate(v[:200]):
                errs += self.check(s["items"], x, f"{path}[{i}]")
        return errs


def example(p):
    s = p["schema"]
    if "enum" in s:
        return s["enum"][-1]
    if p["name"] == "cursor":
        return "MXxkYXRlfGRlc2N8MjAyNS0wMi0wMyAwNzowMDowMHwxMDY"
    if s.get("type") == "array":
        it = s["items"]
        return it["enum"][0] if "enum" in it else "2025"
    if s.get("format") == "date":
        return "2025-01-08"
    if p["name"] == "period":
        return "days:30"
    if s.get("type") in ("integer", "number"):
        return str(max(s.get("minimum", 1), min(2025, s.get("maximum", 2025))))
    return "b1"


def walk(base, table, res, headers=None, label=""):
    """(4): each row, with each of its methods, is routed to through nginx: the answer is
    neither the router's 404 "no such route" nor its 405, nor a 5xx."""
    u = urllib.parse.urlsplit(base)
    for r in table:
        target = r["path"].replace("{id}", "101")
        for m in r["methods"]:
            body = b"{}" if m in ("put", "post") else None
            hdrs = dict(headers or {})
            if body:
                hdrs["Content-Type"] = "application/json"
            conn = http.client.HTTPConnection(u.hostname, u.port, timeout=15)
            conn.request(m.upper(), target, body=body, headers=hdrs)
            a = conn.getresponse()
            data = a.read()
            conn.close()
            try:
                code = json.loads(data).get("error", {}).get("code") if data[:1] == b"{" else None
            except ValueError:
                code = None
            routed = not (a.status == 404 and code == "not_found") and a.status != 405
            res(routed and a.status < 500, f"{m.upper()} {r['path']} reaches its row{label}",
                f"status {a.status}: {data[:120]!r}")


def main():
    if sys.argv[1] == "--walk":
        fails = 0

        def res_walk(ok, name, why=""):
            nonlocal fails
            print(f"ok - {name}" if ok else f"not ok - {name} # {why}")
            fails += 0 if ok else 1

        headers = {}
        if len(sys.argv) > 5:
            headers = {"Cookie": sys.argv[4], "X-CSRF-Token": sys.argv[5]}
        walk(sys.argv[2], json.load(open(sys.argv[3])), res_walk, headers,
             " (auth_mode strava, logged in)" if headers else " (again)")
        return 1 if fails else 0
    base, routes_file, samples = sys.argv[1:4]
    u = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=15)
    fails = 0

    def res(ok, name, why=""):
        nonlocal fails
        if ok:
            print(f"ok - {name}")
        else:
            fails += 1
            print(f"not ok - {name} # {why}")

    def get(target):
        conn.request("GET", target)
        r = conn.getresponse()
        return r.status, r.read()

    st, body = get("/api/v1/openapi.json")
    doc = json.loads(body)
    v = Validator(doc)
    res(st == 200 and doc.get("openapi") == "3.1.0", "openapi.json is OpenAPI 3.1")
    table = json.load(open(routes_file))
    # The document describes the versioned API; /auth/ and /webhook/ are outside it.
    routes = [r for r in table if r["path"].startswith("/api/v1/")]

    # (1) both ways: routes and parameters.
    res(set(doc["paths"]) == {r["path"] for r in routes}, "openapi paths are the routing table's /api/v1/ rows",
        f"{set(doc['paths']) ^ {r['path'] for r in routes}}")
    for r in routes:
        item = doc["paths"].get(r["path"], {})
        ops = sorted(k for k in item if k in ("get", "put", "post", "delete", "patch"))
        res(ops == sorted(r["methods"]), f"methods of {r['path']}", f"{ops} vs {r['methods']}")
        for m in r["methods"]:
            op = item.get(m, {})
            doc_ps = {p["name"]: p for p in op.get("parameters", [])}
            want = {p["name"]: p for p in r["params"]}
            why = []
            if set(doc_ps) != set(want):
                why.append(f"names {sorted(doc_ps)} vs {sorted(want)}")
            for name, p in want.items():
                d = doc_ps.get(name)
                if d is None:
                    continue
                s = d["schema"]
                if d["in"] != p["in"] or d["required"] != p["required"]:
                    why.append(f"{name}: in/required")
                enum = s.get("enum", s.get("items", {}).get("enum"))
                if enum != p.get("enum"):
                    why.append(f"{name}: enum {enum} vs {p.get('enum')}")
                if s.get("default") != p.get("default"):
                    why.append(f"{name}: default")
                lo = s.get("minimum", s.get("items", {}).get("minimum"))
                hi = s.get("maximum", s.get("items", {}).get("maximum"))
                if "x-days-range" in s:
                    lo, hi = s["x-days-range"]
                if p.get("min") is not None and (lo != p["min"] or hi != p["max"]):
                    why.append(f"{name}: bounds {lo}..{hi} vs {p['min']}..{p['max']}")
                if p.get("maxLength") is not None and s.get("maxLength") != p["maxLength"]:
                    why.append(f"{name}: maxLength")
            res(not why, f"parameters of {m.upper()} {r['path']} match the router", "; ".join(why))
            # a POST that queues work for the ETL answers 202 (Accepted)
            res("200" in op.get("responses", {}) or "202" in op.get("responses", {}),
                f"{m.upper()} {r['path']} declares its 200 (or 202) answer")

    # (2) the router accepts every documented parameter and refuses others.
    err_schema = {"$ref": "#/components/schemas/Error"}
    for path, item in doc["paths"].items():
        if "get" not in item:  # POST-only rows take a body, not a query
            continue
        op = item["get"]
        target = path.replace("{id}", "101")
        bad = []
        for p in op.get("parameters", []):
            if p["in"] != "query":
                continue
            val = example(p)
            st, body = get(f"{target}?{p['name']}={urllib.parse.quote(val, safe=',:')}")
            if st != 200:
                bad.append(f"{p['name']}={val}: {st} {body[:120]!r}")
        res(not bad, f"the router accepts every documented parameter of {path}", "; ".join(bad))
        st, body = get(f"{target}?undocumented=1")
        errs = v.check(err_schema, json.loads(body)) if st == 400 else [f"status {st}"]
        res(not errs, f"the router refuses an undocumented parameter of {path} (Error schema)", "; ".join(errs))

    # (3) answers against the declared response schemas.
    seen = set()
    for f in sorted(glob.glob(os.path.join(samples, "*.json"))):
        s = json.load(open(f))
        item = None
        for path, it in doc["paths"].items():
            if re.fullmatch(re.escape(path).replace(re.escape("{id}"), "-?[0-9]+"), s["path"]):
                item = it
        if item is None:
            res(False, f"sample {s['path']} has a documented path")
            continue
        content = item[s["method"]]["responses"]["200"]["content"]["application/json"]
        errs = v.check(content["schema"], s["answer"])
        seen.add(s["path"])
        res(not errs, f"answer of {s['path']} ({os.path.basename(f)}) validates", "; ".join(errs[:3]))
    res(len(seen) >= 15, f"samples cover the routes ({len(seen)} paths)")

    # (4) every row reachable and documented.
    walk(base, table, res)
    api_md = open(sys.argv[4], encoding="utf-8").read() if len(sys.argv) > 4 else ""
    for r in table:
        if api_md:
            res(f"{r['path']}`" in api_md or f"{r['path']}?" in api_md,
                f"{r['path']} is documented in docs/API.md")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
