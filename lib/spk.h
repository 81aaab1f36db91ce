/* spk.h: the packed stream format of cairn_mart.activity_stream (transform writes, API reads) */
#ifndef CAIRN_SPK_H
#define CAIRN_SPK_H

#include <stddef.h> /* size_t */
#include <stdint.h> /* uint32_t */

/*
 * Layout, all little-endian: "SPK1", uint32 n (points), uint32 nch
 * (channels), then nch names of 16 bytes (NUL-padded), then nch arrays of n
 * float32. A missing sample is NaN. Channel names follow Strava's stream
 * keys: time, distance, lat, lng, altitude, velocity_smooth, heartrate,
 * cadence, watts, temp, moving, grade_smooth; the transform adds gap (the
 * grade-adjusted speed of runs, m/s).
 *
 * The compressed form "SPKZ", uint32 size, then a zlib stream that inflates
 * to exactly `size` bytes: the SPK1 bytes with each channel's float array
 * split into its four byte planes (every sample's lowest byte first, then
 * the next, ...), which deflates to about a fifth of the SPK1 size.
 */
#define SPK_MAX_CH 16
#define SPK_NAME 16
#define SPK_MAX_POINTS (7 * 24 * 3600)

struct spk {
	uint32_t n;
	uint32_t nch;
	char names[SPK_MAX_CH][SPK_NAME];
	float
	    *ch[SPK_MAX_CH]; /* owned by the struct after spk_unpack/spk_add */
};

/* Start empty streams of n points. */
void spk_init(struct spk *s, uint32_t n);

/* Add a channel of s->n floats, copied. 0, or -1 when full or out of memory. */
int spk_add(struct spk *s, const char *name, const float *v);

/* The named channel or NULL. Borrowed. */
const float *spk_channel(const struct spk *s, const char *name);

/* Pack into a new buffer (caller frees *out). 0 or -1. */
int spk_pack(const struct spk *s, unsigned char **out, size_t *len);

/* The same, compressed ("SPKZ", zlib level 1). 0 or -1. */
int spk_pack_z(const struct spk *s, unsigned char **out, size_t *len);

/* Unpack `data` (SPK1 or SPKZ); -1 when it is not a well-formed pack.
 * Free with spk_free. */
int spk_unpack(const void *data, size_t len, struct spk *s);

/* Free the channels; accepts a zeroed or already freed struct. */
void spk_free(struct spk *s);

#endif
