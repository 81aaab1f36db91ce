-- 008_laps.sql: laps as recorded (raw) and the laps, automatic splits and detected intervals of each activity (mart)
--
-- cairn_raw.activity_lap is filled by cairn-import (FIT lap messages, TCX
-- <Lap>s) and cairn-extract (the `laps` of Strava's DetailedActivity when
-- fetch_detail = 1), verbatim: an activity stored again has its laps
-- replaced. cairn_mart.activity_lap is filled by cairn-transform
-- (etl/transform/tf_act_laps.c, docs/METRICS.md "Laps, splits and
-- intervals"). The transform rebuilds every athlete whole on its next run
-- (no transform_state row means "never transformed"), so the marts of
-- activities already stored get their splits and intervals at once.

-- Grain: activity x lap, as the source recorded it. NULL where the source
-- says nothing. start_offset: s from the activity's start (the first
-- sample of a file, Strava's start_date); start_index/end_index: Strava's
-- indices into the activity's streams (NULL for files).
CREATE TABLE IF NOT EXISTS cairn_raw.activity_lap (
	activity_id BIGINT NOT NULL,
	lap_index INT NOT NULL,                  -- 0, 1, ... in the source's order
	athlete_id BIGINT NOT NULL,
	source VARCHAR(8) NOT NULL,              -- 'fit', 'tcx' or 'strava'
	start_date DATETIME NULL,                -- UTC
	start_offset DOUBLE NULL,                -- s
	elapsed DOUBLE NULL,                     -- s
	moving_time DOUBLE NULL,                 -- s (FIT timer time, Strava moving_time)
	distance DOUBLE NULL,                    -- m
	start_index INT NULL,
	end_index INT NULL,
	avg_speed DOUBLE NULL,                   -- m/s
	max_speed DOUBLE NULL,
	avg_hr DOUBLE NULL,                      -- bpm
	max_hr DOUBLE NULL,
	avg_power DOUBLE NULL,                   -- W
	max_power DOUBLE NULL,
	avg_cadence DOUBLE NULL,
	elevation_gain DOUBLE NULL,              -- m
	calories DOUBLE NULL,
	PRIMARY KEY (activity_id, lap_index),
	KEY lap_athlete (athlete_id)
) ENGINE=InnoDB;

-- Grain: activity x kind x idx. kind 'lap' (recorded laps, or without them
-- the automatic splits: source 'recorded' or 'split') or 'interval'
-- (detected from the 1 Hz streams: intensity and basis set). Every figure
-- is computed from the cleaned 1 Hz series over the span; NULL where it
-- cannot be (no such channel, fewer than 30 s for NP).
CREATE TABLE IF NOT EXISTS cairn_mart.activity_lap (
	activity_id BIGINT NOT NULL,
	kind VARCHAR(8) NOT NULL,                -- 'lap' or 'interval'
	idx INT NOT NULL,                        -- 0, 1, ... in time order
	athlete_id BIGINT NOT NULL,
	source VARCHAR(8) NULL,                  -- laps: 'recorded' or 'split'; intervals: NULL
	start_offset INT NOT NULL,               -- s from the activity's first sample
	elapsed INT NOT NULL,                    -- s
	moving_time INT NOT NULL,                -- s
	distance DOUBLE NULL,                    -- m
	avg_power DOUBLE NULL,                   -- W
	max_power DOUBLE NULL,
	np DOUBLE NULL,
	avg_hr DOUBLE NULL,                      -- bpm
	max_hr DOUBLE NULL,
	avg_speed DOUBLE NULL,                   -- m/s, distance / moving time
	max_speed DOUBLE NULL,
	avg_cadence DOUBLE NULL,
	max_cadence DOUBLE NULL,
	gap DOUBLE NULL,                         -- m/s, grade-adjusted (runs)
	elevation_gain DOUBLE NULL,              -- m
	intensity DOUBLE NULL,                   -- intervals: avg basis / threshold
	basis VARCHAR(8) NULL,                   -- intervals: 'power', 'speed' or 'hr'
	PRIMARY KEY (activity_id, kind, idx),
	KEY lap_mart_athlete (athlete_id)
) ENGINE=InnoDB;

DELETE FROM cairn_mart.transform_state;
