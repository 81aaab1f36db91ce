/* cfg.h: Cairn's settings: a key = value file with CAIRN_* environment overrides */
#ifndef CAIRN_CFG_H
#define CAIRN_CFG_H

#include <stddef.h> /* size_t */

struct cfg;

/*
 * Load settings. `path` is the file named by --config (or NULL: then
 * $CAIRN_CONFIG, then /etc/cairn/cairn.conf if it exists). A file named
 * explicitly must exist. Every key may be overridden by the environment as
 * CAIRN_<KEY> (upper case); `<key>_file` (or CAIRN_<KEY>_FILE) reads the
 * value from a file, for secrets. A config file that holds a secret and is
 * readable by others is refused.
 * On error NULL is returned and `err` says what is wrong and what to do.
 * The caller frees the result with cfg_free().
 */
struct cfg *cfg_load(const char *path, char *err, size_t errlen);
void cfg_free(struct cfg *c);

/* The value of `key`, or `def` when unset. Borrowed: valid until cfg_free(). */
const char *cfg_get(const struct cfg *c, const char *key, const char *def);

/*
 * The integer value of `key` in [min, max], `def` when unset. Returns 0 and
 * sets *out, or -1 with `err` filled when the value is not such a number.
 */
int cfg_get_long(const struct cfg *c, const char *key, long def, long min,
                 long max, long *out, char *err, size_t errlen);

/* Set a value (used by tests and by programs for derived defaults). */
int cfg_set(struct cfg *c, const char *key, const char *value);

/* The file the settings came from, or NULL. */
const char *cfg_path(const struct cfg *c);

#endif
