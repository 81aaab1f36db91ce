# fs_control.py: the test-only /_fake/ endpoints, activity edits, and webhook delivery
import datetime
import json
import random
import re
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request

import fs_geo
import fs_plan


def _json(h):
	if not h._raw:
		return {}
	try:
		d = json.loads(h._raw)
	except ValueError:
		return None
	return d


def _athlete(h, srv):
	try:
		aid = int(h._params.get("athlete") or srv.store.athletes[0].id)
	except ValueError:
		return None
	return srv.store.by_id.get(aid)


def handle(h, srv, path):
	app, store = srv.app, srv.store
	cmd = h.command
	if path == "/athletes" and cmd == "GET":
		return h.send(200, [{"id": a.id, "firstname": a.firstname, "lastname": a.lastname,
				     "activities": len(a.visible()), "ready": store.warm_done.is_set()}
				    for a in store.athletes])
	if path == "/stats" and cmd == "GET":
		return h.send(200, app.stats_view())
	if path == "/stats/reset" and cmd == "POST":
		with app.lock:
			app.stats.clear()
		return h.send(200, app.stats_view())
	if path == "/faults" and cmd == "GET":
		with app.lock:
			return h.send(200, list(app.faults))
	if path == "/faults/clear" and cmd == "POST":
		with app.lock:
			app.faults.clear()
		return h.send(200, [])
	if path == "/faults" and cmd == "POST":
		d = _json(h)
		if not isinstance(d, (dict, list)):
			return h.send(400, {"error": "body must be a JSON object or array"})
		for spec in d if isinstance(d, list) else [d]:
			app.add_fault(spec)
		with app.lock:
			return h.send(200, {"faults": list(app.faults), "usage": app.usage})
	if path == "/ratelimit" and cmd == "GET":
		return h.send(200, dict(app.rate_headers()))
	if path in ("/revoke", "/expire", "/code") and cmd == "POST":
		ath = _athlete(h, srv)
		if ath is None:
			return h.send(404, {"error": "no such athlete"})
		if path == "/revoke":
			app.revoke(ath.id)
			athlete_event(srv, ath.id)
		elif path == "/expire":
			app.expire(ath.id)
		else:
			return h.send(200, {"code": app.new_code(ath.id, h._params.get("scope") or "read,activity:read_all,profile:read_all")})
		return h.send(200, {"athlete": ath.id})
	if path == "/event" and cmd == "POST":
		d = _json(h)
		if not isinstance(d, dict):
			return h.send(400, {"error": "body must be a JSON object"})
		return h.send(200, send_event(srv, d))
	if path == "/activity" and cmd == "POST":
		d = _json(h)
		ath = _athlete(h, srv) if not isinstance(d, dict) or "athlete" not in d else store.by_id.get(int(d["athlete"]))
		if not isinstance(d, dict) or ath is None:
			return h.send(400, {"error": "body must be a JSON object naming a known athlete"})
		try:
			p = add_activity(store, ath, d)
		except (KeyError, ValueError, TypeError) as e:
			return h.send(400, {"error": "bad activity: %s" % e})
		app.edits[str(p.id)] = {"added": d, "athlete": ath.id}
		app.save()
		ev = _notify(srv, d, p, "create", {})
		return h.send(200, {"activity": store.summary(p), "event": ev})
	m = re.fullmatch(r"/activity/(\d+)/(edit|delete)", path)
	if m and cmd == "POST":
		ath, p = store.find(int(m.group(1)))
		if p is None or p.deleted:
			return h.send(404, {"error": "no such activity"})
		d = _json(h) or {}
		if m.group(2) == "delete":
			delete_activity(store, ath, p)
			app.edits.setdefault(str(p.id), {})["deleted"] = True
			app.save()
			return h.send(200, {"deleted": p.id, "event": _notify(srv, d, p, "delete", {})})
		updates = edit_activity(p, d)
		app.edits.setdefault(str(p.id), {}).setdefault("edits", {}).update(p.edits)
		app.save()
		return h.send(200, {"activity": store.summary(p), "event": _notify(srv, d, p, "update", updates)})
	h.send(404, {"error": "unknown test endpoint %s %s" % (cmd, path)})


# --- activity edits -----------------------------------------------------------------

def _parse_time(v):
	if isinstance(v, (int, float)):
		return int(v)
	v = str(v).replace("Z", "+00:00")
	dt = datetime.datetime.fromisoformat(v)
	if dt.tzinfo is None:
		dt = dt.replace(tzinfo=datetime.timezone.utc)
	return int(dt.timestamp())


def add_activity(store, ath, d):
	start = _parse_time(d["start_date"])
	sport = d.get("sport") or d.get("sport_type") or "Run"
	duration = int(d.get("duration", 3600))
	if duration < 60 or duration > 36000:
		raise ValueError("duration must be 60..36000 s")
	day = datetime.datetime.fromtimestamp(start, datetime.timezone.utc).date()
	dd = (store.end_date - day).days
	manual = bool(d.get("manual")) or sport not in ("Run", "Ride", "VirtualRide")
	kind = "manual" if manual else {"Run": "easy", "Ride": "long_ride", "VirtualRide": "virtual"}[sport]
	rnd = random.Random(fs_plan.mix(ath.seed, "added", start))
	p = ath._plan(kind, start, dd, rnd)
	if manual:
		p.sport = sport
		p.manual_time = duration
		p.manual_dist = float(d.get("distance", round(duration * (2.7 if sport == "Run" else 1.2), -1)))
		p.gear_id = None if sport not in ("Run", "Ride") else p.gear_id
	else:
		inten = {"Run": 0.72, "Ride": 0.66, "VirtualRide": 0.7}[sport]
		p.program = [("t", duration, inten)]
		if "program" in d:
			p.program = _program(d["program"])
	if d.get("name"):
		p.name = str(d["name"])
	else:
		p.name = fs_plan._default_name(start, sport)
	if "private" in d:
		p.private = bool(d["private"])
	p.file_kind = "" if manual else p.file_kind
	ath.add(p)
	store.added.add(p.id)
	store.forget(p)
	return p


