// overview.js: the Overview page: week, month and year to date against last year, weekly volume by sport, year over year, recent activities, form
import { boot, setState } from '../app.js';
import { get } from '../api.js';
import { h, card, panel, Empty, stat, seg } from '../ui.js';
import { chartIn, colors, sportColor, alpha, dayAxis } from '../charts.js';
import * as f from '../fmt.js';
import { periodRange, periodLabel } from '../state.js';

const METRICS = [
	{ value: 'distance', label: 'Distance' },
	{ value: 'time', label: 'Time' },
	{ value: 'load', label: 'Load' },
];

function doyOf(dt) {
	return (
		Math.round(
			(Date.UTC(dt.getFullYear(), dt.getMonth(), dt.getDate()) - Date.UTC(dt.getFullYear(), 0, 1)) / 86400000,
		) + 1
	);
}

/** The running totals of one year at day-of-year d (0 before the first day). */
function cumAt(days, d) {
	let lo = 0;
	let hi = days.length - 1;
	let best = null;
	while (lo <= hi) {
		const mid = (lo + hi) >> 1;
		if (days[mid].doy <= d) {
			best = days[mid];
			lo = mid + 1;
		} else hi = mid - 1;
	}
	return best || { count: 0, distance: 0, moving_time: 0, elevation_gain: 0, load: 0 };
}
function between(days, d0, d1) {
	const a = cumAt(days, d0 - 1);
	const b = cumAt(days, d1);
	const o = {};
	for (const k of ['count', 'distance', 'moving_time', 'elevation_gain', 'load']) o[k] = (b[k] || 0) - (a[k] || 0);
	return o;
}

function delta(now, then, fmt) {
	if (!then) return now ? 'none last year' : '';
	const d = now - then;
	const sign = d >= 0 ? '+' : '−';
	return `${sign}${fmt(Math.abs(d))} vs last year`;
}

function toDateStats(cur, prev) {
	const dcls = cur.distance >= prev.distance ? 'up' : 'down';
	return h(
		'div',
		{ class: 'stats' },
		stat(
			'Distance',
			f.dist(cur.distance),
			delta(cur.distance, prev.distance, (x) => f.dist(x)),
			prev.distance ? dcls : '',
		),
		stat('Time', f.hours(cur.moving_time), delta(cur.moving_time, prev.moving_time, f.hours)),
		stat('Activities', f.num(cur.count), prev.count ? `${f.num(prev.count)} last year` : ''),
		stat(
			'Climbing',
			f.elev(cur.elevation_gain),
			prev.elevation_gain ? `${f.elev(prev.elevation_gain)} last year` : '',
		),
	);
}

function metricValue(p, metric) {
	if (metric === 'time') return +(p.moving_time / 3600).toFixed(2);
	if (metric === 'load') return p.load;
	return +f.distValue(p.distance).toFixed(2);
}
function metricUnit(metric) {
	return metric === 'time' ? 'h' : metric === 'load' ? 'load' : f.distUnit();
}

