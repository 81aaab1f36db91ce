-- 002_mart.sql: the marts that cairn-transform writes and cairn-api reads
--
-- Every table is keyed by athlete first. Grain is written above each table.
-- Dates are the athlete's local calendar (the activity's start_date_local).
-- `sport` is the activity's sport_type as Strava names it (Ride, Run,
-- VirtualRide, TrailRun, ...); `sport_group` folds it into ride, run, swim,
-- other so that filters can ask for "all rides". Totals tables also carry
-- the pseudo sport 'all'.
--
-- NOTE: LOAD is a reserved word in MariaDB, so load columns are named
-- `training_load` (and `load_kind`, `load_hr`, `load_pace`).

-- Grain: one athlete. Copied from raw by the transform (the API may not read raw).
CREATE TABLE IF NOT EXISTS cairn_mart.athlete (
	id BIGINT NOT NULL PRIMARY KEY,
	firstname VARCHAR(100) NULL,
	lastname VARCHAR(100) NULL,
	sex CHAR(1) NULL,
	city VARCHAR(100) NULL,
	country VARCHAR(100) NULL,
	measurement_preference VARCHAR(10) NULL,
	auth_state VARCHAR(10) NOT NULL DEFAULT 'none',
	last_sync_at DATETIME NULL,
	last_transform_at DATETIME NULL,
	mart_version BIGINT NOT NULL DEFAULT 0,  -- bumped by every transform that changes the athlete's marts (ETag)
	activity_count INT NOT NULL DEFAULT 0
) ENGINE=InnoDB;

-- Grain: one activity. The per-activity metrics; NULL where a channel is missing.
CREATE TABLE IF NOT EXISTS cairn_mart.activity (
	id BIGINT NOT NULL PRIMARY KEY,
	athlete_id BIGINT NOT NULL,
	source VARCHAR(10) NOT NULL,
	name VARCHAR(255) NULL,
	sport VARCHAR(40) NOT NULL,
	sport_group VARCHAR(10) NOT NULL,        -- ride, run, swim, other
	start_utc DATETIME NOT NULL,
	start_local DATETIME NOT NULL,
	local_date DATE NOT NULL,
	timezone VARCHAR(64) NULL,
	distance DOUBLE NULL,                    -- m
	moving_time INT NULL,                    -- s
	elapsed_time INT NULL,                   -- s
	elevation_gain DOUBLE NULL,              -- m
	avg_speed DOUBLE NULL,                   -- m/s
	max_speed DOUBLE NULL,
	avg_hr DOUBLE NULL,
	max_hr DOUBLE NULL,
	avg_power DOUBLE NULL,                   -- W
	max_power DOUBLE NULL,
	np DOUBLE NULL,                          -- Normalized Power, W
	intensity DOUBLE NULL,                   -- IF
	vi DOUBLE NULL,                          -- variability index
	tss_power DOUBLE NULL,
	load_hr DOUBLE NULL,                     -- HR load on the TSS scale
	load_pace DOUBLE NULL,                   -- running load from grade-adjusted pace
	trimp DOUBLE NULL,                       -- Banister TRIMP
	decoupling DOUBLE NULL,                  -- Pa:HR, percent
	training_load DOUBLE NULL,                        -- the chosen load
	load_kind VARCHAR(8) NULL,               -- 'power', 'pace' or 'hr'
	avg_cadence DOUBLE NULL,
	kilojoules DOUBLE NULL,
	gear_id VARCHAR(32) NULL,
	commute TINYINT NOT NULL DEFAULT 0,
	trainer TINYINT NOT NULL DEFAULT 0,
	manual TINYINT NOT NULL DEFAULT 0,
	has_streams TINYINT NOT NULL DEFAULT 0,
	spikes_clipped INT NOT NULL DEFAULT 0,
	summary_polyline MEDIUMTEXT NULL,
	KEY act_date (athlete_id, local_date, id),
	KEY act_distance (athlete_id, distance, id),
	KEY act_time (athlete_id, moving_time, id),
	KEY act_load (athlete_id, training_load, id),
	KEY act_np (athlete_id, np, id),
	KEY act_sport_date (athlete_id, sport_group, local_date, id)
) ENGINE=InnoDB;

-- Grain: one activity. Cleaned 1 Hz streams, packed (lib/spk.h) for the API's charts.
CREATE TABLE IF NOT EXISTS cairn_mart.activity_stream (
	activity_id BIGINT NOT NULL PRIMARY KEY,
	athlete_id BIGINT NOT NULL,
	points INT NOT NULL,
	data LONGBLOB NOT NULL
) ENGINE=InnoDB;

