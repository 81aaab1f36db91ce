-- 007_demo.sql: which athlete is the local stack's demo athlete, and whether an import-only athlete's id came from an export's profile.csv
--
-- demo: set by `cairn-extract auth --demo` (tools/stack.sh sync, `make demo`)
-- for the local Strava's athlete. cairn-import never picks a demo athlete
-- by itself, and a Strava connection never adopts into one
-- (docs/EXTRACT.md, "One athlete per person").
-- id_from_profile: 1 when cairn-import created the athlete with the
-- "Athlete ID" of an export's profile.csv; a connection of another Strava
-- athlete then refuses to adopt it.
ALTER TABLE cairn_raw.athlete ADD COLUMN IF NOT EXISTS demo TINYINT NOT NULL DEFAULT 0;
ALTER TABLE cairn_raw.athlete ADD COLUMN IF NOT EXISTS id_from_profile TINYINT NOT NULL DEFAULT 0;
