# fs_app.py: the fake Strava's mutable state: OAuth codes and tokens, rate counters, faults, stats
import json
import os
import secrets
import threading
import time

TOKEN_LIFE = 6 * 3600
REUSE_MARGIN = 3600
CODE_LIFE = 600
DEFAULT_SCOPE = "read,activity:read_all,profile:read_all"
SCOPES = ("read", "read_all", "profile:read_all", "profile:write", "activity:read",
	  "activity:read_all", "activity:write")


def fault(message, resource, field, code):
	return {"message": message, "errors": [{"resource": resource, "field": field, "code": code}]}


class App:
	def __init__(self, client_id, client_secret, short_limit, daily_limit, window, unthrottled,
		     state_dir=None):
		self.client_id, self.client_secret = str(client_id), client_secret
		if unthrottled:
			# Advertise limits no client will reach, so clients that pace
			# themselves by the headers do not wait either.
			short_limit, daily_limit = 10**6, 10**7
		self.read_limit = (short_limit, daily_limit)
		self.all_limit = (2 * short_limit, 2 * daily_limit)
		self.window, self.unthrottled = window, unthrottled
		self.lock = threading.RLock()
		self.codes = {}  # code -> {athlete, scope, exp}
		self.access = {}  # token -> {athlete, scope, exp}
		self.refresh = {}  # token -> {athlete, scope}
		self.current = {}  # athlete id (str) -> {"access": tok, "refresh": tok}
		self.usage = {"win": -1, "day": -1, "all": [0, 0], "read": [0, 0]}
		self.faults = []
		self.stats = {}
		self.subscription = None
		self.edits = {}  # activity id (str) -> edits, "deleted", or added plan description
		self.state_file = os.path.join(state_dir, "state.json") if state_dir else None
		self._load()

	# --- persistence --------------------------------------------------------

	def _load(self):
		if not self.state_file:
			return
		try:
			with open(self.state_file, encoding="utf-8") as f:
				d = json.load(f)
		except (OSError, ValueError):
			return
		self.access = d.get("access", {})
		self.refresh = d.get("refresh", {})
		self.current = d.get("current", {})
		self.subscription = d.get("subscription")
		self.edits = d.get("edits", {})
		u = d.get("usage")
		if u:
			self.usage = u

	def save(self):
		if not self.state_file:
			return
		with self.lock:
			d = {"access": self.access, "refresh": self.refresh, "current": self.current,
			     "subscription": self.subscription, "edits": self.edits, "usage": self.usage}
			tmp = self.state_file + ".tmp"
			fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
			with os.fdopen(fd, "w", encoding="utf-8") as f:
				json.dump(d, f)
			os.replace(tmp, self.state_file)

	# --- OAuth --------------------------------------------------------------

	def check_client(self, cid, secret):
		if cid is None or str(cid) != self.client_id:
			return fault("Bad Request", "Application", "client_id", "invalid")
		if secret is None or secret != self.client_secret:
			return fault("Bad Request", "Application", "client_secret", "invalid")
		return None

	def new_code(self, athlete, scope):
		code = secrets.token_hex(20)
		with self.lock:
			self.codes[code] = {"athlete": athlete, "scope": scope, "exp": time.time() + CODE_LIFE}
		return code

	def _issue(self, athlete, scope, now):
		acc, ref = secrets.token_hex(20), secrets.token_hex(20)
		cur = self.current.get(str(athlete))
		if cur:
			self.refresh.pop(cur["refresh"], None)  # rotation: the old one dies at once
		self.access[acc] = {"athlete": athlete, "scope": scope, "exp": int(now) + TOKEN_LIFE}
		self.refresh[ref] = {"athlete": athlete, "scope": scope}
		self.current[str(athlete)] = {"access": acc, "refresh": ref}
		return acc, ref

	def exchange_code(self, code):
		"""(token answer without athlete, athlete id) or (fault, None)."""
		now = time.time()
		with self.lock:
			c = self.codes.pop(code or "", None)
			if c is None or c["exp"] < now:
				return fault("Bad Request", "RequestToken", "code", "invalid"), None
			acc, ref = self._issue(c["athlete"], c["scope"], now)
			exp = self.access[acc]["exp"]
		self.save()
		return {"token_type": "Bearer", "expires_at": exp, "expires_in": exp - int(now),
			"refresh_token": ref, "access_token": acc}, c["athlete"]

	def refresh_grant(self, token, force_rotate=False):
		now = time.time()
		with self.lock:
			r = self.refresh.get(token or "")
			if r is None:
				return fault("Bad Request", "RefreshToken", "refresh_token", "invalid")
			cur = self.current.get(str(r["athlete"]), {})
			a = self.access.get(cur.get("access", ""))
			if a is not None and a["exp"] - now > REUSE_MARGIN and not force_rotate:
				acc, ref = cur["access"], cur["refresh"]
			else:
				acc, ref = self._issue(r["athlete"], r["scope"], now)
			exp = self.access[acc]["exp"]
		self.save()
		return {"token_type": "Bearer", "access_token": acc, "expires_at": exp,
			"expires_in": exp - int(now), "refresh_token": ref}

	def bearer(self, token):
		"""(token record, None) or (None, fault)."""
		with self.lock:
			a = self.access.get(token or "")
		if a is None:
			return None, fault("Authorization Error", "Application", "", "invalid")
		if a["exp"] <= time.time():
			return None, fault("Authorization Error", "Athlete", "access_token", "invalid")
		return a, None

	def revoke(self, athlete):
		with self.lock:
			for d in (self.access, self.refresh):
				for k in [k for k, v in d.items() if v["athlete"] == athlete]:
					del d[k]
			self.current.pop(str(athlete), None)
		self.save()

	def expire(self, athlete):
		now = int(time.time())
		with self.lock:
			for v in self.access.values():
				if v["athlete"] == athlete:
					v["exp"] = min(v["exp"], now)
		self.save()

	# --- rate limits ----------------------------------------------------------

	def _roll(self, now):
		win, day = int(now // self.window), int(now // 86400)
		u = self.usage
		if u["day"] != day:
			u["day"], u["all"][1], u["read"][1] = day, 0, 0
		if u["win"] != win:
			u["win"], u["all"][0], u["read"][0] = win, 0, 0

	def take(self, read=True):
		"""Count one request; returns (allowed, headers)."""
		with self.lock:
			self._roll(time.time())
			u = self.usage
			over = False
			if not self.unthrottled:
				over = (u["all"][0] >= self.all_limit[0] or u["all"][1] >= self.all_limit[1] or
					(read and (u["read"][0] >= self.read_limit[0] or
						   u["read"][1] >= self.read_limit[1])))
			if over:  # a rejected request still counts toward the daily limit
				u["all"][1] += 1
				if read:
					u["read"][1] += 1
			else:
				u["all"][0] += 1
				u["all"][1] += 1
				if read:
					u["read"][0] += 1
					u["read"][1] += 1
			return not over, self.rate_headers(read)

	def rate_headers(self, read=True):
		u = self.usage
		return [("X-Ratelimit-Limit", "%d,%d" % tuple(self.all_limit)),
			("X-Ratelimit-Usage", "%d,%d" % tuple(u["all"])),
			("X-Readratelimit-Limit", "%d,%d" % tuple(self.read_limit)),
			("X-Readratelimit-Usage", "%d,%d" % tuple(u["read"]) if read else ",")]

	def exhaust(self, which):
		with self.lock:
			self._roll(time.time())
			u = self.usage
			if which == "daily":
				u["all"][1] = max(u["all"][1], self.all_limit[1])
				u["read"][1] = max(u["read"][1], self.read_limit[1])
			else:
				u["all"][0] = max(u["all"][0], self.all_limit[0])
				u["read"][0] = max(u["read"][0], self.read_limit[0])

	# --- faults and stats -------------------------------------------------------

	def add_fault(self, spec):
		spec = dict(spec)
		if "rate_exhaust" in spec:
			self.exhaust(spec["rate_exhaust"])
			return
		spec.setdefault("count", 1)
		with self.lock:
			self.faults.append(spec)

	def take_fault(self, kind, path):
		"""The first armed fault matching this request (consumed), or None."""
		with self.lock:
			for f in self.faults:
				if f.get("drop_after_token_rotation"):
					if kind != "token":
						continue
				elif f.get("path") and f["path"] != kind and f["path"] not in path:
					continue
				f["count"] -= 1
				if f["count"] <= 0:
					self.faults.remove(f)
				return f
		return None

	def count(self, kind, status):
		with self.lock:
			s = self.stats
			s[kind] = s.get(kind, 0) + 1
			s["total"] = s.get("total", 0) + 1
			k = "status_%d" % status
			s[k] = s.get(k, 0) + 1

	def stats_view(self):
		base = {k: 0 for k in ("list", "activity", "streams", "athlete", "zones", "gear", "token",
				       "status_429", "total")}
		with self.lock:
			base.update(self.stats)
		return base
