/* db.c: MariaDB connections and prepared statements from a per-program SQL table */
#include "db.h"

#include <errmsg.h>     /* CR_SERVER_GONE_ERROR */
#include <errno.h>      /* EAGAIN */
#include <math.h>       /* NAN */
#include <stdio.h>      /* snprintf */
#include <stdlib.h>     /* calloc, free, strtoll */
#include <sys/socket.h> /* recv */

#include "cfg.h"

#define DB_CELL_INITIAL 256
#define DB_CELL_MAX (256UL * 1024 * 1024)

/* The account of each role (settings <name>_db_user, <name>_db_password). */
static const char *const db_role_names[] = {"etl", "api", "admin", "api"};

/* Open c->my to host:port or socket as the role's account. 0 or -1 (c->err). */
static int
db_connect_to(struct db_conn *c, const char *host, unsigned int port,
              const char *sock, unsigned int timeout)
{
	const struct cfg *cf = c->cfg;
	const char *role = db_role_names[c->role];
	char key[64];
	const char *user, *pass;

	snprintf(key, sizeof(key), "%s_db_user", role);
	user = cfg_get(cf, key, c->role == DB_ADMIN ? "root" : NULL);
	snprintf(key, sizeof(key), "%s_db_password", role);
	pass = cfg_get(cf, key, NULL);
	if (user == NULL) {
		snprintf(c->err, sizeof(c->err),
		         "no database account for role %s: set %s_db_user in "
		         "the config",
		         role, role);
		return -1;
	}
	c->my = mysql_init(NULL);
	if (c->my == NULL) {
		snprintf(c->err, sizeof(c->err),
		         "cannot connect to MariaDB: out of memory");
		return -1;
	}
	mysql_options(c->my, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_options(c->my, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	if (mysql_real_connect(c->my, sock != NULL ? NULL : host, user, pass,
	                       NULL, port, sock, 0) == NULL) {
		snprintf(c->err, sizeof(c->err),
		         "cannot connect to MariaDB at %s as %s: %s (is the "
		         "database running? `make start` starts the local one)",
		         sock != NULL ? sock : host, user, mysql_error(c->my));
		mysql_close(c->my);
		c->my = NULL;
		return -1;
	}
	return 0;
}

/*
 * The replica's lag in seconds from SHOW REPLICA STATUS, or -1 when it is
 * not replicating (or the account may not ask).
 */
static long
db_replica_lag(MYSQL *my)
{
	MYSQL_RES *r;
	MYSQL_ROW row;
	MYSQL_FIELD *f;
	unsigned i, n;
	long lag = -1;

	if (mysql_query(my, "SHOW REPLICA STATUS") != 0)
		return -1;
	r = mysql_store_result(my);
	if (r == NULL)
		return -1;
	row = mysql_fetch_row(r);
	n = mysql_num_fields(r);
	f = mysql_fetch_fields(r);
	for (i = 0; row != NULL && i < n; i++)
		if (strcmp(f[i].name, "Seconds_Behind_Master") == 0 &&
		    row[i] != NULL)
			lag = strtol(row[i], NULL, 10);
	mysql_free_result(r);
	return lag;
}

/*
 * Connect the API to a replica of `api_db_read_hosts` (host:port,...) whose
 * lag is at most `api_db_max_lag` seconds. 0 when one was chosen.
 */
static int
db_connect_replica(struct db_conn *c)
{
	const char *list = cfg_get(c->cfg, "api_db_read_hosts", NULL);
	char buf[1024], *tok, *save = NULL, perr[256];
	long max_lag = 5;

	if (list == NULL || *list == '\0' || c->role != DB_API_READ)
		return -1;
	if (cfg_get_long(c->cfg, "api_db_max_lag", 5, 0, 86400, &max_lag, perr,
	                 sizeof(perr)) != 0)
		max_lag = 5;
	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ", ", &save); tok != NULL;
	     tok = strtok_r(NULL, ", ", &save)) {
		char *colon = strrchr(tok, ':');
		unsigned int port = 3306;
		long lag;

		if (colon != NULL) {
			*colon = '\0';
			port = (unsigned int)strtoul(colon + 1, NULL, 10);
		}
		if (db_connect_to(c, tok, port, NULL, 2) != 0)
			continue;
		lag = db_replica_lag(c->my);
		if (lag >= 0 && lag <= max_lag) {
			c->replica = 1;
			return 0;
		}
		mysql_close(c->my);
		c->my = NULL;
	}
	return -1;
}

