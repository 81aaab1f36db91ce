# fs_geo.py: the fake Strava's geography: Ljubljana routes, terrain, polylines, the local time zone
import datetime
import math

HOME = (46.0440, 14.4990)  # Trnovo, Ljubljana
M_PER_DEG_LAT = 111320.0
M_PER_DEG_LON = 111320.0 * math.cos(math.radians(HOME[0]))
TIMEZONE = "(GMT+01:00) Europe/Ljubljana"
CITY = ("Ljubljana", "Ljubljana", "Slovenia")

# Hills as Gaussian bumps over the Ljubljana basin: (lat, lon, height m, sigma m).
_BASE_ALT = 292.0
_HILLS = (
	(46.0547, 14.4770, 100.0, 500.0),   # Rožnik
	(46.0487, 14.5083, 40.0, 260.0),    # castle hill
	(46.0420, 14.5380, 110.0, 700.0),   # Golovec
	(46.1280, 14.4660, 370.0, 900.0),   # Šmarna gora
	(46.0800, 14.3300, 330.0, 4000.0),  # Polhov Gradec hills
	(46.1350, 14.5180, 300.0, 1200.0),  # Rašica
	(45.9300, 14.4600, 250.0, 3500.0),  # Krim foothills
	(46.2400, 14.3550, 90.0, 12000.0),  # Kranj plateau
)

# Waypoints of each route; loops end where they start. Densified with gentle
# bends so that they read like roads and paths, not straight lines.
_RUN_ROUTES = {
	"rožnik": [HOME, (46.0478, 14.4965), (46.0545, 14.4975), (46.0560, 14.4900),
		   (46.0555, 14.4830), (46.0547, 14.4760), (46.0500, 14.4780),
		   (46.0470, 14.4860), (46.0450, 14.4930), HOME],
	"ljubljanica": [HOME, (46.0465, 14.5030), (46.0505, 14.5040), (46.0520, 14.5130),
			(46.0545, 14.5200), (46.0560, 14.5260), (46.0535, 14.5275),
			(46.0510, 14.5180), (46.0470, 14.5125), (46.0440, 14.5060), HOME],
	"golovec": [HOME, (46.0430, 14.5100), (46.0440, 14.5200), (46.0420, 14.5290),
		    (46.0440, 14.5380), (46.0395, 14.5450), (46.0340, 14.5360),
		    (46.0360, 14.5220), (46.0380, 14.5100), HOME],
	"city": [HOME, (46.0545, 14.4975), (46.0700, 14.4900), (46.0720, 14.5120),
		 (46.0650, 14.5300), (46.0530, 14.5330), (46.0450, 14.5400),
		 (46.0360, 14.5300), (46.0330, 14.5100), (46.0300, 14.4950), HOME],
}
_RIDE_ROUTES = {
	"polhov gradec": [HOME, (46.0480, 14.4700), (46.0500, 14.4150), (46.0560, 14.3600),
			  (46.0650, 14.3100), (46.0850, 14.3250), (46.1000, 14.3500),
			  (46.1400, 14.4100), (46.1000, 14.4650), (46.0700, 14.4900), HOME],
	"barje": [HOME, (46.0300, 14.4900), (45.9600, 14.5280), (45.9350, 14.5100),
		  (45.9700, 14.4850), (45.9700, 14.4200), (45.9650, 14.2950),
		  (45.9950, 14.3600), (46.0050, 14.4000), (46.0300, 14.4200), HOME],
	"medvode": [HOME, (46.0700, 14.4900), (46.1150, 14.4600), (46.1400, 14.4100),
		    (46.1650, 14.4100), (46.1700, 14.4500), (46.1350, 14.5000),
		    (46.1000, 14.5300), (46.0720, 14.5120), HOME],
	"kranj": [HOME, (46.0500, 14.4150), (46.0650, 14.3100), (46.1100, 14.3000),
		  (46.1650, 14.3060), (46.2400, 14.3550), (46.1900, 14.4200),
		  (46.1400, 14.4100), (46.1150, 14.4600), (46.0700, 14.4900), HOME],
}
_COMMUTE = [HOME, (46.0480, 14.5050), (46.0560, 14.5150), (46.0620, 14.5300),
	    (46.0660, 14.5440)]

STEP_M = 15.0


def terrain(lat, lon):
	"""Altitude in metres of a point (a smooth, made-up but plausible surface)."""
	alt = _BASE_ALT
	for hlat, hlon, h, sig in _HILLS:
		dy = (lat - hlat) * M_PER_DEG_LAT
		dx = (lon - hlon) * M_PER_DEG_LON
		r2 = dx * dx + dy * dy
		if r2 < 25.0 * sig * sig:
			alt += h * math.exp(-r2 / (2.0 * sig * sig))
	return alt


