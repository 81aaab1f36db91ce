/* ex_account.c: deauthorisation of an athlete: tokens, sessions, and on request all of its data */
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

int
ex_account_delete_all(struct ex_ctx *x, long long athlete)
{
	char tables[EX_MAX_TABLES][3][64], sql[256];
	struct db_res res;
	int n = 0, i, f, rc = -1;

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
	if (f < 0)
		goto out;
	if (db_begin(x->db) != 0)
		goto out;
	for (i = 0; i < n; i++) {
		/* names checked above and from the server; the id a number */
		if (snprintf(sql, sizeof(sql),
		             "DELETE FROM `%s`.`%s` WHERE `%s` = %lld",
		             tables[i][0], tables[i][1], tables[i][2],
		             athlete) >= (int)sizeof(sql) ||
		    db_sql(x->db, sql) != 0) {
			db_rollback(x->db);
			goto out;
		}
	}
	if (db_commit(x->db) != 0) {
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
