-- 001_init.sql: the three schemas and their first tables (raw as fetched, app state, marts)
--
-- cairn_raw  : what Strava (or an imported file) said, verbatim JSON plus typed
--              columns the transform filters on. Written only by the ETL.
-- cairn_app  : small state shared by ETL and API: sessions, settings,
--              webhook events, the shared rate budget, run bookkeeping.
-- cairn_mart : analysis-ready tables, written only by cairn-transform,
--              read (SELECT only) by cairn-api.
--
-- Statements are separated by a semicolon at the end of a line.

CREATE DATABASE IF NOT EXISTS cairn_raw CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE IF NOT EXISTS cairn_app CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE IF NOT EXISTS cairn_mart CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- ---------------------------------------------------------------- raw

-- One row per athlete known to Cairn (through the API or imports only).
CREATE TABLE IF NOT EXISTS cairn_raw.athlete (
	id BIGINT NOT NULL PRIMARY KEY,
	username VARCHAR(100) NULL,
	firstname VARCHAR(100) NULL,
	lastname VARCHAR(100) NULL,
	sex CHAR(1) NULL,
	weight DOUBLE NULL,
	ftp INT NULL,
	city VARCHAR(100) NULL,
	country VARCHAR(100) NULL,
	measurement_preference VARCHAR(10) NULL,
	-- 'ok', 'reauth' (token revoked, needs a new authorisation), 'none' (import only),
	-- 'revoked' (disconnected from the dashboard or by Strava's deauthorisation)
	auth_state VARCHAR(10) NOT NULL DEFAULT 'none',
	json LONGTEXT NULL,
	fetched_at DATETIME NULL,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP
) ENGINE=InnoDB;

-- OAuth tokens, one row per athlete. Never logged.
CREATE TABLE IF NOT EXISTS cairn_raw.token (
	athlete_id BIGINT NOT NULL PRIMARY KEY,
	access_token VARCHAR(255) NOT NULL,
	refresh_token VARCHAR(255) NOT NULL,
	expires_at BIGINT NOT NULL,
	scope VARCHAR(255) NOT NULL DEFAULT '',
	updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP
) ENGINE=InnoDB;

-- The athlete's zones as /athlete/zones gave them.
CREATE TABLE IF NOT EXISTS cairn_raw.athlete_zones (
	athlete_id BIGINT NOT NULL PRIMARY KEY,
	json LONGTEXT NOT NULL,
	fetched_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB;

-- Each piece of gear, fetched once.
CREATE TABLE IF NOT EXISTS cairn_raw.gear (
	id VARCHAR(32) NOT NULL PRIMARY KEY,
	athlete_id BIGINT NOT NULL,
	name VARCHAR(200) NULL,
	kind VARCHAR(10) NULL,           -- 'bike' or 'shoe'
	retired TINYINT NOT NULL DEFAULT 0,
	distance DOUBLE NULL,
	json LONGTEXT NULL,
	fetched_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	KEY gear_athlete (athlete_id)
) ENGINE=InnoDB;

-- One row per activity. Activities known only from an imported file without
-- a Strava id get a negative id (see docs/ARCHITECTURE.md).
-- `changed_at` moves whenever anything about the activity changes (summary,
-- streams, deletion): it is what the incremental transform follows.
CREATE TABLE IF NOT EXISTS cairn_raw.activity (
	id BIGINT NOT NULL PRIMARY KEY,
	athlete_id BIGINT NOT NULL,
	source VARCHAR(10) NOT NULL,     -- 'api' or 'import'
	name VARCHAR(255) NULL,
	sport_type VARCHAR(40) NOT NULL,
	type VARCHAR(40) NULL,
	start_date DATETIME NOT NULL,        -- UTC
	start_date_local DATETIME NOT NULL,  -- local wall time
	timezone VARCHAR(64) NULL,
	utc_offset INT NULL,                 -- seconds
	distance DOUBLE NULL,
	moving_time INT NULL,
	elapsed_time INT NULL,
	total_elevation_gain DOUBLE NULL,
	average_speed DOUBLE NULL,
	max_speed DOUBLE NULL,
	average_heartrate DOUBLE NULL,
	max_heartrate DOUBLE NULL,
	average_watts DOUBLE NULL,
	weighted_average_watts DOUBLE NULL,
	kilojoules DOUBLE NULL,
	device_watts TINYINT NULL,
	has_heartrate TINYINT NULL,
	trainer TINYINT NOT NULL DEFAULT 0,
	commute TINYINT NOT NULL DEFAULT 0,
	manual TINYINT NOT NULL DEFAULT 0,
	private TINYINT NOT NULL DEFAULT 0,
	gear_id VARCHAR(32) NULL,
	workout_type INT NULL,
	summary_polyline MEDIUMTEXT NULL,
	external_id VARCHAR(255) NULL,
	upload_id BIGINT NULL,
	description TEXT NULL,
	summary_json LONGTEXT NULL,          -- verbatim SummaryActivity (API) or the built summary (import)
	detail_json LONGTEXT NULL,           -- verbatim DetailedActivity when fetched
	has_streams TINYINT NOT NULL DEFAULT 0,
	deleted TINYINT NOT NULL DEFAULT 0,  -- tombstone: deleted on Strava, kept so the transform sees it
	fetched_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	changed_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	KEY activity_athlete_start (athlete_id, start_date),
	KEY activity_changed (changed_at)
) ENGINE=InnoDB;

-- Streams of one activity, verbatim as /activities/{id}/streams?key_by_type=true
-- gave them (or the same shape built by the importer).
CREATE TABLE IF NOT EXISTS cairn_raw.activity_stream (
	activity_id BIGINT NOT NULL PRIMARY KEY,
	athlete_id BIGINT NOT NULL,
	points INT NOT NULL,
	json LONGTEXT COMPRESSED NOT NULL,
	fetched_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB;

-- Per-athlete sync cursor: moves only after the data it covers is committed.
CREATE TABLE IF NOT EXISTS cairn_raw.sync_state (
	athlete_id BIGINT NOT NULL PRIMARY KEY,
	cursor_start BIGINT NOT NULL DEFAULT 0,   -- epoch s of the newest start_date fully stored
	last_run_at DATETIME NULL,
	last_success_at DATETIME NULL,
	last_full_at DATETIME NULL,
	last_result VARCHAR(255) NULL
) ENGINE=InnoDB;

-- ---------------------------------------------------------------- app

-- cairn_app.schema_version is created by cairn-migrate itself (its own bookkeeping).


-- Effective-dated athlete settings. name is one of ftp, threshold_hr, max_hr,
-- resting_hr, threshold_pace (s per km), weight, sex, units.
-- source: 'user', 'strava' or 'estimated'.
CREATE TABLE IF NOT EXISTS cairn_app.setting (
	athlete_id BIGINT NOT NULL,
	name VARCHAR(32) NOT NULL,
	effective_from DATE NOT NULL,
	value VARCHAR(64) NOT NULL,
	source VARCHAR(10) NOT NULL DEFAULT 'user',
	set_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	PRIMARY KEY (athlete_id, name, effective_from)
) ENGINE=InnoDB;

-- Work queued for the transform (settings changes, deletions from webhooks).
CREATE TABLE IF NOT EXISTS cairn_app.recompute_request (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	athlete_id BIGINT NOT NULL,
	from_date DATE NULL,          -- NULL: everything of the athlete
	reason VARCHAR(64) NOT NULL,
	requested_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	done_at DATETIME NULL,
	KEY recompute_pending (done_at)
) ENGINE=InnoDB;

-- Webhook events as received, applied later by cairn-extract --events.
CREATE TABLE IF NOT EXISTS cairn_app.webhook_event (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	object_type VARCHAR(16) NOT NULL,
	object_id BIGINT NOT NULL,
	aspect_type VARCHAR(16) NOT NULL,
	owner_id BIGINT NOT NULL,
	subscription_id BIGINT NULL,
	event_time BIGINT NOT NULL,
	updates TEXT NULL,
	received_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	processed_at DATETIME NULL,
	result VARCHAR(255) NULL,
	KEY webhook_pending (processed_at)
) ENGINE=InnoDB;

-- Login sessions (auth mode strava): only the SHA-256 of the cookie is stored.
CREATE TABLE IF NOT EXISTS cairn_app.session (
	token_hash BINARY(32) NOT NULL PRIMARY KEY,
	athlete_id BIGINT NOT NULL,
	csrf VARCHAR(64) NOT NULL,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	expires_at DATETIME NOT NULL,
	KEY session_athlete (athlete_id)
) ENGINE=InnoDB;

-- OAuth state values handed out by the dashboard, checked on return.
CREATE TABLE IF NOT EXISTS cairn_app.oauth_state (
	state CHAR(64) NOT NULL PRIMARY KEY,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB;

-- The application's Strava rate budget, shared by every process (one row).
CREATE TABLE IF NOT EXISTS cairn_app.rate_budget (
	id TINYINT NOT NULL PRIMARY KEY,
	window_start BIGINT NOT NULL DEFAULT 0,   -- epoch s of the current short window
	day_start BIGINT NOT NULL DEFAULT 0,      -- epoch s of the current UTC day
	short_used INT NOT NULL DEFAULT 0,
	short_limit INT NOT NULL DEFAULT 100,
	day_used INT NOT NULL DEFAULT 0,
	day_limit INT NOT NULL DEFAULT 1000,
	grant_seq BIGINT NOT NULL DEFAULT 0,      -- requests granted so far (round-robin order)
	updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP
) ENGINE=InnoDB;

-- Processes waiting for a request from the shared budget, one row per
-- database connection: the budget is granted round robin among the waiting
-- athletes, webhook-driven fetches (priority 0) before syncs (priority 1).
CREATE TABLE IF NOT EXISTS cairn_app.rate_waiter (
	conn_id BIGINT NOT NULL PRIMARY KEY,      -- CONNECTION_ID() of the process
	athlete_id BIGINT NOT NULL,
	priority TINYINT NOT NULL DEFAULT 1,
	waiting TINYINT NOT NULL DEFAULT 0,
	seen_at DOUBLE NOT NULL DEFAULT 0,        -- epoch s of the last poll
	last_grant BIGINT NOT NULL DEFAULT 0      -- grant_seq of its last request
) ENGINE=InnoDB;

-- Requests made from the dashboard that the ETL carries out (cairn-extract
-- --events): 'delete_data' removes everything of the athlete.
CREATE TABLE IF NOT EXISTS cairn_app.account_request (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	athlete_id BIGINT NOT NULL,
	action VARCHAR(16) NOT NULL,
	requested_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	done_at DATETIME NULL,
	result VARCHAR(255) NULL,
	KEY account_request_pending (done_at)
) ENGINE=InnoDB;

-- Bookkeeping of ETL runs (what the API's `me` reports).
CREATE TABLE IF NOT EXISTS cairn_app.etl_run (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	program VARCHAR(32) NOT NULL,
	athlete_id BIGINT NULL,
	started_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	finished_at DATETIME NULL,
	status VARCHAR(16) NOT NULL DEFAULT 'running',
	summary VARCHAR(1024) NULL,
	KEY etl_run_program (program, athlete_id, finished_at)
) ENGINE=InnoDB;
