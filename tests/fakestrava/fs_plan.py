# fs_plan.py: the demo athletes and their training calendar (cheap plans; streams come later, lazily)
import datetime
import hashlib
import random

import fs_geo

FIRST_ATHLETE_ID = 1001

_NAMES = (("Maja", "Kovač", "F"), ("Luka", "Novak", "M"), ("Nina", "Horvat", "F"),
	  ("Jan", "Krajnc", "M"), ("Eva", "Zupan", "F"), ("Tim", "Potočnik", "M"))

RACES = ((34, "marathon"), (90, "half"), (150, "10k"), (250, "fondo"))
INJURY = (430, 500)  # days before the end: almost no training, fitness drops


def mix(*parts):
	"""A stable 63-bit integer from any parts (no Python hash randomisation)."""
	h = hashlib.blake2b(repr(parts).encode(), digest_size=8).digest()
	return int.from_bytes(h, "big") >> 1


def fitness(d):
	"""Relative fitness d days before the end: improving over the years, with a detraining dip."""
	import math
	f = 1.0 - 0.14 * (1.0 - math.exp(-d / 900.0))
	lo, hi = INJURY
	if lo - 70 <= d <= hi:
		f -= 0.07 * ((hi - d) / (hi - lo) if d >= lo else (d - (lo - 70)) / 70.0)
	return f


class Plan:
	"""One activity as planned: enough to regenerate its streams and summary deterministically."""
	__slots__ = ("id", "athlete", "start", "d", "sport", "kind", "name", "route", "program",
		     "no_hr", "manual", "private", "commute", "trainer", "gear_id", "workout_type",
		     "seed", "description", "deleted", "device", "manual_dist", "manual_time",
		     "file_kind", "edits")

	def __init__(self, **kw):
		for k in self.__slots__:
			setattr(self, k, kw.get(k))
		self.deleted = False
		self.edits = {}

	@property
	def sport_type(self):
		return self.sport


def _default_name(start, sport):
	hh = (start + fs_geo.utc_offset(start)) // 3600 % 24
	part = ("Morning" if 4 <= hh < 11 else "Lunch" if hh < 14 else "Afternoon" if hh < 18
		else "Evening" if hh < 22 else "Night")
	word = {"Run": "Run", "Ride": "Ride", "VirtualRide": "Virtual Ride"}.get(sport, sport)
	return "%s %s" % (part, word)