class Route:
	"""A densified path: per-vertex cumulative distance, position, altitude, grade."""

	def __init__(self, name, waypoints, loop):
		self.name = name
		self.loop = loop
		lat, lon = [], []
		for k in range(len(waypoints) - 1):
			(a0, o0), (a1, o1) = waypoints[k], waypoints[k + 1]
			dy = (a1 - a0) * M_PER_DEG_LAT
			dx = (o1 - o0) * M_PER_DEG_LON
			seg = math.hypot(dx, dy)
			n = max(1, int(seg / STEP_M))
			px, py = -dy / seg, dx / seg  # unit normal, metres
			amp = 18.0 + 7.0 * math.sin(k * 1.7)
			wave = 350.0 + 120.0 * math.cos(k * 2.3)
			for i in range(n):
				f = i / n
				s = f * seg
				off = amp * math.sin(2 * math.pi * s / wave) * math.sin(math.pi * f)
				lat.append(a0 + (a1 - a0) * f + off * py / M_PER_DEG_LAT)
				lon.append(o0 + (o1 - o0) * f + off * px / M_PER_DEG_LON)
		lat.append(waypoints[-1][0])
		lon.append(waypoints[-1][1])
		cum = [0.0]
		for i in range(1, len(lat)):
			dy = (lat[i] - lat[i - 1]) * M_PER_DEG_LAT
			dx = (lon[i] - lon[i - 1]) * M_PER_DEG_LON
			cum.append(cum[-1] + math.hypot(dx, dy))
		alt = [terrain(a, o) for a, o in zip(lat, lon)]
		n = len(lat)
		raw = [0.0] * n
		for i in range(n - 1):
			d = cum[i + 1] - cum[i]
			raw[i] = (alt[i + 1] - alt[i]) / d * 100.0 if d > 0.1 else 0.0
		raw[n - 1] = raw[n - 2] if n > 1 else 0.0
		grade = []
		for i in range(n):
			lo, hi = max(0, i - 4), min(n, i + 5)
			grade.append(sum(raw[lo:hi]) / (hi - lo))
		self.lat, self.lon, self.cum, self.alt, self.grade = lat, lon, cum, alt, grade
		self.length = cum[-1]


RUN_ROUTES = {k: Route(k, v, True) for k, v in _RUN_ROUTES.items()}
RIDE_ROUTES = {k: Route(k, v, True) for k, v in _RIDE_ROUTES.items()}
COMMUTE_OUT = Route("commute out", _COMMUTE, False)
COMMUTE_BACK = Route("commute back", list(reversed(_COMMUTE)), False)


def _enc_value(v, out):
	v = ~(v << 1) if v < 0 else (v << 1)
	while v >= 0x20:
		out.append(chr((0x20 | (v & 0x1F)) + 63))
		v >>= 5
	out.append(chr(v + 63))


def polyline_encode(points, precision=5):
	"""Google encoded polyline of [(lat, lon), ...]."""
	f = 10 ** precision
	out = []
	plat = plon = 0
	for lat, lon in points:
		ilat, ilon = int(round(lat * f)), int(round(lon * f))
		_enc_value(ilat - plat, out)
		_enc_value(ilon - plon, out)
		plat, plon = ilat, ilon
	return "".join(out)


def polyline_decode(s, precision=5):
	pts, i, lat, lon = [], 0, 0, 0
	while i < len(s):
		vals = []
		for _ in range(2):
			shift = res = 0
			while True:
				b = ord(s[i]) - 63
				i += 1
				res |= (b & 0x1F) << shift
				shift += 5
				if b < 0x20:
					break
			vals.append(~(res >> 1) if res & 1 else res >> 1)
		lat += vals[0]
		lon += vals[1]
		pts.append((lat / 10 ** precision, lon / 10 ** precision))
	return pts


def _last_sunday(year, month):
	d = datetime.date(year, month, 31)
	return d - datetime.timedelta(days=(d.weekday() + 1) % 7)


def utc_offset(ts):
	"""Seconds east of UTC in Ljubljana at the epoch second ts (CET/CEST rules)."""
	dt = datetime.datetime.fromtimestamp(ts, datetime.timezone.utc)
	y = dt.year
	start = datetime.datetime.combine(_last_sunday(y, 3), datetime.time(1), datetime.timezone.utc)
	end = datetime.datetime.combine(_last_sunday(y, 10), datetime.time(1), datetime.timezone.utc)
	return 7200 if start <= dt < end else 3600


def local_to_utc(date, hh, mm, ss):
	"""Epoch second of a Ljubljana wall-clock time on a date."""
	naive = datetime.datetime(date.year, date.month, date.day, hh, mm, ss, tzinfo=datetime.timezone.utc)
	ts = int(naive.timestamp()) - 3600
	return int(naive.timestamp()) - utc_offset(ts)


def iso(ts):
	return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
