# soak_gpx.py: writes N deterministic synthetic GPX 1.1 rides/runs (1 Hz, HR and cadence) for the soak's import stage
#
# usage: python3 soak_gpx.py OUTDIR N [SEED]
# File i starts on 2024-01-01 + i days at 06:00 UTC (far from the local
# Strava's demo dates, so nothing is merged), lasts 30 to 60 minutes, and
# wanders around Ljubljana; the same N and SEED always give the same bytes.
import math
import os
import random
import sys


def track(rnd, i):
	run = i % 3 == 0
	secs = 1800 + rnd.randrange(1800)
	speed = 2.9 if run else 7.5
	lat, lon, ele, hdg = 46.05 + rnd.uniform(-0.02, 0.02), 14.50 + rnd.uniform(-0.02, 0.02), 300.0, rnd.uniform(0, 6.28)
	hr = 95.0
	pts = []
	for t in range(secs):
		hdg += rnd.gauss(0, 0.05)
		v = max(0.5, speed + rnd.gauss(0, 0.3))
		lat += v * math.cos(hdg) / 111320.0
		lon += v * math.sin(hdg) / (111320.0 * math.cos(math.radians(lat)))
		ele += rnd.gauss(0, 0.2)
		hr += (150 - hr) * 0.01 + rnd.gauss(0, 0.5)
		pts.append((t, lat, lon, ele, int(hr), 85 if run else 88))
	return ("Run" if run else "Ride"), pts


def write(path, i, sport, pts):
	day = 1 + i
	base = "2024-01-01T06:00:00Z"
	with open(path, "w") as f:
		f.write('<?xml version="1.0" encoding="UTF-8"?>\n'
			'<gpx version="1.1" creator="cairn soak_gpx.py" xmlns="http://www.topografix.com/GPX/1/1" '
			'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">\n'
			'<metadata><time>%s</time></metadata>\n<trk><name>Soak %s %d</name><type>%s</type><trkseg>\n'
			% (base, sport, i, "running" if sport == "Run" else "cycling"))
		for t, lat, lon, ele, hr, cad in pts:
			s = (day - 1) * 86400 + 6 * 3600 + t
			d, r = divmod(s, 86400)
			stamp = "2024-%02d-%02dT%02d:%02d:%02dZ" % (month_day(d) + (r // 3600, r // 60 % 60, r % 60))
			f.write('<trkpt lat="%.7f" lon="%.7f"><ele>%.1f</ele><time>%s</time><extensions>'
				'<gpxtpx:TrackPointExtension><gpxtpx:hr>%d</gpxtpx:hr><gpxtpx:cad>%d</gpxtpx:cad>'
				'</gpxtpx:TrackPointExtension></extensions></trkpt>\n' % (lat, lon, ele, stamp, hr, cad))
		f.write("</trkseg></trk>\n</gpx>\n")


def month_day(d):
	days = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]  # 2024 is a leap year
	m = 0
	while d >= days[m]:
		d -= days[m]
		m += 1
	return m + 1, d + 1


def main():
	out, n = sys.argv[1], int(sys.argv[2])
	seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
	if n > 360:
		sys.exit("soak_gpx.py: at most 360 files (one year of days)")
	os.makedirs(out, exist_ok=True)
	for i in range(n):
		rnd = random.Random(seed * 100003 + i)
		sport, pts = track(rnd, i)
		write(os.path.join(out, "soak-%03d.gpx" % i), i, sport, pts)


if __name__ == "__main__":
	main()
