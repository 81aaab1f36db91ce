-- 003_curve_grid.sql: period curves from one packed grid per activity and kind, instead of a row per duration
--
-- curve_point held one row per activity, kind and grid duration (about 190
-- rows per activity). Writing, deleting and ranking those rows was the
-- largest cost of a full rebuild; a packed row per activity and kind holds
-- the same doubles. The transform rebuilds every athlete whole on its next
-- run (no transform_state row means "never transformed").

-- Grain: activity x kind. The mean-max curve at the grid durations up to the
-- activity's length (lib/cgrid.h, docs/METRICS.md), n little-endian float64
-- in grid order. What period curves of any window are computed from.
CREATE TABLE IF NOT EXISTS cairn_mart.curve_grid (
	activity_id BIGINT NOT NULL,
	kind VARCHAR(8) NOT NULL,                -- 'power', 'hr', 'speed'
	athlete_id BIGINT NOT NULL,
	sport_group VARCHAR(10) NOT NULL,
	local_date DATE NOT NULL,
	n INT NOT NULL,
	data BLOB NOT NULL,
	PRIMARY KEY (activity_id, kind),
	KEY grid_date (athlete_id, kind, local_date)
) ENGINE=InnoDB;

DROP TABLE IF EXISTS cairn_mart.curve_point;

DELETE FROM cairn_mart.transform_state;
