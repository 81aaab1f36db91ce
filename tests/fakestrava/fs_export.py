# fs_export.py: writes a Strava-bulk-export-shaped folder (profile.csv, activities.csv, GPX/TCX/FIT files) of the demo athlete
import csv
import datetime
import gzip
import os
import sys
import time
from xml.sax.saxutils import escape

import fs_fit
import fs_store

HEADER_95 = (
	"Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,Distance,"
	"Max Heart Rate,Relative Effort,Commute,Activity Private Note,Activity Gear,Filename,Athlete Weight,"
	"Bike Weight,Elapsed Time,Moving Time,Distance,Max Speed,Average Speed,Elevation Gain,Elevation Loss,"
	"Elevation Low,Elevation High,Max Grade,Average Grade,Average Positive Grade,Average Negative Grade,"
	"Max Cadence,Average Cadence,Max Heart Rate,Average Heart Rate,Max Watts,Average Watts,Calories,"
	"Max Temperature,Average Temperature,Relative Effort,Total Work,Number of Runs,Uphill Time,"
	"Downhill Time,Other Time,Perceived Exertion,Type,Start Time,Weighted Average Power,Power Count,"
	"Prefer Perceived Exertion,Perceived Relative Effort,Commute,Total Weight Lifted,From Upload,"
	"Grade Adjusted Distance,Weather Observation Time,Weather Condition,Weather Temperature,"
	"Apparent Temperature,Dewpoint,Humidity,Weather Pressure,Wind Speed,Wind Gust,Wind Bearing,"
	"Precipitation Intensity,Sunrise Time,Sunset Time,Moon Phase,Bike,Gear,Precipitation Probability,"
	"Precipitation Type,Cloud Cover,Weather Visibility,UV Index,Weather Ozone,Jump Count,Total Grit,"
	"Average Flow,Flagged,Average Elapsed Speed,Dirt Distance,Newly Explored Distance,"
	"Newly Explored Dirt Distance,Activity Count,Total Steps,Carbon Saved,Pool Length,Training Load,"
	"Intensity,Average Grade Adjusted Pace,Timer Time,Total Cycles,Media").split(",")
_EXTRA_103 = ("Recovery,With Pet,Competition,Long Run,For a Cause,With Kid,Downhill Distance,"
	      "Total Sets,Total Reps").split(",")
HEADER_103 = HEADER_95[:-1] + _EXTRA_103 + ["Media"]

# profile.csv as Strava's exports have it (one row; the names Cairn reads:
# Athlete ID, First Name, Last Name, Sex, Weight).
PROFILE_HEADER = ("Athlete ID,Email Address,First Name,Last Name,Sex,Description,Weight,City,State,Country,"
		  "Health Consent Status,Date of Health Consent Status").split(",")

TYPE_NAMES = {"Run": "Run", "Ride": "Ride", "VirtualRide": "Virtual Ride"}


def activity_date(ts):
	"""Strava's en-US export date (UTC): 'Oct 6, 2022, 11:19:20 PM'."""
	d = datetime.datetime.fromtimestamp(ts, datetime.timezone.utc)
	return "%s %d, %d, %d:%02d:%02d %s" % (d.strftime("%b"), d.day, d.year, (d.hour % 12) or 12,
					       d.minute, d.second, "AM" if d.hour < 12 else "PM")


def _f(v):
	return "" if v is None else ("%.1f" % v if isinstance(v, float) else str(v))


def _iso(ts):
	return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def gpx(plan, summ, st):
	kind = "running" if plan.sport == "Run" else "cycling"
	out = ['<?xml version="1.0" encoding="UTF-8"?>\n<gpx creator="StravaGPX" version="1.1" '
	       'xmlns="http://www.topografix.com/GPX/1/1" '
	       'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
	       'xsi:schemaLocation="http://www.topografix.com/GPX/1/1 http://www.topografix.com/GPX/1/1/gpx.xsd '
	       'http://www.garmin.com/xmlschemas/GpxExtensions/v3 http://www.garmin.com/xmlschemas/GpxExtensionsv3.xsd '
	       'http://www.garmin.com/xmlschemas/TrackPointExtension/v1 '
	       'http://www.garmin.com/xmlschemas/TrackPointExtensionv1.xsd" '
	       'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1" '
	       'xmlns:gpxx="http://www.garmin.com/xmlschemas/GpxExtensions/v3">\n',
	       ' <metadata>\n  <time>%s</time>\n </metadata>\n <trk>\n  <name>%s</name>\n  <type>%s</type>\n  <trkseg>\n'
	       % (_iso(plan.start), escape(summ["name"]), kind)]
	T, LL, ALT = st["time"], st["latlng"], st["altitude"]
	HR, CAD, TMP, W = st.get("heartrate"), st.get("cadence"), st.get("temp"), st.get("watts")
	for i in range(len(T)):
		ext = []
		if W:
			ext.append("     <power>%d</power>\n" % W[i])
		tpx = []
		if TMP:
			tpx.append("<gpxtpx:atemp>%d</gpxtpx:atemp>" % TMP[i])
		if HR:
			tpx.append("<gpxtpx:hr>%d</gpxtpx:hr>" % HR[i])
		if CAD:
			tpx.append("<gpxtpx:cad>%d</gpxtpx:cad>" % CAD[i])
		if tpx:
			ext.append("     <gpxtpx:TrackPointExtension>%s</gpxtpx:TrackPointExtension>\n" % "".join(tpx))
		out.append('   <trkpt lat="%.7f" lon="%.7f">\n    <ele>%.1f</ele>\n    <time>%s</time>\n%s   </trkpt>\n'
			   % (LL[i][0], LL[i][1], ALT[i], _iso(plan.start + T[i]),
			      ("    <extensions>\n%s    </extensions>\n" % "".join(ext)) if ext else ""))
	out.append("  </trkseg>\n </trk>\n</gpx>\n")
	return "".join(out).encode("utf-8")


