/* ex_sql.c: every SQL statement cairn-extract runs, indexed by enum ex_sql_id */
#include "ex_sql.h"

const char *const ex_sql[EX_SQL_COUNT] = {
    [EX_SQL_TOKEN_GET] =
        "SELECT access_token, refresh_token, expires_at, scope "
        "FROM cairn_raw.token WHERE athlete_id = ?",
    /* scope '' keeps the stored one (refresh answers do not repeat it) */
    [EX_SQL_TOKEN_PUT] =
        "INSERT INTO cairn_raw.token "
        "(athlete_id, access_token, refresh_token, expires_at, scope) "
        "VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE "
        "access_token = VALUES(access_token), "
        "refresh_token = VALUES(refresh_token), "
        "expires_at = VALUES(expires_at), "
        "scope = IF(VALUES(scope) = '', scope, VALUES(scope))",
    [EX_SQL_ATHLETE_AUTH] =
        "INSERT INTO cairn_raw.athlete "
        "(id, username, firstname, lastname, sex, city, country, "
        "auth_state) VALUES (?, ?, ?, ?, ?, ?, ?, 'ok') "
        "ON DUPLICATE KEY UPDATE "
        "username = COALESCE(VALUES(username), username), "
        "firstname = COALESCE(VALUES(firstname), firstname), "
        "lastname = COALESCE(VALUES(lastname), lastname), "
        "sex = COALESCE(VALUES(sex), sex), "
        "city = COALESCE(VALUES(city), city), "
        "country = COALESCE(VALUES(country), country), "
        "auth_state = 'ok'",
    [EX_SQL_ATHLETE_SET_AUTH] =
        "UPDATE cairn_raw.athlete SET auth_state = ? WHERE id = ?",
    [EX_SQL_ATHLETES_SYNCABLE] =
        "SELECT a.id FROM cairn_raw.athlete a "
        "JOIN cairn_raw.token t ON t.athlete_id = a.id "
        "WHERE a.auth_state = 'ok' ORDER BY a.id",
    /* auth_state, seconds since the detailed athlete was fetched (NULL:
     * never), zones known */
    [EX_SQL_ATHLETE_STATE] =
        "SELECT a.auth_state, TIMESTAMPDIFF(SECOND, a.fetched_at, NOW()), "
        "(SELECT COUNT(*) FROM cairn_raw.athlete_zones z "
        "WHERE z.athlete_id = a.id) "
        "FROM cairn_raw.athlete a WHERE a.id = ?",
    [EX_SQL_ATHLETE_DETAIL] =
        "UPDATE cairn_raw.athlete SET username = ?, firstname = ?, "
        "lastname = ?, sex = ?, weight = ?, ftp = ?, city = ?, country = ?, "
        "measurement_preference = ?, json = ?, fetched_at = NOW() "
        "WHERE id = ?",
    [EX_SQL_ZONES_PUT] =
        "INSERT INTO cairn_raw.athlete_zones (athlete_id, json) "
        "VALUES (?, ?) ON DUPLICATE KEY UPDATE json = VALUES(json), "
        "fetched_at = NOW()",
    [EX_SQL_GEAR_KNOWN] = "SELECT COUNT(*) FROM cairn_raw.gear WHERE id = ?",
    [EX_SQL_GEAR_PUT] =
        "INSERT INTO cairn_raw.gear "
        "(id, athlete_id, name, kind, retired, distance, json) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE "
        "name = VALUES(name), kind = VALUES(kind), "
        "retired = VALUES(retired), distance = VALUES(distance), "
        "json = VALUES(json), fetched_at = NOW()",
    [EX_SQL_ACT_GET] =
        "SELECT summary_json, deleted, has_streams, "
        "detail_json IS NOT NULL, source FROM cairn_raw.activity "
        "WHERE id = ?",
    /* changed_at moves here only: the caller runs it only on a change */
    [EX_SQL_ACT_PUT] =
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
        "(?, ?, 'api', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, NOW(), "
        "NOW(6)) ON DUPLICATE KEY UPDATE "
        "athlete_id = VALUES(athlete_id), source = 'api', "
        "name = VALUES(name), sport_type = VALUES(sport_type), "
        "type = VALUES(type), start_date = VALUES(start_date), "
        "start_date_local = VALUES(start_date_local), "
        "timezone = VALUES(timezone), utc_offset = VALUES(utc_offset), "
        "distance = VALUES(distance), moving_time = VALUES(moving_time), "
        "elapsed_time = VALUES(elapsed_time), "
        "total_elevation_gain = VALUES(total_elevation_gain), "
        "average_speed = VALUES(average_speed), "
        "max_speed = VALUES(max_speed), "
        "average_heartrate = VALUES(average_heartrate), "
        "max_heartrate = VALUES(max_heartrate), "
        "average_watts = VALUES(average_watts), "
        "weighted_average_watts = VALUES(weighted_average_watts), "
        "kilojoules = VALUES(kilojoules), "
        "device_watts = VALUES(device_watts), "
        "has_heartrate = VALUES(has_heartrate), "
        "trainer = VALUES(trainer), commute = VALUES(commute), "
        "manual = VALUES(manual), private = VALUES(private), "
        "gear_id = VALUES(gear_id), workout_type = VALUES(workout_type), "
        "summary_polyline = VALUES(summary_polyline), "
        "external_id = VALUES(external_id), "
        "upload_id = VALUES(upload_id), "
        "description = COALESCE(VALUES(description), description), "
        "summary_json = VALUES(summary_json), "
        "detail_json = COALESCE(VALUES(detail_json), detail_json), "
        "has_streams = VALUES(has_streams), deleted = 0, "
        "fetched_at = NOW(), changed_at = NOW(6)",
    [EX_SQL_STREAM_PUT] =
        "INSERT INTO cairn_raw.activity_stream "
        "(activity_id, athlete_id, points, json) VALUES (?, ?, ?, ?) "
        "ON DUPLICATE KEY UPDATE athlete_id = VALUES(athlete_id), "
        "points = VALUES(points), json = VALUES(json), fetched_at = NOW()",
    /* the laps of a fetched detail replace the activity's laps */
    [EX_SQL_LAPS_DEL] =
        "DELETE FROM cairn_raw.activity_lap WHERE activity_id = ?",
    [EX_SQL_LAP_PUT] =
        "INSERT INTO cairn_raw.activity_lap (activity_id, lap_index, "
        "athlete_id, source, start_date, start_offset, elapsed, moving_time, "
        "distance, start_index, end_index, avg_speed, max_speed, avg_hr, "
        "max_hr, avg_power, max_power, avg_cadence, elevation_gain) VALUES "
        "(?, ?, ?, 'strava', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [EX_SQL_ACT_IDS_LIVE] =
        "SELECT id FROM cairn_raw.activity WHERE athlete_id = ? "
        "AND source = 'api' AND deleted = 0 ORDER BY id",
    [EX_SQL_ACT_TOMBSTONE] =
        "UPDATE cairn_raw.activity SET deleted = 1, changed_at = NOW(6) "
        "WHERE id = ? AND deleted = 0",
    [EX_SQL_ACT_COUNT] =
        "SELECT COUNT(*) FROM cairn_raw.activity WHERE athlete_id = ? "
        "AND deleted = 0",
    [EX_SQL_SYNC_ENSURE] =
        "INSERT IGNORE INTO cairn_raw.sync_state (athlete_id) VALUES (?)",
    [EX_SQL_SYNC_GET] =
        "SELECT cursor_start FROM cairn_raw.sync_state WHERE athlete_id = ?",
    [EX_SQL_SYNC_CURSOR] = "UPDATE cairn_raw.sync_state SET cursor_start = ? "
                           "WHERE athlete_id = ? AND cursor_start < ?",
    [EX_SQL_SYNC_RESULT] =
        "UPDATE cairn_raw.sync_state SET last_run_at = NOW(), "
        "last_result = ?, "
        "last_success_at = IF(?, NOW(), last_success_at), "
        "last_full_at = IF(?, NOW(), last_full_at) WHERE athlete_id = ?",
    [EX_SQL_RUN_START] = "INSERT INTO cairn_app.etl_run (program, athlete_id) "
                         "VALUES ('cairn-extract', ?)",
    [EX_SQL_RUN_END] =
        "UPDATE cairn_app.etl_run SET finished_at = NOW(), status = ?, "
        "summary = ? WHERE id = ?",
    [EX_SQL_BUDGET_ENSURE] =
        "INSERT IGNORE INTO cairn_app.rate_budget (id) VALUES (1)",
    [EX_SQL_BUDGET_LOCK] =
        "SELECT window_start, day_start, short_used, short_limit, "
        "day_used, day_limit FROM cairn_app.rate_budget WHERE id = 1 "
        "FOR UPDATE",
    [EX_SQL_BUDGET_PUT] =
        "UPDATE cairn_app.rate_budget SET window_start = ?, day_start = ?, "
        "short_used = ?, short_limit = ?, day_used = ?, day_limit = ? "
        "WHERE id = 1",
    /* wait a little: a killed run's lock is freed once the server notices */
    [EX_SQL_LOCK] = "SELECT GET_LOCK(?, 5)",
    [EX_SQL_UNLOCK] = "SELECT RELEASE_LOCK(?)",
    /* ---- webhook events, deauthorisation, the fair budget */
    [EX_SQL_EV_PENDING] =
        "SELECT id, object_type, object_id, aspect_type, owner_id, updates "
        "FROM cairn_app.webhook_event WHERE processed_at IS NULL "
        "ORDER BY id LIMIT 1000",
    [EX_SQL_EV_DONE] =
        "UPDATE cairn_app.webhook_event SET processed_at = NOW(), "
        "result = ? WHERE id = ?",
    [EX_SQL_EV_ACT_OWNER] =
        "SELECT athlete_id, deleted FROM cairn_raw.activity WHERE id = ?",
    [EX_SQL_ACC_PENDING] =
        "SELECT id, athlete_id, action FROM cairn_app.account_request "
        "WHERE done_at IS NULL ORDER BY id LIMIT 100",
    [EX_SQL_ACC_DONE] =
        "UPDATE cairn_app.account_request SET done_at = NOW(), result = ? "
        "WHERE id = ?",
    [EX_SQL_ACC_TOKEN_DEL] = "DELETE FROM cairn_raw.token WHERE athlete_id = ?",
    [EX_SQL_ACC_SESSIONS_DEL] =
        "DELETE FROM cairn_app.session WHERE athlete_id = ?",
    /* every table that holds rows of an athlete (names from the server,
     * never from input); account_request keeps the record of deletion */
    [EX_SQL_ACC_TABLES] =
        "SELECT table_schema, table_name, column_name "
        "FROM information_schema.columns WHERE table_schema IN "
        "('cairn_raw', 'cairn_mart', 'cairn_app') AND "
        "(column_name IN ('athlete_id', 'owner_id') OR "
        "(column_name = 'id' AND table_name = 'athlete')) AND "
        "table_name <> 'account_request' ORDER BY table_schema, table_name",
    /* one athlete per person (ex_account_adoptable) */
    [EX_SQL_ATHLETE_DEMO_OF] =
        "SELECT demo FROM cairn_raw.athlete WHERE id = ?",
    [EX_SQL_ATHLETE_DEMO_SET] =
        "UPDATE cairn_raw.athlete SET demo = 1 WHERE id = ?",
    [EX_SQL_DEMO_IDS] =
        "SELECT id FROM cairn_raw.athlete WHERE demo = 1 ORDER BY id",
    [EX_SQL_ADOPT_OTHERS] =
        "SELECT id, auth_state, demo, id_from_profile FROM cairn_raw.athlete "
        "WHERE id <> ? ORDER BY id LIMIT 2",
    /* the adopted activities are new to the athlete's marts */
    [EX_SQL_ADOPT_TOUCH] = "UPDATE cairn_raw.activity SET changed_at = NOW(6) "
                           "WHERE athlete_id = ?",
    [EX_SQL_TURN_JOIN] =
        "INSERT INTO cairn_app.rate_waiter "
        "(conn_id, athlete_id, priority, waiting, seen_at) "
        "VALUES (CONNECTION_ID(), ?, ?, 1, ?) ON DUPLICATE KEY UPDATE "
        "athlete_id = VALUES(athlete_id), priority = VALUES(priority), "
        "waiting = 1, seen_at = VALUES(seen_at)",
    /* the waiting process served next: webhook work first, then the one
     * served longest ago */
    [EX_SQL_TURN_HEAD] =
        "SELECT conn_id = CONNECTION_ID() FROM cairn_app.rate_waiter "
        "WHERE waiting = 1 AND seen_at > ? "
        "ORDER BY priority, last_grant, conn_id LIMIT 1",
    [EX_SQL_TURN_SEQ] =
        "UPDATE cairn_app.rate_budget SET grant_seq = grant_seq + 1 "
        "WHERE id = 1",
    [EX_SQL_TURN_GRANT] =
        "UPDATE cairn_app.rate_waiter SET waiting = 0, last_grant = "
        "(SELECT grant_seq FROM cairn_app.rate_budget WHERE id = 1) "
        "WHERE conn_id = CONNECTION_ID()",
    [EX_SQL_TURN_LEAVE] =
        "DELETE FROM cairn_app.rate_waiter WHERE conn_id = CONNECTION_ID()",
    [EX_SQL_TURN_PURGE] = "DELETE FROM cairn_app.rate_waiter WHERE seen_at < ?",
};
