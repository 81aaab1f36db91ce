// state.test.mjs: filters in the URL (change, back, bookmark), filters remembered between pages, units switch, dark theme
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, visit, rerendered, api, chartData, BASE } from './helpers.mjs';

let B;
before(async () => {
	B = await launch();
});
after(async () => {
	if (B) await B.close();
});

const rowsSports = (page) =>
	page.$$eval('table.activities tbody tr td:nth-child(3)', (tds) => tds.map((t) => t.textContent.trim()));
const rowNames = (page) =>
	page.$$eval('table.activities tbody tr td:nth-child(2)', (tds) => tds.map((t) => t.textContent.trim()));

test('changing a filter changes the URL and the data; back restores both; the URL reproduces the view', async () => {
	const { context, page, problems } = await openPage(B.browser);
	await visit(page, '/activities.html?sport=all&period=all');
	const allNames = await rowNames(page);
	const runs = await api('activities?sport=run&limit=50');
	await rerendered(page, () => page.selectOption('#f-sport', 'run'));
	assert.match(page.url(), /[?&]sport=run\b/, 'the URL carries the filter');
	assert.deepEqual(
		await rowNames(page),
		runs.activities.map((a) => a.name || a.sport),
		'the table shows runs',
	);
	assert.ok(
		(await rowsSports(page)).every((s) => /Run/.test(s)),
		'only runs',
	);

	await rerendered(page, () => page.click('th button.sort:text("Distance")'));
	assert.match(page.url(), /sort=distance/);
	const byDist = await api('activities?sport=run&sort=distance&order=desc&limit=50');
	assert.deepEqual(
		await rowNames(page),
		byDist.activities.map((a) => a.name || a.sport),
		'sorted by distance',
	);
	const sortedUrl = page.url();

	await rerendered(page, () => page.goBack());
	assert.doesNotMatch(page.url(), /sort=distance/);
	assert.deepEqual(
		await rowNames(page),
		runs.activities.map((a) => a.name || a.sport),
		'back: runs by date again',
	);
	await rerendered(page, () => page.goBack());
	assert.match(page.url(), /sport=all/);
	assert.deepEqual(await rowNames(page), allNames, 'back again: every sport');
	assert.equal(await page.inputValue('#f-sport'), 'all', 'the select follows back');

	// A bookmark opened in a fresh browser context reproduces the view.
	const fresh = await openPage(B.browser);
	await visit(fresh.page, sortedUrl.replace(BASE, ''));
	assert.deepEqual(
		await rowNames(fresh.page),
		byDist.activities.map((a) => a.name || a.sport),
		'bookmark reproduces the view',
	);
	assert.equal(await fresh.page.inputValue('#f-sport'), 'run');
	await fresh.context.close();

	// Paging with the keyset cursor, and back.
	if (runs.next_cursor) {
		await visit(page, '/activities.html?sport=run&period=all');
		await rerendered(page, () => page.click('#next'));
		const p2 = await api(`activities?sport=run&limit=50&cursor=${encodeURIComponent(runs.next_cursor)}`);
		assert.deepEqual(
			await rowNames(page),
			p2.activities.map((a) => a.name || a.sport),
			'page 2',
		);
		await rerendered(page, () => page.click('#prev'));
		assert.deepEqual(
			await rowNames(page),
			runs.activities.map((a) => a.name || a.sport),
			'page 1 again',
		);
	}
	assert.deepEqual(problems, []);
	await context.close();
});

test('shared filters are remembered between pages and carried by the navigation', async () => {
	const { context, page, problems } = await openPage(B.browser);
	await visit(page, '/zones.html?sport=run&period=days:90');
	await visit(page, '/activities.html');
	assert.match(page.url(), /sport=run/, 'sport remembered');
	assert.match(page.url(), /period=days%3A90|period=days:90/, 'period remembered');
	const href = await page.getAttribute('.nav a[data-page="map"]', 'href');
	assert.match(href, /sport=run/);
	assert.deepEqual(problems, []);
	await context.close();
});

test('the fitness chart changes with the period and back restores it', async () => {
	const { context, page, problems } = await openPage(B.browser);
	await visit(page, '/fitness.html?period=days:28');
	const short = (await chartData(page, 'fitness')).datasets[0].data.length;
	await rerendered(page, () => page.selectOption('#f-period', 'days:90'));
	const long = (await chartData(page, 'fitness')).datasets[0].data.length;
	assert.ok(long > short, `90 days (${long}) hold more than 28 (${short})`);
	await rerendered(page, () => page.goBack());
	assert.equal((await chartData(page, 'fitness')).datasets[0].data.length, short);
	assert.deepEqual(problems, []);
	await context.close();
});

