-- dataset.sql: the hand-checked mart rows the API suites run against (tests/integration/50_api*.sh)
--
-- Athlete 1 is the request's athlete (the only row in cairn_mart.athlete).
-- Athlete 2 has rows in the other marts but no athlete row: the API must
-- never show them (ids 201, gear b9, better records, bigger totals).
-- Every total below is summed by hand from the six activities:
--   101 ride 2025-01-06 (Mon)  40 km  5400 s  350 m  training_load 116.2  gear b1
--   102 run  2025-01-08        10 km  3000 s   50 m  training_load  60    gear s1
--   103 ride 2025-01-11 (Sat) 100 km 14400 s 1200 m  training_load 250    gear b1
--   104 swim 2025-02-03 (Mon)   2 km  2400 s    0 m  training_load NULL
--   105 run  2024-12-30 (Mon)   5 km  1500 s   20 m  training_load  30    (ISO week of 2025-01-01)
--   106 other 2025-02-03 07:00  no distance 3600 s   training_load  20
-- The streams of 101 (SPK1): 100 points at 1 Hz, watts 200 W with a spike
-- of 800 W at t=50 and a gap (NaN) at t=70, HR 120+(t mod 10), a straight
-- line of latlng from (51.5, -0.1) north-east by 0.0001 degree per second.

INSERT INTO cairn_mart.athlete (id, firstname, lastname, sex, city, country, measurement_preference, auth_state, last_sync_at, last_transform_at, mart_version, activity_count) VALUES
(1, 'Ada', 'Lovelace', 'F', 'London', 'UK', 'meters', 'ok', '2025-03-01 10:00:00', '2025-03-01 10:05:00', 7, 6);

INSERT INTO cairn_mart.activity (id, athlete_id, source, name, sport, sport_group, start_utc, start_local, local_date, timezone, distance, moving_time, elapsed_time, elevation_gain, avg_speed, max_speed, avg_hr, max_hr, avg_power, max_power, np, intensity, vi, tss_power, load_hr, load_pace, trimp, decoupling, training_load, load_kind, avg_cadence, kilojoules, gear_id, commute, trainer, manual, has_streams, spikes_clipped, summary_polyline) VALUES
(101, 1, 'api', 'Morning Ride', 'Ride', 'ride', '2025-01-06 07:30:00', '2025-01-06 07:30:00', '2025-01-06', 'Europe/London', 40000, 5400, 6000, 350, 7.407407, 12.5, 140, 170, 200, 600, 220, 0.88, 1.1, 116.2, NULL, NULL, NULL, NULL, 116.2, 'power', 85, 1080, 'b1', 1, 0, 0, 1, 0, '_p~iF~ps|U_ulLnnqC_mqNvxq`@'),
(102, 1, 'api', 'Lunch Run', 'Run', 'run', '2025-01-08 12:00:00', '2025-01-08 12:00:00', '2025-01-08', 'Europe/London', 10000, 3000, 3100, 50, 3.333333, 4.5, 150, 175, NULL, NULL, NULL, NULL, NULL, NULL, 55.5, 60, 70.1, 3.25, 60, 'pace', 172, NULL, 's1', 0, 0, 0, 0, 0, NULL),
(103, 1, 'import', 'Long Ride, with "quotes"', 'Ride', 'ride', '2025-01-11 09:00:00', '2025-01-11 09:00:00', '2025-01-11', 'Europe/London', 100000, 14400, 15000, 1200, 6.944444, 15, 135, 165, 180, 500, 200, 0.8, 1.11, 250, NULL, NULL, NULL, NULL, 250, 'power', 88, 2592, 'b1', 0, 0, 0, 0, 2, NULL),
(104, 1, 'api', 'Pool', 'Swim', 'swim', '2025-02-03 18:00:00', '2025-02-03 18:00:00', '2025-02-03', 'Europe/London', 2000, 2400, 2700, 0, 0.833333, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0, NULL),
(105, 1, 'api', 'Old Run', 'Run', 'run', '2024-12-30 08:00:00', '2024-12-30 08:00:00', '2024-12-30', 'Europe/London', 5000, 1500, 1500, 20, 3.333333, 4, 155, 170, NULL, NULL, NULL, NULL, NULL, NULL, 28, 30, 35, NULL, 30, 'pace', 170, NULL, 's1', 0, 0, 0, 0, 0, NULL),
(106, 1, 'api', 'Yoga', 'Yoga', 'other', '2025-02-03 07:00:00', '2025-02-03 07:00:00', '2025-02-03', 'Europe/London', NULL, 3600, 3600, NULL, NULL, NULL, 100, 120, NULL, NULL, NULL, NULL, NULL, NULL, 20, NULL, NULL, NULL, 20, 'hr', NULL, NULL, NULL, 0, 0, 1, 0, 0, NULL),
(201, 2, 'api', 'Secret Ride', 'Ride', 'ride', '2025-01-07 07:00:00', '2025-01-07 07:00:00', '2025-01-07', 'Europe/Paris', 999999, 99999, 99999, 9999, 10, 20, 150, 180, 300, 900, 320, 1.2, 1.1, 500, NULL, NULL, NULL, NULL, 500, 'power', 90, 9999, 'b9', 0, 0, 0, 1, 0, 'zzz');

