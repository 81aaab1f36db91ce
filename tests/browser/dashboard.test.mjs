// dashboard.test.mjs: every page against the demo data in headless chromium: no errors, charts hold the API's numbers, screenshots
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, visit, shot, api, chartData, loadDemo, PAGES } from './helpers.mjs';

let B;
let activityId;
let rideId;

before(
	async () => {
		if (process.env.CAIRN_BROWSER_NO_SYNC !== '1') loadDemo();
		B = await launch();
		const r = await api('activities?sport=run&limit=50');
		const a = r.activities.find((x) => x.has_streams);
		assert.ok(a, 'the demo data has a run with streams');
		activityId = a.id;
		const rides = await api('activities?sport=ride&sort=np&limit=50');
		// A ride with a meter that the power model can also run on (outdoors: speed and altitude).
		for (const x of rides.activities.filter((y) => y.has_streams && y.avg_power !== null)) {
			const { activity: d } = await api(`activities/${x.id}`);
			if (d.est_avg_power !== null && d.wbal_min !== null) {
				rideId = x.id;
				break;
			}
		}
		assert.ok(rideId, 'the demo data has an outdoor ride with power, streams, W′bal and an estimate');
	},
	{ timeout: 900000 },
);

after(async () => {
	if (B) await B.close();
});

const near = (a, b, eps = 0.051) => Math.abs(a - b) <= eps;
function assertClose(got, want, what, eps) {
	assert.equal(got.length, want.length, `${what}: ${got.length} values, want ${want.length}`);
	for (let i = 0; i < want.length; i++) {
		if (want[i] === null) {
			assert.equal(got[i], null, `${what}[${i}]`);
			continue;
		}
		assert.ok(near(got[i], want[i], eps), `${what}[${i}]: ${got[i]}, want ${want[i]}`);
	}
}

test('every page loads at desktop and phone width, light and dark, without console errors, failed or foreign requests', async () => {
	const all = [...PAGES, { id: 'activity', path: `/activity.html?id=${activityId}` }];
	for (const [vw, vh, size] of [
		[1280, 800, 'desktop'],
		[360, 740, 'phone'],
	]) {
		for (const dark of [false, true]) {
			for (const p of all) {
				const { context, page, problems, foreign } = await openPage(B.browser, { width: vw, height: vh, dark });
				await visit(page, p.path);
				const errors = await page.locator('.state.error').count();
				await shot(page, `${p.id}-${size}-${dark ? 'dark' : 'light'}`);
				await context.close();
				assert.deepEqual(problems, [], `${p.id} ${size} ${dark ? 'dark' : 'light'}`);
				assert.deepEqual(foreign, [], `${p.id} makes no third-party request`);
				assert.equal(errors, 0, `${p.id} shows no error state`);
			}
		}
	}
});

test('overview charts hold the numbers of summary, cumulative and fitness', async () => {
	const { context, page } = await openPage(B.browser);
	await visit(page, '/?sport=all&period=days:365');
	const range = await page.evaluate(() => {
		const d = new Date();
		const f = new Date(d);
		f.setDate(d.getDate() - 364);
		const iso = (x) =>
			`${x.getFullYear()}-${String(x.getMonth() + 1).padStart(2, '0')}-${String(x.getDate()).padStart(2, '0')}`;
		return { from: iso(f), to: iso(d) };
	});
	const vol = await chartData(page, 'volume');
	assert.ok(vol, 'the weekly volume chart is drawn');
	for (const ds of vol.datasets) {
		const sport = { Rides: 'ride', Runs: 'run', Swims: 'swim', Other: 'other' }[ds.label];
		const r = await api(`summary?group=week&sport=${sport}&from=${range.from}&to=${range.to}`);
		const sum = r.periods.reduce((s, p) => s + p.distance / 1000, 0);
		const got = ds.data.reduce((s, v) => s + v, 0);
		assert.ok(
			Math.abs(got - sum) < 0.05 * r.periods.length + 0.01,
			`${ds.label}: ${got} km in the chart, ${sum} km from the API`,
		);
	}
	const y = new Date().getFullYear();
	const cum = await api(`cumulative?years=${y - 4},${y - 3},${y - 2},${y - 1},${y}`);
	const yoy = await chartData(page, 'yoy');
	for (const ds of yoy.datasets) {
		const e = cum.years.find((x) => String(x.year) === ds.label);
		assertClose(
			ds.data.slice(1).map((p) => p.y),
			e.days.map((d) => d.distance / 1000),
			`yoy ${ds.label}`,
			0.051,
		);
	}
	const form = await chartData(page, 'form');
	const day = (n) => new Date(n * 86400000).toISOString().slice(0, 10);
	const fit = await api(`fitness?from=${day(form.datasets[0].data[0].x)}`);
	const past = fit.days.filter((d) => !d.projected);
	assertClose(
		form.datasets[0].data.map((p) => p.y),
		past.map((d) => d.ctl),
		'overview CTL',
		0.001,
	);
	assert.deepEqual(
		form.datasets[0].data.map((p) => day(p.x)),
		past.map((d) => d.date),
		'overview CTL dates',
	);
	await context.close();
});