-- Grain: activity x kind x zone. Seconds in each zone.
CREATE TABLE IF NOT EXISTS cairn_mart.activity_zone (
	activity_id BIGINT NOT NULL,
	kind VARCHAR(8) NOT NULL,                -- 'power', 'hr', 'pace'
	zone TINYINT NOT NULL,                   -- 1-based
	athlete_id BIGINT NOT NULL,
	sport_group VARCHAR(10) NOT NULL,
	local_date DATE NOT NULL,
	seconds INT NOT NULL,
	low DOUBLE NULL,                         -- zone bounds in force (W, bpm, m/s)
	high DOUBLE NULL,
	PRIMARY KEY (activity_id, kind, zone),
	KEY zone_athlete (athlete_id, kind, local_date)
) ENGINE=InnoDB;

-- Grain: activity x kind. The exact mean-maximal curve, every duration 1..n s,
-- packed as n little-endian float32 (value for duration i+1 at index i).
CREATE TABLE IF NOT EXISTS cairn_mart.activity_curve (
	activity_id BIGINT NOT NULL,
	kind VARCHAR(8) NOT NULL,                -- 'power', 'hr', 'speed'
	athlete_id BIGINT NOT NULL,
	n INT NOT NULL,
	data LONGBLOB NOT NULL,
	PRIMARY KEY (activity_id, kind)
) ENGINE=InnoDB;

-- Grain: activity x kind x duration on the log-spaced duration grid
-- (docs/METRICS.md). What period curves are computed from with one indexed query.
CREATE TABLE IF NOT EXISTS cairn_mart.curve_point (
	athlete_id BIGINT NOT NULL,
	kind VARCHAR(8) NOT NULL,
	sport_group VARCHAR(10) NOT NULL,
	duration INT NOT NULL,
	local_date DATE NOT NULL,
	activity_id BIGINT NOT NULL,
	value DOUBLE NOT NULL,
	PRIMARY KEY (athlete_id, kind, sport_group, duration, local_date, activity_id),
	KEY curve_activity (activity_id),
	KEY curve_date (athlete_id, local_date)
) ENGINE=InnoDB;

-- Grain: athlete x kind x sport_group x period x duration. Precomputed bests for
-- period 'all', 'year:YYYY', 'days:42', 'days:90'.
CREATE TABLE IF NOT EXISTS cairn_mart.curve_best (
	athlete_id BIGINT NOT NULL,
	kind VARCHAR(8) NOT NULL,
	sport_group VARCHAR(10) NOT NULL,
	period VARCHAR(16) NOT NULL,
	duration INT NOT NULL,
	value DOUBLE NOT NULL,
	activity_id BIGINT NOT NULL,
	local_date DATE NOT NULL,
	PRIMARY KEY (athlete_id, kind, sport_group, period, duration)
) ENGINE=InnoDB;

-- Grain: activity x distance. The fastest elapsed time over each standard distance.
CREATE TABLE IF NOT EXISTS cairn_mart.best_effort (
	activity_id BIGINT NOT NULL,
	distance INT NOT NULL,                   -- m (1609 = mile)
	athlete_id BIGINT NOT NULL,
	sport_group VARCHAR(10) NOT NULL,
	local_date DATE NOT NULL,
	elapsed DOUBLE NOT NULL,                 -- s
	start_offset INT NOT NULL,               -- s from the activity start
	PRIMARY KEY (activity_id, distance),
	KEY effort_rank (athlete_id, sport_group, distance, elapsed)
) ENGINE=InnoDB;

-- Grain: athlete x sport_group x distance x scope x rank. scope 'all' or a year 'YYYY'.
CREATE TABLE IF NOT EXISTS cairn_mart.record (
	athlete_id BIGINT NOT NULL,
	sport_group VARCHAR(10) NOT NULL,
	distance INT NOT NULL,
	scope VARCHAR(8) NOT NULL,
	rnk TINYINT NOT NULL,
	activity_id BIGINT NOT NULL,
	local_date DATE NOT NULL,
	elapsed DOUBLE NOT NULL,
	PRIMARY KEY (athlete_id, sport_group, distance, scope, rnk)
) ENGINE=InnoDB;

-- Grain: one event each time an all-time best over a distance was improved.
CREATE TABLE IF NOT EXISTS cairn_mart.pr_event (
	athlete_id BIGINT NOT NULL,
	sport_group VARCHAR(10) NOT NULL,
	distance INT NOT NULL,
	local_date DATE NOT NULL,
	activity_id BIGINT NOT NULL,
	elapsed DOUBLE NOT NULL,
	PRIMARY KEY (athlete_id, sport_group, distance, local_date, activity_id)
) ENGINE=InnoDB;

-- Grain: athlete x day (all sports). Daily load and the fitness chart;
-- projected = 1 for the 14 days after today.
CREATE TABLE IF NOT EXISTS cairn_mart.fitness (
	athlete_id BIGINT NOT NULL,
	day DATE NOT NULL,
	training_load DOUBLE NOT NULL,
	ctl DOUBLE NOT NULL,
	atl DOUBLE NOT NULL,
	tsb DOUBLE NOT NULL,
	ramp DOUBLE NULL,
	projected TINYINT NOT NULL DEFAULT 0,
	PRIMARY KEY (athlete_id, day)
) ENGINE=InnoDB;

