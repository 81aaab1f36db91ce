/* ex_sync.h: the incremental (and --full) sync of one athlete's Strava data into cairn_raw */
#ifndef CAIRN_EX_SYNC_H
#define CAIRN_EX_SYNC_H

struct ex_ctx;

/* How one athlete's sync ended. */
enum ex_status {
	EX_ST_OK,      /* everything listed is stored */
	EX_ST_PARTIAL, /* some activities skipped (malformed, failed) */
	EX_ST_FAILED,  /* stopped: database or Strava unusable */
	EX_ST_REAUTH,  /* token revoked: athlete marked 'reauth' */
	EX_ST_DAILY,   /* daily budget spent: stopped, resume tomorrow */
	EX_ST_RATE,    /* Strava kept answering 429 */
	EX_ST_BUSY,    /* another cairn-extract syncs this athlete */
};

/* Counters summed over every athlete of the run. */
struct ex_totals {
	long stored; /* activities written (new or changed) */
	long skipped;
	long deleted;
	long listed;
};

enum ex_status ex_sync_athlete(struct ex_ctx *x, long long athlete, int full,
                               struct ex_totals *tot);

#endif
