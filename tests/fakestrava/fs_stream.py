# fs_stream.py: 1 Hz streams of one planned activity (deterministic from its seed), with lap marks
import math
import random

import fs_geo

KEYS = ("time", "distance", "latlng", "altitude", "velocity_smooth", "heartrate", "cadence",
	"watts", "temp", "moving", "grade_smooth")

_MASS = 78.0  # rider and bike, kg
_CRR = 0.004
_B = 0.5 * 1.2 * 0.32  # half rho CdA
_NZ_MASK = 8191
_rn = random.Random(20240611)
NOISE = [_rn.gauss(0.0, 1.0) for _ in range(_NZ_MASK + 1)]  # shared standard-normal table


def route_of(plan):
	if plan.route == "commute_out":
		return fs_geo.COMMUTE_OUT
	if plan.route == "commute_back":
		return fs_geo.COMMUTE_BACK
	return fs_geo.RUN_ROUTES.get(plan.route) or fs_geo.RIDE_ROUTES.get(plan.route)


def _ride_speed(p, grade, v):
	"""Steady speed (m/s) at power p (W) on a grade (%), by Newton from the last speed."""
	a = _MASS * 9.81 * (_CRR + grade / 100.0)
	v = max(v, 3.0)
	for _ in range(4):
		fp = 3.0 * _B * v * v + a
		if fp < 0.5:
			v = v * 1.5 + 1.0
			continue
		v -= (_B * v * v * v + a * v - p) / fp
		if v < 0.5:
			v = 0.5
	return min(v, 17.5)


def _temp_base(plan):
	import datetime
	t = plan.start + fs_geo.utc_offset(plan.start)
	dt = datetime.datetime.fromtimestamp(t, datetime.timezone.utc)
	doy = dt.timetuple().tm_yday
	hour = dt.hour + dt.minute / 60.0
	return 11.0 + 11.0 * math.sin(2 * math.pi * (doy - 110) / 365.0) + 3.0 * math.sin(
		2 * math.pi * (hour - 9) / 24.0)