static int
db_connect(struct db_conn *c)
{
	const struct cfg *cf = c->cfg;
	const char *sock, *host;
	long port = 0;
	char perr[256];

	c->replica = 0;
	if (db_connect_replica(c) == 0)
		return 0;
	sock = cfg_get(cf, "db_socket", NULL);
	if (sock != NULL && *sock == '\0')
		sock = NULL;
	host = cfg_get(cf, "db_host", "127.0.0.1");
	if (cfg_get_long(cf, "db_port", 3306, 1, 65535, &port, perr,
	                 sizeof(perr)) != 0) {
		snprintf(c->err, sizeof(c->err), "%s", perr);
		return -1;
	}
	return db_connect_to(c, host, (unsigned int)port, sock, 5);
}

struct db_conn *
db_open(const struct cfg *cf, enum db_role role, const char *const *sql,
        size_t nsql, char *err, size_t errlen)
{
	struct db_conn *c, *res = NULL;

	c = calloc(1, sizeof(*c));
	if (c == NULL) {
		snprintf(err, errlen,
		         "cannot connect to MariaDB: out of memory");
		return NULL;
	}
	c->cfg = cf;
	c->role = role;
	c->sql = sql;
	c->nsql = nsql;
	if (nsql > 0) {
		c->stmts = calloc(nsql, sizeof(*c->stmts));
		if (c->stmts == NULL) {
			snprintf(err, errlen,
			         "cannot connect to MariaDB: out of memory");
			goto out;
		}
	}
	if (db_connect(c) != 0) {
		snprintf(err, errlen, "%s", c->err);
		goto out;
	}
	res = c;
	c = NULL;
out:
	db_close(c);
	return res;
}

static void
db_drop_stmts(struct db_conn *c)
{
	size_t i;

	for (i = 0; i < c->nsql; i++) {
		if (c->stmts[i] != NULL)
			mysql_stmt_close(c->stmts[i]);
		c->stmts[i] = NULL;
	}
}

void
db_close(struct db_conn *c)
{
	if (c == NULL)
		return;
	if (c->stmts != NULL)
		db_drop_stmts(c);
	free(c->stmts);
	if (c->my != NULL)
		mysql_close(c->my);
	free(c);
}

int
db_reconnect(struct db_conn *c)
{
	db_drop_stmts(c);
	if (c->my != NULL)
		mysql_close(c->my);
	c->my = NULL;
	return db_connect(c);
}

static int
db_gone_errno(unsigned int e)
{
	return e == CR_SERVER_GONE_ERROR || e == CR_SERVER_LOST ||
	       e == CR_CONNECTION_ERROR || e == CR_CONN_HOST_ERROR ||
	       e == 1927 /* ER_CONNECTION_KILLED */ ||
	       e == 1053 /* ER_SERVER_SHUTDOWN */;
}

int
db_gone(const struct db_conn *c)
{
	if (c->my == NULL)
		return 1;
	/* A statement's error is on its handle, not always on the connection
	 * (a prepare on a connection the server dropped says 2006 only
	 * there): either one tells. */
	return db_gone_errno(mysql_errno(c->my)) ||
	       db_gone_errno(c->stmt_errno);
}