def _program(v):
	"""A workout given as [[seconds, intensity], ...] (intensity: a fraction of FTP or threshold speed)."""
	if not isinstance(v, list) or not v or len(v) > 100:
		raise ValueError("program must be a list of 1..100 [seconds, intensity] pairs")
	prog = []
	for step in v:
		if not isinstance(step, list) or len(step) != 2:
			raise ValueError("program step must be [seconds, intensity]")
		sec, inten = int(step[0]), float(step[1])
		if sec < 1 or sec > 36000 or not 0.0 <= inten <= 3.0:
			raise ValueError("program step out of range (1..36000 s, intensity 0..3)")
		prog.append(("t", sec, inten))
	if sum(s for _, s, _ in prog) > 36000:
		raise ValueError("program longer than 36000 s")
	return prog


def edit_activity(p, d):
	"""Apply edits; returns the webhook 'updates' hash."""
	updates = {}
	if "name" in d:
		p.edits["name"] = str(d["name"])
		updates["title"] = p.edits["name"]
	sport = d.get("sport_type") or d.get("sport") or d.get("type")
	if sport:
		p.edits["sport_type"] = p.edits["type"] = str(sport)
		updates["type"] = str(sport)
	if "private" in d:
		p.edits["private"] = bool(d["private"])
		updates["private"] = "true" if d["private"] else "false"
	if "description" in d:
		p.edits["description"] = d["description"]
	return updates


def delete_activity(store, ath, p):
	p.deleted = True
	ath.count_gear(p, -1)
	store.forget(p)


def replay(store, app):
	"""Re-apply the persisted additions, edits and deletions after a restart."""
	for sid, e in sorted(app.edits.items(), key=lambda kv: int(kv[0])):
		ath, p = store.find(int(sid))
		if p is None and "added" in e and e.get("athlete") in store.by_id:
			try:
				p = add_activity(store, store.by_id[e["athlete"]], e["added"])
				ath = store.by_id[e["athlete"]]
			except (KeyError, ValueError, TypeError):
				continue
		if p is None:
			continue
		if e.get("edits"):
			p.edits.update(e["edits"])
		if e.get("deleted"):
			delete_activity(store, ath, p)


# --- webhooks -------------------------------------------------------------------------

def verify_callback(url, verify_token):
	"""Strava's subscription check: GET the callback, expect the challenge echoed within 2 s."""
	challenge = secrets.token_hex(16)
	q = urllib.parse.urlencode({"hub.mode": "subscribe", "hub.verify_token": verify_token,
				    "hub.challenge": challenge})
	sep = "&" if "?" in url else "?"
	deadline = time.time() + 2.0
	try:
		with urllib.request.urlopen(url + sep + q, timeout=2.0) as r:
			body = r.read(65536)
			if r.status != 200 or time.time() > deadline:
				return False
		return json.loads(body).get("hub.challenge") == challenge
	except (urllib.error.URLError, OSError, ValueError, AttributeError):
		return False


def send_event(srv, d, retry_delay=0.5):
	sub = srv.app.subscription
	if not sub:
		return {"delivered": False, "attempts": 0, "reason": "no subscription"}
	ev = {"aspect_type": d.get("aspect_type", "update"), "event_time": int(d.get("event_time", time.time())),
	      "object_id": int(d.get("object_id", 0)), "object_type": d.get("object_type", "activity"),
	      "owner_id": int(d.get("owner_id", srv.store.athletes[0].id)), "subscription_id": sub["id"],
	      "updates": d.get("updates", {})}
	data = json.dumps(ev, separators=(",", ":")).encode()
	status = None
	for attempt in range(1, 4):
		req = urllib.request.Request(sub["callback_url"], data=data, method="POST",
					     headers={"Content-Type": "application/json"})
		try:
			with urllib.request.urlopen(req, timeout=2.0) as r:
				status = r.status
				r.read()
		except urllib.error.HTTPError as e:
			status = e.code
		except (urllib.error.URLError, OSError):
			status = None
		if status == 200:
			return {"delivered": True, "attempts": attempt, "status": 200, "event": ev}
		if attempt < 3:
			time.sleep(retry_delay)
	return {"delivered": False, "attempts": 3, "status": status, "event": ev}


def _notify(srv, d, p, aspect, updates):
	if d.get("notify") is False or not srv.app.subscription:
		return None
	return send_event(srv, {"aspect_type": aspect, "object_id": p.id, "object_type": "activity",
				"owner_id": p.athlete, "updates": updates})


def athlete_event(srv, aid):
	if srv.app.subscription:
		return send_event(srv, {"aspect_type": "update", "object_id": aid, "object_type": "athlete",
					"owner_id": aid, "updates": {"authorized": "false"}})
	return None
