#!/usr/bin/env python3
# auth_isolation.py: as athlete A, call every route of cairn-api's routing table (--dump-routes) with athlete B's ids; B's data must never show
import json
import sys
import urllib.error
import urllib.parse
import urllib.request

base, cookie_a, routes_file, markers_file = sys.argv[1:5]
routes = json.load(open(routes_file))
mk = json.load(open(markers_file))
b_acts = [str(i) for i in mk["b_activities"]]
b_gear = mk["b_gear"]
b_words = b_acts + b_gear + mk.get("b_names", [])
a_act = str(mk["a_activity"])


def get(path, headers=None):
    h = {"Cookie": "cairn_session=" + cookie_a}
    h.update(headers or {})
    req = urllib.request.Request(base + path, headers=h)
    try:
        with urllib.request.urlopen(req, timeout=20) as r:
            return r.status, r.read().decode("utf-8", "replace"), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace"), dict(e.headers)


def values(p):
    """Query values worth trying for one declared parameter."""
    t, name = p["type"], p["name"]
    out = []
    if t == "string":
        out += b_gear[:1] + ["a"]
    elif t == "int-list":
        out += ["2024,2025,2026"]
    elif t == "enum" and p.get("enum"):
        out += p["enum"]
    elif t == "period":
        out += ["all", "days:3650"]
    elif t == "csv-keys" and p.get("enum"):
        out += [",".join(p["enum"])]
    elif t == "date":
        out += ["1990-01-01"]
    return [(name, v) for v in out]


calls = 0
leaks = []
for r in routes:
    path = r["path"].replace("/api/v1/", "/api/v1/", 1)
    ids = b_acts[:5] if "{id}" in path else [None]
    extra = [[]]
    for p in r["params"]:
        if p["in"] == "query":
            extra += [[kv] for kv in values(p)]
    # parameters no route declares, naming B outright
    extra += [[("athlete", mk["b_id"])], [("athlete_id", mk["b_id"])], [("owner_id", mk["b_id"])]]
    for i in ids:
        for e in extra:
            p = path.replace("{id}", i) if i else path
            q = urllib.parse.urlencode(e)
            st, body, _ = get(p + ("?" + q if q else ""))
            calls += 1
            # an error may name the id that was asked for: nothing else
            if any(w in body for w in b_words if w != i):
                leaks.append("%s?%s -> %d" % (p, q, st))
            if i is not None and st == 200:
                leaks.append("%s?%s answered 200 for B's activity" % (p, q))
            if i is not None:
                # B's activity must look exactly like one that does not exist
                st2, body2, _ = get(path.replace("{id}", "77") + ("?" + q if q else ""))
                calls += 1
                if (st2, body2.replace("77", "X")) != (st, body.replace(i, "X")):
                    leaks.append("%s?%s: %d differs from a missing id's %d" % (p, q, st, st2))
# B's ids as path segments of every route, also in other positions
for r in routes:
    if "{id}" in r["path"]:
        continue
    for i in b_acts[:2]:
        st, body, _ = get(r["path"] + "/" + i)
        calls += 1
        if st == 200 or any(w in body for w in b_words if w != i):
            leaks.append("%s/%s -> %d" % (r["path"], i, st))
print(json.dumps({"calls": calls, "leaks": leaks[:20], "nleaks": len(leaks)}))
