/* ex_events.h: cairn-extract --events: apply the webhook events cairn-api recorded */
#ifndef CAIRN_EX_EVENTS_H
#define CAIRN_EX_EVENTS_H

struct ex_ctx;

/*
 * Apply pending events in order: create/update fetch exactly that activity,
 * delete tombstones it (the transform removes it from the marts), an
 * athlete's deauthorisation removes its tokens (and its data with
 * deauth_delete_data = 1); then the dashboard's account requests. Returns
 * an exit status (docs/ARCHITECTURE.md).
 */
int ex_events_run(struct ex_ctx *x);

#endif
