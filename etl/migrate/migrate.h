/* migrate.h: applies sql/NNN_*.sql in order, once each, and creates the database accounts */
#ifndef CAIRN_MIGRATE_H
#define CAIRN_MIGRATE_H

#include <stddef.h> /* size_t */

struct cfg;
struct db_conn;

/* cairn-migrate's statements (mig_sql.c). */
enum mig_stmt {
	MIG_MAX_VERSION, /* the highest applied version, 0 when none */
	MIG_RECORD,      /* record one applied migration */
	MIG__MAX
};
extern const char *const mig_sql[MIG__MAX];

struct mig_file {
	int version;
	char name[256];
	char path[4096];
};

/* The migrations in `dir`, sorted by version; caller frees *out. 0 or -1. */
int mig_list(const char *dir, struct mig_file **out, size_t *n, char *err,
             size_t errlen);

/* Split SQL text in place into statements; returns how many (at most max). */
size_t mig_split(char *sql, char **stmts, int *lines, size_t max);

/* Create the bookkeeping table if needed and read the applied version. */
int mig_current(struct db_conn *c, int *version);

/* Apply one file and record it; on failure the version stays. 0 or -1. */
int mig_apply_file(struct db_conn *c, const struct mig_file *f, char *err,
                   size_t errlen);

/* Create or update the ETL and API accounts with their grants. 0 or -1. */
int mig_accounts(struct db_conn *c, const struct cfg *cf, char *err,
                 size_t errlen);

#endif
