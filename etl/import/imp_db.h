/* imp_db.h: store an imported activity in cairn_raw: match, merge or insert */
#ifndef CAIRN_IMP_DB_H
#define CAIRN_IMP_DB_H

#include <stddef.h> /* size_t */

#include "csv.h"
#include "db.h"
#include "imp_activity.h"

/* Duplicate rule: start within this many seconds (same sport group). */
#define IMP_DUP_SECONDS 10
/* ... and distances within this fraction or IMP_DUP_METRES of each other. */
#define IMP_DUP_FRACTION 0.10
#define IMP_DUP_METRES 100.0
/* The athlete created when the database has none (import only). */
#define IMP_DEFAULT_ATHLETE 1

enum imp_outcome { IMP_IMPORTED, IMP_MERGED, IMP_DUPLICATE, IMP_FAILED };

/*
 * The athlete to import for: `wanted` (> 0, created as an import-only
 * athlete when absent). Without it never a demo athlete (-1 with `err`
 * when the database holds one); with an export's profile.csv (`prof`, may
 * be NULL) its Athlete ID (created as an import-only athlete with the
 * profile's names when the database holds no athlete; -1 when it holds
 * others); else the only one in cairn_raw.athlete, else a new import-only
 * athlete IMP_DEFAULT_ATHLETE. -1 with `err` when there are several and
 * none was named, or on a database error.
 */
long long imp_db_athlete(struct db_conn *c, long long wanted,
                         const struct csv_profile *prof, char *err,
                         size_t errlen);

/*
 * Store one finished activity: an existing row (same Strava id, or start
 * within IMP_DUP_SECONDS, same sport group, similar distance) gets the
 * streams when it has none (IMP_MERGED) or is left alone (IMP_DUPLICATE);
 * otherwise a new row (IMP_IMPORTED) with id a->strava_id or, without
 * one, -(start epoch seconds) (-(start + k * 10^10) if that id is taken by
 * a different activity). `streams` is imp_streams_json(a), NULL when
 * there are no samples or it could not be built (fails the activity if it
 * is needed). *id_out is the row's id. IMP_FAILED with `err`.
 */
enum imp_outcome imp_db_store(struct db_conn *c, long long athlete,
                              struct imp_activity *a,
                              const struct imp_summary *s, const char *streams,
                              const char *external_id, long long *id_out,
                              char *err, size_t errlen);

#endif
