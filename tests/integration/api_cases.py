#!/usr/bin/env python3
# api_cases.py: runs a data-driven API cases file (request, expected status, headers and body side by side)
#
# usage: api_cases.py BASE_URL CASES_FILE [SAMPLES_DIR]
#
# A case is a block of lines, blocks separated by blank lines, '#' lines are comments:
#   METHOD /path?query                  the request
#   < Header: value                     a request header (optional, repeatable)
#   << {"json": "body"}                 a request body (optional)
#   STATUS [json|text|none]             the expected status and body kind (default json)
#   > Header: value                     an expected response header (value "*" = present,
#                                       "!" = absent)
#   ...expected body...                 json: compared exactly, except that the string "*"
#                                       matches any value and {"...": "*"} as the last
#                                       key allows further keys; text: CRLF lines as given;
#                                       xml: well-formed XML holding each line, in order
# When SAMPLES_DIR is given, every 200 JSON answer is saved there as NNN.json with its
# route (for the OpenAPI schema test).
import http.client
import json
import os
import sys
import urllib.parse
import xml.etree.ElementTree as ET


def match(want, got, path="$"):
    if want == "*":
        return None
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return f"{path}: want an object, got {json.dumps(got)[:80]}"
        loose = want.get("...") == "*"
        for k, v in want.items():
            if k == "...":
                continue
            if k not in got:
                return f"{path}: key {k} missing"
            err = match(v, got[k], f"{path}.{k}")
            if err:
                return err
        if not loose:
            extra = set(got) - set(want)
            if extra:
                return f"{path}: unexpected keys {sorted(extra)}"
        return None
    if isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            return f"{path}: want {json.dumps(want)[:120]}, got {json.dumps(got)[:120]}"
        for i, (a, b) in enumerate(zip(want, got)):
            err = match(a, b, f"{path}[{i}]")
            if err:
                return err
        return None
    if isinstance(want, float) or isinstance(got, float):
        if isinstance(got, bool) or not isinstance(got, (int, float)) or abs(want - got) > 1e-9:
            return f"{path}: want {want!r}, got {got!r}"
        return None
    if type(want) is not type(got) or want != got:
        return f"{path}: want {want!r}, got {got!r}"
    return None


def parse(path):
    cases, block = [], []
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for line in lines + [""]:
        if line.startswith("#"):
            continue
        if line.strip() == "":
            if block:
                cases.append(block)
                block = []
            continue
        block.append(line)
    out = []
    for b in cases:
        method, target = b[0].split(" ", 1)
        c = {"method": method, "target": target, "req_headers": {}, "body": None,
             "headers": [], "expect": []}
        i = 1
        while i < len(b) and b[i].startswith("<"):
            if b[i].startswith("<< "):
                c["body"] = b[i][3:]
            else:
                k, v = b[i][2:].split(":", 1)
                c["req_headers"][k.strip()] = v.strip()
            i += 1
        st = b[i].split()
        c["status"] = int(st[0])
        c["kind"] = st[1] if len(st) > 1 else "json"
        i += 1
        while i < len(b) and b[i].startswith("> "):
            k, v = b[i][2:].split(":", 1)
            c["headers"].append((k.strip(), v.strip()))
            i += 1
        c["expect"] = b[i:]
        out.append(c)
    return out


def main():
    base, cases_file = sys.argv[1], sys.argv[2]
    samples = sys.argv[3] if len(sys.argv) > 3 else None
    u = urllib.parse.urlsplit(base)
    fails = 0
    for n, c in enumerate(parse(cases_file), 1):
        name = f"{c['method']} {c['target']}"[:150]
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=15)
        try:
            body = c["body"].encode() if c["body"] is not None else None
            hdrs = dict(c["req_headers"])
            if body is not None and "Content-Type" not in hdrs:
                hdrs["Content-Type"] = "application/json"
            conn.request(c["method"], c["target"], body=body, headers=hdrs)
            r = conn.getresponse()
            data = r.read()
        except Exception as e:  # noqa: BLE001
            print(f"not ok - {name} # request failed: {e}")
            fails += 1
            continue
        finally:
            conn.close()
        err = None
        if r.status != c["status"]:
            err = f"status {r.status}, want {c['status']}: {data[:200]!r}"
        for k, v in c["headers"]:
            got = r.getheader(k)
            if err:
                break
            if v == "!" and got is not None:
                err = f"header {k} present: {got}"
            elif v == "*" and got is None:
                err = f"header {k} missing"
            elif v not in ("*", "!") and got != v:
                err = f"header {k}: {got!r}, want {v!r}"
        if not err and c["kind"] == "json":
            try:
                got = json.loads(data)
            except ValueError:
                err = f"not JSON: {data[:200]!r}"
            else:
                if not r.getheader("Content-Type", "").startswith("application/json"):
                    err = f"content type {r.getheader('Content-Type')}"
                elif c["expect"]:
                    err = match(json.loads("\n".join(c["expect"])), got)
                if not err and samples and r.status == 200:
                    path = urllib.parse.urlsplit(c["target"]).path
                    with open(os.path.join(samples, f"{n:03d}.json"), "w") as f:
                        json.dump({"method": c["method"].lower(), "path": path,
                                   "answer": got}, f)
        elif not err and c["kind"] == "text":
            want = "".join(line + "\r\n" for line in c["expect"])
            if data.decode("utf-8", "replace") != want:
                err = f"body {data[:300]!r}, want {want[:300]!r}"
        elif not err and c["kind"] == "xml":
            text = data.decode("utf-8", "replace")
            try:
                ET.fromstring(data)
            except ET.ParseError as e:
                err = f"not well-formed XML: {e}: {data[:200]!r}"
            pos = 0
            for line in c["expect"]:
                if err:
                    break
                at = text.find(line, pos)
                if at < 0:
                    err = f"{line[:120]!r} not found (in order) in {data[:300]!r}"
                pos = at + len(line)
        elif not err and c["kind"] == "none" and data:
            err = f"body not empty: {data[:100]!r}"
        if err:
            fails += 1
            print(f"not ok - {name} # {err}")
        else:
            print(f"ok - {name}")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
