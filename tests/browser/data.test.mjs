// data.test.mjs: the Data page against the demo stack: a FIT file uploaded in the browser reaches the activities list through the spool runner; Sync now moves the last-sync time
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launch, openPage, visit, shot, api, loadDemo, ROOT } from './helpers.mjs';

let B;
const FIT = join(ROOT, 'tests', 'data', 'files', 'fit', 'garmin-edge-820-bike.fit');

before(
	async () => {
		// The demo athlete connected to the local Strava (dashboard.test.mjs loads it first).
		let have;
		try {
			const s = await api('sources');
			have = s.strava.state === 'ok' && (await api('me')).counts.activities > 0;
		} catch (e) {
			have = false;
		}
		if (!have) loadDemo();
		B = await launch();
	},
	{ timeout: 900000 },
);

after(async () => {
	if (B) await B.close();
});

/** Every activity id the API lists (all of them, oldest first). */
async function allIds() {
	const ids = new Set();
	let cursor = '';
	for (;;) {
		const r = await api(`activities?sort=date&order=asc&limit=200${cursor ? `&cursor=${cursor}` : ''}`);
		for (const a of r.activities) ids.add(a.id);
		if (!r.next_cursor) return ids;
		cursor = encodeURIComponent(r.next_cursor);
	}
}

test('a FIT file uploaded on the Data page is imported by the runner and listed among the activities', async () => {
	const idsBefore = await allIds();
	const { context, page, problems } = await openPage(B.browser);
	await visit(page, '/data.html');
	await shot(page, 'data');
	assert.match(await page.textContent('#strava-state'), /Connected/);
	await page.setInputFiles('#upload-file', FIT);
	const row = page.locator('#upload-list li').first();
	await page.waitForSelector('#upload-list li[data-status="done"], #upload-list li[data-status="failed"]', {
		timeout: 90000,
	});
	assert.equal(await row.getAttribute('data-status'), 'done', await row.textContent());
	assert.match(await row.textContent(), /garmin-edge-820-bike\.fit.*done: 1 added/);
	const s = await api('sources');
	assert.equal(s.uploads[0].name, 'garmin-edge-820-bike.fit');
	assert.equal(s.uploads[0].status, 'done');
	assert.equal(s.uploads[0].added, 1);
	// The transform runs after the import in the same pass: the new activity is in the marts.
	const idsAfter = await allIds();
	const added = [...idsAfter].filter((id) => !idsBefore.has(id));
	assert.equal(added.length, 1, `one new activity (${added})`);
	// The upload is older than the demo's activities: first in the list oldest first.
	await visit(page, '/activities.html?period=all&sport=all&sort=date&order=asc');
	assert.ok(await page.$(`a[href="/activity.html?id=${added[0]}"]`), 'the activities list links to it');
	await shot(page, 'data-activities');
	assert.deepEqual(problems, []);
	await context.close();
});

test('Sync now goes queued, then running or done, and the last-sync time moves', async () => {
	const first = (await api('sources')).strava.last_sync;
	assert.ok(first, 'the demo athlete has synced before');
	const { context, page, problems } = await openPage(B.browser);
	await visit(page, '/data.html');
	const shown = await page.getAttribute('#last-sync', 'data-run');
	assert.equal(shown, String(first.id));
	// Seconds are shown: the new sync ends at least a second after the old one.
	await new Promise((r) => setTimeout(r, 1100));
	const seen = new Set();
	await page.exposeFunction('seenStatus', (s) => seen.add(s));
	await page.evaluate(() => {
		const el = document.getElementById('sync-status');
		new MutationObserver(() => window.seenStatus(el.dataset.status)).observe(el, {
			attributes: true,
			childList: true,
		});
	});
	const oldText = await page.textContent('#last-sync');
	await page.click('#sync-now');
	await page.waitForSelector('#sync-status[data-status="done"], #sync-status[data-status="failed"]', {
		timeout: 90000,
	});
	assert.equal(await page.getAttribute('#sync-status', 'data-status'), 'done');
	assert.ok(seen.has('queued'), `the page showed the queued state (${[...seen]})`);
	const now = (await api('sources')).strava.last_sync;
	assert.ok(now.id > first.id, 'a new cairn-extract run');
	await page.waitForSelector(`#last-sync[data-run="${now.id}"]`, { timeout: 5000 });
	assert.notEqual(await page.textContent('#last-sync'), oldText, 'the last-sync time shown changed');
	assert.deepEqual(problems, []);
	await context.close();
});