INSERT INTO cairn_mart.activity_stream (activity_id, athlete_id, points, data) VALUES
(101, 1, 100, X'53504b31640000000600000074696d6500000000000000000000000064697374616e636500000000000000006c6174000000000000000000000000006c6e67000000000000000000000000006865617274726174650000000000000077617474730000000000000000000000000000000000803f0000004000004040000080400000a0400000c0400000e0400000004100001041000020410000304100004041000050410000604100007041000080410000884100009041000098410000a0410000a8410000b0410000b8410000c0410000c8410000d0410000d8410000e0410000e8410000f0410000f84100000042000004420000084200000c4200001042000014420000184200001c4200002042000024420000284200002c4200003042000034420000384200003c4200004042000044420000484200004c4200005042000054420000584200005c4200006042000064420000684200006c4200007042000074420000784200007c42000080420000824200008442000086420000884200008a4200008c4200008e42000090420000924200009442000096420000984200009a4200009c4200009e420000a0420000a2420000a4420000a6420000a8420000aa420000ac420000ae420000b0420000b2420000b4420000b6420000b8420000ba420000bc420000be420000c0420000c2420000c4420000c64200000000000020410000a0410000f04100002042000048420000704200008c420000a0420000b4420000c8420000dc420000f0420000024300000c43000016430000204300002a430000344300003e43000048430000524300005c43000066430000704300007a43000082430000874300008c43000091430000964300009b430000a0430000a5430000aa430000af430000b4430000b9430000be430000c3430000c8430000cd430000d2430000d7430000dc430000e1430000e6430000eb430000f0430000f5430000fa430000ff430000024400800444000007440080094400000c4400800e440000114400801344000016440080184400001b4400801d440000204400802244000025440080274400002a4400802c4400002f440080314400003444008036440000394400803b4400003e440080404400004344008045440000484400804a4400004d4400804f440000524400805444000057440080594400005c4400805e440000614400806344000066440080684400006b4400806d440000704400807244000075440080774400004e421a004e4234004e424f004e4269004e4283004e429d004e42b8004e42d2004e42ec004e4206014e4220014e423b014e4255014e426f014e4289014e42a3014e42be014e42d8014e42f2014e420c024e4227024e4241024e425b024e4275024e428f024e42aa024e42c4024e42de024e42f8024e4212034e422d034e4247034e4261034e427b034e4296034e42b0034e42ca034e42e4034e42fe034e4219044e4233044e424d044e4267044e4281044e429c044e42b6044e42d0044e42ea044e4205054e421f054e4239054e4253054e426d054e4288054e42a2054e42bc054e42d6054e42f0054e420b064e4225064e423f064e4259064e4274064e428e064e42a8064e42c2064e42dc064e42f7064e4211074e422b074e4245074e425f074e427a074e4294074e42ae074e42c8074e42e3074e42fd074e4217084e4231084e424b084e4266084e4280084e429a084e42b4084e42ce084e42e9084e4203094e421d094e4237094e4252094e426c094e4286094e42a0094e42ba094e42d5094e42ef094e42090a4e42230a4e42cdccccbd5f98ccbdf163ccbd832fccbd16fbcbbda8c6cbbd3a92cbbdcc5dcbbd5f29cbbdf1f4cabd83c0cabd158ccabda857cabd3a23cabdcceec9bd5ebac9bdf085c9bd8351c9bd151dc9bda7e8c8bd39b4c8bdcc7fc8bd5e4bc8bdf016c8bd82e2c7bd14aec7bda779c7bd3945c7bdcb10c7bd5ddcc6bdf0a7c6bd8273c6bd143fc6bda60ac6bd39d6c5bdcba1c5bd5d6dc5bdef38c5bd8104c5bd14d0c4bda69bc4bd3867c4bdca32c4bd5dfec3bdefc9c3bd8195c3bd1361c3bda52cc3bd38f8c2bdcac3c2bd5c8fc2bdee5ac2bd8126c2bd13f2c1bda5bdc1bd3789c1bdca54c1bd5c20c1bdeeebc0bd80b7c0bd1283c0bda54ec0bd371ac0bdc9e5bfbd5bb1bfbdee7cbfbd8048bfbd1214bfbda4dfbebd36abbebdc976bebd5b42bebded0dbebd7fd9bdbd12a5bdbda470bdbd363cbdbdc807bdbd5bd3bcbded9ebcbd7f6abcbd1136bcbda301bcbd36cdbbbdc898bbbd5a64bbbdec2fbbbd7ffbbabd11c7babda392babd355ebabdc729babd5af5b9bdecc0b9bd7e8cb9bd1058b9bda323b9bd35efb8bdc7bab8bd5986b8bd0000f0420000f2420000f4420000f6420000f8420000fa420000fc420000fe4200000043000001430000f0420000f2420000f4420000f6420000f8420000fa420000fc420000fe4200000043000001430000f0420000f2420000f4420000f6420000f8420000fa420000fc420000fe4200000043000001430000f0420000f2420000f4420000f6420000f8420000fa420000fc420000fe4200000043000001430000f0420000f2420000f4420000f6420000f8420000fa420000fc420000fe4200000043000001430000f0420000f2420000f4420000f6420000f8420000fa420000fc420000fe4200000043000001430000f0420000f2420000f4420000f6420000f8420000fa420000fc420000fe4200000043000001430000f0420000f2420000f4420000f6420000f8420000fa420000fc420000fe4200000043000001430000f0420000f2420000f4420000f6420000f8420000fa420000fc420000fe4200000043000001430000f0420000f2420000f4420000f6420000f8420000fa420000fc420000fe420000004300000143000048430000484300004843000048430000484300004843000048430000484300004843000048430000484300004843000048430000484300004843000048430000484300004843000048430000484300004843000048430000484300004843000048430000484300004843000048430000484300004843000048430000484300004843000048430000484300004843000048430000484300004843000048430000484300004843000048430000484300004843000048430000484300004843000048430000484300004844000048430000484300004843000048430000484300004843000048430000484300004843000048430000484300004843000048430000484300004843000048430000484300004843000048430000c07f0000484300004843000048430000484300004843000048430000484300004843000048430000484300004843000048430000484300004843000048430000484300004843000048430000484300004843000048430000484300004843000048430000484300004843000048430000484300004843'),
(201, 2, 3, X'53504b31030000000200000074696d6500000000000000000000000077617474730000000000000000000000000000000000803f000000400000803f0000004000004040');