test('fitness chart holds CTL, ATL, load and the projection of the API', async () => {
	const { context, page } = await openPage(B.browser);
	await visit(page, '/fitness.html?period=all');
	const me = await api('me');
	const first = Object.values(me.counts.by_sport)
		.map((s) => s.first)
		.sort()[0];
	const r = await api(`fitness?from=${first}`);
	const past = r.days.filter((d) => !d.projected);
	const proj = r.days.filter((d) => d.projected);
	const c = await chartData(page, 'fitness');
	const by = Object.fromEntries(c.datasets.map((d) => [d.label, d.data]));
	assertClose(
		by['Fitness (CTL)'].map((p) => p.y),
		past.map((d) => d.ctl),
		'CTL',
		0.001,
	);
	assertClose(
		by['Fatigue (ATL)'].map((p) => p.y),
		past.map((d) => d.atl),
		'ATL',
		0.001,
	);
	assertClose(
		by['Daily load'].map((p) => p.y),
		past.map((d) => d.load),
		'load',
		0.001,
	);
	assert.equal(by['Fitness, projected'].length, proj.length + 1, 'projection drawn from today on');
	assert.ok(proj.length >= 14, 'the API projects 14 days');
	await context.close();
});

test('activities table, calendar, zones, curves, records, eddington, gear and map hold the API numbers', async () => {
	const { context, page } = await openPage(B.browser);
	await visit(page, '/activities.html?sport=all&period=all');
	const acts = await api('activities?limit=50');
	const names = await page.locator('table.activities tbody tr td:nth-child(2)').allTextContents();
	assert.deepEqual(
		names,
		acts.activities.map((a) => a.name || a.sport),
		'activity names in order',
	);
	// The GAP column holds the API's grade-adjusted speed of each run, formatted as the page formats pace.
	const heads = await page.locator('table.activities thead th').allTextContents();
	const gi = heads.indexOf('GAP') + 1;
	assert.ok(gi > 0, `a GAP column (${heads.join(', ')})`);
	const gaps = await page.locator(`table.activities tbody tr td:nth-child(${gi})`).allTextContents();
	const wantGap = await page.evaluate(async (rows) => {
		const f = await import('/js/fmt.js');
		return rows.map((a) => (a.gap === null ? '–' : f.speedFor(a.sport_group, a.gap)));
	}, acts.activities);
	assert.deepEqual(gaps, wantGap, 'GAP column');
	assert.ok(
		acts.activities.some((a) => a.sport_group === 'run' && a.gap > 0) &&
			acts.activities.every((a) => a.sport_group === 'run' || a.gap === null),
		'runs have a GAP, other sports none',
	);
	// "Download CSV" gives every activity the filter matches, not one page.
	const href = await page.locator('#csv').getAttribute('href');
	assert.ok(!/[?&]limit=/.test(href), `the CSV link asks for every match: ${href}`);
	const me = await api('me');
	const csv = await page.evaluate(async (u) => (await fetch(u)).text(), href);
	const rows = csv.trim().split('\n').length - 1;
	assert.equal(rows, me.counts.activities, 'the CSV holds every activity, one row each after the header');
	assert.ok(rows > 200, `the demo athlete has more activities than one page of 200 (${rows})`);

	const y = new Date().getFullYear();
	await visit(page, `/calendar.html?sport=all&year=${y}`);
	const cal = await api(`calendar?year=${y}`);
	const days = await page.$$eval('.cal-day[data-date]', (els) =>
		els.filter((e) => +e.dataset.value > 0).map((e) => [e.dataset.date, +e.dataset.value]),
	);
	assert.deepEqual(
		days,
		cal.days.map((d) => [d.date, d.value]),
		'calendar days',
	);

	await visit(page, '/zones.html?sport=all&period=all&kind=hr&group=month');
	const z = await api('zones?kind=hr&group=month');
	const zc = await chartData(page, 'zones');
	assertClose(
		zc.datasets[0].data,
		z.zones.map((x) => +(x.seconds / 60).toFixed(1)),
		'zone minutes',
		0.001,
	);
	const zp = await chartData(page, 'zones-periods');
	assertClose(
		zp.datasets[0].data,
		z.periods.map((p) => +(p.seconds[0] / 3600).toFixed(2)),
		'zone 1 hours per month',
		0.001,
	);

	await visit(page, '/curves.html?sport=run&kind=hr');
	const cv = await api('curves/hr?period=all&sport=run');
	const cc = await chartData(page, 'curve');
	const allTime = cc.datasets.find((d) => d.label === 'All time');
	assert.deepEqual(
		allTime.data.map((p) => [p.x, p.y]),
		cv.points.map((p) => [p.duration, p.value]),
		'all-time HR curve',
	);

	// Pace curves: the grade-adjusted curve of each period beside the pace curve, dashed.
	await visit(page, '/curves.html?sport=run&kind=pace');
	const gv = await api('curves/gap?period=all&sport=run');
	assert.ok(gv.points.length > 10, 'the demo runs have a GAP curve');
	assert.ok(
		gv.points.some((p) => p.duration === 1200) && gv.points.some((p) => p.duration === 300),
		'the best 5 and 20 minutes are points of the curve',
	);
	const pc = await chartData(page, 'curve');
	const gapAll = pc.datasets.find((d) => d.label === 'All time · GAP');
	assert.ok(gapAll && pc.datasets.some((d) => d.label === 'All time'), 'pace and GAP curves drawn');
	const wantCurve = await page.evaluate(async (pts) => {
		const f = await import('/js/fmt.js');
		return pts.map((p) => [p.duration, f.paceValue(p.value) ? Math.round(f.paceValue(p.value)) : null]);
	}, gv.points);
	assert.deepEqual(
		gapAll.data.map((p) => [p.x, p.y]),
		wantCurve,
		'all-time GAP curve (pace, s per unit)',
	);

	await visit(page, '/records.html?sport=run&ed=ride');
	const rec = await api('records?sport=run');
	assert.equal(await page.locator('table.records tbody tr').count(), rec.records.length, 'one row per record');
	const ed = await api('eddington?sport=ride&unit=km');
	const ec = await chartData(page, 'eddington');
	assert.deepEqual(ec.datasets[0].data, ed.histogram, 'eddington histogram');
	assert.match(await page.locator('#eddington').innerText(), new RegExp(`\\b${ed.e}\\b`), 'eddington number shown');

	await visit(page, '/gear.html');
	const g = await api('gear');
	const gc = await chartData(page, 'gear');
	assertClose(
		gc.datasets[0].data,
		g.gear.map((x) => x.distance / 1000),
		'gear km',
		0.051,
	);

	await visit(page, '/map.html?sport=all&period=all');
	const hm = await api('heatmap');
	assert.equal(await page.evaluate(() => window.cairn.routes), hm.routes.length, 'every route drawn');
	await context.close();
});

