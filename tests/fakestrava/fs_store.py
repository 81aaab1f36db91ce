# fs_store.py: the demo data set: athletes, memoised summaries (from lazily generated streams), caches
import collections
import datetime
import json
import os
import tempfile
import threading
import time
import zlib

import fs_plan
import fs_stream
import fs_summary

VERSION = "fakestrava-gen-3"
HERE = os.path.dirname(os.path.realpath(__file__))


def _source_hash():
	"""Caches are only valid for the generator code that wrote them."""
	h = []
	for name in ("fs_geo.py", "fs_plan.py", "fs_stream.py", "fs_summary.py", "fs_store.py"):
		with open(os.path.join(HERE, name), "rb") as f:
			h.append(f.read())
	return fs_plan.mix(VERSION, *h)


def stream_bytes(st):
	"""The streams answer for every key the activity has (key_by_type=true), as sent."""
	n = len(st["time"])
	out = {k: {"data": st[k], "series_type": "distance", "original_size": n, "resolution": "high"}
	       for k in fs_stream.KEYS if k in st}
	return json.dumps(out, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


class Store:
	def __init__(self, seed, years, count, athletes, end_date=None, cache_dir=None):
		if end_date is None:
			end_date = datetime.datetime.now(datetime.timezone.utc).date() - datetime.timedelta(days=1)
		self.seed, self.years, self.count, self.end_date = seed, years, count, end_date
		self.athletes = [fs_plan.Athlete(i, seed, years, count, end_date) for i in range(athletes)]
		self.by_id = {a.id: a for a in self.athletes}
		self._stats = {}
		self._lock = threading.Lock()
		self._busy = {}  # activity id -> Event while someone generates it
		self._lru = collections.OrderedDict()
		self._lru_max = 8
		self.cache_file = self.stream_dir = None
		key = fs_plan.mix(_source_hash(), seed, years, count, athletes, end_date.isoformat())
		if cache_dir:  # --state: summaries and whole streams answers
			self.stream_dir = os.path.join(cache_dir, "streams-%016x" % key)
			os.makedirs(self.stream_dir, mode=0o700, exist_ok=True)
		else:  # summaries only, in a private temporary folder
			cache_dir = os.path.join(tempfile.gettempdir(), "cairn-fakestrava-%d" % os.getuid())
			try:
				os.makedirs(cache_dir, mode=0o700, exist_ok=True)
			except OSError:
				cache_dir = None
		if cache_dir:
			self._prune(cache_dir, "summaries-%016x.json" % key, "streams-%016x" % key)
			self.cache_file = os.path.join(cache_dir, "summaries-%016x.json" % key)
			self._load_cache()
		self._stop = False
		self.added = set()  # ids added at run time: never cached
		self.warm_done = threading.Event()

	def athlete_of(self, plan):
		return self.by_id[plan.athlete]

	def find(self, aid):
		for a in self.athletes:
			p = a.by_id.get(aid)
			if p is not None:
				return a, p
		return None, None

	# --- the expensive part, memoised ------------------------------------

	def _generate(self, plan):
		ath = self.athlete_of(plan)
		if plan.manual:
			return None, [0], fs_summary.stats(plan, ath, None)
		st, laps = fs_stream.simulate(plan, ath.params(plan.d))
		if self.stream_dir and not plan.id in self.added:
			path = os.path.join(self.stream_dir, "%d.json.z" % plan.id)
			if not os.path.exists(path):
				tmp = path + ".%d.tmp" % threading.get_ident()
				try:
					with open(tmp, "wb") as f:
						f.write(zlib.compress(stream_bytes(st), 1))
					os.replace(tmp, path)
				except OSError:
					pass
		return st, laps, fs_summary.stats(plan, ath, st)

	def cached_streams(self, plan):
		"""The whole streams answer from the --state cache, or None."""
		if not self.stream_dir or plan.id in self.added:
			return None
		try:
			with open(os.path.join(self.stream_dir, "%d.json.z" % plan.id), "rb") as f:
				return zlib.decompress(f.read())
		except (OSError, zlib.error):
			return None

	def _prune(self, d, *keep):
		"""Drop caches of other days or code versions older than two days."""
		now = time.time()
		try:
			for name in os.listdir(d):
				if (name.startswith(("summaries-", "streams-")) and name not in keep
				    and now - os.path.getmtime(os.path.join(d, name)) > 2 * 86400):
					p = os.path.join(d, name)
					if os.path.isdir(p):
						for f in os.listdir(p):
							os.unlink(os.path.join(p, f))
						os.rmdir(p)
					else:
						os.unlink(p)
		except OSError:
			pass

	def streams(self, plan):
		"""(streams or None, lap starts, stats) of one activity."""
		with self._lock:
			hit = self._lru.get(plan.id)
			if hit is not None:
				self._lru.move_to_end(plan.id)
				return hit
		res = self._generate(plan)
		with self._lock:
			self._stats[plan.id] = res[2]
			self._lru[plan.id] = res
			while len(self._lru) > self._lru_max:
				self._lru.popitem(last=False)
		return res

	def stats(self, plan):
		while True:
			with self._lock:
				s = self._stats.get(plan.id)
				if s is not None:
					return s
				ev = self._busy.get(plan.id)
				if ev is None:
					ev = self._busy[plan.id] = threading.Event()
					mine = True
				else:
					mine = False
			if not mine:
				ev.wait()
				continue
			try:
				if plan.manual:
					s = fs_summary.stats(plan, self.athlete_of(plan), None)
				else:
					st, laps, s = self._generate(plan)
				with self._lock:
					self._stats[plan.id] = s
				return s
			finally:
				with self._lock:
					del self._busy[plan.id]
				ev.set()

	def summary(self, plan):
		return fs_summary.summary(plan, self.athlete_of(plan), self.stats(plan))

	def detail(self, plan):
		st, laps, s = self.streams(plan)
		return fs_summary.detail(plan, self.athlete_of(plan), s, st, laps)

	def forget(self, plan):
		with self._lock:
			self._stats.pop(plan.id, None)
			self._lru.pop(plan.id, None)

	# --- background warm-up and the on-disk cache -------------------------

	def _load_cache(self):
		try:
			with open(self.cache_file, encoding="utf-8") as f:
				data = json.load(f)
			known = {p.id for a in self.athletes for p in a.plans}
			self._stats.update({int(k): v for k, v in data.items() if int(k) in known})
		except (OSError, ValueError):
			pass

	def _save_cache(self):
		if not self.cache_file:
			return
		with self._lock:
			data = {str(k): v for k, v in self._stats.items() if k not in self.added}
		tmp = "%s.%d.tmp" % (self.cache_file, os.getpid())
		try:
			with open(tmp, "w", encoding="utf-8") as f:
				json.dump(data, f, separators=(",", ":"))
			os.replace(tmp, self.cache_file)
		except OSError:
			pass

	def warm(self):
		"""Compute every summary, newest first (what a first sync asks for first)."""
		def run():
			missing = 0
			order = sorted((p for a in self.athletes for p in a.plans), key=lambda p: -p.start)
			for p in order:
				if self._stop:
					return
				with self._lock:
					have = p.id in self._stats
				if not have:
					missing += 1
					self.stats(p)
			if missing:
				self._save_cache()
			self.warm_done.set()
		t = threading.Thread(target=run, name="warm", daemon=True)
		t.start()
		return t

	def stop(self):
		self._stop = True
