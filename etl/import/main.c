/* main.c: cairn-import, loads Strava export archives and FIT/GPX/TCX files into cairn_raw */
#include <getopt.h> /* getopt_long */
#include <stdio.h>  /* printf */
#include <stdlib.h> /* strtoll */
#include <string.h> /* memset */
#include <time.h>   /* clock_gettime */
#include <unistd.h> /* isatty, sysconf */

#include "cfg.h"
#include "db.h"
#include "imp_db.h"
#include "pool.h"
#include "imp_run.h"
#include "imp_spool.h"
#include "imp_sql.h"
#include "log.h"

/*
 * zlib level of the COMPRESSED streams column for this session
 * (import_zlib_level): 1 costs the server about half the CPU of MariaDB's
 * default 6 for some 13% more bytes stored; what is read back is the same.
 */
#define IMP_ZLIB_LEVEL 1

static void
usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: cairn-import [--config FILE] [--athlete ID] [--dry-run] "
	    "[--no-progress] INPUT...\n"
	    "       cairn-import [--config FILE] spool\n"
	    "\n"
	    "Imports activities into cairn_raw (source 'import') from each "
	    "INPUT: a Strava\n"
	    "\"Download your data\" ZIP, an unpacked export folder (with "
	    "activities.csv), any\n"
	    "folder of files, activities.csv alone (summary-only "
	    "activities), or .fit, .gpx,\n"
	    ".tcx files, each optionally .gz. An activity already present "
	    "(same Strava id, or\n"
	    "start within %d s, same sport group, distance within %.0f%% or "
	    "%.0f m) is not stored\n"
	    "twice: it gets the file's streams when it has none (merged), "
	    "else it is skipped.\n"
	    "Re-importing the same files changes nothing.\n"
	    "`spool` imports the files uploaded from the dashboard "
	    "(spool_dir/new, each for\n"
	    "its upload's athlete; a ZIP must be that athlete's Strava "
	    "export) and removes them.\n"
	    "\n"
	    "  --config FILE  settings file (default $CAIRN_CONFIG or "
	    "/etc/cairn/cairn.conf)\n"
	    "  --athlete ID   the athlete the activities belong to (created "
	    "as an import-only\n"
	    "                 athlete when absent). Default: the Athlete ID "
	    "of an export's\n"
	    "                 profile.csv, else the only athlete in the "
	    "database; with none,\n"
	    "                 import-only athlete %d is created. Never a "
	    "demo athlete\n"
	    "                 (`make demo`): with one in the database, "
	    "name the athlete.\n"
	    "  --dry-run      read and check every file, touch no "
	    "database\n"
	    "  --no-progress  no progress bar even on a terminal\n"
	    "\n"
	    "Ids: activities.csv's Activity ID; without one -(start time in "
	    "epoch seconds).\n"
	    "Time zone: the file's own local offset (FIT activity message, "
	    "offsets in GPX/TCX\n"
	    "times), else UTC. Moving time: intervals at or above %.1f m/s. "
	    "Files with more\n"
	    "than %d points are thinned to fit (noted in the log).\n"
	    "\n"
	    "Prints a summary (imported, merged, skipped as duplicate, "
	    "failed with file and\n"
	    "reason) and `import-stats files=N bytes=N seconds=S` on "
	    "stderr.\n"
	    "Settings (docs/CONFIG.md): import_threads (parse threads, default "
	    "one per CPU;\n"
	    "0 parses on the main thread; the result is the same), "
	    "import_zlib_level.\n"
	    "exit status: 0 all fine, 1 nothing could be imported, 2 usage "
	    "or configuration\n"
	    "error, 3 some files failed (the rest is stored)\n",
	    IMP_DUP_SECONDS, IMP_DUP_FRACTION * 100, IMP_DUP_METRES,
	    IMP_DEFAULT_ATHLETE, IMP_MOVING_SPEED, IMP_MAX_POINTS);
}

/* import_threads: default one per CPU (at most POOL_MAX_THREADS). 0, or -1
 * with `err` for a bad value. */
static int
imp_threads(const struct cfg *cf, long *threads, char *err, size_t errlen)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	if (cpus < 1)
		cpus = 1;
	if (cpus > POOL_MAX_THREADS)
		cpus = POOL_MAX_THREADS;
	return cfg_get_long(cf, "import_threads", cpus, 0, POOL_MAX_THREADS,
	                    threads, err, errlen);
}