-- Grain: athlete x sport x day, only days with activity. sport is a sport_group
-- or 'all'. Calendar, cumulative and Eddington read this.
CREATE TABLE IF NOT EXISTS cairn_mart.day_total (
	athlete_id BIGINT NOT NULL,
	sport VARCHAR(10) NOT NULL,
	day DATE NOT NULL,
	count INT NOT NULL,
	distance DOUBLE NOT NULL,
	moving_time INT NOT NULL,
	elevation_gain DOUBLE NOT NULL,
	training_load DOUBLE NOT NULL,
	PRIMARY KEY (athlete_id, sport, day)
) ENGINE=InnoDB;

-- Grain: athlete x grain x sport x period. grain 'week' (ISO, period_start a
-- Monday), 'month', 'year'. sport is a sport_group or 'all'.
CREATE TABLE IF NOT EXISTS cairn_mart.period_total (
	athlete_id BIGINT NOT NULL,
	grain VARCHAR(5) NOT NULL,
	sport VARCHAR(10) NOT NULL,
	period_start DATE NOT NULL,
	count INT NOT NULL,
	distance DOUBLE NOT NULL,
	moving_time INT NOT NULL,
	elevation_gain DOUBLE NOT NULL,
	training_load DOUBLE NOT NULL,
	longest DOUBLE NOT NULL,
	PRIMARY KEY (athlete_id, grain, sport, period_start)
) ENGINE=InnoDB;

-- Grain: athlete x sport x unit. Eddington number and days needed for the next.
CREATE TABLE IF NOT EXISTS cairn_mart.eddington (
	athlete_id BIGINT NOT NULL,
	sport VARCHAR(10) NOT NULL,              -- ride, run
	unit VARCHAR(2) NOT NULL,                -- km, mi
	e INT NOT NULL,
	next_needed INT NOT NULL,                -- days of >= e+1 still needed
	histogram MEDIUMTEXT NOT NULL,           -- JSON array: days with distance >= n, n = 1..max
	PRIMARY KEY (athlete_id, sport, unit)
) ENGINE=InnoDB;

-- Grain: one piece of gear.
CREATE TABLE IF NOT EXISTS cairn_mart.gear (
	id VARCHAR(32) NOT NULL PRIMARY KEY,
	athlete_id BIGINT NOT NULL,
	name VARCHAR(200) NULL,
	kind VARCHAR(10) NULL,
	retired TINYINT NOT NULL DEFAULT 0,
	count INT NOT NULL DEFAULT 0,
	distance DOUBLE NOT NULL DEFAULT 0,
	moving_time INT NOT NULL DEFAULT 0,
	first_date DATE NULL,
	last_date DATE NULL,
	KEY gear_athlete (athlete_id)
) ENGINE=InnoDB;

-- Grain: one activity with a route. Douglas-Peucker simplified, Google-encoded polyline.
CREATE TABLE IF NOT EXISTS cairn_mart.route (
	activity_id BIGINT NOT NULL PRIMARY KEY,
	athlete_id BIGINT NOT NULL,
	sport_group VARCHAR(10) NOT NULL,
	local_date DATE NOT NULL,
	polyline MEDIUMTEXT NOT NULL,
	KEY route_athlete (athlete_id, sport_group, local_date)
) ENGINE=InnoDB;

-- Grain: athlete x setting x effective date: the settings the transform used,
-- with the estimated ones marked (copied from cairn_app.setting plus estimates).
CREATE TABLE IF NOT EXISTS cairn_mart.setting_in_force (
	athlete_id BIGINT NOT NULL,
	name VARCHAR(32) NOT NULL,
	effective_from DATE NOT NULL,
	value VARCHAR(64) NOT NULL,
	source VARCHAR(10) NOT NULL,
	PRIMARY KEY (athlete_id, name, effective_from)
) ENGINE=InnoDB;

-- Grain: one athlete. cairn-transform's own bookkeeping (not read by the API):
-- the newest raw.activity.changed_at it has applied, a fingerprint of the
-- settings in force it used, and the day its fitness chart last ran to.
-- Grain: one raw activity the transform has processed: the raw row's
-- changed_at the marts reflect. A raw row whose changed_at differs is redone.
CREATE TABLE IF NOT EXISTS cairn_mart.activity_seen (
	activity_id BIGINT NOT NULL PRIMARY KEY,
	athlete_id BIGINT NOT NULL,
	changed_at DATETIME(6) NOT NULL,
	KEY seen_athlete (athlete_id)
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS cairn_mart.transform_state (
	athlete_id BIGINT NOT NULL PRIMARY KEY,
	watermark DATETIME(6) NULL,
	settings_sig VARCHAR(64) NOT NULL DEFAULT '',
	today DATE NULL,
	updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP
) ENGINE=InnoDB;
