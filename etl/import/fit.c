/* fit.c: FIT protocol decoder: headers, definitions, data and compressed-timestamp messages */
#include "fit.h"

#include <math.h>   /* NAN, isnan */
#include <stdint.h> /* uint32_t */
#include <stdio.h>  /* snprintf */
#include <stdlib.h> /* calloc, free */
#include <string.h> /* memcpy, memset */

/* Global message numbers used. */
enum {
	FIT_M_FILE_ID = 0,
	FIT_M_SPORT = 12,
	FIT_M_SESSION = 18,
	FIT_M_LAP = 19,
	FIT_M_RECORD = 20,
	FIT_M_ACTIVITY = 34,
};

struct fit_field {
	unsigned char num, size, type;
};

struct fit_def {
	int valid, be;
	unsigned global, nf, devsize, size;
	struct fit_field f[255];
};

/* Decoder state: definitions and the values of the current message. */
struct fit_st {
	struct fit_def def[16];
	double v[256];
	unsigned char ok[256];
	char str[64]; /* first string field 3 of a sport message */
	long long last_ts;
	int have_ts;
	int sessions;
	double sess_start;
	unsigned sport, sub;
	int have_sport;
	long long act_ts, act_local;
	unsigned manufacturer;
};

unsigned
fit_crc(unsigned crc, const unsigned char *buf, size_t len)
{
	static const unsigned short t[16] = {
	    0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
	    0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400};
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned tmp = t[crc & 0xF];

		crc = (crc >> 4) & 0x0FFF;
		crc = crc ^ tmp ^ t[buf[i] & 0xF];
		tmp = t[crc & 0xF];
		crc = (crc >> 4) & 0x0FFF;
		crc = crc ^ tmp ^ t[(buf[i] >> 4) & 0xF];
	}
	return crc;
}

static uint64_t
fit_uint(const unsigned char *p, unsigned size, int be)
{
	uint64_t x = 0;
	unsigned i;

	for (i = 0; i < size; i++)
		x |= (uint64_t)p[be ? size - 1 - i : i] << (8 * i);
	return x;
}

/* The first element of a field as a double; 0 when invalid or unknown. */
static int
fit_value(const unsigned char *p, unsigned size, unsigned type, int be,
          double *out)
{
	unsigned base = type & 0x1F;
	static const unsigned char bsize[17] = {1, 1, 1, 2, 2, 4, 4, 1, 4,
	                                        8, 1, 2, 4, 1, 8, 8, 8};
	uint64_t u;

	if (base > 16 || base == 7 || base == 13 || size < bsize[base])
		return 0;
	u = fit_uint(p, bsize[base], be);
	switch (base) {
	case 0: /* enum */
	case 2: /* uint8 */
		if (u == 0xFF)
			return 0;
		*out = (double)u;
		return 1;
	case 10: /* uint8z */
	case 11:
	case 12:
	case 16:
		if (u == 0)
			return 0;
		*out = (double)u;
		return 1;
	case 1:
		if (u == 0x7F)
			return 0;
		*out = (double)(int8_t)u;
		return 1;
	case 3:
		if (u == 0x7FFF)
			return 0;
		*out = (double)(int16_t)u;
		return 1;
	case 4:
		if (u == 0xFFFF)
			return 0;
		*out = (double)u;
		return 1;
	case 5:
		if (u == 0x7FFFFFFF)
			return 0;
		*out = (double)(int32_t)u;
		return 1;
	case 6:
		if (u == 0xFFFFFFFF)
			return 0;
		*out = (double)u;
		return 1;
	case 8: {
		uint32_t w = (uint32_t)u;
		float f;

		if (w == 0xFFFFFFFF)
			return 0;
		memcpy(&f, &w, sizeof f);
		*out = f;
		return !isnan(*out);
	}
	case 9:
		if (u == UINT64_MAX)
			return 0;
		memcpy(out, &u, sizeof *out);
		return !isnan(*out);
	case 14:
		if (u == 0x7FFFFFFFFFFFFFFFull)
			return 0;
		*out = (double)(int64_t)u;
		return 1;
	case 15:
		if (u == UINT64_MAX)
			return 0;
		*out = (double)u;
		return 1;
	}
	return 0;
}

/* Scaled value or NaN. */
static double
fit_get(const struct fit_st *s, unsigned num, double scale, double offset)
{
	return s->ok[num] ? s->v[num] / scale - offset : NAN;
}

