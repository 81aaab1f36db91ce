#!/usr/bin/env python3
# api_junk.py: sends every junk/SQL-injection string in every parameter of every route; no 5xx, no foreign rows
#
# usage: api_junk.py BASE_URL ROUTES_JSON JUNK_FILE
# ROUTES_JSON is `cairn-api --dump-routes`. Prints one TAP-like line per route and check.
# Rows marked own_query (/auth/, /webhook/) read their query themselves: junk names there
# must not cause a 5xx, and need not answer 400.
import http.client
import json
import sys
import urllib.parse

ALLOWED = {200, 400, 404, 405, 414}
# What only athlete 2's rows hold (tests/data/api/dataset.sql).
FOREIGN = ["Secret Ride", "999999", "Other Bike", "\"id\":201", "\"activity_id\":201", "\"b9\""]


def get(conn, target, method="GET"):
    """A GET, or a POST/PUT with an empty JSON object (routes without GET)."""
    if method == "GET":
        conn.request("GET", target)
    else:
        conn.request(method, target, body=b"{}", headers={"Content-Type": "application/json"})
    r = conn.getresponse()
    return r.status, r.getheader("Content-Type", ""), r.read()


def check(status, ctype, body):
    if status not in ALLOWED:
        return f"status {status}: {body[:160]!r}"
    if ctype.startswith("text/csv"):
        text = body.decode("utf-8", "replace")
    else:
        if not ctype.startswith("application/json"):
            return f"content type {ctype!r}"
        try:
            j = json.loads(body)
        except ValueError:
            return f"not JSON: {body[:160]!r}"
        if status >= 400 and set(j.get("error", {})) != {"code", "message", "param"}:
            return f"error body {body[:160]!r}"
        text = body.decode()
    for f in FOREIGN:
        if status == 200 and f in text:  # errors may echo the junk back
            return f"foreign athlete's data ({f}) in {text[:160]!r}"
    return None


def main():
    base, routes_file, junk_file = sys.argv[1:4]
    routes = json.load(open(routes_file))
    with open(junk_file, encoding="utf-8") as f:
        junk = [line.rstrip("\n") for line in f if line.rstrip("\n") != ""]
    u = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=15)
    fails = total = 0
    for rt in routes:
        path = rt["path"].replace("{id}", "101")
        method = "GET" if "get" in rt["methods"] else rt["methods"][0].upper()
        bad = []
        for p in rt["params"]:
            for s in junk:
                if p["in"] == "path":
                    targets = [rt["path"].replace("{id}", urllib.parse.quote(s, safe=""))]
                else:
                    q = urllib.parse.quote(s, safe="")
                    # Encoded, and raw where a request line can carry it.
                    targets = [f"{path}?{p['name']}={q}"]
                    raw = "".join(c if 0x21 <= ord(c) < 0x7f and c not in "#" else urllib.parse.quote(c) for c in s)
                    if raw != q:
                        targets.append(f"{path}?{p['name']}={raw}")
                for t in targets:
                    total += 1
                    try:
                        err = check(*get(conn, t, method))
                    except Exception as e:  # noqa: BLE001
                        err = f"request failed: {e}"
                        conn.close()
                        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=15)
                    if err:
                        bad.append(f"{t[:100]} -> {err}")
        # Junk as a parameter name.
        for s in junk:
            total += 1
            t = f"{path}?{urllib.parse.quote(s, safe='')}=1"
            status, ctype, body = get(conn, t, method)
            if rt.get("own_query"):
                # The handler reads its own query (OAuth, webhook): any
                # name is its to ignore or refuse, never a 5xx.
                err = check(status if status != 403 else 400, ctype, body)
            else:
                err = check(status, ctype, body)
                if not err and status not in (400, 414):
                    err = f"status {status} for unknown parameter"
            if err:
                bad.append(f"{t[:100]} -> {err}")
        name = f"junk in every parameter of {rt['path']}"
        if bad:
            fails += 1
            print(f"not ok - {name} # {len(bad)} bad, first: {bad[0]}")
        else:
            print(f"ok - {name}")
    print(f"# {total} junk requests")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
