/* log.c: one line per event on stderr, with time, program, level and athlete */
#include "log.h"

#include <stdarg.h> /* va_list */
#include <stdio.h>  /* fprintf, vsnprintf */
#include <string.h> /* strcmp */
#include <time.h>   /* time, gmtime_r, strftime */

static const char *log_prog = "cairn";
static enum log_level log_min = LOG_INFO;
static long long log_athlete;

static const char *const log_names[] = {"debug", "info", "warn", "error"};

void
log_init(const char *prog, const char *level)
{
	int i;

	log_prog = prog;
	for (i = 0; level != NULL && i <= LOG_ERR; i++)
		if (strcmp(level, log_names[i]) == 0)
			log_min = (enum log_level)i;
}

void
log_set_athlete(long long athlete_id)
{
	log_athlete = athlete_id;
}

void
log_msg(enum log_level lv, const char *fmt, ...)
{
	char msg[2048], ts[32];
	time_t now = time(NULL);
	struct tm tm;
	va_list ap;

	if (lv < log_min)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (log_athlete != 0)
		fprintf(stderr, "%s %s %s athlete=%lld: %s\n", ts, log_prog,
		        log_names[lv], log_athlete, msg);
	else
		fprintf(stderr, "%s %s %s: %s\n", ts, log_prog, log_names[lv],
		        msg);
}