static int
fit_record(struct fit_st *s, struct imp_activity *a)
{
	struct imp_sample x;
	const double semi = 180.0 / 2147483648.0;

	imp_sample_clear(&x);
	x.t = (double)s->last_ts + FIT_EPOCH;
	if (s->ok[0] && s->ok[1]) {
		x.lat = s->v[0] * semi;
		x.lng = s->v[1] * semi;
		if (fabs(x.lat) > 90 || fabs(x.lng) > 180)
			x.lat = x.lng = NAN;
	}
	x.alt = s->ok[78] ? fit_get(s, 78, 5, 500) : fit_get(s, 2, 5, 500);
	x.hr = fit_get(s, 3, 1, 0);
	x.cad = fit_get(s, 4, 1, 0);
	x.dist = fit_get(s, 5, 100, 0);
	x.speed = s->ok[73] ? fit_get(s, 73, 1000, 0) : fit_get(s, 6, 1000, 0);
	x.watts = fit_get(s, 7, 1, 0);
	x.temp = fit_get(s, 13, 1, 0);
	return imp_activity_add(a, &x);
}

static void
fit_session(struct fit_st *s, struct imp_activity *a)
{
	struct imp_totals *t = &a->tot;
	double v;

#define FIT_ADD(dst, num, scale)                                               \
	do {                                                                   \
		if (s->ok[num]) {                                              \
			v = s->v[num] / (scale);                               \
			(dst) = isnan(dst) ? v : (dst) + v;                    \
		}                                                              \
	} while (0)
#define FIT_MAX(dst, num, scale)                                               \
	do {                                                                   \
		if (s->ok[num]) {                                              \
			v = s->v[num] / (scale);                               \
			if (isnan(dst) || v > (dst))                           \
				(dst) = v;                                     \
		}                                                              \
	} while (0)
	if (s->sessions++ == 0) {
		if (s->ok[2])
			s->sess_start = s->v[2] + FIT_EPOCH;
		if (s->ok[5]) {
			s->sport = (unsigned)s->v[5];
			s->sub = s->ok[6] ? (unsigned)s->v[6] : 0;
			s->have_sport = 1;
		}
		if (s->ok[16])
			t->avg_hr = s->v[16];
		if (s->ok[20])
			t->avg_watts = s->v[20];
		if (s->ok[18])
			t->avg_cad = s->v[18];
	}
	FIT_ADD(t->elapsed, 7, 1000);
	FIT_ADD(t->distance, 9, 100);
	FIT_ADD(t->elev_gain, 22, 1);
	FIT_ADD(t->calories, 11, 1);
	FIT_MAX(t->max_hr, 17, 1);
	FIT_MAX(t->max_watts, 21, 1);
	if (s->ok[125])
		FIT_MAX(t->max_speed, 125, 1000);
	else
		FIT_MAX(t->max_speed, 15, 1000);
#undef FIT_ADD
#undef FIT_MAX
}

/* A lap message: start_time (2), total_elapsed_time (7), total_timer_time
 * (8), total_distance (9), speeds (13, 14; enhanced 110, 111), heart rate
 * (15, 16), cadence (17), power (19, 20), total_ascent (21), calories
 * (11). 0 or -1 (memory). */
static int
fit_lap(struct fit_st *s, struct imp_activity *a)
{
	struct imp_lap l;

	imp_lap_clear(&l);
	if (s->ok[2])
		l.start = s->v[2] + FIT_EPOCH;
	else if (s->ok[253] && s->ok[7]) /* from its end: the timestamp */
		l.start = s->v[253] + FIT_EPOCH - s->v[7] / 1000.0;
	l.elapsed = fit_get(s, 7, 1000, 0);
	l.moving = fit_get(s, 8, 1000, 0);
	l.distance = fit_get(s, 9, 100, 0);
	l.avg_speed =
	    s->ok[110] ? fit_get(s, 110, 1000, 0) : fit_get(s, 13, 1000, 0);
	l.max_speed =
	    s->ok[111] ? fit_get(s, 111, 1000, 0) : fit_get(s, 14, 1000, 0);
	l.avg_hr = fit_get(s, 15, 1, 0);
	l.max_hr = fit_get(s, 16, 1, 0);
	l.avg_cad = fit_get(s, 17, 1, 0);
	l.avg_watts = fit_get(s, 19, 1, 0);
	l.max_watts = fit_get(s, 20, 1, 0);
	l.elev_gain = fit_get(s, 21, 1, 0);
	l.calories = fit_get(s, 11, 1, 0);
	a->lap_source = "fit";
	return imp_activity_lap(a, &l);
}

