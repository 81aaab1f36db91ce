/* main.c: entry point of cairn-api, the FastCGI program behind nginx (all logic in api_*.c) */
#include "api.h"

int
main(int argc, char **argv)
{
	return api_main(argc, argv);
}
