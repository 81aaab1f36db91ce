/* main.c: cairn-migrate, brings the database schemas up to the version this Cairn knows */
#include <getopt.h> /* getopt_long */
#include <stdio.h>  /* printf */
#include <stdlib.h> /* free */

#include "cfg.h"
#include "db.h"
#include "log.h"
#include "migrate.h"
#include "stamp.h"

static void
usage(FILE *f)
{
	fprintf(f,
	        "usage: cairn-migrate [--config FILE] [--dir DIR] [--status] "
	        "[--accounts]\n"
	        "\n"
	        "Applies the numbered migrations sql/NNN_*.sql that the "
	        "database has not seen,\n"
	        "in order, each once, and records them in "
	        "cairn_app.schema_version.\n"
	        "Connects as admin_db_user (default root over db_socket).\n"
	        "\n"
	        "  --config FILE  settings file (default $CAIRN_CONFIG or "
	        "/etc/cairn/cairn.conf)\n"
	        "  --dir DIR      migrations folder (default: setting sql_dir, "
	        "else " CAIRN_PREFIX "/share/cairn/sql)\n"
	        "  --status       print the applied and the known version, "
	        "change nothing\n"
	        "  --accounts     also create or update the etl and api "
	        "accounts and their grants\n"
	        "                 (etl_db_user/etl_db_password, "
	        "api_db_user/api_db_password)\n"
	        "\n"
	        "exit status: 0 up to date, 1 a migration or connection "
	        "failed (the version\n"
	        "stays where it was), 2 usage or configuration error, 6 the "
	        "database is newer\n"
	        "than this program knows\n");
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"dir", required_argument, NULL, 'd'},
	    {"status", no_argument, NULL, 's'},
	    {"accounts", no_argument, NULL, 'a'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *config = NULL, *dir = NULL;
	int status_only = 0, accounts = 0, ch, rc = 2, current = 0;
	struct cfg *cf = NULL;
	struct db_conn *c = NULL;
	struct mig_file *files = NULL;
	size_t n = 0, i, applied = 0;
	char err[1024];

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			config = optarg;
			break;
		case 'd':
			dir = optarg;
			break;
		case 's':
			status_only = 1;
			break;
		case 'a':
			accounts = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	cf = cfg_load(config, err, sizeof(err));
	if (cf == NULL) {
		fprintf(stderr, "cairn-migrate: %s\n", err);
		goto out;
	}
	log_init("cairn-migrate", cfg_get(cf, "log_level", "info"));
	if (dir == NULL)
		dir = cfg_get(cf, "sql_dir", CAIRN_PREFIX "/share/cairn/sql");
	if (mig_list(dir, &files, &n, err, sizeof(err)) != 0) {
		log_err("%s", err);
		goto out;
	}
	rc = 1;
	c = db_open(cf, DB_ADMIN, mig_sql, MIG__MAX, err, sizeof(err));
	if (c == NULL) {
		log_err("%s", err);
		goto out;
	}
	if (mig_current(c, &current) != 0) {
		log_err("cannot read the schema version: %s", c->err);
		goto out;
	}
	if (n > 0 && current > files[n - 1].version) {
		log_err("the database schema is version %d, newer than this "
		        "cairn-migrate knows (%d): install the newer Cairn",
		        current, files[n - 1].version);
		rc = 6;
		goto out;
	}
	if (status_only) {
		printf("applied %d, known %d\n", current,
		       n > 0 ? files[n - 1].version : 0);
		rc = 0;
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (files[i].version <= current)
			continue;
		if (mig_apply_file(c, &files[i], err, sizeof(err)) != 0) {
			log_err("%s", err);
			goto out;
		}
		log_info("applied %s", files[i].name);
		applied++;
	}
	if (accounts && mig_accounts(c, cf, err, sizeof(err)) != 0) {
		log_err("%s", err);
		goto out;
	}
	log_info("schema at version %d (%zu applied now)",
	         n > 0 && files[n - 1].version > current ? files[n - 1].version
	                                                 : current,
	         applied);
	/* A migration, or a restore that this run follows, changed the
	 * database behind cairn-api's back: make it look again. */
	if (stamp_bump(cfg_get(cf, "mart_stamp", NULL), 0, err, sizeof(err)) !=
	    0)
		log_warn("%s", err);
	rc = 0;
out:
	free(files);
	db_close(c);
	cfg_free(cf);
	return rc;
}
