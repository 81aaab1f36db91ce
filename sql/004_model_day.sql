-- 004_model_day.sql: athlete models (CP, W′, Pmax, eFTP; CS, D′, VDOT, race predictions) as they stood on each day
--
-- Filled by cairn-transform (etl/transform/tf_model.c, docs/METRICS.md
-- "Athlete models"); the transform rebuilds every athlete whole on its next
-- run (no transform_state row means "never transformed"), so the history
-- exists at once.

-- Grain: athlete x sport ('ride', 'run') x day, every day from the sport's
-- first activity to today. The model of the window_days local days ending
-- on `day`. Numbers NULL and reason set when the window gives no model;
-- ride rows leave the run columns NULL and the other way round.
CREATE TABLE IF NOT EXISTS cairn_mart.model_day (
	athlete_id BIGINT NOT NULL,
	sport VARCHAR(10) NOT NULL,              -- 'ride' or 'run'
	day DATE NOT NULL,
	window_days INT NOT NULL,
	cp DOUBLE NULL,                          -- W
	w_prime DOUBLE NULL,                     -- J
	pmax DOUBLE NULL,                        -- W, best 5 s of the window
	eftp DOUBLE NULL,                        -- W, cp + w_prime / 3600
	r2 DOUBLE NULL,                          -- of the fit (both sports)
	cs DOUBLE NULL,                          -- m/s
	d_prime DOUBLE NULL,                     -- m
	vdot DOUBLE NULL,
	reason VARCHAR(24) NULL,                 -- NULL when there is a model
	efforts TEXT NOT NULL,                   -- JSON [{duration, value, activity_id}]
	predictions TEXT NULL,                   -- JSON [{distance, time, riegel_time}] (runs)
	PRIMARY KEY (athlete_id, sport, day)
) ENGINE=InnoDB;

DELETE FROM cairn_mart.transform_state;