def tcx(plan, summ, st, laps):
	sport = "Running" if plan.sport == "Run" else "Biking"
	T, D, V = st["time"], st["distance"], st["velocity_smooth"]
	LL, ALT, HR, CAD, W = (st.get(k) for k in ("latlng", "altitude", "heartrate", "cadence", "watts"))
	out = ['<?xml version="1.0" encoding="UTF-8"?>\n<TrainingCenterDatabase '
	       'xsi:schemaLocation="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2 '
	       'http://www.garmin.com/xmlschemas/TrainingCenterDatabasev2.xsd" '
	       'xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2" '
	       'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2" '
	       'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n <Activities>\n'
	       '  <Activity Sport="%s">\n   <Id>%s</Id>\n' % (sport, _iso(plan.start))]
	bounds = list(laps) + [len(T) - 1]
	for k in range(len(bounds) - 1):
		i, j = bounds[k], bounds[k + 1]
		if j <= i:
			continue
		last = k == len(bounds) - 2
		hi = j + 1 if last else j
		out.append('   <Lap StartTime="%s">\n    <TotalTimeSeconds>%.1f</TotalTimeSeconds>\n'
			   '    <DistanceMeters>%.1f</DistanceMeters>\n    <MaximumSpeed>%.3f</MaximumSpeed>\n'
			   '    <Calories>0</Calories>\n' % (_iso(plan.start + T[i]), float(T[j] - T[i]),
							   D[j] - D[i], max(V[i:j + 1])))
		if HR:
			out.append('    <AverageHeartRateBpm><Value>%d</Value></AverageHeartRateBpm>\n'
				   '    <MaximumHeartRateBpm><Value>%d</Value></MaximumHeartRateBpm>\n'
				   % (round(sum(HR[i:j + 1]) / (j + 1 - i)), max(HR[i:j + 1])))
		out.append('    <Intensity>Active</Intensity>\n    <TriggerMethod>Manual</TriggerMethod>\n    <Track>\n')
		for q in range(i, hi):
			p = ['     <Trackpoint>\n      <Time>%s</Time>\n' % _iso(plan.start + T[q])]
			if LL:
				p.append('      <Position><LatitudeDegrees>%.7f</LatitudeDegrees>'
					 '<LongitudeDegrees>%.7f</LongitudeDegrees></Position>\n' % (LL[q][0], LL[q][1]))
			if ALT:
				p.append('      <AltitudeMeters>%.1f</AltitudeMeters>\n' % ALT[q])
			p.append('      <DistanceMeters>%.1f</DistanceMeters>\n' % D[q])
			if HR:
				p.append('      <HeartRateBpm><Value>%d</Value></HeartRateBpm>\n' % HR[q])
			if CAD:
				p.append('      <Cadence>%d</Cadence>\n' % CAD[q])
			p.append('      <Extensions><ns3:TPX><ns3:Speed>%.3f</ns3:Speed>%s</ns3:TPX></Extensions>\n'
				 '     </Trackpoint>\n' % (V[q], "<ns3:Watts>%d</ns3:Watts>" % W[q] if W else ""))
			out.append("".join(p))
		out.append('    </Track>\n   </Lap>\n')
	out.append('   <Creator xsi:type="Device_t"><Name>%s</Name></Creator>\n  </Activity>\n'
		   ' </Activities>\n</TrainingCenterDatabase>\n' % escape(plan.device or "Strava"))
	return "".join(out).encode("utf-8")


