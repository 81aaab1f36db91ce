-- 005_gap.sql: curve grids with the standard durations (1 s .. 6 h) as exact points; grade-adjusted pace of runs (activity.gap)
--
-- lib/cgrid.c now puts the standard durations 1, 5, 10, 15, 30 s; 1, 2, 3,
-- 5, 10, 20, 30 min; 1 .. 6 h on the grid beside the log-spaced ones
-- (docs/METRICS.md, "Duration grid"), so a packed grid of curve_grid means
-- other durations than before. The grids packed before are removed (a
-- days:N curve is empty rather than wrong until the transform runs) and the
-- transform rebuilds every athlete whole on its next run (no
-- transform_state row means "never transformed"): curve_grid, curve_best
-- and model_day come back on the new grid.
DELETE FROM cairn_mart.curve_grid;

DELETE FROM cairn_mart.transform_state;

-- Grade-adjusted pace of runs (docs/METRICS.md, "Grade-adjusted pace"):
-- the activity's GAP speed; the per-second stream is the channel `gap` of
-- activity_stream's pack and the mean-max curve the kind 'gap' of
-- activity_curve, curve_grid and curve_best, like 'speed'. NULL for other
-- sports and for runs without distance or speed. The rebuild above fills it.
ALTER TABLE cairn_mart.activity ADD COLUMN IF NOT EXISTS gap DOUBLE NULL;
