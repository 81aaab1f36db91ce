/* log.h: one line per event on stderr, with time, program, level and athlete */
#ifndef CAIRN_LOG_H
#define CAIRN_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERR };

/* Name the program and the least level printed ("debug", "info", ...). */
void log_init(const char *prog, const char *level);

/* The athlete the following lines are about (0: none). */
void log_set_athlete(long long athlete_id);

/*
 * Print one line: `2026-11-27T14:50:00Z cairn-extract warn athlete=1: msg`.
 * Never pass a token or a secret.
 */
void log_msg(enum log_level lv, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_err(...) log_msg(LOG_ERR, __VA_ARGS__)

#endif
