// bench.mjs: time from navigation to every chart drawn (html[data-ready]) for overview, fitness, activities and activity; median of 5
// Run by tools/bench.sh against a stack holding the demo athlete (CAIRN_URL); prints one JSON line per page: {"page":...,"ms":...}
import { launch, openPage, api, BASE } from './helpers.mjs';

const RUNS = +(process.env.CAIRN_BENCH_RUNS || 5);
const median = (a) => {
	const s = [...a].sort((x, y) => x - y);
	return s[Math.floor(s.length / 2)];
};

const r = await api('activities?sport=ride&limit=20');
const act = (r.activities.find((a) => a.has_streams) || r.activities[0] || {}).id;
const pages = [
	{ page: 'overview', path: '/' },
	{ page: 'fitness', path: '/fitness.html?period=all' },
	{ page: 'activities', path: '/activities.html?sport=all&period=all' },
	{ page: 'activity', path: `/activity.html?id=${act}` },
];
const { browser, close } = await launch();
try {
	for (const p of pages) {
		const times = [];
		const { context, page } = await openPage(browser);
		await page.goto(BASE + p.path);
		await page.waitForSelector('html[data-ready]', { timeout: 30000 }); // warm: vendor scripts cached like a daily visit
		for (let i = 0; i < RUNS; i++) {
			const t0 = Date.now();
			await page.goto(BASE + p.path, { waitUntil: 'commit' });
			await page.waitForSelector('html[data-ready]', { timeout: 30000 });
			const nav = await page.evaluate(() => {
				const n = performance.getEntriesByType('navigation')[0];
				const ready = +document.documentElement.getAttribute('data-ready');
				return n ? ready - (performance.timeOrigin + n.startTime) : null;
			});
			times.push(nav !== null && nav > 0 ? nav : Date.now() - t0);
		}
		await context.close();
		console.log(JSON.stringify({ page: p.page, ms: Math.round(median(times)), runs: times.map(Math.round) }));
	}
} finally {
	await close();
}
