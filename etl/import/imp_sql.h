/* imp_sql.h: every SQL statement cairn-import runs, indexed by enum imp_sql_id */
#ifndef CAIRN_IMP_SQL_H
#define CAIRN_IMP_SQL_H

enum imp_sql_id {
	IMP_SQL_ATHLETES,
	IMP_SQL_ATHLETE_GET,
	IMP_SQL_ATHLETE_NEW,
	IMP_SQL_ATHLETE_DEMO,
	IMP_SQL_ATHLETE_PROFILE,
	IMP_SQL_ACT_BY_ID,
	IMP_SQL_ACT_NEAR,
	IMP_SQL_ACT_INSERT,
	IMP_SQL_STREAM_PUT,
	IMP_SQL_ACT_STREAMS_ON,
	IMP_SQL_RUN_START,
	IMP_SQL_RUN_END,
	IMP_SQL_ZLIB_LEVEL,
	IMP_SQL_UPLOAD_CLAIM, /* the spool (imp_spool.c) */
	IMP_SQL_UPLOAD_ATHLETE,
	IMP_SQL_UPLOAD_END,
	IMP_SQL_COUNT
};

extern const char *const imp_sql[IMP_SQL_COUNT];

#endif
