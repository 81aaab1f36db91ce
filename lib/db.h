/* db.h: MariaDB connections and prepared statements from a per-program SQL table */
#ifndef CAIRN_DB_H
#define CAIRN_DB_H

#include <stddef.h> /* size_t */
#include <string.h> /* strlen, for DB_STR */

#include <mysql.h>

struct cfg;

/* Which account a program connects as (settings: <role>_db_user, ..._password).
 */
enum db_role {
	DB_ETL,   /* writes cairn_raw, cairn_mart, cairn_app */
	DB_API,   /* SELECT on cairn_mart, read/write on cairn_app sessions */
	DB_ADMIN, /* cairn-migrate: creates schemas and tables */
	/* the API account on a replica of api_db_read_hosts when one is
	 * healthy, else on the primary: for reading the marts */
	DB_API_READ,
};

/*
 * A connection and its prepared statements. `sql` is the program's table of
 * statements (all of its SQL, with ? markers), indexed by the program's enum;
 * statements are prepared on first use and kept until db_close().
 */
struct db_conn {
	MYSQL *my;
	const char *const *sql;
	size_t nsql;
	MYSQL_STMT **stmts;
	const struct cfg *cfg;
	enum db_role role;
	int replica; /* connected to a replica (api_db_read_hosts) */
	char err[512];
	unsigned int stmt_errno; /* the last statement's error number, 0 */
};

/* One bound parameter. Build them with the DB_* macros below. */
enum db_type { DB_T_NULL, DB_T_I64, DB_T_DBL, DB_T_STR, DB_T_BLOB };
struct db_param {
	enum db_type t;
	long long i;
	double d;
	const void *p;
	size_t len;
};
#define DB_NULL ((struct db_param){.t = DB_T_NULL})
#define DB_I64(x) ((struct db_param){.t = DB_T_I64, .i = (long long)(x)})
#define DB_DBL(x) ((struct db_param){.t = DB_T_DBL, .d = (double)(x)})
/* A NUL-terminated string; NULL binds SQL NULL. */
#define DB_STR(s)                                                              \
	((struct db_param){.t = (s) ? DB_T_STR : DB_T_NULL,                    \
	                   .p = (s),                                           \
	                   .len = (s) ? strlen(s) : 0})
#define DB_BLOB(ptr, n)                                                        \
	((struct db_param){.t = DB_T_BLOB, .p = (ptr), .len = (n)})
/* A double that may be missing: NaN binds SQL NULL. */
#define DB_DBL_OR_NULL(x) ((x) == (x) ? DB_DBL(x) : DB_NULL)

/* One column of a fetched row. */
struct db_cell {
	char *buf;
	unsigned long cap;
	unsigned long len;
	long long i;
	double d;
	char is_null;
	char error;
	int kind; /* 0 string, 1 integer, 2 double */
};

/* The result of db_query(): fetch rows with db_fetch(), free with
 * db_res_free(). */
struct db_res {
	struct db_conn *c;
	MYSQL_STMT *st;
	unsigned ncols;
	MYSQL_BIND *bind;
	struct db_cell *cells;
};

/*
 * Connect as `role` using the settings db_socket or db_host/db_port and
 * <role>_db_user/<role>_db_password. The DB_API_READ role first tries the
 * replicas of api_db_read_hosts (host:port,...) whose lag is within
 * api_db_max_lag seconds (default 5), and falls back to the primary;
 * db_reconnect() chooses again. On error NULL is returned and `err` says what
 * failed and what to do. Free with db_close().
 */
struct db_conn *db_open(const struct cfg *c, enum db_role role,
                        const char *const *sql, size_t nsql, char *err,
                        size_t errlen);
void db_close(struct db_conn *c);

/* Drop the connection and its statements and connect again. 0 or -1. */
int db_reconnect(struct db_conn *c);

/* True when the last error means the server is gone (restart, timeout). */
int db_gone(const struct db_conn *c);
/* 1 while the server keeps the idle connection open (a non-blocking look
 * at its socket, no round trip), else 0 with c->err set. */
int db_alive(struct db_conn *c);

/* Run statement `id` that returns no rows. Affected rows, or -1 (c->err). */
long long db_exec(struct db_conn *c, int id, const struct db_param *p,
                  unsigned np);

/* Run statement `id` that returns rows into `res`. 0 or -1 (c->err). */
int db_query(struct db_conn *c, int id, const struct db_param *p, unsigned np,
             struct db_res *res);

/* Next row: 1 a row, 0 no more, -1 error (c->err). */
int db_fetch(struct db_res *res);
void db_res_free(struct db_res *res);

/* Column accessors of the current row (0-based). Borrowed strings. */
int db_isnull(const struct db_res *res, unsigned col);
long long db_i64(const struct db_res *res, unsigned col);
double db_dbl(const struct db_res *res, unsigned col);      /* NaN when NULL */
const char *db_str(const struct db_res *res, unsigned col); /* NULL when NULL */
const void *db_blob(const struct db_res *res, unsigned col, size_t *len);

/* The AUTO_INCREMENT id of statement `id`'s last insert. */
long long db_insert_id(struct db_conn *c, int id);

/* Plain SQL without parameters (migrations, DDL, transactions). 0 or -1. */
int db_sql(struct db_conn *c, const char *sql);
int db_begin(struct db_conn *c);
int db_commit(struct db_conn *c);
int db_rollback(struct db_conn *c);

#endif
