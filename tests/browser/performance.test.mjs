// performance.test.mjs: the Performance page against the demo data: today's models as /api/v1/model gives them, the history charts, no-model reasons, Apply as settings
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, visit, shot, api, apiPost, chartData, fakeActivity, syncDemo } from './helpers.mjs';

let B;

/* The pages run in en-GB (helpers.openPage); the expected text is formatted here, not by the page's fmt.js. */
const num = (x, d = 0) =>
	new Intl.NumberFormat('en-GB', { minimumFractionDigits: d, maximumFractionDigits: d }).format(x);
const clock = (sec) => {
	const s = Math.round(sec);
	const h = Math.floor(s / 3600);
	const m = Math.floor((s % 3600) / 60);
	const r = String(s % 60).padStart(2, '0');
	return h ? `${h}:${String(m).padStart(2, '0')}:${r}` : `${m}:${r}`;
};
const isoDay = (d) =>
	`${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
const daysAgo = (n) => {
	const d = new Date();
	d.setDate(d.getDate() - n);
	return d;
};

before(
	async () => {
		// The demo rides are steady (no window of them fits the critical-power curve): hard
		// indoor rides (2 min at about 1.9 × FTP straight into 25 min at about 1.05 × FTP, a
		// mean-max curve that is a hyperbola from 2 min on) 100, 55 and 4 days ago give the
		// ride model of today and of most of the last 100 days. Whether today's 90 days of demo
		// runs fit depends on the calendar: if not, a hard run (2 min fast into 25 min at
		// threshold) 3 days ago gives today's run model. The sync looks back 120 days so that
		// it fetches them.
		const hard = (start, sport, name, program) =>
			fakeActivity({ athlete: 1001, start_date: `${isoDay(daysAgo(start))}T06:00:00Z`, sport, name, program });
		let added = 0;
		if ((await api('model?sport=ride')).reason) {
			for (const [ago, burst, tempo] of [
				[100, 1.8, 1.0],
				[55, 1.85, 1.03],
				[4, 1.9, 1.05],
			]) {
				await hard(ago, 'VirtualRide', 'Indoor: 2 min all out, then 25 min hard', [
					[120, burst],
					[1500, tempo],
					[300, 0.5],
				]);
				added++;
			}
		}
		if ((await api('model?sport=run')).reason) {
			await hard(3, 'Run', 'Track: 2 min fast, then 25 min at threshold', [
				[600, 0.7],
				[120, 1.25],
				[1500, 1.0],
				[300, 0.6],
			]);
			added++;
		}
		if (added) syncDemo({ CAIRN_LOOKBACK_DAYS: '120' });
		B = await launch();
	},
	{ timeout: 900000 },
);

after(async () => {
	if (B) await B.close();
});

const statText = (page, card, key) => page.textContent(`#${card} [data-key="${key}"] .stat-value`);