def _row(store, plan, summ, s, fname, ath, header):
	gear = next((g for g in ath.bikes + ath.shoes if g["id"] == plan.gear_id), None)
	gear_name = ("%s %s" % (gear["brand_name"], gear["model_name"])) if gear else ""
	bike_w = gear.get("weight") if gear and plan.gear_id.startswith("b") else None
	v = {
		"Activity ID": str(plan.id), "Activity Date": activity_date(plan.start),
		"Activity Name": summ["name"], "Activity Type": TYPE_NAMES.get(summ["sport_type"], summ["sport_type"]),
		"Activity Description": summ.get("description") or "",
		"Elapsed Time": str(summ["elapsed_time"]), "Distance": "%.2f" % (summ["distance"] / 1000.0),
		"Max Heart Rate": _f(summ.get("max_heartrate")),
		"Relative Effort": "" if summ.get("suffer_score") is None else str(int(summ["suffer_score"])),
		"Commute": "true" if summ["commute"] else "false", "Activity Private Note": "",
		"Activity Gear": gear_name, "Filename": fname, "Athlete Weight": _f(ath.weight),
		"Bike Weight": _f(bike_w),
	}
	second = {
		"Elapsed Time": "%.1f" % summ["elapsed_time"], "Moving Time": "%.1f" % summ["moving_time"],
		"Distance": "%.2f" % summ["distance"], "Max Speed": _f(summ["max_speed"]),
		"Average Speed": _f(summ["average_speed"]), "Elevation Gain": _f(summ["total_elevation_gain"]),
		"Elevation Low": _f(summ.get("elev_low")), "Elevation High": _f(summ.get("elev_high")),
		"Average Cadence": _f(summ.get("average_cadence")),
		"Max Heart Rate": _f(summ.get("max_heartrate")), "Average Heart Rate": _f(summ.get("average_heartrate")),
		"Max Watts": _f(summ.get("max_watts")), "Average Watts": _f(summ.get("average_watts")),
		"Calories": _f(summ.get("calories")), "Average Temperature": _f(summ.get("average_temp")),
		"Relative Effort": _f(summ.get("suffer_score")),
		"Total Work": "" if summ.get("kilojoules") is None else "%.1f" % (summ["kilojoules"] * 1000.0),
		"Weighted Average Power": _f(summ.get("weighted_average_watts")),
		"Commute": "1.0" if summ["commute"] else "0.0", "From Upload": "0.0" if summ["manual"] else "1.0",
		"Bike": plan.gear_id if plan.gear_id and plan.gear_id.startswith("b") else "",
		"Gear": plan.gear_id if plan.gear_id and plan.gear_id.startswith("g") else "",
		"Flagged": "0.0", "Timer Time": "%.1f" % summ["moving_time"], "Media": "",
		"Long Run": "1.0" if summ.get("workout_type") == 2 else "",
		"Competition": "1.0" if summ.get("workout_type") in (1, 11) else "",
	}
	if s.get("elev_low") is not None and "elevation_loss" in s:
		second["Elevation Loss"] = _f(s["elevation_loss"])
	row, seen = [], set()
	for col in header:
		if col in seen or col not in v:
			row.append(second.get(col, "") if col in seen or col not in v else "")
		else:
			row.append(v[col])
		seen.add(col)
	return row


def profile(out, ath):
	with open(os.path.join(out, "profile.csv"), "w", encoding="utf-8", newline="") as f:
		wr = csv.writer(f, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
		wr.writerow(PROFILE_HEADER)
		wr.writerow([str(ath.id), "athlete%d@example.org" % ath.id, ath.firstname, ath.lastname, ath.sex,
			     "Runs and rides around Ljubljana.", "%.1f" % ath.weight, "Ljubljana", "Ljubljana",
			     "Slovenia", "", ""])


def run(a):
	out = a.out
	os.makedirs(os.path.join(out, "activities"), exist_ok=True)
	t0 = time.time()
	store = fs_store.Store(a.seed, a.years, a.count, 1)
	ath = store.athletes[0]
	header = HEADER_103 if a.csv_variant == 103 else HEADER_95
	plans = sorted(ath.visible(), key=lambda p: p.start)
	profile(out, ath)
	counts = {"gpx": 0, "tcx.gz": 0, "fit.gz": 0, "": 0}
	with open(os.path.join(out, "activities.csv"), "w", encoding="utf-8", newline="") as f:
		wr = csv.writer(f, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
		wr.writerow(header)
		for p in plans:
			st, laps, s = store.streams(p)
			summ = store.detail(p)
			kind = p.file_kind
			if st is not None and kind == "gpx" and "latlng" not in st:
				kind = "fit.gz"
			fname = ""
			if st is not None:
				n = p.id + 1054321234  # like real exports: the upload id, not the activity id
				fname = "activities/%d.%s" % (n, kind)
				if kind == "gpx":
					data = gpx(p, summ, st)
				elif kind == "tcx.gz":
					data = gzip.compress(tcx(p, summ, st, laps), 6, mtime=0)
				else:
					data = gzip.compress(fs_fit.activity(p, summ, st, laps), 6, mtime=0)
				with open(os.path.join(out, fname), "wb") as g:
					g.write(data)
			counts[kind if st is not None else ""] += 1
			wr.writerow(_row(store, p, summ, s, fname, ath, header))
	sys.stderr.write("cairn-fakestrava export: %d activities (%d gpx, %d tcx.gz, %d fit.gz, %d manual) in %s (%.1fs)\n"
			 % (len(plans), counts["gpx"], counts["tcx.gz"], counts["fit.gz"], counts[""], out,
			    time.time() - t0))
	return 0
