#!/usr/bin/env python3
# 40_import_gen.py: writes a small synthetic Strava export (activities.csv + FIT/GPX/TCX files) for 40_import.sh
"""usage: 40_import_gen.py OUT_DIR [--count N] [--seed N] [--variant 95|103] [--first-id N]

Writes OUT_DIR/activities.csv (the 95- or 103-column header, en-US or
en-GB dates, quoted multi-line descriptions) and OUT_DIR/activities/<n>.*
(.fit.gz, .gpx, .tcx.gz in turn, file numbers unlike the ids), plus one
manual activity without a file. Deterministic for a seed."""
import gzip, math, os, random, struct, sys, datetime

# The export's header and FIT's CRC and epoch are the local Strava's (one copy).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", "fakestrava"))
from fs_export import HEADER_95 as H95, _EXTRA_103 as EXTRA103  # noqa: E402
from fs_fit import FIT_EPOCH, crc16 as fit_crc  # noqa: E402


def write_fit(path, act):
	body = bytearray()
	def define(local, glob, fields):
		body.extend(struct.pack("<BBBHB", 0x40 | local, 0, 0, glob, len(fields)))
		for num, size, base in fields:
			body.extend(struct.pack("<BBB", num, size, base))
	define(0, 0, [(0, 1, 0x00), (1, 2, 0x84), (4, 4, 0x86)])
	body.extend(struct.pack("<BBHI", 0, 4, 1, act["start"] - FIT_EPOCH))
	define(1, 20, [(253, 4, 0x86), (0, 4, 0x85), (1, 4, 0x85), (2, 2, 0x84), (3, 1, 0x02),
	               (5, 4, 0x86), (6, 2, 0x84)])
	for p in act["pts"]:
		body.extend(struct.pack("<BIiiHBIH", 1, p["t"] - FIT_EPOCH,
		                        round(p["lat"] * 2**31 / 180), round(p["lng"] * 2**31 / 180),
		                        round((p["alt"] + 500) * 5), p["hr"], round(p["d"] * 100), round(p["v"] * 1000)))
	define(2, 18, [(253, 4, 0x86), (2, 4, 0x86), (5, 1, 0x00), (6, 1, 0x00), (7, 4, 0x86), (9, 4, 0x86)])
	last = act["pts"][-1]
	body.extend(struct.pack("<BIIBBII", 2, last["t"] - FIT_EPOCH, act["start"] - FIT_EPOCH,
	                        act["fit_sport"], 0, (last["t"] - act["start"]) * 1000, round(last["d"] * 100)))
	define(3, 34, [(253, 4, 0x86), (5, 4, 0x86)])
	body.extend(struct.pack("<BII", 3, last["t"] - FIT_EPOCH, last["t"] - FIT_EPOCH + act["offset"]))
	head = struct.pack("<BBHI4s", 14, 0x20, 2100, len(body), b".FIT")
	head += struct.pack("<H", fit_crc(head))
	data = head + body
	data += struct.pack("<H", fit_crc(data))
	with gzip.open(path, "wb") as f:
		f.write(data)


def iso(t):
	return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_gpx(path, act):
	with open(path, "w") as f:
		f.write('<?xml version="1.0" encoding="UTF-8"?>\n<gpx creator="StravaGPX" version="1.1" '
		        'xmlns="http://www.topografix.com/GPX/1/1" '
		        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">\n'
		        ' <metadata><time>%s</time></metadata>\n <trk><name>%s</name><type>%s</type><trkseg>\n'
		        % (iso(act["start"]), act["name"], act["gpx_type"]))
		for p in act["pts"]:
			f.write('  <trkpt lat="%.7f" lon="%.7f"><ele>%.1f</ele><time>%s</time><extensions>'
			        '<gpxtpx:TrackPointExtension><gpxtpx:hr>%d</gpxtpx:hr></gpxtpx:TrackPointExtension>'
			        '</extensions></trkpt>\n' % (p["lat"], p["lng"], p["alt"], iso(p["t"]), p["hr"]))
		f.write(" </trkseg></trk>\n</gpx>\n")


def write_tcx(path, act):
	pts = act["pts"]
	out = ['\ufeff<?xml version="1.0" encoding="UTF-8"?>\n<TrainingCenterDatabase '
	       'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2" '
	       'xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2"><Activities>'
	       '<Activity Sport="%s"><Id>%s</Id><Lap StartTime="%s"><TotalTimeSeconds>%d</TotalTimeSeconds>'
	       '<DistanceMeters>%.2f</DistanceMeters><Track>'
	       % (act["tcx_sport"], iso(act["start"]), iso(act["start"]), pts[-1]["t"] - act["start"], pts[-1]["d"])]
	for p in pts:
		out.append('<Trackpoint><Time>%s</Time><Position><LatitudeDegrees>%.7f</LatitudeDegrees>'
		           '<LongitudeDegrees>%.7f</LongitudeDegrees></Position><AltitudeMeters>%.1f</AltitudeMeters>'
		           '<DistanceMeters>%.2f</DistanceMeters><HeartRateBpm><Value>%d</Value></HeartRateBpm>'
		           '<Extensions><ns3:TPX><ns3:Speed>%.3f</ns3:Speed></ns3:TPX></Extensions></Trackpoint>'
		           % (iso(p["t"]), p["lat"], p["lng"], p["alt"], p["d"], p["hr"], p["v"]))
	out.append("</Track></Lap></Activity></Activities></TrainingCenterDatabase>\n")
	with gzip.open(path, "wt", encoding="utf-8") as f:
		f.write("".join(out))


