/* fit.h: a decoder of the Garmin FIT protocol for activity files */
#ifndef CAIRN_FIT_H
#define CAIRN_FIT_H

#include <stddef.h> /* size_t */

#include "imp_activity.h"
#include "imp_in.h"

/* Largest FIT file read (bytes, after gzip). */
#define FIT_MAX_BYTES (64u * 1024 * 1024)
/* Seconds from the Unix epoch to the FIT epoch (1989-12-31T00:00:00Z). */
#define FIT_EPOCH 631065600

/*
 * Decode a FIT activity held in memory into `a` (initialised by the
 * caller): one sample per record message, sport and totals from the
 * session, the local time offset from the activity message. A bad CRC,
 * a truncated file or an undefined message stops or warns (a->warn) but
 * keeps what decoded cleanly. Returns 0, or -1 with `err` when nothing
 * usable was found (not a FIT file, no records and no session).
 */
int fit_parse(const unsigned char *buf, size_t len, struct imp_activity *a,
              char *err, size_t errlen);

/* Read the stream (at most FIT_MAX_BYTES) and fit_parse() it. */
int fit_read(struct imp_in *in, struct imp_activity *a, char *err,
             size_t errlen);

/* FIT's CRC-16 of buf, continuing from crc (start with 0). */
unsigned fit_crc(unsigned crc, const unsigned char *buf, size_t len);

/* Strava sport_type for FIT sport and sub_sport (never ""). */
const char *fit_sport(unsigned sport, unsigned sub, int *trainer);

#endif