function render(st, content) {
	const today = new Date();
	const y = today.getFullYear();
	const sport = st.sport;

	// Week, month and year to date, against the same days last year.
	const wk = card('This week', { span: 4, id: 'todate-week' });
	const mo = card('This month', { span: 4, id: 'todate-month' });
	const yr = card('This year', { span: 4, id: 'todate-year' });
	content.append(wk.el, mo.el, yr.el);
	const cum = () => get('cumulative', { sport, years: `${y - 4},${y - 3},${y - 2},${y - 1},${y}` });
	const dToday = doyOf(today);
	const monday = f.addDays(today, -((today.getDay() + 6) % 7));
	const dWeek = monday.getFullYear() === y ? doyOf(monday) : 1;
	const dMonth = doyOf(new Date(y, today.getMonth(), 1));
	const yearDays = async (yy) => ((await cum()).years.find((e) => e.year === yy) || { days: [] }).days;
	for (const [c, d0] of [
		[wk, dWeek],
		[mo, dMonth],
		[yr, 1],
	]) {
		panel(c.body, async () => {
			const cur = between(await yearDays(y), d0, dToday);
			const prev = between(await yearDays(y - 1), d0, dToday);
			c.body.replaceChildren(toDateStats(cur, prev));
		});
	}

	// Fitness now.
	const fit = card('Form', { span: 4, id: 'form' });
	const vol = card(`Weekly volume · ${periodLabel(st.period)}`, { span: 8, id: 'volume' });
	content.append(vol.el, fit.el);
	vol.tools.append(seg('Metric', METRICS, st.metric, (v) => setState({ metric: v })));
	const range = periodRange(st.period);
	const sports = sport === 'all' ? ['ride', 'run', 'swim', 'other'] : [sport];
	panel(vol.body, async () => {
		const res = await Promise.all(
			sports.map((s) => get('summary', { group: 'week', sport: s, from: range.from, to: range.to })),
		);
		const weeks = new Set();
		res.forEach((r) => r.periods.forEach((p) => weeks.add(p.start)));
		if (!weeks.size) throw new Empty(`No ${f.sportNoun(sport)} in ${periodLabel(st.period)}.`);
		const labels = [...weeks].sort();
		const datasets = res
			.map((r, i) => {
				const by = new Map(r.periods.map((p) => [p.start, p]));
				const col = sportColor(sports[i]);
				return {
					label: f.sportLabel(sports[i]),
					data: labels.map((w) => (by.has(w) ? metricValue(by.get(w), st.metric) : 0)),
					backgroundColor: col,
					borderRadius: 2,
					maxBarThickness: 18,
				};
			})
			.filter((d) => d.data.some((v) => v));
		chartIn(
			vol,
			'volume',
			{
				type: 'bar',
				data: { labels: labels.map(f.dateShort), datasets },
				options: {
					scales: {
						x: { stacked: true, grid: { display: false }, ticks: { maxRotation: 0, autoSkipPadding: 14 } },
						y: { stacked: true, title: { display: true, text: metricUnit(st.metric) } },
					},
					plugins: { legend: { display: datasets.length > 1, position: 'bottom' } },
				},
			},
			{ label: `Weekly ${st.metric} by sport in ${metricUnit(st.metric)}` },
		);
	});

	panel(fit.body, async () => {
		const from = f.isoDay(f.addDays(today, -90));
		const r = await get('fitness', { from });
		const days = r.days.filter((d) => !d.projected);
		if (!days.length) throw new Empty('No training load yet.');
		const last = days[days.length - 1];
		const c = colors();
		const tsbText =
			last.tsb > 5 ? 'fresh' : last.tsb < -30 ? 'overreaching' : last.tsb < -10 ? 'productive' : 'neutral';
		const stats = h(
			'div',
			{ class: 'stats' },
			stat('Fitness', f.num(last.ctl), 'CTL'),
			stat('Fatigue', f.num(last.atl), 'ATL'),
			stat('Form', f.num(last.tsb), tsbText),
		);
		chartIn(
			fit,
			'form',
			{
				type: 'line',
				data: {
					datasets: [
						{
							label: 'Fitness',
							data: days.map((d) => ({ x: f.dayNum(d.date), y: d.ctl })),
							borderColor: c.ctl,
							backgroundColor: alpha(c.ctl, 0.12),
							fill: true,
						},
						{
							label: 'Fatigue',
							data: days.map((d) => ({ x: f.dayNum(d.date), y: d.atl })),
							borderColor: c.atl,
							borderWidth: 1.5,
						},
						{
							label: 'Form',
							data: days.map((d) => ({ x: f.dayNum(d.date), y: d.tsb })),
							borderColor: c.tsb,
							borderWidth: 1.5,
						},
					],
				},
				options: {
					parsing: false,
					interaction: { mode: 'index', intersect: false },
					scales: {
						x: dayAxis({ min: f.dayNum(days[0].date), max: f.dayNum(last.date) }),
						y: { grid: { color: c.grid } },
					},
					plugins: {
						legend: { position: 'bottom' },
						tooltip: { callbacks: { title: (it) => f.date(f.dayFromNum(it[0].parsed.x)) } },
					},
				},
			},
			{ label: 'Fitness, fatigue and form over the last 90 days', size: 'short', before: stats },
		);
	});

	// Year over year.
	const yoy = card('Year over year', { span: 8, id: 'yoy' });
	const recent = card('Recent activities', { span: 4, id: 'recent' });
	content.append(yoy.el, recent.el);
	panel(yoy.body, async () => {
		const r = await cum();
		const ys = r.years.filter((e) => e.days.length).sort((a, b) => a.year - b.year);
		if (!ys.length) throw new Empty(`No ${f.sportNoun(sport)} in the last five years.`);
		const c = colors();
		const base = sport === 'all' ? c.accent : sportColor(sport);
		const datasets = ys.map((e) => {
			const cur = e.year === y;
			return {
				label: String(e.year),
				data: [{ x: 1, y: 0 }, ...e.days.map((d) => ({ x: d.doy, y: +f.distValue(d.distance).toFixed(1) }))],
				borderColor: cur
					? base
					: alpha(c.muted.startsWith('#') ? c.muted : '#888888', 0.25 + 0.15 * (e.year - (y - 4))),
				borderWidth: cur ? 3 : 1.5,
				stepped: true,
			};
		});
		chartIn(
			yoy,
			'yoy',
			{
				type: 'line',
				data: { datasets },
				options: {
					parsing: false,
					interaction: { mode: 'nearest', intersect: false },
					scales: {
						x: {
							type: 'linear',
							min: 1,
							max: 366,
							grid: { display: false },
							afterBuildTicks: (ax) => {
								ax.ticks = (
									ax.width && ax.width < 480
										? [1, 91, 182, 274]
										: [1, 32, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335]
								).map((value) => ({ value }));
							},
							ticks: {
								autoSkip: false,
								maxRotation: 0,
								callback: (v) =>
									new Date(2001, 0, Math.round(v)).toLocaleDateString(undefined, { month: 'short' }),
							},
						},
						y: { title: { display: true, text: f.distUnit() }, grid: { color: c.grid } },
					},
					plugins: { legend: { position: 'bottom' } },
				},
			},
			{
				label: `Cumulative distance by day of year in ${f.distUnit()}`,
				size: 'tall',
				cols: [
					{ label: 'Year', value: (e) => e.year },
					{
						label: `Distance (${f.distUnit()})`,
						num: true,
						value: (e) => f.num(f.distValue(e.days[e.days.length - 1].distance), 1),
					},
					{ label: 'Activities', num: true, value: (e) => f.num(e.days[e.days.length - 1].count) },
					{
						label: `By ${f.dateShort(f.isoDay(today))}`,
						num: true,
						value: (e) => f.num(f.distValue(cumAt(e.days, dToday).distance), 1),
					},
				],
				rows: ys,
			},
		);
	});

	panel(recent.body, async () => {
		const r = await get('activities', { sport, limit: 8 });
		if (!r.activities.length) throw new Empty(`No ${f.sportNoun(sport)} yet.`);
		recent.body.replaceChildren(
			h(
				'ul',
				{ class: 'list' },
				r.activities.map((a) =>
					h(
						'li',
						null,
						h('span', { class: `dot ${a.sport_group}`, 'aria-hidden': 'true' }),
						h('a', { class: 'grow', href: `/activity.html?id=${a.id}` }, a.name || a.sport),
						h('span', { class: 'num muted' }, a.distance ? f.dist(a.distance) : f.duration(a.moving_time)),
						h('span', { class: 'num muted' }, f.dateShort(a.date)),
					),
				),
			),
			h('p', null, h('a', { href: `/activities.html?sport=${sport}&period=${st.period}` }, 'All activities →')),
		);
	});
}

boot({ id: 'overview', title: 'Overview', filters: ['sport', 'period'], state: { metric: 'distance' }, render });
