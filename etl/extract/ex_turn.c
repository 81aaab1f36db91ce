/* ex_turn.c: the turn queue of the shared budget: round robin, events first */
#include "ex_turn.h"

#include "db.h"
#include "ex_sql.h"
#include "log.h"

/* s after its last ask a waiter no longer counts */
#define EX_TURN_STALE 2.0

void
ex_turn_set(struct ex_turn *t, long long athlete, int priority)
{
	t->athlete = athlete;
	t->prio = priority;
}

int
ex_turn_mine(struct ex_turn *t, struct db_conn *db, double now)
{
	struct db_param jp[] = {DB_I64(t->athlete), DB_I64(t->prio),
	                        DB_DBL(now)};
	struct db_param hp[] = {DB_DBL(now - EX_TURN_STALE)};
	struct db_res res;
	int head = 1, f;

	if (t->athlete == 0)
		return 1;
	if (!t->joined) {
		struct db_param pp[] = {DB_DBL(now - 3600)};

		if (db_exec(db, EX_SQL_TURN_PURGE, pp, 1) < 0)
			return -1;
		t->joined = 1;
	}
	if (db_exec(db, EX_SQL_TURN_JOIN, jp, 3) < 0)
		return -1;
	if (db_query(db, EX_SQL_TURN_HEAD, hp, 1, &res) != 0)
		return -1;
	f = db_fetch(&res);
	if (f == 1)
		head = db_i64(&res, 0) != 0;
	db_res_free(&res);
	if (f < 0)
		return -1;
	if (!head)
		return 0;
	if (db_exec(db, EX_SQL_TURN_SEQ, NULL, 0) < 0 ||
	    db_exec(db, EX_SQL_TURN_GRANT, NULL, 0) < 0)
		return -1;
	return 1;
}

void
ex_turn_leave(struct ex_turn *t, struct db_conn *db)
{
	if (!t->joined || db == NULL)
		return;
	if (db_exec(db, EX_SQL_TURN_LEAVE, NULL, 0) < 0)
		log_warn("cannot leave the request queue: %s", db->err);
	t->joined = 0;
}
