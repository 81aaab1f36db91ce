/* ex_budget.h: the shared rate budget served fairly: round robin among athletes, webhook work first */
#ifndef CAIRN_EX_BUDGET_H
#define CAIRN_EX_BUDGET_H

#include <stddef.h> /* size_t */

#include "ex_sync.h"

struct ex_ctx;

/* Priorities of the turn queue: lower is served first. */
enum { EX_PRIO_EVENT = 0, EX_PRIO_SYNC = 1 };

/*
 * Whom this process's next requests are for. athlete 0: no turn taking
 * (every request is granted as soon as the budget has room).
 */
void ex_turn_set(long long athlete, int priority);

/*
 * Inside ex_rate_take()'s transaction, with room in the budget: is it this
 * process's turn? Registers it as waiting; 1 granted (and recorded), 0 not
 * yet (commit, sleep EX_TURN_POLL and ask again), -1 database error.
 */
int ex_turn_mine(struct ex_ctx *x, double now);
#define EX_TURN_POLL 0.01 /* s between two asks */

/* Leave the queue (end of a run). */
void ex_turn_leave(struct ex_ctx *x);

/*
 * Sync `n` athletes in parallel child processes (setting sync_parallel,
 * default 4), each with its own connections; the budget's turn queue
 * interleaves their requests. Returns a malloc'd status per athlete, or
 * NULL when the caller should sync them one after another itself
 * (sync_parallel = 1, a single athlete, or no fork possible).
 */
enum ex_status *ex_budget_sync_all(struct ex_ctx *x, const long long *ids,
                                   size_t n, int full, struct ex_totals *t);

#endif