class Athlete:
	def __init__(self, index, seed, years, count, end_date):
		self.index = index
		self.id = FIRST_ATHLETE_ID + index
		self.seed = mix("athlete", seed, index)
		first, last, sex = _NAMES[index % len(_NAMES)]
		self.firstname, self.lastname, self.sex = first, last, sex
		rnd = random.Random(self.seed)
		self.weight = round(58.0 + (12.0 if sex == "M" else 0.0) + rnd.uniform(-3, 3), 1)
		self.hr_rest = 46 + rnd.randint(0, 6)
		self.lthr = 168 + rnd.randint(0, 8)
		self.hr_max = self.lthr + 17
		self.ftp_peak = int((3.9 if sex == "M" else 3.7) * self.weight)
		self.vthr_peak = 4.05 if sex == "M" else 3.75
		self.created = datetime.datetime(2016, 3, 1 + index, 9, 12, 44)
		base = 11000000 + index * 10
		self.bikes = [
			{"id": "b%d" % (base + 1), "name": "Tarmac", "brand_name": "Specialized",
			 "model_name": "Tarmac SL7", "frame_type": 3, "weight": 7.6, "primary": True,
			 "description": "Road bike, power meter pedals."},
			{"id": "b%d" % (base + 2), "name": "Commuter", "brand_name": "Rog",
			 "model_name": "Tourist", "frame_type": 5, "weight": 13.5, "primary": False,
			 "description": "The city bike."},
		]
		self.shoes = [
			{"id": "g%d" % (base + 3), "name": "Pegasus (old)", "brand_name": "Nike",
			 "model_name": "Pegasus 39", "primary": False, "retired": True},
			{"id": "g%d" % (base + 4), "name": "Boston", "brand_name": "Adidas",
			 "model_name": "Adizero Boston 12", "primary": False, "retired": False},
			{"id": "g%d" % (base + 5), "name": "Clifton", "brand_name": "Hoka",
			 "model_name": "Clifton 9", "primary": True, "retired": False},
		]
		self.end_date = end_date
		self.plans = []  # newest first
		self.by_id = {}
		self._build(years, count)

	# --- the calendar -----------------------------------------------------

	def _specials(self, span_days):
		races, rest = {}, set()
		for k in range(span_days // 364 + 2):
			for base, kind in RACES:
				d0 = base + 364 * k
				date = self.end_date - datetime.timedelta(days=d0)
				d0 += (date.weekday() + 1) % 7  # back to the Sunday
				races[d0] = kind
				if kind == "marathon":
					rest.update(range(d0 - 7, d0))
		return races, rest

	def _build(self, years, count):
		span = years * 365 if count is None else 10 ** 6
		races, rest = self._specials(min(span, 40 * 365))
		out = []
		d = 0
		# Days 8 and 60 back record without a heart-rate strap (every
		# activity of the day); a day with nothing recorded hands that on
		# to the day before it, so every calendar has two such days.
		no_hr_due = 0
		while d < span:
			if count is not None and len(out) >= count:
				break
			date = self.end_date - datetime.timedelta(days=d)
			day = self._day(date, d, races, rest)
			if d in (8, 60):
				no_hr_due += 1
			if no_hr_due and any(not p.manual for p in day):
				for p in day:
					p.no_hr = True
				no_hr_due -= 1
			day.sort(key=lambda p: -p.start)
			out.extend(day)
			d += 1
		if count is not None:
			out = out[:count]
		ids = set()
		for p in out:
			while p.id in ids:
				p.id += 1
			ids.add(p.id)
		self.plans = out
		self.by_id = {p.id: p for p in out}
		self.gear_distance = {}
		for p in out:
			self.count_gear(p, 1)
		self.updated = (out[0].start if out else 1500000000) + 7200

	def count_gear(self, p, sign):
		"""Gear odometers from the planned distances (cheap; close to the streams' totals)."""
		if not p.gear_id:
			return
		if p.manual:
			est = p.manual_dist
		else:
			est = 0.0
			for mode, amount, inten in p.program:
				est += amount if mode == "d" else amount * (3.0 if p.sport == "Run" else 8.5)
		self.gear_distance[p.gear_id] = self.gear_distance.get(p.gear_id, 0.0) + sign * est

	def _day(self, date, d, races, rest):
		rnd = random.Random(mix(self.seed, date.toordinal()))
		wd = date.weekday()
		winter = date.month in (11, 12, 1, 2)
		todo = []  # (kind, hh, mm)
		if d in rest:
			return []
		if INJURY[0] <= d <= INJURY[1]:
			if rnd.random() < 0.12:
				todo.append(("easy_ride", 17, 30))
		elif d in races:
			kind = races[d]
			todo.append((kind, 8 if kind in ("marathon", "fondo") else 9, 30 if kind == "marathon" else 0))
		elif d == 1:
			todo.append(("virtual", 18, 5))
		elif d == 4:
			todo.append(("manual", 19, 0))
		else:
			if wd == 0 and rnd.random() < 0.4:
				todo.append(("recovery", 18, 20))
			if wd == 1 and rnd.random() < 0.85:
				todo.append(("intervals", 18, 30))
			if wd == 3 and rnd.random() < 0.8:
				todo.append(("tempo" if rnd.random() < 0.5 else "easy", 18, 15))
			if wd == 2 and rnd.random() < 0.45:
				todo.append(("easy", 18, 40))
			if wd in (1, 2, 3):
				if rnd.random() < (0.35, 0.55, 0.3)[wd - 1] * (0.5 if winter else 1.0):
					todo.append(("commute_out", 7, 40))
					todo.append(("commute_back", 17, 5))
			if wd == 4 and rnd.random() < 0.6:
				todo.append(("easy_ride", 16, 30))
			if wd == 5 and rnd.random() < 0.9:
				todo.append(("virtual" if winter and rnd.random() < 0.45 else "long_ride", 9, 0))
			if wd == 6 and rnd.random() < 0.9:
				todo.append(("long_run", 8, 30))
			if rnd.random() < 0.012:
				todo.append(("manual", 12, 10))
		plans = []
		for kind, hh, mm in todo:
			mm = max(0, min(59, mm + rnd.randint(-15, 15)))
			start = fs_geo.local_to_utc(date, hh, mm, rnd.randint(0, 59))
			plans.append(self._plan(kind, start, d, rnd))
		return plans

	def _plan(self, kind, start, d, rnd):
		shoe_easy = self.shoes[0]["id"] if d > 400 else self.shoes[2]["id"]
		shoe_fast = self.shoes[1]["id"]
		road, city = self.bikes[0]["id"], self.bikes[1]["id"]
		p = Plan(id=10 ** 10 + (start // 60) * 37 + self.index * 3, athlete=self.id,
			 start=start, d=d, kind=kind, seed=mix(self.seed, "act", start), no_hr=False,
			 manual=False, private=False, commute=False, trainer=False, workout_type=None,
			 description=None)
		p.sport, p.gear_id, p.device = "Run", shoe_easy, "Garmin Forerunner 265"
		u = rnd.uniform
		if kind == "easy":
			p.route = rnd.choice(("rožnik", "ljubljanica", "golovec", "city"))
			p.program = [("d", round(u(7000, 12000), -2), u(0.70, 0.75))]
			p.private = rnd.random() < 0.04
		elif kind == "recovery":
			p.route = rnd.choice(("rožnik", "ljubljanica"))
			p.program = [("d", round(u(5000, 7000), -2), 0.66)]
		elif kind == "tempo":
			p.route, p.workout_type, p.gear_id = "ljubljanica", 3, shoe_fast
			p.program = [("d", 2000, 0.7), ("d", round(u(4000, 7000), -3), u(0.9, 0.94)), ("d", 2000, 0.68)]
			p.name = "Tempo run"
		elif kind == "intervals":
			n = rnd.randint(5, 8)
			p.route, p.workout_type, p.gear_id = "ljubljanica", 3, shoe_fast
			prog = [("t", 900, 0.72)]
			for _ in range(n):
				prog += [("t", 180, u(1.05, 1.09)), ("t", 120, 0.55)]
			p.program = prog + [("t", 600, 0.7)]
			p.name = "Intervals %d×3 min" % n
		elif kind == "long_run":
			p.route, p.workout_type = "city", 2
			p.program = [("d", round(u(16000, 30000), -3), u(0.69, 0.73))]
			p.name = "Long run"
			if rnd.random() < 0.5:
				p.description = 'Long run, "conversational" pace.\nGel at 10 km, fine.'
		elif kind in ("10k", "half", "marathon"):
			dist, inten = {"10k": (10000, 1.02), "half": (21097, 0.95), "marathon": (42195, 0.885)}[kind]
			p.route = "ljubljanica" if kind == "10k" else "city"
			p.workout_type, p.gear_id = 1, shoe_fast
			if kind == "marathon":
				p.program = [("d", 30000, inten), ("d", 12300, inten - 0.045)]
			else:
				p.program = [("d", dist * 1.006, inten)]
			p.name = {"10k": "Trnovo 10K", "half": "Ljubljana Half Marathon",
				  "marathon": "Ljubljana Marathon"}[kind]
			p.description = "Race day!\nStarted steady, %s.\n\"Worth it.\"" % (
				"held on at the end" if kind == "marathon" else "kicked the last km")
		elif kind == "manual":
			p.manual, p.device = True, None
			p.manual_dist = round(u(5000, 10000), -2)
			p.manual_time = int(p.manual_dist / u(2.6, 3.0))
			p.name = "Treadmill run (hotel gym)"
		elif kind in ("commute_out", "commute_back"):
			p.sport, p.gear_id, p.commute, p.device = "Ride", city, True, "Garmin Edge 540"
			p.route = kind
			p.program = [("d", fs_geo.COMMUTE_OUT.length - 2.0, 0.5)]
			p.name = "Commute to work" if kind == "commute_out" else "Commute home"
		elif kind in ("long_ride", "easy_ride", "fondo"):
			p.sport, p.gear_id, p.device = "Ride", road, "Garmin Edge 540"
			if kind == "long_ride":
				p.route = rnd.choice(("polhov gradec", "barje", "medvode", "kranj"))
				p.program = [("d", round(u(55000, 100000), -3), u(0.64, 0.7))]
				p.workout_type = 10
			elif kind == "easy_ride":
				p.route = rnd.choice(("barje", "medvode"))
				p.program = [("d", round(u(28000, 45000), -3), u(0.55, 0.6))]
			else:
				p.route, p.workout_type = "kranj", 11
				p.program = [("d", 108000, 0.76)]
				p.name = "Gran Fondo Gorenjska"
				p.description = "108 km, 4 climbs.\nCafé stop in Kranj."
		elif kind == "virtual":
			p.sport, p.gear_id, p.trainer, p.device = "VirtualRide", road, True, "Zwift"
			prog = [("t", 600, 0.55)]
			for _ in range(3):
				prog += [("t", 720, u(0.88, 0.92)), ("t", 300, 0.55)]
			p.program = prog + [("t", 480, 0.5)]
			p.workout_type = 12
			p.name = "Indoor trainer: 3×12 min sweet spot"
		if p.name is None:
			p.name = _default_name(start, p.sport)
		# Which file a bulk export would hold for it (not the id; see fs_export).
		p.file_kind = ("", "gpx", "tcx.gz", "fit.gz")[0 if p.manual else 1 + p.seed % 3]
		return p

	# --- edits --------------------------------------------------------------

	def add(self, plan):
		while plan.id in self.by_id:
			plan.id += 1
		self.count_gear(plan, 1)
		self.by_id[plan.id] = plan
		self.plans.append(plan)
		self.plans.sort(key=lambda p: (-p.start, -p.id))

	def visible(self):
		return [p for p in self.plans if not p.deleted]

	def params(self, d):
		f = fitness(d)
		return {"ftp": self.ftp_peak * f, "vthr": self.vthr_peak * f, "hr_rest": self.hr_rest,
			"lthr": self.lthr, "hr_max": self.hr_max, "weight": self.weight}

	def ftp_now(self):
		return int(round(self.ftp_peak * fitness(0)))
