# fs_summary.py: activity summaries and details computed from the streams, athlete/zones/gear payloads
import fs_geo

BEST = ((400, "400m"), (805, "1/2 mile"), (1000, "1K"), (1609, "1 mile"), (3219, "2 mile"),
	(5000, "5K"), (10000, "10K"), (15000, "15K"), (16093, "10 mile"), (20000, "20K"),
	(21097, "Half-Marathon"), (30000, "30K"), (42195, "Marathon"))


def hr_zone_bounds(ath):
	l = ath.lthr
	return [int(l * 0.81), int(l * 0.89), int(l * 0.93), int(l * 0.99)]


def _np(w):
	if len(w) < 30:
		return sum(w) / len(w) if w else 0.0
	acc = float(sum(w[:30]))
	tot, n = (acc / 30.0) ** 4, 1
	for i in range(30, len(w)):
		acc += w[i] - w[i - 30]
		tot += (acc / 30.0) ** 4
		n += 1
	return (tot / n) ** 0.25


def _moving_flags(T, MOV):
	"""Per sample: does it add one second of moving time."""
	out = [False] * len(T)
	for i in range(1, len(T)):
		out[i] = MOV[i] and T[i] - T[i - 1] == 1
	return out


def stats(plan, ath, st):
	"""The numbers of a summary, from the streams (or the plan, for a manual activity). JSON-able."""
	if st is None:
		dist = float(plan.manual_dist)
		return {"distance": dist, "moving_time": plan.manual_time, "elapsed_time": plan.manual_time,
			"gain": 0.0, "avg_speed": round(dist / plan.manual_time, 3), "max_speed": 0.0}
	T, D, V, MOV = st["time"], st["distance"], st["velocity_smooth"], st["moving"]
	n = len(T)
	mf = _moving_flags(T, MOV)
	mt = sum(mf)
	s = {"distance": D[-1], "moving_time": mt, "elapsed_time": T[-1],
	     "avg_speed": round(D[-1] / mt, 3) if mt else 0.0, "max_speed": max(V)}
	alt = st.get("altitude")
	if alt:
		gain = 0.0
		for i in range(1, n):
			if alt[i] > alt[i - 1]:
				gain += alt[i] - alt[i - 1]
		s["gain"] = round(gain, 1)
		s["elev_high"], s["elev_low"] = max(alt), min(alt)
		ll = st["latlng"]
		s["start_latlng"], s["end_latlng"] = ll[0], ll[-1]
		step = max(1, n // 250)
		pts = ll[::step]
		if pts[-1] is not ll[-1]:
			pts.append(ll[-1])
		s["summary_polyline"] = fs_geo.polyline_encode(pts)
	else:
		s["gain"] = 0.0
	cad = [c for c, m in zip(st["cadence"], MOV) if m and c > 0]
	if cad:
		s["avg_cadence"] = round(sum(cad) / len(cad), 1)
	if "temp" in st:
		s["avg_temp"] = int(round(sum(st["temp"]) / n))
	hr = st.get("heartrate")
	if hr:
		s["avg_hr"] = round(sum(hr) / n, 1)
		s["max_hr"] = float(max(hr))
		b = hr_zone_bounds(ath)
		w = (12.0, 24.0, 45.0, 100.0, 120.0)
		score = 0.0
		for h in hr:
			z = 0 if h < b[0] else 1 if h < b[1] else 2 if h < b[2] else 3 if h < b[3] else 4
			score += w[z]
		s["suffer_score"] = float(round(score / 3600.0))
	wt = st.get("watts")
	if wt:
		mw = [x for x, m in zip(wt, MOV) if m]
		s["avg_watts"] = round(sum(mw) / len(mw), 1) if mw else 0.0
		s["max_watts"] = max(wt)
		s["np"] = int(round(_np(wt)))
		s["kj"] = round(sum(wt) / 1000.0, 1)
	return s


def _base(plan, ath, rs):
	return {"resource_state": rs, "athlete": {"id": ath.id, "resource_state": 1}}


def summary(plan, ath, s, rs=2):
	"""A SummaryActivity with the field set and order of real 2025 list answers."""
	off = fs_geo.utc_offset(plan.start)
	manual = plan.manual
	has_map = "summary_polyline" in s
	ed = plan.edits
	sport = ed.get("sport_type", plan.sport)
	private = ed.get("private", plan.private)
	a = _base(plan, ath, rs)
	a.update({
		"name": ed.get("name", plan.name), "distance": s["distance"], "moving_time": s["moving_time"],
		"elapsed_time": s["elapsed_time"], "total_elevation_gain": s["gain"],
		"type": ed.get("type", sport), "sport_type": sport, "workout_type": plan.workout_type,
		"id": plan.id, "start_date": fs_geo.iso(plan.start),
		"start_date_local": fs_geo.iso(plan.start + off), "timezone": fs_geo.TIMEZONE,
		"utc_offset": float(off), "location_city": None, "location_state": None,
		"location_country": None, "achievement_count": plan.seed % 4 if not manual else 0,
		"kudos_count": plan.seed % 13, "comment_count": plan.seed % 3 if plan.workout_type in (1, 11) else 0,
		"athlete_count": 1 + (plan.seed % 40 if plan.workout_type in (1, 11) else 0),
		"photo_count": 0,
		"map": {"id": "a%d" % plan.id, "summary_polyline": s.get("summary_polyline", ""),
			"resource_state": 2},
		"device_name": plan.device,
		"trainer": plan.trainer, "commute": plan.commute, "manual": manual,
		"private": private, "visibility": "only_me" if private else "everyone",
		"flagged": False, "gear_id": plan.gear_id,
		"start_latlng": s["start_latlng"] if has_map else [],
		"end_latlng": s["end_latlng"] if has_map else [],
		"average_speed": s["avg_speed"], "max_speed": s["max_speed"],
	})
	if plan.device is None:
		del a["device_name"]
	if "avg_cadence" in s:
		a["average_cadence"] = s["avg_cadence"]
	if "avg_temp" in s:
		a["average_temp"] = s["avg_temp"]
	if "avg_watts" in s:
		a["average_watts"] = s["avg_watts"]
		a["max_watts"] = s["max_watts"]
		a["weighted_average_watts"] = s["np"]
		a["kilojoules"] = s["kj"]
		a["device_watts"] = True
	a["has_heartrate"] = "avg_hr" in s
	if "avg_hr" in s:
		a["average_heartrate"] = s["avg_hr"]
		a["max_heartrate"] = s["max_hr"]
	a["heartrate_opt_out"] = False
	a["display_hide_heartrate_option"] = "avg_hr" in s
	if "elev_high" in s:
		a["elev_high"] = s["elev_high"]
		a["elev_low"] = s["elev_low"]
	upload = None if manual else plan.id + 1054321234
	a.update({"upload_id": upload, "upload_id_str": None if manual else str(upload),
		  "external_id": None if manual else "garmin_ping_%d" % (plan.seed % 10 ** 12),
		  "from_accepted_tag": False, "pr_count": plan.seed % 3 if not manual else 0,
		  "total_photo_count": 0, "has_kudoed": False,
		  "suffer_score": s.get("suffer_score")})
	return a


def _pace_zone(speed, vthr):
	r = speed / vthr if vthr else 0
	return 1 if r < 0.78 else 2 if r < 0.88 else 3 if r < 0.94 else 4 if r < 1.01 else 5 if r < 1.06 else 6


def _range_stats(st, mf, i, j):
	T, D = st["time"], st["distance"]
	mt = sum(mf[i + 1:j + 1])
	out = {"distance": round(D[j] - D[i], 1), "elapsed_time": T[j] - T[i], "moving_time": mt}
	out["average_speed"] = round(out["distance"] / mt, 2) if mt else 0.0
	hr = st.get("heartrate")
	if hr:
		out["average_heartrate"] = sum(hr[i:j + 1]) / (j + 1 - i)
		out["max_heartrate"] = float(max(hr[i:j + 1]))
	return out


def _splits(st, mf, unit, vthr):
	D, alt = st["distance"], st.get("altitude")
	out, i, k = [], 0, 1
	n = len(D)
	while i < n - 1:
		j = i
		while j < n - 1 and D[j] < unit * k:
			j += 1
		r = _range_stats(st, mf, i, j)
		sp = {"distance": r["distance"], "elapsed_time": r["elapsed_time"],
		      "elevation_difference": round(alt[j] - alt[i], 1) if alt else 0.0,
		      "moving_time": r["moving_time"], "split": k, "average_speed": r["average_speed"],
		      "average_grade_adjusted_speed": r["average_speed"]}
		if "average_heartrate" in r:
			sp["average_heartrate"] = r["average_heartrate"]
		sp["pace_zone"] = _pace_zone(r["average_speed"], vthr)
		out.append(sp)
		i, k = j, k + 1
	return out


def _ref(plan, ath, name, nid, st, i, j, extra):
	e = {"id": nid, "resource_state": 2, "name": name,
	     "activity": {"id": plan.id, "visibility": "only_me" if plan.private else "everyone",
			  "resource_state": 1},
	     "athlete": {"id": ath.id, "resource_state": 1}}
	r = _range_stats(st, [False] + [True] * (len(st["time"]) - 1), i, j)
	t0 = plan.start + st["time"][i]
	off = fs_geo.utc_offset(plan.start)
	e.update({"elapsed_time": r["elapsed_time"], "moving_time": r["elapsed_time"],
		  "start_date": fs_geo.iso(t0), "start_date_local": fs_geo.iso(t0 + off),
		  "distance": r["distance"]})
	e.update(extra(r))
	e["start_index"], e["end_index"] = i, j
	return e


def detail(plan, ath, s, st, laps):
	"""A DetailedActivity: the summary plus description, laps, splits, best efforts, gear."""
	a = summary(plan, ath, s, rs=3)
	prm = ath.params(plan.d)
	a["map"] = {"id": "a%d" % plan.id, "polyline": "", "resource_state": 3,
		    "summary_polyline": a["map"]["summary_polyline"]}
	if st is not None and "latlng" in st:
		ll = st["latlng"]
		a["map"]["polyline"] = fs_geo.polyline_encode(ll[::max(1, len(ll) // 3000)])
	cal = s.get("kj") or (ath.weight * s["distance"] / 1000.0 * 1.036)
	a.update({"description": plan.edits.get("description", plan.description), "calories": float(round(cal, 1)),
		  "perceived_exertion": None, "prefer_perceived_exertion": None,
		  "segment_efforts": []})
	if st is not None and st["distance"][-1] > 0:
		mf = _moving_flags(st["time"], st["moving"])
		a["splits_metric"] = _splits(st, mf, 1000.0, prm["vthr"])
		a["splits_standard"] = _splits(st, mf, 1609.34, prm["vthr"])
		lap_list = []
		bounds = list(laps) + [len(st["time"]) - 1]
		for k in range(len(bounds) - 1):
			i, j = bounds[k], bounds[k + 1]
			if j <= i:
				continue
			def lap_extra(r, i=i, j=j, k=k):
				x = {"average_speed": r["average_speed"],
				     "max_speed": max(st["velocity_smooth"][i:j + 1]),
				     "lap_index": k + 1, "split": k + 1}
				return x
			lap = _ref(plan, ath, "Lap %d" % (k + 1), plan.id % 10 ** 9 * 100 + k, st, i, j, lap_extra)
			lap["moving_time"] = sum(mf[i + 1:j + 1])
			alt = st.get("altitude")
			g = 0.0
			if alt:
				for q in range(i + 1, j + 1):
					if alt[q] > alt[q - 1]:
						g += alt[q] - alt[q - 1]
			lap["total_elevation_gain"] = round(g, 1)
			if "watts" in st:
				w = st["watts"][i:j + 1]
				lap["average_watts"] = round(sum(w) / len(w), 1)
			lap["device_watts"] = "watts" in st
			if "heartrate" in st:
				h = st["heartrate"][i:j + 1]
				lap["average_heartrate"] = round(sum(h) / len(h), 1)
				lap["max_heartrate"] = float(max(h))
			if plan.sport == "Run":
				lap["pace_zone"] = _pace_zone(lap["average_speed"], prm["vthr"])
			lap_list.append(lap)
		a["laps"] = lap_list
		if plan.sport == "Run":
			a["best_efforts"] = _best_efforts(plan, ath, st)
	else:
		a["splits_metric"], a["splits_standard"], a["laps"] = [], [], []
	if plan.gear_id:
		g = gear_summary(ath, plan.gear_id)
		if g:
			a["gear"] = g
	a["photos"] = {"primary": None, "use_primary_photo": False, "count": 0}
	a["stats_visibility"] = [{"type": t, "visibility": "everyone"}
				 for t in ("heart_rate", "pace", "power", "speed", "calories")]
	a["hide_from_home"] = False
	if plan.device:
		a["device_name"] = plan.device
	a["embed_token"] = "%040x" % (plan.seed * 2654435761 % (1 << 160))
	a["available_zones"] = (["heartrate"] if "avg_hr" in s else []) + (
		["power"] if "avg_watts" in s else ["pace"] if plan.sport == "Run" else [])
	return a


def _best_efforts(plan, ath, st):
	T, D = st["time"], st["distance"]
	n = len(T)
	out = []
	for k, (dist, name) in enumerate(BEST):
		if D[-1] < dist:
			break
		best, bi, bj = None, 0, 0
		j = 0
		for i in range(n):
			while j < n and D[j] - D[i] < dist:
				j += 1
			if j >= n:
				break
			if best is None or T[j] - T[i] < best:
				best, bi, bj = T[j] - T[i], i, j
		if best is None:
			break
		e = _ref(plan, ath, name, plan.id % 10 ** 9 * 100 + 50 + k, st, bi, bj,
			 lambda r: {})
		e["distance"] = dist
		e["pr_rank"] = None
		e["achievements"] = []
		out.append(e)
	return out


# --- athlete, zones, gear ---------------------------------------------------

def gear_summary(ath, gid):
	for g in ath.bikes + ath.shoes:
		if g["id"] == gid:
			d = ath.gear_distance.get(gid, 0.0)
			return {"id": gid, "primary": g["primary"], "name": g["name"],
				"nickname": g["name"], "resource_state": 2, "retired": g.get("retired", False),
				"distance": int(d), "converted_distance": round(d / 1000.0, 1)}
	return None


def gear_detail(ath, gid):
	g = gear_summary(ath, gid)
	if g is None:
		return None
	src = next(x for x in ath.bikes + ath.shoes if x["id"] == gid)
	g["resource_state"] = 3
	g["brand_name"] = src["brand_name"]
	g["model_name"] = src["model_name"]
	if gid.startswith("b"):
		g["frame_type"] = src["frame_type"]
		g["description"] = src["description"]
		g["weight"] = src["weight"]
	else:
		g["description"] = ""
		g["notification_distance"] = 0
	return g


def athlete(ath, detailed):
	a = {"id": ath.id, "username": ("%s%s" % (ath.firstname, ath.lastname)).lower().replace("č", "c").replace("š", "s"),
	     "resource_state": 3 if detailed else 2, "firstname": ath.firstname,
	     "lastname": ath.lastname, "bio": "Runs and rides around Ljubljana." if detailed else None,
	     "city": "Ljubljana", "state": "Ljubljana", "country": "Slovenia", "sex": ath.sex,
	     "premium": True, "summit": True, "created_at": ath.created.strftime("%Y-%m-%dT%H:%M:%SZ"),
	     "updated_at": fs_geo.iso(ath.updated), "badge_type_id": 1, "weight": ath.weight,
	     "profile_medium": "avatar/athlete/medium.png", "profile": "avatar/athlete/large.png",
	     "friend": None, "follower": None}
	if not detailed:
		del a["bio"]
		return a
	a.update({"blocked": False, "can_follow": True, "follower_count": 12 + ath.index,
		  "friend_count": 20 + ath.index, "mutual_friend_count": 0, "athlete_type": 1,
		  "date_preference": "%d/%m/%Y", "measurement_preference": "meters", "clubs": [],
		  "postable_clubs_count": 0, "ftp": ath.ftp_now(),
		  "bikes": [gear_summary(ath, g["id"]) for g in ath.bikes],
		  "shoes": [gear_summary(ath, g["id"]) for g in ath.shoes]})
	return a


def zones(ath):
	b = hr_zone_bounds(ath)
	hz = [{"min": 0, "max": b[0]}] + [{"min": b[k], "max": b[k + 1]} for k in range(3)] + [
		{"min": b[3], "max": -1}]
	ftp = ath.ftp_now()
	pct = (0.55, 0.75, 0.90, 1.05, 1.20, 1.50)
	pz = [{"min": 0, "max": int(ftp * pct[0])}]
	for k in range(1, len(pct)):
		pz.append({"min": int(ftp * pct[k - 1]) + 1, "max": int(ftp * pct[k])})
	pz.append({"min": int(ftp * pct[-1]) + 1, "max": -1})
	return {"heart_rate": {"custom_zones": True, "zones": hz}, "power": {"zones": pz}}