test("today's ride and run models show /api/v1/model's numbers, the fitted curve over the efforts it used", async () => {
	const ride = await api('model?sport=ride');
	const run = await api('model?sport=run');
	assert.equal(ride.reason, null, 'the demo athlete has a ride model today');
	assert.equal(run.reason, null, 'the demo athlete has a run model today');
	const { context, page, problems } = await openPage(B.browser);
	await visit(page, '/performance.html');
	assert.equal(await statText(page, 'ride-model', 'cp'), `${num(ride.cp)} W`);
	assert.equal(await statText(page, 'ride-model', 'w_prime'), `${num(ride.w_prime / 1000, 1)} kJ`);
	assert.equal(await statText(page, 'ride-model', 'pmax'), `${num(ride.pmax)} W`);
	assert.equal(await statText(page, 'ride-model', 'eftp'), `${num(ride.eftp)} W`);
	assert.equal(await statText(page, 'ride-model', 'r2'), num(ride.r2, 3));
	assert.equal(await statText(page, 'ride-model', 'efforts'), num(ride.efforts.length));
	assert.equal(await statText(page, 'run-model', 'vdot'), num(run.vdot, 1));
	assert.equal(await statText(page, 'run-model', 'cs'), `${clock(1000 / run.cs)} /km`);
	assert.equal(await statText(page, 'run-model', 'd_prime'), `${num(run.d_prime)} m`);

	// The race predictions: VDOT and Riegel time of each distance.
	const rows = await page.$$eval('#run-model table.predictions tbody tr', (trs) =>
		trs.map((tr) => [...tr.cells].map((td) => td.textContent.trim())),
	);
	assert.deepEqual(
		rows.map((r) => r[0]),
		['5 km', '10 km', 'Half marathon', 'Marathon'],
	);
	for (let i = 0; i < 4; i++) {
		const p = run.predictions[i];
		assert.equal(rows[i][1], clock(p.time), `VDOT time of ${p.distance} m`);
		assert.equal(rows[i][3], clock(p.riegel_time), `Riegel time of ${p.distance} m`);
	}

	// The fit chart: the efforts as points, the curve P = CP + W′/t over their range.
	const fit = await chartData(page, 'ride-fit');
	assert.deepEqual(
		fit.datasets[0].data,
		ride.efforts.map((e) => ({ x: e.duration, y: e.value })),
		'the efforts drawn are those of the model',
	);
	const curve = fit.datasets[1].data;
	assert.ok(curve.length > 10, 'the fitted curve is drawn');
	assert.equal(curve[0].x, ride.efforts[0].duration);
	assert.equal(curve[curve.length - 1].x, ride.efforts[ride.efforts.length - 1].duration);
	for (const p of curve)
		assert.ok(Math.abs(p.y - (ride.cp + ride.w_prime / p.x)) < 1e-9, `P(${p.x}) on the fitted curve`);
	const runFit = await chartData(page, 'run-fit');
	for (const p of runFit.datasets[1].data)
		assert.ok(Math.abs(p.y - 1000 / (run.cs + run.d_prime / p.x)) < 1e-9, `pace(${p.x}) on the fitted curve`);
	await context.close();
	assert.deepEqual(problems, []);
});

/** Compares a history dataset with the API's days: the same value where there is a model, null (a gap) where not. */
function sameSeries(ds, days, value, what) {
	assert.equal(ds.data.length, days.length, `${what}: one point per day`);
	let gaps = 0;
	let values = 0;
	for (let i = 0; i < days.length; i++) {
		const want = value(days[i]);
		if (want === null) {
			assert.equal(ds.data[i].y, null, `${what} on ${days[i].date} is a gap`);
			gaps++;
		} else {
			assert.ok(
				Math.abs(ds.data[i].y - want) < 1e-9,
				`${what} on ${days[i].date}: ${ds.data[i].y}, want ${want}`,
			);
			values++;
		}
	}
	return { gaps, values };
}

test('the history charts hold /api/v1/model/history (days without a model are gaps, not zeros); screenshot', async () => {
	const rh = await api('model/history?sport=ride');
	const uh = await api('model/history?sport=run');
	const { context, page, problems } = await openPage(B.browser);
	await visit(page, '/performance.html');
	const ride = await chartData(page, 'ride-history');
	const by = (c, label) => c.datasets.find((d) => d.label === label);
	const cp = sameSeries(by(ride, 'CP (W)'), rh.days, (d) => d.cp, 'CP');
	sameSeries(by(ride, 'eFTP (W)'), rh.days, (d) => d.eftp, 'eFTP');
	sameSeries(by(ride, 'W′ (kJ)'), rh.days, (d) => (d.w_prime === null ? null : d.w_prime / 1000), 'W′');
	assert.ok(
		cp.values > 0 && cp.gaps > 0,
		`the ride history has days with a model (${cp.values}) and gaps (${cp.gaps})`,
	);
	const run = await chartData(page, 'run-history');
	const cs = sameSeries(by(run, 'CS (min/km)'), uh.days, (d) => (d.cs === null ? null : 1000 / d.cs), 'CS');
	sameSeries(by(run, 'VDOT'), uh.days, (d) => d.vdot, 'VDOT');
	assert.ok(
		cs.values > 0 && cs.gaps > 0,
		`the run history has days with a model (${cs.values}) and gaps (${cs.gaps})`,
	);
	await shot(page, 'performance-history');
	await context.close();
	assert.deepEqual(problems, []);
});

