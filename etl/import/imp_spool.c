/* imp_spool.c: `cairn-import spool`: imports each file the dashboard spooled (spool_dir/new/upload-<id>.<ext>) for its upload row's athlete */
#include "imp_spool.h"

#include <dirent.h> /* opendir, readdir */
#include <errno.h>  /* errno */
#include <stdio.h>  /* snprintf */
#include <stdlib.h> /* strtoll */
#include <string.h> /* strncmp, strerror */
#include <time.h>   /* clock_gettime */
#include <unistd.h> /* unlink */

#include "cfg.h"
#include "csv.h"
#include "db.h"
#include "imp_db.h"
#include "imp_in.h"
#include "imp_run.h"
#include "imp_sql.h"
#include "log.h"

#define IMP_SPOOL_PREFIX "upload-"

/* Record the end of upload `id`: status, the run's counts, a message. */
static int
imp_spool_end(struct db_conn *c, long long id, const char *status,
              const struct imp_run *r, const char *msg)
{
	struct db_param p[] = {DB_STR(status),
	                       DB_I64(r ? r->imported : 0),
	                       DB_I64(r ? r->merged : 0),
	                       DB_I64(r ? r->duplicate : 0),
	                       DB_I64(r ? r->failed : 0),
	                       msg != NULL ? DB_STR(msg) : DB_NULL,
	                       DB_I64(id)};

	if (db_exec(c, IMP_SQL_UPLOAD_END, p, 7) < 0) {
		log_err("cannot record the end of upload %lld: %s", id, c->err);
		return -1;
	}
	return 0;
}

/* Claim upload `id`: its athlete (> 0), 0 when the row is not waiting
 * (the file is an orphan), -1 when the database failed. */
static long long
imp_spool_claim(struct db_conn *c, long long id)
{
	struct db_param p[] = {DB_I64(id)};
	struct db_res res;
	long long n, athlete = 0;
	int f;

	n = db_exec(c, IMP_SQL_UPLOAD_CLAIM, p, 1);
	if (n < 0)
		goto dberr;
	if (n == 0)
		return 0;
	if (db_query(c, IMP_SQL_UPLOAD_ATHLETE, p, 1, &res) != 0)
		goto dberr;
	f = db_fetch(&res);
	if (f == 1)
		athlete = db_i64(&res, 0);
	db_res_free(&res);
	if (f < 0)
		goto dberr;
	return athlete;
dberr:
	log_err("cannot claim upload %lld: %s", id, c->err);
	return -1;
}

/*
 * Refuse what may not be imported for `athlete` before anything is stored:
 * a ZIP without activities.csv (not a Strava export), an export whose
 * profile.csv names another athlete. 0, or -1 with `why`.
 */
static int
imp_spool_refuse(const char *path, long long athlete, char *why, size_t len)
{
	struct csv_profile prof;
	char err[512];
	int f;

	if (imp_has_ext(path, ".zip")) {
		f = imp_walk_zip_has(path, "activities.csv", err, sizeof err);
		if (f < 0) {
			snprintf(why, len, "not a readable ZIP: %s", err);
			return -1;
		}
		if (f == 0) {
			snprintf(why, len,
			         "not a Strava export: the ZIP holds no "
			         "activities.csv (upload FIT, GPX or TCX files "
			         "one by one, or Strava's \"Download your "
			         "data\" archive)");
			return -1;
		}
	}
	f = imp_walk_profile(path, &prof, err, sizeof err);
	if (f < 0) {
		snprintf(why, len, "cannot read the export's profile.csv: %s",
		         err);
		return -1;
	}
	if (f == 1 && prof.id > 0 && prof.id != athlete) {
		snprintf(why, len,
		         "the export is of Strava athlete %lld (its "
		         "profile.csv), not of athlete %lld who uploaded it: "
		         "nothing was imported",
		         prof.id, athlete);
		return -1;
	}
	return 0;
}

static double
imp_spool_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Import one spooled file of upload `id`; the row says how it ended. */
static int
imp_spool_one(struct db_conn *c, const char *path, long long id, long threads)
{
	struct imp_run r;
	char why[1024];
	const char *status = "failed", *msg = why;
	long long athlete;
	double t0 = imp_spool_now();
	int rc = -1, st;

	imp_run_init(&r);
	athlete = imp_spool_claim(c, id);
	if (athlete < 0)
		goto out; /* the file stays: the next run tries again */
	if (athlete == 0) {
		log_warn("%s: no queued upload %lld: removed", path, id);
		rc = 0;
		goto done;
	}
	log_set_athlete(athlete);
	if (imp_spool_refuse(path, athlete, why, sizeof why) != 0)
		goto end;
	if (imp_db_athlete(c, athlete, NULL, why, sizeof why) < 0)
		goto end;
	if (imp_run_threads(&r, (int)threads) < 0) {
		snprintf(why, sizeof why,
		         "cannot start the import: out of "
		         "memory");
		goto end;
	}
	r.c = c;
	r.athlete = athlete;
	r.progress = 0;
	imp_run_input(&r, path);
	st = imp_run_report(&r, stdout, imp_spool_now() - t0);
	if (r.failed > 0 && r.fail[0] != NULL)
		snprintf(why, sizeof why, "%s%s", r.fail[0],
		         r.failed > 1 ? " (and more: see the log)" : "");
	else if (st == 1)
		snprintf(why, sizeof why, "no activity in the file");
	else
		msg = NULL;
	status = st == 1 ? "failed" : "done";
end:
	log_info("upload %lld: %s%s%s", id, status, msg ? ": " : "",
	         msg ? msg : "");
	if (imp_spool_end(c, id, status, &r, msg) != 0)
		goto out;
	rc = 0;
done:
	if (unlink(path) != 0) {
		log_err("cannot remove %s: %s", path, strerror(errno));
		rc = -1;
	}
out:
	log_set_athlete(0);
	imp_run_free(&r);
	return rc;
}

int
imp_spool_run(const struct cfg *cf, struct db_conn *c, long threads)
{
	const char *dir = cfg_get(cf, "spool_dir", IMP_SPOOL_DEFAULT);
	char newdir[1024], path[1400];
	struct dirent *e;
	DIR *d = NULL;
	int rc = 1, bad = 0, n = 0;

	if (snprintf(newdir, sizeof newdir, "%s/new", dir) >=
	    (int)sizeof newdir) {
		log_err("spool_dir is too long");
		goto out;
	}
	d = opendir(newdir);
	if (d == NULL) {
		if (errno == ENOENT) { /* nothing was ever uploaded */
			rc = 0;
			goto out;
		}
		log_err("cannot read the spool %s: %s", newdir,
		        strerror(errno));
		goto out;
	}
	while ((e = readdir(d)) != NULL) {
		const char *idp = e->d_name + strlen(IMP_SPOOL_PREFIX);
		char *end;
		long long id;

		if (strncmp(e->d_name, IMP_SPOOL_PREFIX,
		            strlen(IMP_SPOOL_PREFIX)) != 0)
			continue; /* sync-<id> markers are cairn-extract's */
		id = strtoll(idp, &end, 10);
		if (id <= 0 || end == idp || *end != '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", newdir, e->d_name);
		n++;
		if (imp_spool_one(c, path, id, threads) != 0)
			bad++;
	}
	log_info("spool: %d uploads handled, %d left for the next run", n - bad,
	         bad);
	rc = bad > 0 ? 3 : 0;
out:
	if (d != NULL)
		closedir(d);
	return rc;
}
