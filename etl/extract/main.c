/* main.c: entry point of cairn-extract (everything else lives in ex_cli.c and friends) */
#include "ex_cli.h"

int
main(int argc, char **argv)
{
	return ex_cli_main(argc, argv);
}