/* The first profile.csv among the inputs (prof->id 0: none). */
static void
imp_profile_of(int n, char **inputs, struct csv_profile *prof)
{
	char err[512];
	int i, f;

	for (i = 0; i < n; i++) {
		f = imp_walk_profile(inputs[i], prof, err, sizeof err);
		if (f < 0)
			log_warn("%s: %s; the athlete is chosen without it",
			         inputs[i], err);
		if (f == 1) {
			log_info("%s: profile.csv of Strava athlete %lld",
			         inputs[i], prof->id);
			return;
		}
	}
	memset(prof, 0, sizeof *prof);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"athlete", required_argument, NULL, 'a'},
	    {"dry-run", no_argument, NULL, 'n'},
	    {"no-progress", no_argument, NULL, 'p'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *config = NULL;
	long long athlete = 0, run_id = 0;
	long threads = 0, zlib = IMP_ZLIB_LEVEL;
	int ch, rc = 2, dry = 0, noprog = 0, spool = 0, i;
	struct cfg *cf = NULL;
	struct db_conn *c = NULL;
	struct imp_run r;
	struct csv_profile prof;
	char err[1024], *end;
	double t0;

	imp_run_init(&r);
	memset(&prof, 0, sizeof prof);
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			config = optarg;
			break;
		case 'a':
			athlete = strtoll(optarg, &end, 10);
			if (*end || end == optarg || athlete <= 0) {
				fprintf(stderr,
				        "cairn-import: --athlete needs a "
				        "positive number\n");
				return 2;
			}
			break;
		case 'n':
			dry = 1;
			break;
		case 'p':
			noprog = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind == argc) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[optind], "spool") == 0) {
		if (optind + 1 != argc || athlete != 0 || dry) {
			fprintf(stderr, "cairn-import: spool takes no input, "
			                "--athlete or --dry-run\n");
			return 2;
		}
		spool = 1;
	}
	t0 = now_s();
	if (!dry) {
		cf = cfg_load(config, err, sizeof err);
		if (!cf) {
			fprintf(stderr, "cairn-import: %s\n", err);
			goto out;
		}
		log_init("cairn-import", cfg_get(cf, "log_level", "info"));
		if (imp_threads(cf, &threads, err, sizeof err) < 0 ||
		    cfg_get_long(cf, "import_zlib_level", IMP_ZLIB_LEVEL, 1, 9,
		                 &zlib, err, sizeof err) < 0) {
			log_err("%s", err);
			goto out;
		}
		rc = 1;
		c = db_open(cf, DB_ETL, imp_sql, IMP_SQL_COUNT, err,
		            sizeof err);
		if (!c) {
			log_err("%s", err);
			goto out;
		}
		if (spool) {
			rc = imp_spool_run(cf, c, threads);
			goto out;
		}
		if (athlete == 0)
			imp_profile_of(argc - optind, argv + optind, &prof);
		athlete = imp_db_athlete(c, athlete, &prof, err, sizeof err);
		if (athlete < 0) {
			log_err("%s", err);
			rc = 2;
			goto out;
		}
		log_set_athlete(athlete);
		{
			struct db_param p[] = {DB_I64(zlib)};

			if (db_exec(c, IMP_SQL_ZLIB_LEVEL, p, 1) < 0)
				log_warn("cannot set the streams' compression "
				         "level: %s",
				         c->err);
		}
		{
			struct db_param p[] = {DB_I64(athlete)};

			if (db_exec(c, IMP_SQL_RUN_START, p, 1) >= 0)
				run_id = db_insert_id(c, IMP_SQL_RUN_START);
		}
	} else {
		log_init("cairn-import", "info");
		if (imp_threads(NULL, &threads, err, sizeof err) < 0)
			goto out;
	}
	if (imp_run_threads(&r, (int)threads) < 0) {
		log_err("cannot start the import: out of memory");
		rc = 1;
		goto out;
	}
	if (pool_threads(r.pool) < threads)
		log_warn("started %d of %ld parse threads",
		         pool_threads(r.pool), threads);
	r.c = c;
	r.athlete = athlete;
	r.progress = !noprog && isatty(2);
	for (i = optind; i < argc; i++)
		imp_run_input(&r, argv[i]);
	rc = imp_run_report(&r, stdout, now_s() - t0);
	if (run_id > 0) {
		char sum[256];
		const char *sump = sum;
		struct db_param p[3];

		snprintf(sum, sizeof sum,
		         "imported %zu, merged %zu, duplicate %zu, failed %zu",
		         r.imported, r.merged, r.duplicate, r.failed);
		p[0] = DB_STR(rc == 0 ? "ok" : rc == 3 ? "partial" : "failed");
		p[1] = DB_STR(sump);
		p[2] = DB_I64(run_id);
		if (db_exec(c, IMP_SQL_RUN_END, p, 3) < 0)
			log_warn("cannot record the run: %s", c->err);
	}
out:
	imp_run_free(&r);
	db_close(c);
	cfg_free(cf);
	return rc;
}
