/* migrate.c: applies sql/NNN_*.sql in order, once each, and creates the database accounts */
#include "migrate.h"

#include <ctype.h>  /* isdigit */
#include <dirent.h> /* opendir */
#include <errno.h>  /* errno */
#include <stdio.h>  /* FILE */
#include <stdlib.h> /* malloc, qsort */
#include <string.h> /* strcmp */

#include "cfg.h"
#include "db.h"
#include "log.h"

#define MIG_MAX_FILES 512
#define MIG_MAX_SQL (4 * 1024 * 1024)

static int
mig_cmp(const void *a, const void *b)
{
	const struct mig_file *x = a, *y = b;

	return x->version < y->version ? -1 : x->version > y->version;
}

int
mig_list(const char *dir, struct mig_file **out, size_t *n, char *err,
         size_t errlen)
{
	DIR *d;
	struct dirent *de;
	struct mig_file *files = NULL;
	size_t count = 0, i;
	int rc = -1;

	*out = NULL;
	*n = 0;
	d = opendir(dir);
	if (d == NULL) {
		snprintf(err, errlen,
		         "cannot open migrations folder %s: %s (set sql_dir "
		         "or pass --dir)",
		         dir, strerror(errno));
		goto out;
	}
	files = calloc(MIG_MAX_FILES, sizeof(*files));
	if (files == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	while ((de = readdir(d)) != NULL) {
		const char *nm = de->d_name;
		size_t len = strlen(nm);

		if (len < 9 || !isdigit((unsigned char)nm[0]) ||
		    !isdigit((unsigned char)nm[1]) ||
		    !isdigit((unsigned char)nm[2]) || nm[3] != '_' ||
		    strcmp(nm + len - 4, ".sql") != 0)
			continue;
		if (count == MIG_MAX_FILES) {
			snprintf(err, errlen, "too many migrations in %s", dir);
			goto out;
		}
		files[count].version =
		    (nm[0] - '0') * 100 + (nm[1] - '0') * 10 + (nm[2] - '0');
		snprintf(files[count].name, sizeof(files[count].name), "%s",
		         nm);
		snprintf(files[count].path, sizeof(files[count].path), "%s/%s",
		         dir, nm);
		count++;
	}
	qsort(files, count, sizeof(*files), mig_cmp);
	for (i = 1; i < count; i++) {
		if (files[i].version == files[i - 1].version) {
			snprintf(err, errlen,
			         "two migrations share version %03d: %s and %s",
			         files[i].version, files[i - 1].name,
			         files[i].name);
			goto out;
		}
	}
	*out = files;
	*n = count;
	files = NULL;
	rc = 0;
out:
	if (d != NULL)
		closedir(d);
	free(files);
	return rc;
}

/* The line where the statement's text starts, past blanks and -- comments. */
static int
mig_first_line(const char *s, int line)
{
	while (*s != '\0') {
		if (*s == '\n') {
			line++;
			s++;
		} else if (isspace((unsigned char)*s)) {
			s++;
		} else if (s[0] == '-' && s[1] == '-') {
			while (*s != '\0' && *s != '\n')
				s++;
		} else {
			break;
		}
	}
	return line;
}

/*
 * Split SQL text into statements ended by ';' outside quotes and comments.
 * Returns the number of statements written into stmts (pointers into the
 * modified `sql`), with their first line numbers in `lines`.
 */
size_t
mig_split(char *sql, char **stmts, int *lines, size_t max)
{
	char *p = sql, *start = sql, quote = 0;
	int line = 1, start_line = 1;
	size_t n = 0;

	for (; *p != '\0'; p++) {
		if (*p == '\n')
			line++;
		if (quote != 0) {
			if (*p == '\\' && p[1] != '\0')
				p++;
			else if (*p == quote)
				quote = 0;
			continue;
		}
		if (*p == '\'' || *p == '"' || *p == '`') {
			quote = *p;
		} else if (*p == '-' && p[1] == '-') {
			while (p[1] != '\0' && p[1] != '\n')
				p++;
		} else if (*p == '#') {
			while (p[1] != '\0' && p[1] != '\n')
				p++;
		} else if (*p == '/' && p[1] == '*') {
			p += 2;
			while (*p != '\0' && !(*p == '*' && p[1] == '/')) {
				if (*p == '\n')
					line++;
				p++;
			}
			if (*p == '\0')
				break;
			p++;
		} else if (*p == ';') {
			*p = '\0';
			if (n < max) {
				stmts[n] = start;
				lines[n] = mig_first_line(start, start_line);
			}
			n++;
			start = p + 1;
			start_line = line;
		}
	}
	/* A trailing statement without ';' still counts if it has content. */
	for (p = start; *p != '\0'; p++) {
		if (!isspace((unsigned char)*p)) {
			if (n < max) {
				stmts[n] = start;
				lines[n] = mig_first_line(start, start_line);
			}
			n++;
			break;
		}
	}
	return n < max ? n : max;
}

/* True when the statement is only white space and comments. */
static int
mig_blank(const char *s)
{
	while (*s != '\0') {
		if (isspace((unsigned char)*s)) {
			s++;
		} else if (s[0] == '-' && s[1] == '-') {
			while (*s != '\0' && *s != '\n')
				s++;
		} else {
			return 0;
		}
	}
	return 1;
}

static char *
mig_read(const char *path, char *err, size_t errlen)
{
	FILE *f;
	char *buf = NULL, *res = NULL;
	size_t len;

	f = fopen(path, "r");
	if (f == NULL) {
		snprintf(err, errlen, "cannot read %s: %s", path,
		         strerror(errno));
		goto out;
	}
	buf = malloc(MIG_MAX_SQL + 1);
	if (buf == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	len = fread(buf, 1, MIG_MAX_SQL + 1, f);
	if (len > MIG_MAX_SQL) {
		snprintf(err, errlen, "%s is larger than %d bytes", path,
		         MIG_MAX_SQL);
		goto out;
	}
	buf[len] = '\0';
	res = buf;
	buf = NULL;
out:
	if (f != NULL)
		fclose(f);
	free(buf);
	return res;
}

static const char *const mig_bootstrap[] = {
    "CREATE DATABASE IF NOT EXISTS cairn_app CHARACTER SET utf8mb4 "
    "COLLATE utf8mb4_unicode_ci",
    "CREATE TABLE IF NOT EXISTS cairn_app.schema_version ("
    " version INT NOT NULL PRIMARY KEY,"
    " name VARCHAR(255) NOT NULL,"
    " applied_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP"
    ") ENGINE=InnoDB",
};

int
mig_current(struct db_conn *c, int *version)
{
	struct db_res res;
	int rc = -1;
	size_t i;

	for (i = 0; i < sizeof(mig_bootstrap) / sizeof(*mig_bootstrap); i++)
		if (db_sql(c, mig_bootstrap[i]) != 0)
			return -1;
	if (db_query(c, MIG_MAX_VERSION, NULL, 0, &res) != 0)
		return -1;
	if (db_fetch(&res) == 1) {
		*version = (int)db_i64(&res, 0);
		rc = 0;
	}
	db_res_free(&res);
	return rc;
}

int
mig_apply_file(struct db_conn *c, const struct mig_file *f, char *err,
               size_t errlen)
{
	char *sql, **stmts = NULL;
	int *lines = NULL, rc = -1;
	size_t n, i;
	struct db_param p[2];

	sql = mig_read(f->path, err, errlen);
	if (sql == NULL)
		goto out;
	stmts = calloc(4096, sizeof(*stmts));
	lines = calloc(4096, sizeof(*lines));
	if (stmts == NULL || lines == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	n = mig_split(sql, stmts, lines, 4096);
	/* DDL commits implicitly in MariaDB; the version row is written last.
	 */
	if (db_begin(c) != 0)
		goto dberr;
	for (i = 0; i < n; i++) {
		if (mig_blank(stmts[i]))
			continue;
		if (db_sql(c, stmts[i]) != 0) {
			snprintf(err, errlen,
			         "cannot apply %s: statement %zu (line %d) "
			         "failed: %s",
			         f->name, i + 1, lines[i], c->err);
			db_rollback(c);
			goto out;
		}
	}
	p[0] = DB_I64(f->version);
	p[1] = DB_STR(f->name);
	if (db_exec(c, MIG_RECORD, p, 2) < 0 || db_commit(c) != 0)
		goto dberr;
	rc = 0;
	goto out;
dberr:
	snprintf(err, errlen, "cannot apply %s: %s", f->name, c->err);
	db_rollback(c);
out:
	free(sql);
	free(stmts);
	free(lines);
	return rc;
}

/* Quote a value for an account statement (which cannot take ? markers). */
static int
mig_quote(struct db_conn *c, const char *in, char *out, size_t outlen)
{
	size_t len = strlen(in);

	if (len * 2 + 1 > outlen)
		return -1;
	mysql_real_escape_string(c->my, out, in, (unsigned long)len);
	return 0;
}

/* Grants per role; %s is the quoted account name. */
static const char *const mig_grants_etl[] = {
    "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE TEMPORARY TABLES, "
    "LOCK TABLES ON cairn_raw.* TO %s",
    "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE TEMPORARY TABLES, "
    "LOCK TABLES ON cairn_mart.* TO %s",
    "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE TEMPORARY TABLES, "
    "LOCK TABLES ON cairn_app.* TO %s",
    NULL,
};

static const char *const mig_grants_api[] = {
    "GRANT SELECT ON cairn_mart.* TO %s",
    /* to read a replica's lag when api_db_read_hosts is set */
    "GRANT REPLICA MONITOR ON *.* TO %s",
    "GRANT SELECT ON cairn_app.schema_version TO %s",
    "GRANT SELECT ON cairn_app.etl_run TO %s",
    "GRANT SELECT, INSERT, UPDATE, DELETE ON cairn_app.setting TO %s",
    "GRANT SELECT, INSERT, UPDATE ON cairn_app.recompute_request TO %s",
    "GRANT SELECT, INSERT ON cairn_app.webhook_event TO %s",
    "GRANT SELECT, INSERT, UPDATE, DELETE ON cairn_app.session TO %s",
    "GRANT SELECT, INSERT, DELETE ON cairn_app.oauth_state TO %s",
    /* strava login (cgi-bin/api_auth.c): the callback stores the athlete
     * and its tokens, the dashboard's disconnect deletes the tokens and
     * queues the deletion of the data for the ETL */
    "GRANT SELECT, INSERT, UPDATE ON cairn_raw.athlete TO %s",
    "GRANT SELECT, INSERT, UPDATE, DELETE ON cairn_raw.token TO %s",
    "GRANT SELECT, INSERT ON cairn_raw.sync_state TO %s",
    "GRANT SELECT, INSERT ON cairn_app.account_request TO %s",
    /* the Data page (cgi-bin/api_h_data.c): uploads and "Sync now" are
     * queued for the ETL, the rate budget and the scopes are shown */
    "GRANT SELECT, INSERT, UPDATE ON cairn_app.upload TO %s",
    "GRANT SELECT, INSERT, UPDATE ON cairn_app.sync_request TO %s",
    "GRANT SELECT ON cairn_app.rate_budget TO %s",
    /* privacy zones (api_h_privacy.c) and the archive of everything held
     * about the athlete, the raw records as fetched included */
    "GRANT SELECT, INSERT, UPDATE, DELETE ON cairn_app.privacy TO %s",
    "GRANT SELECT, INSERT, UPDATE, DELETE ON cairn_app.privacy_zone TO %s",
    "GRANT SELECT ON cairn_raw.activity TO %s",
    "GRANT SELECT ON cairn_raw.activity_stream TO %s",
    NULL,
};

static int
mig_account(struct db_conn *c, const struct cfg *cf, const char *role,
            const char *const *grants, char *err, size_t errlen)
{
	static const char *const hosts[] = {"localhost", "127.0.0.1"};
	char key[64], quser[200], qpass[600], acct[300], sql[1024];
	const char *user, *pass;
	size_t h, g;

	snprintf(key, sizeof(key), "%s_db_user", role);
	user = cfg_get(cf, key, NULL);
	snprintf(key, sizeof(key), "%s_db_password", role);
	pass = cfg_get(cf, key, NULL);
	if (user == NULL || pass == NULL || *pass == '\0') {
		snprintf(err, errlen,
		         "cannot create the %s account: set %s_db_user and "
		         "%s_db_password (or %s_db_password_file)",
		         role, role, role, role);
		return -1;
	}
	if (mig_quote(c, user, quser, sizeof(quser)) != 0 ||
	    mig_quote(c, pass, qpass, sizeof(qpass)) != 0) {
		snprintf(err, errlen,
		         "the %s account name or password is too long", role);
		return -1;
	}
	for (h = 0; h < 2; h++) {
		snprintf(acct, sizeof(acct), "'%s'@'%s'", quser, hosts[h]);
		snprintf(sql, sizeof(sql),
		         "CREATE USER IF NOT EXISTS %s IDENTIFIED BY '%s'",
		         acct, qpass);
		if (db_sql(c, sql) != 0)
			goto fail;
		snprintf(sql, sizeof(sql), "ALTER USER %s IDENTIFIED BY '%s'",
		         acct, qpass);
		if (db_sql(c, sql) != 0)
			goto fail;
		for (g = 0; grants[g] != NULL; g++) {
			snprintf(sql, sizeof(sql), grants[g], acct);
			if (db_sql(c, sql) != 0)
				goto fail;
		}
	}
	return 0;
fail:
	/* The server may quote the statement: never let the password out. */
	snprintf(err, errlen, "cannot set up the %s account %s: %s", role, user,
	         strstr(c->err, pass) != NULL || strstr(c->err, qpass) != NULL
	             ? "the server refused the statement"
	             : c->err);
	return -1;
}

int
mig_accounts(struct db_conn *c, const struct cfg *cf, char *err, size_t errlen)
{
	if (mig_account(c, cf, "etl", mig_grants_etl, err, errlen) != 0 ||
	    mig_account(c, cf, "api", mig_grants_api, err, errlen) != 0)
		return -1;
	return 0;
}
