/* ex_account.c: deauthorisation of an athlete (tokens, sessions, on request all of its data), adoption of an import-only athlete, dropping the demo athlete */
#include "ex_account.h"

#include <stdio.h>  /* snprintf */
#include <string.h> /* strcmp, strspn */

#include "cfg.h"
#include "db.h"
#include "ex_ctx.h"
#include "ex_sql.h"
#include "log.h"

#define EX_MAX_TABLES 64

static int
ex_ident_ok(const char *s)
{
	return s != NULL && s[0] != '\0' && strlen(s) < 64 &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(s);
}

/* Every (schema, table, column) that holds rows of an athlete: names from
 * the server, each checked to be a plain identifier. Count, or -1. */
static int
ex_account_tables(struct ex_ctx *x, char (*tables)[3][64])
{
	struct db_res res;
	int n = 0, f = -1;

	if (db_query(x->db, EX_SQL_ACC_TABLES, NULL, 0, &res) != 0)
		goto out;
	while ((f = db_fetch(&res)) == 1 && n < EX_MAX_TABLES) {
		const char *s = db_str(&res, 0), *t = db_str(&res, 1),
		           *c = db_str(&res, 2);

		if (!ex_ident_ok(s) || !ex_ident_ok(t) || !ex_ident_ok(c))
			continue;
		snprintf(tables[n][0], 64, "%s", s);
		snprintf(tables[n][1], 64, "%s", t);
		snprintf(tables[n][2], 64, "%s", c);
		n++;
	}
	db_res_free(&res);
out:
	return f < 0 ? -1 : n;
}

/* DELETE the rows of `athlete` from each of the n tables (inside the
 * caller's transaction). 0 or -1. */
static int
ex_account_delete_rows(struct ex_ctx *x, char (*tables)[3][64], int n,
                       long long athlete)
{
	char sql[256];
	int i, rc = -1;

	for (i = 0; i < n; i++) {
		/* names checked and from the server; the id a number */
		if (snprintf(sql, sizeof(sql),
		             "DELETE FROM `%s`.`%s` WHERE `%s` = %lld",
		             tables[i][0], tables[i][1], tables[i][2],
		             athlete) >= (int)sizeof(sql) ||
		    db_sql(x->db, sql) != 0)
			goto out;
	}
	rc = 0;
out:
	return rc;
}

int
ex_account_delete_all(struct ex_ctx *x, long long athlete)
{
	char tables[EX_MAX_TABLES][3][64];
	int n, rc = -1;

	if ((n = ex_account_tables(x, tables)) < 0)
		goto out;
	if (db_begin(x->db) != 0)
		goto out;
	if (ex_account_delete_rows(x, tables, n, athlete) != 0 ||
	    db_commit(x->db) != 0) {
		db_rollback(x->db);
		goto out;
	}
	log_info("all data of athlete %lld deleted (%d tables)", athlete, n);
	rc = 0;
out:
	if (rc != 0)
		log_err("cannot delete the data of athlete %lld: %s", athlete,
		        x->db->err);
	return rc;
}

int
ex_account_adopt(struct ex_ctx *x, long long from, long long to)
{
	char tables[EX_MAX_TABLES][3][64], sql[320];
	struct db_param tp[] = {DB_I64(to)};
	int n, i, rc = -1;

	if ((n = ex_account_tables(x, tables)) < 0)
		goto out;
	if (db_begin(x->db) != 0)
		goto out;
	/* raw and app rows move (where the connected athlete has the same
	 * key already, its row stays and the other goes below); the marts
	 * are the transform's to rebuild */
	for (i = 0; i < n; i++) {
		if (strcmp(tables[i][0], "cairn_mart") == 0 ||
		    strcmp(tables[i][1], "athlete") == 0)
			continue;
		if (snprintf(sql, sizeof(sql),
		             "UPDATE IGNORE `%s`.`%s` SET `%s` = %lld "
		             "WHERE `%s` = %lld",
		             tables[i][0], tables[i][1], tables[i][2], to,
		             tables[i][2], from) >= (int)sizeof(sql) ||
		    db_sql(x->db, sql) != 0)
			goto fail;
	}
	if (ex_account_delete_rows(x, tables, n, from) != 0 ||
	    db_exec(x->db, EX_SQL_ADOPT_TOUCH, tp, 1) < 0 ||
	    db_commit(x->db) != 0)
		goto fail;
	log_info("adopted import-only athlete %lld: its activities, streams "
	         "and settings are athlete %lld's now",
	         from, to);
	rc = 0;
	goto out;
fail:
	db_rollback(x->db);
out:
	if (rc != 0)
		log_err("cannot adopt import-only athlete %lld: %s", from,
		        x->db->err);
	return rc;
}

/* A demo athlete other than `to` (*other, 0: none). 0, or -1 on a
 * database error. */
static int
ex_account_demo_other(struct ex_ctx *x, long long to, long long *other)
{
	struct db_res res;
	int f, rc = -1;

	*other = 0;
	if (db_query(x->db, EX_SQL_DEMO_IDS, NULL, 0, &res) != 0)
		goto out;
	while ((f = db_fetch(&res)) == 1)
		if (db_i64(&res, 0) != to)
			*other = db_i64(&res, 0);
	db_res_free(&res);
	if (f < 0)
		goto out;
	rc = 0;
out:
	return rc;
}

