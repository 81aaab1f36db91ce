/* api_sql.c: every SQL statement cairn-api runs, indexed by enum api_sql_id, all with bound parameters */
#include "api_sql.h"

#define M "cairn_mart."

/* The columns of an activity in the list (API_ACT_LIST_NCOLS of them). */
#define ACT_COLS                                                               \
	"id, name, sport, sport_group, "                                       \
	"DATE_FORMAT(start_local, '%Y-%m-%dT%H:%i:%s'), "                      \
	"DATE_FORMAT(local_date, '%Y-%m-%d'), distance, moving_time, "         \
	"elapsed_time, elevation_gain, avg_speed, avg_hr, avg_power, np, "     \
	"training_load, load_kind, gear_id, commute, trainer, has_streams, "   \
	"ef, gap"

/*
 * The list: sort expression EXPR, its cursor text SEL (the last column),
 * comparison CMP for the keyset, direction DIR. Parameters: athlete, sport
 * x2, from, to, gear x2, name pattern x2, min distance x2, max distance x2,
 * has cursor, cursor value, cursor id, limit.
 */
#define ACT_LIST2(SEL, EXPR, CMP, DIR)                                         \
	"SELECT " ACT_COLS ", " SEL " FROM " M "activity "                     \
	"WHERE athlete_id = ? AND (? = 'all' OR sport_group = ?) "             \
	"AND local_date BETWEEN ? AND ? "                                      \
	"AND (? IS NULL OR gear_id = ?) "                                      \
	"AND (? IS NULL OR name LIKE ?) "                                      \
	"AND (? IS NULL OR distance >= ?) "                                    \
	"AND (? IS NULL OR distance <= ?) "                                    \
	"AND (? = 0 OR (" EXPR ", id) " CMP " (?, ?)) "                        \
	"ORDER BY " EXPR " " DIR ", id " DIR " LIMIT ?"

#define ACT_LIST(EXPR, CMP, DIR) ACT_LIST2(EXPR, EXPR, CMP, DIR)
/* Dates sort on the DATETIME itself; the cursor carries it as text. */
#define ACT_LIST_DATE(CMP, DIR)                                                \
	ACT_LIST2("DATE_FORMAT(start_local, '%Y-%m-%d %H:%i:%s')",             \
	          "start_local", CMP, DIR)

#define DAYS_BETWEEN "local_date BETWEEN ? AND ?"

