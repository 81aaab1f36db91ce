/* ex_exit.h: cairn-extract's exit statuses, shared by the commands */
#ifndef CAIRN_EX_EXIT_H
#define CAIRN_EX_EXIT_H

/* Exit statuses (docs/ARCHITECTURE.md). */
enum {
	EX_EXIT_OK = 0,
	EX_EXIT_FAILED = 1,
	EX_EXIT_USAGE = 2,
	EX_EXIT_PARTIAL = 3,
	EX_EXIT_RATE = 4,
	EX_EXIT_REAUTH = 5,
};

#endif