test('activity page: stream charts hold the streams; hovering the HR chart moves the map marker to that point', async () => {
	const { context, page, problems } = await openPage(B.browser);
	await visit(page, `/activity.html?id=${activityId}`);
	const s = await api(`activities/${activityId}/streams?points=1000`);
	const hr = await chartData(page, 'hr');
	assert.deepEqual(
		hr.datasets[0].data.map((p) => p.y),
		s.streams.heartrate,
		'HR values',
	);
	assert.deepEqual(
		hr.datasets[0].data.map((p) => p.x),
		s.streams.time,
		'on the time axis',
	);
	// A run: grade-adjusted pace beside pace on the speed chart, from the API's gap stream.
	assert.ok(s.streams.gap, 'the run has a gap stream');
	const sp = await chartData(page, 'velocity_smooth');
	const gapLine = sp.datasets.find((d) => d.label === 'GAP');
	assert.ok(gapLine, 'a GAP line on the pace chart');
	const wantLine = await page.evaluate(async (g) => {
		const f = await import('/js/fmt.js');
		return g.map((v) => {
			const p = v === null ? null : f.paceValue(v);
			return p && p < 1800 ? Math.round(p) : null;
		});
	}, s.streams.gap);
	assert.deepEqual(
		gapLine.data.map((p) => p.y),
		wantLine,
		'GAP values',
	);
	const detail = await api(`activities/${activityId}`);
	assert.ok(detail.activity.gap > 0, 'the run has an activity GAP');
	const gapStat = await page.locator('#summary .stats').innerText();
	const gapText = await page.evaluate(
		async (v) => (await import('/js/fmt.js')).speedFor('run', v),
		detail.activity.gap,
	);
	assert.ok(gapStat.includes('GAP') && gapStat.includes(gapText), `the summary shows GAP ${gapText}`);
	const hrCanvas = page.locator('#chart-hr');
	await hrCanvas.scrollIntoViewIfNeeded();
	const box = await hrCanvas.boundingBox();
	for (const frac of [0.3, 0.7]) {
		await page.evaluate(() => {
			delete window.cairn.markerIndex;
		});
		await hrCanvas.hover({ position: { x: box.width * frac, y: box.height / 2 } });
		await page.waitForFunction(() => window.cairn.markerIndex !== undefined, null, { timeout: 5000 });
		const got = await page.evaluate(() => {
			const c = window.cairn.charts.hr;
			const act = c.getActiveElements();
			const ll = window.cairn.marker.getLatLng();
			return { idx: act.length ? act[0].index : -1, mi: window.cairn.markerIndex, lat: ll.lat, lng: ll.lng };
		});
		assert.ok(got.idx > 0, 'the HR chart has an active point');
		assert.equal(got.mi, got.idx, 'the marker follows the hovered point');
		assert.deepEqual([got.lat, got.lng], s.streams.latlng[got.idx], `marker at latlng[${got.idx}]`);
	}
	await page.waitForSelector('#export-gpx', { timeout: 5000 });
	await page.waitForSelector('#export-tcx', { timeout: 5000 });
	const dl = await page.evaluate(async () => {
		const a = document.querySelector('#export-gpx');
		const r = await fetch(a.href);
		const text = await r.text();
		return { text: a.textContent, status: r.status, type: r.headers.get('content-type'), body: text.slice(0, 200) };
	});
	assert.equal(dl.text, 'Download GPX');
	assert.equal(dl.status, 200, 'the GPX link answers 200');
	assert.equal(dl.type, 'application/gpx+xml');
	assert.match(dl.body, /^<\?xml[^>]*>\s*<gpx version="1\.1"/, 'the link answers GPX');
	assert.deepEqual(problems, []);
	await context.close();
});

