// helpers.mjs: shared by the browser tests and the benchmark: Debian's chromium through playwright-core, page error capture, demo data
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = process.env.CAIRN_ROOT || join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BASE = (process.env.CAIRN_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');
export const TILE_HOST = 'tile.openstreetmap.org';
export const SHOTS = join(ROOT, 'build', 'screenshots');

export const PAGES = [
	{ id: 'overview', path: '/' },
	{ id: 'activities', path: '/activities.html' },
	{ id: 'calendar', path: '/calendar.html' },
	{ id: 'fitness', path: '/fitness.html' },
	{ id: 'curves', path: '/curves.html' },
	{ id: 'performance', path: '/performance.html' },
	{ id: 'records', path: '/records.html' },
	{ id: 'zones', path: '/zones.html' },
	{ id: 'map', path: '/map.html' },
	{ id: 'gear', path: '/gear.html' },
	{ id: 'data', path: '/data.html' },
	{ id: 'settings', path: '/settings.html' },
];

/** Starts headless Debian chromium with a fresh profile: {browser, close()}. */
export async function launch() {
	// playwright's launch gives every run a fresh temporary profile of its own.
	const browser = await chromium.launch({
		executablePath: process.env.CAIRN_CHROMIUM || '/usr/bin/chromium',
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	});
	return { browser, close: () => browser.close() };
}

const isTile = (url) => {
	try {
		return new URL(url).hostname === TILE_HOST;
	} catch (e) {
		return false;
	}
};

/**
 * A new context + page that records console errors, page errors, failed
 * requests and requests to other origins (tile requests are answered with a
 * blank tile, as if the tile server were there, unless tiles: 'fail').
 */
export async function openPage(browser, { width = 1280, height = 800, dark = false, tiles = 'blank' } = {}) {
	const context = await browser.newContext({
		viewport: { width, height },
		colorScheme: dark ? 'dark' : 'light',
		locale: 'en-GB',
		timezoneId: 'Europe/Ljubljana',
	});
	const page = await context.newPage();
	const problems = [];
	const foreign = [];
	const origin = new URL(BASE).origin;
	await page.route(
		(url) => isTile(url.href),
		(route) =>
			tiles === 'fail'
				? route.abort('internetdisconnected')
				: route.fulfill({ status: 200, contentType: 'image/png', body: BLANK_PNG }),
	);
	page.on('console', (m) => {
		if (m.type() !== 'error') return;
		const loc = m.location() && m.location().url;
		if (loc && isTile(loc)) return;
		if (/Failed to load resource/.test(m.text()) && tiles === 'fail' && (!loc || isTile(loc))) return;
		problems.push(`console: ${m.text()} ${loc || ''}`);
	});
	page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
	page.on('requestfailed', (r) => {
		if (!isTile(r.url())) problems.push(`failed: ${r.url()} ${r.failure() && r.failure().errorText}`);
	});
	page.on('response', (r) => {
		if (r.status() >= 400 && !isTile(r.url())) problems.push(`http ${r.status()}: ${r.url()}`);
	});
	page.on('request', (r) => {
		const u = r.url();
		if (!u.startsWith(origin) && !isTile(u) && !u.startsWith('data:')) foreign.push(u);
	});
	return { context, page, problems, foreign };
}

/** Navigates and waits until every panel of the page has settled (html[data-ready]). */
export async function visit(page, path) {
	await page.goto(BASE + path, { waitUntil: 'load' });
	await page.waitForSelector('html[data-ready]', { timeout: 15000 });
}
/** Waits for the next render pass after an action. */
export async function rerendered(page, action) {
	const before = await page.evaluate(() => document.documentElement.getAttribute('data-ready'));
	await action();
	await page.waitForFunction(
		(b) => {
			const r = document.documentElement.getAttribute('data-ready');
			return r && r !== b;
		},
		before,
		{ timeout: 15000 },
	);
}

/** GET an API route from node (what the page should have drawn). */
export async function api(path) {
	const r = await fetch(`${BASE}/api/v1/${path}`);
	if (!r.ok) throw new Error(`GET ${path}: ${r.status} ${await r.text()}`);
	return r.json();
}

/** POST JSON to an API route from node (auth_mode none: no session needed); the answer's JSON. */
export async function apiPost(path, body) {
	const r = await fetch(`${BASE}/api/v1/${path}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(body),
	});
	if (!r.ok) throw new Error(`POST ${path}: ${r.status} ${await r.text()}`);
	return r.json();
}

/** The numbers a chart holds (undecimated) by registry id. */
export function chartData(page, id) {
	return page.evaluate((cid) => {
		const c = window.cairn && window.cairn.charts[cid];
		if (!c) return null;
		return {
			labels: c.data.labels || null,
			datasets: c.data.datasets.map((d) => ({
				label: d.label,
				data: (d._data || d.data).map((p) => (p && typeof p === 'object' ? { x: p.x, y: p.y } : p)),
			})),
		};
	}, id);
}

export async function shot(page, name) {
	mkdirSync(SHOTS, { recursive: true });
	await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Fresh schemas, then the real demo sync (authorise, cairn-extract, cairn-transform) into the test stack. */
export function loadDemo() {
	const sock = process.env.CAIRN_TEST_DB_SOCKET;
	const conf = process.env.CAIRN_CONFIG;
	const bin = process.env.CAIRN_BIN || join(ROOT, 'build', 'bin');
	if (!sock || !conf) throw new Error('CAIRN_TEST_DB_SOCKET and CAIRN_CONFIG must be set (tools/stack.sh env)');
	execFileSync(
		'mariadb',
		[
			'--no-defaults',
			'-S',
			sock,
			'-uroot',
			'-e',
			'DROP DATABASE IF EXISTS cairn_raw; DROP DATABASE IF EXISTS cairn_mart; DROP DATABASE IF EXISTS cairn_app;',
		],
		{ stdio: ['ignore', 'pipe', 'pipe'] },
	);
	execFileSync(join(bin, 'cairn-migrate'), ['--config', conf, '--accounts'], { stdio: ['ignore', 'pipe', 'pipe'] });
	syncDemo();
}

/**
 * The demo athlete's sync (cairn-extract, then cairn-transform) into the test stack: what the local Strava has
 * new; `env` adds settings (CAIRN_LOOKBACK_DAYS to find activities added with an older start).
 */
export function syncDemo(extra = {}) {
	// The extract paces itself to Strava's 15-minute window; when the local Strava runs
	// with a short window (--window N) or none (--unthrottled), pace to that instead.
	const fake = process.env.CAIRN_FAKE_ARGS || '';
	const win = /--window[= ](\d+)/.exec(fake);
	const env = { ...process.env, ...extra, CAIRN_PORT: String(new URL(BASE).port) };
	if (win) env.CAIRN_RATE_WINDOW_SECONDS = win[1];
	else if (/--unthrottled/.test(fake)) env.CAIRN_RATE_WINDOW_SECONDS = '1';
	try {
		execFileSync('bash', [join(ROOT, 'tools', 'stack.sh'), 'sync'], {
			env,
			stdio: ['ignore', 'pipe', 'pipe'],
			timeout: 840000,
		});
	} catch (e) {
		throw new Error(`demo sync failed: ${e.message}\n${String(e.stderr || '').slice(-2000)}`, { cause: e });
	}
}

/** Adds an activity to the local Strava (POST /_fake/activity, tests/fakestrava/README.md): its summary. */
export async function fakeActivity(body) {
	const u = new URL(BASE);
	const r = await fetch(`http://${u.hostname}:${+u.port + 2}/_fake/activity`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ notify: false, ...body }),
	});
	if (!r.ok) throw new Error(`POST /_fake/activity: ${r.status} ${await r.text()}`);
	return (await r.json()).activity;
}

// A 1x1 transparent PNG.
const BLANK_PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
	'base64',
);
