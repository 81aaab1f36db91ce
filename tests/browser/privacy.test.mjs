// privacy.test.mjs: the Settings page's privacy zones (a bad value refused in the page, add, listed, remove, trim) and its "Download all my data" link to a ZIP
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, visit, api, BASE } from './helpers.mjs';

let B;
before(async () => {
	B = await launch();
});
after(async () => {
	if (B) await B.close();
	// leave no zone behind for the suites after this one
	await fetch(`${BASE}/api/v1/privacy`, {
		method: 'PUT',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ zones: [], trim: 0 }),
	});
});

/** Until the page said Saved and drew itself again (the new card's message is empty). */
async function saved(page) {
	await page.waitForFunction(() => /Saved/.test(document.querySelector('#p-msg')?.textContent || ''), null, {
		timeout: 15000,
	});
	await page.waitForFunction(() => document.querySelector('#p-msg')?.textContent === '', null, { timeout: 15000 });
}

test('privacy zones: refused in the page when out of range, added, listed, trimmed, removed', async () => {
	const { context, page, problems } = await openPage(B.browser);
	await visit(page, '/settings.html');
	assert.match(await page.innerText('#privacy'), /No zones/);
	await page.fill('#p-lat', '46.05');
	await page.fill('#p-lng', '14.5');
	await page.fill('#p-radius', '20');
	await page.click('#privacy-form button[type="submit"]');
	assert.match(await page.textContent('#p-msg'), /radius must be a number between 50 and 5000/i);
	assert.deepEqual((await api('privacy')).zones, [], 'nothing stored');
	await page.fill('#p-radius', '400');
	await page.click('#privacy-form button[type="submit"]');
	await saved(page);
	const p = await api('privacy');
	assert.deepEqual(p.zones, [{ lat: 46.05, lng: 14.5, radius: 400 }], 'stored as typed');
	await page.waitForFunction(() => /46\.05000, 14\.50000/.test(document.querySelector('#privacy')?.innerText || ''));
	await page.fill('#p-trim', '150');
	await page.click('#trim-form button[type="submit"]');
	await saved(page);
	assert.equal((await api('privacy')).trim, 150, 'trim stored');
	await page.waitForSelector('#privacy button.p-remove');
	await page.click('#privacy button.p-remove');
	await saved(page);
	assert.deepEqual((await api('privacy')).zones, [], 'removed');
	assert.equal((await api('privacy')).trim, 150, 'the trim stays');
	assert.deepEqual(problems, []);
	await context.close();
});

test('"Download all my data" links to the archive, a ZIP', async () => {
	const { context, page, problems } = await openPage(B.browser);
	await visit(page, '/settings.html');
	const href = await page.getAttribute('#archive-link', 'href');
	assert.equal(href, '/api/v1/export/archive');
	const r = await fetch(BASE + href);
	assert.equal(r.status, 200);
	assert.equal(r.headers.get('content-type'), 'application/zip');
	const b = Buffer.from(await r.arrayBuffer());
	assert.equal(b.readUInt32LE(0), 0x04034b50, 'starts with a local file header');
	assert.ok(b.includes(Buffer.from('activities.csv')), 'holds activities.csv');
	assert.deepEqual(problems, []);
	await context.close();
});