const char *const api_sql[API_SQL_COUNT] = {
    [API_Q_HEALTH] = "SELECT MAX(version) FROM cairn_app.schema_version",
    [API_Q_ATHLETE_ONE] = "SELECT id, mart_version FROM " M "athlete "
                          "ORDER BY id LIMIT 2",
    [API_Q_ATHLETE_BY_ID] = "SELECT id, mart_version FROM " M "athlete "
                            "WHERE id = ?",
    [API_Q_ME] = "SELECT id, firstname, lastname, sex, city, country, "
                 "measurement_preference, auth_state, "
                 "DATE_FORMAT(last_sync_at, '%Y-%m-%dT%H:%i:%sZ'), "
                 "DATE_FORMAT(last_transform_at, '%Y-%m-%dT%H:%i:%sZ'), "
                 "mart_version, activity_count FROM " M "athlete WHERE id = ?",
    [API_Q_ME_COUNTS] =
        "SELECT sport_group, COUNT(*), DATE_FORMAT(MIN(local_date), "
        "'%Y-%m-%d'), DATE_FORMAT(MAX(local_date), '%Y-%m-%d') FROM " M
        "activity WHERE athlete_id = ? GROUP BY sport_group "
        "ORDER BY sport_group",
    [API_Q_SETTINGS_IN_FORCE] =
        "SELECT s.name, s.value, DATE_FORMAT(s.effective_from, "
        "'%Y-%m-%d'), s.source FROM " M "setting_in_force s "
        "WHERE s.athlete_id = ? AND s.effective_from = "
        "(SELECT MAX(t.effective_from) FROM " M "setting_in_force t "
        "WHERE t.athlete_id = s.athlete_id AND t.name = s.name "
        "AND t.effective_from <= CURDATE()) ORDER BY s.name",
    [API_Q_SETTINGS_USER] =
        "SELECT name, value, DATE_FORMAT(effective_from, '%Y-%m-%d'), "
        "source, DATE_FORMAT(set_at, '%Y-%m-%dT%H:%i:%sZ') FROM "
        "cairn_app.setting WHERE athlete_id = ? "
        "ORDER BY name, effective_from",
    [API_Q_SETTING_PUT] =
        "INSERT INTO cairn_app.setting (athlete_id, name, effective_from, "
        "value, source) VALUES (?, ?, ?, ?, 'user') ON DUPLICATE KEY "
        "UPDATE value = VALUES(value), source = 'user', "
        "set_at = CURRENT_TIMESTAMP",
    [API_Q_RECOMPUTE] =
        "INSERT INTO cairn_app.recompute_request (athlete_id, from_date, "
        "reason) VALUES (?, ?, ?)",
    /* athlete, name, effective_from, value: a model's value (POST
     * /model/apply); replaces any row of that name and date */
    [API_Q_SETTING_MODEL_PUT] =
        "INSERT INTO cairn_app.setting (athlete_id, name, effective_from, "
        "value, source) VALUES (?, ?, ?, ?, 'model') ON DUPLICATE KEY "
        "UPDATE value = VALUES(value), source = 'model', "
        "set_at = CURRENT_TIMESTAMP",
    /* athlete, from: the activities a recompute from that date redoes */
    [API_Q_RECOMPUTE_SPAN] =
        "SELECT COUNT(*), DATE_FORMAT(MIN(local_date), '%Y-%m-%d'), "
        "DATE_FORMAT(MAX(local_date), '%Y-%m-%d') FROM " M "activity "
        "WHERE athlete_id = ? AND local_date >= ?",
    [API_Q_SUMMARY] =
        "SELECT DATE_FORMAT(period_start, '%Y-%m-%d'), count, distance, "
        "moving_time, elevation_gain, training_load, longest FROM " M
        "period_total WHERE athlete_id = ? AND grain = ? AND sport = ? "
        "AND period_start BETWEEN ? AND ? ORDER BY period_start",
    [API_Q_DAYS] =
        "SELECT DATE_FORMAT(day, '%Y-%m-%d'), count, distance, "
        "moving_time, elevation_gain, training_load, YEAR(day), DAYOFYEAR(day) "
        "FROM " M "day_total WHERE athlete_id = ? AND sport = ? "
        "AND day BETWEEN ? AND ? ORDER BY day",
    [API_Q_ACT_DATE_DESC] = ACT_LIST_DATE("<", "DESC"),
    [API_Q_ACT_DATE_ASC] = ACT_LIST_DATE(">", "ASC"),
    [API_Q_ACT_DISTANCE_DESC] = ACT_LIST("COALESCE(distance, -1)", "<", "DESC"),
    [API_Q_ACT_DISTANCE_ASC] = ACT_LIST("COALESCE(distance, -1)", ">", "ASC"),
    [API_Q_ACT_TIME_DESC] = ACT_LIST("COALESCE(moving_time, -1)", "<", "DESC"),
    [API_Q_ACT_TIME_ASC] = ACT_LIST("COALESCE(moving_time, -1)", ">", "ASC"),
    [API_Q_ACT_LOAD_DESC] =
        ACT_LIST("COALESCE(training_load, -1)", "<", "DESC"),
    [API_Q_ACT_LOAD_ASC] = ACT_LIST("COALESCE(training_load, -1)", ">", "ASC"),
    [API_Q_ACT_NP_DESC] = ACT_LIST("COALESCE(np, -1)", "<", "DESC"),
    [API_Q_ACT_NP_ASC] = ACT_LIST("COALESCE(np, -1)", ">", "ASC"),
    [API_Q_ACT_ONE] =
        "SELECT " ACT_COLS ", max_speed, max_hr, max_power, intensity, "
        "vi, tss_power, load_hr, load_pace, trimp, decoupling, "
        "avg_cadence, kilojoules, manual, timezone, "
        "DATE_FORMAT(start_utc, '%Y-%m-%dT%H:%i:%sZ'), spikes_clipped, "
        "source, summary_polyline, wbal_min, est_avg_power, est_np, "
        "power_estimated FROM " M "activity "
        "WHERE id = ? AND athlete_id = ?",
    [API_Q_ACT_ZONES] =
        "SELECT kind, zone, seconds, low, high FROM " M "activity_zone "
        "WHERE activity_id = ? AND athlete_id = ? ORDER BY kind, zone",
    [API_Q_ACT_EFFORTS] =
        "SELECT b.distance, b.elapsed, b.start_offset, "
        "(SELECT MIN(r.rnk) FROM " M "record r WHERE r.athlete_id = "
        "b.athlete_id AND r.sport_group = b.sport_group AND r.distance = "
        "b.distance AND r.scope = 'all' AND r.activity_id = "
        "b.activity_id) FROM " M "best_effort b "
        "WHERE b.activity_id = ? AND b.athlete_id = ? ORDER BY b.distance",
    /* laps and intervals in time order (API_LAP_COLS in api_h_activity.c) */
    [API_Q_ACT_LAPS] =
        "SELECT kind, source, start_offset, elapsed, moving_time, distance, "
        "avg_power, max_power, np, avg_hr, max_hr, avg_speed, max_speed, "
        "avg_cadence, max_cadence, gap, elevation_gain, intensity, basis "
        "FROM " M "activity_lap WHERE activity_id = ? AND athlete_id = ? "
        "ORDER BY kind, idx",
    [API_Q_ACT_STREAM] =
        "SELECT a.has_streams, s.points, s.data FROM " M "activity a "
        "LEFT JOIN " M "activity_stream s ON s.activity_id = a.id AND "
        "s.athlete_id = a.athlete_id WHERE a.id = ? AND a.athlete_id = ?",
    [API_Q_ACT_EXPORT] =
        "SELECT a.name, a.sport, a.sport_group, "
        "TIMESTAMPDIFF(SECOND, '1970-01-01', a.start_utc), a.distance, "
        "a.elapsed_time, s.data FROM " M "activity a LEFT JOIN " M
        "activity_stream s ON s.activity_id = a.id AND "
        "s.athlete_id = a.athlete_id WHERE a.id = ? AND a.athlete_id = ?",
    [API_Q_FITNESS] = "SELECT DATE_FORMAT(day, '%Y-%m-%d'), training_load, "
                      "ctl, atl, tsb, ramp, "
                      "projected FROM " M "fitness WHERE athlete_id = ? "
                      "AND day BETWEEN ? AND ? ORDER BY day",
    [API_Q_FITNESS_LAST] =
        "SELECT DATE_FORMAT(MAX(day), '%Y-%m-%d'), "
        "DATE_FORMAT(MAX(day) - INTERVAL 365 DAY, '%Y-%m-%d') FROM " M
        "fitness WHERE athlete_id = ? AND projected = 0",
    [API_Q_PROGRESS] =
        "SELECT DATE_FORMAT(local_date, '%Y-%m-%d'), id, sport_group, ef, "
        "decoupling FROM " M "activity WHERE athlete_id = ? "
        "AND sport_group IN ('ride', 'run') AND (? = 'all' OR "
        "sport_group = ?) AND " DAYS_BETWEEN " AND (ef IS NOT NULL OR "
        "decoupling IS NOT NULL) ORDER BY start_local, id",
    [API_Q_ZONES_TOTAL] =
        "SELECT zone, SUM(seconds) FROM " M "activity_zone "
        "WHERE athlete_id = ? AND kind = ? AND (? = 'all' OR "
        "sport_group = ?) AND " DAYS_BETWEEN " GROUP BY zone ORDER BY zone",
    [API_Q_ZONES_WEEK] =
        "SELECT DATE_FORMAT(local_date - INTERVAL WEEKDAY(local_date) DAY, "
        "'%Y-%m-%d') AS p, zone, SUM(seconds) FROM " M "activity_zone "
        "WHERE athlete_id = ? AND kind = ? AND (? = 'all' OR "
        "sport_group = ?) AND " DAYS_BETWEEN
        " GROUP BY p, zone ORDER BY p, zone",
    [API_Q_ZONES_MONTH] =
        "SELECT DATE_FORMAT(local_date, '%Y-%m-01') AS p, zone, "
        "SUM(seconds) FROM " M "activity_zone WHERE athlete_id = ? "
        "AND kind = ? AND (? = 'all' OR sport_group = ?) AND " DAYS_BETWEEN
        " GROUP BY p, zone ORDER BY p, zone",
    [API_Q_ZONES_BOUNDS] =
        "SELECT zone, low, high FROM " M "activity_zone WHERE "
        "athlete_id = ? AND kind = ? AND activity_id = (SELECT "
        "activity_id FROM " M "activity_zone WHERE athlete_id = ? AND "
        "kind = ? AND (? = 'all' OR sport_group = ?) AND " DAYS_BETWEEN
        " ORDER BY local_date DESC, activity_id DESC LIMIT 1) "
        "ORDER BY zone",
    /* 'all' sports: the best of the sport groups' bests per duration */
    [API_Q_CURVE_BEST] =
        "SELECT t.duration, t.value, t.activity_id, "
        "DATE_FORMAT(t.local_date, '%Y-%m-%d'), a.name FROM (SELECT "
        "duration, value, activity_id, local_date, ROW_NUMBER() OVER "
        "(PARTITION BY duration ORDER BY value DESC, local_date, "
        "activity_id) AS rn FROM " M "curve_best WHERE athlete_id = ? "
        "AND kind = ? AND (? = 'all' OR sport_group = ?) AND period = ?) t "
        "LEFT JOIN " M "activity a ON a.id = t.activity_id AND "
        "a.athlete_id = ? WHERE t.rn = 1 ORDER BY t.duration",
    /* the activities' grids of the window, in the order api_h_curves
     * breaks ties by (the earliest date, then the lowest id) */
    [API_Q_CURVE_DAYS] =
        "SELECT g.activity_id, DATE_FORMAT(g.local_date, '%Y-%m-%d'), "
        "g.data, a.name FROM " M "curve_grid g LEFT JOIN " M "activity a "
        "ON a.id = g.activity_id AND a.athlete_id = ? WHERE "
        "g.athlete_id = ? AND g.kind = ? AND (? = 'all' OR g.sport_group "
        "= ?) AND g.local_date > CURDATE() - INTERVAL ? DAY ORDER BY "
        "g.local_date, g.activity_id",
    [API_Q_RECORDS] =
        "SELECT r.sport_group, r.distance, r.rnk, r.elapsed, "
        "r.activity_id, DATE_FORMAT(r.local_date, '%Y-%m-%d'), a.name "
        "FROM " M "record r LEFT JOIN " M "activity a ON a.id = "
        "r.activity_id AND a.athlete_id = r.athlete_id WHERE "
        "r.athlete_id = ? AND (? = 'all' OR r.sport_group = ?) AND "
        "r.scope = ? ORDER BY r.sport_group, r.distance, r.rnk",
    [API_Q_PR_EVENTS] =
        "SELECT sport_group, distance, DATE_FORMAT(local_date, "
        "'%Y-%m-%d'), activity_id, elapsed FROM " M "pr_event WHERE "
        "athlete_id = ? AND (? = 'all' OR sport_group = ?) AND " DAYS_BETWEEN
        " ORDER BY local_date, sport_group, distance",
    [API_Q_EDDINGTON] = "SELECT e, next_needed, histogram FROM " M "eddington "
                        "WHERE athlete_id = ? AND sport = ? AND unit = ?",
    /* athlete, sport, first day, last day */
    [API_Q_MODEL] =
        "SELECT DATE_FORMAT(day, '%Y-%m-%d'), window_days, cp, w_prime, "
        "pmax, eftp, r2, cs, d_prime, vdot, reason, efforts, predictions "
        "FROM " M "model_day WHERE athlete_id = ? AND sport = ? AND day "
        "BETWEEN ? AND ? ORDER BY day",
    /* athlete, sport: the latest day up to today and its window */
    [API_Q_MODEL_LAST] =
        "SELECT DATE_FORMAT(day, '%Y-%m-%d'), window_days FROM " M
        "model_day WHERE athlete_id = ? AND sport = ? AND day <= CURDATE() "
        "ORDER BY day DESC LIMIT 1",
    [API_Q_GEAR] =
        "SELECT id, name, kind, retired, count, distance, moving_time, "
        "DATE_FORMAT(first_date, '%Y-%m-%d'), DATE_FORMAT(last_date, "
        "'%Y-%m-%d') FROM " M "gear WHERE athlete_id = ? "
        "ORDER BY retired, distance DESC, id",
    [API_Q_HEATMAP] =
        "SELECT activity_id, sport_group, DATE_FORMAT(local_date, "
        "'%Y-%m-%d'), polyline FROM " M "route WHERE athlete_id = ? AND "
        "(? = 'all' OR sport_group = ?) AND " DAYS_BETWEEN
        " ORDER BY local_date, activity_id",
    /* ---- accounts and webhooks (api_auth.c, api_session.c, api_webhook.c) */
    [API_Q_STATE_PUT] = "INSERT INTO cairn_app.oauth_state (state) VALUES (?)",
    /* a state is good once, for 15 minutes */
    [API_Q_STATE_TAKE] =
        "DELETE FROM cairn_app.oauth_state WHERE state = ? AND "
        "created_at > NOW() - INTERVAL 15 MINUTE",
    [API_Q_STATE_PURGE] =
        "DELETE FROM cairn_app.oauth_state WHERE created_at < "
        "NOW() - INTERVAL 1 DAY",
    [API_Q_LOGIN_ATHLETE] =
        "INSERT INTO cairn_raw.athlete "
        "(id, username, firstname, lastname, sex, city, country, "
        "auth_state) VALUES (?, ?, ?, ?, ?, ?, ?, 'ok') "
        "ON DUPLICATE KEY UPDATE "
        "username = COALESCE(VALUES(username), username), "
        "firstname = COALESCE(VALUES(firstname), firstname), "
        "lastname = COALESCE(VALUES(lastname), lastname), "
        "sex = COALESCE(VALUES(sex), sex), "
        "city = COALESCE(VALUES(city), city), "
        "country = COALESCE(VALUES(country), country), auth_state = 'ok'",
    [API_Q_LOGIN_TOKEN] =
        "INSERT INTO cairn_raw.token "
        "(athlete_id, access_token, refresh_token, expires_at, scope) "
        "VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE "
        "access_token = VALUES(access_token), "
        "refresh_token = VALUES(refresh_token), "
        "expires_at = VALUES(expires_at), scope = VALUES(scope)",
    [API_Q_LOGIN_SYNC] =
        "INSERT IGNORE INTO cairn_raw.sync_state (athlete_id) VALUES (?)",
    [API_Q_TOKEN_ACCESS] =
        "SELECT access_token FROM cairn_raw.token WHERE athlete_id = ?",
    [API_Q_TOKEN_DEL] = "DELETE FROM cairn_raw.token WHERE athlete_id = ?",
    [API_Q_ATHLETE_REVOKE] =
        "UPDATE cairn_raw.athlete SET auth_state = 'revoked' WHERE id = ?",
    [API_Q_ACCOUNT_REQUEST] =
        "INSERT INTO cairn_app.account_request (athlete_id, action) "
        "VALUES (?, ?)",
    [API_Q_SESSION_PUT] =
        "INSERT INTO cairn_app.session (token_hash, athlete_id, csrf, "
        "expires_at) VALUES (?, ?, ?, NOW() + INTERVAL ? DAY)",
    [API_Q_SESSION_GET] = "SELECT athlete_id, csrf FROM cairn_app.session "
                          "WHERE token_hash = ? AND expires_at > NOW()",
    [API_Q_SESSION_DEL] = "DELETE FROM cairn_app.session WHERE token_hash = ?",
    [API_Q_SESSION_DEL_ATHLETE] =
        "DELETE FROM cairn_app.session WHERE athlete_id = ?",
    [API_Q_SESSION_PURGE] =
        "DELETE FROM cairn_app.session WHERE expires_at < NOW()",
    [API_Q_WEBHOOK_PUT] =
        "INSERT INTO cairn_app.webhook_event (object_type, object_id, "
        "aspect_type, owner_id, subscription_id, event_time, updates) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
};
