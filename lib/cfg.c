/* cfg.c: Cairn's settings: a key = value file with CAIRN_* environment overrides */
#include "cfg.h"

#include <ctype.h>    /* isspace, toupper */
#include <errno.h>    /* errno */
#include <stdio.h>    /* FILE, snprintf */
#include <stdlib.h>   /* getenv, strtol */
#include <string.h>   /* strcmp, strerror */
#include <sys/stat.h> /* stat */

#define CFG_MAX_ENTRIES 256
#define CFG_MAX_LINE 4096
#define CFG_MAX_SECRET_FILE 4096

struct cfg_entry {
	char *key;
	char *value;
};

struct cfg {
	char *path;
	size_t n;
	struct cfg_entry e[CFG_MAX_ENTRIES];
};

static char *
cfg_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);

	if (d != NULL)
		memcpy(d, s, n);
	return d;
}

static char *
cfg_trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

int
cfg_set(struct cfg *c, const char *key, const char *value)
{
	size_t i;
	char *v;

	v = cfg_strdup(value);
	if (v == NULL)
		return -1;
	for (i = 0; i < c->n; i++) {
		if (strcmp(c->e[i].key, key) == 0) {
			free(c->e[i].value);
			c->e[i].value = v;
			return 0;
		}
	}
	if (c->n == CFG_MAX_ENTRIES) {
		free(v);
		return -1;
	}
	c->e[c->n].key = cfg_strdup(key);
	if (c->e[c->n].key == NULL) {
		free(v);
		return -1;
	}
	c->e[c->n].value = v;
	c->n++;
	return 0;
}

/* True for keys whose values are secrets (never logged, not world-readable). */
static int
cfg_is_secret(const char *key)
{
	return strstr(key, "secret") != NULL ||
	       strstr(key, "password") != NULL || strstr(key, "token") != NULL;
}

/* Read a secret from a file: first line, trimmed. */
static int
cfg_read_secret(const char *file, char *out, size_t outlen, char *err,
                size_t errlen)
{
	FILE *f;
	int rc = -1;

	f = fopen(file, "r");
	if (f == NULL) {
		snprintf(err, errlen, "cannot read secret file %s: %s", file,
		         strerror(errno));
		goto out;
	}
	if (fgets(out, (int)outlen, f) == NULL)
		out[0] = '\0';
	memmove(out, cfg_trim(out), strlen(cfg_trim(out)) + 1);
	rc = 0;
out:
	if (f != NULL)
		fclose(f);
	return rc;
}

static int
cfg_parse_file(struct cfg *c, const char *path, char *err, size_t errlen)
{
	FILE *f;
	char line[CFG_MAX_LINE];
	int lineno = 0, secrets = 0, rc = -1;
	struct stat st;

	f = fopen(path, "r");
	if (f == NULL) {
		snprintf(err, errlen,
		         "cannot open config file %s: %s (pass an existing "
		         "file with --config or set CAIRN_CONFIG)",
		         path, strerror(errno));
		goto out;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char *s, *eq, *key, *val;

		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			snprintf(err, errlen, "config %s:%d: line too long",
			         path, lineno);
			goto out;
		}
		s = cfg_trim(line);
		if (*s == '\0' || *s == '#')
			continue;
		eq = strchr(s, '=');
		if (eq == NULL) {
			snprintf(err, errlen,
			         "config %s:%d: expected 'key = value'", path,
			         lineno);
			goto out;
		}
		*eq = '\0';
		key = cfg_trim(s);
		val = cfg_trim(eq + 1);
		if (*key == '\0') {
			snprintf(err, errlen, "config %s:%d: empty key", path,
			         lineno);
			goto out;
		}
		if (cfg_is_secret(key) && strstr(key, "_file") == NULL &&
		    *val != '\0')
			secrets++;
		if (cfg_set(c, key, val) != 0) {
			snprintf(err, errlen, "config %s: too many keys", path);
			goto out;
		}
	}
	if (secrets > 0 && fstat(fileno(f), &st) == 0 &&
	    (st.st_mode & S_IROTH)) {
		snprintf(err, errlen,
		         "config %s holds secrets and is world-readable: run "
		         "chmod o-r %s (or move the secrets to *_file entries)",
		         path, path);
		goto out;
	}
	rc = 0;
