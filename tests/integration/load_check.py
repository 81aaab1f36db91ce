# load_check.py: compares a few cairn-api answers with the marts read by SQL (85_load.sh, 90_replication.sh)
#
# usage: python3 load_check.py LABEL BASE_URL DB_SOCKET [ATHLETE]
# Prints one `ok - LABEL: ...` / `not ok - LABEL: ... # why` line per check.
# Only meaningful while nothing writes the marts (a quiet period).
import json
import subprocess
import sys
import urllib.request

label, base, sock = sys.argv[1], sys.argv[2], sys.argv[3]
athlete = int(sys.argv[4]) if len(sys.argv) > 4 else 1001


def get(path):
	with urllib.request.urlopen(base + "/api/v1/" + path, timeout=20) as r:
		return json.load(r)


def sql(q):
	out = subprocess.run(["mariadb", "--no-defaults", "-S", sock, "-uroot", "-N", "-B", "-e", q],
			     check=True, capture_output=True, text=True).stdout
	return [line.split("\t") for line in out.splitlines()]


def num(v):
	return None if v in (None, "NULL") else float(v)


def near(a, b, eps):
	return (a is None and b is None) or (a is not None and b is not None and abs(a - b) <= eps)


def res(good, name, why=""):
	print(("ok - " if good else "not ok - ") + label + ": " + name + ("" if good else " # " + why))
	sys.stdout.flush()


def check(name, fn):
	try:
		good, why = fn()
	except Exception as e:  # an answer missing or malformed is a failure, never a crash
		good, why = False, "%s: %s" % (type(e).__name__, e)
	res(good, name, why)


def me():
	d = get("me")
	row = sql("SELECT activity_count, mart_version FROM cairn_mart.athlete WHERE id = %d" % athlete)[0]
	got = (d["counts"]["activities"], d["mart_version"])
	want = (int(row[0]), int(row[1]))
	return got == want, "api %s, marts %s" % (got, want)


def summary():
	d = get("summary?group=month")
	rows = sql("SELECT period_start, count, distance, moving_time FROM cairn_mart.period_total "
		   "WHERE athlete_id = %d AND grain = 'month' AND sport = 'all' ORDER BY period_start" % athlete)
	want = [(r[0], int(r[1]), float(r[2]), int(r[3])) for r in rows]
	got = [(p["start"], p["count"], p["distance"], p["moving_time"]) for p in d["periods"]]
	same = len(got) == len(want) and all(
		g[0] == w[0] and g[1] == w[1] and near(g[2], w[2], 0.051) and g[3] == w[3] for g, w in zip(got, want))
	return same and len(want) > 0, "api %s, marts %s" % (got[:3], want[:3])


def activities():
	d = get("activities?limit=10")
	acts = d["activities"]
	bad = []
	for a in acts:
		r = sql("SELECT distance, moving_time, local_date, name FROM cairn_mart.activity "
			"WHERE id = %d AND athlete_id = %d" % (int(a["id"]), athlete))
		if not r or not near(a["distance"], num(r[0][0]), 0.051) or a["moving_time"] != int(r[0][1]) \
				or a["date"] != r[0][2]:
			bad.append((a["id"], r[0] if r else None))
	newest = sql("SELECT MAX(local_date) FROM cairn_mart.activity WHERE athlete_id = %d" % athlete)[0][0]
	ok = len(acts) == 10 and not bad and acts[0]["date"] == newest
	return ok, "mismatched %s; first date %s, newest in marts %s" % (bad[:2], acts[0]["date"] if acts else None, newest)


def fitness():
	d = get("fitness")
	days = [x for x in d["days"] if not x["projected"]]
	last = days[-1]
	r = sql("SELECT ctl, atl, training_load FROM cairn_mart.fitness WHERE athlete_id = %d AND day = '%s'"
		% (athlete, last["date"]))[0]
	return (near(last["ctl"], num(r[0]), 0.006) and near(last["atl"], num(r[1]), 0.006)
		and near(last["load"], num(r[2]), 0.051)), "api %s, marts %s" % (last, r)


def gear():
	d = get("gear")
	rows = sql("SELECT id, count, distance FROM cairn_mart.gear WHERE athlete_id = %d ORDER BY id" % athlete)
	want = {r[0]: (int(r[1]), float(r[2])) for r in rows}
	got = {g["id"]: (g["count"], g["distance"]) for g in d["gear"]}
	same = set(got) == set(want) and all(got[k][0] == want[k][0] and near(got[k][1], want[k][1], 0.051) for k in got)
	return same, "api %s, marts %s" % (got, want)


check("me counts and mart_version equal the marts", me)
check("summary?group=month equals cairn_mart.period_total", summary)
check("activities?limit=10 equal cairn_mart.activity, newest first", activities)
check("fitness (last day) equals cairn_mart.fitness", fitness)
check("gear equals cairn_mart.gear", gear)
