/* mig_sql.c: all SQL of cairn-migrate, indexed by enum mig_stmt */
#include "migrate.h"

const char *const mig_sql[MIG__MAX] = {
    /* MIG_MAX_VERSION */
    "SELECT COALESCE(MAX(version), 0) FROM cairn_app.schema_version",
    /* MIG_RECORD */
    "INSERT INTO cairn_app.schema_version (version, name) VALUES (?, ?)",
};
