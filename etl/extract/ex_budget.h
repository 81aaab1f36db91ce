/* ex_budget.h: athletes synced in parallel children sharing the budget */
#ifndef CAIRN_EX_BUDGET_H
#define CAIRN_EX_BUDGET_H

#include <stddef.h> /* size_t */

#include "ex_sync.h"

struct ex_ctx;

/*
 * Sync `n` athletes in parallel child processes (setting sync_parallel,
 * default 4), each with its own connections; the turn queue (ex_turn.c)
 * interleaves their requests. Returns a malloc'd status per athlete, or
 * NULL when the caller should sync them one after another itself
 * (sync_parallel = 1, a single athlete, or no fork possible).
 */
enum ex_status *ex_budget_sync_all(struct ex_ctx *x, const long long *ids,
                                   size_t n, int full, struct ex_totals *t);

#endif