test('with the tile server unreachable the route still draws on a plain background', async () => {
	const { context, page, problems } = await openPage(B.browser, { tiles: 'fail' });
	await visit(page, `/activity.html?id=${activityId}`);
	const drawn = await page.evaluate(() => {
		const m = window.cairn.map;
		let n = 0;
		m.eachLayer((l) => {
			if (l.getLatLngs && l.getLatLngs().flat(2).length > 10) n++;
		});
		return n;
	});
	assert.ok(drawn >= 1, 'the route polyline is on the map');
	assert.equal(await page.locator('.state.error').count(), 0);
	assert.deepEqual(problems, []);
	await context.close();
});

test('activity page of a ride with power: W′ balance charted under power, the estimated power dashed beside the meter', async () => {
	const { context, page, problems } = await openPage(B.browser);
	await visit(page, `/activity.html?id=${rideId}`);
	const { activity: a } = await api(`activities/${rideId}`);
	const s = await api(`activities/${rideId}/streams?points=1000`);
	assert.ok(s.streams.wbal, 'the streams answer W′ balance for a ride with power');
	assert.ok(
		s.streams.est_watts,
		'and the estimated power (the demo athlete has a weight, the ride speed and altitude)',
	);
	assert.equal(s.streams.wbal.length, s.streams.watts.length, 'one index set for every channel');
	assert.ok(
		a.wbal_min !== null && a.est_avg_power !== null && a.est_np !== null,
		'the activity has the power models',
	);
	assert.equal(Math.min(...s.streams.wbal) >= a.wbal_min - 1, true, "no charted W′bal below the activity's lowest");
	const wb = await chartData(page, 'wbal');
	assert.ok(wb, 'a W′ balance chart is drawn');
	assert.deepEqual(
		wb.datasets[0].data.map((p) => p.y),
		s.streams.wbal.map((v) => (v === null ? null : +(v / 1000).toFixed(2))),
		'W′bal values in kJ',
	);
	const order = await page.evaluate(() =>
		[...document.querySelectorAll('#streams > [id^="stream-"]')].map((e) => e.id),
	);
	assert.equal(order.indexOf('stream-wbal'), order.indexOf('stream-watts') + 1, `W′bal right under power (${order})`);
	const w = await page.evaluate(() =>
		window.cairn.charts.watts.data.datasets.map((d) => ({
			label: d.label,
			dash: d.borderDash || [],
			y: d.data.map((p) => p.y),
		})),
	);
	assert.equal(w.length, 2, 'power and estimated power');
	assert.deepEqual(w[0].y, s.streams.watts, 'the meter, solid');
	assert.equal(w[0].dash.length, 0);
	assert.equal(w[1].label, 'Estimated power');
	assert.deepEqual(w[1].y, s.streams.est_watts, 'the estimate');
	assert.ok(w[1].dash.length > 0, 'drawn dashed');
	const txt = await page.locator('#summary').innerText();
	assert.match(txt, /Estimated power/i, 'the summary shows the estimate');
	assert.match(txt, /Lowest W′ balance/i, 'and the lowest W′ balance');
	assert.match(txt, /Efficiency factor/i, 'and EF');
	await shot(page, 'activity-ride-power');
	assert.deepEqual(problems, []);
	await context.close();
});

