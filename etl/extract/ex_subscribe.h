/* ex_subscribe.h: cairn-extract subscribe|unsubscribe|subscriptions: Strava's webhook subscription */
#ifndef CAIRN_EX_SUBSCRIBE_H
#define CAIRN_EX_SUBSCRIBE_H

/* Is argv one of these commands? (the word may follow --config FILE) */
int ex_sub_is_cmd(int argc, char **argv);

/* The whole command; returns the exit status. */
int ex_sub_main(int argc, char **argv);

#endif
