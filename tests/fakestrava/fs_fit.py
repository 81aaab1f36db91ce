# fs_fit.py: a small FIT (Garmin Flexible and Interoperable Data Transfer) writer for activity files
import struct

FIT_EPOCH = 631065600  # 1989-12-31T00:00:00Z
_CRC = (0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
	0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400)

# base types: (code, struct format, invalid value)
ENUM = (0x00, "B", 0xFF)
SINT8 = (0x01, "b", 0x7F)
UINT8 = (0x02, "B", 0xFF)
UINT16 = (0x84, "H", 0xFFFF)
SINT32 = (0x85, "i", 0x7FFFFFFF)
UINT32 = (0x86, "I", 0xFFFFFFFF)
UINT32Z = (0x8C, "I", 0)


def crc16(data, crc=0):
	for b in data:
		tmp = _CRC[crc & 0xF]
		crc = (crc >> 4) & 0x0FFF
		crc = crc ^ tmp ^ _CRC[b & 0xF]
		tmp = _CRC[crc & 0xF]
		crc = (crc >> 4) & 0x0FFF
		crc = crc ^ tmp ^ _CRC[(b >> 4) & 0xF]
	return crc


class Writer:
	def __init__(self):
		self.out = bytearray()
		self.defs = {}  # local type -> (global number, fields, struct)

	def define(self, local, glob, fields):
		"""fields: [(field number, base type)]"""
		self.out += struct.pack("<BBBHB", 0x40 | local, 0, 0, glob, len(fields))
		for num, bt in fields:
			self.out += struct.pack("<BBB", num, struct.calcsize(bt[1]), bt[0])
		fmt = struct.Struct("<B" + "".join(bt[1] for _, bt in fields))
		self.defs[local] = (glob, fields, fmt)

	def data(self, local, values):
		glob, fields, fmt = self.defs[local]
		vals = [local]
		for (num, bt), v in zip(fields, values):
			vals.append(bt[2] if v is None else v)
		self.out += fmt.pack(*vals)

	def finish(self):
		hdr = struct.pack("<BBHI4s", 14, 0x20, 2132, len(self.out), b".FIT")
		hdr += struct.pack("<H", crc16(hdr))
		body = hdr + bytes(self.out)
		return body + struct.pack("<H", crc16(body))


def _semi(deg):
	return int(round(deg * (2 ** 31) / 180.0))


def _clamp(v, lo, hi):
	return max(lo, min(hi, v))


def activity(plan, summ, st, laps, manufacturer=1, product=3113):
	"""FIT bytes of one activity from its streams (file_id, records, laps, session, activity)."""
	w = Writer()
	t0 = plan.start - FIT_EPOCH
	T = st["time"]
	end = t0 + T[-1]
	w.define(0, 0, [(0, ENUM), (1, UINT16), (2, UINT16), (3, UINT32Z), (4, UINT32)])
	w.data(0, [4, manufacturer, product, plan.seed % 3999999999 + 1, t0])
	has_ll, has_hr = "latlng" in st, "heartrate" in st
	has_w, has_t, has_alt = "watts" in st, "temp" in st, "altitude" in st
	rf = [(253, UINT32)]
	if has_ll:
		rf += [(0, SINT32), (1, SINT32)]
	if has_alt:
		rf += [(2, UINT16)]
	if has_hr:
		rf += [(3, UINT8)]
	rf += [(4, UINT8), (5, UINT32), (6, UINT16)]
	if has_w:
		rf += [(7, UINT16)]
	if has_t:
		rf += [(13, SINT8)]
	w.define(1, 20, rf)
	for i in range(len(T)):
		v = [t0 + T[i]]
		if has_ll:
			v += [_semi(st["latlng"][i][0]), _semi(st["latlng"][i][1])]
		if has_alt:
			v.append(_clamp(int(round((st["altitude"][i] + 500.0) * 5)), 0, 0xFFFE))
		if has_hr:
			v.append(_clamp(st["heartrate"][i], 0, 254))
		v += [_clamp(st["cadence"][i], 0, 254), int(round(st["distance"][i] * 100)),
		      _clamp(int(round(st["velocity_smooth"][i] * 1000)), 0, 0xFFFE)]
		if has_w:
			v.append(_clamp(st["watts"][i], 0, 0xFFFE))
		if has_t:
			v.append(_clamp(st["temp"][i], -127, 126))
		w.data(1, v)
	# laps
	w.define(2, 19, [(253, UINT32), (2, UINT32), (7, UINT32), (8, UINT32), (9, UINT32),
			 (0, ENUM), (1, ENUM)])
	bounds = list(laps) + [len(T) - 1]
	nl = 0
	for k in range(len(bounds) - 1):
		i, j = bounds[k], bounds[k + 1]
		if j <= i:
			continue
		el = T[j] - T[i]
		w.data(2, [t0 + T[j], t0 + T[i], el * 1000, el * 1000,
			   int(round((st["distance"][j] - st["distance"][i]) * 100)), 9, 1])
		nl += 1
	sport = 1 if plan.sport == "Run" else 2
	sub = 58 if plan.trainer else 0
	w.define(3, 18, [(253, UINT32), (2, UINT32), (7, UINT32), (8, UINT32), (9, UINT32),
			 (5, ENUM), (6, ENUM), (16, UINT8), (17, UINT8), (0, ENUM), (1, ENUM),
			 (25, UINT16), (26, UINT16)])
	hr = st.get("heartrate")
	w.data(3, [end, t0, T[-1] * 1000, summ["moving_time"] * 1000, int(round(summ["distance"] * 100)),
		   sport, sub, int(round(sum(hr) / len(hr))) if hr else None, max(hr) if hr else None,
		   8, 1, 0, nl])
	w.define(4, 34, [(253, UINT32), (0, UINT32), (1, UINT16), (2, ENUM), (3, ENUM), (4, ENUM),
			 (5, UINT32)])
	w.data(4, [end, summ["moving_time"] * 1000, 1, 0, 26, 1, end + int(summ["utc_offset"])])
	return w.finish()


def read(data):
	"""Decode a FIT file written above (for tests): [(global number, {field: raw value})]."""
	hsize = data[0]
	size = struct.unpack_from("<I", data, 4)[0]
	if data[8:12] != b".FIT":
		raise ValueError("not a FIT file")
	if crc16(data[: hsize + size + 2]) != 0:
		raise ValueError("bad file CRC")
	pos, end = hsize, hsize + size
	defs, out = {}, []
	while pos < end:
		h = data[pos]
		pos += 1
		local = h & 0x0F
		if h & 0x40:
			glob, n = struct.unpack_from("<HB", data, pos + 2)
			pos += 5
			fields = [struct.unpack_from("<BBB", data, pos + 3 * k) for k in range(n)]
			pos += 3 * n
			fmt = "<" + "".join({1: "B", 2: "H", 4: "I"}[s] if bt not in (0x01, 0x83, 0x85) else
					    {1: "b", 2: "h", 4: "i"}[s] for _, s, bt in fields)
			defs[local] = (glob, [f[0] for f in fields], struct.Struct(fmt))
		else:
			glob, nums, fmt = defs[local]
			vals = fmt.unpack_from(data, pos)
			pos += fmt.size
			out.append((glob, dict(zip(nums, vals))))
	return out