test('fitness page: EF of rides and runs and decoupling, as the progress route answers', async () => {
	const { context, page, problems } = await openPage(B.browser);
	await visit(page, '/fitness.html?period=all');
	const c = await chartData(page, 'progress');
	assert.ok(c, 'the progress chart is drawn');
	const all = await api('progress');
	const span = c.datasets.flatMap((d) => d.data.map((p) => p.x));
	const first = Math.min(...span);
	const rows = all.activities.filter((r) => dayNumOf(r.date) >= first);
	const want = (grp, k) =>
		rows.filter((r) => (!grp || r.sport_group === grp) && r[k] !== null).map((r) => [dayNumOf(r.date), r[k]]);
	const got = (i) => c.datasets[i].data.map((p) => [p.x, p.y]);
	assert.deepEqual(got(0), want('ride', 'ef'), 'EF of the rides');
	assert.deepEqual(got(1), want('run', 'ef'), 'EF of the runs');
	assert.deepEqual(got(2), want(null, 'decoupling'), 'decoupling');
	assert.ok(got(0).length > 0 && got(1).length > 0, 'the demo data has both');
	assert.deepEqual(problems, []);
	await context.close();
});

/** The chart's day number of a YYYY-MM-DD date (fmt.js dayNum: days since 1970-01-01, UTC). */
function dayNumOf(d) {
	return Math.round(Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10)) / 86400000);
}

