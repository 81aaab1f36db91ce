#!/usr/bin/env python3
# cairn-fakestrava: Cairn's local Strava (API, OAuth, webhooks, rate limits, faults) with a demo athlete
import argparse
import os
import signal
import sys
import threading
import time



def _find_modules():
	"""The fs_*.py modules sit beside this file; a copy in build/bin finds them in the source tree."""
	here = os.path.dirname(os.path.realpath(__file__))
	d = here
	for _ in range(4):
		for cand in (d, os.path.join(d, "tests", "fakestrava")):
			if os.path.exists(os.path.join(cand, "fs_store.py")):
				return cand
		d = os.path.dirname(d)
	return here


sys.path.insert(0, _find_modules())

USAGE = """\
usage: cairn-fakestrava --port P [options]
       cairn-fakestrava export --out DIR [--seed N] [--years N] [--count N] [--csv-variant 95|103]

A faithful local Strava for Cairn's tests and demo: the API under
http://HOST:P/api/v3, OAuth under http://HOST:P/oauth, and test controls under
http://HOST:P/_fake/ (see tests/fakestrava/README.md).

options:
  --port P           TCP port to listen on (required)
  --host H           address to bind (default 127.0.0.1)
  --seed N           demo data seed (default 42); same seed, same data
  --years N          years of history ending yesterday (default 2)
  --count N          exactly N activities instead (newest N days' worth)
  --athletes N       number of demo athletes, ids 1001, 1002, ... (default 1)
  --short-limit N    read requests per short window (default 100; overall = 2x)
  --daily-limit N    read requests per UTC day (default 1000; overall = 2x)
  --window S         short window in seconds, aligned to epoch multiples (default 900)
  --unthrottled      no rate limits (benchmarks)
  --state DIR        keep tokens, edits and a summary cache there across restarts
  --help             this text

The application's client id and secret come from CAIRN_STRAVA_CLIENT_ID and
CAIRN_STRAVA_CLIENT_SECRET (defaults 1234 and fake-secret), never the command line.
Exit status: 0 after SIGTERM/SIGINT, 2 on a usage error, 1 if the port cannot be bound.
"""


class Parser(argparse.ArgumentParser):
	def error(self, message):
		sys.stderr.write("cairn-fakestrava: %s\n%s" % (message, USAGE))
		sys.exit(2)


def _common(p):
	p.add_argument("--seed", type=int, default=42)
	p.add_argument("--years", type=int, default=2)
	p.add_argument("--count", type=int, default=None)
	p.add_argument("--athletes", type=int, default=1)


def serve(argv):
	p = Parser(add_help=False)
	p.add_argument("--help", action="store_true")
	p.add_argument("--port", type=int)
	p.add_argument("--host", default="127.0.0.1")
	_common(p)
	p.add_argument("--short-limit", type=int, default=100)
	p.add_argument("--daily-limit", type=int, default=1000)
	p.add_argument("--window", type=int, default=900)
	p.add_argument("--unthrottled", action="store_true")
	p.add_argument("--state", default=None)
	a = p.parse_args(argv)
	if a.help:
		sys.stdout.write(USAGE)
		return 0
	if a.port is None:
		p.error("--port is required")
	if a.years < 1 or a.athletes < 1 or a.athletes > 6 or a.window < 1 or (a.count is not None and a.count < 0):
		p.error("bad --years/--count/--athletes/--window value")
	import fs_app
	import fs_control
	import fs_server
	import fs_store
	if a.state:
		os.makedirs(a.state, mode=0o700, exist_ok=True)
	t0 = time.time()
	store = fs_store.Store(a.seed, a.years, a.count, a.athletes, cache_dir=a.state)
	app = fs_app.App(os.environ.get("CAIRN_STRAVA_CLIENT_ID", "1234"),
			 os.environ.get("CAIRN_STRAVA_CLIENT_SECRET", "fake-secret"),
			 a.short_limit, a.daily_limit, a.window, a.unthrottled, a.state)
	fs_control.replay(store, app)
	try:
		srv = fs_server.Server((a.host, a.port), store, app)
	except OSError as e:
		sys.stderr.write("cairn-fakestrava: cannot listen on %s:%d: %s\n" % (a.host, a.port, e.strerror))
		return 1
	n = sum(len(x.plans) for x in store.athletes)
	sys.stderr.write("cairn-fakestrava: %d athlete(s), %d activities, listening on http://%s:%d (ready in %.2fs)\n"
			 % (len(store.athletes), n, a.host, a.port, time.time() - t0))
	sys.stderr.flush()
	store.warm()

	def stop(signum, frame):
		store.stop()
		threading.Thread(target=srv.shutdown, daemon=True).start()
	signal.signal(signal.SIGTERM, stop)
	signal.signal(signal.SIGINT, stop)
	srv.serve_forever(poll_interval=0.2)
	srv.server_close()
	app.save()
	sys.stderr.write("cairn-fakestrava: stopped\n")
	return 0


def export(argv):
	p = Parser(add_help=False)
	p.add_argument("--help", action="store_true")
	p.add_argument("--out")
	_common(p)
	p.add_argument("--csv-variant", type=int, choices=(95, 103), default=95)
	a = p.parse_args(argv)
	if a.help:
		sys.stdout.write(USAGE)
		return 0
	if not a.out:
		p.error("export needs --out DIR")
	import fs_export
	return fs_export.run(a)


def main(argv):
	if argv and argv[0] == "export":
		return export(argv[1:])
	return serve(argv)


if __name__ == "__main__":
	sys.exit(main(sys.argv[1:]))
