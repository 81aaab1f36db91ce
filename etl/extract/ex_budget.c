/* ex_budget.c: athletes synced in parallel children sharing the budget */
#include "ex_budget.h"

#include <errno.h>    /* errno */
#include <stdio.h>    /* snprintf */
#include <stdlib.h>   /* malloc, free */
#include <string.h>   /* memset, strerror */
#include <sys/wait.h> /* waitpid */
#include <unistd.h>   /* fork, pipe, _exit */

#include "cfg.h"
#include "db.h"
#include "ex_ctx.h"
#include "ex_http.h"
#include "ex_sql.h"
#include "ex_sync.h"
#include "ex_turn.h"
#include "log.h"

/* What a child reports to the parent through its pipe. */
struct ex_child_report {
	int status;
	struct ex_totals t;
	long requests, retries, n429, waits;
};

/* The child: own connections, one athlete, report, exit. */
static void
ex_child(struct ex_ctx *x, long long athlete, int full, int fd)
{
	struct ex_child_report rep;
	char err[512];
	ssize_t w;

	memset(&rep, 0, sizeof(rep));
	rep.status = EX_ST_FAILED;
	/* The parent's connections stay untouched: they are not ours. */
	x->db = db_open(x->cfg, DB_ETL, ex_sql, EX_SQL_COUNT, err, sizeof(err));
	x->http = x->db != NULL ? ex_http_open(x->cfg, err, sizeof(err)) : NULL;
	x->requests = x->n_retries = x->n_429 = 0;
	x->rate.waits = 0;
	if (x->db == NULL || x->http == NULL) {
		log_err("athlete %lld: %s", athlete, err);
	} else {
		ex_turn_set(&x->turn, athlete, EX_PRIO_SYNC);
		rep.status = (int)ex_sync_athlete(x, athlete, full, &rep.t);
		ex_turn_leave(&x->turn, x->db);
	}
	rep.requests = x->requests;
	rep.retries = x->n_retries;
	rep.n429 = x->n_429;
	rep.waits = x->rate.waits;
	w = write(fd, &rep, sizeof(rep));
	(void)w;
	close(fd);
	db_close(x->db);
	ex_http_close(x->http);
	_exit(0);
}

struct ex_slot {
	pid_t pid;
	int fd;
	size_t idx;
};

/* Wait for any child; collect its report. */
static void
ex_reap(struct ex_ctx *x, struct ex_slot *slots, long nslots, long *busy,
        enum ex_status *st, struct ex_totals *t)
{
	int wst;
	pid_t pid = waitpid(-1, &wst, 0);
	long i;

	for (i = 0; i < nslots; i++) {
		struct ex_child_report rep;

		if (slots[i].pid != pid || pid <= 0)
			continue;
		if (read(slots[i].fd, &rep, sizeof(rep)) ==
		    (ssize_t)sizeof(rep)) {
			st[slots[i].idx] = (enum ex_status)rep.status;
			t->stored += rep.t.stored;
			t->skipped += rep.t.skipped;
			t->deleted += rep.t.deleted;
			t->listed += rep.t.listed;
			x->requests += rep.requests;
			x->n_retries += rep.retries;
			x->n_429 += rep.n429;
			x->rate.waits += rep.waits;
		} else {
			log_err("the sync of one athlete ended without a "
			        "report (crashed?)");
		}
		close(slots[i].fd);
		slots[i].pid = 0;
		(*busy)--;
	}
}

enum ex_status *
ex_budget_sync_all(struct ex_ctx *x, const long long *ids, size_t n, int full,
                   struct ex_totals *t)
{
	enum ex_status *st = NULL;
	struct ex_slot *slots = NULL;
	long par = 4, busy = 0, i;
	size_t next = 0;
	char err[256];
	int daily = 0;

	if (cfg_get_long(x->cfg, "sync_parallel", 4, 1, 32, &par, err,
	                 sizeof(err)) != 0) {
		log_warn("%s; syncing one athlete at a time", err);
		par = 1;
	}
	if (n < 2 || par < 2)
		return NULL;
	st = malloc(n * sizeof(*st));
	slots = calloc((size_t)par, sizeof(*slots));
	if (st == NULL || slots == NULL)
		goto fail;
	for (i = 0; i < (long)n; i++)
		st[i] = EX_ST_OK;
	log_info("syncing %zu athletes, %ld at a time, sharing the request "
	         "budget round robin",
	         n, par);
	fflush(stderr);
	while (next < n || busy > 0) {
		if (next < n && busy < par && !daily) {
			int fds[2];
			pid_t pid;

			for (i = 0; i < par && slots[i].pid != 0; i++)
				;
			if (pipe(fds) != 0) {
				log_err("cannot start a sync: %s",
				        strerror(errno));
				st[next++] = EX_ST_FAILED;
				continue;
			}
			pid = fork();
			if (pid == 0) {
				close(fds[0]);
				ex_child(x, ids[next], full, fds[1]);
			}
			close(fds[1]);
			if (pid < 0) {
				log_err("cannot fork: %s", strerror(errno));
				close(fds[0]);
				st[next++] = EX_ST_FAILED;
				continue;
			}
			slots[i] = (struct ex_slot){pid, fds[0], next};
			busy++;
			next++;
			continue;
		}
		if (next < n && daily) {
			/* the day's budget is spent: the rest waits too */
			st[next++] = EX_ST_DAILY;
			continue;
		}
		ex_reap(x, slots, par, &busy, st, t);
		for (i = 0; i < (long)n; i++)
			if (st[i] == EX_ST_DAILY)
				daily = 1;
	}
	free(slots);
	return st;
fail:
	free(st);
	free(slots);
	return NULL;
}