test('activity page: the laps and intervals tables show the API figures; a picked row shades its span on every chart and draws it on the map', async () => {
	// A ride of the demo with a route, splits and detected intervals.
	let id = null;
	let d = null;
	const rides = await api('activities?sport=ride&sort=np&limit=50');
	for (const x of rides.activities.filter((y) => y.has_streams && y.avg_power !== null)) {
		const got = await api(`activities/${x.id}`);
		if (got.laps.length >= 2 && got.intervals.length >= 1 && got.activity.summary_polyline) {
			id = x.id;
			d = got;
			break;
		}
	}
	assert.ok(id, 'the demo data has a ride with a route, laps and intervals');
	const s = await api(`activities/${id}/streams?points=1000`);
	assert.ok(s.streams.latlng && s.streams.time, 'the ride has positions');
	const { context, page, problems } = await openPage(B.browser);
	await visit(page, `/activity.html?id=${id}`);

	/* What each row should read: the API's numbers through the page's formatters, by column header. */
	const expected = (rows, kind) =>
		page.evaluate(
			async ({ list, what, a }) => {
				const f = await import('/js/fmt.js');
				const basis = { power: 'FTP', speed: 'threshold pace', hr: 'threshold HR' };
				const est = a.power_estimated ? ' est.' : '';
				return list.map((r, i) => ({
					'#': String(i + 1),
					Start: f.duration(r.start_offset),
					Time: f.duration(r.elapsed),
					Distance: f.dist(r.distance, 2),
					Speed: f.speed(r.avg_speed),
					'HR avg / max': `${f.num(r.avg_hr)} / ${f.num(r.max_hr)}`,
					[`Power avg / NP${a.power_estimated ? ' (est.)' : ''}`]: `${f.num(r.avg_power)} / ${f.num(r.np)} W${est}`,
					...(what === 'intervals' ? { Intensity: `${f.num(r.intensity * 100)} % ${basis[r.basis]}` } : {}),
				}));
			},
			{ list: rows, what: kind, a: d.activity },
		);
	const shown = () =>
		page.evaluate(() => {
			const t = document.querySelector('#laps table');
			const heads = [...t.querySelectorAll('thead th')].map((th) => th.textContent.trim());
			return [...t.querySelectorAll('tbody tr')].map((tr) =>
				Object.fromEntries([...tr.children].map((td, i) => [heads[i], td.textContent.trim()])),
			);
		});
	const check = async (rows, kind) => {
		const want = await expected(rows, kind);
		const got = await shown();
		assert.equal(got.length, rows.length, `one row per ${kind} of the API`);
		for (let i = 0; i < want.length; i++)
			for (const [k, v] of Object.entries(want[i])) assert.equal(got[i][k], v, `${kind} row ${i + 1}, ${k}`);
	};
	await check(d.laps, 'laps');
	assert.match(await page.locator('#laps').innerText(), /Intervals \(\d+\)/, 'an Intervals tab');
	await page.click('#laps .seg button[data-value="intervals"]');
	await check(d.intervals, 'intervals');

	/* The span of a pick: on every stream chart (time axis) and as route points on the map. */
	const state = () =>
		page.evaluate(() => {
			const c = window.cairn;
			const spans = Object.entries(c.charts)
				.filter(([k]) => c.charts[k].canvas.closest('#streams'))
				.map(([k, ch]) => [k, ch.$span ? [ch.$span.from, ch.$span.to] : null]);
			let n = null;
			if (c.spanLayer && c.map.hasLayer(c.spanLayer)) n = c.spanLayer.getLatLngs().flat().length;
			return {
				span: c.span,
				spans,
				mapPoints: n,
				pressed: document.querySelectorAll('#laps tbody button[aria-pressed="true"]').length,
			};
		});
	const pointsIn = (from, to) => s.streams.time.filter((t, i) => t >= from && t <= to && s.streams.latlng[i]).length;
	const expectPick = async (r, kind, n) => {
		const from = s.streams.time[0] + r.start_offset;
		const to = from + r.elapsed;
		const st = await state();
		assert.deepEqual(
			st.span && [st.span.kind, st.span.n, st.span.from, st.span.to],
			[kind, n, from, to],
			'the pick',
		);
		assert.ok(st.spans.length >= 3, `the stream charts carry the span (${st.spans.length})`);
		for (const [k, v] of st.spans) assert.deepEqual(v, [from, to], `chart ${k} shades [start, start + elapsed]`);
		assert.ok(pointsIn(from, to) > 0, 'the span has route points');
		assert.equal(st.mapPoints, pointsIn(from, to), "the map draws the span's route points");
		assert.equal(st.pressed, 1, 'the row is pressed');
	};
	const cleared = async (what) => {
		const st = await state();
		assert.equal(st.span, null, `${what}: no pick`);
		for (const [k, v] of st.spans) assert.equal(v, null, `${what}: chart ${k} unshaded`);
		assert.equal(st.mapPoints, null, `${what}: no span on the map`);
		assert.equal(st.pressed, 0, `${what}: no row pressed`);
	};
	const iv = d.intervals.length - 1;
	await page.locator('#laps tbody tr').nth(iv).click();
	await expectPick(d.intervals[iv], 'intervals', iv + 1);
	await page.locator('#laps tbody tr').nth(iv).click();
	await cleared('a second click');

	/* The keyboard: the row's button, Enter to pick, Escape to clear. */
	await page.click('#laps .seg button[data-value="laps"]');
	await check(d.laps, 'laps');
	await page.locator('#laps tbody tr button').nth(1).focus();
	await page.keyboard.press('Enter');
	await expectPick(d.laps[1], 'laps', 2);
	await page.evaluate(() => scrollTo(0, 0));
	await shot(page, 'activity-laps');
	await page.keyboard.press('Escape');
	await cleared('Escape');
	assert.deepEqual(problems, []);
	await context.close();
});
