-- 006_power.sql: per-activity power models: W′ balance low point, estimated power, efficiency factor
--
-- Filled by cairn-transform (etl/transform/tf_act_power.c, docs/METRICS.md
-- "Power models"); the per-second W′bal and estimated-power streams are
-- channels `wbal` and `est_watts` of the packed activity_stream. The
-- transform rebuilds every athlete whole on its next run (no
-- transform_state row means "never transformed"), so old rows get them.
-- Independent of 005: only adds columns to cairn_mart.activity.
ALTER TABLE cairn_mart.activity
	ADD COLUMN IF NOT EXISTS wbal_min DOUBLE NULL,          -- J, lowest W′ balance (rides with power)
	ADD COLUMN IF NOT EXISTS est_avg_power DOUBLE NULL,     -- W, the model's average (rides with speed, altitude, weight)
	ADD COLUMN IF NOT EXISTS est_np DOUBLE NULL,            -- W, the model's NP
	ADD COLUMN IF NOT EXISTS ef DOUBLE NULL,                -- NP/HR (rides), GAP m/min / HR (runs)
	ADD COLUMN IF NOT EXISTS power_estimated TINYINT NOT NULL DEFAULT 0; -- 1: the power metrics come from the estimate

DELETE FROM cairn_mart.transform_state;
