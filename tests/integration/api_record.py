#!/usr/bin/env python3
# api_record.py: records what the API answers to every request of cases files (status, headers, body bytes), to compare two builds byte for byte
#
# usage: api_record.py BASE_URL OUT_FILE CASES_FILE...
#
# The requests are those of the cases files (tests/integration/api_cases.py
# reads the same format); the expectations in the files are ignored. For
# each request OUT_FILE gets the request line, the status, every response
# header but Date and Server (sorted), and the body as a Python bytes
# literal, so `diff` or `cmp` of two recordings shows any change.
import http.client
import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from api_cases import parse  # noqa: E402

SKIP = {"date", "server"}


def main():
    base, out = sys.argv[1], sys.argv[2]
    u = urllib.parse.urlsplit(base)
    lines = []
    for cases_file in sys.argv[3:]:
        for c in parse(cases_file):
            conn = http.client.HTTPConnection(u.hostname, u.port, timeout=15)
            body = c["body"].encode() if c["body"] is not None else None
            hdrs = dict(c["req_headers"])
            if body is not None and "Content-Type" not in hdrs:
                hdrs["Content-Type"] = "application/json"
            try:
                conn.request(c["method"], c["target"], body=body, headers=hdrs)
                r = conn.getresponse()
                data = r.read()
            finally:
                conn.close()
            lines.append(f"{c['method']} {c['target']}")
            lines.append(f"  {r.status}")
            for k, v in sorted((k.lower(), v) for k, v in r.getheaders()):
                if k not in SKIP:
                    lines.append(f"  {k}: {v}")
            lines.append(f"  {data!r}")
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print(f"recorded {sum(1 for x in lines if not x.startswith(' '))} answers in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