def csv_cell(v):
	s = str(v)
	if any(c in s for c in ',"\n'):
		s = '"' + s.replace('"', '""') + '"'
	return s


def main(argv):
	out = argv[0]
	opts = dict(zip(argv[1::2], argv[2::2]))
	count = int(opts.get("--count", 12))
	rnd = random.Random(int(opts.get("--seed", 7)))
	variant = int(opts.get("--variant", 95))
	first_id = int(opts.get("--first-id", 9000000000))
	header = H95[:-1] + (EXTRA103 if variant == 103 else []) + ["Media"]
	col = {}
	for i, h in enumerate(header):
		col.setdefault(h, []).append(i)
	os.makedirs(os.path.join(out, "activities"), exist_ok=True)
	rows = []
	t0 = 1600000000 + rnd.randrange(0, 10**6) + (first_id % 1000) * 86400
	for k in range(count + 1):
		run = k % 2 == 0
		start = t0 + k * 86400 + rnd.randrange(0, 3600)
		act = {"start": start, "offset": 3600 if k % 3 else -5 * 3600,
		       "name": "Synthetic %s %d" % ("Run" if run else "Ride", k),
		       "fit_sport": 1 if run else 2, "gpx_type": "running" if run else "cycling",
		       "tcx_sport": "Running" if run else "Biking"}
		lat, lng, d, pts = 46.0 + rnd.random(), 14.0 + rnd.random(), 0.0, []
		v = 3.0 if run else 8.0
		for i in range(0, 300 + rnd.randrange(0, 300)):
			ang = i / 40.0
			step = v * (1 + 0.1 * math.sin(i / 7.0))
			lat += step * math.cos(ang) / 111320.0
			lng += step * math.sin(ang) / (111320.0 * math.cos(math.radians(lat)))
			if pts:
				d += step
			pts.append({"t": start + i, "lat": lat, "lng": lng, "alt": 300 + 20 * math.sin(i / 50.0),
			            "hr": 120 + i % 40, "d": d, "v": step})
		act["pts"] = pts
		manual = k == count
		ext = ("fit.gz", "gpx", "tcx.gz")[k % 3]
		fname = "" if manual else "activities/%d.%s" % (7000000 + k * 13, ext)
		if not manual:
			path = os.path.join(out, fname)
			{"fit.gz": write_fit, "gpx": write_gpx, "tcx.gz": write_tcx}[ext](path, act)
		elapsed = pts[-1]["t"] - start if not manual else 1800
		r = [""] * len(header)
		dt = datetime.datetime.fromtimestamp(start, datetime.timezone.utc)
		date = (dt.strftime("%b %-d, %Y, %-I:%M:%S %p") if variant == 95 else dt.strftime("%-d %b %Y, %H:%M:%S"))
		for name, val in (("Activity ID", first_id + k), ("Activity Date", date),
		                  ("Activity Name", act["name"] if not manual else "Manual yoga"),
		                  ("Activity Type", ("Run" if run else "Ride") if not manual else "Yoga"),
		                  ("Activity Description", "line one\nline \"two\", comma" if k == 1 else ""),
		                  ("Filename", fname), ("Activity Gear", "Shoe A" if run else "Bike B"),
		                  ("Moving Time", "%.1f" % elapsed), ("Elevation Gain", "12.5"),
		                  ("Average Heart Rate", "139.5")):
			r[col[name][0]] = val
		r[col["Elapsed Time"][0]] = elapsed
		r[col["Elapsed Time"][1]] = "%.1f" % elapsed
		dist = pts[-1]["d"] if not manual else 0
		r[col["Distance"][0]] = "%.2f" % (dist / 1000)
		r[col["Distance"][1]] = "%.1f" % dist
		r[col["Commute"][0]] = "true" if k == 2 else "false"
		r[col["Commute"][1]] = "1" if k == 2 else "0"
		rows.append(r)
	with open(os.path.join(out, "activities.csv"), "w", newline="") as f:
		f.write(",".join(header) + "\n")
		for r in rows:
			f.write(",".join(csv_cell(c) for c in r) + "\n")


if __name__ == "__main__":
	if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
		print(__doc__)
		sys.exit(0 if len(sys.argv) >= 2 else 2)
	main(sys.argv[1:])