INSERT INTO cairn_mart.activity_zone (activity_id, kind, zone, athlete_id, sport_group, local_date, seconds, low, high) VALUES
(101, 'power', 1, 1, 'ride', '2025-01-06', 1200, 0, 137.5),
(101, 'power', 2, 1, 'ride', '2025-01-06', 2400, 137.5, 187.5),
(101, 'power', 3, 1, 'ride', '2025-01-06', 1800, 187.5, 225),
(103, 'power', 1, 1, 'ride', '2025-01-11', 7200, 0, 143),
(103, 'power', 2, 1, 'ride', '2025-01-11', 7200, 143, 195),
(101, 'hr', 1, 1, 'ride', '2025-01-06', 3000, 0, 130),
(101, 'hr', 2, 1, 'ride', '2025-01-06', 2400, 130, 160),
(102, 'hr', 2, 1, 'run', '2025-01-08', 3000, 130, 160),
(201, 'power', 1, 2, 'ride', '2025-01-07', 99999, 0, 100);

INSERT INTO cairn_mart.best_effort (activity_id, distance, athlete_id, sport_group, local_date, elapsed, start_offset) VALUES
(102, 1000, 1, 'run', '2025-01-08', 290.5, 600),
(102, 5000, 1, 'run', '2025-01-08', 1480, 100),
(105, 1000, 1, 'run', '2024-12-30', 295, 0),
(105, 5000, 1, 'run', '2024-12-30', 1500, 0),
(201, 1000, 2, 'run', '2025-01-07', 100, 0);

