/* ex_cli.h: cairn-extract's command line: auth, sync, --events */
#ifndef CAIRN_EX_CLI_H
#define CAIRN_EX_CLI_H

/* The whole program; returns the exit status (ex_exit.h). */
int ex_cli_main(int argc, char **argv);

#endif
