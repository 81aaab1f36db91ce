/* ex_account.h: deauthorisation of an athlete (tokens, sessions, on request all of its data), adoption of an import-only athlete, dropping the demo athlete */
#ifndef CAIRN_EX_ACCOUNT_H
#define CAIRN_EX_ACCOUNT_H

struct ex_ctx;

/*
 * The athlete's authorisation is gone (Strava's webhook, a refused refresh):
 * delete its tokens, set auth_state to `state` ('revoked' or 'reauth'),
 * delete its sessions when `sessions`, and everything of it when
 * `delete_data` (or the setting deauth_delete_data = 1). 0 or -1.
 */
int ex_account_deauth(struct ex_ctx *x, long long athlete, const char *state,
                      int sessions, int delete_data);

/* Delete every row of the athlete in cairn_raw, cairn_mart, cairn_app. */
int ex_account_delete_all(struct ex_ctx *x, long long athlete);

/*
 * Before a code exchange stores athlete `to` (`demo`: it is being marked
 * the demo athlete): *from is the import-only athlete it adopts (0: none).
 * Adopted is the only other athlete when it is import-only (auth_state
 * 'none') and neither it nor `to` is a demo athlete. -1 (logged, nothing
 * changed) when that athlete's id came from an export's profile.csv (an
 * export of another Strava athlete), or when `to` is not `demo` and the
 * database holds a demo athlete other than `to`. docs/EXTRACT.md, "One
 * athlete per person".
 */
int ex_account_adoptable(struct ex_ctx *x, long long to, int demo,
                         long long *from);

/* Move every raw and app row of `from` to `to`, delete `from` and its
 * marts, in one transaction. 0 or -1. */
int ex_account_adopt(struct ex_ctx *x, long long from, long long to);

/* Delete every demo athlete (cairn_raw.athlete.demo) with all its data,
 * saying so on stdout. 0 or -1. */
int ex_account_drop_demo(struct ex_ctx *x);

/* Carry out the dashboard's queued requests. Returns the failures. */
int ex_account_requests(struct ex_ctx *x);

#endif