INSERT INTO cairn_mart.record (athlete_id, sport_group, distance, scope, rnk, activity_id, local_date, elapsed) VALUES
(1, 'run', 1000, 'all', 1, 102, '2025-01-08', 290.5),
(1, 'run', 1000, 'all', 2, 105, '2024-12-30', 295),
(1, 'run', 5000, 'all', 1, 102, '2025-01-08', 1480),
(1, 'run', 5000, 'all', 2, 105, '2024-12-30', 1500),
(1, 'run', 1000, '2025', 1, 102, '2025-01-08', 290.5),
(1, 'run', 5000, '2025', 1, 102, '2025-01-08', 1480),
(1, 'run', 1000, '2024', 1, 105, '2024-12-30', 295),
(1, 'run', 5000, '2024', 1, 105, '2024-12-30', 1500),
(2, 'run', 1000, 'all', 1, 201, '2025-01-07', 100);

INSERT INTO cairn_mart.pr_event (athlete_id, sport_group, distance, local_date, activity_id, elapsed) VALUES
(1, 'run', 1000, '2024-12-30', 105, 295),
(1, 'run', 5000, '2024-12-30', 105, 1500),
(1, 'run', 1000, '2025-01-08', 102, 290.5),
(1, 'run', 5000, '2025-01-08', 102, 1480),
(2, 'run', 1000, '2025-01-07', 201, 100);

INSERT INTO cairn_mart.fitness (athlete_id, day, training_load, ctl, atl, tsb, ramp, projected) VALUES
(1, '2025-02-01', 0, 40, 50, -10, NULL, 0),
(1, '2025-02-02', 0, 39.047619, 42.857143, -3.809524, -0.95, 0),
(1, '2025-02-03', 20, 38.593, 39.592, -1.0, -1.2, 0),
(1, '2025-02-04', 0, 37.674, 33.936, 3.738, -1.5, 1),
(1, '2025-02-05', 0, 36.777, 29.088, 7.689, -1.8, 1),
(2, '2025-02-01', 999, 999, 999, 0, 0, 0);

INSERT INTO cairn_mart.day_total (athlete_id, sport, day, count, distance, moving_time, elevation_gain, training_load) VALUES
(1, 'run', '2024-12-30', 1, 5000, 1500, 20, 30),
(1, 'all', '2024-12-30', 1, 5000, 1500, 20, 30),
(1, 'ride', '2025-01-06', 1, 40000, 5400, 350, 116.2),
(1, 'all', '2025-01-06', 1, 40000, 5400, 350, 116.2),
(1, 'run', '2025-01-08', 1, 10000, 3000, 50, 60),
(1, 'all', '2025-01-08', 1, 10000, 3000, 50, 60),
(1, 'ride', '2025-01-11', 1, 100000, 14400, 1200, 250),
(1, 'all', '2025-01-11', 1, 100000, 14400, 1200, 250),
(1, 'swim', '2025-02-03', 1, 2000, 2400, 0, 0),
(1, 'other', '2025-02-03', 1, 0, 3600, 0, 20),
(1, 'all', '2025-02-03', 2, 2000, 6000, 0, 20),
(2, 'all', '2025-01-07', 1, 999999, 99999, 9999, 500),
(2, 'all', '2024-05-05', 1, 999999, 99999, 9999, 500);

INSERT INTO cairn_mart.period_total (athlete_id, grain, sport, period_start, count, distance, moving_time, elevation_gain, training_load, longest) VALUES
(1, 'week', 'all', '2024-12-30', 1, 5000, 1500, 20, 30, 5000),
(1, 'week', 'all', '2025-01-06', 3, 150000, 22800, 1600, 426.2, 100000),
(1, 'week', 'all', '2025-02-03', 2, 2000, 6000, 0, 20, 2000),
(1, 'week', 'ride', '2025-01-06', 2, 140000, 19800, 1550, 366.2, 100000),
(1, 'week', 'run', '2024-12-30', 1, 5000, 1500, 20, 30, 5000),
(1, 'week', 'run', '2025-01-06', 1, 10000, 3000, 50, 60, 10000),
(1, 'week', 'swim', '2025-02-03', 1, 2000, 2400, 0, 0, 2000),
(1, 'week', 'other', '2025-02-03', 1, 0, 3600, 0, 20, 0),
(1, 'month', 'all', '2024-12-01', 1, 5000, 1500, 20, 30, 5000),
(1, 'month', 'all', '2025-01-01', 3, 150000, 22800, 1600, 426.2, 100000),
(1, 'month', 'all', '2025-02-01', 2, 2000, 6000, 0, 20, 2000),
(1, 'year', 'all', '2024-01-01', 1, 5000, 1500, 20, 30, 5000),
(1, 'year', 'all', '2025-01-01', 5, 152000, 28800, 1600, 446.2, 100000),
(2, 'week', 'all', '2025-01-06', 9, 999999, 99999, 9999, 999, 999999),
(2, 'year', 'all', '2025-01-01', 9, 999999, 99999, 9999, 999, 999999);