/* Act on one decoded data message. 0 or -1 (memory). */
static int
fit_message(struct fit_st *s, unsigned global, struct imp_activity *a)
{
	switch (global) {
	case FIT_M_RECORD:
		return fit_record(s, a);
	case FIT_M_SESSION:
		fit_session(s, a);
		break;
	case FIT_M_LAP:
		return fit_lap(s, a);
	case FIT_M_SPORT:
		if (s->ok[0] && !s->have_sport) {
			s->sport = (unsigned)s->v[0];
			s->sub = s->ok[1] ? (unsigned)s->v[1] : 0;
			s->have_sport = 2;
		}
		break;
	case FIT_M_ACTIVITY:
		if (s->ok[253] && s->ok[5]) {
			s->act_ts = (long long)s->v[253];
			s->act_local = (long long)s->v[5];
		}
		break;
	case FIT_M_FILE_ID:
		if (s->ok[1])
			s->manufacturer = (unsigned)s->v[1];
		break;
	}
	return 0;
}

static const char *
fit_maker(unsigned m)
{
	switch (m) {
	case 1:
		return "Garmin";
	case 23:
		return "Suunto";
	case 32:
		return "Wahoo";
	case 69:
		return "Stages";
	case 89:
		return "Tacx";
	case 260:
		return "Zwift";
	case 265:
		return "Strava";
	case 294:
		return "COROS";
	}
	return NULL;
}

/* Decode messages from p to end. Returns bytes consumed cleanly. */
static size_t
fit_messages(struct fit_st *s, const unsigned char *p, size_t len,
             struct imp_activity *a, char *why, size_t whylen)
{
	size_t pos = 0;

	while (pos < len) {
		unsigned h = p[pos], local, i;
		struct fit_def *d;
		const unsigned char *q;
		size_t start = pos;

		if (h & 0x80) { /* compressed timestamp header */
			unsigned off = h & 0x1F;

			local = (h >> 5) & 3;
			if (!s->have_ts) {
				snprintf(why, whylen,
				         "compressed timestamp before any "
				         "timestamp at byte %zu",
				         start);
				return start;
			}
			s->last_ts =
			    (s->last_ts & ~0x1FLL) + off +
			    (off < (unsigned)(s->last_ts & 0x1F) ? 0x20 : 0);
		} else if (h & 0x40) { /* definition */
			int dev = (h & 0x20) != 0;

			local = h & 0xF;
			d = &s->def[local];
			if (len - pos < 6) {
				snprintf(why, whylen, "truncated definition");
				return start;
			}
			d->valid = 0;
			d->be = p[pos + 2] == 1;
			if (p[pos + 2] > 1) {
				snprintf(why, whylen,
				         "bad architecture byte at %zu", start);
				return start;
			}
			d->global = (unsigned)fit_uint(p + pos + 3, 2, d->be);
			d->nf = p[pos + 5];
			pos += 6;
			if (len - pos < (size_t)d->nf * 3) {
				snprintf(why, whylen, "truncated definition");
				return start;
			}
			d->size = 0;
			for (i = 0; i < d->nf; i++, pos += 3) {
				d->f[i].num = p[pos];
				d->f[i].size = p[pos + 1];
				d->f[i].type = p[pos + 2];
				d->size += p[pos + 1];
			}
			d->devsize = 0;
			if (dev) {
				unsigned nd;

				if (pos >= len) {
					snprintf(why, whylen,
					         "truncated definition");
					return start;
				}
				nd = p[pos++];
				if (len - pos < (size_t)nd * 3) {
					snprintf(why, whylen,
					         "truncated definition");
					return start;
				}
				for (i = 0; i < nd; i++, pos += 3)
					d->devsize += p[pos + 1];
			}
			d->valid = 1;
			continue;
		} else {
			local = h & 0xF;
		}
		/* a data message (normal or compressed header) */
		d = &s->def[local];
		if (!d->valid) {
			snprintf(
			    why, whylen,
			    "data message of undefined type %u at byte %zu",
			    local, start);
			return start;
		}
		pos++;
		if (len - pos < (size_t)d->size + d->devsize) {
			snprintf(why, whylen, "truncated message at byte %zu",
			         start);
			return start;
		}
		memset(s->ok, 0, sizeof s->ok);
		q = p + pos;
		for (i = 0; i < d->nf; i++) {
			unsigned num = d->f[i].num;

			s->ok[num] = (unsigned char)fit_value(
			    q, d->f[i].size, d->f[i].type, d->be, &s->v[num]);
			if (d->global == FIT_M_SPORT && num == 3 &&
			    (d->f[i].type & 0x1F) == 7) {
				size_t n = d->f[i].size < sizeof s->str
				               ? d->f[i].size
				               : sizeof s->str - 1;
				memcpy(s->str, q, n);
				s->str[n] = '\0';
			}
			q += d->f[i].size;
		}
		pos += d->size + d->devsize;
		if (h & 0x80) {
			s->v[253] = (double)s->last_ts;
			s->ok[253] = 1;
		} else if (s->ok[253]) {
			s->last_ts = (long long)s->v[253];
			s->have_ts = 1;
		}
		if (d->global == FIT_M_RECORD && !s->have_ts) {
			continue; /* a record without any time: unusable */
		}
		if (fit_message(s, d->global, a) < 0) {
			snprintf(why, whylen, "out of memory");
			return start;
		}
	}
	return pos;
}

