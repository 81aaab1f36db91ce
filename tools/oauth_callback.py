#!/usr/bin/env python3
# oauth_callback.py: `make connect`'s one-shot listener for Strava's OAuth redirect (standard library only)
#
# usage: oauth_callback.py RESULT_FILE [TIMEOUT_SECONDS]
# Listens on 127.0.0.1 on a free port, prints the port on stdout, and waits
# for one GET /callback?... (Strava's redirect back from the authorisation
# page). Writes its code, scope and error as `key=value` lines to RESULT_FILE
# (created 0600), answers the browser with a short page and exits: 0 on a
# redirect with a code or an error, 1 on the timeout (default 600 s).
import http.server
import os
import sys
import time
import urllib.parse

PAGE = ("<!doctype html><html><head><meta charset=\"utf-8\"><title>Cairn</title></head><body>"
	"<h1>%s</h1><p>You can close this tab and go back to the terminal.</p></body></html>")


class Handler(http.server.BaseHTTPRequestHandler):
	def do_GET(self):
		u = urllib.parse.urlsplit(self.path)
		if u.path != "/callback":
			self.send_error(404)
			return
		q = urllib.parse.parse_qs(u.query)
		got = {k: (q.get(k) or [""])[0] for k in ("code", "scope", "error")}
		if not got["code"] and not got["error"]:
			self.send_error(400, "no code and no error in the redirect")
			return
		fd = os.open(self.server.result, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
		with os.fdopen(fd, "w") as f:
			for k, v in got.items():
				f.write("%s=%s\n" % (k, "".join(c for c in v if c.isprintable() and c != "\n")))
		title = "Cairn is authorised" if got["code"] else "Strava said: %s" % got["error"]
		body = (PAGE % title.replace("<", "&lt;")).encode("utf-8")
		self.send_response(200)
		self.send_header("Content-Type", "text/html; charset=utf-8")
		self.send_header("Content-Length", str(len(body)))
		self.send_header("Cache-Control", "no-store")
		self.end_headers()
		self.wfile.write(body)
		self.server.done = True

	def log_message(self, fmt, *args):  # the query holds the code: never logged
		pass


def main():
	if len(sys.argv) < 2:
		sys.stderr.write("usage: oauth_callback.py RESULT_FILE [TIMEOUT_SECONDS]\n")
		return 2
	srv = http.server.HTTPServer(("127.0.0.1", 0), Handler)
	srv.result, srv.done = sys.argv[1], False
	srv.timeout = 1
	print(srv.server_address[1], flush=True)
	end = time.monotonic() + (float(sys.argv[2]) if len(sys.argv) > 2 else 600.0)
	while not srv.done and time.monotonic() < end:
		srv.handle_request()
	srv.server_close()
	return 0 if srv.done else 1


if __name__ == "__main__":
	sys.exit(main())