int
ex_account_adoptable(struct ex_ctx *x, long long to, int demo, long long *from)
{
	struct db_param p[] = {DB_I64(to)};
	struct db_res res;
	long long ids[2] = {0, 0}, other = 0;
	char state[16] = "";
	int n = 0, f, other_demo = 0, profile = 0, to_demo = 0, rc = -1;

	*from = 0;
	if (!demo && ex_account_demo_other(x, to, &other) != 0)
		goto dberr;
	if (other > 0) {
		log_err("the database holds the local stack's demo athlete "
		        "%lld, and athlete %lld is someone else: nothing was "
		        "changed. Drop the demo first (`make connect "
		        "DROP_DEMO=1`, or `cairn-extract drop-demo`), or use a "
		        "stack of its own (another CAIRN_PORT)",
		        other, to);
		goto out;
	}
	if (db_query(x->db, EX_SQL_ATHLETE_DEMO_OF, p, 1, &res) != 0)
		goto dberr;
	if ((f = db_fetch(&res)) == 1)
		to_demo = db_i64(&res, 0) != 0;
	db_res_free(&res);
	if (f < 0)
		goto dberr;
	if (db_query(x->db, EX_SQL_ADOPT_OTHERS, p, 1, &res) != 0)
		goto dberr;
	while (n < 2 && (f = db_fetch(&res)) == 1) {
		ids[n++] = db_i64(&res, 0);
		if (n == 1) {
			snprintf(state, sizeof(state), "%s",
			         db_str(&res, 1) ? db_str(&res, 1) : "");
			other_demo = db_i64(&res, 2) != 0;
			profile = db_i64(&res, 3) != 0;
		}
	}
	db_res_free(&res);
	if (f < 0)
		goto dberr;
	/* only a lone import-only athlete, never into or from a demo one */
	if (n != 1 || strcmp(state, "none") != 0 || other_demo || demo ||
	    to_demo) {
		rc = 0;
		goto out;
	}
	if (profile) {
		log_err("the database holds import-only athlete %lld from an "
		        "export's profile.csv, and Strava connected athlete "
		        "%lld: that export is of another athlete, so nothing "
		        "was changed. Connect the Strava account of the export "
		        "(athlete %lld), or use a stack of its own (another "
		        "CAIRN_PORT)",
		        ids[0], to, ids[0]);
		goto out;
	}
	*from = ids[0];
	rc = 0;
	goto out;
dberr:
	log_err("cannot read the athletes: %s", x->db->err);
out:
	return rc;
}

int
ex_account_drop_demo(struct ex_ctx *x)
{
	long long ids[16];
	struct db_res res;
	int n = 0, f, i, rc = -1;

	if (db_query(x->db, EX_SQL_DEMO_IDS, NULL, 0, &res) != 0) {
		log_err("cannot list the demo athletes: %s", x->db->err);
		goto out;
	}
	while ((f = db_fetch(&res)) == 1 && n < 16)
		ids[n++] = db_i64(&res, 0);
	db_res_free(&res);
	if (f < 0) {
		log_err("cannot list the demo athletes: %s", x->db->err);
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (ex_account_delete_all(x, ids[i]) != 0)
			goto out;
		printf("dropped demo athlete %lld and all of its data\n",
		       ids[i]);
	}
	if (n == 0)
		printf("no demo athlete in the database\n");
	rc = 0;
out:
	return rc;
}

int
ex_account_deauth(struct ex_ctx *x, long long athlete, const char *state,
                  int sessions, int delete_data)
{
	struct db_param p[] = {DB_I64(athlete)};
	struct db_param sp[] = {DB_STR(state), DB_I64(athlete)};
	long always = 0;
	char err[128];

	if (cfg_get_long(x->cfg, "deauth_delete_data", 0, 0, 1, &always, err,
	                 sizeof(err)) != 0)
		always = 0;
	if (db_begin(x->db) != 0 ||
	    db_exec(x->db, EX_SQL_ACC_TOKEN_DEL, p, 1) < 0 ||
	    db_exec(x->db, EX_SQL_ATHLETE_SET_AUTH, sp, 2) < 0 ||
	    (sessions && db_exec(x->db, EX_SQL_ACC_SESSIONS_DEL, p, 1) < 0) ||
	    db_commit(x->db) != 0) {
		log_err("cannot remove the tokens of athlete %lld: %s", athlete,
		        x->db->err);
		db_rollback(x->db);
		return -1;
	}
	log_info("athlete %lld deauthorised: tokens deleted%s", athlete,
	         sessions ? ", logged out" : "");
	if (delete_data || always)
		return ex_account_delete_all(x, athlete);
	return 0;
}

int
ex_account_requests(struct ex_ctx *x)
{
	long long ids[100], ath[100];
	char act[100][17];
	struct db_res res;
	int n = 0, i, f, bad = 0;

	if (db_query(x->db, EX_SQL_ACC_PENDING, NULL, 0, &res) != 0) {
		log_err("cannot read the account requests: %s", x->db->err);
		return 1;
	}
	while ((f = db_fetch(&res)) == 1 && n < 100) {
		ids[n] = db_i64(&res, 0);
		ath[n] = db_i64(&res, 1);
		snprintf(act[n], sizeof(act[n]), "%s",
		         db_str(&res, 2) ? db_str(&res, 2) : "");
		n++;
	}
	db_res_free(&res);
	if (f < 0)
		return 1;
	for (i = 0; i < n; i++) {
		const char *result = "unknown action";
		struct db_param dp[2];

		log_set_athlete(ath[i]);
		if (strcmp(act[i], "delete_data") == 0) {
			if (ex_account_deauth(x, ath[i], "revoked", 1, 1) ==
			    0) {
				result = "deleted";
			} else {
				bad++;
				continue; /* stays pending: retried next run */
			}
		}
		dp[0] = DB_STR(result);
		dp[1] = DB_I64(ids[i]);
		if (db_exec(x->db, EX_SQL_ACC_DONE, dp, 2) < 0) {
			log_err("cannot mark account request %lld done: %s",
			        ids[i], x->db->err);
			bad++;
		}
	}
	log_set_athlete(0);
	return bad;
}
