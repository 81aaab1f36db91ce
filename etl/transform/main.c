/* main.c: cairn-transform, turns cairn_raw into the cairn_mart marts (metrics, totals, fitness, records) */
#include <getopt.h> /* getopt_long */
#include <stdio.h>  /* printf */
#include <stdlib.h> /* strtoll */

#include "cfg.h"
#include "log.h"
#include "tf.h"

static void
usage(FILE *f)
{
	fprintf(f,
	        "usage: cairn-transform [--config FILE] [--athlete ID] "
	        "[--full] [--help]\n"
	        "\n"
	        "Recomputes the marts (cairn_mart) from the raw activities "
	        "(cairn_raw): what changed\n"
	        "since the last run (new, edited, deleted activities, "
	        "changed settings, queued\n"
	        "recompute requests), one transaction per athlete. "
	        "docs/METRICS.md says what is computed.\n"
	        "\n"
	        "  --config FILE  settings file (default $CAIRN_CONFIG or "
	        "/etc/cairn/cairn.conf)\n"
	        "  --athlete ID   only this athlete\n"
	        "  --full         rebuild every mart from scratch (same "
	        "result as incremental runs)\n"
	        "\n"
	        "Prints `transform-stats activities=N seconds=S "
	        "model_seconds=M` on stderr at\n"
	        "the end (M: the athlete models' share of S).\n"
	        "exit status: 0 done, 1 failed (nothing half-written), 2 "
	        "usage or configuration\n"
	        "error, 3 partial (some athletes failed, the rest stored)\n");
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"athlete", required_argument, NULL, 'a'},
	    {"full", no_argument, NULL, 'f'},
	    {"bench-meanmax", required_argument, NULL, 'b'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *config = NULL;
	long long athlete = 0, bench = 0;
	int full = 0, ch, rc = 2;
	struct cfg *cf = NULL;
	char err[1024], *end;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			config = optarg;
			break;
		case 'a':
			athlete = strtoll(optarg, &end, 10);
			if (*end != '\0' || athlete == 0) {
				fprintf(stderr, "cairn-transform: --athlete "
				                "takes an athlete id\n");
				return 2;
			}
			break;
		case 'f':
			full = 1;
			break;
		case 'b':
			bench = strtoll(optarg, &end, 10);
			if (*end != '\0' || bench < 1 || bench > 604800) {
				fprintf(stderr,
				        "cairn-transform: "
				        "--bench-meanmax takes 1..604800\n");
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (bench > 0) {
		printf("meanmax n=%lld ms=%.3f\n", bench,
		       tf_bench_meanmax((size_t)bench));
		return 0;
	}
	cf = cfg_load(config, err, sizeof(err));
	if (cf == NULL) {
		fprintf(stderr, "cairn-transform: %s\n", err);
		goto out;
	}
	log_init("cairn-transform", cfg_get(cf, "log_level", "info"));
	rc = tf_main(cf, athlete, full);
out:
	cfg_free(cf);
	return rc;
}
