/* ex_rate.h: the app-wide Strava rate budget, paced to window edges */
#ifndef CAIRN_EX_RATE_H
#define CAIRN_EX_RATE_H

#include <stddef.h> /* size_t */

struct ex_ctx;
struct ex_rate_hdr;

/* Seconds since the epoch, with fractions. */
double ex_now(void);
/* Sleep `s` seconds (fractions allowed). */
void ex_sleep(double s);

/* The start of the window after `now` for windows of `window` s from epoch. */
long long ex_rate_next_boundary(double now, long window);

/* Load the budget settings; 0 or -1 with err. */
int ex_rate_init(struct ex_ctx *x, char *err, size_t errlen);

/*
 * Take one request from the shared budget, sleeping to the next window when
 * the short budget is spent. Returns 0, 1 when the daily budget is spent
 * (nothing taken), -1 on a database error (x->db->err).
 */
int ex_rate_take(struct ex_ctx *x, long long *win_at_send);

/* Correct the shared budget from an answer's headers (429: `limited`). */
int ex_rate_seen(struct ex_ctx *x, const struct ex_rate_hdr *h,
                 long long win_at_send, int limited);

/* When the daily budget resets (epoch s). */
long long ex_rate_day_reset(const struct ex_ctx *x);

#endif