int
fit_parse(const unsigned char *buf, size_t len, struct imp_activity *a,
          char *err, size_t errlen)
{
	int rc = -1, trunc = 0;
	struct fit_st *s = NULL;
	size_t hsize, dsize, end, used;
	char why[160] = "";
	const char *maker;
	int trainer = 0;

	if (len < 12 || (buf[0] != 12 && buf[0] != 14) || len < buf[0] ||
	    memcmp(buf + 8, ".FIT", 4) != 0) {
		snprintf(err, errlen, "not a FIT file (bad header)");
		goto out;
	}
	hsize = buf[0];
	dsize = (size_t)fit_uint(buf + 4, 4, 0);
	if (hsize == 14 && (buf[12] | buf[13]) &&
	    fit_crc(0, buf, 12) != (unsigned)fit_uint(buf + 12, 2, 0))
		imp_activity_warn(a, "bad header CRC");
	if (dsize == 0 || dsize > len - hsize) {
		if (dsize != 0) {
			trunc = 1;
			imp_activity_warn(
			    a, "truncated: %zu of %zu data bytes present",
			    len - hsize, dsize);
		}
		end = len;
	} else {
		end = hsize + dsize;
		if (len < end + 2)
			imp_activity_warn(a, "file CRC missing");
		else if (fit_crc(0, buf, end) !=
		         (unsigned)fit_uint(buf + end, 2, 0))
			imp_activity_warn(a, "bad file CRC");
	}
	s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	s->sess_start = NAN;
	used = fit_messages(s, buf + hsize, end - hsize, a, why, sizeof why);
	if (hsize + used < end || trunc) {
		if (why[0])
			imp_activity_warn(
			    a, "stopped: %s; %zu bytes after it lost", why,
			    end - hsize - used);
	}
	if (a->n == 0 && s->sessions == 0) {
		snprintf(err, errlen, "no records and no session%s%s",
		         why[0] ? ": " : "", why);
		goto out;
	}
	if (s->have_sport)
		snprintf(a->sport, sizeof a->sport, "%s",
		         fit_sport(s->sport, s->sub, &trainer));
	else
		snprintf(a->sport, sizeof a->sport, "Workout");
	a->trainer = trainer;
	if (s->str[0] && !a->name[0])
		snprintf(a->name, sizeof a->name, "%s", s->str);
	if (!isnan(s->sess_start))
		a->start = s->sess_start;
	else if (a->n > 0)
		a->start = a->t[0];
	if (s->act_ts && s->act_local) {
		long long off = s->act_local - s->act_ts;

		/* whole quarter hours within +-14 h, else not trusted */
		off = (off >= 0 ? off + 450 : off - 450) / 900 * 900;
		if (off >= -14 * 3600 && off <= 14 * 3600) {
			a->utc_offset = (int)off;
			a->has_offset = 1;
		}
	}
	maker = fit_maker(s->manufacturer);
	if (maker)
		snprintf(a->device, sizeof a->device, "%s", maker);
	rc = 0;
out:
	free(s);
	return rc;
}

int
fit_read(struct imp_in *in, struct imp_activity *a, char *err, size_t errlen)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	int rc;

	if (imp_in_slurp(in, FIT_MAX_BYTES, &buf, &len, err, errlen) < 0)
		return -1;
	rc = fit_parse(buf, len, a, err, errlen);
	free(buf);
	return rc;
}