out:
	if (f != NULL)
		fclose(f);
	return rc;
}

/* Apply CAIRN_<KEY> and CAIRN_<KEY>_FILE from the environment. */
static int
cfg_apply_env(struct cfg *c, char *err, size_t errlen)
{
	extern char **environ;
	char **ep;
	char key[128];

	for (ep = environ; *ep != NULL; ep++) {
		const char *eq = strchr(*ep, '=');
		size_t klen, i;

		if (strncmp(*ep, "CAIRN_", 6) != 0 || eq == NULL)
			continue;
		klen = (size_t)(eq - *ep) - 6;
		if (klen == 0 || klen >= sizeof(key))
			continue;
		for (i = 0; i < klen; i++)
			key[i] = (char)tolower((unsigned char)(*ep)[6 + i]);
		key[klen] = '\0';
		if (strcmp(key, "config") == 0)
			continue;
		if (cfg_set(c, key, eq + 1) != 0) {
			snprintf(err, errlen, "too many settings");
			return -1;
		}
	}
	return 0;
}

/* Resolve every `<key>_file` entry into `<key>`. */
static int
cfg_resolve_files(struct cfg *c, char *err, size_t errlen)
{
	size_t i, n = c->n;
	char key[128], buf[CFG_MAX_SECRET_FILE];

	for (i = 0; i < n; i++) {
		size_t kl = strlen(c->e[i].key);

		if (kl <= 5 || strcmp(c->e[i].key + kl - 5, "_file") != 0)
			continue;
		if (kl - 5 >= sizeof(key) || c->e[i].value[0] == '\0')
			continue;
		memcpy(key, c->e[i].key, kl - 5);
		key[kl - 5] = '\0';
		if (cfg_read_secret(c->e[i].value, buf, sizeof(buf), err,
		                    errlen) != 0)
			return -1;
		if (cfg_set(c, key, buf) != 0)
			return -1;
	}
	return 0;
}

struct cfg *
cfg_load(const char *path, char *err, size_t errlen)
{
	struct cfg *c, *res = NULL;
	struct stat st;

	c = calloc(1, sizeof(*c));
	if (c == NULL) {
		snprintf(err, errlen, "cannot load config: out of memory");
		return NULL;
	}
	if (path == NULL)
		path = getenv("CAIRN_CONFIG");
	if (path == NULL && stat("/etc/cairn/cairn.conf", &st) == 0)
		path = "/etc/cairn/cairn.conf";
	if (path != NULL) {
		c->path = cfg_strdup(path);
		if (c->path == NULL ||
		    cfg_parse_file(c, path, err, errlen) != 0)
			goto out;
	}
	if (cfg_apply_env(c, err, errlen) != 0)
		goto out;
	if (cfg_resolve_files(c, err, errlen) != 0)
		goto out;
	res = c;
	c = NULL;
out:
	cfg_free(c);
	return res;
}

void
cfg_free(struct cfg *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++) {
		free(c->e[i].key);
		free(c->e[i].value);
	}
	free(c->path);
	free(c);
}

const char *
cfg_get(const struct cfg *c, const char *key, const char *def)
{
	size_t i;

	for (i = 0; c != NULL && i < c->n; i++)
		if (strcmp(c->e[i].key, key) == 0)
			return c->e[i].value;
	return def;
}

int
cfg_get_long(const struct cfg *c, const char *key, long def, long min, long max,
             long *out, char *err, size_t errlen)
{
	const char *v = cfg_get(c, key, NULL);
	char *end;
	long n;

	if (v == NULL || *v == '\0') {
		*out = def;
		return 0;
	}
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || n < min || n > max) {
		snprintf(err, errlen,
		         "setting %s = '%s' is not a whole number from %ld to "
		         "%ld",
		         key, v, min, max);
		return -1;
	}
	*out = n;
	return 0;
}

const char *
cfg_path(const struct cfg *c)
{
	return c != NULL ? c->path : NULL;
}
