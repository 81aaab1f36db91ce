// auth.test.mjs: the whole auth_mode=strava flow in chromium: connect, authorise at the local Strava, own dashboard, data after the sync, log out, refused
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { launch, ROOT } from './helpers.mjs';

const ATHLETE = '1003'; // not the shared stack's demo athlete (1001): its data stays as it is
const BIN = process.env.CAIRN_BIN || join(ROOT, 'build', 'bin');
const env = {};
let front, B;

function sql(q) {
	return execFileSync(
		'mariadb',
		['--no-defaults', '-S', process.env.CAIRN_TEST_DB_SOCKET, '-uroot', '-N', '-B', '-e', q],
		{ encoding: 'utf8' },
	).trim();
}

before(
	async () => {
		front = spawn('bash', [join(ROOT, 'tests', 'browser', 'auth_front.sh')], {
			stdio: ['ignore', 'pipe', 'inherit'],
		});
		const rl = createInterface({ input: front.stdout });
		await new Promise((resolve, reject) => {
			const t = setTimeout(() => reject(new Error('the strava-mode front did not start')), 120000);
			rl.on('line', (l) => {
				if (l === 'READY') {
					clearTimeout(t);
					resolve();
				}
				const m = /^(\w+)=(.*)$/.exec(l);
				if (m) env[m[1]] = m[2];
			});
			front.on('exit', () => reject(new Error('the strava-mode front exited')));
		});
		B = await launch();
	},
	{ timeout: 180000 },
);

after(async () => {
	if (B) await B.close();
	// Whatever happened, nothing of the test athlete stays for the other suites.
	try {
		sql(`INSERT INTO cairn_app.account_request (athlete_id, action) VALUES (${ATHLETE}, 'delete_data')`);
		execFileSync(join(BIN, 'cairn-extract'), ['--config', env.S_CONF, '--events'], { stdio: 'ignore' });
	} catch (e) {
		/* the front may not have started */
	}
	if (front) {
		const gone = new Promise((resolve) => front.once('exit', resolve));
		front.kill('SIGTERM');
		await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 20000))]);
		front.stdout.destroy();
	}
});

test('connect, authorise, own dashboard, data after the sync, log out, refused', { timeout: 300000 }, async () => {
	const S = env.S_URL;
	const onOverview = (u) => u.origin === S && u.pathname === '/';
	const context = await B.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
	const page = await context.newPage();
	const errors = [];
	page.on('pageerror', (e) => errors.push(e.message));

	// Without a session the dashboard sends the browser to the login page.
	await page.goto(S + '/');
	await page.waitForURL(/\/login\.html/, { timeout: 15000 });
	const connect = page.getByRole('link', { name: 'Connect with Strava' });
	assert.ok(await connect.isVisible(), 'the login page shows Connect with Strava');

	// Connect: the local Strava's authorize page, choose the athlete, click Authorize.
	await connect.click();
	await page.waitForURL((u) => u.href.startsWith(env.FAKE_URL + '/oauth/authorize'), { timeout: 15000 });
	assert.ok(
		await page.locator('input[name=scope][value="activity:read_all"]').isChecked(),
		'activity:read_all is asked for',
	);
	await page.selectOption('select[name=athlete]', ATHLETE);
	await page.click('#authorize');

	// Back on one's own dashboard, logged in: no data before the first sync.
	// The overview at once writes its filters into the query (replaceState),
	// maybe before click() returns: match the page, not the bare URL.
	await page.waitForURL(onOverview, { timeout: 15000 });
	await page.waitForSelector('header.top .account button', { timeout: 15000 });
	const me = await page.evaluate(async () => (await fetch('/auth/me')).json());
	assert.equal(String(me.athlete_id), ATHLETE, 'the session belongs to the athlete who authorised');
	assert.equal(
		sql(`SELECT COUNT(*) FROM cairn_app.session WHERE athlete_id = ${ATHLETE}`),
		'1',
		'one session stored',
	);
	const cookies = await context.cookies();
	const c = cookies.find((x) => x.name === 'cairn_session');
	assert.ok(c && c.httpOnly && c.sameSite === 'Lax', 'an HttpOnly SameSite=Lax session cookie');
	assert.equal(
		await page.evaluate(() => document.cookie.includes('cairn_session')),
		false,
		'scripts cannot read the session',
	);

	// The sync (what the timer does), then the dashboard shows the athlete's data.
	execFileSync(join(BIN, 'cairn-extract'), ['--config', env.S_CONF, 'sync', '--athlete', ATHLETE], {
		stdio: 'ignore',
		timeout: 240000,
	});
	execFileSync(join(BIN, 'cairn-transform'), ['--config', env.S_CONF], { stdio: 'ignore', timeout: 240000 });
	const count = +sql(`SELECT COUNT(*) FROM cairn_mart.activity WHERE athlete_id = ${ATHLETE}`);
	assert.ok(count > 0, 'the sync stored activities');
	await page.goto(S + '/activities.html');
	await page.waitForSelector('html[data-ready]', { timeout: 20000 });
	const list = await page.evaluate(async () => (await fetch('/api/v1/activities?limit=200')).json());
	assert.equal(list.activities.length, count, 'the API gives the athlete its own activities');
	const first = list.activities[0].name;
	assert.ok(await page.getByText(first, { exact: false }).first().isVisible(), `the page shows "${first}"`);

	// Log out: back to the login page, and the API refuses the old session.
	await page.getByRole('button', { name: 'Log out' }).click();
	await page.waitForURL(/\/login\.html\?error=logged_out/, { timeout: 15000 });
	assert.ok(await page.getByText('You are logged out').isVisible(), 'the login page says so');
	const st = await page.evaluate(async () => (await fetch('/api/v1/activities')).status);
	assert.equal(st, 401, 'after logout the API refuses');
	await page.goto(S + '/activities.html');
	await page.waitForURL(/\/login\.html/, { timeout: 15000 });
	assert.equal(
		sql(`SELECT COUNT(*) FROM cairn_app.session WHERE athlete_id = ${ATHLETE}`),
		'0',
		'the session is gone',
	);

	// Connect again (Strava remembers the consent), then Disconnect, asking for every stored activity to go.
	await page.getByRole('link', { name: 'Connect with Strava' }).click();
	await page.waitForURL((u) => u.href.startsWith(env.FAKE_URL + '/oauth/authorize'), { timeout: 15000 });
	await page.selectOption('select[name=athlete]', ATHLETE);
	await page.click('#authorize');
	await page.waitForURL(onOverview, { timeout: 15000 });
	await page.getByRole('button', { name: 'Disconnect' }).click();
	await page.getByLabel('Also delete all my data from Cairn').check();
	await page.locator('dialog').getByRole('button', { name: 'Disconnect' }).click();
	await page.waitForURL(/\/login\.html\?error=disconnected/, { timeout: 15000 });
	assert.equal(
		sql(`SELECT COUNT(*) FROM cairn_raw.token WHERE athlete_id = ${ATHLETE}`),
		'0',
		'disconnect deletes the tokens',
	);
	execFileSync(join(BIN, 'cairn-extract'), ['--config', env.S_CONF, '--events'], { stdio: 'ignore', timeout: 60000 });
	assert.equal(
		sql(`SELECT COUNT(*) FROM cairn_mart.activity WHERE athlete_id = ${ATHLETE}`),
		'0',
		'and, asked to, all the data',
	);
	assert.deepEqual(errors, [], 'no page errors');
	await context.close();
});