test('a date before the first activity says why there is no model and shows no numbers', async () => {
	const me = await api('me');
	const first = Object.values(me.counts.by_sport)
		.map((s) => s.first.slice(0, 10))
		.sort()[0];
	const d = new Date(`${first}T12:00:00`);
	d.setDate(d.getDate() - 30);
	const day = isoDay(d);
	const ride = await api(`model?sport=ride&date=${day}`);
	assert.equal(ride.reason, 'no_efforts_in_range');
	const { context, page, problems } = await openPage(B.browser);
	await visit(page, `/performance.html?date=${day}`);
	assert.equal(await page.inputValue('#f-date'), day, 'the date picker shows the chosen day');
	for (const [cardId, sport] of [
		['ride-model', 'ride'],
		['run-model', 'run'],
	]) {
		const text = await page.textContent(`#${cardId} .reason`);
		assert.match(text, /^No model\. No (rides with power|runs) with efforts between 2 and 20 minutes/, cardId);
		assert.match(text, /in the 90 days up to/, `${cardId} names the window`);
		assert.match(
			text,
			new RegExp(`Your first ${sport} is on`),
			`${cardId} says the date is before the first ${sport}`,
		);
		assert.equal(await page.locator(`#${cardId} [data-key]`).count(), 0, `${cardId} shows no numbers`);
		assert.equal(await page.locator(`#${cardId} form.apply`).count(), 0, `${cardId} offers nothing to apply`);
	}
	await context.close();
	assert.deepEqual(problems, []);
});

test('Apply as settings: the confirmation shows the dry run, Cancel changes nothing, Confirm stores the model values', async () => {
	const ride = await api('model?sport=ride');
	const from = isoDay(daysAgo(60));
	const dry = await apiPost('model/apply', { sport: 'ride', date: ride.date, effective_from: from, dry_run: true });
	assert.equal(dry.dry_run, true);
	assert.ok(dry.recompute.activities > 0, `the dry run counts activities from ${from}: ${dry.recompute.activities}`);
	const want = new Map(dry.settings.map((s) => [s.name, s]));
	assert.deepEqual([...want.keys()].sort(), ['cp', 'ftp', 'w_prime']);
	assert.ok(
		Math.abs(+want.get('ftp').value - ride.eftp) <= 0.5,
		`FTP ${want.get('ftp').value} is the eFTP ${ride.eftp}`,
	);
	assert.ok(Math.abs(+want.get('cp').value - ride.cp) <= 0.5, `CP ${want.get('cp').value} is the model's ${ride.cp}`);
	assert.ok(
		Math.abs(+want.get('w_prime').value - ride.w_prime) <= 0.5,
		`W′ ${want.get('w_prime').value} is the model's ${ride.w_prime}`,
	);
	const was = await api('settings');
	const { context, page, problems } = await openPage(B.browser);
	await visit(page, '/performance.html');

	// Run: the dry run, then Cancel: nothing stored.
	await page.click('#apply-run-btn');
	await page.waitForSelector('#apply-run-confirm:not(.hidden)');
	assert.match(await page.textContent('#apply-run-question'), /^Set threshold pace \d+:\d\d \/km from /);
	await page.click('#apply-run-no');
	assert.equal(await page.textContent('#apply-run-msg'), 'Nothing changed.');
	assert.deepEqual((await api('settings')).settings, was.settings, 'Cancel stores nothing');

	// Ride: from 60 days ago; the confirmation names the values and the dry run's count.
	await page.fill('#apply-ride-from', from);
	await page.click('#apply-ride-btn');
	await page.waitForSelector('#apply-ride-confirm:not(.hidden)');
	const q = await page.textContent('#apply-ride-question');
	assert.equal(await page.textContent('#apply-ride-confirm .count'), num(dry.recompute.activities));
	assert.ok(q.includes(`FTP ${num(+want.get('ftp').value)} W`), q);
	assert.ok(q.includes(`CP ${num(+want.get('cp').value)} W`), q);
	assert.ok(q.includes(`W′ ${num(+want.get('w_prime').value / 1000, 1)} kJ`), q);
	assert.deepEqual((await api('settings')).settings, was.settings, 'the dry run stores nothing');
	await page.click('#apply-ride-yes');
	await page.waitForSelector('#apply-ride-msg.ok');
	assert.match(
		await page.textContent('#apply-ride-msg'),
		new RegExp(`^Saved FTP .* Recompute queued for ${num(dry.recompute.activities)} activit`),
	);
	const now = await api('settings');
	for (const s of dry.settings) {
		const row = now.settings.find((x) => x.name === s.name && x.source === 'model' && x.effective_from === from);
		assert.ok(row, `settings list ${s.name} from ${from} with source model`);
		assert.equal(String(row.value), String(s.value), `${s.name} stored as the dry run said`);
	}
	await context.close();
	assert.deepEqual(problems, []);
});