test('the units switch changes every distance and pace shown', async () => {
	const { context, page, problems } = await openPage(B.browser);
	await visit(page, '/activities.html?sport=run&period=all');
	const r = await api('activities?sport=run&limit=50');
	const a = r.activities.find((x) => x.distance > 0);
	const idx = r.activities.indexOf(a) + 1;
	const cell = (n) => page.textContent(`table.activities tbody tr:nth-child(${idx}) td:nth-child(${n})`);
	assert.equal((await cell(4)).trim(), `${(a.distance / 1000).toFixed(2)} km`);
	assert.match(await cell(6), /\/km$/);
	await rerendered(page, () => page.click('.units button[data-units="imperial"]'));
	assert.equal((await cell(4)).trim(), `${(a.distance / 1609.344).toFixed(2)} mi`, 'distance in miles');
	const paceMi = 1609.344 / a.avg_speed;
	assert.equal(
		(await cell(6)).trim(),
		`${Math.floor(Math.round(paceMi) / 60)}:${String(Math.round(paceMi) % 60).padStart(2, '0')} /mi`,
		'pace in min/mi',
	);
	const text = await page.innerText('main');
	assert.doesNotMatch(text, /\d km\b|\/km\b/, 'no km left on the page');
	// The choice holds on other pages, charts included.
	await visit(page, '/gear.html');
	const g = await api('gear');
	const gc = await chartData(page, 'gear');
	gc.datasets[0].data.forEach((v, i) =>
		assert.ok(Math.abs(v - g.gear[i].distance / 1609.344) < 0.051, 'gear chart in miles'),
	);
	assert.doesNotMatch(await page.innerText('main'), /\d km\b/);
	await visit(page, '/');
	assert.doesNotMatch(await page.innerText('main'), /\d km\b|\/km\b/, 'overview in miles');
	assert.deepEqual(problems, []);
	await context.close();
});

test('dark theme renders with dark surfaces and light text, charts included', async () => {
	const { context, page, problems } = await openPage(B.browser, { dark: true });
	await visit(page, '/fitness.html?period=days:365');
	const lum = (rgb) => {
		const [r, g, b] = rgb.match(/\d+/g).map(Number);
		return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
	};
	const colours = await page.evaluate(() => ({
		bg: getComputedStyle(document.body).backgroundColor,
		card: getComputedStyle(document.querySelector('.card')).backgroundColor,
		fg: getComputedStyle(document.querySelector('h1')).color,
		legend: window.Chart.defaults.plugins.legend.labels.color,
	}));
	assert.ok(lum(colours.bg) < 0.15, `dark background ${colours.bg}`);
	assert.ok(lum(colours.card) < 0.2, `dark cards ${colours.card}`);
	assert.ok(lum(colours.fg) > 0.8, `light text ${colours.fg}`);
	assert.ok(
		/^#[0-9a-f]{6}$/i.test(colours.legend) && parseInt(colours.legend.slice(1, 3), 16) > 180,
		`chart text is light (${colours.legend})`,
	);
	assert.deepEqual(problems, []);
	await context.close();
});

test('a table view gives the numbers of every chart as text, reachable by keyboard', async () => {
	const { context, page, problems } = await openPage(B.browser);
	await visit(page, '/zones.html?sport=all&period=all&kind=hr&group=week');
	const btn = page.locator('#zones-total .table-toggle');
	await btn.focus();
	await page.keyboard.press('Enter');
	assert.equal(await btn.getAttribute('aria-pressed'), 'true');
	const z = await api('zones?kind=hr&group=week');
	const rows = await page.locator('#table-zones tbody tr').count();
	assert.equal(rows, z.zones.length, 'one row per zone');
	// Every chart on every page has its toggle.
	for (const path of ['/', '/fitness.html', '/zones.html', '/records.html']) {
		await visit(page, path);
		const charts = await page.evaluate(() => Object.keys(window.cairn.charts));
		for (const id of charts)
			assert.equal(
				await page.locator(`.table-toggle[data-chart="${id}"]`).count(),
				1,
				`${path} ${id} has a table view`,
			);
	}
	assert.deepEqual(problems, []);
	await context.close();
});

test('a failed request shows an error with Retry, and Retry loads it', async () => {
	const { context, page } = await openPage(B.browser);
	let fail = true;
	await page.route('**/api/v1/gear', (route) =>
		fail
			? route.fulfill({
					status: 503,
					contentType: 'application/json',
					headers: { 'Retry-After': '2' },
					body: '{"error":{"code":"db_unavailable","message":"the database is restarting","param":null}}',
				})
			: route.continue(),
	);
	await page.goto(`${BASE}/gear.html`);
	await page.waitForSelector('html[data-ready]');
	assert.ok((await page.locator('#gear .state.error').count()) === 1, 'error state shown');
	assert.match(await page.innerText('#gear'), /database is restarting/);
	fail = false;
	await rerendered(page, () => page.click('#gear button.retry'));
	assert.equal(await page.locator('#gear .state.error').count(), 0);
	assert.ok((await page.locator('table.gear tbody tr').count()) > 0, 'loaded after retry');
	await context.close();
});

test('settings: an effective-dated FTP change is stored through the API and listed', async () => {
	const { context, page, problems } = await openPage(B.browser);
	await visit(page, '/settings.html');
	await page.selectOption('#s-name', 'ftp');
	await page.fill('#s-value', 'abc');
	await page.click('#settings-form button[type="submit"]');
	assert.match(await page.textContent('#s-msg'), /number/i, 'a bad value is refused in the page');
	await page.fill('#s-value', '251');
	await page.fill('#s-from', '2024-03-01');
	await page.click('#settings-form button[type="submit"]');
	await page.waitForFunction(() => /Saved/.test(document.querySelector('#s-msg').textContent));
	const s = await api('settings');
	assert.ok(
		s.settings.some((x) => x.name === 'ftp' && +x.value === 251 && x.effective_from === '2024-03-01'),
		'stored with its date',
	);
	// The page re-renders after the save; the history may already list rows from before it (the model's).
	await page.waitForFunction(() => {
		const t = document.querySelector('#history table.history');
		return t && /251 W/.test(t.innerText);
	});
	assert.match(await page.innerText('#history'), /251 W/);
	assert.deepEqual(problems, []);
	await context.close();
});