INSERT INTO cairn_mart.eddington (athlete_id, sport, unit, e, next_needed, histogram) VALUES
(1, 'ride', 'km', 2, 1, '[2,2,2]'),
(1, 'ride', 'mi', 2, 1, '[2,2,2]'),
(1, 'run', 'km', 2, 1, '[2,2,2,2,2,1]'),
(2, 'run', 'mi', 99, 1, '[99]');

INSERT INTO cairn_mart.gear (id, athlete_id, name, kind, retired, count, distance, moving_time, first_date, last_date) VALUES
('b1', 1, 'Road Bike', 'bike', 0, 2, 140000, 19800, '2025-01-06', '2025-01-11'),
('s1', 1, 'Old Shoes', 'shoe', 1, 2, 15000, 4500, '2024-12-30', '2025-01-08'),
('b9', 2, 'Other Bike', 'bike', 0, 1, 999999, 99999, '2025-01-07', '2025-01-07');

INSERT INTO cairn_mart.route (activity_id, athlete_id, sport_group, local_date, polyline) VALUES
(101, 1, 'ride', '2025-01-06', '_p~iF~ps|U_ulLnnqC_mqNvxq`@'),
(102, 1, 'run', '2025-01-08', 'o}~yHhzK??'),
(201, 2, 'ride', '2025-01-07', 'zzz');

INSERT INTO cairn_mart.setting_in_force (athlete_id, name, effective_from, value, source) VALUES
(1, 'ftp', '2024-01-01', '250', 'strava'),
(1, 'ftp', '2025-01-01', '260', 'user'),
(1, 'ftp', '2099-01-01', '999', 'user'),
(1, 'max_hr', '2024-01-01', '185', 'estimated'),
(2, 'ftp', '2024-01-01', '999', 'user');

INSERT INTO cairn_app.setting (athlete_id, name, effective_from, value, source, set_at) VALUES
(1, 'ftp', '2025-01-01', '260', 'user', '2025-01-01 12:00:00'),
(2, 'ftp', '2024-01-01', '999', 'user', '2025-01-01 12:00:00');

INSERT INTO cairn_mart.curve_best (athlete_id, kind, sport_group, period, duration, value, activity_id, local_date) VALUES
(1, 'power', 'all', 'all', 1, 900, 101, '2025-01-06'),
(1, 'power', 'all', 'all', 5, 800, 103, '2025-01-11'),
(1, 'power', 'all', 'all', 60, 400, 101, '2025-01-06'),
(1, 'power', 'all', 'all', 300, 280, 103, '2025-01-11'),
(1, 'power', 'ride', 'all', 1, 900, 101, '2025-01-06'),
(1, 'power', 'all', 'year:2025', 1, 900, 101, '2025-01-06'),
(1, 'power', 'all', 'days:42', 1, 850, 101, '2025-01-06'),
(1, 'hr', 'all', 'all', 60, 175, 102, '2025-01-08'),
(1, 'speed', 'all', 'all', 60, 5.5, 102, '2025-01-08'),
(2, 'power', 'all', 'all', 1, 2000, 201, '2025-01-07');

-- Relative to today, for days:N periods computed from the grids: values at
-- the grid durations 1 s and 2 s (lib/cgrid.h), little-endian float64. 101
-- and 103 tie at 2 s: the earlier activity (103) holds the best.
INSERT INTO cairn_mart.curve_grid (activity_id, kind, athlete_id, sport_group, local_date, n, data) VALUES
(101, 'power', 1, 'ride', CURDATE() - INTERVAL 3 DAY, 2, X'0000000000908A400000000000C07740'),
(103, 'power', 1, 'ride', CURDATE() - INTERVAL 20 DAY, 2, X'0000000000208C400000000000C07740'),
(102, 'power', 1, 'run', CURDATE() - INTERVAL 2 DAY, 1, X'0000000000407F40'),
(201, 'power', 2, 'ride', CURDATE() - INTERVAL 1 DAY, 1, X'000000000070A740');