def simulate(plan, prm):
	"""Streams as dict key -> list (only the keys the activity has), plus lap start indexes."""
	rnd = random.Random(plan.seed)
	NZ = NOISE
	j = rnd.randrange(_NZ_MASK + 1)
	ride = plan.sport in ("Ride", "VirtualRide")
	indoor = plan.trainer
	route = None if indoor else route_of(plan)
	power = ride and not plan.commute
	has_hr = not plan.no_hr
	ftp, vthr = prm["ftp"], prm["vthr"]
	hr_rest, lthr, hr_max = prm["hr_rest"], prm["lthr"], prm["hr_max"]
	temp0 = _temp_base(plan)
	# Stops: short standstills (moving=false) at some distances, one auto-paused
	# break (a gap in time) on long rides.
	stops = []
	total = sum(a for m, a, _ in plan.program if m == "d") or 10000.0
	nstops = rnd.randint(2, 5) if plan.commute else rnd.randint(0, 2)
	for _ in range(nstops):
		stops.append((rnd.uniform(0.1, 0.9) * total, rnd.randint(8, 45)))
	stops.sort()
	pause_at = total * rnd.uniform(0.45, 0.6) if (ride and total > 50000 and not indoor) else -1.0
	pause_len = rnd.randint(600, 1500)

	T, D, LL, ALT, V, HR, CAD, W, TMP, MOV, GR = ([] for _ in range(11))
	laps = [0]
	if route is not None:
		rlat, rlon, rcum, ralt, rgr, rlen = (route.lat, route.lon, route.cum, route.alt,
						     route.grade, route.length)
		nv = len(rcum)
	t = 0
	s = 0.0
	v = 0.0
	vss = 4.0
	hr = hr_rest + 35.0 + rnd.uniform(-5, 5)
	ps = 0.0  # smoothed power for the HR response
	ptr = 0
	base = 0.0  # distance at the start of the current route lap
	seg = 0
	seg_t0, seg_s0 = 0, 0.0
	stop_i, stop_left = 0, 0
	prog = plan.program
	drift = 0.0
	while True:
		mode, amount, inten = prog[seg]
		if (mode == "t" and t - seg_t0 >= amount) or (mode == "d" and s - seg_s0 >= amount):
			seg += 1
			if seg >= len(prog):
				break
			seg_t0, seg_s0 = t, s
			laps.append(len(T))
			mode, amount, inten = prog[seg]
		# where on the route
		if route is not None:
			pos = s - base
			if pos >= rlen:
				if route.loop:
					base += rlen
					pos -= rlen
					ptr = 0
				else:
					pos = rlen
			while ptr < nv - 2 and rcum[ptr + 1] <= pos:
				ptr += 1
			c0 = rcum[ptr]
			seglen = rcum[ptr + 1] - c0
			f = (pos - c0) / seglen if seglen > 0 else 0.0
			if f > 1.0:
				f = 1.0
			lat = rlat[ptr] + (rlat[ptr + 1] - rlat[ptr]) * f
			lon = rlon[ptr] + (rlon[ptr + 1] - rlon[ptr]) * f
			alt = ralt[ptr] + (ralt[ptr + 1] - ralt[ptr]) * f
			grade = rgr[ptr]
		else:
			grade = 0.0
		# effort, speed, power
		moving = True
		watts = 0.0
		if stop_left > 0:
			stop_left -= 1
			v = 0.0
			moving = False
			eff = 0.0
		else:
			if stop_i < len(stops) and s >= stops[stop_i][0] and t > 30:
				stop_left = stops[stop_i][1]
				stop_i += 1
			if ride:
				target = ftp * inten
				if grade > 0.0:
					target *= 1.0 + 0.045 * min(grade, 10.0)
				elif grade < -2.0:
					target *= max(0.0, 1.0 + (grade + 2.0) / 4.0)
				j += 1
				watts = max(0.0, target * (1.0 + 0.09 * NZ[j & 8191]))
				if watts < 25.0 and target > 0.0 and NZ[(j + 4099) & 8191] > 1.4:
					watts = 0.0
				vss = _ride_speed(watts, grade, vss)
				v += (vss - v) * 0.1
				ps += (watts - ps) * 0.05
				eff = ps / ftp
			else:
				fac = 1.0 + 0.033 * grade if grade > 0 else max(0.8, 1.0 + 0.017 * grade)
				vt = vthr * inten / fac
				j += 1
				v += (vt - v) * 0.2 + 0.06 * NZ[j & 8191]
				if v < 0.8:
					v = 0.8
				eff = v * fac / vthr
		# heart rate: first-order response towards a target set by effort
		if moving:
			drift += eff / 600.0
			tgt = lthr - (1.0 - eff) * 107.0 + drift
			if tgt < 95.0:
				tgt = 95.0
		else:
			tgt = 100.0
		if tgt > hr_max:
			tgt = hr_max
		hr += (tgt - hr) / (28.0 if tgt > hr else 45.0)
		# record the sample
		j += 3
		T.append(t)
		D.append(round(s, 1))
		V.append(round(v, 3))
		MOV.append(moving)
		if route is not None:
			# GPS error drifts slowly (about 1.3 m, correlated over ~30 s) as a
			# real receiver's does; white noise per second would add path
			# length that no device records.
			k, fr = divmod(len(T), 30)
			fr /= 30.0
			elat = NZ[k & 8191] * (1.0 - fr) + NZ[(k + 1) & 8191] * fr
			elon = NZ[(k + 4099) & 8191] * (1.0 - fr) + NZ[(k + 4100) & 8191] * fr
			LL.append([round(lat + 0.000012 * elat, 6), round(lon + 0.000016 * elon, 6)])
			ALT.append(round(alt, 1))
			GR.append(round(grade, 1))
		if has_hr:
			HR.append(int(round(hr + 0.7 * NZ[(j + 2) & 8191])))
		if ride:
			cad = 0 if (watts <= 0.0 or not moving) else int(round(86 + 8 * (eff - 0.7) - min(grade, 8) + 2.0 * NZ[(j + 3) & 8191]))
		else:
			cad = int(round(78 + 3.2 * v + NZ[(j + 3) & 8191])) if moving else 0
		CAD.append(cad)
		if power:
			W.append(int(round(watts)))
		if not indoor:
			TMP.append(int(round(temp0 + t / 3600.0 * 0.8)))
		# advance
		s += v
		t += 1
		if pause_at > 0 and s >= pause_at:
			pause_at = -1.0
			t += pause_len
			hr = hr_rest + 25.0 + (hr - hr_rest - 25.0) * math.exp(-pause_len / 120.0)
		if t > 40000:
			break
	out = {"time": T, "distance": D}
	if route is not None:
		out["latlng"] = LL
		out["altitude"] = ALT
	out["velocity_smooth"] = V
	if has_hr:
		out["heartrate"] = HR
	out["cadence"] = CAD
	if power:
		out["watts"] = W
	if not indoor:
		out["temp"] = TMP
	out["moving"] = MOV
	if route is not None:
		out["grade_smooth"] = GR
	return out, laps