int
db_alive(struct db_conn *c)
{
	char b;
	ssize_t n;
	my_socket fd;

	if (c == NULL || c->my == NULL)
		return 0;
	fd = mysql_get_socket(c->my);
	if (fd == MARIADB_INVALID_SOCKET)
		return 0;
	/* Between statements the server sends nothing: bytes or an end of
	 * file mean it is gone (or going: a shutdown notice). */
	n = recv(fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);
	if (n < 0 &&
	    (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return 1;
	snprintf(c->err, sizeof(c->err), "the server closed the connection");
	return 0;
}

static MYSQL_STMT *
db_prepare(struct db_conn *c, int id)
{
	MYSQL_STMT *st;

	if (id < 0 || (size_t)id >= c->nsql) {
		snprintf(c->err, sizeof(c->err), "no statement %d", id);
		return NULL;
	}
	c->stmt_errno = 0; /* every statement starts here */
	if (c->stmts[id] != NULL)
		return c->stmts[id];
	if (c->my == NULL) {
		snprintf(c->err, sizeof(c->err), "not connected to MariaDB");
		return NULL;
	}
	st = mysql_stmt_init(c->my);
	if (st == NULL) {
		snprintf(c->err, sizeof(c->err),
		         "cannot prepare statement %d: %s", id,
		         mysql_error(c->my));
		return NULL;
	}
	if (mysql_stmt_prepare(st, c->sql[id],
	                       (unsigned long)strlen(c->sql[id])) != 0) {
		snprintf(c->err, sizeof(c->err),
		         "cannot prepare statement %d: %s", id,
		         mysql_stmt_error(st));
		c->stmt_errno = mysql_stmt_errno(st);
		mysql_stmt_close(st);
		return NULL;
	}
	c->stmts[id] = st;
	return st;
}

/* Bind and execute; `binds` must hold np entries. */
static int
db_execute(struct db_conn *c, MYSQL_STMT *st, int id, const struct db_param *p,
           unsigned np)
{
	MYSQL_BIND b[64];
	unsigned i;

	if (np > 64 || np != mysql_stmt_param_count(st)) {
		snprintf(c->err, sizeof(c->err),
		         "statement %d takes %lu parameters, given %u", id,
		         mysql_stmt_param_count(st), np);
		return -1;
	}
	memset(b, 0, sizeof(b));
	for (i = 0; i < np; i++) {
		switch (p[i].t) {
		case DB_T_NULL:
			b[i].buffer_type = MYSQL_TYPE_NULL;
			break;
		case DB_T_I64:
			b[i].buffer_type = MYSQL_TYPE_LONGLONG;
			b[i].buffer = (void *)&p[i].i;
			break;
		case DB_T_DBL:
			b[i].buffer_type = MYSQL_TYPE_DOUBLE;
			b[i].buffer = (void *)&p[i].d;
			break;
		case DB_T_STR:
			b[i].buffer_type = MYSQL_TYPE_STRING;
			b[i].buffer = (void *)p[i].p;
			b[i].buffer_length = (unsigned long)p[i].len;
			break;
		case DB_T_BLOB:
			b[i].buffer_type = MYSQL_TYPE_BLOB;
			b[i].buffer = (void *)p[i].p;
			b[i].buffer_length = (unsigned long)p[i].len;
			break;
		}
	}
	if (np > 0 && mysql_stmt_bind_param(st, b) != 0) {
		snprintf(c->err, sizeof(c->err), "cannot bind statement %d: %s",
		         id, mysql_stmt_error(st));
		c->stmt_errno = mysql_stmt_errno(st);
		return -1;
	}
	if (mysql_stmt_execute(st) != 0) {
		snprintf(c->err, sizeof(c->err), "statement %d failed: %s", id,
		         mysql_stmt_error(st));
		c->stmt_errno = mysql_stmt_errno(st);
		return -1;
	}
	return 0;
}

long long
db_exec(struct db_conn *c, int id, const struct db_param *p, unsigned np)
{
	MYSQL_STMT *st = db_prepare(c, id);

	if (st == NULL || db_execute(c, st, id, p, np) != 0)
		return -1;
	return (long long)mysql_stmt_affected_rows(st);
}

long long
db_insert_id(struct db_conn *c, int id)
{
	MYSQL_STMT *st = db_prepare(c, id);

	return st != NULL ? (long long)mysql_stmt_insert_id(st) : -1;
}

int
db_query(struct db_conn *c, int id, const struct db_param *p, unsigned np,
         struct db_res *res)
{
	MYSQL_STMT *st;
	MYSQL_RES *meta = NULL;
	MYSQL_FIELD *f;
	unsigned i;
	int rc = -1;

	memset(res, 0, sizeof(*res));
	res->c = c;
	st = db_prepare(c, id);
	if (st == NULL || db_execute(c, st, id, p, np) != 0)
		goto out;
	res->st = st;
	meta = mysql_stmt_result_metadata(st);
	if (meta == NULL) {
		snprintf(c->err, sizeof(c->err), "statement %d returns no rows",
		         id);
		goto out;
	}
	res->ncols = mysql_num_fields(meta);
	res->bind = calloc(res->ncols, sizeof(*res->bind));
	res->cells = calloc(res->ncols, sizeof(*res->cells));
	if (res->ncols > 0 && (res->bind == NULL || res->cells == NULL)) {
		snprintf(c->err, sizeof(c->err), "out of memory");
		goto out;
	}
	f = mysql_fetch_fields(meta);
	for (i = 0; i < res->ncols; i++) {
		MYSQL_BIND *b = &res->bind[i];
		struct db_cell *cell = &res->cells[i];

		switch (f[i].type) {
		case MYSQL_TYPE_TINY:
		case MYSQL_TYPE_SHORT:
		case MYSQL_TYPE_LONG:
		case MYSQL_TYPE_INT24:
		case MYSQL_TYPE_LONGLONG:
		case MYSQL_TYPE_YEAR:
			cell->kind = 1;
			b->buffer_type = MYSQL_TYPE_LONGLONG;
			b->buffer = &cell->i;
			b->is_unsigned = (f[i].flags & UNSIGNED_FLAG) != 0;
			break;
		case MYSQL_TYPE_FLOAT:
		case MYSQL_TYPE_DOUBLE:
		case MYSQL_TYPE_DECIMAL:
		case MYSQL_TYPE_NEWDECIMAL:
			cell->kind = 2;
			b->buffer_type = MYSQL_TYPE_DOUBLE;
			b->buffer = &cell->d;
			break;
		default:
			cell->kind = 0;
			cell->cap = DB_CELL_INITIAL;
			cell->buf = malloc(cell->cap + 1);
			if (cell->buf == NULL) {
				snprintf(c->err, sizeof(c->err),
				         "out of memory");
				goto out;
			}
			b->buffer_type = MYSQL_TYPE_BLOB;
			b->buffer = cell->buf;
			b->buffer_length = cell->cap;
			break;
		}
		b->length = &cell->len;
		b->is_null = (my_bool *)&cell->is_null;
		b->error = (my_bool *)&cell->error;
	}
	if (res->ncols > 0 && mysql_stmt_bind_result(st, res->bind) != 0) {
		snprintf(c->err, sizeof(c->err),
		         "cannot bind result of statement %d: %s", id,
		         mysql_stmt_error(st));
		goto out;
	}
	/* Buffer the whole result so other statements may run meanwhile. */
	if (mysql_stmt_store_result(st) != 0) {
		snprintf(c->err, sizeof(c->err),
		         "cannot read result of statement %d: %s", id,
		         mysql_stmt_error(st));
		c->stmt_errno = mysql_stmt_errno(st);
		goto out;
	}
	rc = 0;
out:
	if (meta != NULL)
		mysql_free_result(meta);
	if (rc != 0)
		db_res_free(res);
	return rc;
}

int
db_fetch(struct db_res *res)
{
	int r, grown = 0;
	unsigned i;

	if (res->st == NULL)
		return 0;
	r = mysql_stmt_fetch(res->st);
	if (r == MYSQL_NO_DATA)
		return 0;
	if (r == 1) {
		snprintf(res->c->err, sizeof(res->c->err),
		         "cannot fetch row: %s", mysql_stmt_error(res->st));
		res->c->stmt_errno = mysql_stmt_errno(res->st);
		return -1;
	}
	for (i = 0; i < res->ncols; i++) {
		struct db_cell *cell = &res->cells[i];
		MYSQL_BIND *b = &res->bind[i];

		if (cell->kind != 0 || cell->is_null)
			continue;
		if (cell->len > cell->cap) {
			/* Truncated: grow the buffer and fetch the column
			 * again. */
			char *nb;
			MYSQL_BIND tmp;

			if (cell->len > DB_CELL_MAX) {
				snprintf(res->c->err, sizeof(res->c->err),
				         "column %u is larger than %lu bytes",
				         i, DB_CELL_MAX);
				return -1;
			}
			nb = realloc(cell->buf, cell->len + 1);
			if (nb == NULL) {
				snprintf(res->c->err, sizeof(res->c->err),
				         "out of memory");
				return -1;
			}
			cell->buf = nb;
			cell->cap = cell->len;
			memset(&tmp, 0, sizeof(tmp));
			tmp.buffer_type = MYSQL_TYPE_BLOB;
			tmp.buffer = cell->buf;
			tmp.buffer_length = cell->cap;
			tmp.length = &cell->len;
			if (mysql_stmt_fetch_column(res->st, &tmp, i, 0) != 0) {
				snprintf(res->c->err, sizeof(res->c->err),
				         "cannot fetch column %u: %s", i,
				         mysql_stmt_error(res->st));
				return -1;
			}
			b->buffer = cell->buf;
			b->buffer_length = cell->cap;
			grown = 1;
		}
		cell->buf[cell->len] = '\0';
	}
	/* Rebind so the next row uses the bigger buffers: once, after every
	 * truncated column of this row was fetched again (a rebind between
	 * two of them loses the second one). */
	if (grown && mysql_stmt_bind_result(res->st, res->bind) != 0) {
		snprintf(res->c->err, sizeof(res->c->err),
		         "cannot rebind result: %s", mysql_stmt_error(res->st));
		return -1;
	}
	return 1;
}

void
db_res_free(struct db_res *res)
{
	unsigned i;

	if (res == NULL)
		return;
	if (res->st != NULL)
		mysql_stmt_free_result(res->st);
	for (i = 0; res->cells != NULL && i < res->ncols; i++)
		free(res->cells[i].buf);
	free(res->cells);
	free(res->bind);
	memset(res, 0, sizeof(*res));
}

int
db_isnull(const struct db_res *res, unsigned col)
{
	return col >= res->ncols || res->cells[col].is_null;
}

long long
db_i64(const struct db_res *res, unsigned col)
{
	const struct db_cell *cell;

	if (db_isnull(res, col))
		return 0;
	cell = &res->cells[col];
	if (cell->kind == 1)
		return cell->i;
	if (cell->kind == 2)
		return (long long)cell->d;
	return strtoll(cell->buf, NULL, 10);
}

double
db_dbl(const struct db_res *res, unsigned col)
{
	const struct db_cell *cell;

	if (db_isnull(res, col))
		return NAN;
	cell = &res->cells[col];
	if (cell->kind == 1)
		return (double)cell->i;
	if (cell->kind == 2)
		return cell->d;
	return strtod(cell->buf, NULL);
}

const char *
db_str(const struct db_res *res, unsigned col)
{
	const struct db_cell *cell;

	if (db_isnull(res, col))
		return NULL;
	cell = &res->cells[col];
	if (cell->kind != 0) {
		/* Numbers asked for as text: format into a small buffer. */
		struct db_cell *w = (struct db_cell *)cell;

		if (w->buf == NULL) {
			w->buf = malloc(64);
			if (w->buf == NULL)
				return NULL;
		}
		if (w->kind == 1)
			snprintf(w->buf, 64, "%lld", w->i);
		else
			snprintf(w->buf, 64, "%.17g", w->d);
		return w->buf;
	}
	return cell->buf;
}

const void *
db_blob(const struct db_res *res, unsigned col, size_t *len)
{
	if (db_isnull(res, col) || res->cells[col].kind != 0) {
		*len = 0;
		return NULL;
	}
	*len = res->cells[col].len;
	return res->cells[col].buf;
}

int
db_sql(struct db_conn *c, const char *sql)
{
	if (c->my == NULL) {
		snprintf(c->err, sizeof(c->err), "not connected to MariaDB");
		return -1;
	}
	if (mysql_real_query(c->my, sql, (unsigned long)strlen(sql)) != 0) {
		snprintf(c->err, sizeof(c->err), "%s", mysql_error(c->my));
		return -1;
	}
	/* Drain any result sets so the connection stays usable. */
	do {
		MYSQL_RES *r = mysql_store_result(c->my);

		if (r != NULL)
			mysql_free_result(r);
	} while (mysql_next_result(c->my) == 0);
	if (mysql_errno(c->my) != 0) {
		snprintf(c->err, sizeof(c->err), "%s", mysql_error(c->my));
		return -1;
	}
	return 0;
}

int
db_begin(struct db_conn *c)
{
	return db_sql(c, "START TRANSACTION");
}

int
db_commit(struct db_conn *c)
{
	return db_sql(c, "COMMIT");
}

int
db_rollback(struct db_conn *c)
{
	return db_sql(c, "ROLLBACK");
}
