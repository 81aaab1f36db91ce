/* ex_turn.h: the turn queue of the shared budget: round robin, events first */
#ifndef CAIRN_EX_TURN_H
#define CAIRN_EX_TURN_H

struct db_conn;

/* Priorities of the turn queue (cairn_app.rate_waiter): lower goes first. */
enum { EX_PRIO_EVENT = 0, EX_PRIO_SYNC = 1 };

#define EX_TURN_POLL 0.01 /* s between two asks */

/*
 * This process's place in the queue, kept in the run's context (struct
 * ex_ctx). A zeroed one takes no turns; a forked child works on its copy.
 */
struct ex_turn {
	long long athlete; /* whom the next requests are for; 0: no turns */
	int prio;          /* EX_PRIO_* */
	int joined;        /* stale waiters purged, our row may exist */
};

/*
 * Whom this process's next requests are for. athlete 0: no turn taking
 * (every request is granted as soon as the budget has room).
 */
void ex_turn_set(struct ex_turn *t, long long athlete, int priority);

/*
 * Inside ex_rate_take()'s transaction on `db`, with room in the budget: is
 * it this process's turn? Registers it as waiting; 1 granted (and
 * recorded), 0 not yet (commit, sleep EX_TURN_POLL and ask again), -1
 * database error (db->err).
 */
int ex_turn_mine(struct ex_turn *t, struct db_conn *db, double now);

/* Leave the queue (end of a run); db may be NULL (nothing to leave). */
void ex_turn_leave(struct ex_turn *t, struct db_conn *db);

#endif
