/* ex_cli.h: cairn-extract's command line: auth, sync, --events; exit statuses */
#ifndef CAIRN_EX_CLI_H
#define CAIRN_EX_CLI_H

/* Exit statuses (docs/ARCHITECTURE.md). */
enum {
	EX_EXIT_OK = 0,
	EX_EXIT_FAILED = 1,
	EX_EXIT_USAGE = 2,
	EX_EXIT_PARTIAL = 3,
	EX_EXIT_RATE = 4,
	EX_EXIT_REAUTH = 5,
};

/* The whole program; returns the exit status. */
int ex_cli_main(int argc, char **argv);

#endif
