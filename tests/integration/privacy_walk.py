#!/usr/bin/env python3
# privacy_walk.py: every map answer of the athlete (latlng streams, polylines, heatmap, GPX exports): snapshot them, or check them against privacy zones and trim
import json
import math
import os
import sys
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fakestrava"))
from fs_geo import polyline_decode as decode  # noqa: E402

R = 6371008.8
G = "{http://www.topografix.com/GPX/1/1}"


def hav(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * R * math.asin(math.sqrt(min(1.0, h)))


def get(base, path, cookie=None):
    h = {"Cookie": "cairn_session=" + cookie} if cookie else {}
    with urllib.request.urlopen(urllib.request.Request(base + path, headers=h), timeout=60) as r:
        return r.read()


def snapshot(base, cookie=None):
    """Every map answer of the athlete, as plain data."""
    acts, cur = [], ""
    while True:
        page = json.loads(get(base, "/activities?limit=200" + cur, cookie))
        acts += page["activities"]
        if not page["next_cursor"]:
            break
        cur = "&cursor=" + page["next_cursor"]
    out = {"activities": {}, "heatmap": json.loads(get(base, "/heatmap", cookie))["routes"]}
    for a in acts:
        aid = a["id"]
        d = json.loads(get(base, f"/activities/{aid}", cookie))["activity"]
        rec = {"polyline": d.get("summary_polyline"), "streams": None, "gpx": None}
        if a["has_streams"]:
            s = json.loads(get(base, f"/activities/{aid}/streams?points=10000&keys=latlng,distance", cookie))
            rec["streams"] = {"points": s["points"], "returned": s["returned"],
                              "latlng": s["streams"].get("latlng"), "distance": s["streams"].get("distance")}
            try:
                x = ET.fromstring(get(base, f"/activities/{aid}/export", cookie))
                rec["gpx"] = [[float(p.get("lat")), float(p.get("lon"))] for p in x.iter(G + "trkpt")]
            except urllib.error.HTTPError as e:
                rec["gpx"] = "no_gps" if e.code == 404 else f"status {e.code}"
        out["activities"][str(aid)] = rec
    return out


def main():
    mode = sys.argv[1]
    fails = 0

    def check(name, cond, why=""):
        nonlocal fails
        print(("ok - " if cond else "not ok - ") + name + ("" if cond else f" # {why}"))
        fails += 0 if cond else 1

    if mode == "snapshot":  # base out.json [cookie]
        json.dump(snapshot(sys.argv[2], sys.argv[4] if len(sys.argv) > 4 else None), open(sys.argv[3], "w"))
        return 0
    if mode == "zones":  # before.json n radius: zones on the starts of the first n routes
        before = json.load(open(sys.argv[2]))
        n, radius = int(sys.argv[3]), float(sys.argv[4])
        zones = []
        for rec in before["activities"].values():
            ll = (rec["streams"] or {}).get("latlng") or []
            first = next((p for p in ll if p is not None), None)
            if first and all(hav(first, (z["lat"], z["lng"])) > z["radius"] for z in zones):
                zones.append({"lat": first[0], "lng": first[1], "radius": radius})
            if len(zones) == n:
                break
        print(json.dumps(zones))
        return 0
    if mode == "check":  # base before.json zones.json trim [cookie]
        base, before = sys.argv[2], json.load(open(sys.argv[3]))
        zones, trim = json.load(open(sys.argv[4])), float(sys.argv[5])
        now = snapshot(base, sys.argv[6] if len(sys.argv) > 6 else None)
        zc = [((z["lat"], z["lng"]), z["radius"]) for z in zones]

        def inside(p):
            return any(hav(p, c) <= r for c, r in zc)

        bad = {"streams": [], "polyline": [], "gpx": [], "trim": [], "heatmap": [], "gpx_count": []}
        npts = {"streams": 0, "polyline": 0, "gpx": 0, "heatmap": 0}
        hidden_start = 0
        for aid, rec in now["activities"].items():
            old = before["activities"][aid]
            s = rec["streams"]
            if s and s["latlng"]:
                ll, dist = s["latlng"], s["distance"] or []
                o_ll, o_d = old["streams"]["latlng"], old["streams"]["distance"] or []
                for p in ll:
                    if p is not None:
                        npts["streams"] += 1
                        if inside(p):
                            bad["streams"].append((aid, p))
                if dist and o_d and s["returned"] == s["points"]:
                    have = [i for i, p in enumerate(o_ll) if p is not None]
                    d0, d1 = o_d[have[0]], o_d[have[-1]]
                    for i, p in enumerate(ll):
                        if p is not None and not (d0 + trim - 0.5 <= dist[i] <= d1 - trim + 0.5):
                            bad["trim"].append((aid, i, dist[i], d0, d1))
                    if ll[have[0]] is None:
                        hidden_start += 1
                if isinstance(rec["gpx"], list):
                    for p in rec["gpx"]:
                        npts["gpx"] += 1
                        if inside(p):
                            bad["gpx"].append((aid, p))
                    if s["returned"] == s["points"] and len(rec["gpx"]) != sum(p is not None for p in ll):
                        bad["gpx_count"].append((aid, len(rec["gpx"]), sum(p is not None for p in ll)))
            if rec["polyline"]:
                for p in decode(rec["polyline"]):
                    npts["polyline"] += 1
                    if inside(p):
                        bad["polyline"].append((aid, p))
        for r in now["heatmap"]:
            for p in decode(r["polyline"]):
                npts["heatmap"] += 1
                if inside(p):
                    bad["heatmap"].append((r["id"], p))
        for k in ("streams", "polyline", "gpx", "heatmap"):
            check(f"{k}: no point of {npts[k]} lies inside a zone", npts[k] > 0 and not bad[k], bad[k][:3] or "no points")
        check(f"latlng streams: every kept point lies {trim:g} m or more from either end of its route", not bad["trim"], bad["trim"][:3])
        check(f"the first position of {hidden_start} routes is hidden", hidden_start > 0)
        check("GPX exports: one trkpt per position left in the stream", not bad["gpx_count"], bad["gpx_count"][:3])
        return 1 if fails else 0
    if mode == "same":  # base before.json: the answers equal the snapshot
        base, before = sys.argv[2], json.load(open(sys.argv[3]))
        now = snapshot(base)
        if len(sys.argv) > 4:
            json.dump(now, open(sys.argv[4], "w"))
        diff = [a for a in before["activities"] if before["activities"][a] != now["activities"][a]]
        why = [(a, k) for a in diff[:3] for k in before["activities"][a]
               if before["activities"][a][k] != now["activities"][a][k]]
        check(f"every map answer of {len(before['activities'])} activities is restored", not diff, why)
        check("the heatmap is restored", before["heatmap"] == now["heatmap"])
        return 1 if fails else 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
