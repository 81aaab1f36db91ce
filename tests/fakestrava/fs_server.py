# fs_server.py: the fake Strava's HTTP side: routing, OAuth pages, API endpoints, faults on the wire
import html
import json
import re
import socket
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import fs_app
import fs_control
import fs_stream
import fs_summary
from fs_app import fault

JSON = "application/json; charset=utf-8"
NOT_FOUND = fault("Record Not Found", "Activity", "id", "invalid")


class Drop(Exception):
	"""Close the connection without an answer."""


class Handler(BaseHTTPRequestHandler):
	protocol_version = "HTTP/1.1"
	server_version = "fakestrava"
	sys_version = ""

	def version_string(self):
		return "fakestrava"

	def log_message(self, fmt, *args):  # quiet: the one line per request is ours
		pass

	def _log(self, status):
		path = self.path.split("?", 1)[0]
		ms = (time.time() - self._t0) * 1000.0
		sys.stderr.write("%s %s %s %d %.1fms\n" % (time.strftime("%H:%M:%S"), self.command, path,
							  status, ms))

	# --- plumbing ---------------------------------------------------------------

	def _body(self):
		n = int(self.headers.get("Content-Length") or 0)
		return self.rfile.read(n) if n > 0 else b""

	def _form(self):
		q = dict(urllib.parse.parse_qsl(self._query, keep_blank_values=True))
		ctype = self.headers.get("Content-Type", "")
		raw = self._raw
		if raw and "json" in ctype:
			try:
				q.update({k: str(v) for k, v in json.loads(raw).items()})
			except (ValueError, AttributeError):
				pass
		elif raw:
			q.update(dict(urllib.parse.parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True)))
		return q

	def send(self, status, body=None, headers=(), ctype=JSON, truncate=False):
		if body is None:
			data = b""
		elif isinstance(body, (bytes, bytearray)):
			data = bytes(body)
		elif isinstance(body, str):
			data = body.encode("utf-8")
		else:
			data = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
		self.send_response(status)
		if status != 204:
			self.send_header("Content-Type", ctype)
		self.send_header("Content-Length", str(len(data)))
		if status >= 400:
			self.send_header("Cache-Control", "no-cache")
		for k, v in headers:
			self.send_header(k, v)
		self.end_headers()
		if truncate:
			self.wfile.write(data[: max(1, len(data) // 2)])
			self.wfile.flush()
			self._hard_close()
		elif self.command != "HEAD":
			self.wfile.write(data)
		self._status = status

	def _hard_close(self):
		self.close_connection = True
		try:
			self.connection.shutdown(socket.SHUT_RDWR)
		except OSError:
			pass

	def _dispatch(self):
		self._t0 = time.time()
		self._status = 0
		self._drop_rotation = False
		url = urllib.parse.urlsplit(self.path)
		self._query = url.query
		self._params = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
		self._raw = self._body()
		path = url.path.rstrip("/") or "/"
		try:
			self._route(path)
		except Drop:
			self._hard_close()
		except (BrokenPipeError, ConnectionResetError):
			self.close_connection = True
		except Exception as e:  # a bug in the fake: say so, keep serving
			sys.stderr.write("fakestrava: internal error on %s: %r\n" % (path, e))
			if not self._status:
				self.send(500, fault("Internal Server Error", "Application", "", "error"))
		self._log(self._status)

	do_GET = do_POST = do_DELETE = do_PUT = _dispatch

	# --- routing ------------------------------------------------------------------

	def _route(self, path):
		srv = self.server
		if path.startswith("/_fake/"):
			return fs_control.handle(self, srv, path[len("/_fake"):])
		if path == "/oauth/authorize" and self.command == "GET":
			return self.authorize_page()
		if path == "/oauth/accept" and self.command == "POST":
			return self.authorize_accept()
		if path in ("/oauth/token", "/api/v3/oauth/token") and self.command == "POST":
			return self.strava("token", self.token)
		if path in ("/oauth/deauthorize", "/api/v3/oauth/deauthorize") and self.command == "POST":
			return self.strava("deauthorize", self.deauthorize, rate=True)
		if path.startswith("/api/v3/push_subscriptions"):
			return self.strava("subscriptions", lambda: self.push(path), rate=True)
		if path.startswith("/api/v3/"):
			return self.api(path[len("/api/v3"):])
		if path == "/":
			return self.send(200, "<p>cairn-fakestrava: a local Strava for tests.</p>", ctype="text/html; charset=utf-8")
		self.send(404, fault("Record Not Found", "resource", "path", "invalid"))

	def strava(self, kind, fn, rate=False):
		"""Rate limit, faults and stats around one Strava endpoint."""
		app = self.server.app
		hdrs = []
		if rate:
			allowed, hdrs = app.take()
			if not allowed:
				app.count(kind, 429)
				return self.send(429, fault("Rate Limit Exceeded", "Application", "rate limit", "exceeded"), hdrs)
		f = app.take_fault(kind, self.path.split("?", 1)[0])
		truncate = False
		if f is not None:
			if f.get("delay"):
				time.sleep(float(f["delay"]))
			if f.get("status"):
				st = int(f["status"])
				app.count(kind, st)
				body = fault("Internal Server Error" if st >= 500 else "Bad Request", "Application", "", "error")
				return self.send(st, body, hdrs)
			if f.get("drop_after_token_rotation"):
				self._drop_rotation = True
			truncate = bool(f.get("truncate"))
		try:
			status, body, extra = fn()
		except Drop:
			app.count(kind, 0)
			raise
		app.count(kind, status)
		self.send(status, body, hdrs + list(extra), truncate=truncate)

	# --- OAuth ------------------------------------------------------------------------

	def authorize_page(self):
		p, app = self._params, self.server.app
		bad = app.check_client(p.get("client_id"), app.client_secret)
		if bad is None and not p.get("redirect_uri"):
			bad = fault("Bad Request", "Application", "redirect_uri", "invalid")
		if bad is None and p.get("response_type") != "code":
			bad = fault("Bad Request", "Application", "response_type", "invalid")
		scopes = [s for s in (p.get("scope") or "read").split(",") if s]
		if bad is None and any(s not in fs_app.SCOPES for s in scopes):
			bad = fault("Bad Request", "Authorize", "scope", "invalid")
		if bad is not None:
			return self.send(400, bad)
		e = html.escape
		boxes = "".join(
			'<label><input type="checkbox" name="scope" value="%s" checked%s> %s</label><br>\n'
			% (e(s), " disabled" if s == "read" else "", e(s)) for s in scopes)
		aths = "".join('<option value="%d">%s %s (%d)</option>' % (a.id, e(a.firstname), e(a.lastname), a.id)
			       for a in self.server.store.athletes)
		sel = ('<p><label>Athlete <select name="athlete">%s</select></label></p>' % aths
		       if len(self.server.store.athletes) > 1 else
		       '<input type="hidden" name="athlete" value="%d">' % self.server.store.athletes[0].id)
		hidden = "".join('<input type="hidden" name="%s" value="%s">' % (k, e(p.get(k, "")))
				 for k in ("client_id", "redirect_uri", "state", "approval_prompt"))
		page = ("<!doctype html><html><head><meta charset=\"utf-8\"><title>Authorize Cairn</title></head>"
			"<body><h1>Authorize application %s</h1><form method=\"post\" action=\"/oauth/accept\">"
			"%s<p>Requested access:</p>%s%s<input type=\"hidden\" name=\"scope\" value=\"read\">"
			"<button type=\"submit\" name=\"action\" value=\"authorize\" id=\"authorize\">Authorize</button> "
			"<button type=\"submit\" name=\"action\" value=\"cancel\" id=\"cancel\">Cancel</button>"
			"</form></body></html>") % (e(app.client_id), hidden, boxes, sel)
		self.send(200, page, ctype="text/html; charset=utf-8")

	def authorize_accept(self):
		form = urllib.parse.parse_qs(self._raw.decode("utf-8", "replace"), keep_blank_values=True)
		one = lambda k: (form.get(k) or [""])[0]
		redirect = one("redirect_uri")
		q = [("state", one("state"))]
		if one("action") != "authorize":
			q.append(("error", "access_denied"))
		else:
			wanted = []
			for s in form.get("scope", []):
				if s in fs_app.SCOPES and s not in wanted:
					wanted.append(s)
			scope = ",".join(wanted) or "read"
			try:
				athlete = int(one("athlete"))
			except ValueError:
				athlete = self.server.store.athletes[0].id
			q += [("code", self.server.app.new_code(athlete, scope)), ("scope", scope)]
		sep = "&" if "?" in redirect else "?"
		loc = redirect + sep + urllib.parse.urlencode(q, safe=",:")
		self.send(302, "", [("Location", loc)], ctype="text/html; charset=utf-8")

	def token(self):
		f, app = self._form(), self.server.app
		bad = app.check_client(f.get("client_id"), f.get("client_secret"))
		if bad:
			return 400, bad, ()
		gt = f.get("grant_type")
		if gt == "authorization_code":
			ans, aid = app.exchange_code(f.get("code"))
			if aid is None:
				return 400, ans, ()
			if self._drop_rotation:
				raise Drop()
			ath = self.server.store.by_id[aid]
			ans["athlete"] = fs_summary.athlete(ath, False)
			return 200, ans, ()
		if gt == "refresh_token":
			drop = self._drop_rotation
			ans = app.refresh_grant(f.get("refresh_token"), force_rotate=drop)
			if "errors" in ans:
				return 400, ans, ()
			if drop:
				raise Drop()
			return 200, ans, ()
		return 400, fault("Bad Request", "Application", "grant_type", "invalid"), ()

	def deauthorize(self):
		tok = self._form().get("access_token") or self._bearer()
		rec, bad = self.server.app.bearer(tok)
		if bad:
			return 401, bad, ()
		self.server.app.revoke(rec["athlete"])
		fs_control.athlete_event(self.server, rec["athlete"])
		return 200, {"access_token": tok}, ()

	def _bearer(self):
		h = self.headers.get("Authorization", "")
		return h[7:].strip() if h[:7].lower() == "bearer " else None

	# --- webhooks -------------------------------------------------------------------------

	def push(self, path):
		app, f = self.server.app, self._form()
		bad = app.check_client(f.get("client_id"), f.get("client_secret"))
		if bad:
			return 401, fault("Authorization Error", "Application", bad["errors"][0]["field"], "invalid"), ()
		m = re.fullmatch(r"/api/v3/push_subscriptions(?:/(\d+))?", path)
		if m is None:
			return 404, fault("Record Not Found", "resource", "path", "invalid"), ()
		sub = app.subscription
		if self.command == "GET":
			return 200, [sub] if sub else [], ()
		if self.command == "DELETE" and m.group(1):
			if not sub or int(m.group(1)) != sub["id"]:
				return 404, fault("Resource Not Found", "PushSubscription", "id", "not found"), ()
			app.subscription = None
			app.save()
			return 204, None, ()
		if self.command == "POST" and not m.group(1):
			if sub:
				return 400, fault("Bad Request", "PushSubscription", "", "already exists"), ()
			cb = f.get("callback_url") or ""
			if not cb or len(cb) > 255:
				return 400, fault("Bad Request", "PushSubscription", "callback_url", "invalid"), ()
			if not fs_control.verify_callback(cb, f.get("verify_token", "")):
				return 400, fault("Bad Request", "PushSubscription", "callback url", "not verifiable"), ()
			now = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())
			sub = {"id": 120000 + int(time.time()) % 100000, "resource_state": 2,
			       "application_id": int(app.client_id) if app.client_id.isdigit() else 0,
			       "callback_url": cb, "created_at": now + "Z", "updated_at": now + "Z"}
			app.subscription = sub
			app.save()
			return 201, sub, ()
		return 405, fault("Bad Request", "PushSubscription", "method", "invalid"), ()

	# --- the API -------------------------------------------------------------------------------

	ROUTES = (
		(re.compile(r"/athlete"), "athlete"),
		(re.compile(r"/athlete/activities"), "list"),
		(re.compile(r"/athlete/zones"), "zones"),
		(re.compile(r"/activities/(\d+)"), "activity"),
		(re.compile(r"/activities/(\d+)/streams(?:/([\w,]+))?"), "streams"),
		(re.compile(r"/gear/([\w-]+)"), "gear"),
	)

	def api(self, sub):
		kind, m = "other", None
		for rx, k in self.ROUTES:
			m = rx.fullmatch(sub)
			if m:
				kind = k
				break
		if self.command != "GET":
			m = None

		def answer():
			rec, bad = self.server.app.bearer(self._bearer())
			if bad:
				return 401, bad, ()
			if m is None:
				return 404, fault("Record Not Found", "resource", "path", "invalid"), ()
			ath = self.server.store.by_id[rec["athlete"]]
			return getattr(self, "api_" + kind)(ath, rec["scope"].split(","), m)
		self.strava(kind, answer, rate=True)

	def api_athlete(self, ath, scope, m):
		return 200, fs_summary.athlete(ath, "profile:read_all" in scope), ()

	def api_zones(self, ath, scope, m):
		if "profile:read_all" not in scope:
			return 401, fault("Authorization Error", "AccessToken", "profile:read_all_permission", "missing"), ()
		return 200, fs_summary.zones(ath), ()

	def api_gear(self, ath, scope, m):
		g = fs_summary.gear_detail(ath, m.group(1))
		if g is None:
			return 404, fault("Record Not Found", "Gear", "id", "invalid"), ()
		return 200, g, ()

	def _int(self, name, default):
		v = self._params.get(name)
		if v in (None, ""):
			return default
		try:
			return int(float(v))
		except ValueError:
			raise ValueError(name)

	def api_list(self, ath, scope, m):
		if not ({"activity:read", "activity:read_all"} & set(scope)):
			return 401, fault("Authorization Error", "AccessToken", "activity:read_permission", "missing"), ()
		try:
			before, after = self._int("before", None), self._int("after", None)
			page, per = self._int("page", 1), self._int("per_page", 30)
		except ValueError as e:
			return 400, fault("Bad Request", "Application", str(e), "invalid"), ()
		page = max(1, page)
		per = 30 if per < 1 else min(per, 200)
		allp = "activity:read_all" in scope
		sel = [p for p in ath.visible()
		       if (allp or not p.edits.get("private", p.private))
		       and (before is None or p.start < before) and (after is None or p.start > after)]
		chunk = sel[(page - 1) * per: page * per]
		store = self.server.store
		return 200, [store.summary(p) for p in chunk], ()

	def _activity(self, ath, scope, aid):
		store = self.server.store
		owner, p = store.find(int(aid))
		if p is None or p.deleted or owner is not ath:
			return None, (404, NOT_FOUND, ())
		if not ({"activity:read", "activity:read_all"} & set(scope)):
			return None, (401, fault("Authorization Error", "AccessToken", "activity:read_permission", "missing"), ())
		if p.edits.get("private", p.private) and "activity:read_all" not in scope:
			return None, (404, NOT_FOUND, ())
		return p, None

	def api_activity(self, ath, scope, m):
		p, err = self._activity(ath, scope, m.group(1))
		if err:
			return err
		return 200, self.server.store.detail(p), ()

	def api_streams(self, ath, scope, m):
		p, err = self._activity(ath, scope, m.group(1))
		if err:
			return err
		keys = []
		for part in [m.group(2) or ""] + urllib.parse.parse_qs(self._query).get("keys", []):
			keys += [k for k in part.split(",") if k]
		by_type = self._params.get("key_by_type", "").lower() == "true"
		if by_type and set(fs_stream.KEYS) <= set(keys) | {"distance"} and not p.manual:
			data = self.server.store.cached_streams(p)
			if data is not None:
				return 200, data, ()
		st, laps, s = self.server.store.streams(p)
		if st is None:
			return 404, {"message": "Resource Not Found", "errors": []}, ()
		want = set(keys) | {"distance"}
		n = len(st["time"])
		out = [(k, {"data": st[k], "series_type": "distance", "original_size": n, "resolution": "high"})
		       for k in fs_stream.KEYS if k in want and k in st]
		if by_type:
			return 200, dict(out), ()
		return 200, [dict(type=k, **v) for k, v in out], ()


class Server(ThreadingHTTPServer):
	daemon_threads = True
	allow_reuse_address = True
	request_queue_size = 128

	def __init__(self, addr, store, app):
		self.store, self.app = store, app
		super().__init__(addr, Handler)
