/* ex_account.h: deauthorisation of an athlete: tokens, sessions, and on request all of its data */
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

/* Carry out the dashboard's queued requests. Returns the failures. */
int ex_account_requests(struct ex_ctx *x);

#endif
