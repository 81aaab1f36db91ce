-- 009_data.sql: the Data page's queues: files uploaded from the dashboard (cairn_app.upload) and "Sync now" requests (cairn_app.sync_request)
--
-- upload: one row per file cairn-api received (POST /api/v1/uploads). cairn-api
-- writes the file into spool_dir/new under `stored`, a name it makes itself
-- (upload-<id>.<ext>); `name` is the client's base name, a label only, never
-- a path. `cairn-import spool` (tools/spool_run.sh, run by cairn-spool.path)
-- moves status queued -> importing -> done | failed and fills the counts and
-- the message. Grain: one uploaded file.
CREATE TABLE IF NOT EXISTS cairn_app.upload (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	athlete_id BIGINT NOT NULL,
	name VARCHAR(255) NOT NULL,
	stored VARCHAR(64) NULL,
	bytes BIGINT NOT NULL DEFAULT 0,
	status VARCHAR(16) NOT NULL DEFAULT 'queued',
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	started_at DATETIME NULL,
	finished_at DATETIME NULL,
	imported INT NOT NULL DEFAULT 0,
	merged INT NOT NULL DEFAULT 0,
	duplicate INT NOT NULL DEFAULT 0,
	failed INT NOT NULL DEFAULT 0,
	message VARCHAR(1024) NULL,
	KEY upload_athlete (athlete_id, id)
) ENGINE=InnoDB;

-- sync_request: "Sync now" (POST /api/v1/sync). open_for holds the athlete
-- while the request is queued or running and NULL once it ended: its unique
-- key makes a second request meanwhile answer the same row (no pile-up).
-- `cairn-extract sync --requested` runs them. Grain: one request.
CREATE TABLE IF NOT EXISTS cairn_app.sync_request (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	athlete_id BIGINT NOT NULL,
	open_for BIGINT NULL,
	status VARCHAR(16) NOT NULL DEFAULT 'queued',
	requested_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	started_at DATETIME NULL,
	finished_at DATETIME NULL,
	run_id BIGINT NULL,
	message VARCHAR(1024) NULL,
	UNIQUE KEY sync_request_open (open_for),
	KEY sync_request_athlete (athlete_id, id)
) ENGINE=InnoDB;
