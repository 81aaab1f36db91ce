/* ex_store.h: cairn-extract's writes and reads of cairn_raw and cairn_app (raw upserts, cursor, runs) */
#ifndef CAIRN_EX_STORE_H
#define CAIRN_EX_STORE_H

#include <stddef.h> /* size_t */

struct ex_ctx;
struct ex_activity;
struct ex_athlete;
struct ex_gear;

/* A piece of text that need not be NUL-terminated. */
struct ex_text {
	const char *p;
	size_t len;
};

/* What is stored about one activity. */
struct ex_stored {
	int found;
	char *summary; /* malloc'd copy of summary_json, or NULL */
	size_t summary_len;
	int deleted;
	int has_streams;
	int has_detail;
	int from_api;
};

int ex_store_get(struct ex_ctx *x, long long id, struct ex_stored *s);
void ex_stored_free(struct ex_stored *s);

/*
 * Upsert one activity and, when streams.p != NULL, its streams, and move
 * the cursor to `cursor` (when > 0), all in one transaction. detail.p may
 * be NULL (the stored detail and laps stay); a detail replaces the
 * activity's laps (cairn_raw.activity_lap) with its `laps`. 0 or -1
 * (x->db->err).
 */
int ex_store_activity(struct ex_ctx *x, long long athlete,
                      const struct ex_activity *a, struct ex_text summary,
                      struct ex_text detail, struct ex_text streams,
                      long points, int has_streams, long long cursor);

int ex_store_athlete(struct ex_ctx *x, long long athlete,
                     const struct ex_athlete *at, struct ex_text json);
int ex_store_zones(struct ex_ctx *x, long long athlete, struct ex_text json);
/* 1 known, 0 unknown, -1 error. */
int ex_store_gear_known(struct ex_ctx *x, const char *id);
int ex_store_gear(struct ex_ctx *x, long long athlete, const struct ex_gear *g,
                  struct ex_text json);

/* Ids of the athlete's live API activities, ascending (malloc'd). */
int ex_store_live_ids(struct ex_ctx *x, long long athlete, long long **ids,
                      size_t *n);
/* Tombstone one activity: 1 marked, 0 already deleted, -1 error. */
int ex_store_tombstone(struct ex_ctx *x, long long id);

/* Athlete row state: auth_state, age of the detailed athlete (-1 never),
 * zones known. 0, 1 unknown athlete, -1 error. */
int ex_store_athlete_state(struct ex_ctx *x, long long athlete, char *auth,
                           size_t authlen, long long *age, int *zones);
/* Athletes with auth_state 'ok' and tokens, ascending (malloc'd). */
int ex_store_syncable(struct ex_ctx *x, long long **ids, size_t *n);

int ex_store_cursor(struct ex_ctx *x, long long athlete, long long *cursor);
int ex_store_cursor_move(struct ex_ctx *x, long long athlete, long long cursor);
int ex_store_sync_result(struct ex_ctx *x, long long athlete,
                         const char *result, int success, int full);
long long ex_store_run_start(struct ex_ctx *x, long long athlete);
int ex_store_run_end(struct ex_ctx *x, long long run, const char *status,
                     const char *summary);
/* Per-athlete advisory lock: 1 taken, 0 held by another process, -1 error. */
int ex_store_lock(struct ex_ctx *x, long long athlete, int take);

#endif
