-- 010_privacy.sql: privacy zones and the start/end trim of an athlete's routes, applied by cairn-transform to every map mart
--
-- Not effective-dated: a zone protects every activity, past ones included.
-- A change queues a recompute of every activity of the athlete
-- (cairn_app.recompute_request, reason 'privacy'); the transform also folds
-- them into its settings fingerprint. cairn_raw keeps the data as fetched.

-- Grain: one athlete. trim_m: metres cut off the start and the end of
-- every route (0..2000; no row: 0).
CREATE TABLE IF NOT EXISTS cairn_app.privacy (
	athlete_id BIGINT NOT NULL PRIMARY KEY,
	trim_m INT NOT NULL DEFAULT 0,
	set_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP
) ENGINE=InnoDB;

-- Grain: athlete x zone. A circle: centre (degrees, WGS84) and radius
-- (50..5000 m); at most 20 per athlete (the API's cap).
CREATE TABLE IF NOT EXISTS cairn_app.privacy_zone (
	athlete_id BIGINT NOT NULL,
	idx INT NOT NULL,                        -- 0-based, the order given
	lat DOUBLE NOT NULL,
	lng DOUBLE NOT NULL,
	radius_m DOUBLE NOT NULL,
	PRIMARY KEY (athlete_id, idx)
) ENGINE=InnoDB;
