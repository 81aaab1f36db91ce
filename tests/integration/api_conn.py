# api_conn.py: a FastCGI client straight to cairn-api's socket (no nginx), and the connection checks of 50_api_conn.sh
#
# usage: api_conn.py get SOCK PATH [QUERY]   print the status line, the ETag and the body length
#        api_conn.py checks SOCK WORKERS URL  print ok / not ok lines
import socket, struct, sys, threading, time, urllib.request

BEGIN, END, PARAMS, STDIN, STDOUT = 1, 3, 4, 5, 6


def record(kind, rid, content):
    return struct.pack("!BBHHBB", 1, kind, rid, len(content), 0, 0) + content


def pair(k, v):
    def n(x):
        return bytes([len(x)]) if len(x) < 128 else struct.pack("!I", len(x) | 0x80000000)
    return n(k) + n(v) + k + v


def request(rid, path, query="", keep=True, method="GET"):
    env = [("REQUEST_METHOD", method), ("PATH_INFO", path), ("QUERY_STRING", query),
           ("SCRIPT_NAME", ""), ("SERVER_PROTOCOL", "HTTP/1.1")]
    params = b"".join(pair(k.encode(), v.encode()) for k, v in env)
    return (record(BEGIN, rid, struct.pack("!HB5x", 1, 1 if keep else 0)) +
            record(PARAMS, rid, params) + record(PARAMS, rid, b"") + record(STDIN, rid, b""))


class Conn:
    """One FastCGI connection; answer() returns (headers dict, body, records)."""

    def __init__(self, sock_path, timeout=10):
        self.s = socket.socket(socket.AF_UNIX)
        self.s.settimeout(timeout)
        self.s.connect(sock_path)
        self.buf = b""

    def _need(self, n):
        while len(self.buf) < n:
            d = self.s.recv(1 << 17)
            if not d:
                raise EOFError("connection closed")
            self.buf += d

    def ask(self, path, query="", keep=True, rid=1):
        self.s.sendall(request(rid, path, query, keep))
        out, recs = b"", []
        while True:
            self._need(8)
            ver, kind, r, clen, plen, _ = struct.unpack("!BBHHBB", self.buf[:8])
            self._need(8 + clen + plen)
            content = self.buf[8:8 + clen]
            self.buf = self.buf[8 + clen + plen:]
            recs.append((ver, kind, r, clen))
            if kind == STDOUT:
                out += content
            if kind == END:
                break
        head, _, body = out.partition(b"\r\n\r\n")
        hdrs = {}
        for line in head.decode().split("\r\n"):
            k, _, v = line.partition(":")
            hdrs[k.strip().lower()] = v.strip()
        return hdrs, body, recs

    def closed_by_peer(self):
        try:
            self.s.settimeout(2)
            return self.s.recv(1) == b""
        except socket.timeout:
            return False
        except OSError:
            return True

    def close(self):
        self.s.close()


results = []


def res(ok, name, why=""):
    results.append(ok)
    print(("ok - " if ok else "not ok - ") + name + ("" if ok else " # " + why), flush=True)


def checks(sock, workers, url):
    # Several requests on one kept connection, each a whole answer.
    c = Conn(sock)
    etags = []
    for i in range(3):
        h, b, recs = c.ask("/api/v1/summary", "group=year", rid=7)
        etags.append(h.get("etag"))
        ok = h.get("status", "").startswith("200") and int(h.get("content-length", -1)) == len(b)
        res(ok, "kept connection, request %d: 200 with a Content-Length that matches the body" % (i + 1),
            "headers %s, body %d bytes" % (h, len(b)))
        res(all(r[0] == 1 and r[2] == 7 for r in recs) and recs[-1][1] == END and recs[-2] == (1, STDOUT, 7, 0),
            "kept connection, request %d: records of request 7, stdout ended by an empty record, then the end" % (i + 1),
            str(recs[-3:]))
    res(len(set(etags)) == 1 and etags[0], "the same ETag each time (%s)" % etags[0])
    res(not c.closed_by_peer(), "cairn-api keeps the connection open after the answers")

    # More idle kept connections than workers: none of them holds a worker.
    idle = []
    for i in range(3 * workers + 2):
        k = Conn(sock)
        k.ask("/api/v1/health")
        idle.append(k)
    t0 = time.time()
    fresh = Conn(sock, timeout=5)
    try:
        h, b, _ = fresh.ask("/api/v1/health")
        took = time.time() - t0
        res(h.get("status", "").startswith("200") and took < 2,
            "with %d idle kept connections and %d workers a new connection answers at once (%.3f s)" % (len(idle), workers, took))
    except Exception as e:
        res(False, "with %d idle kept connections a new connection answers" % len(idle), repr(e))
    for k in idle:
        h, b, _ = k.ask("/api/v1/health")
    res(True, "each idle kept connection still answers afterwards")
    for k in idle:
        k.close()
    fresh.close()

    # A connection nginx does not keep is closed after its answer.
    c2 = Conn(sock)
    h, b, _ = c2.ask("/api/v1/health", keep=False)
    res(h.get("status", "").startswith("200") and c2.closed_by_peer(),
        "a request without FCGI_KEEP_CONN: answered, then the connection is closed")
    c2.close()

    # Broken peers: garbage, a request cut short, a silent connect.
    g = Conn(sock)
    g.s.sendall(b"GET / HTTP/1.0\r\n\r\n" + b"x" * 100)
    res(g.closed_by_peer(), "garbage instead of FastCGI: the connection is closed")
    g.close()
    h1 = Conn(sock)
    h1.s.sendall(request(1, "/api/v1/health")[:20])
    h1.close()
    s0 = Conn(sock)
    s0.close()
    c.close()

    # Answers larger than one record (64 kB) come whole, and equal nginx's
    # (the suite added activities for a large CSV).
    big = Conn(sock)
    h, b, recs = big.ask("/api/v1/activities", "format=csv")
    n_out = sum(1 for r in recs if r[1] == STDOUT and r[3] > 0)
    via_nginx = urllib.request.urlopen(url + "/api/v1/activities?format=csv").read()
    res(len(b) > 65535 and n_out >= 2 and b == via_nginx,
        "a %d-byte answer comes in %d records and equals nginx's answer byte for byte" % (len(b), n_out),
        "%d bytes vs %d via nginx" % (len(b), len(via_nginx)))
    res(max(r[3] for r in recs) <= 65535, "no record is longer than FastCGI allows")
    big.close()

    # Many clients at once on kept connections: every answer right.
    want = Conn(sock).ask("/api/v1/summary", "group=month")[1]
    bad = []

    def client():
        k = Conn(sock)
        for _ in range(40):
            if k.ask("/api/v1/summary", "group=month")[1] != want:
                bad.append(1)
        k.close()
    ts = [threading.Thread(target=client) for _ in range(12)]
    [t.start() for t in ts]
    [t.join() for t in ts]
    res(not bad, "12 kept connections x 40 requests at once: every answer is right (%d wrong)" % len(bad))


def main():
    if sys.argv[1] == "get":
        c = Conn(sys.argv[2])
        h, b, _ = c.ask(sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else "")
        print(h.get("status", "?").split()[0], h.get("etag", "-"), len(b))
        return 0
    checks(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
