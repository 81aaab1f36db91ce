/* imp_spool.h: `cairn-import spool`, the files uploaded from the dashboard */
#ifndef CAIRN_IMP_SPOOL_H
#define CAIRN_IMP_SPOOL_H

struct cfg;
struct db_conn;

/* spool_dir when the setting is absent (docs/CONFIG.md) */
#define IMP_SPOOL_DEFAULT "/var/spool/cairn"

/*
 * Import every file in spool_dir/new named upload-<id>.<ext> for the
 * athlete of upload row <id> (queued -> importing -> done | failed, with
 * the counts and the first failure), then remove it. A ZIP must be a
 * Strava export (activities.csv) of that athlete (profile.csv). Exit
 * status: 0, 3 when a file is left for the next run, 1 when the spool
 * cannot be read.
 */
int imp_spool_run(const struct cfg *cf, struct db_conn *c, long threads);

#endif
