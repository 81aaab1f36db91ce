/* imp_sql.c: every SQL statement cairn-import runs, indexed by enum imp_sql_id */
#include "imp_sql.h"

/* The columns a match is judged on (see imp_db.c). */
#define IMP_ACT_COLS                                                           \
	"SELECT id, athlete_id, sport_type, distance, has_streams, source, "   \
	"deleted, UNIX_TIMESTAMP(start_date) FROM cairn_raw.activity "

const char *const imp_sql[IMP_SQL_COUNT] = {
    [IMP_SQL_ATHLETES] = "SELECT id FROM cairn_raw.athlete ORDER BY id LIMIT 2",
    [IMP_SQL_ATHLETE_GET] = "SELECT id FROM cairn_raw.athlete WHERE id = ?",
    [IMP_SQL_ATHLETE_NEW] =
        "INSERT INTO cairn_raw.athlete (id, firstname, auth_state) "
        "VALUES (?, 'Imported', 'none')",
    [IMP_SQL_ATHLETE_DEMO] =
        "SELECT id FROM cairn_raw.athlete WHERE demo = 1 ORDER BY id LIMIT 1",
    /* the athlete of an export's profile.csv (id, names, sex, weight) */
    [IMP_SQL_ATHLETE_PROFILE] =
        "INSERT INTO cairn_raw.athlete "
        "(id, firstname, lastname, sex, weight, auth_state, id_from_profile) "
        "VALUES (?, ?, ?, ?, ?, 'none', 1)",
    [IMP_SQL_ACT_BY_ID] = IMP_ACT_COLS "WHERE id = ?",
    [IMP_SQL_ACT_NEAR] =
        IMP_ACT_COLS "WHERE athlete_id = ? AND start_date BETWEEN ? AND ? "
                     "ORDER BY ABS(TIMESTAMPDIFF(SECOND, start_date, ?)), id",
    /* changed_at moves on insert: the transform follows it */
    [IMP_SQL_ACT_INSERT] =
        "INSERT INTO cairn_raw.activity "
        "(id, athlete_id, source, name, sport_type, type, start_date, "
        "start_date_local, timezone, utc_offset, distance, moving_time, "
        "elapsed_time, total_elevation_gain, average_speed, max_speed, "
        "average_heartrate, max_heartrate, average_watts, "
        "weighted_average_watts, kilojoules, device_watts, has_heartrate, "
        "trainer, commute, manual, private, gear_id, workout_type, "
        "summary_polyline, external_id, upload_id, description, "
        "summary_json, detail_json, has_streams, deleted, fetched_at, "
        "changed_at) VALUES "
        "(?, ?, 'import', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?, 0, NULL, NULL, ?, ?, NULL, ?, ?, NULL, ?, 0, "
        "NOW(), NOW(6))",
    [IMP_SQL_STREAM_PUT] =
        "INSERT INTO cairn_raw.activity_stream "
        "(activity_id, athlete_id, points, json) VALUES (?, ?, ?, ?) "
        "ON DUPLICATE KEY UPDATE athlete_id = VALUES(athlete_id), "
        "points = VALUES(points), json = VALUES(json), fetched_at = NOW()",
    /* a merge: streams filled in where the row had none */
    [IMP_SQL_ACT_STREAMS_ON] =
        "UPDATE cairn_raw.activity SET has_streams = 1, "
        "changed_at = NOW(6) WHERE id = ? AND has_streams = 0",
    /* an activity's laps are replaced whole (cairn_raw.activity_lap) */
    [IMP_SQL_LAPS_DEL] =
        "DELETE FROM cairn_raw.activity_lap WHERE activity_id = ?",
    [IMP_SQL_LAP_PUT] =
        "INSERT INTO cairn_raw.activity_lap (activity_id, lap_index, "
        "athlete_id, source, start_date, start_offset, elapsed, moving_time, "
        "distance, avg_speed, max_speed, avg_hr, max_hr, avg_power, "
        "max_power, avg_cadence, elevation_gain, calories) VALUES "
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [IMP_SQL_RUN_START] = "INSERT INTO cairn_app.etl_run (program, athlete_id) "
                          "VALUES ('cairn-import', ?)",
    [IMP_SQL_RUN_END] =
        "UPDATE cairn_app.etl_run SET finished_at = NOW(), status = ?, "
        "summary = ? WHERE id = ?",
    /* the stream JSON column is COMPRESSED: this session's zlib effort */
    [IMP_SQL_ZLIB_LEVEL] = "SET SESSION column_compression_zlib_level = ?",
};
