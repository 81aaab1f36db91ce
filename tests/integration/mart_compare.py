#!/usr/bin/env python3
# mart_compare.py: two runs' per-activity metrics (lib.sh mart_metrics) agree within the tolerances files allow; prints ok / not ok lines
#
# usage: mart_compare.py FIRST.tsv SECOND.tsv [FIRST_NAME SECOND_NAME]
# Used by 42_import_vs_api (the API vs the export) and 44_own_data (a sync
# alone vs an import followed by a connection).
import sys
cols = ["start", "sport", "group", "distance", "moving_time", "elapsed_time", "avg_hr", "max_hr",
        "avg_power", "np", "load", "load_kind", "elevation_gain"]
# Relative tolerances: files store rounded samples (FIT scales, GPX 6-7 digits).
tol = {"distance": 0.01, "moving_time": 0.02, "elapsed_time": 0.0, "avg_hr": 0.01, "max_hr": 0.01,
       "avg_power": 0.01, "np": 0.02, "load": 0.03, "elevation_gain": 0.15}
def rows(f):
    return {l.split("\t")[0]: dict(zip(cols, l.rstrip("\n").split("\t"))) for l in open(f) if l.strip()}
api, imp = rows(sys.argv[1]), rows(sys.argv[2])
what = (sys.argv[3], sys.argv[4]) if len(sys.argv) > 4 else ("the first", "the second")
def res(good, name, why=""):
    print(("ok - " if good else "not ok - ") + name + ("" if good else " # " + why))
res(len(api) > 0 and set(api) == set(imp), "both paths hold the same %d activities" % len(api),
    "only %s: %s; only %s: %s" % (what[0], sorted(set(api) - set(imp))[:3], what[1], sorted(set(imp) - set(api))[:3]))
for c in cols[1:]:
    bad = []
    for k in sorted(set(api) & set(imp)):
        a, b = api[k][c], imp[k][c]
        if c in ("sport", "group", "load_kind"):
            if a != b:
                bad.append("%s: %s vs %s" % (k, a, b))
            continue
        if a == "NULL" or b == "NULL":
            if a != b:
                bad.append("%s: %s vs %s" % (k, a, b))
            continue
        x, y = float(a), float(b)
        if abs(x - y) > tol[c] * max(abs(x), 1.0) + 1e-9:
            bad.append("%s: %s vs %s" % (k, a, b))
    res(not bad, "%s agrees between %s and %s (tolerance %s)" % (c, what[0], what[1], tol.get(c, "exact")),
        "; ".join(bad[:3]) + (" (+%d more)" % (len(bad) - 3) if len(bad) > 3 else ""))
