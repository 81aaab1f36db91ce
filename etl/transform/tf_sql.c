/* tf_sql.c: all SQL of cairn-transform, indexed by enum tf_stmt */
#include "tf.h"

#define TF_D(col) "DATE_FORMAT(" col ", '%Y-%m-%d')"
/* A version stamp: the clock in microseconds. */
#define TF_STAMP "CAST(UNIX_TIMESTAMP(NOW(6)) * 1000000 AS UNSIGNED)"

/* The statements keep their SQL line breaks around the TF_D() and TF_STAMP
 * pieces, which clang-format would split mid-clause. */
/* clang-format off */
const char *const tf_sql[TF__MAX] = {
    /* TF_ATHLETES */
    "SELECT id FROM cairn_raw.athlete WHERE ? = 0 OR id = ? ORDER BY id",
    /* TF_ATHLETE_ROW */
    "SELECT ftp, weight, sex FROM cairn_raw.athlete WHERE id = ?",
    /* TF_ZONES */
    "SELECT json FROM cairn_raw.athlete_zones WHERE athlete_id = ?",
    /* TF_SETTINGS */
    "SELECT name, " TF_D("effective_from") ", value, source "
    "FROM cairn_app.setting WHERE athlete_id = ? "
    "ORDER BY name, effective_from",
    /* TF_ESTIMATES */
    "SELECT MAX(CASE WHEN max_heartrate <= 250 THEN max_heartrate END), "
    "MAX(CASE WHEN moving_time >= 1200 THEN weighted_average_watts END), "
    "MAX(CASE WHEN sport_type IN ('Run', 'TrailRun', 'VirtualRun') AND "
    "moving_time >= 1800 THEN average_speed END) "
    "FROM cairn_raw.activity WHERE athlete_id = ? AND deleted = 0",
    /* TF_STATE */
    "SELECT DATE_FORMAT(watermark, '%Y-%m-%d %H:%i:%s.%f'), settings_sig, "
    TF_D("today") " FROM cairn_mart.transform_state WHERE athlete_id = ?",
    /* TF_STATE_PUT */
    "INSERT INTO cairn_mart.transform_state (athlete_id, watermark, "
    "settings_sig, today) VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE "
    "watermark = VALUES(watermark), settings_sig = VALUES(settings_sig), "
    "today = VALUES(today)",
    /* TF_REQUESTS */
    "SELECT id, " TF_D("from_date") " FROM cairn_app.recompute_request "
    "WHERE athlete_id = ? AND done_at IS NULL ORDER BY id",
    /* TF_REQUEST_DONE */
    "UPDATE cairn_app.recompute_request SET done_at = NOW() WHERE id = ?",
    /* TF_CHANGED: athlete, all?, from date. Exact: every raw row whose
     * changed_at differs from the one this athlete's marts were built
     * from, so a row committed late with an older stamp is not missed. */
    "SELECT r.id FROM cairn_raw.activity r LEFT JOIN "
    "cairn_mart.activity_seen s ON s.activity_id = r.id WHERE "
    "r.athlete_id = ? AND (s.activity_id IS NULL OR s.changed_at <> "
    "r.changed_at OR ? = 1 OR r.start_date_local >= ?) ORDER BY r.id",
    /* TF_MAX_CHANGED */
    "SELECT DATE_FORMAT(MAX(changed_at), '%Y-%m-%d %H:%i:%s.%f') "
    "FROM cairn_raw.activity WHERE athlete_id = ?",
    /* TF_ORPHANS */
    "SELECT id FROM cairn_mart.activity WHERE athlete_id = ? AND id NOT IN "
    "(SELECT id FROM cairn_raw.activity WHERE athlete_id = ? AND "
    "deleted = 0) ORDER BY id",
    /* TF_MART_DATE */
    "SELECT " TF_D("local_date") " FROM cairn_mart.activity WHERE id = ?",
    /* TF_ACT */
    "SELECT id, athlete_id, source, name, sport_type, "
    "DATE_FORMAT(start_date, '%Y-%m-%d %H:%i:%s'), "
    "DATE_FORMAT(start_date_local, '%Y-%m-%d %H:%i:%s'), timezone, "
    "distance, moving_time, elapsed_time, total_elevation_gain, "
    "average_speed, max_speed, average_heartrate, max_heartrate, "
    "average_watts, kilojoules, gear_id, commute, trainer, manual, "
    "has_streams, deleted, summary_polyline, "
    "DATE_FORMAT(changed_at, '%Y-%m-%d %H:%i:%s.%f') "
    "FROM cairn_raw.activity WHERE id = ?",
    /* TF_STREAM */
    "SELECT json FROM cairn_raw.activity_stream WHERE activity_id = ?",
    /* TF_DEL_ACT */
    "DELETE FROM cairn_mart.activity WHERE id = ?",
    /* TF_DEL_STREAM */
    "DELETE FROM cairn_mart.activity_stream WHERE activity_id = ?",
    /* TF_DEL_ZONE */
    "DELETE FROM cairn_mart.activity_zone WHERE activity_id = ?",
    /* TF_DEL_CURVE */
    "DELETE FROM cairn_mart.activity_curve WHERE activity_id = ?",
    /* TF_DEL_GRID */
    "DELETE FROM cairn_mart.curve_grid WHERE activity_id = ?",
    /* TF_DEL_EFFORT */
    "DELETE FROM cairn_mart.best_effort WHERE activity_id = ?",
    /* TF_DEL_ROUTE */
    "DELETE FROM cairn_mart.route WHERE activity_id = ?",
    /* TF_DEL_LAPS */
    "DELETE FROM cairn_mart.activity_lap WHERE activity_id = ?",
    /* TF_LAPS: the recorded laps of one activity */
    "SELECT start_offset, elapsed FROM cairn_raw.activity_lap "
    "WHERE activity_id = ? ORDER BY lap_index",
    /* TF_INS_ACT: 44 values */
    "INSERT INTO cairn_mart.activity (id, athlete_id, source, name, sport, "
    "sport_group, start_utc, start_local, local_date, timezone, distance, "
    "moving_time, elapsed_time, elevation_gain, avg_speed, max_speed, "
    "avg_hr, max_hr, avg_power, max_power, np, intensity, vi, tss_power, "
    "load_hr, load_pace, trimp, decoupling, training_load, load_kind, avg_cadence, "
    "kilojoules, gear_id, commute, trainer, manual, has_streams, "
    "spikes_clipped, summary_polyline, wbal_min, est_avg_power, est_np, ef, "
    "power_estimated, gap) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    /* TF_INS_STREAM */
    "INSERT INTO cairn_mart.activity_stream (activity_id, athlete_id, "
    "points, data) VALUES (?, ?, ?, ?)",
    /* TF_INS_CURVE */
    "INSERT INTO cairn_mart.activity_curve (activity_id, kind, athlete_id, "
    "n, data) VALUES (?, ?, ?, ?, ?)",
    /* TF_INS_ZONES: activity, athlete, group, date, json */
    "INSERT INTO cairn_mart.activity_zone (activity_id, kind, zone, "
    "athlete_id, sport_group, local_date, seconds, low, high) "
    "SELECT ?, j.kind, j.zone, ?, ?, ?, j.secs, j.lo, j.hi FROM "
    "JSON_TABLE(?, '$[*]' COLUMNS (kind VARCHAR(8) PATH '$[0]', "
    "zone INT PATH '$[1]', secs INT PATH '$[2]', lo DOUBLE PATH '$[3]', "
    "hi DOUBLE PATH '$[4]')) j",
    /* TF_INS_GRID: activity, kind, athlete, group, date, n, data */
    "INSERT INTO cairn_mart.curve_grid (activity_id, kind, athlete_id, "
    "sport_group, local_date, n, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
    /* TF_INS_EFFORTS: activity, athlete, group, date, json */
    "INSERT INTO cairn_mart.best_effort (activity_id, distance, athlete_id, "
    "sport_group, local_date, elapsed, start_offset) "
    "SELECT ?, j.dist, ?, ?, ?, j.el, j.st FROM JSON_TABLE(?, '$[*]' "
    "COLUMNS (dist INT PATH '$[0]', el DOUBLE PATH '$[1]', "
    "st INT PATH '$[2]')) j",
    /* TF_INS_ROUTE */
    "INSERT INTO cairn_mart.route (activity_id, athlete_id, sport_group, "
    "local_date, polyline) VALUES (?, ?, ?, ?, ?)",
    /* TF_INS_LAPS: activity, athlete, json (tf_act_laps.c's rows) */
    "INSERT INTO cairn_mart.activity_lap (activity_id, kind, idx, "
    "athlete_id, source, start_offset, elapsed, moving_time, distance, "
    "avg_power, max_power, np, avg_hr, max_hr, avg_speed, max_speed, "
    "avg_cadence, max_cadence, gap, elevation_gain, intensity, basis) "
    "SELECT ?, j.k, j.i, ?, j.src, j.st, j.el, j.mv, j.d, j.ap, j.mp, "
    "j.np, j.ah, j.mh, j.av, j.mx, j.ac, j.mc, j.g, j.eg, j.it, j.b "
    "FROM JSON_TABLE(?, '$[*]' COLUMNS (k VARCHAR(8) PATH '$[0]', "
    "i INT PATH '$[1]', src VARCHAR(8) PATH '$[2]', st INT PATH '$[3]', "
    "el INT PATH '$[4]', mv INT PATH '$[5]', d DOUBLE PATH '$[6]', "
    "ap DOUBLE PATH '$[7]', mp DOUBLE PATH '$[8]', np DOUBLE PATH '$[9]', "
    "ah DOUBLE PATH '$[10]', mh DOUBLE PATH '$[11]', "
    "av DOUBLE PATH '$[12]', mx DOUBLE PATH '$[13]', "
    "ac DOUBLE PATH '$[14]', mc DOUBLE PATH '$[15]', g DOUBLE PATH '$[16]', "
    "eg DOUBLE PATH '$[17]', it DOUBLE PATH '$[18]', "
    "b VARCHAR(8) PATH '$[19]')) j",
    /* TF_READ_ACTS */
    "SELECT id, sport_group, " TF_D("local_date") ", COALESCE(distance, 0), "
    "COALESCE(moving_time, 0), COALESCE(elevation_gain, 0), "
    "COALESCE(training_load, 0) FROM cairn_mart.activity WHERE athlete_id = ? "
    "ORDER BY local_date, id",
    /* TF_DEL_DAY */
    "DELETE FROM cairn_mart.day_total WHERE athlete_id = ? AND "
    "day BETWEEN ? AND ?",
    /* TF_INS_DAY: athlete, json */
    "INSERT INTO cairn_mart.day_total (athlete_id, sport, day, count, "
    "distance, moving_time, elevation_gain, training_load) "
    "SELECT ?, j.s, j.d, j.c, j.dist, j.mt, j.el, j.ld FROM JSON_TABLE(?, "
    "'$[*]' COLUMNS (s VARCHAR(10) PATH '$[0]', d DATE PATH '$[1]', "
    "c INT PATH '$[2]', dist DOUBLE PATH '$[3]', mt INT PATH '$[4]', "
    "el DOUBLE PATH '$[5]', ld DOUBLE PATH '$[6]')) j",
    /* TF_DEL_PERIOD */
    "DELETE FROM cairn_mart.period_total WHERE athlete_id = ? AND "
    "grain = ? AND period_start BETWEEN ? AND ?",
    /* TF_INS_PERIOD */
    "INSERT INTO cairn_mart.period_total (athlete_id, grain, sport, "
    "period_start, count, distance, moving_time, elevation_gain, training_load, "
    "longest) SELECT ?, j.g, j.s, j.d, j.c, j.dist, j.mt, j.el, j.ld, j.lg "
    "FROM JSON_TABLE(?, '$[*]' COLUMNS (g VARCHAR(5) PATH '$[0]', "
    "s VARCHAR(10) PATH '$[1]', d DATE PATH '$[2]', c INT PATH '$[3]', "
    "dist DOUBLE PATH '$[4]', mt INT PATH '$[5]', el DOUBLE PATH '$[6]', "
    "ld DOUBLE PATH '$[7]', lg DOUBLE PATH '$[8]')) j",
    /* TF_DEL_FIT */
    "DELETE FROM cairn_mart.fitness WHERE athlete_id = ? AND day >= ?",
    /* TF_INS_FIT */
    "INSERT INTO cairn_mart.fitness (athlete_id, day, training_load, ctl, atl, tsb, "
    "ramp, projected) SELECT ?, j.d, j.ld, j.ctl, j.atl, j.tsb, j.ramp, "
    "j.p FROM JSON_TABLE(?, '$[*]' COLUMNS (d DATE PATH '$[0]', "
    "ld DOUBLE PATH '$[1]', ctl DOUBLE PATH '$[2]', atl DOUBLE PATH '$[3]', "
    "tsb DOUBLE PATH '$[4]', ramp DOUBLE PATH '$[5]', p INT PATH '$[6]')) "
    "j",
    /* TF_DEL_EDD */
    "DELETE FROM cairn_mart.eddington WHERE athlete_id = ?",
    /* TF_INS_EDD */
    "INSERT INTO cairn_mart.eddington (athlete_id, sport, unit, e, "
    "next_needed, histogram) VALUES (?, ?, ?, ?, ?, ?)",
    /* TF_DEL_GEAR */
    "DELETE FROM cairn_mart.gear WHERE athlete_id = ?",
    /* TF_INS_GEAR */
    "INSERT INTO cairn_mart.gear (id, athlete_id, name, kind, retired, "
    "count, distance, moving_time, first_date, last_date) "
    "SELECT g.id, g.athlete_id, g.name, g.kind, g.retired, COUNT(a.id), "
    "COALESCE(SUM(a.distance), 0), COALESCE(SUM(a.moving_time), 0), "
    "MIN(a.local_date), MAX(a.local_date) FROM cairn_raw.gear g "
    "LEFT JOIN cairn_mart.activity a ON a.gear_id = g.id AND "
    "a.athlete_id = g.athlete_id WHERE g.athlete_id = ? "
    "GROUP BY g.id, g.athlete_id, g.name, g.kind, g.retired",
    /* TF_INS_GEAR_UNKNOWN: gear on activities that raw.gear lacks */
    "INSERT INTO cairn_mart.gear (id, athlete_id, name, kind, retired, "
    "count, distance, moving_time, first_date, last_date) "
    "SELECT a.gear_id, a.athlete_id, NULL, CASE WHEN MAX(a.sport_group) = "
    "'run' THEN 'shoe' ELSE 'bike' END, 0, COUNT(*), "
    "COALESCE(SUM(a.distance), 0), COALESCE(SUM(a.moving_time), 0), "
    "MIN(a.local_date), MAX(a.local_date) FROM cairn_mart.activity a "
    "WHERE a.athlete_id = ? AND a.gear_id IS NOT NULL AND a.gear_id <> '' "
    "AND a.gear_id NOT IN (SELECT id FROM cairn_raw.gear) "
    "GROUP BY a.gear_id, a.athlete_id",
    /* TF_DEL_RECORD */
    "DELETE FROM cairn_mart.record WHERE athlete_id = ?",
    /* TF_INS_RECORD_ALL */
    "INSERT INTO cairn_mart.record (athlete_id, sport_group, distance, "
    "scope, rnk, activity_id, local_date, elapsed) "
    "SELECT athlete_id, sport_group, distance, 'all', rn, activity_id, "
    "local_date, elapsed FROM (SELECT e.*, ROW_NUMBER() OVER (PARTITION BY "
    "sport_group, distance ORDER BY elapsed, local_date, activity_id) rn "
    "FROM cairn_mart.best_effort e WHERE athlete_id = ?) x WHERE rn <= 3",
    /* TF_INS_RECORD_YEAR */
    "INSERT INTO cairn_mart.record (athlete_id, sport_group, distance, "
    "scope, rnk, activity_id, local_date, elapsed) "
    "SELECT athlete_id, sport_group, distance, CAST(YEAR(local_date) AS "
    "CHAR), rn, activity_id, local_date, elapsed FROM (SELECT e.*, "
    "ROW_NUMBER() OVER (PARTITION BY sport_group, distance, YEAR(local_date) "
    "ORDER BY elapsed, local_date, activity_id) rn FROM "
    "cairn_mart.best_effort e WHERE athlete_id = ?) x WHERE rn <= 3",
    /* TF_DEL_PR */
    "DELETE FROM cairn_mart.pr_event WHERE athlete_id = ?",
    /* TF_INS_PR: each effort faster than every earlier one */
    "INSERT INTO cairn_mart.pr_event (athlete_id, sport_group, distance, "
    "local_date, activity_id, elapsed) SELECT athlete_id, sport_group, "
    "distance, local_date, activity_id, elapsed FROM (SELECT e.*, "
    "MIN(elapsed) OVER (PARTITION BY sport_group, distance ORDER BY "
    "local_date, activity_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 "
    "PRECEDING) prev FROM cairn_mart.best_effort e WHERE athlete_id = ?) x "
    "WHERE prev IS NULL OR elapsed < prev",
    /* TF_DEL_BEST */
    "DELETE FROM cairn_mart.curve_best WHERE athlete_id = ?",
    /* TF_INS_BEST_ALL: the best of the year bests */
    "INSERT INTO cairn_mart.curve_best (athlete_id, kind, sport_group, "
    "period, duration, value, activity_id, local_date) "
    "SELECT athlete_id, kind, sport_group, 'all', duration, value, "
    "activity_id, local_date FROM (SELECT b.*, ROW_NUMBER() OVER (PARTITION "
    "BY kind, sport_group, duration ORDER BY value DESC, local_date, "
    "activity_id) rn FROM cairn_mart.curve_best b WHERE athlete_id = ? AND "
    "period LIKE 'year:%') x WHERE rn = 1",
    /* TF_DEL_BEST_PERIOD */
    "DELETE FROM cairn_mart.curve_best WHERE athlete_id = ? AND period = ?",
    /* TF_READ_GRIDS: athlete, first day, last day; in the order tf_best.c
     * breaks ties by */
    "SELECT kind, sport_group, local_date, activity_id, data FROM "
    "cairn_mart.curve_grid WHERE athlete_id = ? AND local_date BETWEEN ? "
    "AND ? ORDER BY local_date, activity_id",
    /* TF_INS_BESTS: athlete, json [[kind, group, period, duration, value,
     * activity, date], ...] */
    "INSERT INTO cairn_mart.curve_best (athlete_id, kind, sport_group, "
    "period, duration, value, activity_id, local_date) SELECT ?, j.k, j.g, "
    "j.p, j.d, j.v, j.a, j.dt FROM JSON_TABLE(?, '$[*]' COLUMNS (k "
    "VARCHAR(8) PATH '$[0]', g VARCHAR(10) PATH '$[1]', p VARCHAR(16) PATH "
    "'$[2]', d INT PATH '$[3]', v DOUBLE PATH '$[4]', a BIGINT PATH '$[5]', "
    "dt DATE PATH '$[6]')) j",
    /* TF_MODEL_FIRST: athlete; each modelled sport's first day */
    "SELECT sport_group, " TF_D("MIN(local_date)") " FROM "
    "cairn_mart.activity WHERE athlete_id = ? AND sport_group IN ('ride', "
    "'run') GROUP BY sport_group",
    /* TF_MODEL_DEL: athlete, sport, first day, last day */
    "DELETE FROM cairn_mart.model_day WHERE athlete_id = ? AND sport = ? "
    "AND day BETWEEN ? AND ?",
    /* TF_MODEL_DEL_OUT: athlete, sport, first day, today: rows outside */
    "DELETE FROM cairn_mart.model_day WHERE athlete_id = ? AND sport = ? "
    "AND (day < ? OR day > ?)",
    /* TF_MODEL_GRIDS: athlete, kind, sport group, first day, last day; in
     * the order tf_model.c breaks ties by */
    "SELECT activity_id, " TF_D("local_date") ", data FROM "
    "cairn_mart.curve_grid WHERE athlete_id = ? AND kind = ? AND "
    "sport_group = ? AND local_date BETWEEN ? AND ? "
    "ORDER BY local_date, activity_id",
    /* TF_MODEL_EFFORTS: athlete, first day, last day; run best efforts
     * long enough for a VDOT */
    "SELECT activity_id, " TF_D("local_date") ", distance, elapsed FROM "
    "cairn_mart.best_effort WHERE athlete_id = ? AND sport_group = 'run' "
    "AND distance >= 1500 AND local_date BETWEEN ? AND ? "
    "ORDER BY local_date, activity_id, distance",
    /* TF_MODEL_INS: athlete, json [[sport, day, window, cp, w_prime, pmax,
     * eftp, r2, cs, d_prime, vdot, reason, efforts, predictions], ...] */
    "INSERT INTO cairn_mart.model_day (athlete_id, sport, day, window_days, "
    "cp, w_prime, pmax, eftp, r2, cs, d_prime, vdot, reason, efforts, "
    "predictions) SELECT ?, j.s, j.d, j.w, j.cp, j.wp, j.pm, j.ef, j.r2, "
    "j.cs, j.dp, j.vd, j.re, j.eff, j.pr FROM JSON_TABLE(?, '$[*]' COLUMNS "
    "(s VARCHAR(10) PATH '$[0]', d DATE PATH '$[1]', w INT PATH '$[2]', "
    "cp DOUBLE PATH '$[3]', wp DOUBLE PATH '$[4]', pm DOUBLE PATH '$[5]', "
    "ef DOUBLE PATH '$[6]', r2 DOUBLE PATH '$[7]', cs DOUBLE PATH '$[8]', "
    "dp DOUBLE PATH '$[9]', vd DOUBLE PATH '$[10]', re VARCHAR(24) PATH "
    "'$[11]', eff TEXT PATH '$[12]', pr TEXT PATH '$[13]')) j",
    /* TF_DEL_SIF */
    "DELETE FROM cairn_mart.setting_in_force WHERE athlete_id = ?",
    /* TF_INS_SIF */
    "INSERT INTO cairn_mart.setting_in_force (athlete_id, name, "
    "effective_from, value, source) VALUES (?, ?, ?, ?, ?)",
    /* TF_SIF_ROWS: athlete (as TF_SETTINGS) */
    "SELECT name, " TF_D("effective_from") ", value, source "
    "FROM cairn_mart.setting_in_force WHERE athlete_id = ? "
    "ORDER BY name, effective_from",
    /* TF_ATHLETE_PUT: bump?, athlete, bump?. The version is a clock stamp
     * in microseconds (and at least one more than before), so it never
     * repeats, not even after the marts are dropped or restored: the
     * API's ETags and kept answers can never name older contents. */
    "INSERT INTO cairn_mart.athlete (id, firstname, lastname, sex, city, "
    "country, measurement_preference, auth_state, last_sync_at, "
    "last_transform_at, mart_version, activity_count) "
    "SELECT r.id, r.firstname, r.lastname, r.sex, r.city, r.country, "
    "r.measurement_preference, r.auth_state, COALESCE((SELECT "
    "last_success_at FROM cairn_raw.sync_state s WHERE s.athlete_id = "
    "r.id), (SELECT MAX(finished_at) FROM cairn_app.etl_run e WHERE "
    "e.athlete_id = r.id AND e.program <> 'cairn-transform')), NOW(), "
    "IF(? > 0, " TF_STAMP ", 0), "
    "(SELECT COUNT(*) FROM cairn_mart.activity a WHERE a.athlete_id = r.id) "
    "FROM cairn_raw.athlete r WHERE r.id = ? ON DUPLICATE KEY UPDATE "
    "firstname = VALUES(firstname), lastname = VALUES(lastname), "
    "sex = VALUES(sex), city = VALUES(city), country = VALUES(country), "
    "measurement_preference = VALUES(measurement_preference), "
    "auth_state = VALUES(auth_state), last_sync_at = VALUES(last_sync_at), "
    "last_transform_at = NOW(), mart_version = IF(? > 0, "
    "GREATEST(mart_version + 1, " TF_STAMP "), mart_version), "
    "activity_count = VALUES(activity_count)",
    /* TF_WIPE_* (--full) */
    "DELETE FROM cairn_mart.activity WHERE athlete_id = ?",
    "DELETE FROM cairn_mart.activity_stream WHERE athlete_id = ?",
    "DELETE FROM cairn_mart.activity_zone WHERE athlete_id = ?",
    "DELETE FROM cairn_mart.activity_curve WHERE athlete_id = ?",
    "DELETE FROM cairn_mart.curve_grid WHERE athlete_id = ?",
    "DELETE FROM cairn_mart.best_effort WHERE athlete_id = ?",
    "DELETE FROM cairn_mart.route WHERE athlete_id = ?",
    "DELETE FROM cairn_mart.day_total WHERE athlete_id = ?",
    "DELETE FROM cairn_mart.period_total WHERE athlete_id = ?",
    "DELETE FROM cairn_mart.fitness WHERE athlete_id = ?",
    "DELETE FROM cairn_mart.model_day WHERE athlete_id = ?",
    "DELETE FROM cairn_mart.activity_lap WHERE athlete_id = ?",
    /* TF_WIPE_SEEN */
    "DELETE FROM cairn_mart.activity_seen WHERE athlete_id = ?",
    /* TF_SEEN_PUT: id, athlete, changed_at (as read in this snapshot) */
    "INSERT INTO cairn_mart.activity_seen (activity_id, athlete_id, "
    "changed_at) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE "
    "athlete_id = VALUES(athlete_id), changed_at = VALUES(changed_at)",
    /* TF_SEEN_DEL */
    "DELETE FROM cairn_mart.activity_seen WHERE activity_id = ?",
};
/* clang-format on */
